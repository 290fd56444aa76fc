ALTER TABLE users DROP CONSTRAINT users_provinsi_pimpinan;
ALTER TABLE users DROP COLUMN kode_provinsi;
