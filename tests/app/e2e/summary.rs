//! Journey: the Bupati's office reads the summary. pimpinan logs in, filters to a triwulan and an
//! OPD, sees the charts drawn (no script error), drills down to the lines, downloads the workbook,
//! and its total is the page's. Leaves a screenshot of the summary for the README.

use lokus::i18n::phrases::ID;
use serde_json::json;

use super::support::{Browser, district_with_data};

const DINKES: &str = "1.02.0.00.0.00.01.0000";

/// "Rp 1.234.567,89" as a number of sen.
fn sen(text: &str) -> i64 {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ',')
        .collect();
    let (rupiah, sen) = digits.split_once(',').unwrap_or((&digits, "00"));
    rupiah.parse::<i64>().unwrap_or_default() * 100
        + format!("{sen:0<2}")[..2].parse::<i64>().unwrap_or_default()
}

#[test]
fn pimpinan_filters_sees_charts_drills_down_and_downloads_the_same_total() {
    let (app, _) = district_with_data();
    let Some(mut browser) = Browser::start("summary", &app) else {
        return;
    };
    browser.capture_errors();
    browser.login("bupati@berau.demo");
    browser.goto("/ringkasan?tahun=2024");
    browser.wait_for("the charts drawn", |browser| {
        browser.script(
            "const canvases = [...document.querySelectorAll('canvas[data-chart]')];
             return canvases.length === 4 && !!window.Chart && canvases.every(c => !!window.Chart.getChart(c))",
            json!([]),
        ) == json!(true)
    });
    let shot = browser.screenshot("ringkasan");
    // the README's picture of the summary, refreshed on request only (a test run changes no
    // tracked file otherwise)
    if std::env::var("E2E_README_SHOT").is_ok_and(|value| value == "1") {
        let _ = std::fs::create_dir_all("docs/img");
        let _ = std::fs::copy(&shot, "docs/img/ringkasan.png");
    }

    browser.select("select[name=triwulan]", "2");
    browser.select("select[name=opd]", DINKES);
    browser.click("form.filters button[type=submit]");
    browser.wait_for_path("the filtered summary", |path| {
        path.contains("triwulan=2") && path.contains("opd=")
    });
    browser.wait_for("the charts drawn again", |browser| {
        browser.script(
            "return [...document.querySelectorAll('canvas[data-chart]')].every(c => window.Chart && !!window.Chart.getChart(c))",
            json!([]),
        ) == json!(true)
    });
    assert_eq!(browser.errors(), Vec::<String>::new(), "no script error");
    let page_total = browser
        .script(
            "const dt = [...document.querySelectorAll('dl.summary-totals dt')].find(d => d.textContent.trim() === arguments[0]);
             return dt ? dt.nextElementSibling.textContent : ''",
            json!([ID.ringkasan_realisasi]),
        )
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(page_total.starts_with("Rp "), "{page_total:?}");
    let summary_path = browser.path();

    // a row drills down to the lines behind it
    browser.click("#intervensi tbody tr a");
    browser.wait_for_path("the lines behind the row", |path| {
        path.starts_with("/anggaran?") && path.contains("opd=")
    });
    assert!(browser.count("table.lines tbody tr") > 0, "lines listed");
    browser.goto(&summary_path);

    let (name, bytes) = browser.download_by_clicking(ID.ringkasan_unduh_buku);
    assert!(name.ends_with(".xlsx"), "{name}");
    use calamine::{Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx");
    let cover = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&cover).expect("the cover");
    let spent = range
        .rows()
        .find(|row| row[0] == ID.ringkasan_realisasi)
        .map(|row| row[1].to_string())
        .expect("the cover's realisasi");
    let spent: f64 = spent.parse().expect("a number");
    assert_eq!(
        (spent * 100.0).round() as i64,
        sen(&page_total),
        "the workbook's total is the page's"
    );
}

/// A province-level pimpinan finds the province view from the summary and reads it at both widths:
/// every district a row (cards on a phone), nothing wider than the window.
#[test]
fn a_province_reader_opens_the_districts_side_by_side_at_both_widths() {
    use diesel::connection::SimpleConnection;
    let (app, _) = district_with_data();
    app.db
        .connect()
        .batch_execute("UPDATE users SET kode_provinsi = '64' WHERE email = 'bupati@berau.demo'")
        .unwrap();
    let Some(mut browser) = Browser::start("province", &app) else {
        return;
    };
    browser.login("bupati@berau.demo");
    browser.goto("/ringkasan?tahun=2024");
    browser.click("a[href^='/ringkasan/provinsi']");
    browser.wait_for_path("the province view", |path| {
        path.starts_with("/ringkasan/provinsi")
    });
    assert!(browser.text().contains("64.03"), "{}", browser.text());
    let problems = browser.screenshots_and_layout("provinsi");
    assert!(problems.is_empty(), "{problems:?}");
}
