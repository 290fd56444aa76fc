//! What every answer stands on: lokus's own error page in the reader's language, caching of pages
//! behind the login, and the tab icon.

use crate::support::{Seed, TestApp};

fn assert_own_page(response: &crate::support::http::Response, status: u16, words: &[&str]) {
    let text = response.text();
    assert_eq!(response.status, status, "{text}");
    assert!(
        response
            .header("content-type")
            .is_some_and(|value| value.starts_with("text/html")),
        "{:?}",
        response.headers
    );
    assert!(text.contains("href=\"/\""), "no way back: {text}");
    for word in words {
        assert!(text.contains(word), "missing {word:?}: {text}");
    }
    assert!(!text.contains("can not parse"), "{text}");
}

#[test]
fn an_unknown_address_answers_the_own_not_found_page_in_the_readers_language() {
    let app = TestApp::start(Seed::Demo);
    let mut visitor = app.client();
    let page = visitor.get("/tidak-ada");
    assert_own_page(
        &page,
        404,
        &["Tidak ditemukan", "lang=\"id\"", "Ke beranda"],
    );

    visitor.cookies.insert("lokus_lang".into(), "en".into());
    let page = visitor.get("/tidak-ada");
    assert_own_page(
        &page,
        404,
        &["Not found", "lang=\"en\"", "To the home page"],
    );
    assert!(!page.text().contains("Tidak ditemukan"));
}

#[test]
fn unreadable_path_and_query_parameters_get_the_own_bad_request_page() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    for path in [
        "/impor/abc",
        "/opd/abc",
        "/tahun/abcd",
        "/impor/templat.xlsx?tahun=abc",
    ] {
        let page = admin.get(path);
        assert_own_page(&page, 400, &["Permintaan tidak valid"]);
    }
    // a form body that does not fit the form (a field twice) is no raw serde sentence
    let token = admin.get("/opd/baru").csrf_token();
    let doubled = admin.post_form(
        "/opd/baru",
        &[("csrf_token", &token), ("kode", "9.99"), ("kode", "9.98")],
    );
    assert_own_page(&doubled, 400, &["Isian formulir tidak dapat dibaca"]);
    assert!(!doubled.text().contains("duplicate"), "{}", doubled.text());

    admin.cookies.insert("lokus_lang".into(), "en".into());
    let page = admin.get("/wilayah?induk=abc");
    assert_own_page(&page, 400, &["&#34;abc&#34; is not an area code"]);
    let page = admin.get("/opd/abc");
    assert_own_page(
        &page,
        400,
        &["Bad request", "This page address is not valid"],
    );
}

#[test]
fn forbidden_and_too_large_answers_are_own_pages_with_a_way_back() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    dinkes.cookies.insert("lokus_lang".into(), "en".into());
    let referer = format!("http://{}/opd", app.addr);
    let page = dinkes.request_with("GET", "/pengguna", &[("Referer", &referer)], None);
    assert_own_page(
        &page,
        403,
        &[
            "Access denied",
            "href=\"/opd\"",
            "Back to the previous page",
        ],
    );

    let mut admin = app.login_as("admin@berau.demo");
    let token = admin.get("/opd/baru").csrf_token();
    let huge = "x".repeat(300 * 1024);
    let page = admin.post_form(
        "/opd/baru",
        &[("csrf_token", &token), ("kode", "9.99"), ("nama", &huge)],
    );
    assert_own_page(&page, 413, &["Kiriman terlalu besar"]);

    // a page that only takes a form, opened as a link
    let page = admin.get("/keluar");
    assert_own_page(&page, 404, &["Tidak ditemukan"]);
}

#[test]
fn pages_and_downloads_behind_the_login_are_never_cached() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    for path in [
        "/",
        "/anggaran",
        "/opd",
        "/opd?format=xlsx",
        "/impor/templat.xlsx",
        "/tidak-ada",
    ] {
        let response = admin.get(path);
        assert_eq!(
            response.header("cache-control"),
            Some("no-store"),
            "{path} answered {}",
            response.status
        );
    }
    // the stylesheet and the icon are the same for everyone and may be cached
    let css = admin.get("/static/lokus.css");
    assert!(
        css.header("cache-control")
            .unwrap_or_default()
            .starts_with("public")
    );
}

#[test]
fn the_tab_icon_is_served() {
    let app = TestApp::start(Seed::Empty);
    let icon = app.client().get("/favicon.ico");
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("content-type"), Some("image/x-icon"));
    assert_eq!(&icon.body[..4], &[0, 0, 1, 0], "an ICO header");
}

#[test]
fn a_refused_form_comes_back_with_the_input_and_the_message_in_the_readers_language() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    admin.cookies.insert("lokus_lang".into(), "en".into());
    let bad = admin.submit(
        "/opd/baru",
        "/opd/baru",
        &[("kode", "Dinas 7"), ("nama", "Dinas Pertanian")],
    );
    assert_eq!(bad.status, 422);
    let text = bad.text();
    assert!(
        text.contains("The unit code &#34;Dinas 7&#34; is not valid"),
        "{text}"
    );
    assert!(!text.contains("tidak sah"), "{text}");
    assert!(text.contains("value=\"Dinas Pertanian\""), "{text}");

    // a service refusal outside a form (a locked year) is a page in English too
    let locked = admin.submit(
        "/tahun/2024/ubah",
        "/tahun/2024/ubah",
        &[("terkunci", "on"), ("prevalensi_baseline", "25,1")],
    );
    assert_eq!(locked.status, 303, "{}", locked.text());
    let refused = admin.submit(
        "/tahun/2024",
        "/tahun/2024/lokus",
        &[("desa", "64.03.05.1004")],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.text().contains("The year 2024 is locked"),
        "{}",
        refused.text()
    );
}
