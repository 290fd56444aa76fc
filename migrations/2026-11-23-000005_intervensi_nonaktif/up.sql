-- A district may switch off a national intervention it does not run; the national seed itself is
-- shared by every district and stays as it is.
CREATE TABLE intervensi_nonaktif (
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    intervensi_id INTEGER NOT NULL REFERENCES intervensi (id),
    PRIMARY KEY (kode_kabkota, intervensi_id)
);
