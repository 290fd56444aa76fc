//! `lokus bench`: measures lokus against the targets its issues state, on this machine, and prints
//! the figures (a benchmark, not a test: shared machines are too noisy for timed assertions).
//! The workplan import is compared, in the same run and interleaved with `VACUUM` between runs, with
//! two floors: the physical floor (calamine reading the file plus `COPY` of the same rows and links
//! into scratch tables with the same columns and indexes but no triggers), and the current floor
//! (the same `COPY` into lokus's own tables, with their integrity checks). The whole command-line
//! import is compared with a naive Python script (`scripts/naive_import.py`) when python3 has its
//! packages, and its peak memory is measured at the 200,000-line limit.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::{DataType, Reader, Xlsx};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

use crate::config::Settings;
use crate::db::budget_line::{self, BudgetLine};
use crate::db::{quote_identifier, with_database};
use crate::services::activity_log::Actor;
use crate::services::import::{self, CommitOptions, ImportKind, ImportRequest, Silent, Tahapan};
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

/// The schema holding the physical floor's scratch tables.
const FLOOR_SCHEMA: &str = "lokus_floor";

/// Scratch copies of the tables an import writes: same columns, defaults, checks and indexes, but
/// no triggers and no foreign keys. With the schema first on the search path, lokus's own `COPY`
/// code writes into them.
fn create_floor_tables(conn: &mut PgConnection) -> Result<(), String> {
    conn.batch_execute(&format!(
        "CREATE SCHEMA {FLOOR_SCHEMA};
         CREATE TABLE {FLOOR_SCHEMA}.budget_line (LIKE public.budget_line INCLUDING ALL);
         CREATE TABLE {FLOOR_SCHEMA}.budget_line_desa (LIKE public.budget_line_desa INCLUDING ALL);"
    ))
    .map_err(|error| error.to_string())
}

fn vacuum(conn: &mut PgConnection) -> Result<(), String> {
    conn.batch_execute("VACUUM")
        .map_err(|error| error.to_string())
}

/// A floor: calamine reads the sheet, the rows (converted minimally) and their desa links go in with
/// `COPY`; into the scratch tables when `physical`, else into lokus's own.
fn floor_run(
    conn: &mut PgConnection,
    bytes: &[u8],
    opd_id: i32,
    batch_id: i64,
    physical: bool,
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
        if physical {
            conn.batch_execute(&format!("SET LOCAL search_path TO {FLOOR_SCHEMA}, public"))
                .map_err(|error| error.to_string())?;
        }
        let started = Instant::now();
        let ids = budget_line::allocate_line_ids(conn, range.height())
            .map_err(|error| error.to_string())?;
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
                tahapan: crate::domain::Tahapan::Murni,
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
        let links: Vec<budget_line::NewLineDesa> = range
            .rows()
            .skip(1)
            .zip(lines.iter())
            .flat_map(|(row, line)| {
                text(row, 11)
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|kode| !kode.is_empty())
                    .map(|kode| budget_line::NewLineDesa {
                        line_id: line.id,
                        kode_desa: kode.to_owned(),
                        tag_source: crate::domain::TagSource::Impor,
                        kode_kabkota: "64.03".into(),
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        budget_line::copy_lines(conn, &lines).map_err(|error| error.to_string())?;
        budget_line::copy_desa_links(conn, &links).map_err(|error| error.to_string())?;
        Ok((read, started.elapsed()))
    })
}

/// The command-line import, run as its own process on a fresh OPD: wall time and peak RSS.
struct CliRun {
    time: Duration,
    peak_rss_mib: Option<f64>,
}

/// Creates an OPD of the demo district for one command-line run (so each run is a first import).
fn fresh_opd(conn: &mut PgConnection, run: usize) -> Result<String, String> {
    let kode = format!("9.99.0.00.0.00.{:02}.0000", run % 100);
    crate::db::opd::insert(
        conn,
        &crate::db::opd::NewOpd {
            kode_kabkota: "64.03".into(),
            kode: kode.clone(),
            nama: format!("OPD bench {run}"),
            singkatan: None,
        },
    )
    .map_err(|error| error.to_string())?;
    Ok(kode)
}

/// Runs `lokus import workplan` (this very executable) and follows its peak RSS (`VmHWM`, read
/// every few milliseconds until it exits).
fn cli_import(url: &str, file: &Path, opd: &str) -> Result<CliRun, String> {
    let exe = std::env::current_exe().map_err(|error| error.to_string())?;
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["import", "workplan"])
        .arg(file)
        .args(["--opd", opd, "--year", "2024", "--json"])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run lokus import: {error}"))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak: Option<f64> = None;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|error| error.to_string())? {
            break status;
        }
        if let Some(kib) = std::fs::read_to_string(&status_file).ok().and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse::<f64>().ok())
        }) {
            peak = Some(peak.unwrap_or(0.0).max(kib / 1024.0));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let time = started.elapsed();
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
        }
        return Err(format!("lokus import exited with {status}: {stderr}"));
    }
    Ok(CliRun {
        time,
        peak_rss_mib: peak,
    })
}

/// Whether python3 can run the naive script: the reason when not.
fn python_missing() -> Option<String> {
    match Command::new("python3")
        .args(["-c", "import pandas, python_calamine, psycopg"])
        .output()
    {
        Ok(output) if output.status.success() => None,
        Ok(output) => Some(
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("a package is missing")
                .to_owned(),
        ),
        Err(error) => Some(format!("python3 not found ({error})")),
    }
}

fn python_import(script: &Path, file: &Path, url: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let output = Command::new("python3")
        .arg(script)
        .arg(file)
        .arg(url)
        .output()
        .map_err(|error| error.to_string())?;
    let time = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "the naive script failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(time)
}

fn write_temp(name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = std::env::temp_dir().join(format!("lokus-bench-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(path)
}

const NAIVE_SCRIPT: &str = include_str!("../scripts/naive_import.py");

/// Rounds of each measurement; the best of each is kept.
const ROUNDS: usize = 3;

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

    // A scratch database with the demo district on lokus's server, dropped at the end; lokus's own
    // database is not touched (nor created or migrated).
    let (server, _cluster) =
        crate::db::Database::server(settings).map_err(|error| error.to_string())?;
    let name = format!("lokus_bench_{}", std::process::id());
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
    let mut temp_files: Vec<PathBuf> = Vec::new();
    let outcome = (|| -> Result<(), String> {
        let mut conn = PgConnection::establish(&url).map_err(|error| error.to_string())?;
        crate::db::run_migrations(&mut conn).map_err(|error| error.to_string())?;
        crate::services::reference_data::ensure_loaded(&mut conn)
            .map_err(|error| error.to_string())?;
        crate::services::demo::load(&mut conn).map_err(|error| error.to_string())?;
        create_floor_tables(&mut conn)?;
        let unit = crate::db::opd::find_by_kode(&mut conn, "64.03", "1.02.0.00.0.00.01.0000")
            .map_err(|error| error.to_string())?
            .ok_or("demo OPD missing")?;
        let request = ImportRequest {
            kind: ImportKind::Workplan,
            kode_kabkota: "64.03".into(),
            tahun: 2024,
            tahapan: Tahapan::Murni,
            opd_id: Some(unit.id),
            sheet: None,
            create_opds: false,
            file_name: "bench.xlsx".into(),
            max_rows: usize::MAX,
            rules: Default::default(),
        };
        let actor = Actor::cli().in_district("64.03");
        // a committed batch for the floors' lines to belong to
        let batch_id = {
            let report = import::import_now(
                &mut conn,
                &actor,
                &ImportRequest { ..request.clone() },
                &generate_workplan(1).map_err(|error| error.to_string())?,
                false,
                &CommitOptions::default(),
                &Silent,
            )
            .map_err(|error| error.to_string())?;
            report.batch_id.ok_or("no batch for the floor's lines")?
        };
        vacuum(&mut conn)?;

        // lokus in-process (parse, validate, compare, commit, rolled back) and both floors, interleaved
        let mut lokus_best = Duration::MAX;
        let mut peak = 0.0f64;
        let (mut physical_read, mut physical_copy) = (Duration::MAX, Duration::MAX);
        let (mut current_read, mut current_copy) = (Duration::MAX, Duration::MAX);
        let (mut read_only, mut analysed) = (Duration::MAX, Duration::MAX);
        for _ in 0..ROUNDS {
            let (read, copy) = floor_run(&mut conn, &bytes, unit.id, batch_id, true)?;
            physical_read = physical_read.min(read);
            physical_copy = physical_copy.min(copy);
            vacuum(&mut conn)?;

            let (read, copy) = floor_run(&mut conn, &bytes, unit.id, batch_id, false)?;
            current_read = current_read.min(read);
            current_copy = current_copy.min(copy);
            vacuum(&mut conn)?;

            reset_peak_rss();
            let report = rolled_back(&mut conn, |conn| {
                let started = Instant::now();
                let report = import::import_now(
                    conn,
                    &actor,
                    &request,
                    &bytes,
                    false,
                    &CommitOptions::default(),
                    &Silent,
                )
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
            vacuum(&mut conn)?;

            // where lokus's time goes, in the same round: reading alone, reading + checking + comparing
            let started = Instant::now();
            let parsed = crate::spreadsheet::read::read_workbook(
                &bytes,
                &crate::spreadsheet::read::ReadOptions {
                    max_rows: usize::MAX,
                    ..Default::default()
                },
            )
            .map_err(|error| error.to_string())?;
            read_only = read_only.min(started.elapsed());
            drop(parsed);
            let started = Instant::now();
            let analysis =
                import::analyse(&mut conn, &request, &bytes).map_err(|error| error.to_string())?;
            analysed = analysed.min(started.elapsed());
            drop(analysis);
        }
        let physical = physical_read + physical_copy;
        let current = current_read + current_copy;

        println!(
            "physical floor: calamine read {:.2} s + COPY into tables without triggers {:.2} s = {:.2} s",
            seconds(physical_read),
            seconds(physical_copy),
            seconds(physical)
        );
        println!(
            "current floor:  calamine read {:.2} s + COPY into lokus's tables {:.2} s = {:.2} s",
            seconds(current_read),
            seconds(current_copy),
            seconds(current)
        );
        println!(
            "lokus:          parse + validate + commit {:.2} s (best of each phase: read {:.2} s, read + check + compare {:.2} s, so writing about {:.2} s)",
            seconds(lokus_best),
            seconds(read_only),
            seconds(analysed),
            seconds(lokus_best.saturating_sub(analysed))
        );
        println!(
            "ratio:          {:.2}x the physical floor (target: at most 1.5x), {:.2}x the current floor",
            seconds(lokus_best) / seconds(physical),
            seconds(lokus_best) / seconds(current)
        );
        println!("memory:         peak RSS during the in-process import {peak:.0} MiB");

        // the whole command line against the naive script, interleaved, each CLI run a first import
        let file = write_temp("workplan.xlsx", &bytes)?;
        temp_files.push(file.clone());
        let python = match python_missing() {
            None => {
                let script = write_temp("naive_import.py", NAIVE_SCRIPT.as_bytes())?;
                temp_files.push(script.clone());
                Some(script)
            }
            Some(reason) => {
                println!(
                    "python:         skipped, python3 cannot run scripts/naive_import.py: {reason} \
                     (pip install pandas python-calamine \"psycopg[binary]\")"
                );
                None
            }
        };
        let (mut cli_best, mut python_best) = (Duration::MAX, Duration::MAX);
        let mut cli_peak = 0.0f64;
        for round in 0..ROUNDS {
            if let Some(script) = &python {
                python_best = python_best.min(python_import(script, &file, &url)?);
            }
            vacuum(&mut conn)?;
            let opd = fresh_opd(&mut conn, round)?;
            let run = cli_import(&url, &file, &opd)?;
            cli_best = cli_best.min(run.time);
            cli_peak = cli_peak.max(run.peak_rss_mib.unwrap_or(0.0));
            vacuum(&mut conn)?;
        }
        println!(
            "command line:   `lokus import workplan` {:.2} s end to end, peak RSS {cli_peak:.0} MiB",
            seconds(cli_best)
        );
        if python.is_some() {
            println!(
                "python:         naive pandas (calamine) + psycopg COPY {:.2} s: lokus is {:.2}x faster (target: at least 1.5x)",
                seconds(python_best),
                seconds(python_best) / seconds(cli_best)
            );
        }

        // memory at the row limit: the command line on a fresh OPD
        // twice the lines, at most as many as one sheet may hold below its header (the 200,000-row
        // limit: 200,000 lines for the default 100,000)
        let memory_lines = (2 * lines).min(settings.max_import_rows);
        let big = generate_workplan(memory_lines).map_err(|error| error.to_string())?;
        let big_file = write_temp("workplan-200k.xlsx", &big)?;
        temp_files.push(big_file.clone());
        drop(big);
        let opd = fresh_opd(&mut conn, ROUNDS)?;
        let run = cli_import(&url, &big_file, &opd)?;
        println!(
            "memory:         {memory_lines} lines through the command line: peak RSS {:.0} MiB in {:.2} s (target: below 250 MiB)",
            run.peak_rss_mib.unwrap_or(0.0),
            seconds(run.time)
        );

        // a revision in which every line changes (a perubahan of the whole workplan), after the first import
        let revision = generate_revision(lines, 1).map_err(|error| error.to_string())?;
        let revised = rolled_back(&mut conn, |conn| {
            import::import_now(
                conn,
                &actor,
                &request,
                &bytes,
                false,
                &CommitOptions::default(),
                &Silent,
            )
            .map_err(|error| error.to_string())?;
            let revised_request = ImportRequest {
                tahapan: Tahapan::Perubahan,
                ..request.clone()
            };
            let started = Instant::now();
            let report = import::import_now(
                conn,
                &actor,
                &revised_request,
                &revision,
                false,
                &CommitOptions::default(),
                &Silent,
            )
            .map_err(|error| error.to_string())?;
            Ok((started.elapsed(), report.diff.changed))
        })?;
        println!(
            "re-import:      {} lines changed in {:.2} s (not a stated target; for reference)",
            revised.1,
            seconds(revised.0)
        );
        Ok(())
    })();
    for file in temp_files {
        let _ = std::fs::remove_file(file);
    }
    let _ = diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(&name)
    ))
    .execute(&mut admin);
    outcome
}

// --- lokus bench realisasi (helper "jobs") ---------------------------------------------------

/// Share of a line's pagu spent in each month, in percent of the year's 90 %: a slow first
/// triwulan, most of the money in triwulan III-IV (the demo's curve).
const MONTH_WEIGHTS: [u32; 12] = [2, 3, 4, 6, 7, 8, 10, 11, 12, 12, 12, 13];

/// The year's figures of one line as an officer enters them: 90 % of the pagu and of the target,
/// spread over the months by [`MONTH_WEIGHTS`] (so the cumulative never passes either).
fn filled_months(
    pagu: Decimal,
    target: Option<Decimal>,
) -> [Option<(Decimal, Option<Decimal>)>; 12] {
    let mut months = [None; 12];
    for (month, weight) in MONTH_WEIGHTS.iter().enumerate() {
        let share = Decimal::from(*weight * 90) / Decimal::from(10_000);
        let keuangan = (pagu * share).round_dp(0);
        let fisik = target.map(|target| (target * share).round_dp(2));
        months[month] = Some((keuangan, fisik));
    }
    months
}

/// The realisation form of `unit`'s current lines for 2024, January to December, with every month
/// filled in: the workbook an officer uploads at the end of the year.
fn filled_form(
    conn: &mut PgConnection,
    unit: &crate::db::opd::Opd,
) -> Result<(Vec<u8>, usize), String> {
    use crate::spreadsheet::realisasi_form::{FormHeader, FormLine, realisasi_form};
    let lines = crate::db::realisasi::current_lines_of_opd(conn, "64.03", unit.id, 2024)
        .map_err(|error| error.to_string())?;
    let form: Vec<FormLine> = lines
        .into_iter()
        .map(|line| FormLine {
            months: filled_months(line.pagu, line.target_output),
            id: line.id,
            sub_kegiatan_kode: line.sub_kegiatan_kode,
            kode_rekening: line.kode_rekening,
            uraian: line.uraian,
            pagu: line.pagu,
            target_output: line.target_output,
            satuan_output: line.satuan_output,
        })
        .collect();
    let header = FormHeader {
        opd_kode: unit.kode.clone(),
        opd_nama: unit.nama.clone(),
        tahun: 2024,
        from: 1,
        to: 12,
        locked_months: vec![],
    };
    let bytes = realisasi_form(&header, &form).map_err(|error| error.to_string())?;
    Ok((bytes, form.len()))
}

/// The physical floor of the realisation import: calamine reads the form's sheet, and the same
/// line-months (converted minimally) go with `COPY`, by lokus's own code, into a scratch copy of
/// `realisasi` (same columns, defaults, checks and indexes; no triggers). Rolled back.
fn realisasi_floor_run(
    conn: &mut PgConnection,
    bytes: &[u8],
    batch_id: i64,
) -> Result<(Duration, Duration, usize), String> {
    use crate::db::realisasi::{NewRealisasi, copy_months};
    use crate::spreadsheet::realisasi_form::SHEET;
    let started = Instant::now();
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let range = workbook
        .worksheet_range(SHEET)
        .map_err(|error| error.to_string())?;
    let read = started.elapsed();
    let number = |row: &[calamine::Data], column: usize| {
        row.get(column)
            .and_then(|cell| cell.as_f64())
            .and_then(Decimal::from_f64_retain)
    };
    let now = chrono::Utc::now();
    rolled_back(conn, |conn| {
        conn.batch_execute(&format!("SET LOCAL search_path TO {FLOOR_SCHEMA}, public"))
            .map_err(|error| error.to_string())?;
        let started = Instant::now();
        let mut rows = Vec::new();
        for row in range.rows().skip(1) {
            let Some(line_id) = row.first().and_then(|cell| cell.as_f64()) else {
                continue;
            };
            for month in 0..12 {
                let column = 7 + 2 * month;
                let Some(keuangan) = number(row, column) else {
                    continue;
                };
                rows.push(NewRealisasi {
                    kode_kabkota: "64.03",
                    line_id: line_id as i64,
                    bulan: month as i16 + 1,
                    keuangan,
                    fisik: number(row, column + 1),
                    user_id: None,
                    actor: "bench",
                    via: "impor",
                    batch_id: Some(batch_id),
                    entered_at: now,
                });
            }
        }
        let written = copy_months(conn, &rows).map_err(|error| error.to_string())?;
        Ok((read, started.elapsed(), written))
    })
}

/// `lokus bench realisasi`: a district's 20,000 lines with 12 months each (240,000 line-months)
/// through the realisation form in one workbook, against the physical floor, in the same run.
pub fn realisasi(settings: &Settings, lines: usize) -> Result<(), String> {
    println!(
        "lokus bench realisasi: {lines} budget lines x 12 months, release build recommended (`cargo run --release -- bench realisasi`)"
    );
    let (server, _cluster) =
        crate::db::Database::server(settings).map_err(|error| error.to_string())?;
    let name = format!("lokus_bench_realisasi_{}", std::process::id());
    let url = with_database(server.expose(), &name);
    let mut admin = PgConnection::establish(&with_database(server.expose(), "postgres"))
        .map_err(|error| error.to_string())?;
    for statement in [
        format!("DROP DATABASE IF EXISTS {}", quote_identifier(&name)),
        format!("CREATE DATABASE {}", quote_identifier(&name)),
    ] {
        diesel::sql_query(statement)
            .execute(&mut admin)
            .map_err(|error| error.to_string())?;
    }
    let outcome = (|| -> Result<(), String> {
        let mut conn = PgConnection::establish(&url).map_err(|error| error.to_string())?;
        crate::db::run_migrations(&mut conn).map_err(|error| error.to_string())?;
        crate::services::reference_data::ensure_loaded(&mut conn)
            .map_err(|error| error.to_string())?;
        crate::services::demo::load(&mut conn).map_err(|error| error.to_string())?;
        conn.batch_execute(&format!(
            "CREATE SCHEMA {FLOOR_SCHEMA};
             CREATE TABLE {FLOOR_SCHEMA}.realisasi (LIKE public.realisasi INCLUDING ALL);"
        ))
        .map_err(|error| error.to_string())?;
        let unit = crate::db::opd::find_by_kode(&mut conn, "64.03", "1.02.0.00.0.00.01.0000")
            .map_err(|error| error.to_string())?
            .ok_or("demo OPD missing")?;
        // the district's workplan: `lines` lines, committed through the workplan import
        let started = Instant::now();
        let workplan = generate_workplan(lines).map_err(|error| error.to_string())?;
        let actor = Actor::cli().in_district("64.03");
        let request = ImportRequest {
            kind: ImportKind::Workplan,
            kode_kabkota: "64.03".into(),
            tahun: 2024,
            tahapan: Tahapan::Murni,
            opd_id: Some(unit.id),
            sheet: None,
            create_opds: false,
            file_name: "bench-workplan.xlsx".into(),
            max_rows: usize::MAX,
            rules: Default::default(),
        };
        let report = import::import_now(
            &mut conn,
            &actor,
            &request,
            &workplan,
            false,
            &CommitOptions::default(),
            &Silent,
        )
        .map_err(|error| error.to_string())?;
        let batch_id = report.batch_id.ok_or("the workplan import made no batch")?;
        if report.rows.accepted != lines {
            return Err(format!(
                "the workplan import took {} of {lines} lines",
                report.rows.accepted
            ));
        }
        let (form, form_lines) = filled_form(&mut conn, &unit)?;
        println!(
            "set-up:         workplan of {lines} lines committed, realisation form with {} line-months written ({:.1} MiB) in {:.1} s",
            form_lines * 12,
            form.len() as f64 / 1_048_576.0,
            seconds(started.elapsed())
        );
        vacuum(&mut conn)?;

        let (mut floor_read, mut floor_copy) = (Duration::MAX, Duration::MAX);
        let mut lokus_best: Option<Duration> = None;
        let mut without_summary: Option<Duration> = None;
        let mut peak = 0.0f64;
        let mut written = 0;
        for _ in 0..ROUNDS {
            let (read, copy, rows) = realisasi_floor_run(&mut conn, &form, batch_id)?;
            floor_read = floor_read.min(read);
            floor_copy = floor_copy.min(copy);
            written = rows;
            vacuum(&mut conn)?;

            reset_peak_rss();
            if let Some(time) = realisasi_lokus_run(&mut conn, &actor, &unit, &form, true)? {
                lokus_best = Some(lokus_best.map_or(time, |best| best.min(time)));
                peak = peak.max(peak_rss_mib().unwrap_or(0.0));
            }
            vacuum(&mut conn)?;
            if let Some(time) = realisasi_lokus_run(&mut conn, &actor, &unit, &form, false)? {
                without_summary = Some(without_summary.map_or(time, |best| best.min(time)));
            }
            vacuum(&mut conn)?;
        }
        let floor = floor_read + floor_copy;
        println!(
            "physical floor: calamine read {:.2} s + COPY of {written} line-months into a table without triggers {:.2} s = {:.2} s",
            seconds(floor_read),
            seconds(floor_copy),
            seconds(floor)
        );
        match lokus_best {
            Some(lokus) => {
                println!(
                    "lokus:          realisation import (read, check, compare, commit) {:.2} s",
                    seconds(lokus)
                );
                println!(
                    "ratio:          {:.2}x the physical floor (target: at most 1.5x)",
                    seconds(lokus) / seconds(floor)
                );
                println!("memory:         peak RSS during the in-process import {peak:.0} MiB");
                if let Some(without) = without_summary {
                    println!(
                        "of which:       the same import without the summary's realisation triggers {:.2} s ({:.2}x the floor): the pre-aggregates cost {:.2} s",
                        seconds(without),
                        seconds(without) / seconds(floor),
                        seconds(lokus.saturating_sub(without))
                    );
                }
            }
            None => println!(
                "lokus:          not measured: this build has no realisation import of the form"
            ),
        }
        Ok(())
    })();
    let _ = diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(&name)
    ))
    .execute(&mut admin);
    outcome
}

/// lokus's realisation import of the filled form, end to end in one rolled-back transaction (as
/// `lokus import realisasi` runs it): its time, after checking it took every line-month.
fn realisasi_lokus_run(
    conn: &mut PgConnection,
    actor: &Actor,
    unit: &crate::db::opd::Opd,
    form: &[u8],
    summary_triggers: bool,
) -> Result<Option<Duration>, String> {
    let request = ImportRequest {
        opd_id: Some(unit.id),
        max_rows: usize::MAX,
        ..ImportRequest::realisasi("64.03", 2024, "bench-realisasi.xlsx")
    };
    let (time, report) = rolled_back(conn, |conn| {
        if !summary_triggers {
            // what the summary's pre-aggregates cost the import: the same run without their triggers
            conn.batch_execute(
                "ALTER TABLE realisasi DISABLE TRIGGER realisasi_summary_insert;
                 ALTER TABLE realisasi DISABLE TRIGGER realisasi_summary_delete;",
            )
            .map_err(|error| error.to_string())?;
        }
        let started = Instant::now();
        let report = import::import_now(
            conn,
            actor,
            &request,
            form,
            false,
            &CommitOptions::default(),
            &Silent,
        )
        .map_err(|error| error.to_string())?;
        Ok((started.elapsed(), report))
    })?;
    if report.status != "committed" {
        return Err(format!(
            "the realisation import did not commit: status {}, {} accepted, first error {:?}",
            report.status,
            report.rows.accepted,
            report.errors.first().map(|issue| &issue.message)
        ));
    }
    Ok(Some(time))
}

// baas: growth
/// Measurement rows like a Posyandu's, spread over ages 0-60 months, both sexes and positions,
/// with two rows in a hundred wrong (an unknown sex, an impossible date): the input of `lokus bench anthro`.
pub fn generate_measurements(rows: usize) -> String {
    let mut csv = String::from("nama,jk,tgl_lahir,tgl_ukur,bb,tb,cara_ukur\n");
    let measured = chrono::NaiveDate::from_ymd_opt(2024, 8, 15).expect("a valid date");
    for index in 0..rows {
        let age = (index * 37 % 1827) as i64;
        let birth = measured - chrono::Duration::days(age);
        let sex = if index % 2 == 0 { "L" } else { "P" };
        // roughly along the medians, with a spread of a few SD
        let spread = (index % 13) as f64 / 6.0 - 1.0;
        let length = 50.0 + 60.0 * (age as f64 / 1826.0).sqrt() * (1.0 + 0.05 * spread);
        let weight = 3.3 + 15.0 * (age as f64 / 1826.0).powf(0.7) * (1.0 + 0.12 * spread);
        let position = match index % 3 {
            0 => "berbaring",
            1 => "berdiri",
            _ => "",
        };
        let line = match index % 100 {
            99 => format!("Anak {index},X,{birth},{measured},{weight:.1},{length:.1},{position}\n"),
            98 => format!("Anak {index},{sex},{birth},31/02/2024,{weight:.1},{length:.1},\n"),
            _ => format!(
                "Anak {index},{sex},{},{measured},{weight:.1},{length:.1},{position}\n",
                birth.format("%d/%m/%Y")
            ),
        };
        csv.push_str(&line);
    }
    csv
}

/// `lokus bench anthro`: the whole of `lokus anthro` in memory (read, compute, write) on `rows`
/// generated rows, CSV to CSV and xlsx to xlsx. No database.
pub fn anthro(rows: usize) -> Result<(), String> {
    use crate::anthro::{self, FileFormat};
    use crate::i18n::Language;
    let csv = generate_measurements(rows);
    let table = anthro::read(csv.as_bytes(), FileFormat::Csv).map_err(|e| e.to_string())?;
    let computed = anthro::compute_all(table).map_err(|e| e.to_string())?;
    let xlsx = anthro::write_xlsx(&computed, Language::Id).map_err(|e| e.to_string())?;
    drop(computed);
    println!("lokus bench anthro: {rows} rows (2 in 100 with an error)");
    for (name, bytes, format) in [
        ("csv -> csv", csv.as_bytes(), FileFormat::Csv),
        ("xlsx -> xlsx", xlsx.as_slice(), FileFormat::Xlsx),
    ] {
        let started = Instant::now();
        let table = anthro::read(bytes, format).map_err(|e| e.to_string())?;
        let read = started.elapsed();
        let computed = anthro::compute_all(table).map_err(|e| e.to_string())?;
        let compute = started.elapsed() - read;
        let written = anthro::write(&computed, format, Language::Id).map_err(|e| e.to_string())?;
        let total = started.elapsed();
        println!(
            "  {name}: {:.2} s ({:.0} rows/s): read {:.2} s, compute {:.2} s, write {:.2} s; {} flagged; in {:.1} MB, out {:.1} MB",
            seconds(total),
            rows as f64 / seconds(total).max(1e-9),
            seconds(read),
            seconds(compute),
            seconds(total - read - compute),
            computed.flagged(),
            bytes.len() as f64 / 1e6,
            written.len() as f64 / 1e6,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The realisation bench's year never passes a line's pagu or target, and spends 90 % of it.
    #[test]
    fn the_filled_year_spends_ninety_percent_of_pagu_and_target() {
        assert_eq!(MONTH_WEIGHTS.iter().sum::<u32>(), 100);
        let pagu = Decimal::from(1_234_567);
        let months = filled_months(pagu, Some(Decimal::from(37)));
        let spent: Decimal = months.iter().map(|month| month.unwrap().0).sum();
        let done: Decimal = months.iter().filter_map(|month| month.unwrap().1).sum();
        assert!(
            spent <= pagu && spent >= pagu * Decimal::new(89, 2),
            "{spent}"
        );
        assert!(
            done <= Decimal::from(37) && done >= Decimal::new(3300, 2),
            "{done}"
        );
    }

    /// docs/PERFORMANCE.md states what the generated workplan holds; this keeps it true.
    #[test]
    fn the_generated_workplan_tags_five_sixths_and_links_two_thirds() {
        let bytes = generate_workplan(600).unwrap();
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = workbook.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<_> = range.rows().skip(1).collect();
        assert_eq!(rows.len(), 600);
        let text = |row: &[calamine::Data], column: usize| {
            row.get(column)
                .map(|cell| cell.to_string())
                .unwrap_or_default()
        };
        let tagged = rows.iter().filter(|row| !text(row, 9).is_empty()).count();
        let with_desa = rows.iter().filter(|row| !text(row, 11).is_empty()).count();
        let links: usize = rows
            .iter()
            .map(|row| {
                text(row, 11)
                    .split(',')
                    .filter(|kode| !kode.trim().is_empty())
                    .count()
            })
            .sum();
        assert_eq!(
            tagged, 500,
            "five sixths of the lines carry an intervention"
        );
        assert_eq!(with_desa, 400, "two thirds of the lines link a desa");
        assert_eq!(
            links, 600,
            "as many links as lines: one or two per linked line"
        );
    }
}
