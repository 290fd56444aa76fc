DROP TABLE intervensi_nonaktif;
