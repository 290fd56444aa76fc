//! Journey 2: after logging out, the browser's Back button must not show the budget data of the
//! page left behind (the pages that need a login must not be kept by the browser).

use lokus::i18n::phrases::ID;

use super::support::Browser;
use crate::support::workbook::{header, line, xlsx};
use crate::support::{Seed, TestApp};

const URAIAN: &str = "PMT lokal balita gizi kurang";

#[test]
fn back_after_logout_shows_no_budget_data() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let workbook = xlsx(&[
        header(),
        line(
            "1.02.02.2.02.0016",
            "5.1.02.01.01.0052",
            URAIAN,
            100.0,
            150_000.0,
            15_000_000.0,
            "DAU",
            "SP8",
            "",
        ),
    ]);
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rencana.xlsx",
        &workbook,
    );
    let url = uploaded.location().expect("a preview").to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );

    let Some(mut browser) = Browser::start("logout_back", &app) else {
        return;
    };
    browser.login("dinkes@berau.demo");
    browser.goto("/anggaran");
    assert!(
        browser.text().contains(URAIAN),
        "the line shows while logged in"
    );
    for page in ["/impor", &url] {
        browser.goto(page);
    }
    browser.goto("/anggaran");

    browser.click_labelled(ID.logout);
    browser.wait_for_path("the login page", |path| path.starts_with("/masuk"));
    browser.back();
    browser.wait_for("the page Back leads to", |browser| {
        browser.script("return document.readyState", serde_json::json!([])) == "complete"
    });
    let text = browser.text();
    assert!(
        !text.contains(URAIAN) && !text.contains("Rp 15.000.000"),
        "Back after logout shows {} with the budget data:\n{text}",
        browser.path()
    );
    assert_eq!(
        browser.count("form.logout"),
        0,
        "Back after logout shows a logged-in page"
    );
}
