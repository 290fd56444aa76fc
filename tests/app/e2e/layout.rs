//! Every role's pages at a phone's and a desktop's width: screenshots of each under
//! `target/e2e/layout/`, and no page wider than the window (a wide table scrolls in its own frame
//! on a desktop, and becomes one card per row on a phone, so nothing hides behind a sideways scroll).

use lokus::i18n::phrases::ID;
use serde_json::json;

use super::phone::scrolling_tables;
use super::support::{Browser, DESKTOP, PHONE, ROLES, district_with_data, shot_name};
use crate::support::{Seed, TestApp};

#[test]
fn every_page_of_every_role_fits_a_phone_and_a_desktop() {
    let (app, reports) = district_with_data();
    let Some(mut browser) = Browser::start("layout", &app) else {
        return;
    };
    browser.goto("/masuk");
    let mut problems = browser.screenshots_and_layout("masuk");
    // a page looks the same to every role that reaches it, except the home page (and the data
    // in it), so each is shot once, by the first role that has it
    let mut seen = std::collections::BTreeSet::new();
    for email in ROLES {
        browser.login(email);
        for page in browser.pages_of(email, &reports) {
            if page != "/" && !seen.insert(page.clone()) {
                continue;
            }
            browser.goto(&page);
            problems.extend(browser.screenshots_and_layout(&shot_name(email, &page)));
            browser.viewport(PHONE);
            let hidden = scrolling_tables(&mut browser);
            if hidden != json!([]) {
                problems.push(format!(
                    "{page} at {} px hides columns behind a sideways scroll: {hidden}",
                    PHONE.0
                ));
            }
            browser.viewport(DESKTOP);
        }
        browser.logout();
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn budget_lines_show_every_column_at_1280() {
    let (app, _) = district_with_data();
    let Some(mut browser) = Browser::start("anggaran_1280", &app) else {
        return;
    };
    browser.login("dinkes@berau.demo");
    browser.goto("/anggaran");
    browser.viewport(DESKTOP);
    browser.screenshot("anggaran-1280");
    let hidden = browser.script(
        "return [...document.querySelectorAll('.table-wrap')]
           .filter(wrap => wrap.scrollWidth > wrap.clientWidth)
           .map(wrap => wrap.scrollWidth + ' px in ' + wrap.clientWidth + ' px')",
        json!([]),
    );
    assert_eq!(
        hidden,
        json!([]),
        "{} cuts columns off at 1280 px",
        ID.anggaran_title
    );
}

/// The check itself: a page wider than the phone is caught, a wide table in its frame is not.
#[test]
fn the_layout_check_sees_what_sticks_out() {
    let app = TestApp::start(Seed::Empty);
    let Some(mut browser) = Browser::start("layout_check", &app) else {
        return;
    };
    browser.goto("data:text/html,<meta name=viewport content='width=device-width'><body><div style='width:600px'>wide</div>");
    browser.viewport(PHONE);
    let wide = browser.wider_than_window();
    assert!(
        wide.as_deref().is_some_and(|text| text.contains("div")),
        "{wide:?}"
    );
    browser.goto("data:text/html,<meta name=viewport content='width=device-width'><body><div style='overflow-x:auto'><table style='width:900px'><tr><td>wide</td></tr></table></div>");
    assert_eq!(browser.wider_than_window(), None);
}
