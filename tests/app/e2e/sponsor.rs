//! Journey: a Bapak/Bunda Asuh on a phone (390 x 844). The sponsor logs in, sees only their own
//! children (first names), opens one and sees the growth chart drawn with no script error, opens
//! its printable report, then tries another sponsor's child by URL and meets lokus's own
//! not-found page. Also the desk's pages at both widths. Screenshots under `target/e2e/sponsor/`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::json;

use lokus::domain::Scope;
use lokus::domain::baas::{MeasuredBy, Paket, SponsorJenis};
use lokus::domain::growth::{Position, Sex};
use lokus::services::activity_log::Actor;
use lokus::services::baas::{
    self, AssignmentInput, ChildInput, DeliveryInput, MeasurementInput, SponsorInput,
};

use super::support::{Browser, PHONE};
use crate::support::{Seed, TestApp};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Two sponsors with one child each; the first child measured monthly for half a year.
fn district_with_sponsors() -> (TestApp, i32, i32) {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let desk = Scope::district("64.03");
    let actor = Actor::cli().in_district("64.03");
    let today = chrono::Utc::now().date_naive();
    let mut sponsors = Vec::new();
    for (nama, login) in [
        ("PT Sawit Sejahtera", "sponsor1@berau.demo"),
        ("Kodim 0902 Berau", "sponsor2@berau.demo"),
    ] {
        sponsors.push(
            baas::create_sponsor(
                &mut conn,
                &actor,
                &desk,
                SponsorInput {
                    nama: nama.to_owned(),
                    jenis: SponsorJenis::Perusahaan,
                    kontak: String::new(),
                    janji_anak: 1,
                    janji_bulan: 6,
                    janji_rupiah_per_bulan: Decimal::from(450_000),
                    login_email: Some(login.to_owned()),
                },
            )
            .unwrap(),
        );
    }
    let mut children = Vec::new();
    for (i, (nama, desa)) in [
        ("Aisyah Putri Ramadhani", "64.03.05.1004"),
        ("Bima Santoso", "64.03.05.1005"),
    ]
    .into_iter()
    .enumerate()
    {
        children.push(
            baas::register_child(
                &mut conn,
                &actor,
                &desk,
                ChildInput {
                    nama: nama.to_owned(),
                    jk: if i == 0 { Sex::Female } else { Sex::Male },
                    tgl_lahir: day(2023, 6, 1),
                    kode_desa: desa.to_owned(),
                    nik: format!("640305123456{:04}", 20 + i),
                    no_kk: String::new(),
                    nama_ayah: "Ahmad".to_owned(),
                    nama_ibu: "Siti".to_owned(),
                    alamat: String::new(),
                    status_krs: "KRS".to_owned(),
                    posyandu: "Melati".to_owned(),
                    persetujuan_oleh: "Siti (ibu)".to_owned(),
                    persetujuan_tanggal: day(2024, 1, 5),
                },
                today,
            )
            .unwrap(),
        );
    }
    for (sponsor, child) in sponsors.iter().zip(&children) {
        let assignment = baas::assign(
            &mut conn,
            &actor,
            &desk,
            AssignmentInput {
                sponsor_id: sponsor.id,
                child_id: child.id,
                mulai: day(2024, 7, 1),
                bulan_rencana: 6,
                paket: Paket::Pmt,
                rupiah_per_bulan: Decimal::from(450_000),
            },
        )
        .unwrap();
        for month in 7..=12u32 {
            baas::record_measurement(
                &mut conn,
                &actor,
                &desk,
                MeasurementInput {
                    child_id: child.id,
                    tanggal: day(2024, month, 2),
                    bb: Some(Decimal::new(70 + i64::from(month) * 2, 1)),
                    tb: Some(Decimal::new(640 + i64::from(month) * 9, 1)),
                    cara_ukur: Some(Position::Lying),
                    oleh: MeasuredBy::Posyandu,
                },
                today,
            )
            .unwrap();
            baas::record_delivery(
                &mut conn,
                &actor,
                &desk,
                DeliveryInput {
                    assignment_id: assignment.id,
                    tanggal: day(2024, month, 5),
                    barang: "Telur, ikan, sayur".to_owned(),
                    nilai: Decimal::from(450_000),
                    oleh: "TPK Melati".to_owned(),
                    catatan: String::new(),
                },
                today,
            )
            .unwrap();
        }
    }
    let (own, other) = (children[0].id, children[1].id);
    (app, own, other)
}

/// A PDF whose pages are A4 portrait (595 x 842 points), as the report's print CSS asks.
fn assert_a4_portrait(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let text = String::from_utf8_lossy(pdf);
    let boxes: Vec<&str> = text
        .split("/MediaBox")
        .skip(1)
        .map(|rest| &rest[..rest.find(']').unwrap_or(0)])
        .collect();
    assert!(!boxes.is_empty(), "pages with a MediaBox");
    for media in boxes {
        let numbers: Vec<f64> = media
            .trim_start_matches([' ', '['])
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        assert_eq!(numbers.len(), 4, "{media}");
        let (width, height) = (numbers[2] - numbers[0], numbers[3] - numbers[1]);
        assert!(
            (width - 595.0).abs() < 2.0 && (height - 842.0).abs() < 2.0,
            "A4 portrait: {media}"
        );
    }
}

#[test]
fn a_sponsor_on_a_phone_sees_their_child_grow_and_nobody_elses() {
    let (app, own, other) = district_with_sponsors();
    let Some(mut browser) = Browser::start("sponsor", &app) else {
        return;
    };
    browser.capture_errors();
    browser.viewport(PHONE);
    browser.login("sponsor1@berau.demo");
    browser.goto("/asuh");
    let text = browser.text();
    assert!(text.contains("Aisyah"), "{text}");
    assert!(!text.contains("Ramadhani"), "first names only: {text}");
    assert!(!text.contains("Bima"), "another sponsor's child: {text}");
    assert!(!text.contains("6403"), "no NIK: {text}");
    browser.screenshots_at_both_widths("asuh");

    browser.viewport(PHONE);
    browser.click(&format!("a[href='/asuh/anak/{own}']"));
    browser.wait_for_path("the child's page", |path| {
        path == format!("/asuh/anak/{own}")
    });
    browser.wait_for("the growth chart drawn", |browser| {
        browser.script(
            "const c = document.getElementById('growth-chart');
             return !!c && !!window.Chart && !!window.Chart.getChart(c) && c.width > 0",
            json!([]),
        ) == json!(true)
    });
    let points = browser.script(
        "const chart = window.Chart.getChart(document.getElementById('growth-chart'));
         return chart.data.datasets[chart.data.datasets.length - 1].data.length",
        json!([]),
    );
    assert_eq!(points, json!(6), "six measurements on the chart");
    assert_eq!(browser.errors(), Vec::<String>::new(), "no script error");
    browser.screenshots_at_both_widths("asuh-anak");

    browser.viewport(PHONE);
    browser.goto(&format!("/asuh/anak/{own}/laporan"));
    browser.wait_for("the report's chart drawn", |browser| {
        browser.script(
            "const c = document.getElementById('growth-chart');
             return !!c && !!window.Chart && !!window.Chart.getChart(c)",
            json!([]),
        ) == json!(true)
    });
    assert_eq!(browser.count("[data-print]"), 1);
    assert_eq!(browser.errors(), Vec::<String>::new(), "no script error");
    browser.screenshots_at_both_widths("asuh-laporan-anak");
    let pdf = browser.print_to_pdf("asuh-laporan-anak");
    assert_a4_portrait(&pdf);
    browser.print_preview("asuh-laporan-anak-cetak");
    browser.goto("/asuh/laporan");
    browser.screenshots_at_both_widths("asuh-laporan");
    let pdf = browser.print_to_pdf("asuh-laporan");
    assert_a4_portrait(&pdf);
    browser.print_preview("asuh-laporan-cetak");

    // another sponsor's child by URL: lokus's own not-found page, like a missing id
    browser.viewport(PHONE);
    browser.goto(&format!("/asuh/anak/{other}"));
    let stranger = browser.text();
    browser.screenshot("asuh-anak-lain-390");
    browser.goto("/asuh/anak/999999");
    let missing = browser.text();
    assert_eq!(
        stranger, missing,
        "nothing tells a stranger's child from a missing one"
    );
    assert!(browser.count("p.error-code") == 1, "lokus's own error page");
    assert!(stranger.contains("404"), "{stranger}");
    assert!(!stranger.contains("Bima"), "{stranger}");
    // and the desk's pages are as missing
    browser.goto(&format!("/baas/anak/{other}"));
    assert_eq!(browser.text(), missing);
}

#[test]
fn the_desks_pages_fit_a_phone_and_a_desktop() {
    let (app, own, _) = district_with_sponsors();
    let Some(mut browser) = Browser::start("baas_desk", &app) else {
        return;
    };
    browser.capture_errors();
    browser.login("baas@berau.demo");
    let sponsor_id = {
        use diesel::prelude::*;
        use lokus::db::schema::baas_sponsor;
        baas_sponsor::table
            .select(baas_sponsor::id)
            .order(baas_sponsor::id)
            .first::<i32>(&mut app.db.connect())
            .unwrap()
    };
    for (name, path) in [
        ("baas", "/baas".to_owned()),
        ("baas-anak", format!("/baas/anak/{own}")),
        ("baas-sponsor", "/baas/sponsor".to_owned()),
        ("baas-sponsor-satu", format!("/baas/sponsor/{sponsor_id}")),
        ("baas-penugasan", "/baas/penugasan/baru".to_owned()),
        ("baas-terlambat", "/baas/terlambat".to_owned()),
        ("baas-laporan-anak", format!("/baas/anak/{own}/laporan")),
        (
            "baas-laporan-sponsor",
            format!("/baas/sponsor/{sponsor_id}/laporan"),
        ),
    ] {
        browser.goto(&path);
        browser.screenshots_at_both_widths(name);
        if name.contains("laporan") {
            assert_a4_portrait(&browser.print_to_pdf(name));
            browser.print_preview(&format!("{name}-cetak"));
        }
    }
    // the private data, on request
    browser.goto(&format!("/baas/anak/{own}"));
    browser.click_labelled("Lihat data pribadi");
    browser.wait_for("the personal data", |browser| {
        browser.count("section.private") == 1
    });
    browser.screenshots_at_both_widths("baas-anak-pribadi");
    assert_eq!(browser.errors(), Vec::<String>::new(), "no script error");
}

#[test]
fn the_baas_pages_speak_english_to_an_english_reader() {
    let (app, own, other) = district_with_sponsors();
    let Some(mut browser) = Browser::start("baas_english", &app) else {
        return;
    };
    let indonesian = super::language::indonesian_words();
    let mut conn = app.db.connect();
    let mut data = super::language::data_texts(&mut conn);
    // the BAAS records' own texts are data, as the district typed them
    {
        use diesel::prelude::*;
        use lokus::db::schema::{baas_child, baas_delivery, baas_sponsor};
        let texts: Vec<Vec<String>> = vec![
            baas_child::table
                .select(baas_child::nama)
                .load(&mut conn)
                .unwrap(),
            baas_child::table
                .select(baas_child::posyandu)
                .load(&mut conn)
                .unwrap(),
            baas_child::table
                .select(baas_child::status_krs)
                .load(&mut conn)
                .unwrap(),
            baas_child::table
                .select(baas_child::persetujuan_oleh)
                .load(&mut conn)
                .unwrap(),
            baas_sponsor::table
                .select(baas_sponsor::nama)
                .load(&mut conn)
                .unwrap(),
            baas_delivery::table
                .select(baas_delivery::barang)
                .load(&mut conn)
                .unwrap(),
            baas_delivery::table
                .select(baas_delivery::oleh)
                .load(&mut conn)
                .unwrap(),
        ];
        data.extend(texts.into_iter().flatten());
        data.extend(["Siti", "Ahmad"].map(str::to_owned));
        data.sort_by_key(|text| std::cmp::Reverse(text.len()));
    }
    let sponsor_id = {
        use diesel::prelude::*;
        use lokus::db::schema::baas_sponsor;
        baas_sponsor::table
            .select(baas_sponsor::id)
            .order(baas_sponsor::id)
            .first::<i32>(&mut conn)
            .unwrap()
    };
    let mut left = Vec::new();
    browser.goto("/bahasa/en");
    browser.login("baas@berau.demo");
    browser.goto("/bahasa/en");
    for path in [
        "/baas".to_owned(),
        format!("/baas/anak/{own}"),
        format!("/baas/anak/{own}/laporan"),
        "/baas/anak/baru".to_owned(),
        "/baas/sponsor".to_owned(),
        format!("/baas/sponsor/{sponsor_id}"),
        format!("/baas/sponsor/{sponsor_id}/laporan"),
        "/baas/sponsor/baru".to_owned(),
        format!("/baas/penugasan/baru?anak={other}"),
        "/baas/terlambat".to_owned(),
    ] {
        browser.goto(&path);
        assert_eq!(
            browser.script("return document.documentElement.lang", json!([])),
            json!("en"),
            "{path} in English"
        );
        let found = super::language::indonesian_on(&browser.text(), &data, &indonesian);
        if !found.is_empty() {
            left.push(format!("baas {path}: {found:?}"));
        }
    }
    browser.goto(&format!("/baas/anak/{own}"));
    browser.click_labelled("See personal data");
    browser.wait_for("the personal data", |browser| {
        browser.count("section.private") == 1
    });
    let found = super::language::indonesian_on(&browser.text(), &data, &indonesian);
    if !found.is_empty() {
        left.push(format!("baas personal data: {found:?}"));
    }
    browser.logout();
    browser.login("sponsor1@berau.demo");
    browser.goto("/bahasa/en");
    for path in [
        "/asuh".to_owned(),
        format!("/asuh/anak/{own}"),
        format!("/asuh/anak/{own}/laporan"),
        "/asuh/laporan".to_owned(),
    ] {
        browser.goto(&path);
        assert!(
            browser.text().contains("Report (print or PDF)") || path.contains("laporan"),
            "{path} in English"
        );
        let found = super::language::indonesian_on(&browser.text(), &data, &indonesian);
        if !found.is_empty() {
            left.push(format!("sponsor {path}: {found:?}"));
        }
    }
    assert!(left.is_empty(), "Indonesian left:\n{}", left.join("\n"));
}
