//! Journey 2, the finance officer of Dinas Kesehatan entering realisation: the realisation form
//! downloaded from /anggaran, two months filled in, the upload's month diff, its commit, and the
//! figures on the line page (which fits a 1280 px window and a 390 px phone).

use lokus::i18n::phrases::ID;

use serde_json::json;

use super::phone::scrolling_tables;
use super::support::{Browser, DESKTOP, PHONE};
use crate::support::workbook::{FilledForm, header, line, xlsx};
use crate::support::{Seed, TestApp};

const SUB: &str = "1.02.02.2.02.0016";

fn commit_workplan(app: &TestApp) {
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let workplan = xlsx(&[
        header(),
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT lokal balita gizi kurang",
            100.0,
            150_000.0,
            15_000_000.0,
            "DAU",
            "",
            "",
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
    ]);
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rencana-kerja.xlsx",
        &workplan,
    );
    let url = uploaded.location().expect("a preview").to_owned();
    let committed = dinkes.submit(&url, &format!("{url}/simpan"), &[]);
    assert_eq!(committed.status, 303, "{}", committed.text());
}

#[test]
fn finance_officer_fills_two_months_of_the_realisation_form_and_sees_them_on_the_line() {
    let app = TestApp::start(Seed::Demo);
    commit_workplan(&app);
    let Some(mut browser) = Browser::start("realisation_officer", &app) else {
        return;
    };
    browser.login("dinkes@berau.demo");

    // the form, from the budget lines of the year
    browser.goto("/anggaran?tahun=2024");
    let (name, bytes) = browser.download_by_clicking(ID.realisasi_form_download);
    assert!(name.ends_with(".xlsx"), "{name}");

    // two months filled in, as the officer types them into the same cells
    let mut form = FilledForm::read(&bytes);
    let pmt = form.row_of_uraian("PMT");
    let line_id = form.line_id(pmt);
    form.fill(
        pmt,
        &[
            ("Keuangan Januari", 1_500_000.0),
            ("Fisik Januari", 10.0),
            ("Keuangan Februari", 2_250_000.0),
            ("Fisik Februari", 15.0),
        ],
    );
    let filled = form.to_xlsx();

    // uploaded as realisation: the diff names the line, the months, before and after
    let file = browser.scratch_file("realisasi-dinkes.xlsx", &filled);
    browser.goto("/impor");
    browser.choose_file("form[action='/impor'] input[name=file]", &file);
    browser.select("form[action='/impor'] select[name=kind]", "realisasi");
    browser.select("form[action='/impor'] select[name=tahun]", "2024");
    browser.click("form[action='/impor'] button[type=submit]");
    browser.wait_for_path("the import report", |path| {
        path.strip_prefix("/impor/")
            .is_some_and(|id| id.parse::<i64>().is_ok())
    });
    browser.screenshots_at_both_widths("impor-realisasi");
    // the month diff shows every column at 1280 px and its cards on a phone: nothing scrolls
    for size in [DESKTOP, PHONE] {
        browser.viewport(size);
        assert_eq!(
            scrolling_tables(&mut browser),
            json!([]),
            "the month diff at {} px hides columns behind a sideways scroll",
            size.0
        );
    }
    browser.viewport(DESKTOP);
    let diff = browser.table_after("Perubahan realisasi: 2 bulan pada 1 baris");
    assert_eq!(diff.rows.len(), 2, "{diff:?}");
    let january = &diff.rows[0];
    assert_eq!(diff.cell(january, ID.realisasi_bulan), "Jan");
    assert_eq!(diff.cell(january, ID.impor_line_id), line_id.to_string());
    assert!(diff.cell(january, ID.impor_keuangan_before).is_empty());
    assert!(
        diff.cell(january, ID.impor_keuangan_after)
            .contains("1.500.000"),
        "{diff:?}"
    );

    // committed
    browser.click_labelled(ID.impor_commit);
    browser.wait_for("the commit", |browser| {
        browser.count("form[action$='/simpan']") == 0
    });
    assert!(
        browser.text().contains("2 bulan berubah"),
        "{}",
        browser.text()
    );
    let mut conn = app.db.connect();
    let months: Vec<(i16, rust_decimal::Decimal)> =
        lokus::db::realisasi::for_lines(&mut conn, &[line_id])
            .unwrap()
            .into_iter()
            .map(|row| (row.bulan, row.keuangan))
            .collect();
    assert_eq!(
        months,
        vec![
            (1, "1500000".parse().unwrap()),
            (2, "2250000".parse().unwrap())
        ]
    );

    // the line page shows them, and fits a desktop window and a phone
    browser.goto(&format!("/realisasi/baris/{line_id}"));
    // the months in their inputs (as recorded, through the import), triwulan I as their sum
    let html = browser.html();
    assert!(
        html.contains("value=\"1.500.000,00\"") && html.contains("value=\"2.250.000,00\""),
        "{html}"
    );
    let page = browser.text();
    assert!(page.contains("3.750.000"), "{page}");
    assert!(page.contains(ID.realisasi_via_impor), "{page}");
    browser.screenshots_at_both_widths("realisasi-baris");
}
