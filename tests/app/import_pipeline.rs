//! The import pipeline's own guarantees: its messages in both languages, the stored report across
//! versions, what a CLI dry run leaves behind, exit codes, closed pipes, and which sheet is read.

use std::io::Read;
use std::process::{Command, Stdio};

use calamine::Reader;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::support::cli::{lokus, write_temp};
use crate::support::workbook::{V, header, line, xlsx};
use crate::support::{Seed, TestApp, TestDb};

const DINKES: &str = "1.02.0.00.0.00.01.0000";
const SUB: &str = "1.02.02.2.02.0016";

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(db: &TestDb, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(&mut db.connect())
        .expect(sql)
        .n
}

fn batches(db: &TestDb) -> i64 {
    count(db, "SELECT count(*) AS n FROM import_batch")
}

fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// One good line and one with a pagu that is not a number.
fn bad_workbook() -> Vec<u8> {
    let mut bad = line(
        SUB,
        "5.1.02.01.01.0024",
        "Tablet tambah darah",
        1.0,
        1.0,
        1.0,
        "DAU",
        "",
        "",
    );
    bad[7] = V::T("satu juta");
    xlsx(&[
        header(),
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT lokal",
            100.0,
            150_000.0,
            15_000_000.0,
            "DAU",
            "SP8",
            "",
        ),
        bad,
    ])
}

fn import_args<'a>(path: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "import", "workplan", path, "--opd", DINKES, "--year", "2024",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn import_messages_are_rendered_in_the_readers_language_and_name_the_files_header() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "salah.xlsx",
        &bad_workbook(),
    );
    let url = uploaded.location().unwrap().to_owned();

    let page = unescape(&dinkes.get(&url).text());
    assert!(page.contains("Pagu \"satu juta\" bukan angka."), "{page}");
    assert!(page.contains("ditolak"), "{page}");
    assert!(!page.contains('`'), "no backticks on the page");

    assert_eq!(dinkes.get("/bahasa/en").status, 303);
    let page = unescape(&dinkes.get(&url).text());
    assert!(
        page.contains("Pagu \"satu juta\" is not a number."),
        "{page}"
    );
    assert!(page.contains("rejected"), "{page}");
    assert!(!page.contains("bukan angka"), "{page}");
    assert!(!page.contains("ditolak"), "{page}");

    let annotated = dinkes.get(&format!("{url}/catatan.xlsx"));
    assert_eq!(annotated.status, 200);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(annotated.body)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let notes_column = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|cell| matches!(cell, calamine::Data::String(text) if text == "Import notes"))
        .expect("the notes column in English");
    let note = sheet.get((2, notes_column)).unwrap().to_string();
    assert_eq!(note, "Error: Pagu \"satu juta\" is not a number.");

    // the command line speaks Indonesian unless asked otherwise
    let path = write_temp("salah.xlsx", &bad_workbook());
    let path = path.to_str().unwrap();
    let indonesian = lokus(&app.db, &import_args(path, &["--dry-run"]), &[]);
    let out = String::from_utf8_lossy(&indonesian.stdout);
    assert!(
        out.contains("(Pagu): Pagu \"satu juta\" bukan angka."),
        "{out}"
    );
    let english = lokus(
        &app.db,
        &import_args(path, &["--dry-run", "--json"]),
        &[("LOKUS_LANG", "en")],
    );
    let report: serde_json::Value = serde_json::from_slice(&english.stdout).unwrap();
    let error = &report["errors"][0];
    assert_eq!(error["message"], "Pagu \"satu juta\" is not a number.");
    assert_eq!(error["message_key"], "CellNotANumber");
    assert_eq!(error["field"], "pagu");
    assert_eq!(error["header"], "Pagu");
    let flag = lokus(
        &app.db,
        &import_args(path, &["--dry-run", "--lang", "en"]),
        &[],
    );
    assert!(
        String::from_utf8_lossy(&flag.stdout).contains("is not a number"),
        "{}",
        String::from_utf8_lossy(&flag.stdout)
    );
    assert!(
        String::from_utf8_lossy(&flag.stderr).is_empty(),
        "LOKUS_LANG is no unknown setting: {}",
        String::from_utf8_lossy(&flag.stderr)
    );
}

#[test]
fn a_cli_dry_run_of_a_file_with_errors_changes_nothing() {
    let db = TestDb::new(Seed::Demo);
    let path = write_temp("dry.xlsx", &bad_workbook());
    let before = batches(&db);
    let dry = lokus(
        &db,
        &import_args(path.to_str().unwrap(), &["--dry-run"]),
        &[],
    );
    assert_eq!(dry.status.code(), Some(1), "rejected: the file has errors");
    assert_eq!(batches(&db), before, "a dry run keeps no batch");
    // without --dry-run the rejected file goes into the history
    let real = lokus(&db, &import_args(path.to_str().unwrap(), &[]), &[]);
    assert_eq!(real.status.code(), Some(1));
    assert_eq!(batches(&db), before + 1);
}

#[test]
fn a_database_failure_has_its_own_exit_code_and_help_documents_them() {
    let db = TestDb::new(Seed::Demo);
    let path = write_temp("good.xlsx", &xlsx(&[header()]));
    let down = lokus(
        &db,
        &import_args(path.to_str().unwrap(), &["--dry-run"]),
        &[("DATABASE_URL", "postgres://nobody@127.0.0.1:9/none")],
    );
    assert_eq!(
        down.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    let help = lokus(&db, &["import", "workplan", "--help"], &[]);
    let help = String::from_utf8_lossy(&help.stdout);
    for code in [
        "0 committed",
        "1 rejected",
        "2 the file cannot be read",
        "3 operational",
    ] {
        assert!(help.contains(code), "{code}: {help}");
    }
}

#[test]
fn printing_into_a_closed_pipe_does_not_panic() {
    let db = TestDb::new(Seed::Demo);
    let path = write_temp("pipe.xlsx", &bad_workbook());
    let runs: [&[&str]; 2] = [
        &import_args(path.to_str().unwrap(), &["--dry-run"]),
        &["district", "list"],
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lokus"))
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env("LOKUS_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -0`: the reader goes away before lokus writes anything
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(status.code(), Some(101), "{args:?}: {stderr}");
    }
}

/// The template header and one line of `pagu` on a sheet called `name`.
fn plan_sheet(book: &mut rust_xlsxwriter::Workbook, name: &str, pagu: f64) {
    let sheet = book.add_worksheet().set_name(name).unwrap();
    let cells = [
        vec![
            "Kode Sub Kegiatan".to_owned(),
            "Nama Sub Kegiatan".to_owned(),
            "Uraian".to_owned(),
        ],
        vec![
            SUB.to_owned(),
            "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat".to_owned(),
            format!("Baris {name}"),
        ],
    ];
    for (row, texts) in cells.iter().enumerate() {
        for (column, text) in texts.iter().enumerate() {
            sheet.write_string(row as u32, column as u16, text).unwrap();
        }
    }
    sheet.write_string(0, 3, "Pagu").unwrap();
    sheet.write_number(1, 3, pagu).unwrap();
}

#[test]
fn the_report_says_which_sheet_was_read_and_leaves_hidden_decoys_out() {
    let db = TestDb::new(Seed::Demo);
    let mut book = rust_xlsxwriter::Workbook::new();
    plan_sheet(&mut book, "Palsu", 2_999_999_997.0);
    plan_sheet(&mut book, "Rencana", 2_000_000.0);
    plan_sheet(&mut book, "Cadangan", 5_000.0);
    book.worksheet_from_name("Rencana")
        .unwrap()
        .set_active(true);
    book.worksheet_from_name("Palsu")
        .unwrap()
        .set_very_hidden(true);
    let path = write_temp("decoy.xlsx", &book.save_to_buffer().unwrap());
    let output = lokus(
        &db,
        &import_args(path.to_str().unwrap(), &["--dry-run", "--json"]),
        &[("LOKUS_LANG", "en")],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!("{}", String::from_utf8_lossy(&output.stderr));
    });
    assert_eq!(report["sheet"], "Rencana");
    assert_eq!(
        report["total_pagu"], "2000000.00",
        "the visible sheet's pagu"
    );
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|warning| warning["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("\"Rencana\" was read") && w.contains("Cadangan")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("Hidden sheets") && w.contains("Palsu")),
        "{warnings:?}"
    );
}

fn execute(db: &TestDb, sql: &str) {
    diesel::sql_query(sql)
        .execute(&mut db.connect())
        .expect(sql);
}

#[test]
fn a_report_stored_by_an_older_version_still_renders() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "lama.xlsx",
        &bad_workbook(),
    );
    let url = uploaded.location().unwrap().to_owned();
    let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    // version 1's shape: no version, messages stored as Indonesian sentences, no headers
    let old = serde_json::json!({
        "status": "rejected", "file_name": "lama.xlsx", "sha256": "ab", "sheet": "Sheet1",
        "header_row": 1, "layout": "tabel", "tahun": 2024, "tahapan": "murni",
        "rows": {"read": 2, "accepted": 1, "skipped": 0, "rejected": 1},
        "total_pagu": "15000000.00", "pagu_by_jenis": {}, "pagu_by_intervensi": {},
        "skipped_by_reason": {"contoh": 1},
        "errors": [{"sheet": "Sheet1", "row": 3, "column": "H", "field": "pagu",
                    "message": "Pagu `satu juta` bukan angka."}],
        "warnings": [], "opds": [], "other_opds": [], "unknown_opds": [],
        "diff": {"added": 1, "removed": 0, "changed": 0, "unchanged": 0,
                 "total_before": "0.00", "total_after": "15000000.00", "changes": []},
        "same_file_as": null, "batch_id": null
    });
    execute(
        &app.db,
        &format!("UPDATE import_batch SET report = '{old}'::jsonb WHERE id = {id}"),
    );
    let page = dinkes.get(&url);
    assert_eq!(page.status, 200, "{}", page.text());
    let text = unescape(&page.text());
    assert!(text.contains("Pagu `satu juta` bukan angka."), "{text}");
    assert!(text.contains("baris contoh: 1"), "{text}");
    assert_eq!(dinkes.get(&format!("{url}/catatan.xlsx")).status, 200);

    // a shape no version knows: the page shows the batch's own columns and says so
    execute(
        &app.db,
        &format!(
            "UPDATE import_batch SET report = '{{\"rows\": \"many\", \"errors\": 7}}'::jsonb WHERE id = {id}"
        ),
    );
    let page = dinkes.get(&url);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        unescape(&page.text()).contains("disimpan oleh versi lokus lain"),
        "{}",
        page.text()
    );
}

#[test]
fn uncommitted_uploads_expire_and_lose_their_file() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let upload = |client: &mut crate::support::Client, name: &str| {
        let response = client.upload(
            &[("tahun", "2024"), ("tahapan", "murni")],
            name,
            &bad_workbook(),
        );
        let url = response.location().unwrap().to_owned();
        let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
        (url, id)
    };
    let (old_url, old) = upload(&mut dinkes, "kemarin.xlsx");
    let (_, fresh) = upload(&mut dinkes, "hari-ini.xlsx");
    execute(
        &app.db,
        &format!(
            "UPDATE import_batch SET created_at = now() - interval '25 hours' WHERE id = {old}"
        ),
    );
    // listing the uploads is what expires them
    assert_eq!(dinkes.get("/impor").status, 200);
    let status = |id: i64| {
        count(
            &app.db,
            &format!(
                "SELECT count(*) AS n FROM import_batch WHERE id = {id} AND status = 'discarded' AND length(file) = 0"
            ),
        )
    };
    assert_eq!(status(old), 1, "expired: discarded, file dropped");
    assert_eq!(status(fresh), 0, "a fresh upload stays");
    let page = dinkes.get(&old_url);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("dibatalkan"));
    assert!(
        !page.text().contains("/berkas"),
        "no download of a dropped file"
    );
}

#[test]
fn a_report_keeps_its_first_thousand_errors_and_counts_them_all() {
    let db = TestDb::new(Seed::Demo);
    let mut rows = vec![header()];
    for _ in 0..1_200 {
        let mut bad = line(
            SUB,
            "5.1.02.01.01.0024",
            "Tablet",
            1.0,
            1.0,
            1.0,
            "DAU",
            "",
            "",
        );
        bad[7] = V::T("satu juta");
        rows.push(bad);
    }
    let path = write_temp("banyak.xlsx", &xlsx(&rows));
    let output = lokus(
        &db,
        &import_args(path.to_str().unwrap(), &["--dry-run", "--json"]),
        &[],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 1_000);
    assert_eq!(report["error_count"], 1_200);
    assert_eq!(report["rows"]["rejected"], 1_200);
    let human = lokus(
        &db,
        &import_args(path.to_str().unwrap(), &["--dry-run"]),
        &[],
    );
    let out = String::from_utf8_lossy(&human.stdout);
    assert!(out.contains("... dan 200 lainnya."), "{out}");
    assert!(out.contains("(1200 errors)"), "{out}");
}

#[test]
fn long_file_names_are_refused_and_stored_long_texts_still_download() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let before = batches(&app.db);
    let long_name = format!("{}.xlsx", "x".repeat(40_000));
    let refused = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        &long_name,
        &bad_workbook(),
    );
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("Nama berkas terlalu panjang"));
    assert_eq!(batches(&app.db), before, "nothing kept");

    // texts stored before the limits existed: every download still answers
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "biasa.xlsx",
        &bad_workbook(),
    );
    assert_eq!(uploaded.status, 303);
    execute(
        &app.db,
        "UPDATE import_batch SET file_name = '=' || repeat('x', 40000), actor = repeat('y', 40000)",
    );
    let history = dinkes.get("/impor?format=xlsx");
    assert_eq!(history.status, 200, "{}", history.text());
}

/// Not a check: writes `lokus::bench::generate_workplan(LOKUS_MEASURE_LINES)` to
/// `LOKUS_MEASURE_FILE`, for measuring a dry run's memory with `/usr/bin/time -v`.
#[test]
#[ignore = "a tool: run with --ignored and the two variables set"]
fn write_a_generated_workplan_for_measuring() {
    let (Ok(path), Ok(lines)) = (
        std::env::var("LOKUS_MEASURE_FILE"),
        std::env::var("LOKUS_MEASURE_LINES"),
    ) else {
        return;
    };
    let lines: usize = lines.parse().expect("LOKUS_MEASURE_LINES is a number");
    std::fs::write(path, lokus::bench::generate_workplan(lines).unwrap()).unwrap();
}

/// Instructions first, the plan with a dropdown and an example row typed over, a hidden list.
fn workbook_with_instructions_lists_and_dropdowns() -> Vec<u8> {
    use rust_xlsxwriter::{DataValidation, Formula, Workbook};
    let mut book = Workbook::new();
    let notes = book.add_worksheet().set_name("Petunjuk").unwrap();
    notes
        .write_string(0, 0, "Isi lembar Rencana Kerja.")
        .unwrap();
    let plan = book.add_worksheet().set_name("Rencana Kerja").unwrap();
    let header = lokus::spreadsheet::columns::TEMPLATE_FIELDS;
    for (column, field) in header.iter().enumerate() {
        plan.write_string(0, column as u16, field.template_header())
            .unwrap();
    }
    // the example row with a line typed over it and its marker left
    let typed: [(u16, &str); 4] = [
        (0, SUB),
        (1, "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat"),
        (2, "5.1.02.01.01.0024"),
        (3, "Tablet tambah darah"),
    ];
    for (column, text) in typed {
        plan.write_string(1, column, text).unwrap();
    }
    plan.write_number(1, 7, 2_500_000.0).unwrap();
    plan.write_string(1, 15, lokus::spreadsheet::columns::EXAMPLE_MARKER)
        .unwrap();
    // a line whose pagu is not a number
    for (column, text) in typed {
        plan.write_string(2, column, text).unwrap();
    }
    plan.write_string(2, 7, "satu juta").unwrap();
    let dropdown = DataValidation::new().allow_list_formula(Formula::new("Daftar!$A$2:$A$3"));
    plan.add_data_validation(1, 9, 500, 9, &dropdown).unwrap();
    plan.set_active(true);
    let lists = book.add_worksheet().set_name("Daftar").unwrap();
    for (row, text) in ["Kode", "SP1", "SP2"].iter().enumerate() {
        lists.write_string(row as u32, 0, *text).unwrap();
    }
    lists.set_hidden(true);
    book.save_to_buffer().unwrap()
}

#[test]
fn the_error_workbook_keeps_the_other_sheets_and_dropdowns_and_marks_a_typed_over_example() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rencana.xlsx",
        &workbook_with_instructions_lists_and_dropdowns(),
    );
    let url = uploaded.location().unwrap().to_owned();
    let page = unescape(&dinkes.get(&url).text());
    assert!(
        page.contains("ditandai sebagai baris contoh"),
        "a warning, not only a count: {page}"
    );

    let annotated = dinkes.get(&format!("{url}/catatan.xlsx"));
    assert_eq!(annotated.status, 200);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(annotated.body.clone())).unwrap();
    let sheets: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .map(|sheet| {
            (
                sheet.name.clone(),
                sheet.visible == calamine::SheetVisible::Visible,
            )
        })
        .collect();
    assert_eq!(
        sheets,
        [
            ("Petunjuk".to_owned(), true),
            ("Rencana Kerja".to_owned(), true),
            ("Daftar".to_owned(), false),
        ]
    );
    let instructions = workbook.worksheet_range("Petunjuk").unwrap();
    assert_eq!(
        instructions
            .get_value((0, 0))
            .map(ToString::to_string)
            .as_deref(),
        Some("Isi lembar Rencana Kerja.")
    );
    let plan = workbook.worksheet_range("Rencana Kerja").unwrap();
    let example_note = plan
        .get_value((1, 16))
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        example_note.starts_with("Peringatan: Baris ini dilewati karena ditandai"),
        "{example_note}"
    );
    // the dropdown is there again, pointing at the list sheet
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(annotated.body)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("<dataValidation type=\"list\""), "{xml}");
    assert!(xml.contains("sqref=\"J2:J501\""), "{xml}");
    assert!(xml.contains("Daftar!$A$2:$A$3"), "{xml}");
}

#[test]
fn uploads_beyond_the_bound_wait_their_turn_while_other_requests_are_served() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    // the test pool has 3 connections: imports get at most 1 of them (half, at least one)
    let gate = lokus::services::import::gate(1);
    // take every turn (waiting for any other test's import to finish first)
    let turns = actix_web::rt::System::new().block_on(async {
        let mut turns = Vec::new();
        for _ in 0..gate.limit() {
            turns.push(gate.turn().await);
        }
        turns
    });
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut waiting = dinkes.with_addr(app.addr);
    let upload = std::thread::spawn(move || {
        let response = waiting.upload(
            &[("tahun", "2024"), ("tahapan", "murni")],
            "antre.xlsx",
            &bad_workbook(),
        );
        sender.send(response.status).unwrap();
    });
    assert!(
        receiver
            .recv_timeout(std::time::Duration::from_millis(1_500))
            .is_err(),
        "the upload waits for a turn"
    );
    // meanwhile the server answers everyone else
    assert_eq!(dinkes.get("/healthz").status, 200);
    assert_eq!(dinkes.get("/impor").status, 200);
    drop(turns);
    let status = receiver
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the upload goes once a turn is free");
    assert_eq!(status, 303, "queued, not refused");
    upload.join().unwrap();
}
