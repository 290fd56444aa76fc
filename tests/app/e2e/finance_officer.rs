//! Journey 1, the finance officer of Dinas Kesehatan: template, an upload with two bad cells, the
//! errors at their row and column, the error workbook, the corrected upload that replaces an
//! earlier workplan, its commit, the lines on /anggaran, tagging one, and the import history.

use calamine::Reader;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use lokus::i18n::phrases::ID;

use super::support::Browser;
use crate::support::workbook::{V, header, line, xlsx};
use crate::support::{Seed, TestApp};

const SUB: &str = "1.02.02.2.02.0016";
/// Row of the earlier workplan that the corrected upload leaves out.
/// The desa 64.03.05.1004, tagged by its name as an officer types it.
const DESA_NAME: &str = "Tanjung Redeb";
const DROPPED: &str = "Sosialisasi gizi seimbang di kecamatan";

fn pmt() -> Vec<V> {
    line(
        SUB,
        "5.1.02.01.01.0052",
        "PMT lokal balita gizi kurang",
        100.0,
        150_000.0,
        15_000_000.0,
        "DAK_NF_BOK",
        "SP8",
        "64.03.05.1004",
    )
}

fn tablet() -> Vec<V> {
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
    )
}

fn honor() -> Vec<V> {
    line(
        SUB,
        "5.1.02.02.01.0026",
        "Honorarium kader posyandu",
        12.0,
        500_000.0,
        6_000_000.0,
        "DAU",
        "SP7",
        "64.03.05.1006",
    )
}

/// The workplan as the officer first sends it: pagu of row 3 (column H) typed as words, and an
/// intervention code on row 4 (column J) that the catalogue does not have.
fn workbook_with_two_bad_cells() -> Vec<u8> {
    let mut bad_pagu = tablet();
    bad_pagu[7] = V::T("dua juta lima ratus");
    let mut bad_code = honor();
    bad_code[9] = V::T("SP99");
    xlsx(&[header(), pmt(), bad_pagu, bad_code])
}

fn corrected_workbook() -> Vec<u8> {
    xlsx(&[header(), pmt(), tablet(), honor()])
}

/// What Dinas Kesehatan had committed before: the PMT line and one the new plan drops.
fn earlier_workbook() -> Vec<u8> {
    let mut dropped = tablet();
    dropped[2] = V::T("5.1.02.01.01.0030");
    dropped[3] = V::T(DROPPED);
    xlsx(&[header(), pmt(), dropped])
}

fn commit_earlier_workplan(app: &TestApp) {
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rencana-kerja-lama.xlsx",
        &earlier_workbook(),
    );
    let url = uploaded.location().expect("a preview").to_owned();
    let committed = dinkes.submit(&url, &format!("{url}/simpan"), &[]);
    assert_eq!(committed.status, 303, "{}", committed.text());
}

#[test]
fn finance_officer_fixes_an_upload_commits_it_and_tags_a_line() {
    let app = TestApp::start(Seed::Demo);
    commit_earlier_workplan(&app);
    let Some(mut browser) = Browser::start("finance_officer", &app) else {
        return;
    };
    browser.login("dinkes@berau.demo");

    download_the_template(&mut browser);
    let rejected = upload_with_two_bad_cells(&mut browser);
    see_the_errors_at_their_cells(&mut browser);
    check_the_error_workbook(&mut browser, &rejected);
    upload_the_corrected_workbook(&mut browser);
    see_the_diff_with_the_removed_line(&mut browser);
    confirm_the_removal_beside_the_button(&mut browser);
    commit(&mut browser);
    see_what_the_commit_changed(&mut browser);
    see_the_lines_on_anggaran(&mut browser);
    tag_a_line(&mut browser, &app);
    see_the_import_in_the_history(&mut browser);
}

fn download_the_template(browser: &mut Browser) {
    browser.goto("/impor");
    browser.screenshots_at_both_widths("impor");
    let (name, bytes) = browser.download_by_clicking(ID.impor_template);
    assert!(name.ends_with(".xlsx"), "{name}");
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("the template opens");
    let sheet = workbook
        .worksheet_range_at(0)
        .expect("a first sheet")
        .expect("the first sheet reads");
    let expected: Vec<String> = header()
        .iter()
        .map(|cell| match cell {
            V::T(text) => (*text).to_owned(),
            other => panic!("a header cell {other:?}"),
        })
        .collect();
    assert!(
        sheet.rows().any(|row| {
            let row: Vec<String> = row.iter().map(ToString::to_string).collect();
            row.len() >= expected.len() && row[..expected.len()] == expected[..]
        }),
        "the template's first sheet has the template header"
    );
}

/// Uploads through the form; returns the file name used.
fn upload(browser: &mut Browser, name: &str, bytes: &[u8]) {
    let file = browser.scratch_file(name, bytes);
    browser.goto("/impor");
    browser.choose_file("form[action='/impor'] input[name=file]", &file);
    browser.select("form[action='/impor'] select[name=tahun]", "2024");
    browser.select("form[action='/impor'] select[name=tahapan]", "murni");
    browser.click("form[action='/impor'] button[type=submit]");
    browser.wait_for_path("the import report", |path| {
        path.strip_prefix("/impor/")
            .is_some_and(|id| id.parse::<i64>().is_ok())
    });
}

fn upload_with_two_bad_cells(browser: &mut Browser) -> String {
    let name = "rencana-kerja-dinkes.xlsx";
    upload(browser, name, &workbook_with_two_bad_cells());
    name.to_owned()
}

fn see_the_errors_at_their_cells(browser: &mut Browser) {
    browser.screenshots_at_both_widths("impor-errors");
    let errors = browser.table_after(ID.impor_errors);
    assert_eq!(errors.rows.len(), 2, "two errors: {errors:?}");
    let at = |row: &str, column: &str| {
        errors
            .rows
            .iter()
            .find(|seen| {
                errors.cell(seen, ID.baris) == row && errors.cell(seen, ID.kolom) == column
            })
            .map(|seen| errors.cell(seen, ID.pesan).to_owned())
            .unwrap_or_else(|| panic!("no error at row {row} column {column}: {errors:?}"))
    };
    assert!(at("3", "H").contains("dua juta lima ratus"));
    assert!(at("4", "J").contains("SP99"));
    assert_eq!(
        browser.count("form[action$='/simpan']"),
        0,
        "a rejected upload offers no commit"
    );
}

fn check_the_error_workbook(browser: &mut Browser, uploaded: &str) {
    let report = browser.path();
    assert_eq!(
        browser.count(&format!("a[href='{report}/catatan.xlsx']")),
        1,
        "the report links its error workbook"
    );
    let (name, bytes) = browser.download_by_clicking(ID.impor_annotated);
    assert!(
        name.starts_with(uploaded.trim_end_matches(".xlsx")),
        "{name} is named after {uploaded}"
    );
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("the notes open");
    let sheet = workbook
        .worksheet_range_at(0)
        .expect("a first sheet")
        .expect("the first sheet reads");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    let notes = rows[0]
        .iter()
        .position(|title| title == "Catatan Impor")
        .expect("a Catatan Impor column");
    let note = |row: usize| rows.get(row).and_then(|cells| cells.get(notes)).cloned();
    assert_eq!(note(1).unwrap_or_default(), "", "row 2 is fine");
    assert!(note(2).unwrap_or_default().contains("dua juta lima ratus"));
    assert!(note(3).unwrap_or_default().contains("SP99"));
    assert_eq!(rows[2][7], "dua juta lima ratus", "the typed value stays");
}

fn upload_the_corrected_workbook(browser: &mut Browser) {
    upload(
        browser,
        "rencana-kerja-dinkes-perbaikan.xlsx",
        &corrected_workbook(),
    );
    assert!(
        !browser.text().contains(ID.impor_errors),
        "no errors left: {}",
        browser.text()
    );
}

fn see_the_diff_with_the_removed_line(browser: &mut Browser) {
    browser.screenshots_at_both_widths("impor-preview");
    let diff = browser.table_after(ID.impor_diff);
    let dropped = diff
        .rows
        .iter()
        .find(|row| diff.cell(row, ID.uraian) == DROPPED)
        .unwrap_or_else(|| panic!("the dropped line is in the diff: {diff:?}"));
    assert_eq!(diff.cell(dropped, ID.perubahan_jenis), "hapus");
}

fn confirm_the_removal_beside_the_button(browser: &mut Browser) {
    let page = browser.text();
    assert!(
        page.contains("1 baris yang tidak ada di berkas akan dihapus"),
        "the page says beside the button that a line is removed: {page}"
    );
    browser.click("form.commit input[name=konfirmasi]");
}

fn see_what_the_commit_changed(browser: &mut Browser) {
    let page = browser.text();
    assert!(
        page.contains("Impor disimpan.") && page.contains("dihapus: 1"),
        "the page says what the commit changed: {page}"
    );
}

fn commit(browser: &mut Browser) {
    let report = browser.path();
    browser.click_labelled(ID.impor_commit);
    browser.wait_for("the commit", |browser| {
        browser.count("form[action$='/simpan']") == 0
    });
    assert!(browser.path().starts_with(&report), "{}", browser.path());
}

fn see_the_lines_on_anggaran(browser: &mut Browser) {
    browser.click_labelled(ID.nav_anggaran);
    browser.wait_for_path("/anggaran", |path| path.starts_with("/anggaran"));
    browser.screenshots_at_both_widths("anggaran");
    let text = browser.text();
    for uraian in [
        "PMT lokal balita gizi kurang",
        "Tablet tambah darah remaja putri",
        "Honorarium kader posyandu",
    ] {
        assert!(text.contains(uraian), "{uraian} on /anggaran");
    }
    assert!(!text.contains(DROPPED), "the removed line is gone");
}

#[derive(QueryableByName)]
struct Tagged {
    #[diesel(sql_type = Text)]
    intervensi: String,
    #[diesel(sql_type = BigInt)]
    desa: i64,
}

fn tag_a_line(browser: &mut Browser, app: &TestApp) {
    let form = "form[action='/anggaran/tandai']";
    browser.click(&format!(
        "{form} input[name=line][aria-label='Tablet tambah darah remaja putri']"
    ));
    browser.select(&format!("{form} select[name=intervensi]"), "SP3");
    // A name, resolved the way the import resolves it.
    browser.fill(&format!("{form} input[name=desa]"), DESA_NAME);
    browser.click_labelled(ID.tandai);
    browser.wait_for("the tag on the line", |browser| {
        let Some(lines) = browser.find_table_after(ID.anggaran_title) else {
            return false;
        };
        lines.rows.iter().any(|row| {
            lines.cell(row, ID.uraian) == "Tablet tambah darah remaja putri"
                && lines.cell(row, ID.intervensi).starts_with("SP3 ")
                && lines.cell(row, ID.intervensi).contains(ID.tag_manual)
                && lines.cell(row, ID.desa).contains(DESA_NAME)
        })
    });
    let tagged: Tagged = diesel::sql_query(
        "SELECT i.kode AS intervensi, \
           (SELECT count(*) FROM budget_line_desa d WHERE d.line_id = l.id) AS desa \
         FROM budget_line l JOIN intervensi i ON i.id = l.intervensi_id \
         WHERE l.uraian = 'Tablet tambah darah remaja putri' AND l.removed_in_batch IS NULL",
    )
    .get_result(&mut app.db.connect())
    .expect("the tagged line");
    assert_eq!((tagged.intervensi.as_str(), tagged.desa), ("SP3", 1));
}

fn see_the_import_in_the_history(browser: &mut Browser) {
    browser.click_labelled(ID.nav_impor);
    browser.wait_for_path("/impor", |path| path == "/impor");
    let history = browser.table_after(ID.impor_title);
    let committed: Vec<&Vec<String>> = history
        .rows
        .iter()
        .filter(|row| {
            history.cell(row, ID.impor_file_name) == "rencana-kerja-dinkes-perbaikan.xlsx"
        })
        .collect();
    assert_eq!(committed.len(), 1, "{history:?}");
    assert_eq!(history.cell(committed[0], ID.impor_status), "disimpan");
    assert_eq!(history.cell(committed[0], ID.jumlah), "3");
}
