//! The BAAS children import (helper "baas-import"): an e-PPGBM-like sheet through the one import
//! pipeline. Every bad cell at its row and column under the file's own header, duplicates in the
//! file and against registered children at their rows, the desk form's rules for NIK and
//! measurements, all or nothing, a dry run that writes nothing, the consent recorded, the desk's
//! upload on /impor (and nobody else seeing its batches), and the CLI's JSON and exit codes. The
//! sponsors kind: the pledge, the login bound, the same kinds of errors.

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use diesel::prelude::*;

use lokus::db::schema::{
    activity_log, baas_child, baas_child_private, baas_measurement, import_batch,
};
use lokus::domain::Scope;
use lokus::domain::growth::Sex;
use lokus::i18n::MessageKey;
use lokus::services::activity_log::Actor;
use lokus::services::baas::{self, ChildInput};
use lokus::services::import::{CommitOptions, ImportReport, ImportRequest, Silent, import_now};

use crate::support::cli::{lokus, write_temp};
use crate::support::workbook::{V, xlsx};
use crate::support::{Seed, TestApp, TestDb};

const KABKOTA: &str = "64.03";
/// A desa of Tanjung Redeb (kecamatan 64.03.05).
const DESA: &str = "64.03.05.1004";

fn actor() -> Actor {
    Actor {
        label: "meja-baas@test".to_owned(),
        ..Actor::cli()
    }
    .in_district(KABKOTA)
}

/// The sheet's header, in e-PPGBM's own words (not lokus's template), so messages must name these.
fn header() -> Vec<V> {
    [
        "NIK Anak",
        "Nama Anak",
        "Jenis Kelamin",
        "Tanggal Lahir",
        "Nama Ortu",
        "Desa/Kel",
        "Posyandu",
        "Tgl Pengukuran",
        "BB (kg)",
        "TB/PB (cm)",
        "Cara Ukur",
        "No. KK",
    ]
    .into_iter()
    .map(V::T)
    .collect()
}

/// A child's row: NIK, nama, JK, tgl lahir, desa, tanggal ukur, BB, TB.
#[expect(
    clippy::too_many_arguments,
    reason = "a sheet row reads best as its cells in order"
)]
fn row(
    nik: &str,
    nama: &str,
    jk: &str,
    lahir: &str,
    desa: &str,
    ukur: &str,
    bb: f64,
    tb: f64,
) -> Vec<V> {
    vec![
        V::S(nik.to_owned()),
        V::S(nama.to_owned()),
        V::S(jk.to_owned()),
        V::S(lahir.to_owned()),
        V::T("Rahmawati"),
        V::S(desa.to_owned()),
        V::T("Melati 1"),
        V::S(ukur.to_owned()),
        if bb > 0.0 { V::N(bb) } else { V::E },
        if tb > 0.0 { V::N(tb) } else { V::E },
        V::E,
        V::E,
    ]
}

fn good_rows() -> Vec<Vec<V>> {
    vec![
        header(),
        row(
            "6403054106240001",
            "Siti Aisyah",
            "P",
            "01/06/2024",
            DESA,
            "15/06/2025",
            8.6,
            71.5,
        ),
        row(
            "6403051503240002",
            "Muhammad Rizky",
            "1",
            "15/03/2024",
            DESA,
            "20/06/2025",
            9.4,
            76.0,
        ),
        // no measurement: the child is registered alone
        row(
            "6403052012230003",
            "Nayla Putri",
            "2",
            "20/12/2023",
            DESA,
            "",
            0.0,
            0.0,
        ),
    ]
}

fn import(conn: &mut PgConnection, bytes: &[u8], dry_run: bool) -> ImportReport {
    let request = ImportRequest::baas_anak(KABKOTA, 2024, "anak.xlsx");
    import_now(
        conn,
        &actor(),
        &request,
        bytes,
        dry_run,
        &CommitOptions::default(),
        &Silent,
    )
    .expect("the import runs")
}

fn children(conn: &mut PgConnection) -> i64 {
    baas_child::table.count().get_result(conn).unwrap()
}

/// The errors as (row, column letter, header, message key).
fn errors(report: &ImportReport) -> Vec<(u32, String, String, MessageKey)> {
    report
        .errors
        .iter()
        .map(|issue| {
            (
                issue.row,
                issue.column.clone().unwrap_or_default(),
                issue.header.clone(),
                issue.message.key,
            )
        })
        .collect()
}

#[test]
fn a_clean_sheet_registers_every_child_with_its_measurement_and_the_consent_of_the_committer() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let report = import(&mut conn, &xlsx(&good_rows()), false);
    assert_eq!(report.status, "committed", "{:?}", errors(&report));
    assert_eq!(report.kind, "baas_anak");
    assert_eq!((report.rows.read, report.rows.accepted), (3, 3));
    assert_eq!((report.baas.children, report.baas.measurements), (3, 2));
    assert_eq!(report.baas.persetujuan_oleh, "meja-baas@test");
    assert_eq!(children(&mut conn), 3);
    let measured: i64 = baas_measurement::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(measured, 2);
    let consent: Vec<String> = baas_child::table
        .select(baas_child::persetujuan_oleh)
        .load(&mut conn)
        .unwrap();
    assert!(
        consent.iter().all(|by| by == "meja-baas@test"),
        "{consent:?}"
    );
    // the personal data went to its own table; the report and the log hold the masked NIK only
    let niks: Vec<String> = baas_child_private::table
        .select(baas_child_private::nik)
        .load(&mut conn)
        .unwrap();
    assert!(niks.contains(&"6403054106240001".to_owned()));
    let stored: serde_json::Value = import_batch::table
        .select(import_batch::report)
        .first(&mut conn)
        .unwrap();
    assert!(!stored.to_string().contains("6403054106240001"));
    assert!(stored.to_string().contains("6403••••••••0001"));
    let logged: Vec<Option<serde_json::Value>> = activity_log::table
        .select(activity_log::after)
        .load(&mut conn)
        .unwrap();
    assert!(
        logged
            .iter()
            .flatten()
            .all(|value| !value.to_string().contains("6403054106240001"))
    );
    // "Nama Ortu" of e-PPGBM is the mother's name
    let ibu: String = baas_child_private::table
        .select(baas_child_private::nama_ibu)
        .first(&mut conn)
        .unwrap();
    assert_eq!(ibu, "Rahmawati");
    // each row's child id is in the committed report
    assert!(report.baas.rows.iter().all(|line| line.child_id.is_some()));
    // the preview scored the measurement by the WHO standard
    assert!(report.baas.rows[0].zs_tbu.is_some());
}

#[test]
fn every_bad_cell_is_an_error_at_its_row_and_column_named_by_the_files_header() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let rows = vec![
        header(),
        // 2: not 16 digits
        row(
            "64030541062400",
            "Ani",
            "P",
            "01/06/2024",
            DESA,
            "",
            0.0,
            0.0,
        ),
        // 3: 64.03.99 is no kecamatan
        row(
            "6403994106240001",
            "Budi",
            "L",
            "01/06/2024",
            DESA,
            "",
            0.0,
            0.0,
        ),
        // 4: no such desa
        row(
            "6403054106240004",
            "Citra",
            "P",
            "01/06/2024",
            "Kampung Entah",
            "",
            0.0,
            0.0,
        ),
        // 5: not a date
        row(
            "6403054106240005",
            "Dedi",
            "L",
            "32/13/2024",
            DESA,
            "",
            0.0,
            0.0,
        ),
        // 6: not a sex
        row(
            "6403054106240006",
            "Eka",
            "X",
            "01/06/2024",
            DESA,
            "",
            0.0,
            0.0,
        ),
        // 7: a weight no scale shows for an under-five
        row(
            "6403054106240007",
            "Fajar",
            "L",
            "01/06/2024",
            DESA,
            "15/06/2025",
            95.0,
            70.0,
        ),
        // 8: measured before birth
        row(
            "6403054106240008",
            "Gita",
            "P",
            "01/06/2024",
            DESA,
            "15/05/2024",
            4.0,
            52.0,
        ),
        // 9: a measure without its date
        row(
            "6403054106240009",
            "Hadi",
            "L",
            "01/06/2024",
            DESA,
            "",
            9.0,
            0.0,
        ),
        // 10: over five years old when measured
        row(
            "6403054106190010",
            "Indah",
            "P",
            "01/06/2019",
            DESA,
            "15/06/2025",
            18.0,
            110.0,
        ),
    ];
    let report = import(&mut conn, &xlsx(&rows), false);
    assert_eq!(report.status, "rejected");
    let found = errors(&report);
    let expect = [
        (2, "A", "NIK Anak", MessageKey::BaasNikShape),
        (3, "A", "NIK Anak", MessageKey::BaasNikRegion),
        (4, "F", "Desa/Kel", MessageKey::ImportDesaUnknown),
        (5, "D", "Tanggal Lahir", MessageKey::RealisasiDateInvalid),
        (6, "C", "Jenis Kelamin", MessageKey::BaasImportSexInvalid),
        (7, "I", "BB (kg)", MessageKey::BaasMeasureOutOfRange),
        (8, "H", "Tgl Pengukuran", MessageKey::BaasDateBeforeBirth),
        (
            9,
            "H",
            "Tgl Pengukuran",
            MessageKey::BaasImportMeasureWithoutDate,
        ),
        (10, "H", "Tgl Pengukuran", MessageKey::BaasChildTooOld),
    ];
    for (row, column, header, key) in expect {
        assert!(
            found.contains(&(row, column.to_owned(), header.to_owned(), key)),
            "row {row} {column} {key:?} missing in {found:?}"
        );
    }
    assert_eq!(report.rows.rejected, 9, "{found:?}");
    // the messages name the file's header and never the whole NIK
    let shown: Vec<String> = report
        .errors
        .iter()
        .map(|issue| issue.message.render(lokus::i18n::Language::En))
        .collect();
    assert!(
        shown.iter().any(|text| text.contains("Tanggal Lahir")),
        "{shown:?}"
    );
    assert!(
        shown.iter().all(|text| !text.contains("6403994106240001")),
        "{shown:?}"
    );
    assert_eq!(children(&mut conn), 0, "a rejected file registers nobody");
    // the error workbook marks the cells
    let batch: i64 = import_batch::table
        .select(import_batch::id)
        .first(&mut conn)
        .unwrap();
    let stored =
        lokus::db::budget_line::find_batch_for_scope(&mut conn, batch, &Scope::district(KABKOTA))
            .unwrap()
            .unwrap();
    let bytes = lokus::db::budget_line::batch_file(&mut conn, batch).unwrap();
    let annotated = lokus::services::import::error_workbook(
        &lokus::services::import::stored_report(&stored),
        &bytes,
        lokus::i18n::Language::Id,
    )
    .unwrap();
    assert!(!annotated.is_empty());
}

#[test]
fn duplicates_in_the_file_and_against_registered_children_are_errors_at_their_rows() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let registered = baas::register_child(
        &mut conn,
        &actor(),
        &Scope::district(KABKOTA),
        ChildInput {
            nama: "Siti Aisyah".to_owned(),
            jk: Sex::Female,
            tgl_lahir: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
            kode_desa: DESA.to_owned(),
            nik: "6403054106249999".to_owned(),
            no_kk: String::new(),
            nama_ayah: String::new(),
            nama_ibu: String::new(),
            alamat: String::new(),
            status_krs: String::new(),
            posyandu: String::new(),
            persetujuan_oleh: "ibu".to_owned(),
            persetujuan_tanggal: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        },
        chrono::Utc::now().date_naive(),
    )
    .unwrap();
    let desa_name = lokus::db::wilayah::find_by_kode(&mut conn, DESA)
        .unwrap()
        .unwrap()
        .nama;
    let rows = vec![
        header(),
        // 2: the registered child's NIK
        row(
            "6403054106249999",
            "Siti A.",
            "P",
            "02/06/2024",
            DESA,
            "",
            0.0,
            0.0,
        ),
        // 3: the registered child's name, birth date and desa (by name), another NIK
        row(
            "6403054106240003",
            "SITI AISYAH",
            "P",
            "01/06/2024",
            &desa_name,
            "",
            0.0,
            0.0,
        ),
        // 4 and 5: the same NIK twice in the file
        row(
            "6403051503240004",
            "Rizky",
            "L",
            "15/03/2024",
            DESA,
            "",
            0.0,
            0.0,
        ),
        row(
            "6403051503240004",
            "Rizki",
            "L",
            "16/03/2024",
            DESA,
            "",
            0.0,
            0.0,
        ),
        // 6 and 7: the same child twice under two NIKs
        row(
            "6403052012230006",
            "Nayla Putri",
            "P",
            "20/12/2023",
            DESA,
            "",
            0.0,
            0.0,
        ),
        row(
            "6403052012230007",
            "Nayla  Putri",
            "P",
            "20/12/2023",
            DESA,
            "",
            0.0,
            0.0,
        ),
    ];
    let report = import(&mut conn, &xlsx(&rows), false);
    assert_eq!(report.status, "rejected");
    let found = errors(&report);
    assert!(
        found.contains(&(
            2,
            "A".into(),
            "NIK Anak".into(),
            MessageKey::BaasNikDuplicate
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            3,
            "B".into(),
            "Nama Anak".into(),
            MessageKey::BaasChildDuplicate
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            5,
            "A".into(),
            "NIK Anak".into(),
            MessageKey::BaasImportNikTwice
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            7,
            "B".into(),
            "Nama Anak".into(),
            MessageKey::BaasImportChildTwice
        )),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(row, ..)| [4, 6].contains(row)),
        "the first of a pair is fine: {found:?}"
    );
    // the existing child's id and the first row are said
    let text = |row: u32| {
        report
            .errors
            .iter()
            .find(|issue| issue.row == row)
            .unwrap()
            .message
            .render(lokus::i18n::Language::En)
    };
    assert!(
        text(2).contains(&format!("#{}", registered.id)),
        "{}",
        text(2)
    );
    assert!(
        text(3).contains(&format!("#{}", registered.id)),
        "{}",
        text(3)
    );
    assert!(text(5).contains("row 4"), "{}", text(5));
    assert_eq!(children(&mut conn), 1, "nothing merged, nothing doubled");
}

#[test]
fn one_bad_row_rejects_the_whole_file_and_a_dry_run_writes_nothing() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let mut rows = good_rows();
    rows.push(row("123", "Rusak", "L", "01/01/2024", DESA, "", 0.0, 0.0));
    let rejected = import(&mut conn, &xlsx(&rows), false);
    assert_eq!(rejected.status, "rejected");
    assert_eq!((rejected.rows.accepted, rejected.rows.rejected), (3, 1));
    assert_eq!(children(&mut conn), 0, "all or nothing");
    let batches: i64 = import_batch::table.count().get_result(&mut conn).unwrap();
    assert_eq!(batches, 1, "the rejected file is in the history");

    let dry = import(&mut conn, &xlsx(&good_rows()), true);
    assert_eq!(dry.status, "dry_run");
    assert!(
        dry.baas.persetujuan_oleh.is_empty(),
        "consent is recorded at the commit"
    );
    assert_eq!(children(&mut conn), 0, "a dry run registers nobody");
    let batches: i64 = import_batch::table.count().get_result(&mut conn).unwrap();
    assert_eq!(batches, 1, "a dry run leaves no history");
}

#[test]
fn the_desk_uploads_children_on_impor_sees_the_consent_and_commits_and_nobody_else_sees_the_batch()
{
    let app = TestApp::start(Seed::Demo);
    let mut desk = app.login_as("baas@berau.demo");
    let page = desk.get("/impor");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("value=\"baas_anak\""),
        "the desk is offered the kind"
    );
    assert!(
        !page.text().contains("value=\"workplan\""),
        "and not the budget kinds"
    );
    assert!(
        page.text().contains("href=\"/impor\""),
        "the desk's menu leads here"
    );
    let uploaded = desk.upload(
        &[("kind", "baas_anak"), ("tahun", "2024")],
        "anak.xlsx",
        &xlsx(&good_rows()),
    );
    assert_eq!(uploaded.status, 303, "{}", uploaded.text());
    let report_path = uploaded.location().unwrap().to_owned();
    let preview = desk.get(&report_path);
    assert_eq!(preview.status, 200);
    let html = preview.text();
    assert!(
        html.contains("Persetujuan orang tua/wali"),
        "the consent is said"
    );
    assert!(html.contains("6403••••••••0001"), "the masked NIK is shown");
    assert!(!html.contains("6403054106240001"), "never the whole one");
    // the template is the children's
    let template = desk.get("/impor/templat.xlsx");
    assert_eq!(template.status, 200);
    assert!(
        template
            .header("content-disposition")
            .unwrap()
            .contains("anak-baas")
    );

    // nobody else sees the batch (its file holds whole NIKs), nor may they import the kind
    let mut admin = app.login_as("admin@berau.demo");
    assert_eq!(admin.get(&report_path).status, 404);
    assert_eq!(admin.get(&format!("{report_path}/berkas")).status, 404);
    assert!(!admin.get("/impor").text().contains("anak.xlsx"));
    let refused = admin.upload(
        &[
            ("kind", "baas_anak"),
            ("tahun", "2024"),
            ("tahapan", "murni"),
        ],
        "anak.xlsx",
        &xlsx(&good_rows()),
    );
    assert_eq!(refused.status, 422);
    let mut bupati = app.login_as("bupati@berau.demo");
    assert_eq!(bupati.get(&report_path).status, 404);

    let id = report_path.trim_start_matches("/impor/");
    let committed = desk.submit(&report_path, &format!("/impor/{id}/simpan"), &[]);
    assert_eq!(committed.status, 303, "{}", committed.text());
    let done = desk.get(committed.location().unwrap()).text();
    assert!(done.contains("3 anak didaftarkan"), "{done}");
    assert!(
        done.contains("baas@berau.demo"),
        "the consent names the committer"
    );
    assert_eq!(children(&mut app.db.connect()), 3);
    assert!(
        desk.get("/impor").text().contains("anak.xlsx"),
        "the desk's history"
    );
}

#[test]
fn the_cli_imports_children_with_the_pipelines_json_and_exit_codes_and_writes_the_template() {
    let db = TestDb::new(Seed::Demo);
    let good = write_temp("anak.xlsx", &xlsx(&good_rows()));
    let mut bad_rows = good_rows();
    bad_rows.push(row("123", "Rusak", "L", "01/01/2024", DESA, "", 0.0, 0.0));
    let bad = write_temp("anak-rusak.xlsx", &xlsx(&bad_rows));
    let good = good.to_str().unwrap();

    let dry = lokus(&db, &["import", "baas", good, "--dry-run", "--json"], &[]);
    assert_eq!(
        dry.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(json["status"], "dry_run");
    assert_eq!(json["kind"], "baas_anak");
    assert_eq!(json["baas"]["children"], 3);
    assert_eq!(children(&mut db.connect()), 0);

    let rejected = lokus(
        &db,
        &["import", "baas", bad.to_str().unwrap(), "--json"],
        &[],
    );
    assert_eq!(rejected.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&rejected.stdout).unwrap();
    assert_eq!(json["status"], "rejected");
    assert_eq!(json["errors"][0]["row"], 5);
    assert_eq!(json["errors"][0]["column"], "A");
    assert_eq!(json["errors"][0]["header"], "NIK Anak");
    assert_eq!(json["errors"][0]["message_key"], "BaasNikShape");

    let committed = lokus(&db, &["import", "baas", good], &[]);
    assert_eq!(
        committed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&committed.stderr)
    );
    let out = String::from_utf8_lossy(&committed.stdout);
    assert!(out.contains("committed as import #"), "{out}");
    assert_eq!(children(&mut db.connect()), 3);
    // the same file again: every child is now a duplicate
    let again = lokus(&db, &["import", "baas", good, "--json"], &[]);
    assert_eq!(again.status.code(), Some(1));

    let missing = lokus(
        &db,
        &["import", "baas", "/nonexistent/anak.xlsx", "--json"],
        &[],
    );
    assert_eq!(missing.status.code(), Some(2));

    // the template: its header read back by the same reader, its instructions and desa sheets
    let out = write_temp("templat.xlsx", b"");
    let written = lokus(&db, &["template", "baas", "-o", out.to_str().unwrap()], &[]);
    assert_eq!(
        written.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let mut workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(workbook.sheet_names(), ["Anak", "Desa", "Petunjuk"]);
    let anak = workbook.worksheet_range("Anak").unwrap();
    assert_eq!(anak.get_value((0, 0)), Some(&Data::String("NIK".into())));
    let desa = workbook.worksheet_range("Desa").unwrap();
    assert!(desa.rows().any(|row| row[0] == Data::String(DESA.into())));
    // an empty template imported says it holds no children (its header is recognised)
    let empty = lokus(
        &db,
        &[
            "import",
            "baas",
            out.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&empty.stdout).unwrap();
    assert_eq!(
        json["errors"][0]["message_key"], "BaasImportNothing",
        "{json}"
    );
}

// --- the sponsors kind

fn sponsor_header() -> Vec<V> {
    [
        "Nama Sponsor",
        "Jenis",
        "No. HP",
        "Jumlah Anak",
        "Lama (bulan)",
        "Rupiah per Bulan",
        "Email",
    ]
    .into_iter()
    .map(V::T)
    .collect()
}

fn sponsor_row(nama: &str, jenis: &str, anak: f64, bulan: f64, rupiah: f64, login: &str) -> Vec<V> {
    vec![
        V::S(nama.to_owned()),
        V::S(jenis.to_owned()),
        V::T("0812-0000"),
        V::N(anak),
        V::N(bulan),
        V::N(rupiah),
        if login.is_empty() {
            V::E
        } else {
            V::S(login.to_owned())
        },
    ]
}

#[test]
fn sponsors_are_imported_with_their_pledge_and_login_by_the_desk_forms_rules() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let good = xlsx(&[
        sponsor_header(),
        sponsor_row(
            "PT Maju Bersama",
            "Perusahaan",
            5.0,
            6.0,
            450_000.0,
            "sponsor1@berau.demo",
        ),
        sponsor_row("Kodim 0902", "TNI/Polri", 3.0, 6.0, 500_000.0, ""),
    ]);
    let request = ImportRequest::baas_sponsor(KABKOTA, 2024, "sponsor.xlsx");
    let report = import_now(
        &mut conn,
        &actor(),
        &request,
        &good,
        false,
        &CommitOptions::default(),
        &Silent,
    )
    .unwrap();
    assert_eq!(report.status, "committed", "{:?}", errors(&report));
    assert_eq!(report.baas.sponsors, 2);
    // 5 x 6 x 450,000 + 3 x 6 x 500,000
    assert_eq!(report.total_pagu, "22500000.00");
    let bound =
        lokus::db::baas::list_sponsors_for_scope(&mut conn, &Scope::district(KABKOTA)).unwrap();
    assert_eq!(bound.len(), 2);
    assert!(
        bound
            .iter()
            .any(|s| s.nama == "PT Maju Bersama" && s.user_id.is_some())
    );
    assert!(
        bound
            .iter()
            .any(|s| s.jenis == lokus::domain::baas::SponsorJenis::TniPolri)
    );

    let bad = xlsx(&[
        sponsor_header(),
        // 2: registered already
        sponsor_row("PT  Maju Bersama", "perusahaan", 1.0, 6.0, 450_000.0, ""),
        // 3: no such type
        sponsor_row("Ibu Ani", "alien", 1.0, 6.0, 450_000.0, ""),
        // 4: no children pledged
        sponsor_row("Ibu Budi", "perorangan", 0.0, 6.0, 450_000.0, ""),
        // 5: half a month
        sponsor_row("Ibu Citra", "perorangan", 1.0, 2.5, 450_000.0, ""),
        // 6: not a sponsor account
        sponsor_row(
            "Ibu Dewi",
            "perorangan",
            1.0,
            6.0,
            450_000.0,
            "admin@berau.demo",
        ),
        // 7 and 8: twice in the file
        sponsor_row(
            "Yayasan Peduli",
            "Yayasan",
            2.0,
            6.0,
            450_000.0,
            "sponsor2@berau.demo",
        ),
        sponsor_row(
            "yayasan peduli",
            "lembaga",
            2.0,
            6.0,
            450_000.0,
            "sponsor2@berau.demo",
        ),
    ]);
    let report = import_now(
        &mut conn,
        &actor(),
        &request,
        &bad,
        false,
        &CommitOptions::default(),
        &Silent,
    )
    .unwrap();
    assert_eq!(report.status, "rejected");
    let found = errors(&report);
    for expected in [
        (
            2,
            "A",
            "Nama Sponsor",
            MessageKey::BaasImportSponsorRegistered,
        ),
        (3, "B", "Jenis", MessageKey::BaasImportJenisInvalid),
        (4, "D", "Jumlah Anak", MessageKey::BaasPledgeInvalid),
        (5, "E", "Lama (bulan)", MessageKey::BaasImportWholeNumber),
        (6, "G", "Email", MessageKey::BaasLoginNotSponsor),
        (8, "A", "Nama Sponsor", MessageKey::BaasImportSponsorTwice),
        (8, "G", "Email", MessageKey::BaasImportLoginTwice),
    ] {
        let expected = (
            expected.0,
            expected.1.to_owned(),
            expected.2.to_owned(),
            expected.3,
        );
        assert!(
            found.contains(&expected),
            "{expected:?} missing in {found:?}"
        );
    }
    assert!(!found.iter().any(|(row, ..)| *row == 7), "{found:?}");
    let count = lokus::db::baas::list_sponsors_for_scope(&mut conn, &Scope::district(KABKOTA))
        .unwrap()
        .len();
    assert_eq!(count, 2, "a rejected file creates nobody");
}

#[test]
fn the_cli_imports_sponsors_and_writes_their_template() {
    let db = TestDb::new(Seed::Demo);
    let file = write_temp(
        "sponsor.xlsx",
        &xlsx(&[
            sponsor_header(),
            sponsor_row("Bank Daerah", "perusahaan", 4.0, 6.0, 450_000.0, ""),
        ]),
    );
    let done = lokus(
        &db,
        &["import", "baas-sponsor", file.to_str().unwrap(), "--json"],
        &[],
    );
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(json["status"], "committed");
    assert_eq!(json["kind"], "baas_sponsor");
    assert_eq!(
        json["baas"]["sponsor_rows"][0]["janji_total"],
        "10800000.00"
    );
    let again = lokus(
        &db,
        &["import", "baas-sponsor", file.to_str().unwrap(), "--json"],
        &[],
    );
    assert_eq!(
        again.status.code(),
        Some(1),
        "the same sponsor again is refused"
    );
    let out = write_temp("templat-sponsor.xlsx", b"");
    let written = lokus(
        &db,
        &["template", "baas-sponsor", "-o", out.to_str().unwrap()],
        &[],
    );
    assert_eq!(written.status.code(), Some(0));
    let workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(workbook.sheet_names(), ["Sponsor", "Petunjuk"]);
    let empty = lokus(
        &db,
        &[
            "import",
            "baas-sponsor",
            out.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&empty.stdout).unwrap();
    assert_eq!(
        json["errors"][0]["message_key"], "BaasImportNoSponsors",
        "{json}"
    );
}

#[test]
fn a_nik_typed_as_a_number_is_read_and_flagged_for_its_last_digit() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let mut numeric = row(
        "",
        "Siti Aisyah",
        "P",
        "01/06/2024",
        DESA,
        "15/06/2025",
        8.6,
        71.5,
    );
    numeric[0] = V::N(6403054106240001.0);
    let report = import(&mut conn, &xlsx(&[header(), numeric]), false);
    assert_eq!(report.status, "committed", "{:?}", errors(&report));
    let warning = &report.warnings[0];
    assert_eq!(
        (warning.row, warning.column.as_deref(), warning.message.key),
        (2, Some("A"), MessageKey::BaasImportNumberAsText)
    );
    let nik: String = baas_child_private::table
        .select(baas_child_private::nik)
        .first(&mut conn)
        .unwrap();
    assert_eq!(nik, "6403054106240001");
}
