//! A phone's 390 x 844 screen: the header and menu leave the page its room, the login card keeps
//! off the screen's edges, and a wide table shows every field of a row without sideways scrolling.

use lokus::i18n::phrases::{EN, ID};
use serde_json::{Value, json};

use super::support::{Browser, DESKTOP, PHONE, district_with_data};
use crate::support::{Seed, TestApp};

/// Where the page's own content may start at the latest on a phone: header, menu button and demo
/// banner together (before the compact header they took about 370 px of the 844).
const HEADER_BUDGET: f64 = 160.0;

/// The top of `main` and how many menu links a person can see, at the window's width.
fn header_and_menu(browser: &mut Browser) -> (f64, usize) {
    let seen = browser.script(
        "const main = document.querySelector('main').getBoundingClientRect();
         const shown = [...document.querySelectorAll('nav.menu a')].filter(a => {
           const box = a.getBoundingClientRect();
           return a.checkVisibility() && box.width > 0 && box.height > 0 && box.right <= window.innerWidth;
         });
         return [main.top + window.scrollY, shown.length];",
        json!([]),
    );
    (
        seen[0].as_f64().unwrap_or(f64::MAX),
        seen[1].as_u64().unwrap_or_default() as usize,
    )
}

#[test]
fn the_menu_waits_behind_a_button_on_a_phone_and_shows_on_a_desktop() {
    let (app, _) = district_with_data();
    let Some(mut browser) = Browser::start("phone_menu", &app) else {
        return;
    };
    // the admin has the longest menu, and English the longer words
    browser.login("admin@berau.demo");
    let tour: [(&str, &[&str]); 2] = [
        ("id", &["/", "/anggaran", "/pengguna", "/aktivitas"]),
        ("en", &["/", "/anggaran"]),
    ];
    for (lang, page) in tour
        .into_iter()
        .flat_map(|(lang, pages)| pages.iter().map(move |page| (lang, *page)))
    {
        browser.goto(&format!("/bahasa/{lang}"));
        browser.goto(page);
        let links = browser.menu().len();
        browser.viewport(PHONE);
        let (top, shown) = header_and_menu(&mut browser);
        assert!(
            top <= HEADER_BUDGET,
            "{page} ({lang}) at {} px: the page starts {top} px down, after the header and menu (at most {HEADER_BUDGET})",
            PHONE.0
        );
        assert_eq!(shown, 0, "{page}: the menu is folded away on a phone");
        browser.click("label.menu-button");
        let (_, shown) = header_and_menu(&mut browser);
        assert_eq!(shown, links, "{page}: the Menu button shows every link");
        browser.viewport(DESKTOP);
        browser.goto(page);
        let (_, shown) = header_and_menu(&mut browser);
        assert_eq!(
            shown, links,
            "{page}: a desktop shows the menu without a click"
        );
        let summary = browser.script(
            "return getComputedStyle(document.querySelector('label.menu-button')).display",
            json!([]),
        );
        assert_eq!(
            summary,
            json!("none"),
            "{page}: no Menu button on a desktop"
        );
    }
    // the button's word comes from the phrase table
    browser.viewport(PHONE);
    let summary = browser.script(
        "return document.querySelector('label.menu-button').innerText",
        json!([]),
    );
    assert!(
        summary.as_str().unwrap_or_default().starts_with(EN.menu),
        "{summary}"
    );
}

#[test]
fn the_login_card_keeps_off_the_edges_of_a_phone() {
    let app = TestApp::start(Seed::Demo);
    let Some(mut browser) = Browser::start("phone_login", &app) else {
        return;
    };
    browser.goto("/masuk");
    for (width, height) in [PHONE, (320, 640), DESKTOP] {
        browser.viewport((width, height));
        let card = browser.script(
            "const box = document.querySelector('main').getBoundingClientRect(); return [box.left, box.right]",
            json!([]),
        );
        let (left, right) = (
            card[0].as_f64().unwrap_or_default(),
            card[1].as_f64().unwrap_or_default(),
        );
        assert!(
            left >= 12.0 && right <= f64::from(width) - 12.0,
            "at {width} px the login card spans {left}..{right} px: it touches the edge"
        );
    }
}

/// Every table frame that hides part of its table behind a sideways scroll.
pub fn scrolling_tables(browser: &mut Browser) -> Value {
    browser.script(
        "return [...document.querySelectorAll('.table-wrap')]
           .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)
           .map(wrap => (wrap.querySelector('table').className || 'table') + ': '
                + wrap.scrollWidth + ' px in ' + wrap.clientWidth + ' px')",
        json!([]),
    )
}

#[test]
fn budget_lines_show_each_lines_key_fields_on_a_phone() {
    let (app, _) = district_with_data();
    let Some(mut browser) = Browser::start("phone_anggaran", &app) else {
        return;
    };
    browser.login("admin@berau.demo");
    browser.goto("/anggaran");
    browser.viewport(PHONE);
    browser.screenshot("anggaran-390");
    assert_eq!(
        scrolling_tables(&mut browser),
        json!([]),
        "nothing scrolls sideways"
    );
    // each line's description, OPD, budget_line, intervention and desa are inside the screen, the
    // fields after the description under their column's name
    let seen = browser.script(
        "const width = window.innerWidth;
         const problems = [];
         const rows = [...document.querySelectorAll('table.lines tbody tr')];
         for (const [index, row] of rows.entries()) {
           const title = row.querySelector('td.title');
           // an empty suggestion cell is left out of the card
           const fields = [...row.querySelectorAll('td[data-label]')]
             .filter(cell => getComputedStyle(cell).display !== 'none');
           for (const cell of [title, ...fields]) {
             const box = cell.getBoundingClientRect();
             if (box.width === 0 || box.left < 0 || box.right > width + 1)
               problems.push('row ' + index + ' ' + (cell.dataset.label || 'uraian') + ' at ' + Math.round(box.left) + '..' + Math.round(box.right));
           }
           for (const cell of fields) {
             const label = getComputedStyle(cell, '::before').content;
             if (label !== JSON.stringify(cell.dataset.label))
               problems.push('row ' + index + ' ' + cell.dataset.label + ' shows its label as ' + label);
           }
           // the description is the card's title: first, above the fields
           if (fields.some(cell => cell.getBoundingClientRect().top < title.getBoundingClientRect().bottom - 1))
             problems.push('row ' + index + ': a field sits beside or above the description');
         }
         return {rows: rows.length, labels: rows.length ? [...rows[0].querySelectorAll('td[data-label]')].map(c => c.dataset.label) : [], problems};",
        json!([]),
    );
    assert!(
        seen["rows"].as_u64().unwrap_or_default() >= 10,
        "the demo lines: {seen}"
    );
    for label in [ID.nav_opd, ID.pagu, ID.intervensi, ID.desa] {
        assert!(
            seen["labels"]
                .as_array()
                .is_some_and(|labels| labels.contains(&json!(label))),
            "{label} is labelled: {seen}"
        );
    }
    assert_eq!(seen["problems"], json!([]), "{seen}");
    // the tick box stays beside the description it ticks
    let pick = browser.script(
        "const row = document.querySelector('table.lines tbody tr');
         const pick = row.querySelector('td.pick').getBoundingClientRect();
         const title = row.querySelector('td.title').getBoundingClientRect();
         return pick.right <= title.left + 1 && pick.top < title.bottom;",
        json!([]),
    );
    assert_eq!(
        pick,
        json!(true),
        "the tick box sits beside its line's description"
    );
}

/// The pages one click below the menu (a record, a form) that the layout tour does not reach.
#[test]
fn records_and_forms_fit_a_phone() {
    let (app, _) = district_with_data();
    let Some(mut browser) = Browser::start("phone_records", &app) else {
        return;
    };
    browser.login("admin@berau.demo");
    let mut pages = vec![
        "/tahun/2024".to_owned(),
        "/tahun/2024/ubah".to_owned(),
        "/opd/baru".to_owned(),
        "/pengguna/baru".to_owned(),
        "/intervensi/baru".to_owned(),
    ];
    browser.goto("/opd");
    let unit = browser.script(
        "const a = document.querySelector('table a[href^=\"/opd/\"]'); return a && a.getAttribute('href')",
        json!([]),
    );
    pages.push(unit.as_str().expect("a unit on /opd").to_owned());
    let mut problems = Vec::new();
    for page in pages {
        browser.goto(&page);
        let name = page.trim_matches('/').replace('/', "-");
        problems.extend(browser.screenshots_and_layout(&name));
        browser.viewport(PHONE);
        let hidden = scrolling_tables(&mut browser);
        if hidden != json!([]) {
            problems.push(format!("{page} at 390 px scrolls sideways: {hidden}"));
        }
        browser.viewport(DESKTOP);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
