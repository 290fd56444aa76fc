//! Realisation through the import pipeline: the realisation form uploaded back (round trip, two
//! months filled, every bad cell at its row and column, months replaced with a diff), a
//! finance-system sheet (codes matched, unmatched and ambiguous keys listed, never guessed), role
//! scoping, and both kinds sharing one history and one error workbook writer.

use calamine::{Reader, Xlsx};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rust_decimal::Decimal;

use lokus::db::realisasi as db;
use lokus::i18n::MessageKey;
use lokus::services::activity_log::Actor;
use lokus::services::import::{
    CommitOptions, ImportReport, ImportRequest, Silent, analyse, import_now,
};
use lokus::services::record_realisation::{
    LineMonths, MonthInput, Period, Rules, Via, record, set_period_lock,
};

use crate::support::workbook::{FilledForm, V, xlsx};
use crate::support::{Seed, TestApp, TestDb};

/// The realisation tests' lines (see `realisasi.rs`): 9001 Dinkes (pagu 10,000,000, target 100
/// paket), 9002 Dinkes removed, 9003 PUPR's; 9004 another district's. 9005 shares 9001's codes
/// with another uraian, for the finance sheet's ambiguous key.
const FIXTURE: &str = "
    INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, actor, file_name, sha256, file, status, report)
    SELECT 9001, '64.03', 2024, 'murni', id, 't', 'f', repeat('a', 64), '', 'committed', '{}' FROM opd WHERE kode = '1.02.0.00.0.00.01.0000';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, removed_in_batch, source_row,
                             sub_kegiatan_kode, kode_rekening, uraian, pagu, target_output, satuan_output)
    SELECT 9001, '64.03', id, 2024, 'murni', 9001, NULL, 2, '1.02.02.2.02.0016', '5.1.02.01.01.0052', 'PMT balita gizi kurang', 10000000, 100, 'Paket'
      FROM opd WHERE kode = '1.02.0.00.0.00.01.0000';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, removed_in_batch, source_row,
                             sub_kegiatan_kode, uraian, pagu)
    SELECT 9002, '64.03', id, 2024, 'murni', 9001, 9001, 3, '1.02.02.2.02.0016', 'Baris lama', 5000000
      FROM opd WHERE kode = '1.02.0.00.0.00.01.0000';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, kode_rekening, uraian, pagu)
    SELECT 9003, '64.03', id, 2024, 'murni', 9001, 4, '1.03.03.2.01.0004', '5.1.02.01.01.0001', 'Jamban sehat', 8000000
      FROM opd WHERE kode = '1.03.0.00.0.00.01.0000';
    INSERT INTO districts (kode_kabkota) VALUES ('64.01');
    INSERT INTO tahun_anggaran (kode_kabkota, tahun) VALUES ('64.01', 2024);
    INSERT INTO opd (id, kode_kabkota, kode, nama) VALUES (9002, '64.01', '9.01', 'Unit Paser');
    INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, actor, file_name, sha256, file, status, report)
    VALUES (9002, '64.01', 2024, 'murni', 9002, 't', 'f', repeat('a', 64), '', 'committed', '{}');
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian, pagu)
    VALUES (9004, '64.01', 9002, 2024, 'murni', 9002, 2, '1.02.02.2.02.0016', 'Milik Paser', 1000000);
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row,
                             sub_kegiatan_kode, kode_rekening, uraian, pagu)
    SELECT 9005, '64.03', id, 2024, 'murni', 9001, 5, '1.02.02.2.02.0016', '5.1.02.01.01.0052', 'PMT ibu hamil KEK', 6000000
      FROM opd WHERE kode = '1.02.0.00.0.00.01.0000';
";

const DINKES: &str = "1.02.0.00.0.00.01.0000";

fn with_fixture(db: &TestDb) -> PgConnection {
    let mut conn = db.connect();
    conn.batch_execute(FIXTURE).expect("the fixture");
    conn
}

fn dinkes_id(conn: &mut PgConnection) -> i32 {
    lokus::db::opd::find_by_kode(conn, "64.03", DINKES)
        .unwrap()
        .unwrap()
        .id
}

fn actor() -> Actor {
    Actor::cli().in_district("64.03")
}

fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A Dinkes (`opd` scope) realisation import of `bytes`.
fn request(conn: &mut PgConnection, file_name: &str) -> ImportRequest {
    ImportRequest {
        opd_id: Some(dinkes_id(conn)),
        rules: Rules {
            fisik_tolerance_percent: 10,
        },
        ..ImportRequest::realisasi("64.03", 2024, file_name)
    }
}

fn form_header(months: &[&'static str]) -> Vec<V> {
    let mut header = vec![
        V::T("ID baris"),
        V::T("Kode sub kegiatan"),
        V::T("Kode rekening"),
        V::T("Uraian"),
        V::T("Pagu"),
    ];
    for month in months {
        header.push(V::S(format!("Keuangan {month}")));
        header.push(V::S(format!("Fisik {month}")));
    }
    header
}

fn form_row(id: V, figures: Vec<V>) -> Vec<V> {
    let mut row = vec![id, V::T("x"), V::T("x"), V::T("x"), V::N(0.0)];
    row.extend(figures);
    row
}

/// Errors of a report as (row, column letter, message key).
fn errors(report: &ImportReport) -> Vec<(u32, String, MessageKey)> {
    report
        .errors
        .iter()
        .map(|issue| {
            (
                issue.row,
                issue.column.clone().unwrap_or_default(),
                issue.message.key,
            )
        })
        .collect()
}

/// A month recorded through the line page's form, before the import under test.
fn record_month(
    conn: &mut PgConnection,
    line_id: i64,
    bulan: i16,
    keuangan: &str,
    fisik: Option<&str>,
) {
    record(
        conn,
        &actor(),
        &lokus::domain::Scope::district("64.03"),
        &[LineMonths {
            line_id,
            months: vec![MonthInput {
                bulan,
                keuangan: Some(money(keuangan)),
                fisik: fisik.map(money),
            }],
        }],
        Via::Form,
        Rules::default(),
    )
    .unwrap();
}

fn stored(conn: &mut PgConnection, line_id: i64) -> Vec<(i16, Decimal, Option<Decimal>)> {
    db::for_lines(conn, &[line_id])
        .unwrap()
        .into_iter()
        .map(|row| (row.bulan, row.keuangan, row.fisik))
        .collect()
}

#[test]
fn every_bad_cell_of_the_form_is_listed_at_its_row_and_column_and_nothing_is_written() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    set_period_lock(&mut conn, &actor(), "64.03", 2024, Period::Bulan(3), true).unwrap();
    let rows = vec![
        form_header(&["Januari", "Februari", "Maret"]),
        // row 2: a word where a figure goes (D..: F=Keuangan Jan, G=Fisik Jan, H=Keu Feb, ...)
        form_row(
            V::N(9001.0),
            vec![V::T("sejuta"), V::E, V::N(-5.0), V::E, V::N(1.0), V::E],
        ),
        // row 3: unknown, row 4: another OPD's, row 5: removed, row 6: not an id
        form_row(V::N(123456.0), vec![V::N(1.0)]),
        form_row(V::N(9003.0), vec![V::N(1.0)]),
        form_row(V::N(9002.0), vec![V::N(1.0)]),
        form_row(V::T("abc"), vec![V::N(1.0)]),
        // row 7: over the pagu (6,000,000) in February, fisik without keuangan in March
        form_row(
            V::N(9005.0),
            vec![V::N(1.0), V::E, V::N(7_000_000.0), V::E, V::E, V::N(5.0)],
        ),
        // row 8: not a whole number
        form_row(V::N(9001.5), vec![]),
    ];
    let bytes = xlsx(&rows);
    let request = request(&mut conn, "rusak.xlsx");
    let report = import_now(
        &mut conn,
        &actor(),
        &request,
        &bytes,
        false,
        &CommitOptions::default(),
        &Silent,
    )
    .unwrap();
    assert_eq!(report.status, "rejected", "{:?}", report.errors);
    let found = errors(&report);
    for expected in [
        (2, "F", MessageKey::RealisasiCellNotNumber),
        (2, "H", MessageKey::RealisasiNegative),
        (2, "J", MessageKey::RealisasiMonthLocked),
        (3, "A", MessageKey::RealisasiLineUnknown),
        // another OPD's line reads exactly like an unknown one
        (4, "A", MessageKey::RealisasiLineUnknown),
        (5, "A", MessageKey::RealisasiLineRemoved),
        (6, "A", MessageKey::RealisasiLineIdInvalid),
        (7, "H", MessageKey::RealisasiOverPagu),
        (7, "K", MessageKey::RealisasiFisikWithoutKeuangan),
        (8, "A", MessageKey::RealisasiLineIdInvalid),
    ] {
        let (row, column, key) = &expected;
        assert!(
            found
                .iter()
                .any(|(r, c, k)| r == row && c == column && k == key),
            "{expected:?} not among {found:?}"
        );
    }
    // the other OPD's line says nothing an unknown one would not
    let unknown: Vec<String> = report
        .errors
        .iter()
        .filter(|issue| issue.row == 3 || issue.row == 4)
        .map(|issue| issue.message.render_default().replace("123456", "9003"))
        .collect();
    assert_eq!(unknown[0], unknown[1]);
    // each is named by the file's own header, in Indonesian and English
    let cell = report.errors.iter().find(|issue| issue.row == 2).unwrap();
    assert_eq!(cell.header, "Keuangan Januari");
    assert!(
        cell.message
            .render(lokus::i18n::Language::En)
            .contains("is not a number")
    );
    assert!(stored(&mut conn, 9001).is_empty());
    assert!(stored(&mut conn, 9005).is_empty());
    // the rejected file is in the history, and its error workbook marks the cells
    let batch = report.batch_id.expect("kept in the history");
    let mut admin = app.login_as("admin@berau.demo");
    let annotated = admin.get(&format!("/impor/{batch}/catatan.xlsx"));
    assert_eq!(annotated.status, 200);
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(annotated.body)).unwrap();
    let mut text = String::new();
    for name in workbook.sheet_names() {
        let sheet = workbook.worksheet_range(&name).unwrap();
        text.extend(sheet.cells().map(|(_, _, v)| v.to_string()));
    }
    assert!(text.contains("bukan angka"), "{text}");
    assert!(text.contains("tidak ditemukan"), "{text}");
}

#[test]
fn a_month_header_naming_no_month_is_an_error_at_its_cell_named_by_its_header() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    // F, G: January; H, I: a thirteenth month that does not exist
    let bytes = xlsx(&[
        form_header(&["Januari", "13"]),
        form_row(V::N(9001.0), vec![V::N(100.0), V::E, V::N(200.0), V::E]),
    ]);
    let request = request(&mut conn, "bulan-13.xlsx");
    let report = analyse(&mut conn, &request, &bytes).unwrap().report;
    assert_eq!(
        errors(&report),
        vec![
            (1, "H".to_owned(), MessageKey::RealisasiHeaderMonthUnknown),
            (1, "I".to_owned(), MessageKey::RealisasiHeaderMonthUnknown),
        ]
    );
    let issue = &report.errors[0];
    assert_eq!(issue.header, "Keuangan 13");
    assert!(issue.message.render_default().contains("\"Keuangan 13\""));
    assert!(
        issue
            .message
            .render(lokus::i18n::Language::En)
            .contains("names no month")
    );
}

#[test]
fn a_realisation_sheet_of_exactly_max_import_rows_passes_and_one_row_more_is_refused() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    let bytes = xlsx(&[
        form_header(&["Januari"]),
        form_row(V::N(9001.0), vec![V::N(100.0)]),
        form_row(V::N(9005.0), vec![V::N(200.0)]),
    ]);
    let at_limit = ImportRequest {
        max_rows: 2,
        ..request(&mut conn, "dua.xlsx")
    };
    let report = analyse(&mut conn, &at_limit, &bytes).unwrap().report;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.rows.accepted, 2);
    let below = ImportRequest {
        max_rows: 1,
        ..at_limit
    };
    let Err(error) = analyse(&mut conn, &below, &bytes) else {
        panic!("two rows of data above a limit of one are refused");
    };
    let message = error.user_message().unwrap().render_default();
    assert!(
        message.contains("memakai 2 baris di bawah judul kolom, melebihi batas 1 baris"),
        "{message}"
    );
}

#[test]
fn the_fisik_warning_does_not_block_and_a_month_is_replaced_with_its_diff() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    record_month(&mut conn, 9001, 1, "500000", Some("5"));
    let bytes = xlsx(&[
        form_header(&["Januari", "Februari"]),
        form_row(
            V::N(9001.0),
            vec![V::N(750_000.0), V::N(6.0), V::N(1_250_000.5), V::N(200.0)],
        ),
    ]);
    let request = request(&mut conn, "isi.xlsx");
    let dry = analyse(&mut conn, &request, &bytes).unwrap().report;
    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert_eq!(
        dry.warnings
            .iter()
            .map(|issue| (issue.row, issue.column.clone(), issue.message.key))
            .collect::<Vec<_>>(),
        vec![(
            2,
            Some("I".to_owned()),
            MessageKey::RealisasiFisikOverTarget
        )]
    );
    let diff = &dry.realisasi;
    assert_eq!((diff.lines_changed, diff.months_changed), (1, 2));
    assert_eq!(diff.total_before, "500000.00");
    assert_eq!(diff.total_after, "2000000.50");
    assert_eq!(diff.changes[0].bulan, 1);
    assert_eq!(
        diff.changes[0].keuangan_before.as_deref(),
        Some("500000.00")
    );
    assert_eq!(diff.changes[0].keuangan_after.as_deref(), Some("750000.00"));
    assert_eq!(diff.changes[1].keuangan_before, None);
    assert_eq!(diff.changes[0].uraian, "PMT balita gizi kurang");
    assert!(stored(&mut conn, 9001)[0].1 == money("500000"), "a dry run");

    let committed = import_now(
        &mut conn,
        &actor(),
        &request,
        &bytes,
        false,
        &CommitOptions::default(),
        &Silent,
    )
    .unwrap();
    assert_eq!(committed.status, "committed");
    assert_eq!(
        stored(&mut conn, 9001),
        vec![
            (1, money("750000"), Some(money("6"))),
            (2, money("1250000.5"), Some(money("200"))),
        ]
    );
    let via: (String, Option<i64>) =
        diesel::sql_query("SELECT via, batch_id FROM realisasi WHERE line_id = 9001 AND bulan = 2")
            .get_result::<Via2>(&mut conn)
            .map(|row| (row.via, row.batch_id))
            .unwrap();
    assert_eq!(via, ("impor".to_owned(), committed.batch_id));
}

#[derive(QueryableByName)]
struct Via2 {
    #[diesel(sql_type = diesel::sql_types::Text)]
    via: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    batch_id: Option<i64>,
}

fn upload_realisasi(client: &mut crate::support::http::Client, bytes: &[u8]) -> String {
    let uploaded = client.upload(
        &[
            ("kind", "realisasi"),
            ("tahun", "2024"),
            ("tahapan", "murni"),
        ],
        "formulir.xlsx",
        bytes,
    );
    assert_eq!(uploaded.status, 303, "{}", uploaded.text());
    uploaded.location().unwrap().to_owned()
}

#[test]
fn the_downloaded_form_uploaded_unchanged_is_no_change_and_two_filled_months_commit() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    record_month(&mut conn, 9001, 2, "1234567.89", Some("3.25"));
    set_period_lock(&mut conn, &actor(), "64.03", 2024, Period::Bulan(2), true).unwrap();
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let form = dinkes.get("/realisasi/formulir.xlsx?tahun=2024&bulan=1-6");
    assert_eq!(form.status, 200);

    // unchanged: a preview of nothing
    let preview = upload_realisasi(&mut dinkes, &form.body);
    let page = dinkes.get(&preview).text();
    assert!(page.contains("0 bulan pada 0 baris"), "{page}");
    let batch: i64 = preview.trim_start_matches("/impor/").parse().unwrap();
    let report = lokus::services::import::stored_report(
        &lokus::db::budget_line::find_batch_for_scope(
            &mut conn,
            batch,
            &lokus::domain::Scope {
                kode_kabkota: "64.03".into(),
                opd_id: None,
                sponsor_user_id: None,
            },
        )
        .unwrap()
        .unwrap(),
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.realisasi.months_changed, 0);
    assert_eq!(report.kind, "realisasi");

    // the same workbook with two months filled in
    let mut form = FilledForm::read(&form.body);
    let line = form.row_of_line(9001);
    form.fill(
        line,
        &[
            ("Keuangan Januari", 400_000.0),
            ("Fisik Januari", 4.0),
            ("Keuangan April", 600_000.0),
            ("Fisik April", 6.0),
        ],
    );
    let filled = form.to_xlsx();
    let preview = upload_realisasi(&mut dinkes, &filled);
    let page = dinkes.get(&preview).text();
    assert!(page.contains("2 bulan pada 1 baris"), "{page}");
    assert!(page.contains("Keuangan sesudah"));
    let committed = dinkes.submit(&preview, &format!("{preview}/simpan"), &[]);
    assert_eq!(committed.status, 303, "{}", committed.text());
    assert!(
        dinkes
            .get(committed.location().unwrap())
            .text()
            .contains("2 bulan berubah")
    );
    let figures = stored(&mut conn, 9001);
    assert_eq!(
        figures,
        vec![
            (1, money("400000"), Some(money("4"))),
            (2, money("1234567.89"), Some(money("3.25"))),
            (4, money("600000"), Some(money("6"))),
        ]
    );
    // both kinds in one history
    let history = dinkes.get("/impor").text();
    assert!(history.contains("realisasi"), "{history}");
}

#[test]
fn a_finance_sheet_is_matched_by_codes_summed_per_month_and_never_guessed() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    // PUPR's only line has its own codes; 9001 and 9005 share theirs
    let rows = vec![
        vec![V::T("Laporan realisasi SP2D")],
        vec![
            V::T("Tanggal SP2D"),
            V::T("Nomor SP2D"),
            V::T("Kode Sub Kegiatan"),
            V::T("Kode Rekening"),
            V::T("Uraian"),
            V::T("Nilai"),
        ],
        // rows 3-4: 9001 by its uraian, twice in March (summed), once in April
        vec![
            V::T("05/03/2024"),
            V::T("001"),
            V::T("1.02.02.2.02.0016"),
            V::T("5.1.02.01.01.0052"),
            V::T("PMT balita gizi kurang"),
            V::N(100_000.0),
        ],
        vec![
            V::T("2024-03-20"),
            V::T("002"),
            V::T("1.02.02.2.02.0016"),
            V::T("5.1.02.01.01.0052"),
            V::T("pmt  balita gizi KURANG"),
            V::N(50_000.0),
        ],
        vec![
            V::T("02/04/2024"),
            V::T("003"),
            V::T("1.02.02.2.02.0016"),
            V::T("5.1.02.01.01.0052"),
            V::T("PMT balita gizi kurang"),
            V::T("Rp 25.000,00"),
        ],
        // row 6: the codes match 9001 and 9005 and the uraian neither: ambiguous
        vec![
            V::T("02/04/2024"),
            V::T("004"),
            V::T("1.02.02.2.02.0016"),
            V::T("5.1.02.01.01.0052"),
            V::T("Belanja lain"),
            V::N(1.0),
        ],
        // row 7: no such line; row 8: PUPR's line, foreign to Dinkes: unmatched too
        vec![
            V::T("02/04/2024"),
            V::T("005"),
            V::T("9.99.99.9.99.9999"),
            V::T("5.1.02.01.01.0052"),
            V::E,
            V::N(1.0),
        ],
        vec![
            V::T("02/04/2024"),
            V::T("006"),
            V::T("1.03.03.2.01.0004"),
            V::T("5.1.02.01.01.0001"),
            V::E,
            V::N(1.0),
        ],
        // row 9: last year's payment
        vec![
            V::T("31/12/2023"),
            V::T("007"),
            V::T("1.02.02.2.02.0016"),
            V::T("5.1.02.01.01.0052"),
            V::T("PMT balita gizi kurang"),
            V::N(1.0),
        ],
    ];
    let bytes = xlsx(&rows);
    let request = request(&mut conn, "sp2d.xlsx");
    let report = analyse(&mut conn, &request, &bytes).unwrap().report;
    assert_eq!(report.layout, "keuangan");
    assert_eq!(report.header_row, 2);
    let found = errors(&report);
    assert_eq!(
        found,
        vec![
            (6, "C".to_owned(), MessageKey::RealisasiKeyAmbiguous),
            (7, "C".to_owned(), MessageKey::RealisasiKeyUnmatched),
            (8, "C".to_owned(), MessageKey::RealisasiKeyUnmatched),
            (9, "A".to_owned(), MessageKey::RealisasiDateOutsideYear),
        ]
    );
    assert!(
        report.errors[0]
            .message
            .render_default()
            .contains("9001, 9005")
    );

    // without the bad rows the sums land per line and month
    let good = xlsx(&rows[..5]);
    let committed = import_now(
        &mut conn,
        &actor(),
        &request,
        &good,
        false,
        &CommitOptions::default(),
        &Silent,
    )
    .unwrap();
    assert_eq!(committed.status, "committed", "{:?}", committed.errors);
    assert_eq!(
        stored(&mut conn, 9001),
        vec![(3, money("150000"), None), (4, money("25000"), None)]
    );
}

#[test]
fn a_sheet_of_neither_layout_is_refused_with_what_it_lacks() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    let bytes = xlsx(&[vec![V::T("Kode Sub Kegiatan"), V::T("Kode Rekening")]]);
    let request = request(&mut conn, "x.xlsx");
    let Err(error) = analyse(&mut conn, &request, &bytes) else {
        panic!("a sheet without a header is refused");
    };
    let message = error.user_message().unwrap().render_default();
    assert!(message.contains("Nilai"), "{message}");
}

#[test]
fn the_command_line_writes_the_form_and_imports_it_with_the_workplan_imports_json_and_exit_codes() {
    use crate::support::cli::{lokus, write_temp};
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    let dir = write_temp("placeholder", b"");
    let form = dir.with_file_name("formulir.xlsx");
    let written = lokus(
        &app.db,
        &[
            "template",
            "realisasi",
            "--year",
            "2024",
            "--opd",
            DINKES,
            "--bulan",
            "1-6",
            "-o",
            form.to_str().unwrap(),
            "--kabkota",
            "64.03",
        ],
        &[],
    );
    assert!(written.status.success(), "{written:?}");
    let bytes = std::fs::read(&form).unwrap();
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let sheet = workbook.worksheet_range("Realisasi").unwrap();
    assert_eq!(sheet.height(), 3, "9001 and 9005, under the header");
    assert_eq!(
        sheet.get_value((0, 18)).map(ToString::to_string).as_deref(),
        Some("Fisik Juni")
    );

    // unchanged: a dry run of no change, exit 0
    let path = form.to_str().unwrap();
    let args = |extra: &[&'static str]| {
        let mut all = vec![
            "import",
            "realisasi",
            path,
            "--year",
            "2024",
            "--opd",
            DINKES,
            "--kabkota",
            "64.03",
        ];
        all.extend_from_slice(extra);
        all
    };
    let dry = lokus(&app.db, &args(&["--dry-run", "--json"]), &[]);
    assert_eq!(dry.status.code(), Some(0), "{dry:?}");
    let report: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(report["kind"], "realisasi");
    assert_eq!(report["status"], "dry_run");
    assert_eq!(report["realisasi"]["months_changed"], 0);

    // a file with an unknown line: rejected, exit 1, each error with its row, column and key
    let bad = write_temp(
        "salah.xlsx",
        &xlsx(&[
            form_header(&["Januari"]),
            form_row(V::N(123456.0), vec![V::N(1.0)]),
        ]),
    );
    let bad_path = bad.to_str().unwrap();
    let rejected = lokus(
        &app.db,
        &[
            "import",
            "realisasi",
            bad_path,
            "--year",
            "2024",
            "--opd",
            DINKES,
            "--json",
            "--kabkota",
            "64.03",
        ],
        &[],
    );
    assert_eq!(rejected.status.code(), Some(1), "{rejected:?}");
    let report: serde_json::Value = serde_json::from_slice(&rejected.stdout).unwrap();
    assert_eq!(report["status"], "rejected");
    assert_eq!(report["errors"][0]["row"], 2);
    assert_eq!(report["errors"][0]["column"], "A");
    assert_eq!(report["errors"][0]["message_key"], "RealisasiLineUnknown");

    // not a workbook: exit 2; an unknown OPD: exit 2
    let text = write_temp("catatan.xlsx", b"just some text");
    let unreadable = lokus(
        &app.db,
        &[
            "import",
            "realisasi",
            text.to_str().unwrap(),
            "--year",
            "2024",
            "--kabkota",
            "64.03",
        ],
        &[],
    );
    assert_eq!(unreadable.status.code(), Some(2), "{unreadable:?}");
    let unknown = lokus(
        &app.db,
        &[
            "import",
            "realisasi",
            path,
            "--year",
            "2024",
            "--opd",
            "9.99",
            "--kabkota",
            "64.03",
        ],
        &[],
    );
    assert_eq!(unknown.status.code(), Some(2));

    // two months filled, committed from the command line
    let filled = write_temp(
        "isi.xlsx",
        &xlsx(&[
            form_header(&["Januari", "Februari"]),
            form_row(
                V::N(9001.0),
                vec![V::N(100.0), V::N(1.0), V::N(200.0), V::N(2.0)],
            ),
        ]),
    );
    let committed = lokus(
        &app.db,
        &[
            "import",
            "realisasi",
            filled.to_str().unwrap(),
            "--year",
            "2024",
            "--kabkota",
            "64.03",
        ],
        &[],
    );
    assert_eq!(committed.status.code(), Some(0), "{committed:?}");
    let said = String::from_utf8_lossy(&committed.stdout);
    assert!(said.contains("2 month(s) replaced on 1 line(s)"), "{said}");
    assert_eq!(
        stored(&mut conn, 9001),
        vec![
            (1, money("100"), Some(money("1"))),
            (2, money("200"), Some(money("2")))
        ]
    );
}

fn workplan(lines: &[(&'static str, &'static str, f64)]) -> Vec<u8> {
    use crate::support::workbook::{header, line};
    let mut rows = vec![header()];
    for (rekening, uraian, pagu) in lines {
        rows.push(line(
            "1.02.02.2.02.0016",
            rekening,
            uraian,
            1.0,
            *pagu,
            *pagu,
            "DAU",
            "",
            "",
        ));
    }
    xlsx(&rows)
}

fn line_by_uraian(conn: &mut PgConnection, uraian: &str) -> (i64, Option<i64>) {
    use lokus::db::schema::budget_line;
    budget_line::table
        .filter(budget_line::uraian.eq(uraian))
        .select((budget_line::id, budget_line::removed_in_batch))
        .first(conn)
        .unwrap()
}

#[test]
fn a_revision_removing_lines_with_realisation_says_so_and_needs_its_own_confirmation() {
    use crate::support::cli::{lokus, write_temp};
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let first = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "murni.xlsx",
        &workplan(&[
            ("5.1.02.01.01.0052", "PMT lokal balita", 15_000_000.0),
            (
                "5.1.02.02.01.0026",
                "Honorarium kader posyandu",
                6_000_000.0,
            ),
        ]),
    );
    let url = first.location().unwrap().to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );
    let mut conn = app.db.connect();
    let (pmt, _) = line_by_uraian(&mut conn, "PMT lokal balita");
    let (honor, _) = line_by_uraian(&mut conn, "Honorarium kader posyandu");
    for (line_id, amount) in [(pmt, "1000000"), (honor, "500000")] {
        record_month(&mut conn, line_id, 3, amount, None);
    }
    // the revision changes the PMT line's pagu and drops the honorarium
    let revision = workplan(&[("5.1.02.01.01.0052", "PMT lokal balita", 16_000_000.0)]);

    // the command line refuses without its flag, and says why; nothing changes
    let file = write_temp("perubahan.xlsx", &revision);
    let path = file.to_str().unwrap();
    let base = [
        "import",
        "workplan",
        path,
        "--opd",
        DINKES,
        "--year",
        "2024",
        "--kabkota",
        "64.03",
    ];
    let dry = lokus(
        &app.db,
        &[&base[..], &["--dry-run", "--json"]].concat(),
        &[],
    );
    let report: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(report["diff"]["removed_with_realisasi"], 1, "{report}");
    assert_eq!(report["diff"]["removed_realisasi"], "500000.00");
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["message_key"] == "RealisasiRemovedLinesHaveRealisation")
    );
    let refused = lokus(&app.db, &base, &[]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("realisasi"));
    assert_eq!(
        line_by_uraian(&mut conn, "Honorarium kader posyandu").1,
        None
    );

    // the web asks with a checkbox of its own, and the server checks it
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "perubahan.xlsx",
        &revision,
    );
    let url = uploaded.location().unwrap().to_owned();
    let page = dinkes.get(&url).text();
    assert!(page.contains("konfirmasi_realisasi"), "{page}");
    assert!(page.contains("sudah punya realisasi"));
    let unconfirmed = dinkes.submit(&url, &format!("{url}/simpan"), &[("konfirmasi", "ya")]);
    assert_eq!(unconfirmed.status, 422);
    assert!(unconfirmed.text().contains("Centang konfirmasi realisasi"));
    assert_eq!(
        line_by_uraian(&mut conn, "Honorarium kader posyandu").1,
        None
    );
    let confirmed = dinkes.submit(
        &url,
        &format!("{url}/simpan"),
        &[("konfirmasi", "ya"), ("konfirmasi_realisasi", "ya")],
    );
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());

    // the surviving line keeps its id and its realisation; the removed one keeps and shows its own
    assert_eq!(line_by_uraian(&mut conn, "PMT lokal balita").0, pmt);
    assert_eq!(stored(&mut conn, pmt), vec![(3, money("1000000"), None)]);
    assert!(
        line_by_uraian(&mut conn, "Honorarium kader posyandu")
            .1
            .is_some()
    );
    assert_eq!(stored(&mut conn, honor), vec![(3, money("500000"), None)]);
    let removed_page = dinkes.get(&format!("/realisasi/baris/{honor}")).text();
    assert!(removed_page.contains("sudah dihapus"), "{removed_page}");
    assert!(removed_page.contains("500.000"), "{removed_page}");
}

#[test]
fn a_realisation_preview_made_before_a_workplan_import_is_refused_and_asks_to_upload_again() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let lines = [
        ("5.1.02.01.01.0052", "PMT lokal balita", 15_000_000.0),
        (
            "5.1.02.02.01.0026",
            "Honorarium kader posyandu",
            6_000_000.0,
        ),
    ];
    let first = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "murni.xlsx",
        &workplan(&lines),
    );
    let url = first.location().unwrap().to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );
    let mut conn = app.db.connect();
    let (pmt, _) = line_by_uraian(&mut conn, "PMT lokal balita");
    let realisation = xlsx(&[
        form_header(&["Januari"]),
        form_row(V::N(pmt as f64), vec![V::N(1_000_000.0), V::N(5.0)]),
    ]);
    let preview = upload_realisasi(&mut dinkes, &realisation);

    // meanwhile a revision of the workplan lands (the PMT line itself unchanged)
    let revision = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "perubahan")],
        "perubahan.xlsx",
        &workplan(&[
            lines[0],
            (
                "5.1.02.02.01.0026",
                "Honorarium kader posyandu",
                7_000_000.0,
            ),
        ]),
    );
    let url = revision.location().unwrap().to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );

    let refused = dinkes.submit(&preview, &format!("{preview}/simpan"), &[]);
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.text().contains(
            "unggah lagi berkas realisasinya agar diperiksa terhadap rencana kerja terbaru"
        ),
        "{}",
        refused.text()
    );
    assert!(stored(&mut conn, pmt).is_empty(), "nothing was recorded");

    // uploaded again, it is checked against the workplan as it stands and commits
    let again = upload_realisasi(&mut dinkes, &realisation);
    let committed = dinkes.submit(&again, &format!("{again}/simpan"), &[]);
    assert_eq!(committed.status, 303, "{}", committed.text());
    assert_eq!(
        stored(&mut conn, pmt),
        vec![(1, money("1000000"), Some(money("5")))]
    );
}

#[test]
fn each_import_kind_names_its_pages_and_its_menu_entry_in_both_languages() {
    let app = TestApp::start(Seed::Demo);
    let _fixture = with_fixture(&app.db);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let menu_entry = |page: &str, href: &str, label: &str| {
        let active =
            format!("<a href=\"{href}\" class=\"active\" aria-current=\"page\">{label}</a>");
        page.contains(&active)
    };
    let workplan = dinkes.get("/impor").text();
    assert!(
        workplan.contains("<h1>Impor rencana kerja</h1>"),
        "{workplan}"
    );
    assert!(
        menu_entry(&workplan, "/impor", "Impor rencana kerja"),
        "{workplan}"
    );
    assert!(workplan.contains("<a href=\"/impor?jenis=realisasi\">Impor realisasi</a>"));

    let realisation = dinkes.get("/impor?jenis=realisasi").text();
    assert!(
        realisation.contains("<h1>Impor realisasi</h1>"),
        "{realisation}"
    );
    assert!(
        !realisation.contains("<h1>Impor rencana kerja"),
        "{realisation}"
    );
    assert!(
        menu_entry(&realisation, "/impor?jenis=realisasi", "Impor realisasi"),
        "{realisation}"
    );
    assert!(
        realisation.contains("<option value=\"realisasi\" selected"),
        "{realisation}"
    );

    // a realisation report is titled for its kind, and lights up its kind's entry
    let bytes = xlsx(&[
        form_header(&["Januari"]),
        form_row(V::N(9001.0), vec![V::N(100.0)]),
    ]);
    let preview = upload_realisasi(&mut dinkes, &bytes);
    let id = preview.trim_start_matches("/impor/");
    let report = dinkes.get(&preview).text();
    assert!(
        report.contains(&format!("<h1>Impor realisasi #{id}</h1>")),
        "{report}"
    );
    assert!(
        menu_entry(&report, "/impor?jenis=realisasi", "Impor realisasi"),
        "{report}"
    );

    // and in English
    dinkes.cookies.insert("lokus_lang".into(), "en".into());
    let report = dinkes.get(&preview).text();
    assert!(
        report.contains(&format!("<h1>Realisation import #{id}</h1>")),
        "{report}"
    );
    assert!(report.contains(">Workplan import</a>"), "{report}");
    let page = dinkes.get("/impor?jenis=realisasi").text();
    assert!(page.contains("<h1>Realisation import</h1>"), "{page}");
}
