-- The same integrity as foreign keys, checked once per statement instead of once per row.
--
-- A foreign key checks each inserted row on its own (a lookup and a row lock per reference): six per
-- budget line and two per desa link, about 3.8 s of a 100,000-line import. Here the lines' and links'
-- references are checked by one statement-level trigger over all the rows a statement wrote (its
-- transition table): the distinct keys are collected in one pass, their parents are locked
-- FOR KEY SHARE as a foreign key would lock them, and any missing parent fails the statement with
-- the error a foreign key gives (SQLSTATE 23503). Every path that writes lines or links (COPY from an
-- import, a tag, plain SQL) goes through these triggers.
--
-- The parents are guarded in turn: deleting a parent, or changing its key, fails while a line or link
-- still names it (deleting a line takes its desa links with it, as ON DELETE CASCADE did), and
-- TRUNCATE of a parent fails while its children have rows. Concurrency is that of a foreign key:
-- a writer holds its parents FOR KEY SHARE until it commits, so a concurrent delete waits and then
-- sees the new rows. Desa links do not lock their (many) lines; a line's delete or key change instead
-- takes SHARE ROW EXCLUSIVE on budget_line_desa, which waits for every writer of links (lokus never
-- deletes lines: removed lines are marked). Removing a referenced key needs READ COMMITTED (lokus's
-- only isolation level) because the guard must see rows committed while it waited.

ALTER TABLE budget_line
    DROP CONSTRAINT budget_line_opd,
    DROP CONSTRAINT budget_line_batch,
    DROP CONSTRAINT budget_line_removed_in_batch,
    DROP CONSTRAINT budget_line_intervensi_id_fkey,
    DROP CONSTRAINT budget_line_tahapan_fkey,
    DROP CONSTRAINT budget_line_kode_kabkota_tahun_fkey;
DROP TRIGGER budget_line_intervensi ON budget_line;

ALTER TABLE budget_line_desa
    DROP CONSTRAINT budget_line_desa_line,
    DROP CONSTRAINT budget_line_desa_kode_desa_fkey;

-- The error a foreign key raises, for a row of `child` whose `columns` = `key` has no parent.
CREATE FUNCTION lokus_missing_parent(child text, constraint_name text, columns text, key text, parent text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE foreign_key_violation USING
        MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"', child, constraint_name),
        DETAIL = format('Key %s=%s is not present in table "%s".', columns, coalesce(key, '(?)'), parent),
        TABLE = child,
        CONSTRAINT = constraint_name;
END $$;

CREATE FUNCTION lokus_check_budget_line() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kab text[];
    opd_ids int[];
    tahuns smallint[];
    tahapans text[];
    batches bigint[];
    removed bigint[];
    intervensis int[];
    wanted bigint;
    locked bigint;
    missing text;
BEGIN
    -- one pass over the statement's rows: the distinct combinations of references (a handful for an import)
    SELECT array_agg(k.kode_kabkota), array_agg(k.opd_id), array_agg(k.tahun), array_agg(k.tahapan),
           array_agg(k.batch_id), array_agg(k.removed_in_batch), array_agg(k.intervensi_id)
      INTO kab, opd_ids, tahuns, tahapans, batches, removed, intervensis
      FROM (SELECT DISTINCT kode_kabkota, opd_id, tahun, tahapan, batch_id, removed_in_batch, intervensi_id
              FROM new_rows) k;
    IF kab IS NULL THEN
        RETURN NULL;
    END IF;

    SELECT count(*) INTO wanted FROM (SELECT DISTINCT * FROM unnest(kab, opd_ids)) w;
    SELECT count(*) INTO locked FROM (
        SELECT 1 FROM opd p WHERE (p.kode_kabkota, p.id) IN (SELECT * FROM unnest(kab, opd_ids)) FOR KEY SHARE) l;
    IF locked < wanted THEN
        SELECT format('(%s, %s)', w.a, w.b) INTO missing FROM unnest(kab, opd_ids) w(a, b)
         WHERE NOT EXISTS (SELECT 1 FROM opd p WHERE (p.kode_kabkota, p.id) = (w.a, w.b)) LIMIT 1;
        PERFORM lokus_missing_parent('budget_line', 'budget_line_opd', '(kode_kabkota, opd_id)', missing, 'opd');
    END IF;

    SELECT count(*) INTO wanted FROM (SELECT DISTINCT * FROM unnest(kab, batches)) w;
    SELECT count(*) INTO locked FROM (
        SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) IN (SELECT * FROM unnest(kab, batches)) FOR KEY SHARE) l;
    IF locked < wanted THEN
        SELECT format('(%s, %s)', w.a, w.b) INTO missing FROM unnest(kab, batches) w(a, b)
         WHERE NOT EXISTS (SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) = (w.a, w.b)) LIMIT 1;
        PERFORM lokus_missing_parent('budget_line', 'budget_line_batch', '(kode_kabkota, batch_id)', missing, 'import_batch');
    END IF;

    SELECT count(*) INTO wanted FROM (SELECT DISTINCT * FROM unnest(kab, removed) w(a, b) WHERE b IS NOT NULL) w;
    IF wanted > 0 THEN
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) IN (SELECT * FROM unnest(kab, removed)) FOR KEY SHARE) l;
        IF locked < wanted THEN
            SELECT format('(%s, %s)', w.a, w.b) INTO missing FROM unnest(kab, removed) w(a, b)
             WHERE b IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) = (w.a, w.b)) LIMIT 1;
            PERFORM lokus_missing_parent('budget_line', 'budget_line_removed_in_batch', '(kode_kabkota, removed_in_batch)', missing, 'import_batch');
        END IF;
    END IF;

    SELECT count(*) INTO wanted FROM (SELECT DISTINCT * FROM unnest(kab, tahuns)) w;
    SELECT count(*) INTO locked FROM (
        SELECT 1 FROM tahun_anggaran p WHERE (p.kode_kabkota, p.tahun) IN (SELECT * FROM unnest(kab, tahuns)) FOR KEY SHARE) l;
    IF locked < wanted THEN
        SELECT format('(%s, %s)', w.a, w.b) INTO missing FROM unnest(kab, tahuns) w(a, b)
         WHERE NOT EXISTS (SELECT 1 FROM tahun_anggaran p WHERE (p.kode_kabkota, p.tahun) = (w.a, w.b)) LIMIT 1;
        PERFORM lokus_missing_parent('budget_line', 'budget_line_tahun', '(kode_kabkota, tahun)', missing, 'tahun_anggaran');
    END IF;

    SELECT count(DISTINCT t) INTO wanted FROM unnest(tahapans) t;
    SELECT count(*) INTO locked FROM (
        SELECT 1 FROM tahapan_anggaran p WHERE p.kode = ANY (tahapans) FOR KEY SHARE) l;
    IF locked < wanted THEN
        SELECT t INTO missing FROM unnest(tahapans) t
         WHERE NOT EXISTS (SELECT 1 FROM tahapan_anggaran p WHERE p.kode = t) LIMIT 1;
        PERFORM lokus_missing_parent('budget_line', 'budget_line_tahapan', '(tahapan)', missing, 'tahapan_anggaran');
    END IF;

    -- an intervention is national (kode_kabkota NULL) or the line's district's own; kode_kabkota is part
    -- of intervensi's unique key, so the lock also keeps it from moving to another district
    SELECT count(DISTINCT i) INTO wanted FROM unnest(intervensis) i WHERE i IS NOT NULL;
    IF wanted > 0 THEN
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM intervensi p WHERE p.id = ANY (intervensis) FOR KEY SHARE) l;
        SELECT format('(%s, %s)', w.a, w.b) INTO missing FROM unnest(kab, intervensis) w(a, b)
         WHERE b IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM intervensi p WHERE p.id = w.b AND (p.kode_kabkota IS NULL OR p.kode_kabkota = w.a))
         LIMIT 1;
        IF locked < wanted OR missing IS NOT NULL THEN
            PERFORM lokus_missing_parent('budget_line', 'budget_line_intervensi', '(kode_kabkota, intervensi_id)',
                                         missing, 'intervensi (national or of that district)');
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER budget_line_references_insert AFTER INSERT ON budget_line
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lokus_check_budget_line();
CREATE TRIGGER budget_line_references_update AFTER UPDATE ON budget_line
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lokus_check_budget_line();

CREATE FUNCTION lokus_check_budget_line_desa() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    desa text[];
    wanted bigint := 0;
    locked bigint := 0;
    missing text;
BEGIN
    -- the line, in the link's district
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
        PERFORM lokus_missing_parent('budget_line_desa', 'budget_line_desa_line', '(kode_kabkota, line_id)', missing, 'budget_line');
    END IF;

    SELECT array_agg(DISTINCT n.kode_desa) INTO desa FROM new_rows n;
    SELECT count(*) INTO locked FROM (SELECT 1 FROM wilayah p WHERE p.kode = ANY (desa) FOR KEY SHARE) l;
    IF locked < coalesce(cardinality(desa), 0) THEN
        SELECT d INTO missing FROM unnest(desa) d WHERE NOT EXISTS (SELECT 1 FROM wilayah p WHERE p.kode = d) LIMIT 1;
        PERFORM lokus_missing_parent('budget_line_desa', 'budget_line_desa_kode_desa', '(kode_desa)', missing, 'wilayah');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER budget_line_desa_references_insert AFTER INSERT ON budget_line_desa
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lokus_check_budget_line_desa();
CREATE TRIGGER budget_line_desa_references_update AFTER UPDATE ON budget_line_desa
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lokus_check_budget_line_desa();

-- Parents: the keys a statement deleted or changed must not be named by a child any more.
-- Arguments: child table, child columns, parent columns (same order), constraint name,
-- 'cascade' to delete the children of deleted parents (else refuse), 'table' to lock the child table
-- first (for children that do not lock their parents).
CREATE FUNCTION lokus_guard_parent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    child text := TG_ARGV[0];
    child_cols text[] := string_to_array(TG_ARGV[1], ',');
    parent_cols text[] := string_to_array(TG_ARGV[2], ',');
    constraint_name text := TG_ARGV[3];
    p_list text;
    c_list text;
    same text;
    vanished text;
    any_vanished boolean;
    orphan text;
BEGIN
    SELECT string_agg(quote_ident(c), ', ') INTO p_list FROM unnest(parent_cols) c;
    SELECT string_agg('c.' || quote_ident(c), ', ') INTO c_list FROM unnest(child_cols) c;
    SELECT string_agg(format('p.%I = c.%I', p, c), ' AND ') INTO same FROM unnest(parent_cols, child_cols) u(p, c);
    IF TG_OP = 'DELETE' THEN
        vanished := format('SELECT %s FROM old_rows', p_list);
    ELSE
        vanished := format('SELECT %1$s FROM old_rows EXCEPT SELECT %1$s FROM new_rows', p_list);
    END IF;
    EXECUTE format('SELECT EXISTS (%s)', vanished) INTO any_vanished;
    IF NOT any_vanished THEN
        RETURN NULL;
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'removing a key of "%" that "%" may name needs READ COMMITTED isolation', TG_TABLE_NAME, child
            USING ERRCODE = 'feature_not_supported';
    END IF;
    IF TG_ARGV[5] = 'table' THEN
        EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', child);
    END IF;
    IF TG_OP = 'DELETE' AND TG_ARGV[4] = 'cascade' THEN
        EXECUTE format('DELETE FROM %I c WHERE (%s) IN (%s)', child, c_list, vanished);
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT (%1$s)::text FROM %2$I c WHERE (%1$s) IN (%3$s) AND NOT EXISTS (SELECT 1 FROM %4$I p WHERE %5$s) LIMIT 1',
                   c_list, child, vanished, TG_TABLE_NAME, same) INTO orphan;
    IF orphan IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('update or delete on table "%s" violates foreign key constraint "%s" on table "%s"',
                             TG_TABLE_NAME, constraint_name, child),
            DETAIL = format('Key (%s)=%s is still referenced from table "%s".', TG_ARGV[2], orphan, child),
            TABLE = TG_TABLE_NAME,
            CONSTRAINT = constraint_name;
    END IF;
    RETURN NULL;
END $$;

-- TRUNCATE fires no row triggers: refuse it while the child has rows, as PostgreSQL refuses to truncate
-- a table a foreign key references.
CREATE FUNCTION lokus_guard_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    busy boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_ARGV[0]) INTO busy;
    IF busy THEN
        RAISE EXCEPTION 'cannot truncate "%": "%" names its rows', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'feature_not_supported';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER budget_line_opd_delete AFTER DELETE ON opd REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,opd_id', 'kode_kabkota,id', 'budget_line_opd', 'restrict', 'row');
CREATE TRIGGER budget_line_opd_update AFTER UPDATE ON opd REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,opd_id', 'kode_kabkota,id', 'budget_line_opd', 'restrict', 'row');
CREATE TRIGGER budget_line_opd_truncate BEFORE TRUNCATE ON opd
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('budget_line');

CREATE TRIGGER budget_line_batch_delete AFTER DELETE ON import_batch REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,batch_id', 'kode_kabkota,id', 'budget_line_batch', 'restrict', 'row');
CREATE TRIGGER budget_line_batch_update AFTER UPDATE ON import_batch REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,batch_id', 'kode_kabkota,id', 'budget_line_batch', 'restrict', 'row');
CREATE TRIGGER budget_line_removed_in_batch_delete AFTER DELETE ON import_batch REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,removed_in_batch', 'kode_kabkota,id', 'budget_line_removed_in_batch', 'restrict', 'row');
CREATE TRIGGER budget_line_removed_in_batch_update AFTER UPDATE ON import_batch REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,removed_in_batch', 'kode_kabkota,id', 'budget_line_removed_in_batch', 'restrict', 'row');
CREATE TRIGGER budget_line_batch_truncate BEFORE TRUNCATE ON import_batch
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('budget_line');

CREATE TRIGGER budget_line_tahun_delete AFTER DELETE ON tahun_anggaran REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,tahun', 'kode_kabkota,tahun', 'budget_line_tahun', 'restrict', 'row');
CREATE TRIGGER budget_line_tahun_update AFTER UPDATE ON tahun_anggaran REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'kode_kabkota,tahun', 'kode_kabkota,tahun', 'budget_line_tahun', 'restrict', 'row');
CREATE TRIGGER budget_line_tahun_truncate BEFORE TRUNCATE ON tahun_anggaran
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('budget_line');

CREATE TRIGGER budget_line_tahapan_delete AFTER DELETE ON tahapan_anggaran REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'tahapan', 'kode', 'budget_line_tahapan', 'restrict', 'row');
CREATE TRIGGER budget_line_tahapan_update AFTER UPDATE ON tahapan_anggaran REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'tahapan', 'kode', 'budget_line_tahapan', 'restrict', 'row');
CREATE TRIGGER budget_line_tahapan_truncate BEFORE TRUNCATE ON tahapan_anggaran
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('budget_line');

-- (an intervention's move to another district is guarded by intervensi_district, from the previous migration)
CREATE TRIGGER budget_line_intervensi_delete AFTER DELETE ON intervensi REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'intervensi_id', 'id', 'budget_line_intervensi', 'restrict', 'row');
CREATE TRIGGER budget_line_intervensi_update AFTER UPDATE ON intervensi REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line', 'intervensi_id', 'id', 'budget_line_intervensi', 'restrict', 'row');
CREATE TRIGGER budget_line_intervensi_truncate BEFORE TRUNCATE ON intervensi
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('budget_line');

CREATE TRIGGER budget_line_desa_kode_desa_delete AFTER DELETE ON wilayah REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line_desa', 'kode_desa', 'kode', 'budget_line_desa_kode_desa', 'restrict', 'row');
CREATE TRIGGER budget_line_desa_kode_desa_update AFTER UPDATE ON wilayah REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line_desa', 'kode_desa', 'kode', 'budget_line_desa_kode_desa', 'restrict', 'row');
CREATE TRIGGER budget_line_desa_kode_desa_truncate BEFORE TRUNCATE ON wilayah
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('budget_line_desa');

CREATE TRIGGER budget_line_desa_line_delete AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line_desa', 'kode_kabkota,line_id', 'kode_kabkota,id', 'budget_line_desa_line', 'cascade', 'table');
CREATE TRIGGER budget_line_desa_line_update AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_parent('budget_line_desa', 'kode_kabkota,line_id', 'kode_kabkota,id', 'budget_line_desa_line', 'restrict', 'table');
CREATE TRIGGER budget_line_desa_line_truncate BEFORE TRUNCATE ON budget_line
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_guard_truncate('budget_line_desa');
