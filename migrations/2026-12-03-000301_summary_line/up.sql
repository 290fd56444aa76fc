-- A large statement's summary work sorts and hashes hundreds of thousands of rows: with the default
-- work_mem (4 MB) those spill to disk and take several times as long (measured: an import's 240,000
-- line-months, 8.8 s for the desa months alone). lokus_summary_plan now also raises work_mem to
-- 128 MB for such a statement, transaction-locally (it stays raised for the rest of that
-- transaction: an import's, bounded by max_concurrent_imports).
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

-- One row per current budget line with its 12 months of realisation, kept exact by statement-level
-- triggers on budget_line and realisasi like the other summary tables (2026-12-02-000301_summary).
-- It serves what the grouped tables cannot: the attention points that judge each line (far behind
-- the linear plan, over 100 %) and the workbook's detail sheet, both of which read a district-year's
-- lines with their months on every request; here that is one indexed scan of one row per line.
-- The filter's dimensions are copied from the line (with the grouped tables' sentinels for "none"),
-- and kode_kabkota leads the key, so the table distributes with the lines under Citus.
CREATE TABLE summary_line (
    kode_kabkota VARCHAR(5) NOT NULL,
    line_id BIGINT NOT NULL,
    tahun SMALLINT NOT NULL,
    tahapan TEXT NOT NULL,
    opd_id INTEGER NOT NULL,
    intervensi_id INTEGER NOT NULL,
    jenis TEXT NOT NULL,
    sumber_dana TEXT NOT NULL,
    pagu NUMERIC NOT NULL,
    target_output NUMERIC,
    -- keuangan of months 1..12, 0 where nothing was entered
    keuangan NUMERIC[] NOT NULL CHECK (cardinality(keuangan) = 12),
    -- capaian fisik of months 1..12, NULL where none was reported
    fisik NUMERIC[] NOT NULL CHECK (cardinality(fisik) = 12),
    -- The attention points, judged by each month m, as bit m-1 (so a request's test is one AND):
    -- far behind the linear plan, i.e. keuangan of months 1..m below half of pagu x m / 12
    -- (db::summary::BEHIND_SHARE_PERCENT); over 100 %, i.e. keuangan of months 1..m above pagu, or
    -- fisik of months 1..m above a target there is.
    terlambat_bulan INTEGER NOT NULL,
    lebih_bulan INTEGER NOT NULL,
    PRIMARY KEY (kode_kabkota, line_id)
);
CREATE INDEX summary_line_year ON summary_line (kode_kabkota, tahun, opd_id);

-- The statements that bring summary_line up to date for the lines `touched_sql` yields
-- (kode_kabkota, line_id): their rows go, and come back from `lines_sql`, those lines as they are now
-- (budget_line's columns; NULL when none remain), current ones only, with their months summed from
-- realisasi in one pass unless `with_months` is false (lines just inserted have none, and need not
-- scan realisasi). A trigger on budget_line passes its own new rows, so it never reads budget_line.
-- Returned as text because a trigger's transition tables are visible only to its own function.
CREATE FUNCTION lokus_summary_line_sql(touched_sql text, lines_sql text, with_months boolean)
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

-- Lines written (inserted, updated, removed, deleted) or their realisation months written: those
-- lines again. Large statements plan with hash joins, as the other summary triggers do.
CREATE FUNCTION lokus_summary_line_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    id_column constant text := CASE TG_TABLE_NAME WHEN 'budget_line' THEN 'id' ELSE 'line_id' END;
    touched text;
    lines text;
    with_months boolean;
    statement text;
    row_count bigint;
    kept text;
BEGIN
    touched := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT kode_kabkota, %s AS line_id FROM new_rows', id_column)
        WHEN 'DELETE' THEN format('SELECT kode_kabkota, %s AS line_id FROM old_rows', id_column)
        ELSE format('SELECT kode_kabkota, %1$s AS line_id FROM old_rows UNION SELECT kode_kabkota, %1$s AS line_id FROM new_rows',
                    id_column)
    END;
    IF TG_TABLE_NAME = 'budget_line' THEN
        -- the lines are the statement's own rows (a line's key never changes: see the set-wise checks)
        lines := CASE TG_OP WHEN 'DELETE' THEN NULL ELSE 'SELECT * FROM new_rows' END;
        with_months := TG_OP = 'UPDATE';
    ELSE
        lines := format('SELECT b.* FROM budget_line b WHERE (b.kode_kabkota, b.id) IN (SELECT kode_kabkota, line_id FROM (%s) x)',
                        touched);
        with_months := true;
    END IF;
    EXECUTE format('SELECT count(*) FROM %s', CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END) INTO row_count;
    kept := lokus_summary_plan(row_count);
    FOREACH statement IN ARRAY lokus_summary_line_sql(touched, lines, with_months) LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM set_config('enable_nestloop', kept, true);
    RETURN NULL;
END $$;

CREATE TRIGGER budget_line_summary_line_insert AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE TRIGGER budget_line_summary_line_update AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE TRIGGER budget_line_summary_line_delete AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE TRIGGER realisasi_summary_line_insert AFTER INSERT ON realisasi REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE TRIGGER realisasi_summary_line_update AFTER UPDATE ON realisasi REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();
CREATE TRIGGER realisasi_summary_line_delete AFTER DELETE ON realisasi REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_touch();

-- Every line again from scratch: the backfill below, TRUNCATE (which fires none of the above), and
-- lokus_summary_rebuild().
CREATE FUNCTION lokus_summary_line_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    statement text;
    kept text := lokus_summary_plan(1000000);
BEGIN
    -- (the first statement deletes the rows of lines that exist; TRUNCATE may have left others)
    DELETE FROM summary_line;
    FOREACH statement IN ARRAY lokus_summary_line_sql('SELECT kode_kabkota, id AS line_id FROM budget_line',
                                                      'SELECT * FROM budget_line', true) LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM set_config('enable_nestloop', kept, true);
END $$;

CREATE FUNCTION lokus_summary_line_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM lokus_summary_line_rebuild();
    RETURN NULL;
END $$;
CREATE TRIGGER budget_line_summary_line_truncate AFTER TRUNCATE ON budget_line
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_truncate();
CREATE TRIGGER realisasi_summary_line_truncate AFTER TRUNCATE ON realisasi
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_line_truncate();

-- lokus_summary_rebuild() now rebuilds summary_line too (the body of 2026-12-02-000301 plus one call).
CREATE OR REPLACE FUNCTION lokus_summary_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    statement text;
    kept text := lokus_summary_plan(1000000);
BEGIN
    DELETE FROM summary_pagu;
    DELETE FROM summary_realisasi;
    DELETE FROM summary_desa_pagu;
    DELETE FROM summary_desa_realisasi;
    FOREACH statement IN ARRAY lokus_summary_sql('SELECT 1 AS sign, * FROM budget_line',
                                'SELECT 1 AS sign, line_id, kode_desa FROM budget_line_desa',
                                NULL, 'SELECT 1 AS sign, * FROM budget_line') LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM set_config('enable_nestloop', kept, true);
    PERFORM lokus_summary_line_rebuild();
END $$;

SELECT lokus_summary_line_rebuild();
