-- Monthly realisation per budget line (what was spent and done), and the months an admin closed.
--
-- A realisation row is a child of its budget line, held to the line's district the way desa links
-- are (2026-12-01-000002): every reference carries kode_kabkota and is checked once per statement
-- by a trigger over the statement's rows, so an import of 240,000 line-months is not 240,000
-- foreign-key look-ups. The line is not locked (there may be 20,000 of them); a line's delete or key
-- change instead takes SHARE ROW EXCLUSIVE on realisasi. The handful of users and batches a
-- statement names are locked FOR KEY SHARE, as a foreign key would lock them. Parents are guarded:
-- none can go or change its key while a realisation row names it (realisation is never deleted
-- with its line: lokus marks removed lines, it does not delete them).

CREATE TABLE realisasi (
    kode_kabkota VARCHAR(5) NOT NULL,
    line_id BIGINT NOT NULL,
    bulan SMALLINT NOT NULL CHECK (bulan BETWEEN 1 AND 12),
    -- realisasi keuangan: rupiah spent in the month
    keuangan NUMERIC(18, 2) NOT NULL CHECK (keuangan >= 0),
    -- capaian fisik: volume done in the month, in the line's output satuan; NULL when not reported
    fisik NUMERIC(18, 4) CHECK (fisik >= 0),
    user_id INTEGER,
    actor TEXT NOT NULL,
    -- the way in: the web form for one line, or an import (with its batch)
    via TEXT NOT NULL CHECK (via IN ('form', 'impor')),
    batch_id BIGINT,
    entered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (line_id, bulan),
    CHECK ((via = 'impor') = (batch_id IS NOT NULL))
);
CREATE INDEX realisasi_batch_idx ON realisasi (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX realisasi_user_idx ON realisasi (user_id) WHERE user_id IS NOT NULL;

-- A closed month of a district's fiscal year: nothing is entered into it, by any path, until an
-- admin opens it again. A triwulan is locked as its three months.
CREATE TABLE periode_kunci (
    kode_kabkota VARCHAR(5) NOT NULL,
    tahun SMALLINT NOT NULL,
    bulan SMALLINT NOT NULL CHECK (bulan BETWEEN 1 AND 12),
    user_id INTEGER,
    actor TEXT NOT NULL,
    locked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kode_kabkota, tahun, bulan),
    CONSTRAINT periode_kunci_tahun FOREIGN KEY (kode_kabkota, tahun) REFERENCES tahun_anggaran (kode_kabkota, tahun),
    CONSTRAINT periode_kunci_user FOREIGN KEY (kode_kabkota, user_id) REFERENCES users (kode_kabkota, id)
);

CREATE FUNCTION lokus_check_realisasi() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint := 0;
    locked bigint := 0;
    missing text;
BEGIN
    -- the line, in the row's district
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        -- a snapshot older than the statement could miss a line's concurrent delete: lock the lines
        SELECT count(DISTINCT (n.kode_kabkota, n.line_id)) INTO wanted FROM new_rows n;
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM budget_line b WHERE (b.kode_kabkota, b.id) IN (SELECT kode_kabkota, line_id FROM new_rows)
            FOR KEY SHARE) l;
    END IF;
    SELECT format('(%s, %s)', n.kode_kabkota, n.line_id) INTO missing FROM new_rows n
     WHERE NOT EXISTS (SELECT 1 FROM budget_line b WHERE b.id = n.line_id AND b.kode_kabkota = n.kode_kabkota)
     LIMIT 1;
    IF missing IS NOT NULL OR locked < wanted THEN
        PERFORM lokus_missing_parent('realisasi', 'realisasi_line', '(kode_kabkota, line_id)', missing, 'budget_line');
    END IF;

    -- who entered it, in the same district
    SELECT count(*) INTO wanted FROM (
        SELECT DISTINCT kode_kabkota, user_id FROM new_rows WHERE user_id IS NOT NULL) w;
    IF wanted > 0 THEN
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM users p WHERE (p.kode_kabkota, p.id) IN (SELECT kode_kabkota, user_id FROM new_rows)
            FOR KEY SHARE) l;
        IF locked < wanted THEN
            SELECT format('(%s, %s)', n.kode_kabkota, n.user_id) INTO missing FROM new_rows n
             WHERE n.user_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM users p WHERE (p.kode_kabkota, p.id) = (n.kode_kabkota, n.user_id))
             LIMIT 1;
            PERFORM lokus_missing_parent('realisasi', 'realisasi_user', '(kode_kabkota, user_id)', missing, 'users');
        END IF;
    END IF;

    -- the import it came with, in the same district
    SELECT count(*) INTO wanted FROM (
        SELECT DISTINCT kode_kabkota, batch_id FROM new_rows WHERE batch_id IS NOT NULL) w;
    IF wanted > 0 THEN
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) IN (SELECT kode_kabkota, batch_id FROM new_rows)
            FOR KEY SHARE) l;
        IF locked < wanted THEN
            SELECT format('(%s, %s)', n.kode_kabkota, n.batch_id) INTO missing FROM new_rows n
             WHERE n.batch_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) = (n.kode_kabkota, n.batch_id))
             LIMIT 1;
            PERFORM lokus_missing_parent('realisasi', 'realisasi_batch', '(kode_kabkota, batch_id)', missing, 'import_batch');
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER realisasi_references_insert AFTER INSERT ON realisasi
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lokus_check_realisasi();
CREATE TRIGGER realisasi_references_update AFTER UPDATE ON realisasi
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lokus_check_realisasi();

CREATE TRIGGER realisasi_line_delete AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('realisasi', 'kode_kabkota,line_id', 'kode_kabkota,id', 'realisasi_line', 'restrict', 'table');
CREATE TRIGGER realisasi_line_update AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('realisasi', 'kode_kabkota,line_id', 'kode_kabkota,id', 'realisasi_line', 'restrict', 'table');
CREATE TRIGGER realisasi_line_truncate BEFORE TRUNCATE ON budget_line
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('realisasi');

CREATE TRIGGER realisasi_user_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('realisasi', 'kode_kabkota,user_id', 'kode_kabkota,id', 'realisasi_user', 'restrict', 'row');
CREATE TRIGGER realisasi_user_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('realisasi', 'kode_kabkota,user_id', 'kode_kabkota,id', 'realisasi_user', 'restrict', 'row');
CREATE TRIGGER realisasi_user_truncate BEFORE TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('realisasi');

CREATE TRIGGER realisasi_batch_delete AFTER DELETE ON import_batch REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('realisasi', 'kode_kabkota,batch_id', 'kode_kabkota,id', 'realisasi_batch', 'restrict', 'row');
CREATE TRIGGER realisasi_batch_update AFTER UPDATE ON import_batch REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('realisasi', 'kode_kabkota,batch_id', 'kode_kabkota,id', 'realisasi_batch', 'restrict', 'row');
CREATE TRIGGER realisasi_batch_truncate BEFORE TRUNCATE ON import_batch
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('realisasi');
