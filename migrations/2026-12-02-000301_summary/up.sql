-- Pre-aggregated pagu and realisasi for the summary page (/ringkasan) and the realisation workbook,
-- kept exact by statement-level triggers on every table that changes them (budget_line, its desa
-- links, realisasi), so every path (an import's COPY, a re-import's bulk UPDATE, a tag, the
-- realisation form or import, plain SQL) keeps them right without service code.
--
-- Grain: district, year, stage, OPD, intervention, jenis, sumber dana (and the month for realisasi).
-- Only current lines count (removed_in_batch IS NULL). "No value" is stored as a sentinel (intervensi
-- 0, jenis '', sumber dana '') so the grain is a plain primary key that ON CONFLICT can use.
-- kode_kabkota leads every key, like the lines, so the tables distribute with them under Citus.
--
-- A line serving several desa is split between them: its pagu (and each month's keuangan), in sen,
-- is divided equally among the desa it links, the remainder sen going one each to the first desa by
-- code (lokus_share). So the desa shares of a line add up to the line exactly: summing over desa
-- never counts a rupiah twice, and pagu no desa receives is the lines with no desa link.
-- capaian fisik is weighted by pagu: fisik_bobot = pagu * fisik / target_output per line and month
-- (lines with a target only), so the capaian of a set of lines is sum(fisik_bobot) / sum(pagu_target).

CREATE TABLE summary_pagu (
    kode_kabkota VARCHAR(5) NOT NULL,
    tahun SMALLINT NOT NULL,
    tahapan TEXT NOT NULL,
    opd_id INTEGER NOT NULL,
    intervensi_id INTEGER NOT NULL,
    jenis TEXT NOT NULL,
    sumber_dana TEXT NOT NULL,
    pagu NUMERIC NOT NULL,
    -- the pagu of lines with a fisik target, the denominator of capaian fisik
    pagu_target NUMERIC NOT NULL,
    lines BIGINT NOT NULL,
    PRIMARY KEY (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana)
);

CREATE TABLE summary_realisasi (
    kode_kabkota VARCHAR(5) NOT NULL,
    tahun SMALLINT NOT NULL,
    tahapan TEXT NOT NULL,
    opd_id INTEGER NOT NULL,
    intervensi_id INTEGER NOT NULL,
    jenis TEXT NOT NULL,
    sumber_dana TEXT NOT NULL,
    bulan SMALLINT NOT NULL,
    keuangan NUMERIC NOT NULL,
    fisik_bobot NUMERIC NOT NULL,
    -- realisation rows summed here; the row goes when it reaches 0
    entries BIGINT NOT NULL,
    PRIMARY KEY (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, bulan)
);

CREATE TABLE summary_desa_pagu (
    kode_kabkota VARCHAR(5) NOT NULL,
    tahun SMALLINT NOT NULL,
    tahapan TEXT NOT NULL,
    opd_id INTEGER NOT NULL,
    intervensi_id INTEGER NOT NULL,
    jenis TEXT NOT NULL,
    sumber_dana TEXT NOT NULL,
    kode_desa VARCHAR(13) NOT NULL,
    pagu NUMERIC NOT NULL,
    pagu_target NUMERIC NOT NULL,
    -- lines reaching the desa (each counted once per desa)
    lines BIGINT NOT NULL,
    PRIMARY KEY (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, kode_desa)
);

CREATE TABLE summary_desa_realisasi (
    kode_kabkota VARCHAR(5) NOT NULL,
    tahun SMALLINT NOT NULL,
    tahapan TEXT NOT NULL,
    opd_id INTEGER NOT NULL,
    intervensi_id INTEGER NOT NULL,
    jenis TEXT NOT NULL,
    sumber_dana TEXT NOT NULL,
    kode_desa VARCHAR(13) NOT NULL,
    bulan SMALLINT NOT NULL,
    keuangan NUMERIC NOT NULL,
    fisik_bobot NUMERIC NOT NULL,
    entries BIGINT NOT NULL,
    PRIMARY KEY (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, kode_desa, bulan)
);

-- Desa i (0-based, in code order) of n's share of an amount in rupiah with sen: equal sen, the
-- remainder one sen each to the first desa. The shares of 0..n-1 add up to the amount exactly.
CREATE FUNCTION lokus_share(amount numeric, n bigint, i bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round((div(round(amount * 100), n) + CASE WHEN i < mod(round(amount * 100), n) THEN 1 ELSE 0 END) / 100.0, 2)
$$;

-- The weight of one month's fisik in capaian fisik: the line's pagu times the share of its target done.
CREATE FUNCTION lokus_fisik_bobot(pagu numeric, target numeric, fisik numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN target > 0 AND fisik IS NOT NULL THEN round(pagu * fisik / target, 6) ELSE 0 END
$$;

-- The statements that add signed contributions to the four tables (the trigger functions run them:
-- a statement's transition tables are visible only to its trigger function, not to one it calls). `lines_sql` yields (sign, budget_line columns) of the
-- lines whose contributions change, `links_sql` the desa links to spread them over (line_id, kode_desa)
-- and `months_sql` (sign, kode_kabkota, line_id, bulan, keuangan, fisik) realisation rows whose
-- contributions change for lines as they are now. Each may be NULL (nothing of that kind). Rows reaching
-- zero lines or entries are removed. Deltas are grouped and sorted by key, so two writers touching the
-- same rows take their locks in the same order.
CREATE FUNCTION lokus_summary_sql(lines_sql text, links_sql text, months_sql text, desa_lines_sql text)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    q text[] := '{}';
    dims constant text := 'kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana';
    line_dims constant text := 'c.kode_kabkota, c.tahun, c.tahapan, c.opd_id, coalesce(c.intervensi_id, 0), coalesce(c.jenis, ''''), coalesce(c.sumber_dana, '''')';
BEGIN
    IF lines_sql IS NOT NULL THEN
        q := q || format($q$
            INSERT INTO summary_pagu AS s (%1$s, pagu, pagu_target, lines)
            SELECT %2$s, sum(c.sign * c.pagu), sum(c.sign * CASE WHEN c.target_output > 0 THEN c.pagu ELSE 0 END), sum(c.sign)
              FROM (%3$s) c WHERE c.removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
            ON CONFLICT (%1$s) DO UPDATE SET pagu = s.pagu + excluded.pagu,
                pagu_target = s.pagu_target + excluded.pagu_target, lines = s.lines + excluded.lines$q$,
            dims, line_dims, lines_sql);
        q := q || format($q$
            INSERT INTO summary_realisasi AS s (%1$s, bulan, keuangan, fisik_bobot, entries)
            SELECT %2$s, r.bulan, sum(c.sign * r.keuangan), sum(c.sign * lokus_fisik_bobot(c.pagu, c.target_output, r.fisik)), sum(c.sign)
              FROM (%3$s) c JOIN realisasi r ON r.line_id = c.id AND r.kode_kabkota = c.kode_kabkota
             WHERE c.removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (%1$s, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries$q$,
            dims, line_dims, lines_sql);
    END IF;

    -- desa shares: `desa_lines_sql` (sign, budget_line columns) spread over `links_sql`
    IF desa_lines_sql IS NOT NULL THEN
        q := q || format($q$
            WITH c AS (%4$s),
            l AS (SELECT line_id, kode_desa, count(*) OVER (PARTITION BY sign, line_id) AS n,
                         row_number() OVER (PARTITION BY sign, line_id ORDER BY kode_desa) - 1 AS i, sign
                    FROM (%3$s) k)
            INSERT INTO summary_desa_pagu AS s (%1$s, kode_desa, pagu, pagu_target, lines)
            SELECT %2$s, l.kode_desa, sum(c.sign * lokus_share(c.pagu, l.n, l.i)),
                   sum(c.sign * CASE WHEN c.target_output > 0 THEN lokus_share(c.pagu, l.n, l.i) ELSE 0 END), sum(c.sign)
              FROM c JOIN l ON l.line_id = c.id AND l.sign = c.sign
             WHERE c.removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (%1$s, kode_desa) DO UPDATE SET pagu = s.pagu + excluded.pagu,
                pagu_target = s.pagu_target + excluded.pagu_target, lines = s.lines + excluded.lines$q$,
            dims, line_dims, links_sql, desa_lines_sql);
        q := q || format($q$
            WITH c AS (%4$s),
            l AS (SELECT line_id, kode_desa, count(*) OVER (PARTITION BY sign, line_id) AS n,
                         row_number() OVER (PARTITION BY sign, line_id ORDER BY kode_desa) - 1 AS i, sign
                    FROM (%3$s) k)
            INSERT INTO summary_desa_realisasi AS s (%1$s, kode_desa, bulan, keuangan, fisik_bobot, entries)
            SELECT %2$s, l.kode_desa, r.bulan, sum(c.sign * lokus_share(r.keuangan, l.n, l.i)),
                   sum(c.sign * lokus_fisik_bobot(lokus_share(c.pagu, l.n, l.i), c.target_output, r.fisik)), sum(c.sign)
              FROM c JOIN l ON l.line_id = c.id AND l.sign = c.sign
                     JOIN realisasi r ON r.line_id = c.id AND r.kode_kabkota = c.kode_kabkota
             WHERE c.removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            ON CONFLICT (%1$s, kode_desa, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries$q$,
            dims, line_dims, links_sql, desa_lines_sql);
    END IF;

    -- realisation rows changed, lines as they are now
    IF months_sql IS NOT NULL THEN
        q := q || format($q$
            INSERT INTO summary_realisasi AS s (%1$s, bulan, keuangan, fisik_bobot, entries)
            SELECT %2$s, r.bulan, sum(r.sign * r.keuangan), sum(r.sign * lokus_fisik_bobot(c.pagu, c.target_output, r.fisik)), sum(r.sign)
              FROM (%3$s) r JOIN budget_line c ON c.id = r.line_id AND c.kode_kabkota = r.kode_kabkota
             WHERE c.removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (%1$s, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries$q$,
            dims, line_dims, months_sql);
        q := q || format($q$
            WITH r AS (%3$s),
            l AS (SELECT line_id, kode_desa, count(*) OVER (PARTITION BY line_id) AS n,
                         row_number() OVER (PARTITION BY line_id ORDER BY kode_desa) - 1 AS i
                    FROM budget_line_desa WHERE line_id IN (SELECT line_id FROM r))
            INSERT INTO summary_desa_realisasi AS s (%1$s, kode_desa, bulan, keuangan, fisik_bobot, entries)
            SELECT %2$s, l.kode_desa, r.bulan, sum(r.sign * lokus_share(r.keuangan, l.n, l.i)),
                   sum(r.sign * lokus_fisik_bobot(lokus_share(c.pagu, l.n, l.i), c.target_output, r.fisik)), sum(r.sign)
              FROM r JOIN budget_line c ON c.id = r.line_id AND c.kode_kabkota = r.kode_kabkota
                     JOIN l ON l.line_id = r.line_id
             WHERE c.removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            ON CONFLICT (%1$s, kode_desa, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries$q$,
            dims, line_dims, months_sql);
    END IF;

    -- (each through its partial index of empty rows, not a scan)
    RETURN q || ARRAY['DELETE FROM summary_pagu WHERE lines = 0', 'DELETE FROM summary_realisasi WHERE entries = 0',
                      'DELETE FROM summary_desa_pagu WHERE lines = 0', 'DELETE FROM summary_desa_realisasi WHERE entries = 0'];
END $$;

CREATE INDEX summary_pagu_empty ON summary_pagu (kode_kabkota) WHERE lines = 0;
CREATE INDEX summary_realisasi_empty ON summary_realisasi (kode_kabkota) WHERE entries = 0;
CREATE INDEX summary_desa_pagu_empty ON summary_desa_pagu (kode_kabkota) WHERE lines = 0;
CREATE INDEX summary_desa_realisasi_empty ON summary_desa_realisasi (kode_kabkota) WHERE entries = 0;
-- the desa breakdown and the convergence matrix read a district-year by desa
CREATE INDEX summary_desa_pagu_desa ON summary_desa_pagu (kode_kabkota, tahun, kode_desa);

-- Lines: what they contributed before the statement goes, what they contribute now comes, with
-- their realisation months and their desa links (neither of which a statement on lines changes;
-- a line's delete takes its links with it only after this trigger, which sorts before
-- budget_line_desa_line_delete, has taken their shares away).
CREATE FUNCTION lokus_summary_lines() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text;
    links text;
    statement text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := 'SELECT 1 AS sign, * FROM new_rows';
        links := 'SELECT 1 AS sign, line_id, kode_desa FROM budget_line_desa WHERE line_id IN (SELECT id FROM new_rows)';
    ELSIF TG_OP = 'DELETE' THEN
        changed := 'SELECT -1 AS sign, * FROM old_rows';
        links := 'SELECT -1 AS sign, line_id, kode_desa FROM budget_line_desa WHERE line_id IN (SELECT id FROM old_rows)';
    ELSE
        changed := 'SELECT -1 AS sign, * FROM old_rows UNION ALL SELECT 1 AS sign, * FROM new_rows';
        links := 'SELECT s.sign, d.line_id, d.kode_desa FROM budget_line_desa d CROSS JOIN (VALUES (-1), (1)) s(sign)
                   WHERE d.line_id IN (SELECT id FROM old_rows UNION SELECT id FROM new_rows)';
    END IF;
    FOREACH statement IN ARRAY lokus_summary_sql(changed, links, NULL, changed) LOOP
        EXECUTE statement;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER budget_line_aggregate_insert AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_lines();
CREATE TRIGGER budget_line_aggregate_update AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_lines();
CREATE TRIGGER budget_line_aggregate_delete AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_lines();

-- Desa links: the lines whose links changed are spread again, over their links before the
-- statement (sign -1) and after it (sign 1).
CREATE FUNCTION lokus_summary_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched text;
    before text;
    statement text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        touched := 'SELECT line_id FROM new_rows';
        before := 'SELECT line_id, kode_desa FROM budget_line_desa WHERE line_id IN (SELECT line_id FROM new_rows)
                   EXCEPT SELECT line_id, kode_desa FROM new_rows';
    ELSIF TG_OP = 'DELETE' THEN
        touched := 'SELECT line_id FROM old_rows';
        before := 'SELECT line_id, kode_desa FROM budget_line_desa WHERE line_id IN (SELECT line_id FROM old_rows)
                   UNION ALL SELECT line_id, kode_desa FROM old_rows';
    ELSE
        touched := 'SELECT line_id FROM old_rows UNION SELECT line_id FROM new_rows';
        before := '(SELECT line_id, kode_desa FROM budget_line_desa
                     WHERE line_id IN (SELECT line_id FROM old_rows UNION SELECT line_id FROM new_rows)
                    EXCEPT SELECT line_id, kode_desa FROM new_rows)
                   UNION SELECT line_id, kode_desa FROM old_rows';
    END IF;
    FOREACH statement IN ARRAY lokus_summary_sql(
        NULL,
        format('SELECT -1 AS sign, line_id, kode_desa FROM (%s) b
                UNION ALL SELECT 1 AS sign, line_id, kode_desa FROM budget_line_desa WHERE line_id IN (%s)', before, touched),
        NULL,
        format('SELECT s.sign, b.* FROM budget_line b CROSS JOIN (VALUES (-1), (1)) s(sign) WHERE b.id IN (%s)', touched)) LOOP
        EXECUTE statement;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER budget_line_desa_aggregate_insert AFTER INSERT ON budget_line_desa REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_links();
CREATE TRIGGER budget_line_desa_aggregate_update AFTER UPDATE ON budget_line_desa REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_links();
CREATE TRIGGER budget_line_desa_aggregate_delete AFTER DELETE ON budget_line_desa REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_links();

-- Realisation months: the rows the statement removed go, the rows it wrote come.
CREATE FUNCTION lokus_summary_months() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cols constant text := 'kode_kabkota, line_id, bulan, keuangan, fisik';
    statement text;
BEGIN
    FOREACH statement IN ARRAY lokus_summary_sql(NULL, NULL,
        CASE TG_OP
            WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', cols)
            WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', cols)
            ELSE format('SELECT -1 AS sign, %1$s FROM old_rows UNION ALL SELECT 1 AS sign, %1$s FROM new_rows', cols)
        END, NULL) LOOP
        EXECUTE statement;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER realisasi_aggregate_insert AFTER INSERT ON realisasi REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_months();
CREATE TRIGGER realisasi_aggregate_update AFTER UPDATE ON realisasi REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_months();
CREATE TRIGGER realisasi_aggregate_delete AFTER DELETE ON realisasi REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_months();

-- TRUNCATE fires no row or statement triggers of the kinds above: empty what it empties.
CREATE FUNCTION lokus_summary_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME IN ('budget_line', 'realisasi') THEN
        DELETE FROM summary_realisasi;
        DELETE FROM summary_desa_realisasi;
    END IF;
    IF TG_TABLE_NAME IN ('budget_line', 'budget_line_desa') THEN
        DELETE FROM summary_desa_pagu;
        DELETE FROM summary_desa_realisasi;
    END IF;
    IF TG_TABLE_NAME = 'budget_line' THEN
        DELETE FROM summary_pagu;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER budget_line_aggregate_truncate AFTER TRUNCATE ON budget_line
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_truncate();
CREATE TRIGGER budget_line_desa_aggregate_truncate AFTER TRUNCATE ON budget_line_desa
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_truncate();
CREATE TRIGGER realisasi_aggregate_truncate AFTER TRUNCATE ON realisasi
    FOR EACH STATEMENT EXECUTE FUNCTION lokus_summary_truncate();

-- Everything again from the lines: the backfill below, and a check that the triggers kept them.
CREATE FUNCTION lokus_summary_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    statement text;
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
END $$;

SELECT lokus_summary_rebuild();
