//! `lokus bench`: measures lokus against the targets its issues state, on this machine, and prints
//! the figures (a benchmark, not a test: shared machines are too noisy for timed assertions).
//! The workplan import is compared with its floor in the same run: the same workbook read by
//! calamine alone plus the same rows loaded with PostgreSQL `COPY`.

use std::io::Cursor;
use std::time::{Duration, Instant};

use calamine::{DataType, Reader, Xlsx};
use diesel::prelude::*;
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

use crate::config::Settings;
use crate::db::budget::{self, BudgetLine};
use crate::db::{quote_identifier, with_database};
use crate::services::audit::Actor;
use crate::services::import_workplan::{self, ImportRequest, Tahapan};
use crate::spreadsheet::columns::TEMPLATE_FIELDS;

const SUB_KEGIATAN: [&str; 4] = [
    "1.02.02.2.02.0016",
    "1.02.02.2.02.0017",
    "1.03.03.2.01.0004",
    "2.14.02.2.01.0003",
];
const INTERVENSI: [&str; 6] = ["SP1", "SP2", "SP7", "SE4", "SE5", ""];
const DESA: [&str; 3] = ["64.03.05.1004", "64.03.05.1005, 64.03.05.1006", ""];

/// A workbook in lokus's template layout with `lines` budget lines.
pub fn generate_workplan(lines: usize) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    generate_revision(lines, 0)
}

/// The same workplan with every volume raised by `extra`: a revision in which every line changes.
pub fn generate_revision(
    lines: usize,
    extra: usize,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    for (column, field) in TEMPLATE_FIELDS.iter().enumerate() {
        sheet.write_string(0, column as u16, field.template_header())?;
    }
    for index in 0..lines {
        let row = index as u32 + 1;
        let volume = (index % 50 + 1 + extra) as f64;
        let harga = 25_000.0 + (index % 40) as f64 * 1_250.0;
        sheet.write_string(row, 0, SUB_KEGIATAN[index % SUB_KEGIATAN.len()])?;
        sheet.write_string(row, 1, "Sub kegiatan contoh")?;
        sheet.write_string(row, 2, format!("5.1.02.01.01.{:04}", index % 9_000 + 1))?;
        sheet.write_string(row, 3, format!("Belanja bahan kegiatan nomor {index}"))?;
        sheet.write_number(row, 4, volume)?;
        sheet.write_string(row, 5, "paket")?;
        sheet.write_number(row, 6, harga)?;
        sheet.write_number(row, 7, volume * harga)?;
        sheet.write_string(row, 8, "DAU")?;
        let intervensi = INTERVENSI[index % INTERVENSI.len()];
        if !intervensi.is_empty() {
            sheet.write_string(row, 9, intervensi)?;
        }
        let desa = DESA[index % DESA.len()];
        if !desa.is_empty() {
            sheet.write_string(row, 11, desa)?;
        }
        sheet.write_string(row, 12, "Balita")?;
        sheet.write_number(row, 13, volume)?;
        sheet.write_string(row, 14, "paket")?;
    }
    workbook.save_to_buffer()
}

/// Resets the peak resident set size of this process, so the next reading is the next phase's peak.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident set size since the last reset, in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

/// Runs `work` in a transaction that is always rolled back, so every run starts from the same state.
fn rolled_back<T>(
    conn: &mut PgConnection,
    work: impl FnOnce(&mut PgConnection) -> Result<T, String>,
) -> Result<T, String> {
    let mut outcome = None;
    let result = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        outcome = Some(work(conn));
        Err(diesel::result::Error::RollbackTransaction)
    });
    match result {
        Err(diesel::result::Error::RollbackTransaction) => {
            outcome.unwrap_or_else(|| Err("no outcome".into()))
        }
        Err(error) => Err(error.to_string()),
        Ok(()) => Err("transaction was not rolled back".into()),
    }
}

/// The floor: calamine reads the sheet, the rows (converted minimally) go in with `COPY`.
fn floor_run(
    conn: &mut PgConnection,
    bytes: &[u8],
    opd_id: i32,
    batch_id: i64,
) -> Result<(Duration, Duration), String> {
    let started = Instant::now();
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or("no sheet")?
        .map_err(|error| error.to_string())?;
    let read = started.elapsed();
    let text = |row: &[calamine::Data], column: usize| {
        row.get(column)
            .map(|cell| cell.to_string())
            .filter(|text| !text.is_empty())
    };
    let number = |row: &[calamine::Data], column: usize| {
        row.get(column)
            .and_then(|cell| cell.as_f64())
            .and_then(Decimal::from_f64_retain)
    };
    rolled_back(conn, |conn| {
        let ids =
            budget::allocate_line_ids(conn, range.height()).map_err(|error| error.to_string())?;
        let started = Instant::now();
        let lines: Vec<BudgetLine> = range
            .rows()
            .skip(1)
            .zip(ids)
            .enumerate()
            .map(|(index, (row, id))| BudgetLine {
                id,
                kode_kabkota: "64.03".into(),
                opd_id,
                tahun: 2024,
                tahapan: "murni".into(),
                batch_id,
                removed_in_batch: None,
                source_row: index as i32 + 2,
                sub_kegiatan_kode: text(row, 0).unwrap_or_default(),
                sub_kegiatan_nama: text(row, 1),
                kode_rekening: text(row, 2),
                uraian: text(row, 3).unwrap_or_default(),
                volume: number(row, 4),
                satuan: text(row, 5),
                harga_satuan: number(row, 6),
                pagu: number(row, 7).unwrap_or(Decimal::ONE),
                sumber_dana: text(row, 8),
                intervensi_id: None,
                jenis: None,
                tag_source: None,
                sasaran: text(row, 12),
                target_output: number(row, 13),
                satuan_output: text(row, 14),
                keterangan: None,
            })
            .collect();
        // the same rows' desa links, as lokus writes them
        let links: Vec<budget::NewLineDesa> = range
            .rows()
            .skip(1)
            .zip(lines.iter())
            .flat_map(|(row, line)| {
                text(row, 11)
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|kode| !kode.is_empty())
                    .map(|kode| budget::NewLineDesa {
                        line_id: line.id,
                        kode_desa: kode.to_owned(),
                        tag_source: "impor".into(),
                        kode_kabkota: "64.03".into(),
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        budget::copy_lines(conn, &lines).map_err(|error| error.to_string())?;
        budget::copy_desa_links(conn, &links).map_err(|error| error.to_string())?;
        Ok((read, started.elapsed()))
    })
}

pub fn import(settings: &Settings, lines: usize) -> Result<(), String> {
    println!(
        "lokus bench import: {lines} budget lines, release build recommended (`cargo run --release -- bench import`)"
    );
    let started = Instant::now();
    let bytes = generate_workplan(lines).map_err(|error| error.to_string())?;
    println!(
        "generated workbook: {:.1} MiB in {:.1} s",
        bytes.len() as f64 / 1_048_576.0,
        seconds(started.elapsed())
    );

    // A scratch database with the demo district, dropped at the end.
    let database =
        crate::services::startup::open_database(settings).map_err(|error| error.to_string())?;
    let name = format!("lokus_bench_{}", std::process::id());
    let url = with_database(database.url.expose(), &name);
    let mut admin =
        PgConnection::establish(database.url.expose()).map_err(|error| error.to_string())?;
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
        let unit = crate::db::opd::find_by_kode(&mut conn, "64.03", "1.02.0.00.0.00.01.0000")
            .map_err(|error| error.to_string())?
            .ok_or("demo OPD missing")?;
        let request = ImportRequest {
            kode_kabkota: "64.03".into(),
            tahun: 2024,
            tahapan: Tahapan::Murni,
            opd_id: Some(unit.id),
            sheet: None,
            create_opds: false,
            file_name: "bench.xlsx".into(),
            max_rows: usize::MAX,
        };
        let actor = Actor::cli().in_district("64.03");

        // lokus, end to end: parse, validate, compare, commit (rolled back afterwards), twice; best run kept
        let mut lokus_best = Duration::MAX;
        let mut peak = 0.0f64;
        for _ in 0..2 {
            reset_peak_rss();
            let report = rolled_back(&mut conn, |conn| {
                let started = Instant::now();
                let report = import_workplan::import_now(conn, &actor, &request, &bytes, false)
                    .map_err(|error| error.to_string())?;
                lokus_best = lokus_best.min(started.elapsed());
                Ok(report)
            })?;
            peak = peak.max(peak_rss_mib().unwrap_or(0.0));
            if report.status != "committed" || report.rows.accepted != lines {
                return Err(format!(
                    "import did not commit every line: status {}, {} accepted, first error {:?}",
                    report.status,
                    report.rows.accepted,
                    report.errors.first().map(|issue| &issue.message)
                ));
            }
        }

        // a revision in which every line changes (a perubahan of the whole workplan), after the first import
        let revision = generate_revision(lines, 1).map_err(|error| error.to_string())?;
        let revised = rolled_back(&mut conn, |conn| {
            import_workplan::import_now(conn, &actor, &request, &bytes, false)
                .map_err(|error| error.to_string())?;
            let revised_request = ImportRequest {
                tahapan: Tahapan::Perubahan,
                ..request.clone()
            };
            let started = Instant::now();
            let report =
                import_workplan::import_now(conn, &actor, &revised_request, &revision, false)
                    .map_err(|error| error.to_string())?;
            Ok((started.elapsed(), report.diff.changed))
        })?;
        println!(
            "re-import: {} lines changed in {:.2} s (not a stated target; for reference)",
            revised.1,
            seconds(revised.0)
        );

        // where lokus's time goes: reading alone, reading + checking + comparing
        let started = Instant::now();
        let parsed = crate::spreadsheet::read::read_workbook(
            &bytes,
            &crate::spreadsheet::read::ReadOptions {
                max_rows: usize::MAX,
                ..Default::default()
            },
        )
        .map_err(|error| error.to_string())?;
        let read_only = started.elapsed();
        drop(parsed);
        let started = Instant::now();
        let analysis = import_workplan::analyse(&mut conn, &request, &bytes)
            .map_err(|error| error.to_string())?;
        let analysed = started.elapsed();
        drop(analysis);
        println!(
            "lokus phases: read {:.2} s, read + check + compare {:.2} s, so writing takes about {:.2} s",
            seconds(read_only),
            seconds(analysed),
            seconds(lokus_best.saturating_sub(analysed))
        );

        // the floor, same run, same data, best of two
        let batch_id = {
            let report = import_workplan::import_now(
                &mut conn,
                &actor,
                &ImportRequest { ..request.clone() },
                &generate_workplan(1).map_err(|error| error.to_string())?,
                false,
            )
            .map_err(|error| error.to_string())?;
            report.batch_id.ok_or("no batch for the floor's lines")?
        };
        let (mut read_best, mut copy_best) = (Duration::MAX, Duration::MAX);
        for _ in 0..2 {
            let (read, copy) = floor_run(&mut conn, &bytes, unit.id, batch_id)?;
            read_best = read_best.min(read);
            copy_best = copy_best.min(copy);
        }
        let floor = read_best + copy_best;
        println!(
            "floor:  calamine read {:.2} s + COPY {:.2} s = {:.2} s",
            seconds(read_best),
            seconds(copy_best),
            seconds(floor)
        );
        println!(
            "lokus:  parse + validate + commit {:.2} s",
            seconds(lokus_best)
        );
        println!(
            "ratio:  {:.2}x the floor (target: at most 1.5x)",
            seconds(lokus_best) / seconds(floor)
        );
        println!("memory: peak RSS during the import {peak:.0} MiB (target: below 1024 MiB)");
        Ok(())
    })();
    let _ = diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(&name)
    ))
    .execute(&mut admin);
    outcome
}
