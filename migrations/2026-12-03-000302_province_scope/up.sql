-- A province-level pimpinan: an account that reads the summary of every district this deployment
-- serves in its province, side by side, and drills into one. It still belongs to one district (its
-- kode_kabkota, where it was created, inside the province); kode_provinsi widens what it may read,
-- never what it may change.
ALTER TABLE users ADD COLUMN kode_provinsi VARCHAR(2) REFERENCES wilayah (kode);
ALTER TABLE users ADD CONSTRAINT users_provinsi_pimpinan
    CHECK (kode_provinsi IS NULL OR (role = 'pimpinan' AND kode_kabkota LIKE kode_provinsi || '.%'));
