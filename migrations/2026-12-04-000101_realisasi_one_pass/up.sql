-- What an import of 240,000 line-months costs the database beyond writing its rows (issue 8's
-- benchmark): the summary's three realisation pre-aggregates each grouped the statement's rows on
-- their own (and summary_line read realisasi back), and the reference check scanned the rows once
-- per parent. Here:
--
-- * One statement keeps summary_realisasi, summary_desa_realisasi and summary_line exact for a
--   statement on realisasi: the statement's rows are joined to their lines once (summary_line holds
--   every current line with its dimensions, pagu and target, so budget_line is not read), and the
--   three tables are fed from that in one pass each. summary_line is brought up to date from the
--   rows themselves (a month written takes its new figures, a month removed is emptied, the others
--   keep theirs: (line_id, bulan) is realisasi's key, so a statement holds at most one old and one
--   new row of a month) instead of summing realisasi again.
-- * A line serving one desa gives that desa its figures as they are (lokus_share(x, 1, 0) = x for
--   amounts in sen), so only lines split between desa compute shares.
-- * The attention flags are computed from running sums (12 additions per figure, not 78), by one
--   builder that every statement writing summary_line uses.
-- * summary_line keeps half of each page free, so the update of a line's months stays on its page
--   (a HOT update: no index entry is written).
-- * The reference check looks at the statement's distinct lines, users and batches (a handful of
--   rows per line), gathered in one pass.
-- * An import's file (xlsx is already compressed) is stored without being compressed again.
--
-- The grain, the sentinels, the desa split and the flags' meaning are those of 2026-12-02-000301
-- and 2026-12-03-000301; lokus_summary_rebuild() computes the same tables from scratch, and the
-- summary tests compare the two.

-- Wraps `source_sql` (with the columns `columns`, among them pagu, target_output and the month
-- arrays keuangan and fisik) in a query that adds its attention flags terlambat_bulan and
-- lebih_bulan (as in 2026-12-03-000301: bit m-1 is month m). The running sums are carried from
-- month to month in nested levels (OFFSET 0 keeps the planner from folding them back into one
-- expression of 78 additions).
CREATE FUNCTION lokus_summary_line_flagged(source_sql text, columns text)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    months text := '';
    q text;
    terlambat text := '';
    lebih text := '';
BEGIN
    FOR m IN 1..12 LOOP
        months := months || format(', s.keuangan[%1$s] AS k%1$s, coalesce(s.fisik[%1$s], 0) AS f%1$s', m);
    END LOOP;
    q := format('SELECT s.*, s.k1 AS ck1, s.f1 AS cf1 FROM (SELECT s.* %s FROM (%s) s OFFSET 0) s OFFSET 0', months, source_sql);
    FOR m IN 2..12 LOOP
        q := format('SELECT s.*, s.ck%1$s + s.k%2$s AS ck%2$s, s.cf%1$s + s.f%2$s AS cf%2$s FROM (%3$s) s OFFSET 0', m - 1, m, q);
    END LOOP;
    FOR m IN 1..12 LOOP
        terlambat := terlambat || CASE WHEN m > 1 THEN ' | ' ELSE '' END
                     || format('CASE WHEN s.pagu * %1$s * 50 / 1200 > s.ck%1$s THEN %2$s ELSE 0 END', m, 1 << (m - 1));
        lebih := lebih || CASE WHEN m > 1 THEN ' | ' ELSE '' END
                 || format('CASE WHEN s.ck%1$s > s.pagu OR (s.target_output > 0 AND s.cf%1$s > s.target_output) THEN %2$s ELSE 0 END',
                           m, 1 << (m - 1));
    END LOOP;
    RETURN format('SELECT %s, %s AS terlambat_bulan, %s AS lebih_bulan FROM (%s) s',
                  (SELECT string_agg('s.' || trim(c), ', ') FROM unnest(string_to_array(columns, ',')) c),
                  terlambat, lebih, q);
END $$;

-- The statements of 2026-12-03-000301 that bring summary_line up to date for lines written, now
-- with the one flag builder above (same arguments, same result).
CREATE OR REPLACE FUNCTION lokus_summary_line_sql(touched_sql text, lines_sql text, with_months boolean)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    columns constant text := 'kode_kabkota, line_id, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, pagu, target_output, keuangan, fisik';
    keuangan text := '';
    fisik text := '';
    remove text;
BEGIN
    FOR m IN 1..12 LOOP
        keuangan := keuangan || CASE WHEN m > 1 THEN ', ' ELSE '' END
                    || format('coalesce(sum(r.keuangan) FILTER (WHERE r.bulan = %s), 0)', m);
        fisik := fisik || CASE WHEN m > 1 THEN ', ' ELSE '' END
                 || format('sum(r.fisik) FILTER (WHERE r.bulan = %s)', m);
    END LOOP;
    remove := format('DELETE FROM summary_line s USING (SELECT DISTINCT kode_kabkota, line_id FROM (%s) x) t WHERE s.kode_kabkota = t.kode_kabkota AND s.line_id = t.line_id',
                     touched_sql);
    IF lines_sql IS NULL THEN
        RETURN ARRAY[remove];
    END IF;
    RETURN ARRAY[remove, format($q$
        INSERT INTO summary_line (%1$s, terlambat_bulan, lebih_bulan)
        SELECT * FROM (%2$s) f ORDER BY kode_kabkota, line_id$q$, columns, lokus_summary_line_flagged(format($q$
            SELECT b.kode_kabkota, b.id AS line_id, b.tahun, b.tahapan, b.opd_id, coalesce(b.intervensi_id, 0) AS intervensi_id,
                   coalesce(b.jenis, '') AS jenis, coalesce(b.sumber_dana, '') AS sumber_dana, b.pagu, b.target_output,
                   coalesce(m.keuangan, array_fill(0::numeric, ARRAY[12])) AS keuangan,
                   coalesce(m.fisik, array_fill(NULL::numeric, ARRAY[12])) AS fisik
              FROM (%4$s) b
              LEFT JOIN (SELECT r.kode_kabkota, r.line_id, ARRAY[%2$s] AS keuangan, ARRAY[%3$s]::numeric[] AS fisik
                           FROM realisasi r
                          WHERE %5$s AND (r.kode_kabkota, r.line_id) IN (SELECT kode_kabkota, line_id FROM (%1$s) y)
                          GROUP BY r.kode_kabkota, r.line_id) m ON m.kode_kabkota = b.kode_kabkota AND m.line_id = b.id
             WHERE b.removed_in_batch IS NULL$q$, touched_sql, keuangan, fisik, lines_sql,
             CASE WHEN with_months THEN 'true' ELSE 'false' END), columns))];
END $$;

-- The statements that keep the three realisation pre-aggregates exact for a statement on
-- realisasi whose rows `rows_sql` yields (sign, kode_kabkota, line_id, bulan, keuangan, fisik):
-- +1 for a row written, -1 for a row removed. `removes`: the statement removed rows, so grouped
-- rows may have reached zero entries. Deltas are grouped and sorted by key, so two writers
-- touching the same rows take their locks in the same order.
CREATE FUNCTION lokus_summary_realisasi_sql(rows_sql text, removes boolean)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    dims constant text := 'kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana';
    keuangan text := '';
    fisik text := '';
    picked text := '';
    q text[];
BEGIN
    FOR m IN 1..12 LOOP
        picked := picked || format(', max(keuangan) FILTER (WHERE sign > 0 AND bulan = %1$s) AS k%1$s, max(fisik) FILTER (WHERE sign > 0 AND bulan = %1$s) AS f%1$s', m);
        keuangan := keuangan || CASE WHEN m > 1 THEN ', ' ELSE '' END
                    || format('CASE WHEN m.written & %1$s <> 0 THEN m.k%2$s WHEN m.removed & %1$s <> 0 THEN 0 ELSE s.keuangan[%2$s] END', 1 << (m - 1), m);
        fisik := fisik || CASE WHEN m > 1 THEN ', ' ELSE '' END
                 || format('CASE WHEN m.written & %1$s <> 0 THEN m.f%2$s WHEN m.removed & %1$s <> 0 THEN NULL ELSE s.fisik[%2$s] END', 1 << (m - 1), m);
    END LOOP;
    q := ARRAY[format($q$
        WITH r AS MATERIALIZED (
            SELECT s.kode_kabkota, s.line_id, s.tahun, s.tahapan, s.opd_id, s.intervensi_id, s.jenis, s.sumber_dana,
                   s.pagu, s.target_output, t.sign, t.bulan, t.keuangan, t.fisik,
                   lokus_fisik_bobot(s.pagu, s.target_output, t.fisik) AS bobot
              FROM (%2$s) t JOIN summary_line s ON s.kode_kabkota = t.kode_kabkota AND s.line_id = t.line_id),
        grouped AS (
            INSERT INTO summary_realisasi AS s (%1$s, bulan, keuangan, fisik_bobot, entries)
            SELECT * FROM (SELECT %1$s, bulan, sum(sign * keuangan), sum(sign * bobot), sum(sign)
                             FROM r GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) g
             ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (%1$s, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries),
        m AS (
            SELECT kode_kabkota, line_id, coalesce(bit_or(1 << (bulan - 1)) FILTER (WHERE sign > 0), 0) AS written,
                   coalesce(bit_or(1 << (bulan - 1)) FILTER (WHERE sign < 0), 0) AS removed %3$s
              FROM r GROUP BY kode_kabkota, line_id),
        l AS (
            SELECT d.line_id, d.kode_desa, count(*) OVER (PARTITION BY d.line_id) AS n,
                   row_number() OVER (PARTITION BY d.line_id ORDER BY d.kode_desa) - 1 AS i
              FROM budget_line_desa d WHERE d.line_id IN (SELECT line_id FROM m)),
        desa AS (
            INSERT INTO summary_desa_realisasi AS s (%1$s, kode_desa, bulan, keuangan, fisik_bobot, entries)
            SELECT * FROM (
                SELECT r.kode_kabkota, r.tahun, r.tahapan, r.opd_id, r.intervensi_id, r.jenis, r.sumber_dana, l.kode_desa, r.bulan,
                       sum(r.sign * CASE WHEN l.n = 1 THEN r.keuangan ELSE lokus_share(r.keuangan, l.n, l.i) END),
                       sum(r.sign * CASE WHEN l.n = 1 THEN r.bobot
                                         ELSE lokus_fisik_bobot(lokus_share(r.pagu, l.n, l.i), r.target_output, r.fisik) END),
                       sum(r.sign)
                  FROM r JOIN l ON l.line_id = r.line_id
                 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) g
             ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            ON CONFLICT (%1$s, kode_desa, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries),
        c AS MATERIALIZED (
            SELECT s.kode_kabkota, s.line_id, s.pagu, s.target_output, ARRAY[%4$s] AS keuangan, ARRAY[%5$s]::numeric[] AS fisik
              FROM m JOIN summary_line s ON s.kode_kabkota = m.kode_kabkota AND s.line_id = m.line_id)
        UPDATE summary_line s SET keuangan = f.keuangan, fisik = f.fisik, terlambat_bulan = f.terlambat_bulan,
               lebih_bulan = f.lebih_bulan
          FROM (%6$s) f
         WHERE s.kode_kabkota = f.kode_kabkota AND s.line_id = f.line_id$q$,
        dims, rows_sql, picked, keuangan, fisik,
        lokus_summary_line_flagged('SELECT * FROM c', 'kode_kabkota, line_id, keuangan, fisik'))];
    IF removes THEN
        q := q || ARRAY['DELETE FROM summary_realisasi WHERE entries = 0', 'DELETE FROM summary_desa_realisasi WHERE entries = 0'];
    END IF;
    RETURN q;
END $$;

-- A large statement's summary work is planned with hash joins and JIT compilation off (both in
-- lokus_summary_plan, transaction-local). Before: LLVM spent 2.1 s compiling the statement below
-- (95 functions) for an import of 240,000 line-months, whose execution then took 0.8 s; the
-- planner, knowing nothing of a transition table's size, took it for millions of rows, which is
-- exactly when JIT pays.
CREATE OR REPLACE FUNCTION lokus_summary_plan(row_count bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    kept text := current_setting('enable_nestloop');
BEGIN
    IF row_count > 1000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
        PERFORM set_config('jit', 'off', true);
        IF pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('128MB') THEN
            PERFORM set_config('work_mem', '128MB', true);
        END IF;
    END IF;
    RETURN kept;
END $$;

CREATE FUNCTION lokus_summary_realisasi() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cols constant text := 'kode_kabkota, line_id, bulan, keuangan, fisik';
    statement text;
    row_count bigint;
    kept text;
    kept_sort text := current_setting('enable_sort');
    kept_hash text := current_setting('hash_mem_multiplier');
BEGIN
    EXECUTE format('SELECT count(*) FROM %s', CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END) INTO row_count;
    kept := lokus_summary_plan(row_count);
    -- The same size mistake makes it group the desa shares by sorting all the rows (1.2 s) rather
    -- than hashing them into the few groups they form (0.4 s): it takes the groups for millions and
    -- a hash table of them for larger than its memory, so it does not even consider one. It may
    -- hash up to 8 x work_mem (1 GB at the 128 MB above; the groups are district x year x stage x
    -- OPD x intervention x jenis x sumber dana x desa x month, a few hundred thousand at most), and
    -- sorts it cannot do without remain.
    IF row_count > 1000 THEN
        PERFORM set_config('enable_sort', 'off', true);
        PERFORM set_config('hash_mem_multiplier', '8', true);
    END IF;
    FOREACH statement IN ARRAY lokus_summary_realisasi_sql(
        CASE TG_OP
            WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', cols)
            WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', cols)
            ELSE format('SELECT -1 AS sign, %1$s FROM old_rows UNION ALL SELECT 1 AS sign, %1$s FROM new_rows', cols)
        END, TG_OP <> 'INSERT') LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM set_config('enable_nestloop', kept, true);
    PERFORM set_config('enable_sort', kept_sort, true);
    PERFORM set_config('hash_mem_multiplier', kept_hash, true);
    RETURN NULL;
END $$;

DROP TRIGGER realisasi_aggregate_insert ON realisasi;
DROP TRIGGER realisasi_aggregate_update ON realisasi;
DROP TRIGGER realisasi_aggregate_delete ON realisasi;
DROP TRIGGER realisasi_summary_line_insert ON realisasi;
DROP TRIGGER realisasi_summary_line_update ON realisasi;
DROP TRIGGER realisasi_summary_line_delete ON realisasi;
DROP FUNCTION lokus_summary_months();
-- (named after realisasi_references_*, so they fire after the reference check, as before)
CREATE TRIGGER realisasi_summary_insert AFTER INSERT ON realisasi REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_realisasi();
CREATE TRIGGER realisasi_summary_update AFTER UPDATE ON realisasi REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_realisasi();
CREATE TRIGGER realisasi_summary_delete AFTER DELETE ON realisasi REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_realisasi();

-- The reference check of 2026-12-01-000020, over the statement's distinct (line, user, batch)
-- rows gathered in one pass instead of a scan of all its rows per parent.
CREATE OR REPLACE FUNCTION lokus_check_realisasi() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    districts text[];
    lines bigint[];
    users integer[];
    batches bigint[];
    wanted bigint := 0;
    locked bigint := 0;
    missing text;
BEGIN
    SELECT array_agg(kode_kabkota), array_agg(line_id), array_agg(user_id), array_agg(batch_id)
      INTO districts, lines, users, batches
      FROM (SELECT DISTINCT kode_kabkota, line_id, user_id, batch_id FROM new_rows) d;
    IF districts IS NULL THEN
        RETURN NULL;
    END IF;

    -- the line, in the row's district
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        -- a snapshot older than the statement could miss a line's concurrent delete: lock the lines
        SELECT count(DISTINCT (n.k, n.l)) INTO wanted FROM unnest(districts, lines) n(k, l);
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM budget_line b WHERE (b.kode_kabkota, b.id) IN (SELECT * FROM unnest(districts, lines))
            FOR KEY SHARE) l;
    END IF;
    SELECT format('(%s, %s)', n.k, n.l) INTO missing FROM unnest(districts, lines) n(k, l)
     WHERE NOT EXISTS (SELECT 1 FROM budget_line b WHERE b.id = n.l AND b.kode_kabkota = n.k)
     LIMIT 1;
    IF missing IS NOT NULL OR locked < wanted THEN
        PERFORM lokus_missing_parent('realisasi', 'realisasi_line', '(kode_kabkota, line_id)', missing, 'budget_line');
    END IF;

    -- who entered it, in the same district
    SELECT count(*) INTO wanted FROM (
        SELECT DISTINCT k, u FROM unnest(districts, users) n(k, u) WHERE u IS NOT NULL) w;
    IF wanted > 0 THEN
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM users p WHERE (p.kode_kabkota, p.id) IN (SELECT * FROM unnest(districts, users))
            FOR KEY SHARE) l;
        IF locked < wanted THEN
            SELECT format('(%s, %s)', n.k, n.u) INTO missing FROM unnest(districts, users) n(k, u)
             WHERE n.u IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM users p WHERE (p.kode_kabkota, p.id) = (n.k, n.u))
             LIMIT 1;
            PERFORM lokus_missing_parent('realisasi', 'realisasi_user', '(kode_kabkota, user_id)', missing, 'users');
        END IF;
    END IF;

    -- the import it came with, in the same district
    SELECT count(*) INTO wanted FROM (
        SELECT DISTINCT k, b FROM unnest(districts, batches) n(k, b) WHERE b IS NOT NULL) w;
    IF wanted > 0 THEN
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) IN (SELECT * FROM unnest(districts, batches))
            FOR KEY SHARE) l;
        IF locked < wanted THEN
            SELECT format('(%s, %s)', n.k, n.b) INTO missing FROM unnest(districts, batches) n(k, b)
             WHERE n.b IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM import_batch p WHERE (p.kode_kabkota, p.id) = (n.k, n.b))
             LIMIT 1;
            PERFORM lokus_missing_parent('realisasi', 'realisasi_batch', '(kode_kabkota, batch_id)', missing, 'import_batch');
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- Half of each page free for the month updates above; CLUSTER rewrites the table so the rows
-- already there get it too.
ALTER TABLE summary_line SET (fillfactor = 50);
CLUSTER summary_line USING summary_line_pkey;

ALTER TABLE import_batch ALTER COLUMN file SET STORAGE EXTERNAL;
