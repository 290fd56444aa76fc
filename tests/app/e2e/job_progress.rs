//! Journey: a background job's page in a real browser. The bar moves by itself while the job runs
//! (our script polls the status, the page is not reloaded), the page shows the end when the job is
//! done, and a large upload's analysis goes on to the import's report by itself.

use lokus::config::Settings;
use lokus::services::activity_log::Actor;
use lokus::services::jobs::{self, Workers};
use serde_json::json;

use super::support::Browser;
use crate::support::{Seed, TestApp, TestDb};

const RKA_DINKES: &[u8] = include_bytes!("../../../imports/rka-dinkes-berau-2024.xlsx");

fn bar(browser: &mut Browser) -> (f64, f64) {
    let seen = browser.script(
        "var bar = document.getElementById('tugas-bar'); return bar ? [bar.value, bar.max] : [0, 0]",
        json!([]),
    );
    (
        seen[0].as_f64().unwrap_or(0.0),
        seen[1].as_f64().unwrap_or(0.0),
    )
}

#[test]
fn the_progress_bar_moves_by_itself_and_the_import_job_leads_to_its_report() {
    let app = TestApp::start_with(TestDb::new(Seed::Demo), |settings| {
        settings.import_job_threshold_kb = 0
    });
    let mut conn = app.db.connect();
    let owner_id: i32 = {
        use diesel::prelude::*;
        use lokus::db::schema::users;
        users::table
            .filter(users::email.eq("dinkes@berau.demo"))
            .select(users::id)
            .first(&mut conn)
            .unwrap()
    };
    let owner = Actor {
        user_id: Some(owner_id),
        label: "dinkes@berau.demo".into(),
        kode_kabkota: Some("64.03".into()),
    };
    let id = jobs::enqueue(
        &mut conn,
        jobs::SELFTEST,
        &json!({ "steps": 40, "delay_ms": 100 }),
        &owner,
    )
    .unwrap();
    let Some(mut browser) = Browser::start("job_progress", &app) else {
        return;
    };
    browser.login("dinkes@berau.demo");
    browser.goto(&format!("/tugas/{id}"));
    browser.wait_for_path("the job page", |path| path == format!("/tugas/{id}"));
    assert!(browser.text().contains("menunggu giliran"));
    // a mark on this page: it is gone if the page is reloaded
    browser.script("window.lokusMark = 1; return 1", json!([]));

    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    browser.wait_for("the bar to move without a reload", |browser| {
        let (value, max) = bar(browser);
        value > 0.0 && value < max
    });
    assert_eq!(
        browser.script("return window.lokusMark || 0", json!([])),
        json!(1),
        "the bar moved by script, not by reloading"
    );
    browser.screenshots_at_both_widths("running");
    browser.wait_for("the page to show the end", |browser| {
        browser.text().contains("selesai")
    });
    let (value, max) = bar(&mut browser);
    assert_eq!((value, max), (40.0, 40.0));

    workers.stop();

    // an upload waiting for a worker: its page goes on to the report once analysed
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rka-dinkes-berau-2024.xlsx",
        RKA_DINKES,
    );
    let analysis = uploaded.location().expect("a job page").to_owned();
    browser.goto(&analysis);
    browser.wait_for_path("the analysis job's page", |path| path == analysis);
    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    browser.wait_for_path("the import's report", |path| path.starts_with("/impor/"));
    workers.stop();
    assert!(browser.text().contains("rka-dinkes-berau-2024.xlsx"));
}
