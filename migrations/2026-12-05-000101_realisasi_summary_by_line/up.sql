-- The realisation pre-aggregates from the statement's lines, not from its rows (issue 8's
-- benchmark: 240,000 line-months of 20,000 lines in one statement).
--
-- 2026-12-04-000101 fed summary_realisasi and summary_desa_realisasi from every row of the
-- statement: 240,000 rows grouped by eight keys, and the same rows again times their desa links
-- grouped by nine. But the statement's rows are already reduced to one row per line, with its old
-- and new months side by side, to bring summary_line up to date. What a line adds to its group in
-- month m is its new figure of m minus its old one (summary_line holds the old, and is exact at the
-- start of the statement), and its entries there change by one when the month was written and by
-- minus one when it was removed. So both tables are now fed from the 20,000 lines, twelve months to
-- a row, and unfolded into months only after grouping (a few hundred groups).
--
-- * Exactness: a desa's share is taken of the new figure and of the old one, never of their
--   difference (the sen of a split do not add up linearly); a month the statement did not touch
--   adds nothing; an old figure of 0 has a share of 0. lokus_summary_rebuild() computes the same
--   tables from the rows, and the summary tests compare the two after inserts, replacements,
--   month moves, deletes and plain SQL.
-- * A group is written only when something in it changed (a figure or its entries), so a
--   statement that rewrites months with their own figures upserts nothing.
-- * The pagu share of a line split between desa is computed once per desa, not once per month.
--
-- In psql on the benchmark's database the summary work of the 240,000-row insert went from
-- 1.43 s to 0.9 s; the grain, sentinels and meaning of every column are unchanged.

-- Same arguments and statements' effect as 2026-12-04-000101's: `rows_sql` yields (sign,
-- kode_kabkota, line_id, bulan, keuangan, fisik), +1 for a row written, -1 for a row removed.
CREATE OR REPLACE FUNCTION lokus_summary_realisasi_sql(rows_sql text, removes boolean)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    dims constant text := 'kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana';
    picked text := '';
    merged text := '';
    keuangan text := '';
    fisik text := '';
    line_sums text := '';
    desa_sums text := '';
    months text := '';
    bit integer;
    q text[];
BEGIN
    FOR m IN 1..12 LOOP
        bit := 1 << (m - 1);
        picked := picked || format(', max(keuangan) FILTER (WHERE sign > 0 AND bulan = %1$s) AS k%1$s, max(fisik) FILTER (WHERE sign > 0 AND bulan = %1$s) AS f%1$s', m);
        -- a month written takes its new figures, a month removed is emptied, the others keep theirs
        merged := merged || format(', s.keuangan[%2$s] AS ok%2$s, s.fisik[%2$s] AS of%2$s,
            CASE WHEN m.written & %1$s <> 0 THEN m.k%2$s WHEN m.removed & %1$s <> 0 THEN 0 ELSE s.keuangan[%2$s] END AS nk%2$s,
            CASE WHEN m.written & %1$s <> 0 THEN m.f%2$s WHEN m.removed & %1$s <> 0 THEN NULL ELSE s.fisik[%2$s] END AS nf%2$s', bit, m);
        keuangan := keuangan || CASE WHEN m > 1 THEN ', ' ELSE '' END || format('c.nk%s', m);
        fisik := fisik || CASE WHEN m > 1 THEN ', ' ELSE '' END || format('c.nf%s', m);
        -- what the month of each line adds to its group: new figures minus old, entries written minus removed
        -- (a month the statement did not touch adds nothing; an old 0 or no old fisik adds nothing to take away)
        line_sums := line_sums || format(', sum(CASE WHEN c.touched & %2$s <> 0 THEN c.nk%1$s - c.ok%1$s ELSE 0 END) AS k%1$s,
            sum(CASE WHEN c.touched & %2$s <> 0 THEN lokus_fisik_bobot(c.pagu, c.target_output, c.nf%1$s)
                     - lokus_fisik_bobot(c.pagu, c.target_output, c.of%1$s) ELSE 0 END) AS b%1$s,
            sum((c.written & %2$s <> 0)::int - (c.removed & %2$s <> 0)::int) AS e%1$s', m, bit);
        desa_sums := desa_sums || format(', sum(CASE WHEN c.touched & %2$s = 0 THEN 0 WHEN c.n = 1 THEN c.nk%1$s - c.ok%1$s
                                             ELSE lokus_share(c.nk%1$s, c.n, c.i) - CASE WHEN c.ok%1$s = 0 THEN 0 ELSE lokus_share(c.ok%1$s, c.n, c.i) END END) AS k%1$s,
            sum(CASE WHEN c.touched & %2$s = 0 THEN 0
                     ELSE lokus_fisik_bobot(c.pagu_share, c.target_output, c.nf%1$s) - lokus_fisik_bobot(c.pagu_share, c.target_output, c.of%1$s) END) AS b%1$s,
            sum((c.written & %2$s <> 0)::int - (c.removed & %2$s <> 0)::int) AS e%1$s', m, bit);
        months := months || CASE WHEN m > 1 THEN ', ' ELSE '' END || format('(%1$s, g.k%1$s, g.b%1$s, g.e%1$s)', m);
    END LOOP;
    q := ARRAY[format($q$
        WITH m AS MATERIALIZED (
            SELECT kode_kabkota, line_id, coalesce(bit_or(1 << (bulan - 1)) FILTER (WHERE sign > 0), 0) AS written,
                   coalesce(bit_or(1 << (bulan - 1)) FILTER (WHERE sign < 0), 0) AS removed %2$s
              FROM (%3$s) r GROUP BY line_id, kode_kabkota),
        c AS MATERIALIZED (
            SELECT s.kode_kabkota, s.line_id, s.tahun, s.tahapan, s.opd_id, s.intervensi_id, s.jenis, s.sumber_dana,
                   s.pagu, s.target_output, m.written, m.removed, m.written | m.removed AS touched %4$s
              FROM m JOIN summary_line s ON s.kode_kabkota = m.kode_kabkota AND s.line_id = m.line_id),
        grouped AS (
            INSERT INTO summary_realisasi AS s (%1$s, bulan, keuangan, fisik_bobot, entries)
            SELECT %1$s, v.bulan, v.k, v.b, v.e
              FROM (SELECT %1$s %5$s FROM c GROUP BY 1, 2, 3, 4, 5, 6, 7) g
             CROSS JOIN LATERAL (VALUES %7$s) v(bulan, k, b, e)
             WHERE v.k <> 0 OR v.b <> 0 OR v.e <> 0
             ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (%1$s, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries),
        l AS (
            SELECT d.line_id, d.kode_desa, count(*) OVER (PARTITION BY d.line_id) AS n,
                   row_number() OVER (PARTITION BY d.line_id ORDER BY d.kode_desa) - 1 AS i
              FROM budget_line_desa d WHERE d.line_id IN (SELECT line_id FROM m)),
        desa AS (
            INSERT INTO summary_desa_realisasi AS s (%1$s, kode_desa, bulan, keuangan, fisik_bobot, entries)
            SELECT %1$s, g.kode_desa, v.bulan, v.k, v.b, v.e
              FROM (SELECT c.kode_kabkota, c.tahun, c.tahapan, c.opd_id, c.intervensi_id, c.jenis, c.sumber_dana, c.kode_desa %6$s
                      FROM (SELECT c.*, l.kode_desa, l.n, l.i,
                                   CASE WHEN l.n = 1 THEN c.pagu ELSE lokus_share(c.pagu, l.n, l.i) END AS pagu_share
                              FROM c JOIN l ON l.line_id = c.line_id) c
                     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) g
             CROSS JOIN LATERAL (VALUES %7$s) v(bulan, k, b, e)
             WHERE v.k <> 0 OR v.b <> 0 OR v.e <> 0
             ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            ON CONFLICT (%1$s, kode_desa, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries),
        n AS MATERIALIZED (
            SELECT c.kode_kabkota, c.line_id, c.pagu, c.target_output, ARRAY[%8$s] AS keuangan, ARRAY[%9$s]::numeric[] AS fisik FROM c)
        UPDATE summary_line s SET keuangan = f.keuangan, fisik = f.fisik, terlambat_bulan = f.terlambat_bulan,
               lebih_bulan = f.lebih_bulan
          FROM (%10$s) f
         WHERE s.kode_kabkota = f.kode_kabkota AND s.line_id = f.line_id$q$,
        dims, picked, rows_sql, merged, line_sums, desa_sums, months, keuangan, fisik,
        lokus_summary_line_flagged('SELECT * FROM n', 'kode_kabkota, line_id, keuangan, fisik'))];
    IF removes THEN
        q := q || ARRAY['DELETE FROM summary_realisasi WHERE entries = 0', 'DELETE FROM summary_desa_realisasi WHERE entries = 0'];
    END IF;
    RETURN q;
END $$;
