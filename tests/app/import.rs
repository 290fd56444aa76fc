//! The workplan import, through the web pages and the command line: dry run, commit, all or
//! nothing, the re-import diff, history with the stored file, the error workbook, the template
//! round trip, tagging, the JSON contract and exit codes, and bad files.

use std::process::Output;

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

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .expect(sql)
        .n
}

fn current_lines(db: &TestDb) -> i64 {
    count(
        &mut db.connect(),
        "SELECT count(*) AS n FROM budget_line WHERE removed_in_batch IS NULL",
    )
}

/// Three good lines of Dinas Kesehatan.
fn good_workbook() -> Vec<u8> {
    xlsx(&[
        header(),
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT lokal balita gizi kurang",
            100.0,
            150_000.0,
            15_000_000.0,
            "DAK_NF_BOK",
            "SP8",
            "64.03.05.1004, Bugis",
        ),
        line(
            SUB,
            "5.1.02.01.01.0024",
            "Tablet tambah darah remaja putri",
            2_000.0,
            1_250.0,
            2_500_000.0,
            "DAU",
            "",
            "",
        ),
        line(
            SUB,
            "5.1.02.02.01.0026",
            "Honorarium kader posyandu",
            12.0,
            500_000.0,
            6_000_000.0,
            "Dana Alokasi Umum",
            "SP7",
            "64.03.05.1006",
        ),
    ])
}

/// `lokus import workplan FILE --opd <Dinas Kesehatan> --year 2024 --json`, plus `extra` arguments.
fn import_as_dinkes(db: &TestDb, path: &std::path::Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        "workplan",
        path.to_str().unwrap(),
        "--opd",
        DINKES,
        "--year",
        "2024",
        "--json",
    ];
    args.extend_from_slice(extra);
    lokus(db, &args, &[])
}

fn json(output: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {text}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn an_opd_officer_uploads_sees_the_dry_run_then_commits() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rka-dinkes-2024.xlsx",
        &good_workbook(),
    );
    assert_eq!(uploaded.status, 303, "{}", uploaded.text());
    let preview_url = uploaded.location().unwrap().to_owned();
    let preview = dinkes.get(&preview_url);
    let text = preview.text();
    assert!(
        text.contains("3 / 3 / 0 / 0"),
        "read/accepted/skipped/rejected: {text}"
    );
    assert!(text.contains("Rp 23.500.000"), "total pagu");
    assert!(text.contains("Rp 21.000.000"), "spesifik share (SP8 + SP7)");
    assert!(text.contains("Belum ditandai"));
    assert!(text.contains("Simpan impor ini"));
    assert_eq!(current_lines(&app.db), 0, "a dry run changes nothing");

    let committed = dinkes.submit(&preview_url, &format!("{preview_url}/simpan"), &[]);
    assert_eq!(committed.status, 303);
    assert_eq!(current_lines(&app.db), 3);
    let mut conn = app.db.connect();
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM budget_line_desa"),
        3,
        "Bugis found by name"
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line WHERE tag_source = 'impor'"
        ),
        2
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM activity_log WHERE action = 'import'"
        ),
        1
    );
    assert!(dinkes.get(&preview_url).text().contains("disimpan"));
    // committing twice does nothing more
    assert_eq!(
        dinkes
            .submit(&preview_url, &format!("{preview_url}/simpan"), &[])
            .status,
        409
    );
    assert_eq!(current_lines(&app.db), 3);

    // history, with the original file downloadable again
    let history = dinkes.get("/impor").text();
    assert!(history.contains("rka-dinkes-2024.xlsx"));
    let history_xlsx = dinkes.get("/impor?format=xlsx");
    assert_eq!(history_xlsx.status, 200);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(history_xlsx.body)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        sheet.get((1, 3)).map(ToString::to_string).as_deref(),
        Some("rencana kerja"),
        "the history names each import's kind"
    );
    assert_eq!(
        sheet.get((1, 4)).map(ToString::to_string).as_deref(),
        Some("rka-dinkes-2024.xlsx")
    );
    let original = dinkes.get(&format!("{preview_url}/berkas"));
    assert_eq!(original.status, 200);
    assert_eq!(
        original.body,
        good_workbook_bytes_of(&app, &preview_url),
        "the stored original comes back byte for byte"
    );
    assert!(
        dinkes
            .get(&preview_url)
            .text()
            .contains(&lokus::services::import::sha256_hex(&original.body))
    );

    // the home page sums the year's workplan by jenis
    let home = dinkes.get("/").text();
    assert!(home.contains("Pagu rencana kerja 2024"), "{home}");
    assert!(home.contains("Rp 23.500.000"));
    assert!(home.contains("Rp 21.000.000 (89,4%, 2 baris)"), "{home}");

    // the budget-line page lists them; another OPD's officer would not see them
    let lines = dinkes.get("/anggaran").text();
    assert!(lines.contains("Honorarium kader posyandu"));
    let mut bupati = app.login_as("bupati@berau.demo");
    assert!(
        bupati
            .get("/anggaran")
            .text()
            .contains("Tablet tambah darah")
    );
    // leadership reads the import history and its reports, but never uploads or commits
    let history = bupati.get("/impor");
    assert_eq!(history.status, 200);
    assert!(history.text().contains("rka-dinkes-2024.xlsx"));
    assert!(!history.text().contains("type=\"file\""), "no upload form");
    let report = bupati.get(&preview_url);
    assert_eq!(report.status, 200);
    assert!(!report.text().contains("Simpan impor ini"));
    assert_eq!(bupati.get(&format!("{preview_url}/berkas")).status, 200);
    let token = bupati.get("/impor").csrf_token();
    assert_eq!(
        bupati
            .post_form(&format!("{preview_url}/simpan"), &[("csrf_token", &token)])
            .status,
        403
    );
    let upload = bupati.post_multipart(
        "/impor",
        &[
            ("csrf_token", &token),
            ("tahun", "2024"),
            ("tahapan", "murni"),
        ],
        "x.xlsx",
        &good_workbook(),
    );
    assert_eq!(upload.status, 403);
}

/// The stored file of a batch, straight from the database.
fn good_workbook_bytes_of(app: &TestApp, preview_url: &str) -> Vec<u8> {
    let id: i64 = preview_url.rsplit('/').next().unwrap().parse().unwrap();
    lokus::db::budget_line::batch_file(&mut app.db.connect(), id).unwrap()
}

#[test]
fn one_bad_row_rejects_the_whole_file_and_the_error_workbook_marks_it() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let mut rows = vec![header()];
    rows.push(line(
        SUB,
        "5.1.02.01.01.0052",
        "PMT lokal",
        100.0,
        150_000.0,
        15_000_000.0,
        "DAU",
        "SP8",
        "",
    ));
    let mut bad = line(
        SUB,
        "5.1.02.01.01.0024",
        "Tablet tambah darah",
        1.0,
        1.0,
        1.0,
        "DAU",
        "SP99",
        "",
    );
    bad[7] = V::T("satu juta");
    rows.push(bad);
    rows.push(line(
        SUB,
        "5.1.02.01.01.0025",
        "Jenis salah",
        1.0,
        1_000.0,
        1_000.0,
        "DAU",
        "SE5",
        "",
    ));
    rows[3][10] = V::T("spesifik");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "salah.xlsx",
        &xlsx(&rows),
    );
    let url = uploaded.location().unwrap().to_owned();
    let page = dinkes.get(&url).text();
    assert!(page.contains("ditolak"));
    assert!(
        page.replace("&#34;", "\"")
            .contains("Pagu \"satu juta\" bukan angka"),
        "{page}"
    );
    assert!(page.contains("Kesalahan (harus diperbaiki)"), "not Galat");
    assert!(
        page.contains("data-label=\"Isian\">Kode Intervensi</td>"),
        "the field by its column header, not its key: {page}"
    );
    assert!(
        page.find("Kesalahan (harus diperbaiki)") < page.find("sha256"),
        "the errors come before the file's metadata"
    );
    assert!(page.contains("SP99"));
    assert!(page.contains("tidak sesuai dengan intervensi SE5"));
    assert!(
        !page.contains("Simpan impor ini"),
        "no commit button with errors"
    );
    let refused = dinkes.submit(&url, &format!("{url}/simpan"), &[]);
    assert_eq!(refused.status, 409);
    assert_eq!(current_lines(&app.db), 0, "all or nothing");

    let annotated = dinkes.get(&format!("{url}/catatan.xlsx"));
    assert_eq!(annotated.status, 200);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(annotated.body)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let header_row: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let note_column = header_row
        .iter()
        .position(|text| text == "Catatan Impor")
        .expect("Catatan Impor column");
    let note = sheet
        .get((2, note_column))
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(note.contains("satu juta"), "{note}");
    assert_eq!(
        sheet.get((2, 7)).map(ToString::to_string).as_deref(),
        Some("satu juta"),
        "the original value stays"
    );
}

#[test]
fn a_revised_workplan_shows_its_diff_and_keeps_surviving_lines() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let first = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "murni.xlsx",
        &good_workbook(),
    );
    let url = first.location().unwrap().to_owned();
    dinkes.submit(&url, &format!("{url}/simpan"), &[]);
    let mut conn = app.db.connect();
    let kept_id = count(
        &mut conn,
        "SELECT id AS n FROM budget_line WHERE uraian = 'Honorarium kader posyandu'",
    );
    // a person tags the untagged line; the revision must not undo it
    let ttd_id = count(
        &mut conn,
        "SELECT id AS n FROM budget_line WHERE uraian LIKE 'Tablet%'",
    );
    let token = dinkes.get("/anggaran").csrf_token();
    let tagged = dinkes.post_form(
        "/anggaran/tandai",
        &[("csrf_token", &token), ("terima", &format!("{ttd_id}:SP3"))],
    );
    assert_eq!(tagged.status, 303, "{}", tagged.text());
    // and links the PMT line to a desa the revision names too: the link must not be doubled
    let pmt_id = count(
        &mut conn,
        "SELECT id AS n FROM budget_line WHERE uraian LIKE 'PMT%'",
    );
    let token = dinkes.get("/anggaran").csrf_token();
    let linked = dinkes.post_form(
        "/anggaran/tandai",
        &[
            ("csrf_token", &token),
            ("line", &pmt_id.to_string()),
            ("desa", "64.03.05.1004"),
        ],
    );
    assert_eq!(linked.status, 303);

    let revised = xlsx(&[
        header(),
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT lokal balita gizi kurang",
            120.0,
            150_000.0,
            18_000_000.0,
            "DAK_NF_BOK",
            "SP8",
            "64.03.05.1004",
        ),
        line(
            SUB,
            "5.1.02.01.01.0024",
            "Tablet tambah darah remaja putri",
            2_400.0,
            1_250.0,
            3_000_000.0,
            "DAU",
            "",
            "",
        ),
        line(
            SUB,
            "5.1.02.01.01.0099",
            "Kelas ibu balita",
            10.0,
            300_000.0,
            3_000_000.0,
            "DAU",
            "SP7",
            "",
        ),
    ]);
    let second = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "perubahan")],
        "perubahan.xlsx",
        &revised,
    );
    let url = second.location().unwrap().to_owned();
    let page = dinkes.get(&url).text();
    assert!(
        page.contains("1 tambah, 2 ubah, 1 hapus, 0 tetap"),
        "{page}"
    );
    assert!(
        page.contains("Rp 23.500.000 → Rp 24.000.000"),
        "totals before/after"
    );
    assert!(
        page.contains("Honorarium kader posyandu"),
        "the removed line is listed"
    );
    assert_eq!(
        current_lines(&app.db),
        3,
        "nothing changes before the commit"
    );
    // the commit removes a line: the page says so beside the button and asks for confirmation
    assert!(
        page.contains("1 baris yang tidak ada di berkas akan dihapus"),
        "{page}"
    );
    assert!(page.contains("name=\"konfirmasi\""), "{page}");
    assert!(page.contains(" required"), "the box is required");
    let unconfirmed = dinkes.submit(&url, &format!("{url}/simpan"), &[]);
    assert_eq!(unconfirmed.status, 422, "the server checks the box too");
    assert!(
        unconfirmed.text().contains("centang konfirmasi"),
        "{}",
        unconfirmed.text()
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line WHERE removed_in_batch IS NULL AND tahapan = 'murni'"
        ),
        3,
        "an unconfirmed commit changes nothing"
    );
    let committed = dinkes.submit(&url, &format!("{url}/simpan"), &[("konfirmasi", "ya")]);
    assert_eq!(committed.status, 303);
    let done_url = committed.location().unwrap().to_owned();
    let done = dinkes.get(&done_url).text();
    assert!(
        done.contains("Impor disimpan. Baris ditambah: 1, diubah: 2, dihapus: 1, tetap: 0. Total pagu Rp 23.500.000 → Rp 24.000.000."),
        "{done}"
    );

    assert_eq!(current_lines(&app.db), 3);
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM budget_line WHERE id = {kept_id} AND removed_in_batch IS NOT NULL"
            )
        ),
        1,
        "removed, kept in history"
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM budget_line_version"),
        3,
        "old values of the two changed lines and the removed one"
    );
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT (snapshot->>'pagu')::numeric::bigint AS n FROM budget_line_version WHERE line_id = {pmt_id}"
            )
        ),
        15_000_000,
        "the snapshot holds the values before the revision"
    );
    assert_eq!(
        count(
            &mut conn,
            &format!("SELECT count(*) AS n FROM budget_line_desa WHERE line_id = {pmt_id}")
        ),
        1,
        "the file's desa and the person's link to the same desa are one link: {pmt_id}"
    );
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM budget_line_desa WHERE line_id = {pmt_id} AND tag_source = 'manual'"
            )
        ),
        1
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line WHERE removed_in_batch IS NULL AND tahapan = 'perubahan'"
        ),
        3
    );
    let pmt = count(
        &mut conn,
        "SELECT pagu::bigint AS n FROM budget_line WHERE uraian LIKE 'PMT%' AND removed_in_batch IS NULL",
    );
    assert_eq!(pmt, 18_000_000);
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM budget_line b JOIN intervensi i ON i.id = b.intervensi_id WHERE b.id = {ttd_id} AND i.kode = 'SP3' AND b.tag_source = 'saran'"
            )
        ),
        1,
        "the surviving line keeps its id and the person's tag"
    );

    // going back to murni after perubahan is refused
    let back = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "murni-lagi.xlsx",
        &good_workbook(),
    );
    let page = dinkes.get(back.location().unwrap()).text();
    assert!(page.contains("sudah tahap perubahan"), "{page}");
}

#[test]
fn two_previews_of_one_workplan_cannot_both_be_committed() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    // one file, built once: rust_xlsxwriter stamps the time into each workbook it writes
    let file = good_workbook();
    let first = dinkes
        .upload(&[("tahun", "2024"), ("tahapan", "murni")], "a.xlsx", &file)
        .location()
        .unwrap()
        .to_owned();
    let second = dinkes
        .upload(&[("tahun", "2024"), ("tahapan", "murni")], "b.xlsx", &file)
        .location()
        .unwrap()
        .to_owned();
    assert_eq!(
        dinkes
            .submit(&first, &format!("{first}/simpan"), &[])
            .status,
        303
    );
    let stale = dinkes.submit(&second, &format!("{second}/simpan"), &[]);
    assert_eq!(stale.status, 409);
    assert!(stale.text().contains("sudah diubah oleh impor lain"));
    assert_eq!(current_lines(&app.db), 3);
    // the same file again is recognised
    let third = dinkes
        .upload(&[("tahun", "2024"), ("tahapan", "murni")], "c.xlsx", &file)
        .location()
        .unwrap()
        .to_owned();
    assert!(dinkes.get(&third).text().contains("Berkas yang sama"));
}

#[test]
fn an_rka_printout_with_its_quirks_imports_its_lines_only() {
    let app = TestApp::start(Seed::Demo);
    let rows = vec![
        vec![V::T("RENCANA KERJA DAN ANGGARAN")],
        vec![V::T(
            "Dinas Kesehatan Kabupaten Berau - Tahun Anggaran 2024",
        )],
        vec![],
        vec![
            V::T("Kode Sub Kegiatan/Rekening"),
            V::T("Uraian"),
            V::T("Rincian Perhitungan"),
            V::E,
            V::E,
            V::T("Jumlah (Rp)"),
            V::T("Kode Intervensi"),
        ],
        vec![
            V::E,
            V::E,
            V::T("Volume"),
            V::T("Satuan"),
            V::T("Harga Satuan"),
            V::E,
            V::E,
        ],
        vec![
            V::N(1.0),
            V::N(2.0),
            V::N(3.0),
            V::N(4.0),
            V::N(5.0),
            V::N(6.0),
            V::N(7.0),
        ],
        vec![
            V::T(SUB),
            V::T("Pengelolaan Pelayanan Kesehatan Gizi Masyarakat"),
            V::E,
            V::E,
            V::E,
            V::F("SUM(F9:F10)", "17500000"),
            V::E,
        ],
        vec![
            V::T("5.1.02"),
            V::T("Belanja Barang dan Jasa"),
            V::E,
            V::E,
            V::E,
            V::N(17_500_000.0),
            V::E,
        ],
        vec![
            V::T("5.1.02.01.01.0052"),
            V::T("PMT lokal balita"),
            V::N(100.0),
            V::T("paket"),
            V::T("150.000"),
            V::T("Rp 15.000.000"),
            V::T("SP8"),
        ],
        vec![
            V::T("5.1.02.01.01.0024"),
            V::T("Tablet tambah darah"),
            V::N(2_000.0),
            V::T("tablet"),
            V::T("1,250.00"),
            V::F("C10*E10", "2500000"),
            V::T("SP3"),
        ],
        vec![
            V::T("JUMLAH"),
            V::E,
            V::E,
            V::E,
            V::E,
            V::N(17_500_000.0),
            V::E,
        ],
        vec![],
        vec![
            V::E,
            V::E,
            V::E,
            V::E,
            V::T("Tanjung Redeb, 2 Januari 2024"),
        ],
        vec![V::E, V::E, V::E, V::E, V::T("Kepala Dinas Kesehatan")],
    ];
    let path = write_temp("rka.xlsx", &xlsx(&rows));
    let output = import_as_dinkes(&app.db, &path, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    assert_eq!(report["status"], "committed");
    assert_eq!(report["header_row"], 4);
    assert_eq!(report["rows"]["accepted"], 2, "{report}");
    assert_eq!(report["rows"]["rejected"], 0, "{report}");
    assert_eq!(report["total_pagu"], "17500000.00");
    assert_eq!(report["pagu_by_jenis"]["spesifik"], "17500000.00");
    assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
    assert_eq!(current_lines(&app.db), 2);
}

#[test]
fn the_cli_speaks_json_and_exit_codes() {
    let db = TestDb::new(Seed::Demo);
    let good = write_temp("good.xlsx", &good_workbook());
    let dry = import_as_dinkes(&db, &good, &["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    let report = json(&dry);
    assert_eq!(report["status"], "dry_run");
    assert_eq!(report["sheet"], "Sheet1");
    assert_eq!(report["header_row"], 1);
    assert_eq!(report["rows"]["read"], 3);
    assert_eq!(report["total_pagu"], "23500000.00");
    assert!(report["batch_id"].is_null());
    assert_eq!(current_lines(&db), 0);

    let mut rows = vec![
        header(),
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT",
            1.0,
            1.0,
            0.0,
            "DAU",
            "",
            "Desa Khayalan",
        ),
    ];
    rows.push(line(
        "1.02.02",
        "5.1.02.01.01.0052",
        "Kode salah",
        1.0,
        1.0,
        1.0,
        "DAU",
        "",
        "",
    ));
    let mut unnamed = line(
        "1.02.02.2.02.0099",
        "5.1.02.01.01.0052",
        "Kode baru tanpa nama",
        1.0,
        1.0,
        1.0,
        "DAU",
        "",
        "",
    );
    unnamed[1] = V::E;
    rows.push(unnamed);
    let bad = write_temp("bad.xlsx", &xlsx(&rows));
    let rejected = import_as_dinkes(&db, &bad, &[]);
    assert_eq!(rejected.status.code(), Some(1));
    let report = json(&rejected);
    assert_eq!(report["status"], "rejected");
    let errors = report["errors"].as_array().unwrap();
    let pagu = errors
        .iter()
        .find(|error| error["field"] == "pagu")
        .expect("pagu error");
    assert_eq!(pagu["row"], 2);
    assert_eq!(pagu["column"], "H");
    assert!(pagu["message"].as_str().unwrap().contains("lebih dari 0"));
    assert!(
        errors
            .iter()
            .any(|error| error["field"] == "desa_lokus" && error["column"] == "L")
    );
    assert!(
        errors
            .iter()
            .any(|error| error["field"] == "sub_kegiatan_kode" && error["row"] == 3)
    );
    assert!(
        errors
            .iter()
            .any(|error| error["field"] == "sub_kegiatan_nama"
                && error["row"] == 4
                && error["column"] == "B"),
        "a new sub kegiatan code needs its name: {report}"
    );
    assert_eq!(current_lines(&db), 0);

    let committed = lokus(
        &db,
        &[
            "import",
            "workplan",
            good.to_str().unwrap(),
            "--opd",
            DINKES,
            "--year",
            "2024",
        ],
        &[],
    );
    assert_eq!(
        committed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&committed.stderr)
    );
    assert!(String::from_utf8_lossy(&committed.stdout).contains("committed as import #"));
    assert_eq!(current_lines(&db), 3);

    let no_opd = lokus(
        &db,
        &[
            "import",
            "workplan",
            good.to_str().unwrap(),
            "--year",
            "2024",
            "--json",
        ],
        &[],
    );
    assert_eq!(no_opd.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_opd.stderr).contains("Kode SKPD"));
}

#[test]
fn bad_files_get_a_clear_message_and_change_nothing() {
    let app = TestApp::start(Seed::Demo);
    let db = &app.db;
    let truncated = {
        let bytes = good_workbook();
        bytes[..bytes.len() / 2].to_vec()
    };
    let no_header = xlsx(&[
        vec![V::T("Daftar hadir rapat")],
        vec![V::T("Nama"), V::T("Jabatan")],
    ]);
    let empty = xlsx(&[]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("notes.xlsx", b"Ini bukan buku kerja".to_vec(), ""),
        (
            "data.xlsx",
            b"kode,uraian,pagu\n1.02,PMT,1000\n".to_vec(),
            "CSV",
        ),
        (
            "lama.xlsx",
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0].to_vec(),
            "xls",
        ),
        ("potong.xlsx", truncated, "rusak"),
        ("kosong.xlsx", Vec::new(), "kosong"),
        ("empty.xlsx", empty, ""),
        ("rapat.xlsx", no_header, "Pagu"),
    ];
    for (name, bytes, hint) in &cases {
        let path = write_temp(name, bytes);
        let output = import_as_dinkes(db, &path, &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(hint), "{name}: {stderr}");
        assert_eq!(json(&output)["status"], "error");
    }
    let too_many = write_temp("besar.xlsx", &good_workbook());
    let output = lokus(
        db,
        &[
            "import",
            "workplan",
            too_many.to_str().unwrap(),
            "--opd",
            DINKES,
            "--year",
            "2024",
        ],
        &[("LOKUS_MAX_IMPORT_ROWS", "2")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains('2'));
    assert_eq!(current_lines(db), 0);
    assert_eq!(
        count(&mut db.connect(), "SELECT count(*) AS n FROM import_batch"),
        0
    );

    // and through the web: the message on the page, and the server keeps serving
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let refused = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "data.xlsx",
        b"kode,uraian\n",
    );
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("CSV"));
    assert_eq!(dinkes.get("/healthz").status, 200);
}

#[test]
fn a_district_wide_sipd_export_lands_in_each_opd_and_an_opd_takes_only_its_own() {
    let app = TestApp::start(Seed::Demo);
    let sipd_header = crate::support::workbook::SIPD_HEADER;
    let row = |skpd: &'static str,
               nama: &'static str,
               sub: &'static str,
               rekening: &'static str,
               standar: &'static str,
               pagu: f64| {
        vec![
            V::N(2024.0),
            V::T("1"),
            V::T("Urusan Wajib"),
            V::T(skpd),
            V::T(nama),
            V::T(skpd),
            V::T(nama),
            V::T("1.02"),
            V::T("Kesehatan"),
            V::T("1.02.02"),
            V::T("Program"),
            V::T("1.02.02.2.02"),
            V::T("Kegiatan"),
            V::T(sub),
            V::T("Sub kegiatan"),
            V::T("1.1.01"),
            V::T("Dana Alokasi Umum"),
            V::T(rekening),
            V::T("Belanja Bahan"),
            V::T("1.1.7.01"),
            V::T(standar),
            V::N(pagu),
        ]
    };
    let bytes = xlsx(&[
        sipd_header.iter().map(|text| V::T(text)).collect(),
        row(
            DINKES,
            "Dinas Kesehatan",
            SUB,
            "5.1.02.01.01.0052",
            "Paket PMT lokal balita",
            15_000_000.0,
        ),
        row(
            "1.03.0.00.0.00.01.0000",
            "Dinas PUPR",
            "1.03.03.2.01.0004",
            "5.1.02.01.01.0001",
            "Pembangunan jamban sehat",
            40_000_000.0,
        ),
        row(
            "2.11.0.00.0.00.01.0000",
            "Dinas Ketahanan Pangan",
            "2.09.02.2.01.0001",
            "5.1.02.01.01.0002",
            "Bantuan pangan keluarga",
            7_000_000.0,
        ),
    ]);
    let path = write_temp("sipd.xlsx", &bytes);

    // an opd officer's import takes only their own rows
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let preview = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "sipd.xlsx",
        &bytes,
    );
    let page = dinkes.get(preview.location().unwrap()).text();
    assert!(page.contains("3 / 1 / 2 / 0"), "{page}");
    assert!(page.contains("Baris OPD lain"));

    // an admin without --create-opds is told which OPD is unknown
    let unknown = lokus(
        &app.db,
        &[
            "import",
            "workplan",
            path.to_str().unwrap(),
            "--year",
            "2024",
            "--json",
        ],
        &[],
    );
    assert_eq!(unknown.status.code(), Some(1));
    let report = json(&unknown);
    assert_eq!(report["unknown_opds"][0]["kode"], "2.11.0.00.0.00.01.0000");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Dinas Ketahanan Pangan")
    );

    let created = lokus(
        &app.db,
        &[
            "import",
            "workplan",
            path.to_str().unwrap(),
            "--year",
            "2024",
            "--create-opds",
            "--json",
        ],
        &[],
    );
    assert_eq!(
        created.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&created.stdout)
    );
    let report = json(&created);
    assert_eq!(report["rows"]["accepted"], 3);
    let mut conn = app.db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(DISTINCT opd_id) AS n FROM budget_line"
        ),
        3
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM opd WHERE nama = 'Dinas Ketahanan Pangan'"
        ),
        1
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line WHERE intervensi_id IS NULL"
        ),
        3,
        "SIPD lines arrive untagged"
    );

    // lokus suggests, a person decides
    let mut admin = app.login_as("admin@berau.demo");
    let untagged = admin.get("/anggaran?tampil=belum").text();
    assert!(untagged.contains("SE5"), "jamban suggests SE5");
    assert!(untagged.contains("SE10"), "bantuan pangan suggests SE10");
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line WHERE intervensi_id IS NOT NULL"
        ),
        0,
        "suggestions are never applied silently"
    );
    let jamban = count(
        &mut conn,
        "SELECT id AS n FROM budget_line WHERE uraian LIKE '%jamban%'",
    );
    let pangan = count(
        &mut conn,
        "SELECT id AS n FROM budget_line WHERE uraian LIKE '%pangan%'",
    );
    let token = admin.get("/anggaran").csrf_token();
    let bulk = admin.post_form(
        "/anggaran/tandai",
        &[
            ("csrf_token", &token),
            ("line", &jamban.to_string()),
            ("line", &pangan.to_string()),
            ("intervensi", "SE10"),
            ("desa", "64.03.05.1004"),
        ],
    );
    assert_eq!(bulk.status, 303);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line WHERE tag_source = 'manual' AND jenis = 'sensitif'"
        ),
        2
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line_desa WHERE tag_source = 'manual'"
        ),
        2
    );
    assert!(
        admin
            .get("/anggaran?intervensi=SE10")
            .text()
            .contains("Pembangunan jamban sehat")
    );
    assert!(
        admin
            .get("/anggaran?desa=64.03.05.1004")
            .text()
            .contains("Bantuan pangan keluarga")
    );
    // an opd officer cannot tag another OPD's line
    let token = dinkes.get("/anggaran").csrf_token();
    let foreign = dinkes.post_form(
        "/anggaran/tandai",
        &[
            ("csrf_token", &token),
            ("line", &jamban.to_string()),
            ("intervensi", "SE4"),
        ],
    );
    assert_eq!(foreign.status, 422);
}

#[test]
fn the_template_round_trips_through_an_import() {
    let db = TestDb::new(Seed::Demo);
    let path = std::env::temp_dir().join(format!("lokus-template-{}.xlsx", std::process::id()));
    let output = lokus(
        &db,
        &[
            "template",
            "workplan",
            "-o",
            path.to_str().unwrap(),
            "--year",
            "2024",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut template: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = template.sheet_names();
    assert!(names.contains(&"Petunjuk".to_owned()), "{names:?}");
    let sheet = template.worksheet_range("Rencana Kerja").unwrap();
    // fill it as a person would: keep the template's rows, add lines below
    let mut rows: Vec<Vec<V>> = sheet
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    calamine::Data::Float(number) => V::N(*number),
                    calamine::Data::Int(number) => V::N(*number as f64),
                    calamine::Data::Empty => V::E,
                    other => V::S(other.to_string()),
                })
                .collect()
        })
        .collect();
    rows.push(line(
        SUB,
        "5.1.02.01.01.0052",
        "PMT lokal balita gizi kurang",
        100.0,
        150_000.0,
        15_000_000.0,
        "DAU",
        "SP8",
        "64.03.05.1004",
    ));
    let filled = write_temp(
        "filled.xlsx",
        &crate::support::workbook::xlsx_sheets(&[("Rencana Kerja", &rows)]),
    );
    let imported = import_as_dinkes(&db, &filled, &[]);
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&imported.stdout)
    );
    let report = json(&imported);
    assert_eq!(
        report["rows"]["accepted"], 1,
        "the example row is skipped: {report}"
    );
    assert_eq!(report["skipped_by_reason"]["contoh"], 1);
    let _ = std::fs::remove_file(path);
}

#[test]
fn an_upload_above_the_size_limit_is_refused_with_the_limit_named() {
    let app = TestApp::start_with(TestDb::new(Seed::Demo), |settings| {
        settings.max_upload_mb = 1
    });
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let big = vec![b'x'; 1_500_000];
    let refused = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "besar.xlsx",
        &big,
    );
    assert_eq!(refused.status, 413);
    assert!(
        refused.text().contains("batas unggahan 1 MB"),
        "{}",
        refused.text()
    );
    let mut conn = app.db.connect();
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM import_batch"),
        0
    );
    // a file within the limit still goes through
    assert_eq!(
        dinkes
            .upload(
                &[("tahun", "2024"), ("tahapan", "murni")],
                "kecil.xlsx",
                &good_workbook()
            )
            .status,
        303
    );
}

#[test]
fn a_subtotal_that_disagrees_with_its_lines_is_a_warning_not_an_error() {
    let db = TestDb::new(Seed::Demo);
    let mut subtotal = vec![
        V::T(SUB),
        V::T("Pengelolaan Pelayanan Kesehatan Gizi Masyarakat"),
    ];
    subtotal.extend([V::E, V::E, V::E, V::E, V::E, V::N(20_000_000.0)]);
    let rows = vec![
        header(),
        subtotal,
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT lokal balita",
            100.0,
            150_000.0,
            15_000_000.0,
            "DAU",
            "SP8",
            "",
        ),
        line(
            SUB,
            "5.1.02.01.01.0024",
            "Tablet tambah darah",
            2_000.0,
            1_250.0,
            2_500_000.0,
            "DAU",
            "SP3",
            "",
        ),
    ];
    let path = write_temp("subtotal.xlsx", &xlsx(&rows));
    let output = import_as_dinkes(&db, &path, &[]);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    assert_eq!(report["rows"]["accepted"], 2);
    assert_eq!(report["skipped_by_reason"]["subtotal"], 1);
    let warning = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|warning| warning["row"] == 2)
        .expect("a warning on the subtotal row");
    let message = warning["message"].as_str().unwrap();
    assert!(
        message.contains("Rp 20.000.000") && message.contains("Rp 17.500.000"),
        "{message}"
    );
}

#[test]
fn warnings_are_listed_but_do_not_block_the_commit() {
    let db = TestDb::new(Seed::Demo);
    let rows = vec![
        header(),
        // 100 x 150.000 is 15.000.000, not 14.000.000
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT lokal balita",
            100.0,
            150_000.0,
            14_000_000.0,
            "DAU",
            "SP8",
            "",
        ),
        // a sumber dana the catalogue does not have, and a desa of Berau that is not lokus in 2024
        line(
            SUB,
            "5.1.02.01.01.0024",
            "Tablet tambah darah",
            2_000.0,
            1_250.0,
            2_500_000.0,
            "CSR Perusahaan",
            "SP3",
            "64.03.05.1007",
        ),
    ];
    let path = write_temp("peringatan.xlsx", &xlsx(&rows));
    let output = import_as_dinkes(&db, &path, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report = json(&output);
    assert_eq!(report["status"], "committed");
    let warnings = report["warnings"].as_array().unwrap();
    let field_of = |field: &str, row: u64| {
        warnings
            .iter()
            .find(|warning| warning["field"] == field && warning["row"] == row)
    };
    assert!(
        field_of("pagu", 2)
            .or(field_of("volume", 2))
            .or(field_of("harga_satuan", 2))
            .is_some(),
        "volume x harga: {report}"
    );
    assert!(
        field_of("sumber_dana", 3).unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("CSR Perusahaan")
    );
    assert!(
        field_of("desa_lokus", 3).unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("bukan desa lokus")
    );
    assert_eq!(current_lines(&db), 2);
    assert_eq!(
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM budget_line_desa WHERE kode_desa = '64.03.05.1007'"
        ),
        1,
        "linked anyway"
    );
}

#[test]
fn a_zip_declaring_gigabytes_is_refused_before_it_is_unpacked() {
    let db = TestDb::new(Seed::Demo);
    let mut bytes = good_workbook();
    // every central-directory entry now claims 4 GB once unpacked
    let mut at = 0;
    while let Some(found) = bytes[at..]
        .windows(4)
        .position(|window| window == b"PK\x01\x02")
    {
        let entry = at + found;
        bytes[entry + 24..entry + 28].copy_from_slice(&0xF000_0000u32.to_le_bytes());
        at = entry + 4;
    }
    let path = write_temp("bom.xlsx", &bytes);
    let output = import_as_dinkes(&db, &path, &[]);
    assert_eq!(output.status.code(), Some(2));
    let message = json(&output)["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("GB") || message.contains("MB") || message.contains("bom"),
        "{message}"
    );
    assert_eq!(current_lines(&db), 0);
}

#[test]
fn the_budget_line_download_imports_back_unchanged_to_the_rupiah() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let preview = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rka.xlsx",
        &good_workbook(),
    );
    let url = preview.location().unwrap().to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );

    let mut admin = app.login_as("admin@berau.demo");
    let download = admin.get("/anggaran?tahun=2024&format=xlsx");
    assert_eq!(download.status, 200);
    let path = write_temp("unduhan.xlsx", &download.body);
    let output = lokus(
        &app.db,
        &[
            "import",
            "workplan",
            path.to_str().unwrap(),
            "--year",
            "2024",
            "--dry-run",
            "--json",
        ],
        &[],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report = json(&output);
    assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
    assert_eq!(report["rows"]["accepted"], 3);
    assert_eq!(report["total_pagu"], "23500000.00");
    assert_eq!(report["diff"]["unchanged"], 3, "{report}");
    assert_eq!(report["diff"]["changed"], 0);
    assert_eq!(report["diff"]["added"], 0);
    assert_eq!(report["diff"]["removed"], 0);
    assert_eq!(report["pagu_by_intervensi"]["SP8"], "15000000.00");
}

#[test]
fn an_admin_creates_the_opds_a_sipd_export_names_from_the_upload_form() {
    let app = TestApp::start(Seed::Demo);
    let header = [
        "Tahun",
        "Kode SKPD",
        "Nama SKPD",
        "Kode Sub Kegiatan",
        "Nama Sub Kegiatan",
        "Kode Rekening",
        "Nama Rekening",
        "Nama Standar Harga",
        "Pagu",
    ];
    let bytes = xlsx(&[
        header.iter().map(|text| V::T(text)).collect(),
        vec![
            V::N(2024.0),
            V::T("2.09.0.00.0.00.01.0000"),
            V::T("Dinas Ketahanan Pangan"),
            V::T("2.09.02.2.01.0001"),
            V::T("Penyediaan Cadangan Pangan"),
            V::T("5.1.02.01.01.0002"),
            V::T("Belanja Bahan Pangan"),
            V::T("Bantuan pangan keluarga berisiko stunting"),
            V::N(7_000_000.0),
        ],
    ]);
    let mut admin = app.login_as("admin@berau.demo");
    let without = admin.upload(
        &[("tahun", "2024"), ("tahapan", "murni"), ("opd", "")],
        "sipd.xlsx",
        &bytes,
    );
    let page = admin.get(without.location().unwrap()).text();
    assert!(page.contains("belum terdaftar di lokus"), "{page}");
    assert!(!page.contains("Simpan impor ini"));

    let with = admin.upload(
        &[
            ("tahun", "2024"),
            ("tahapan", "murni"),
            ("opd", ""),
            ("create_opds", "on"),
        ],
        "sipd.xlsx",
        &bytes,
    );
    let url = with.location().unwrap().to_owned();
    let page = admin.get(&url).text();
    assert!(page.contains("Simpan impor ini"), "{page}");
    assert_eq!(
        admin.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );
    assert!(admin.get("/opd").text().contains("Dinas Ketahanan Pangan"));
    assert_eq!(current_lines(&app.db), 1);

    // an opd officer's upload form has no such checkbox (the handler ignores it for them too)
    let mut dinkes = app.login_as("dinkes@berau.demo");
    assert!(!dinkes.get("/impor").text().contains("create_opds"));

    // the report reads in English too
    admin.get("/bahasa/en");
    assert!(
        admin
            .get(&url)
            .text()
            .contains("Rows (read / accepted / skipped / rejected)")
    );
}

/// A SIPD-style export holding one line of Dinas Kesehatan.
fn sipd_dinkes_workbook() -> Vec<u8> {
    let header = [
        "Tahun",
        "Kode SKPD",
        "Nama SKPD",
        "Kode Sub Kegiatan",
        "Nama Sub Kegiatan",
        "Kode Rekening",
        "Nama Rekening",
        "Nama Standar Harga",
        "Pagu",
    ];
    xlsx(&[
        header.iter().map(|text| V::T(text)).collect(),
        vec![
            V::N(2024.0),
            V::T(DINKES),
            V::T("Dinas Kesehatan"),
            V::T(SUB),
            V::T("Pengelolaan Pelayanan Kesehatan Gizi Masyarakat"),
            V::T("5.1.02.01.01.0052"),
            V::T("Belanja Bahan"),
            V::T("Paket PMT lokal balita"),
            V::N(15_000_000.0),
        ],
    ])
}

#[test]
fn the_same_file_note_links_only_to_an_import_the_reader_may_open() {
    let app = TestApp::start(Seed::Demo);
    let bytes = sipd_dinkes_workbook();
    let mut admin = app.login_as("admin@berau.demo");
    let first = admin.upload(
        &[("tahun", "2024"), ("tahapan", "murni"), ("opd", "")],
        "sipd.xlsx",
        &bytes,
    );
    let first_url = first.location().unwrap().to_owned();
    assert_eq!(
        admin
            .submit(&first_url, &format!("{first_url}/simpan"), &[])
            .status,
        303
    );
    let link = format!("href=\"{first_url}\"");

    // the district-wide import is the admin's: an opd officer is told, not sent there
    let mut dinkes = app.login_as("dinkes@berau.demo");
    assert_eq!(dinkes.get(&first_url).status, 404, "not theirs to open");
    let again = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "sipd-lagi.xlsx",
        &bytes,
    );
    let page = dinkes.get(again.location().unwrap()).text();
    assert!(page.contains("Berkas yang sama"), "{page}");
    assert!(page.contains("impor yang tidak dapat Anda buka"), "{page}");
    assert!(!page.contains(&link), "{page}");
    let number = first_url.rsplit('/').next().unwrap();
    assert!(!page.contains(&format!("#{number}")), "{page}");

    // the admin may open it, so the admin's note links it
    let again = admin.upload(
        &[("tahun", "2024"), ("tahapan", "murni"), ("opd", "")],
        "sipd-lagi.xlsx",
        &bytes,
    );
    let page = admin.get(again.location().unwrap()).text();
    assert!(page.contains(&link), "{page}");
}

#[test]
fn a_preview_without_lines_cannot_be_committed() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    // a template with its header and no line
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "kosong.xlsx",
        &xlsx(&[header()]),
    );
    assert_eq!(uploaded.status, 303, "{}", uploaded.text());
    let url = uploaded.location().unwrap().to_owned();
    let page = dinkes.get(&url).text();
    assert!(page.contains("0 / 0 / 0 / 0"), "{page}");
    assert!(
        !page.contains("Simpan impor ini"),
        "no commit button: {page}"
    );
    let refused = dinkes.submit(&url, &format!("{url}/simpan"), &[("konfirmasi", "ya")]);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("tidak memuat satu baris anggaran pun")
    );
    let mut conn = app.db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM import_batch WHERE status = 'committed'"
        ),
        0
    );
}

#[test]
fn a_command_line_import_without_lines_never_empties_a_workplan() {
    let app = TestApp::start(Seed::Demo);
    let committed = import_as_dinkes(&app.db, &write_temp("baik.xlsx", &good_workbook()), &[]);
    assert!(
        committed.status.success(),
        "{}",
        String::from_utf8_lossy(&committed.stderr)
    );
    let before = current_lines(&app.db);
    assert!(before > 0);
    let empty = write_temp("kosong-cli.xlsx", &xlsx(&[header()]));
    let refused = import_as_dinkes(&app.db, &empty, &[]);
    assert!(!refused.status.success(), "an empty file is not committed");
    assert_eq!(current_lines(&app.db), before, "the workplan stays whole");
}

#[test]
fn a_commit_that_lowers_the_total_asks_for_confirmation_even_without_removals() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let first = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "a.xlsx",
        &good_workbook(),
    );
    let url = first.location().unwrap().to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );
    // the same three lines, one of them cheaper
    let mut rows = vec![header()];
    rows.push(line(
        SUB,
        "5.1.02.01.01.0052",
        "PMT lokal balita gizi kurang",
        10.0,
        150_000.0,
        1_500_000.0,
        "DAK_NF_BOK",
        "SP8",
        "",
    ));
    rows.push(line(
        SUB,
        "5.1.02.01.01.0024",
        "Tablet tambah darah remaja putri",
        2_000.0,
        1_250.0,
        2_500_000.0,
        "DAU",
        "",
        "",
    ));
    rows.push(line(
        SUB,
        "5.1.02.02.01.0026",
        "Honorarium kader posyandu",
        12.0,
        500_000.0,
        6_000_000.0,
        "Dana Alokasi Umum",
        "SP7",
        "",
    ));
    let second = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "b.xlsx",
        &xlsx(&rows),
    );
    let url = second.location().unwrap().to_owned();
    let page = dinkes.get(&url).text();
    assert!(
        page.contains("Total pagu turun dari Rp 23.500.000 menjadi Rp 10.000.000."),
        "{page}"
    );
    assert!(!page.contains("akan dihapus"), "nothing is removed: {page}");
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        422
    );
    // the same page in English says it all in English
    dinkes.get("/bahasa/en");
    let page = dinkes.get(&url).text();
    for english in [
        "The total budget drops from Rp 23.500.000 to Rp 10.000.000.",
        "I understand and still want to commit this import",
        "0 added, 1 changed, 0 removed, 2 unchanged",
        "<dd>preview</dd>",
        "2024 (original budget)",
    ] {
        assert!(page.contains(english), "{english}: {page}");
    }
    let committed = dinkes.submit(&url, &format!("{url}/simpan"), &[("konfirmasi", "ya")]);
    assert_eq!(committed.status, 303);
    let done = dinkes.get(committed.location().unwrap()).text();
    assert!(
        done.contains("Import committed. Lines added: 0, changed: 1, removed: 0, unchanged: 2. Total budget Rp 23.500.000 → Rp 10.000.000."),
        "{done}"
    );
    let total = count(
        &mut app.db.connect(),
        "SELECT sum(pagu)::bigint AS n FROM budget_line WHERE removed_in_batch IS NULL",
    );
    assert_eq!(total, 10_000_000);
}

/// Dinas Kesehatan's three good lines, committed; the id of the line whose uraian starts so.
fn committed_dinkes(app: &TestApp) -> crate::support::Client {
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rka.xlsx",
        &good_workbook(),
    );
    let url = uploaded.location().unwrap().to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );
    dinkes
}

fn line_id(app: &TestApp, uraian_prefix: &str) -> i64 {
    count(
        &mut app.db.connect(),
        &format!(
            "SELECT id AS n FROM budget_line WHERE uraian LIKE '{uraian_prefix}%' AND removed_in_batch IS NULL"
        ),
    )
}

#[test]
fn the_budget_line_page_names_desa_and_suggestions_and_tags_a_desa_by_name() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = committed_dinkes(&app);
    let page = dinkes.get("/anggaran").text();
    // each line's desa, by name
    assert!(
        page.contains("title=\"64.03.05.1005\">Bugis</span>"),
        "{page}"
    );
    // suggestions by name, under a label that is about interventions
    assert!(page.contains("Saran intervensi"), "{page}");
    assert!(!page.contains("Saran lokus"));
    assert!(
        page.contains(">SP3 Tablet tambah darah remaja putri</button>"),
        "{page}"
    );
    assert!(page.contains("Desa/kelurahan (kode atau nama)"));

    // the tagging form takes a desa by name, resolved as the import resolves it
    let honor = line_id(&app, "Honorarium");
    let token = dinkes.get("/anggaran").csrf_token();
    let tagged = dinkes.post_form(
        "/anggaran/tandai",
        &[
            ("csrf_token", &token),
            ("line", &honor.to_string()),
            ("desa", "tanjung redeb"),
        ],
    );
    assert_eq!(tagged.status, 303, "{}", tagged.text());
    let mut conn = app.db.connect();
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM budget_line_desa WHERE line_id = {honor} AND kode_desa = '64.03.05.1004' AND tag_source = 'manual'"
            )
        ),
        1
    );
    // the audit names the line itself, not how many lines there were
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM activity_log WHERE action = 'tag' AND entity_id = '{honor}'"
            )
        ),
        1
    );
    let audit = app.login_as("admin@berau.demo").get("/aktivitas").text();
    assert!(
        audit.contains(&format!(
            "<td data-label=\"Aksi\">ditandai</td>\n    <td data-label=\"Data\">baris anggaran {honor}</td>"
        )),
        "{audit}"
    );
    let unknown = dinkes.post_form(
        "/anggaran/tandai",
        &[
            ("csrf_token", &token),
            ("line", &honor.to_string()),
            ("desa", "Desa Khayalan"),
        ],
    );
    assert_eq!(unknown.status, 422);
    assert!(
        unknown
            .text()
            .contains("Desa Khayalan&#34; tidak ada di kabupaten/kota ini"),
        "{}",
        unknown.text()
    );
    // the filter takes a name too
    let bugis = dinkes.get("/anggaran?desa=Bugis").text();
    assert!(bugis.contains("PMT lokal balita gizi kurang"));
    assert!(!bugis.contains("Honorarium kader posyandu"), "{bugis}");
    let nowhere = dinkes.get("/anggaran?desa=Desa+Khayalan");
    assert!(
        nowhere
            .text()
            .contains("Desa Khayalan&#34; tidak ada di kabupaten/kota ini"),
        "an unknown desa in the filter is said: {}",
        nowhere.text()
    );
}

#[test]
fn a_locked_year_refuses_every_change_of_its_tags() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = committed_dinkes(&app);
    let ttd = line_id(&app, "Tablet");
    let mut conn = app.db.connect();
    diesel::sql_query("UPDATE tahun_anggaran SET terkunci = true WHERE tahun = 2024")
        .execute(&mut conn)
        .unwrap();
    // the page shows the year read-only and says why
    let page = dinkes.get("/anggaran").text();
    assert!(page.contains("Tahun anggaran 2024 sudah dikunci"), "{page}");
    assert!(
        !page.contains("name=\"line\""),
        "no tagging controls: {page}"
    );
    assert!(!page.contains("name=\"terima\""));
    // a form sent anyway (an old tab, a script) is refused by the service
    let token = dinkes.get("/anggaran").csrf_token();
    for fields in [
        vec![("terima", format!("{ttd}:SP3"))],
        vec![("line", ttd.to_string()), ("intervensi", "SP3".to_owned())],
        vec![("line", ttd.to_string()), ("desa", "Bugis".to_owned())],
    ] {
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend(fields.iter().map(|(key, value)| (*key, value.as_str())));
        let refused = dinkes.post_form("/anggaran/tandai", &all);
        assert_eq!(refused.status, 422, "{fields:?}");
        assert!(
            refused.text().contains("Tahun anggaran 2024 sudah dikunci"),
            "{}",
            refused.text()
        );
    }
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM budget_line WHERE id = {ttd} AND intervensi_id IS NULL"
            )
        ),
        1,
        "the tag is unchanged"
    );
    assert_eq!(
        count(
            &mut conn,
            &format!("SELECT count(*) AS n FROM budget_line_desa WHERE line_id = {ttd}")
        ),
        0
    );
    // in English, the message is English
    dinkes.get("/bahasa/en");
    let token = dinkes.get("/anggaran").csrf_token();
    let refused = dinkes.post_form(
        "/anggaran/tandai",
        &[("csrf_token", &token), ("terima", &format!("{ttd}:SP3"))],
    );
    assert!(refused.text().contains("Fiscal year 2024 is locked"));
}

#[test]
fn an_opd_officers_home_page_says_what_to_do_next() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let home = dinkes.get("/").text();
    assert!(home.contains("Langkah berikutnya"), "{home}");
    assert!(
        home.contains("<a href=\"/impor\">Unggah rencana kerja 2024 OPD Anda"),
        "{home}"
    );
    assert!(!home.contains("))"), "no doubled brackets: {home}");

    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rka.xlsx",
        &good_workbook(),
    );
    let url = uploaded.location().unwrap().to_owned();
    let id = url.rsplit('/').next().unwrap();
    let home = dinkes.get("/").text();
    assert!(
        home.contains(&format!(
            "<a href=\"{url}\">Impor #{id} menunggu diperiksa dan disimpan"
        )),
        "{home}"
    );

    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );
    let home = dinkes.get("/").text();
    assert!(
        home.contains(
            "<a href=\"/anggaran?tahun=2024&#38;tampil=belum\">1 baris anggaran 2024 belum ditandai"
        ),
        "the untagged Tablet line: {home}"
    );
    assert!(!home.contains("menunggu diperiksa"));
    // leadership reads; it has nothing to do next here
    let mut bupati = app.login_as("bupati@berau.demo");
    assert!(!bupati.get("/").text().contains("Langkah berikutnya"));
}

#[test]
fn the_upload_form_answers_in_the_readers_language() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let empty = dinkes.upload(&[("tahun", "2024"), ("tahapan", "murni")], "x.xlsx", b"");
    assert_eq!(empty.status, 422);
    assert!(
        empty
            .text()
            .contains("Pilih berkas .xlsx yang akan diunggah.")
    );
    dinkes.get("/bahasa/en");
    let empty = dinkes.upload(&[("tahun", "2024"), ("tahapan", "murni")], "x.xlsx", b"");
    assert!(
        empty.text().contains("Choose the .xlsx file to upload."),
        "{}",
        empty.text()
    );
    let no_stage = dinkes.upload(&[("tahun", "2024"), ("tahapan", "")], "x.xlsx", b"PK");
    assert!(no_stage.text().contains("Choose the budget stage"));
}
