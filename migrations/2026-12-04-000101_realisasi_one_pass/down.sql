ALTER TABLE import_batch ALTER COLUMN file SET STORAGE EXTENDED;
ALTER TABLE summary_line RESET (fillfactor);
ALTER TABLE summary_line SET WITHOUT CLUSTER;
DROP TRIGGER realisasi_summary_delete ON realisasi;
DROP TRIGGER realisasi_summary_update ON realisasi;
DROP TRIGGER realisasi_summary_insert ON realisasi;
DROP FUNCTION lokus_summary_realisasi();
DROP FUNCTION lokus_summary_realisasi_sql(text, boolean);
-- the realisation triggers of 2026-12-02-000301 and 2026-12-03-000301 again
CREATE FUNCTION lokus_summary_months() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cols constant text := 'kode_kabkota, line_id, bulan, keuangan, fisik';
    statement text;
    row_count bigint;
    kept text;
BEGIN
    EXECUTE format('SELECT count(*) FROM %s', CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END) INTO row_count;
    kept := lokus_summary_plan(row_count);
    FOREACH statement IN ARRAY lokus_summary_sql(NULL, NULL,
        CASE TG_OP
            WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', cols)
            WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', cols)
            ELSE format('SELECT -1 AS sign, %1$s FROM old_rows UNION ALL SELECT 1 AS sign, %1$s FROM new_rows', cols)
        END, NULL) LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM set_config('enable_nestloop', kept, true);
    RETURN NULL;
END $$;
CREATE TRIGGER realisasi_aggregate_insert AFTER INSERT ON realisasi REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_months();
CREATE TRIGGER realisasi_aggregate_update AFTER UPDATE ON realisasi REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_months();
CREATE TRIGGER realisasi_aggregate_delete AFTER DELETE ON realisasi REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_months();
CREATE TRIGGER realisasi_summary_line_insert AFTER INSERT ON realisasi REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE TRIGGER realisasi_summary_line_update AFTER UPDATE ON realisasi REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE TRIGGER realisasi_summary_line_delete AFTER DELETE ON realisasi REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE OR REPLACE FUNCTION lokus_summary_plan(row_count bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    kept text := current_setting('enable_nestloop');
BEGIN
    IF row_count > 1000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
        IF pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('128MB') THEN
            PERFORM set_config('work_mem', '128MB', true);
        END IF;
    END IF;
    RETURN kept;
END $$;

-- the bodies of 2026-12-01-000020 and 2026-12-03-000301 again
CREATE OR REPLACE FUNCTION lokus_check_realisasi() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION lokus_summary_line_sql(touched_sql text, lines_sql text, with_months boolean)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    keuangan text := '';
    fisik text := '';
    keuangan_sum text := '';
    fisik_sum text := '';
    terlambat text := '';
    lebih text := '';
BEGIN
    FOR m IN 1..12 LOOP
        keuangan_sum := keuangan_sum || CASE WHEN m > 1 THEN ' + ' ELSE '' END || format('c.keuangan[%s]', m);
        fisik_sum := fisik_sum || CASE WHEN m > 1 THEN ' + ' ELSE '' END || format('coalesce(c.fisik[%s], 0)', m);
        terlambat := terlambat || CASE WHEN m > 1 THEN ' | ' ELSE '' END
                     || format('CASE WHEN c.pagu * %s * 50 / 1200 > %s THEN %s ELSE 0 END', m, keuangan_sum, 1 << (m - 1));
        lebih := lebih || CASE WHEN m > 1 THEN ' | ' ELSE '' END
                 || format('CASE WHEN %s > c.pagu OR (c.target_output > 0 AND %s > c.target_output) THEN %s ELSE 0 END',
                           keuangan_sum, fisik_sum, 1 << (m - 1));
        keuangan := keuangan || CASE WHEN m > 1 THEN ', ' ELSE '' END
                    || format('coalesce(sum(r.keuangan) FILTER (WHERE r.bulan = %s), 0)', m);
        fisik := fisik || CASE WHEN m > 1 THEN ', ' ELSE '' END
                 || format('sum(r.fisik) FILTER (WHERE r.bulan = %s)', m);
    END LOOP;
    IF lines_sql IS NULL THEN
        RETURN ARRAY[format('DELETE FROM summary_line s USING (SELECT DISTINCT kode_kabkota, line_id FROM (%s) x) t WHERE s.kode_kabkota = t.kode_kabkota AND s.line_id = t.line_id',
                            touched_sql)];
    END IF;
    RETURN ARRAY[
        format('DELETE FROM summary_line s USING (SELECT DISTINCT kode_kabkota, line_id FROM (%s) x) t WHERE s.kode_kabkota = t.kode_kabkota AND s.line_id = t.line_id',
               touched_sql),
        format($q$
            INSERT INTO summary_line (kode_kabkota, line_id, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana,
                                      pagu, target_output, keuangan, fisik, terlambat_bulan, lebih_bulan)
            SELECT c.*, %4$s, %5$s
              FROM (
            SELECT b.kode_kabkota, b.id, b.tahun, b.tahapan, b.opd_id, coalesce(b.intervensi_id, 0), coalesce(b.jenis, ''),
                   coalesce(b.sumber_dana, ''), b.pagu, b.target_output,
                   coalesce(m.keuangan, array_fill(0::numeric, ARRAY[12])) AS keuangan,
                   coalesce(m.fisik, array_fill(NULL::numeric, ARRAY[12])) AS fisik
              FROM (%6$s) b
              LEFT JOIN (SELECT r.kode_kabkota, r.line_id, ARRAY[%2$s] AS keuangan, ARRAY[%3$s]::numeric[] AS fisik
                           FROM realisasi r
                          WHERE %7$s AND (r.kode_kabkota, r.line_id) IN (SELECT kode_kabkota, line_id FROM (%1$s) y)
                          GROUP BY r.kode_kabkota, r.line_id) m ON m.kode_kabkota = b.kode_kabkota AND m.line_id = b.id
             WHERE b.removed_in_batch IS NULL) c
             ORDER BY c.kode_kabkota, c.id$q$, touched_sql, keuangan, fisik, terlambat, lebih, lines_sql,
               CASE WHEN with_months THEN 'true' ELSE 'false' END)];
END $$;

DROP FUNCTION lokus_summary_line_flagged(text, text);
