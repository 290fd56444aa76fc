//! The fixed phrases as a reader meets them on the pages, in both languages: a column names one
//! unit while the menu names the list, a field and the button that applies it are named apart, and
//! a stored budget stage reads in the page's language.

use crate::support::{Seed, TestApp};

#[test]
fn a_column_names_one_unit_and_the_menu_names_the_list() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let page = admin.get("/pengguna").text();
    assert!(page.contains("<th>OPD</th>"), "{page}");
    admin.get("/bahasa/en");
    let page = admin.get("/pengguna").text();
    assert!(page.contains("<th>Unit (OPD)</th>"), "{page}");
    assert!(page.contains(">Units (OPD)</a>"), "the menu: {page}");
    assert!(!page.contains("<th>Units (OPD)</th>"), "{page}");
}

#[test]
fn the_filter_field_and_its_button_are_named_apart() {
    let app = TestApp::start(Seed::Demo);
    lokus::services::demo::load_workplans(&mut app.db.connect()).expect("the demo workplans");
    let mut admin = app.login_as("admin@berau.demo");
    for (lang, field, button) in [("id", "Tampilkan", "Saring"), ("en", "Show", "Filter")] {
        admin.get(&format!("/bahasa/{lang}"));
        let page = admin.get("/anggaran").text();
        assert!(
            page.contains(&format!("<label>{field} <select name=\"tampil\">")),
            "{lang}: {page}"
        );
        assert!(
            page.contains(&format!("class=\"secondary\">{button}</button>")),
            "{lang}: {page}"
        );
    }
}

#[test]
fn the_audit_trail_says_the_budget_stage_in_the_pages_language() {
    let app = TestApp::start(Seed::Demo);
    lokus::services::demo::load_workplans(&mut app.db.connect()).expect("the demo workplans");
    let mut admin = app.login_as("admin@berau.demo");
    assert!(
        admin
            .get("/aktivitas")
            .text()
            .contains("Tahun 2024 (murni)")
    );
    admin.get("/bahasa/en");
    let page = admin.get("/aktivitas").text();
    assert!(page.contains("Year 2024 (original budget)"), "{page}");
    assert!(!page.contains("(murni)"), "{page}");
}

#[test]
fn the_upload_form_and_the_area_browser_name_their_choices_in_english() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    assert!(admin.get("/impor").text().contains(">APBD murni</option>"));
    assert!(admin.get("/wilayah").text().contains("Kabupaten/kota"));
    admin.get("/bahasa/en");
    let upload = admin.get("/impor").text();
    assert!(
        upload.contains(">Original budget (APBD)</option>")
            && upload.contains(">Revised budget (APBD-P)</option>"),
        "{upload}"
    );
    assert!(!upload.contains("APBD murni"), "{upload}");
    let areas = admin.get("/wilayah").text();
    assert!(!areas.contains("Kabupaten/kota"), "{areas}");
}

#[test]
fn the_audit_trail_names_an_area_level_field() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    admin.get("/bahasa/en");
    let page = admin.get("/aktivitas").text();
    assert!(!page.contains("tingkat:"), "{page}");
}
