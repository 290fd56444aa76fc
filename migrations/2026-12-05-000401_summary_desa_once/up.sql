-- The desa pre-aggregates of a statement on lines or desa links in one statement instead of two.
-- Each of the two (desa pagu, desa realisation) worked out the statement's lines and their links
-- with each link's share (a window over the links before and after, with an EXCEPT for the links
-- that were there before) on its own. For the 100,000 links of a workplan import that took about
-- 0.3 s each time, and the realisation statement then found no realisation for the new lines.
-- Now the lines and the links are materialised once and feed both tables. The grain, the shares and
-- the order the rows are written in are those of 2026-12-02-000301.
CREATE OR REPLACE FUNCTION lokus_summary_sql(lines_sql text, links_sql text, months_sql text, desa_lines_sql text)
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
        -- one statement for both desa tables: the lines and their links with their shares' n and i
        -- are worked out once (materialised) and feed the desa pagu (the statement itself, so its
        -- rows are written first, as when these were two statements) and the desa realisation
        q := q || format($q$
            WITH c AS MATERIALIZED (%4$s),
            l AS MATERIALIZED (SELECT line_id, kode_desa, count(*) OVER (PARTITION BY sign, line_id) AS n,
                         row_number() OVER (PARTITION BY sign, line_id ORDER BY kode_desa) - 1 AS i, sign
                    FROM (%3$s) k),
            months AS (
                INSERT INTO summary_desa_realisasi AS s (%1$s, kode_desa, bulan, keuangan, fisik_bobot, entries)
                SELECT %2$s, l.kode_desa, r.bulan, sum(c.sign * lokus_share(r.keuangan, l.n, l.i)),
                       sum(c.sign * lokus_fisik_bobot(lokus_share(c.pagu, l.n, l.i), c.target_output, r.fisik)), sum(c.sign)
                  FROM c JOIN l ON l.line_id = c.id AND l.sign = c.sign
                         JOIN realisasi r ON r.line_id = c.id AND r.kode_kabkota = c.kode_kabkota
                 WHERE c.removed_in_batch IS NULL
                 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
                ON CONFLICT (%1$s, kode_desa, bulan) DO UPDATE SET keuangan = s.keuangan + excluded.keuangan,
                    fisik_bobot = s.fisik_bobot + excluded.fisik_bobot, entries = s.entries + excluded.entries)
            INSERT INTO summary_desa_pagu AS s (%1$s, kode_desa, pagu, pagu_target, lines)
            SELECT %2$s, l.kode_desa, sum(c.sign * lokus_share(c.pagu, l.n, l.i)),
                   sum(c.sign * CASE WHEN c.target_output > 0 THEN lokus_share(c.pagu, l.n, l.i) ELSE 0 END), sum(c.sign)
              FROM c JOIN l ON l.line_id = c.id AND l.sign = c.sign
             WHERE c.removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (%1$s, kode_desa) DO UPDATE SET pagu = s.pagu + excluded.pagu,
                pagu_target = s.pagu_target + excluded.pagu_target, lines = s.lines + excluded.lines$q$,
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
