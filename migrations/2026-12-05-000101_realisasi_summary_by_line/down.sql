-- the statements of 2026-12-04-000101 again
CREATE OR REPLACE FUNCTION lokus_summary_realisasi_sql(rows_sql text, removes boolean)
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
