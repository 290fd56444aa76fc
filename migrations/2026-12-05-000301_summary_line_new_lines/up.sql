-- The summary_line rows of a workplan import's new lines, cheaper.
--
-- * A line just inserted has no realisation months yet, so its attention flags are constants of
--   its pagu and need no running sums. The workplan import's benchmark (100,000 new lines, COPYed
--   10,000 at a time) spent about half of summary_line's insert on those sums (auto_explain: 181 ms
--   for 20,000 lines, of which 95 ms the running sums and flags); in psql 10,000 new lines went from
--   about 225 ms to 175 ms.
-- * Nor does it need the delete of its summary_line row that other statements start with.
--
-- Same arguments and result as 2026-12-04-000101's; the summary tests compare summary_line with
-- lokus_summary_rebuild(), which takes the general way.
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
    -- Lines just inserted have no months, so their flags need no running sums: with every month 0,
    -- month m is far behind the linear plan exactly when pagu * m * 50 / 1200 > 0, i.e. pagu > 0,
    -- and over 100 % exactly when 0 > pagu (a fisik of 0 is over no target), for all 12 months.
    -- (and, their ids being new, no row of theirs to remove first: a stale one would fail the
    -- insert on the key rather than be counted twice)
    IF NOT with_months THEN
        RETURN ARRAY[format($q$
            INSERT INTO summary_line (%1$s, terlambat_bulan, lebih_bulan)
            SELECT b.kode_kabkota, b.id, b.tahun, b.tahapan, b.opd_id, coalesce(b.intervensi_id, 0),
                   coalesce(b.jenis, ''), coalesce(b.sumber_dana, ''), b.pagu, b.target_output,
                   array_fill(0::numeric, ARRAY[12]), array_fill(NULL::numeric, ARRAY[12]),
                   CASE WHEN b.pagu > 0 THEN 4095 ELSE 0 END, CASE WHEN b.pagu < 0 THEN 4095 ELSE 0 END
              FROM (%2$s) b
             WHERE b.removed_in_batch IS NULL
             ORDER BY b.kode_kabkota, b.id$q$, columns, lines_sql)];
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
