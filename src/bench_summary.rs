//! `lokus bench summary`: the summary's server time over many filtered requests (p50/p95) on a
//! district-year of generated lines with 12 months each, optionally spread over several districts
//! of one province; and the detail workbook against rust_xlsxwriter alone writing the same cells in
//! constant-memory mode, in the same run, with peak memory. A benchmark, not a test.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::Workbook;

use crate::config::Settings;
use crate::db::summary::{SummaryFilter, detail_lines};
use crate::db::{quote_identifier, with_database};
use crate::domain::{Jenis, Scope};
use crate::services::summary_report::{self, WorkbookRequest};

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// Generates `lines` current lines in each district: over the district's OPDs, six interventions
/// (and a sixth untagged), three sumber dana, a third linked to one lokus desa and a third to two,
/// and 12 months of realisation each. Written set-wise, so the summary's statement triggers run
/// once per statement, as they do for an import.
fn generate(conn: &mut PgConnection, kode_kabkota: &str, lines: usize) -> Result<(), String> {
    let sql = format!(
        "INSERT INTO import_batch (kode_kabkota, tahun, tahapan, actor, file_name, sha256, file, status, report)
         VALUES ('{k}', 2024, 'murni', 'bench', 'bench.xlsx', repeat('b', 64), '', 'committed', '{{}}');
         WITH units AS (SELECT array_agg(id ORDER BY id) AS ids FROM opd WHERE kode_kabkota = '{k}'),
              tags AS (SELECT array_agg(id ORDER BY kode) AS ids FROM intervensi
                        WHERE kode IN ('SP1', 'SP2', 'SP7', 'SE4', 'SE5') AND kode_kabkota IS NULL),
              batch AS (SELECT max(id) AS id FROM import_batch WHERE kode_kabkota = '{k}')
         INSERT INTO budget_line (kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode,
                                  uraian, pagu, sumber_dana, intervensi_id, jenis, tag_source, target_output, satuan_output)
         SELECT '{k}', u.ids[1 + g % array_length(u.ids, 1)], 2024, 'murni', b.id, g + 1, '1.02.02.2.02.0016',
                'Belanja bench ' || g, 1000000 + (g % 97) * 12500, (ARRAY['DAU', 'DAK', 'PAD'])[1 + g % 3],
                CASE WHEN g % 6 < 5 THEN t.ids[1 + g % 5] END,
                CASE WHEN g % 6 < 5 THEN (CASE WHEN g % 5 < 3 THEN 'spesifik' ELSE 'sensitif' END) END,
                CASE WHEN g % 6 < 5 THEN 'impor' END, 100, 'paket'
           FROM generate_series(1, {lines}) g, units u, tags t, batch b;
         WITH desa AS (SELECT array_agg(kode ORDER BY kode) AS kode FROM wilayah
                        WHERE tingkat = 4 AND kode_induk LIKE '{k}.%')
         INSERT INTO budget_line_desa (line_id, kode_desa, tag_source, kode_kabkota)
         SELECT b.id, d.kode[1 + (b.id % array_length(d.kode, 1))::int], 'impor', '{k}'
           FROM budget_line b, desa d WHERE b.kode_kabkota = '{k}' AND b.id % 3 <> 0
         UNION ALL
         SELECT b.id, d.kode[1 + ((b.id + 1) % array_length(d.kode, 1))::int], 'impor', '{k}'
           FROM budget_line b, desa d WHERE b.kode_kabkota = '{k}' AND b.id % 3 = 2;
         INSERT INTO realisasi (kode_kabkota, line_id, bulan, keuangan, fisik, actor, via)
         SELECT '{k}', b.id, m, round(b.pagu * (4 + m % 5) / 100), 5, 'bench', 'form'
           FROM budget_line b, generate_series(1, 12) m WHERE b.kode_kabkota = '{k}';",
        k = kode_kabkota
    );
    conn.batch_execute(&sql).map_err(|error| error.to_string())
}

/// A spread of filters people use: the year, each triwulan, each OPD, each jenis, interventions,
/// a desa, and combinations.
fn filters(
    conn: &mut PgConnection,
    scope: &Scope,
    count: usize,
) -> Result<Vec<SummaryFilter>, String> {
    let units = crate::db::opd::list_for_scope(conn, scope).map_err(|error| error.to_string())?;
    let interventions = crate::db::catalogue::list_intervensi(conn, &scope.kode_kabkota)
        .map_err(|error| error.to_string())?;
    let desa: Vec<String> = crate::db::district::list_lokus(conn, &scope.kode_kabkota, 2024)
        .map_err(|error| error.to_string())?
        .into_iter()
        .map(|row| row.kode_desa)
        .collect();
    let mut out = Vec::new();
    for index in 0..count {
        let mut filter = SummaryFilter::year(2024);
        if index % 2 == 1 {
            filter.sampai_bulan = 3 * (1 + (index / 2 % 4) as i16);
        }
        if index % 3 == 1 && !units.is_empty() {
            filter.opd_id = Some(units[index % units.len()].id);
        }
        if index % 5 == 2 {
            filter.jenis = Some(Some(if index % 2 == 0 {
                Jenis::Spesifik
            } else {
                Jenis::Sensitif
            }));
        }
        if index % 7 == 3 && !interventions.is_empty() {
            filter.intervensi_id = Some(interventions[index % interventions.len()].id);
        }
        if index % 11 == 5 && !desa.is_empty() {
            filter.kode_desa = Some(desa[index % desa.len()].clone());
        }
        out.push(filter);
    }
    Ok(out)
}

pub fn summary(
    settings: &Settings,
    lines: usize,
    districts: usize,
    requests: usize,
) -> Result<(), String> {
    println!(
        "lokus bench summary: {lines} lines x 12 months in each of {districts} district(s), {requests} requests (release build recommended)"
    );
    let (server, _cluster) =
        crate::db::Database::server(settings).map_err(|error| error.to_string())?;
    let name = format!("lokus_bench_summary_{}", std::process::id());
    let url = with_database(server.expose(), &name);
    let mut admin = PgConnection::establish(&with_database(server.expose(), "postgres"))
        .map_err(|error| error.to_string())?;
    diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {}",
        quote_identifier(&name)
    ))
    .execute(&mut admin)
    .map_err(|error| error.to_string())?;
    diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(&name)))
        .execute(&mut admin)
        .map_err(|error| error.to_string())?;
    let outcome = (|| -> Result<(), String> {
        let mut conn = PgConnection::establish(&url).map_err(|error| error.to_string())?;
        crate::db::run_migrations(&mut conn).map_err(|error| error.to_string())?;
        crate::services::reference_data::ensure_loaded(&mut conn)
            .map_err(|error| error.to_string())?;
        crate::services::demo::load(&mut conn).map_err(|error| error.to_string())?;
        // the other districts of the demo's province, each with the demo's OPDs and lokus desa
        let mut codes = vec!["64.03".to_owned()];
        #[derive(QueryableByName)]
        struct Kode {
            #[diesel(sql_type = diesel::sql_types::Text)]
            kode: String,
        }
        let others: Vec<Kode> = diesel::sql_query(
            "SELECT kode FROM wilayah WHERE tingkat = 2 AND kode LIKE '64.%' AND kode <> '64.03' ORDER BY kode",
        )
        .load(&mut conn)
        .map_err(|error| error.to_string())?;
        for other in others.into_iter().take(districts.saturating_sub(1)) {
            conn.batch_execute(&format!(
                "INSERT INTO districts (kode_kabkota) VALUES ('{k}');
                 INSERT INTO tahun_anggaran (kode_kabkota, tahun) VALUES ('{k}', 2024);
                 INSERT INTO opd (kode_kabkota, kode, nama) SELECT '{k}', kode, nama FROM opd WHERE kode_kabkota = '64.03';
                 INSERT INTO lokus_desa (kode_kabkota, tahun, kode_desa)
                 SELECT '{k}', 2024, kode FROM wilayah WHERE tingkat = 4 AND kode_induk LIKE '{k}.%' ORDER BY kode LIMIT 16;",
                k = other.kode
            ))
            .map_err(|error| error.to_string())?;
            codes.push(other.kode);
        }
        let started = Instant::now();
        for kode in &codes {
            generate(&mut conn, kode, lines)?;
        }
        conn.batch_execute("VACUUM ANALYZE")
            .map_err(|error| error.to_string())?;
        println!(
            "generated {} lines and {} realisation rows with the pre-aggregates' triggers in {:.1} s",
            lines * codes.len(),
            lines * codes.len() * 12,
            started.elapsed().as_secs_f64()
        );

        // the summary's reads over many filters, the page's data and tables (no HTML)
        let scope = Scope::district("64.03");
        let today = chrono::NaiveDate::from_ymd_opt(2025, 1, 15).unwrap_or_default();
        let t = &crate::i18n::phrases::ID;
        let mut times = Vec::new();
        for filter in filters(&mut conn, &scope, requests)? {
            let started = Instant::now();
            let data = summary_report::load(&mut conn, &scope, filter, today)
                .map_err(|error| error.to_string())?;
            let tables = summary_report::sections(t, &data);
            let points = summary_report::attention(t, &data);
            std::hint::black_box((tables, points));
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "summary page data, {} requests: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            times.len(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(percentile(&times, 1.0))
        );

        // the province view: every district side by side, for the year, each stage and triwulan
        let mut province_times = Vec::new();
        for round in 0..requests.max(1) {
            let mut filter = SummaryFilter::year(2024);
            filter.sampai_bulan = [12, 3, 6, 9][round % 4];
            filter.tahapan = [None, Some(crate::domain::Tahapan::Murni)][round / 4 % 2];
            let started = Instant::now();
            let rows = crate::db::summary::by_district(&mut conn, "64", &filter)
                .map_err(|error| error.to_string())?;
            std::hint::black_box(rows);
            province_times.push(started.elapsed());
        }
        province_times.sort();
        println!(
            "province view ({} districts side by side), {} requests: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            codes.len(),
            province_times.len(),
            ms(percentile(&province_times, 0.5)),
            ms(percentile(&province_times, 0.95)),
            ms(percentile(&province_times, 1.0))
        );

        // the workbook (whole year, one district) against rust_xlsxwriter alone writing the same
        // detail cells in constant memory, after reading the same rows
        let request = WorkbookRequest {
            district_name: "Berau".into(),
            generated_by: "bench".into(),
            generated_at: "now".into(),
            filters: Vec::new(),
        };
        reset_peak_rss();
        let started = Instant::now();
        let bytes = summary_report::workbook(
            &mut conn,
            &scope,
            SummaryFilter::year(2024),
            t,
            &request,
            today,
            &mut |_| {},
        )
        .map_err(|error| error.to_string())?;
        let lokus_time = started.elapsed();
        let lokus_peak = peak_rss_mib();
        reset_peak_rss();
        let started = Instant::now();
        let mut workbook = Workbook::new();
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(|error| error.to_string())?;
        let mut after = None;
        let mut row = 1u32;
        loop {
            let slice = detail_lines(
                &mut conn,
                &scope,
                &SummaryFilter::year(2024),
                after.clone(),
                5_000,
            )
            .map_err(|error| error.to_string())?;
            if slice.is_empty() {
                break;
            }
            for line in &slice {
                let texts = [
                    &line.opd_kode,
                    &line.opd_nama,
                    &line.tahapan,
                    &line.sub_kegiatan_kode,
                    line.kode_rekening.as_ref().unwrap_or(&line.uraian),
                    &line.uraian,
                    line.sumber_dana.as_ref().unwrap_or(&line.uraian),
                    line.intervensi_kode.as_ref().unwrap_or(&line.uraian),
                    line.jenis.as_ref().unwrap_or(&line.uraian),
                ];
                for (column, text) in texts.iter().enumerate() {
                    sheet
                        .write_string(row, column as u16, text.as_str())
                        .map_err(|error| error.to_string())?;
                }
                let mut numbers = vec![line.pagu.to_f64().unwrap_or_default(), 100.0];
                numbers.extend(line.keuangan.iter().map(|v| v.to_f64().unwrap_or_default()));
                numbers.extend([0.0, 0.0, 0.0]);
                numbers.extend(
                    line.fisik
                        .iter()
                        .map(|v| v.and_then(|v| v.to_f64()).unwrap_or_default()),
                );
                numbers.push(0.0);
                for (offset, value) in numbers.iter().enumerate() {
                    sheet
                        .write_number(row, 9 + offset as u16, *value)
                        .map_err(|error| error.to_string())?;
                }
                row += 1;
            }
            after = slice.last().map(|line| (line.opd_kode.clone(), line.id));
        }
        let raw = workbook
            .save_to_buffer()
            .map_err(|error| error.to_string())?;
        let raw_time = started.elapsed();
        let raw_peak = peak_rss_mib();
        println!(
            "workbook of {} lines: lokus {:.2} s ({:.1} MiB file, peak RSS {:.0} MiB); rust_xlsxwriter alone, same rows and cells, constant memory: {:.2} s ({:.1} MiB, peak RSS {:.0} MiB); ratio {:.2}",
            row - 1,
            lokus_time.as_secs_f64(),
            bytes.len() as f64 / 1_048_576.0,
            lokus_peak.unwrap_or_default(),
            raw_time.as_secs_f64(),
            raw.len() as f64 / 1_048_576.0,
            raw_peak.unwrap_or_default(),
            lokus_time.as_secs_f64() / raw_time.as_secs_f64()
        );
        Ok(())
    })();
    let _ = diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(&name)
    ))
    .execute(&mut admin);
    outcome
}
