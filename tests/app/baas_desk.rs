//! The BAAS desk's pages and the sponsor's reports, over HTTP on the Berau demo district: forms
//! and their refusals (nothing changed, the message and the input back), the suggestion order,
//! the overdue lists against hand-made dates, the private data's logged view, the printable
//! reports, a sponsor's isolation on every route and download, and the sponsor page's weight.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use lokus::db::baas as db;
use lokus::db::baas_desk;
use lokus::db::schema::{activity_log, baas_assignment};
use lokus::domain::Scope;
use lokus::domain::baas::{AssignmentStatus, MeasuredBy, Paket, SponsorJenis};
use lokus::domain::growth::{Position, Sex};
use lokus::services::activity_log::Actor;
use lokus::services::baas::{
    self, AssignmentInput, ChildInput, DeliveryInput, EndInput, MeasurementInput, SponsorInput,
};

use crate::support::{Client, Seed, TestApp, TestDb};

const KABKOTA: &str = "64.03";
/// Lokus desa of the demo (Tanjung Redeb, Bugis) and one that is not (Karang Ambun).
const LOKUS_DESA: &str = "64.03.05.1004";
const LOKUS_DESA_2: &str = "64.03.05.1005";
const OTHER_DESA: &str = "64.03.05.1007";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn desk() -> Scope {
    Scope::district(KABKOTA)
}

fn actor() -> Actor {
    Actor::cli().in_district(KABKOTA)
}

/// The service's "today" for records made directly: later than every date used here.
fn now() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn child(conn: &mut PgConnection, nama: &str, nik_tail: u32, desa: &str) -> db::Child {
    baas::register_child(
        conn,
        &actor(),
        &desk(),
        ChildInput {
            nama: nama.to_owned(),
            jk: Sex::Female,
            tgl_lahir: day(2023, 6, 1),
            kode_desa: desa.to_owned(),
            nik: format!("640305123456{nik_tail:04}"),
            no_kk: "6403051234569999".to_owned(),
            nama_ayah: "Ahmad Wijaya".to_owned(),
            nama_ibu: "Siti Rahayu".to_owned(),
            alamat: "Jl. Pemuda 1".to_owned(),
            status_krs: "KRS".to_owned(),
            posyandu: "Melati".to_owned(),
            persetujuan_oleh: "Siti Rahayu (ibu)".to_owned(),
            persetujuan_tanggal: day(2024, 1, 5),
        },
        now(),
    )
    .unwrap()
}

fn sponsor(conn: &mut PgConnection, nama: &str, login: Option<&str>) -> db::Sponsor {
    baas::create_sponsor(
        conn,
        &actor(),
        &desk(),
        SponsorInput {
            nama: nama.to_owned(),
            jenis: SponsorJenis::Perusahaan,
            kontak: "0812".to_owned(),
            janji_anak: 2,
            janji_bulan: 6,
            janji_rupiah_per_bulan: Decimal::from(450_000),
            login_email: login.map(str::to_owned),
        },
    )
    .unwrap()
}

fn assign(
    conn: &mut PgConnection,
    sponsor_id: i32,
    child_id: i32,
    mulai: NaiveDate,
) -> db::Assignment {
    baas::assign(
        conn,
        &actor(),
        &desk(),
        AssignmentInput {
            sponsor_id,
            child_id,
            mulai,
            bulan_rencana: 6,
            paket: Paket::Pmt,
            rupiah_per_bulan: Decimal::from(450_000),
        },
    )
    .unwrap()
}

fn measure(conn: &mut PgConnection, child_id: i32, tanggal: NaiveDate, tb_mm: i64) {
    baas::record_measurement(
        conn,
        &actor(),
        &desk(),
        MeasurementInput {
            child_id,
            tanggal,
            bb: Some(Decimal::new(85, 1)),
            tb: Some(Decimal::new(tb_mm, 1)),
            cara_ukur: Some(Position::Lying),
            oleh: MeasuredBy::Posyandu,
        },
        now(),
    )
    .unwrap();
}

fn deliver(conn: &mut PgConnection, assignment_id: i32, tanggal: NaiveDate, nilai: i64) {
    baas::record_delivery(
        conn,
        &actor(),
        &desk(),
        DeliveryInput {
            assignment_id,
            tanggal,
            barang: "Telur, ikan".to_owned(),
            nilai: Decimal::from(nilai),
            oleh: "TPK Melati".to_owned(),
            catatan: String::new(),
        },
        now(),
    )
    .unwrap();
}

macro_rules! count {
    ($conn:expr, $table:ident) => {{
        lokus::db::schema::$table::table
            .count()
            .get_result::<i64>($conn)
            .unwrap()
    }};
}

/// The first sheet of a workbook as text cells, row by row.
fn read_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect()
}

/// The text of the page between `heading` and the next heading.
fn section(html: &str, heading: &str) -> String {
    let start = html
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} on the page: {html}"));
    let rest = &html[start + heading.len()..];
    let end = rest.find("<h2").unwrap_or(rest.len());
    rest[..end].to_owned()
}

/// The order in which `names` appear in `text`.
fn order_of<'a>(text: &str, names: &[&'a str]) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = names
        .iter()
        .filter_map(|name| text.find(&format!(">{name}<")).map(|at| (at, *name)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, name)| name).collect()
}

#[test]
fn the_desk_forms_refuse_bad_input_with_its_message_and_change_nothing() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let mut desk = app.login_as("baas@berau.demo");

    // a child: a NIK that is not 16 digits comes back with its message and the input kept
    let mut fields = vec![
        ("nama", "Ani Lestari"),
        ("jk", "P"),
        ("tgl_lahir", "01/06/2023"),
        ("kode_desa", LOKUS_DESA),
        ("nik", "12345"),
        ("persetujuan_oleh", "Siti (ibu)"),
        ("persetujuan_tanggal", "05/01/2024"),
    ];
    let refused = desk.submit("/baas/anak/baru", "/baas/anak/baru", &fields);
    assert_eq!(refused.status, 422);
    let html = refused.text();
    assert!(html.contains("NIK harus 16 angka."), "{html}");
    assert!(
        html.contains("value=\"Ani Lestari\""),
        "the input comes back: {html}"
    );
    let bad_date = desk.submit(
        "/baas/anak/baru",
        "/baas/anak/baru",
        &[("nama", "Ani"), ("jk", "P"), ("tgl_lahir", "kemarin")],
    );
    assert_eq!(bad_date.status, 422);
    assert!(
        bad_date.text().contains("bukan tanggal"),
        "{}",
        bad_date.text()
    );
    assert_eq!(count!(&mut conn, baas_child), 0);
    // without the CSRF token nothing happens at all
    fields[4] = ("nik", "6403051234560012");
    let forged = desk.post_form("/baas/anak/baru", &fields);
    assert_eq!(forged.status, 403);
    assert_eq!(count!(&mut conn, baas_child), 0);
    let created = desk.submit("/baas/anak/baru", "/baas/anak/baru", &fields);
    assert_eq!(created.status, 303, "{}", created.text());
    let child_url = created.location().unwrap().to_owned();
    let child_id: i32 = child_url.rsplit('/').next().unwrap().parse().unwrap();
    let page = desk.get(&child_url).text();
    assert!(page.contains("6403••••••••0012"), "{page}");
    assert!(!page.contains("6403051234560012"), "masked until asked for");
    assert!(
        page.contains("Siti (ibu), 05/01/2024"),
        "the consent: {page}"
    );

    // a sponsor: a pledge that is not a number, then a good one
    let refused = desk.submit(
        "/baas/sponsor/baru",
        "/baas/sponsor/baru",
        &[
            ("nama", "PT Sawit Sejahtera"),
            ("jenis", "perusahaan"),
            ("janji_anak", "dua"),
            ("janji_bulan", "6"),
            ("janji_rupiah_per_bulan", "450.000"),
        ],
    );
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("bukan angka"));
    assert!(refused.text().contains("value=\"PT Sawit Sejahtera\""));
    assert_eq!(count!(&mut conn, baas_sponsor), 0);
    let created = desk.submit(
        "/baas/sponsor/baru",
        "/baas/sponsor/baru",
        &[
            ("nama", "PT Sawit Sejahtera"),
            ("jenis", "perusahaan"),
            ("janji_anak", "2"),
            ("janji_bulan", "6"),
            ("janji_rupiah_per_bulan", "Rp 450.000"),
            ("login_email", "sponsor1@berau.demo"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.text());
    let sponsor_url = created.location().unwrap().to_owned();
    let sponsor_id: i32 = sponsor_url.rsplit('/').next().unwrap().parse().unwrap();

    // a delivery before the child has a sponsor is refused
    let early = desk.submit(
        &child_url,
        &format!("{child_url}/salur"),
        &[
            ("tanggal", "01/08/2024"),
            ("barang", "Telur"),
            ("nilai", "450000"),
        ],
    );
    assert_eq!(early.status, 422);
    assert!(early.text().contains("tidak punya penugasan aktif"));

    // the assignment: a child not chosen, then a good one
    let unchosen = desk.submit(
        "/baas/penugasan/baru",
        "/baas/penugasan/baru",
        &[
            ("sponsor_id", &sponsor_id.to_string()),
            ("child_id", ""),
            ("mulai", "01/07/2024"),
            ("bulan_rencana", "6"),
            ("paket", "pmt"),
            ("rupiah_per_bulan", "450000"),
        ],
    );
    assert_eq!(unchosen.status, 422);
    assert!(
        unchosen.text().contains("Anak: pilih salah satu"),
        "{}",
        unchosen.text()
    );
    assert_eq!(count!(&mut conn, baas_assignment), 0);
    let assigned = desk.submit(
        "/baas/penugasan/baru",
        "/baas/penugasan/baru",
        &[
            ("sponsor_id", &sponsor_id.to_string()),
            ("child_id", &child_id.to_string()),
            ("mulai", "15/07/2024"),
            ("bulan_rencana", "6"),
            ("paket", "pmt"),
            ("rupiah_per_bulan", "450000"),
        ],
    );
    assert_eq!(assigned.status, 303, "{}", assigned.text());
    assert_eq!(assigned.location(), Some(child_url.as_str()));

    // a measurement that is not a number, then one that is
    let refused = desk.submit(
        &child_url,
        &format!("{child_url}/ukur"),
        &[
            ("tanggal", "01/08/2024"),
            ("bb", "delapan"),
            ("tb", "70,5"),
            ("oleh", "posyandu"),
        ],
    );
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("bukan angka"));
    assert!(refused.text().contains("value=\"delapan\""));
    assert_eq!(count!(&mut conn, baas_measurement), 0);
    let measured = desk.submit(
        &child_url,
        &format!("{child_url}/ukur"),
        &[
            ("tanggal", "01/08/2024"),
            ("bb", "8,5"),
            ("tb", "70,5"),
            ("cara_ukur", "berbaring"),
            ("oleh", "posyandu"),
        ],
    );
    assert_eq!(measured.status, 303, "{}", measured.text());

    // a delivery and a payment, each refused once first
    let negative = desk.submit(
        &child_url,
        &format!("{child_url}/salur"),
        &[
            ("tanggal", "05/08/2024"),
            ("barang", "Telur"),
            ("nilai", "-5"),
        ],
    );
    assert_eq!(negative.status, 422);
    assert!(negative.text().contains("tidak boleh negatif"));
    let delivered = desk.submit(
        &child_url,
        &format!("{child_url}/salur"),
        &[
            ("tanggal", "05/08/2024"),
            ("barang", "Telur, ikan"),
            ("nilai", "450.000"),
            ("oleh", "TPK"),
        ],
    );
    assert_eq!(delivered.status, 303, "{}", delivered.text());
    let zero = desk.submit(
        &sponsor_url,
        &format!("{sponsor_url}/bayar"),
        &[("tanggal", "01/07/2024"), ("jumlah", "0")],
    );
    assert_eq!(zero.status, 422);
    assert!(
        zero.text()
            .contains("Jumlah pembayaran harus lebih dari 0.")
    );
    assert_eq!(count!(&mut conn, baas_payment), 0);
    let paid = desk.submit(
        &sponsor_url,
        &format!("{sponsor_url}/bayar"),
        &[("tanggal", "01/07/2024"), ("jumlah", "2.700.000")],
    );
    assert_eq!(paid.status, 303);

    // pledged vs paid vs delivered, per sponsor and per assignment
    let sponsor_page = desk.get(&sponsor_url).text();
    for figure in ["Rp 5.400.000", "Rp 2.700.000", "Rp 450.000"] {
        assert!(sponsor_page.contains(figure), "{figure}: {sponsor_page}");
    }
    let list = desk.get("/baas/sponsor").text();
    assert!(
        list.contains("Rp 5.400.000") && list.contains("Rp 2.700.000"),
        "{list}"
    );
    let page = desk.get(&child_url).text();
    assert!(
        page.contains("Rp 2.700.000"),
        "the assignment's pledge: {page}"
    );

    // ending: berhenti needs its reason; then the child may be assigned again
    let assignment_id: i32 = baas_assignment::table
        .select(baas_assignment::id)
        .first(&mut conn)
        .unwrap();
    let end_url = format!("/baas/penugasan/{assignment_id}/akhiri");
    let no_reason = desk.submit(
        &child_url,
        &end_url,
        &[("status", "berhenti"), ("alasan", " ")],
    );
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.text().contains("Alasan berhenti wajib diisi."));
    let still: AssignmentStatus = baas_assignment::table
        .select(baas_assignment::status)
        .first(&mut conn)
        .unwrap();
    assert_eq!(still, AssignmentStatus::Aktif);
    let ended = desk.submit(
        &child_url,
        &end_url,
        &[("status", "berhenti"), ("alasan", "Pindah ke Samarinda")],
    );
    assert_eq!(ended.status, 303);
    let (status, reason): (AssignmentStatus, Option<String>) = baas_assignment::table
        .select((baas_assignment::status, baas_assignment::alasan_berhenti))
        .first(&mut conn)
        .unwrap();
    assert_eq!(status, AssignmentStatus::Berhenti);
    assert_eq!(reason.as_deref(), Some("Pindah ke Samarinda"));
    // ending it twice says so
    let again = desk.submit(&child_url, &end_url, &[("status", "selesai")]);
    assert_eq!(again.status, 422);
    assert!(again.text().contains("tidak aktif"), "{}", again.text());
    let ended_logged: i64 = activity_log::table
        .filter(activity_log::entity.eq("baas_assignment"))
        .filter(activity_log::action.eq("update"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(ended_logged, 1);
}

#[test]
fn lokus_suggests_the_most_stunted_unassigned_children_of_lokus_desa_first() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let one = sponsor(&mut conn, "PT Satu", None);
    // girls born 1 June 2023, measured at 14 months: 72 cm is about -1 SD, 66 cm below -3
    let mild = child(&mut conn, "Mawar Lokus", 1, LOKUS_DESA);
    let severe = child(&mut conn, "Melati Lokus", 2, LOKUS_DESA_2);
    let elsewhere = child(&mut conn, "Kenanga Lain", 3, OTHER_DESA);
    let unmeasured = child(&mut conn, "Anggrek Lokus", 4, LOKUS_DESA);
    let taken = child(&mut conn, "Dahlia Lokus", 5, LOKUS_DESA);
    measure(&mut conn, mild.id, day(2024, 8, 1), 720);
    measure(&mut conn, severe.id, day(2024, 8, 1), 660);
    measure(&mut conn, elsewhere.id, day(2024, 8, 1), 630);
    measure(&mut conn, taken.id, day(2024, 8, 1), 625);
    assign(&mut conn, one.id, taken.id, day(2024, 7, 1));
    let _ = unmeasured;

    let mut desk = app.login_as("baas@berau.demo");
    let page = desk.get("/baas/penugasan/baru").text();
    let suggested = section(&page, "Saran:");
    assert_eq!(
        order_of(
            &suggested,
            &[
                "Mawar Lokus",
                "Melati Lokus",
                "Kenanga Lain",
                "Anggrek Lokus",
                "Dahlia Lokus"
            ]
        ),
        vec![
            "Melati Lokus",
            "Mawar Lokus",
            "Anggrek Lokus",
            "Kenanga Lain"
        ],
        "lokus desa first, lowest TB/U z first, the unmeasured after the measured, the assigned not at all"
    );
    // the desk's list: the same order, filtered in the URL
    let list = desk.get("/baas").text();
    assert_eq!(
        order_of(
            &list,
            &[
                "Mawar Lokus",
                "Melati Lokus",
                "Kenanga Lain",
                "Anggrek Lokus",
                "Dahlia Lokus"
            ]
        ),
        vec![
            "Dahlia Lokus",
            "Melati Lokus",
            "Mawar Lokus",
            "Anggrek Lokus",
            "Kenanga Lain"
        ]
    );
    let stunted = desk.get("/baas?status=sangat+pendek").text();
    assert_eq!(
        order_of(
            &stunted,
            &[
                "Mawar Lokus",
                "Melati Lokus",
                "Kenanga Lain",
                "Anggrek Lokus",
                "Dahlia Lokus"
            ]
        ),
        vec!["Dahlia Lokus", "Melati Lokus", "Kenanga Lain"]
    );
    let unassigned = desk
        .get(&format!("/baas?penugasan=belum&desa={LOKUS_DESA}"))
        .text();
    assert_eq!(
        order_of(
            &unassigned,
            &[
                "Mawar Lokus",
                "Melati Lokus",
                "Kenanga Lain",
                "Anggrek Lokus",
                "Dahlia Lokus"
            ]
        ),
        vec!["Mawar Lokus", "Anggrek Lokus"]
    );
    // the desa choice: lokus desa first
    let choice = section(&list, "<select name=\"desa\">");
    let lokus_at = choice
        .find("Tanjung Redeb (lokus)")
        .expect("a lokus desa offered");
    let other_at = choice
        .find(">Karang Ambun<")
        .expect("the other desa offered");
    assert!(lokus_at < other_at, "{choice}");
    // the filtered list downloads as the same rows
    let workbook = desk.get(&format!(
        "/baas?penugasan=belum&desa={LOKUS_DESA}&format=xlsx"
    ));
    assert_eq!(workbook.status, 200);
    let rows = read_rows(&workbook.body);
    let names: Vec<String> = rows.iter().skip(1).map(|row| row[0].clone()).collect();
    assert_eq!(names, vec!["Mawar Lokus", "Anggrek Lokus"]);
}

#[test]
fn the_overdue_lists_follow_the_dates_they_are_made_on() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let one = sponsor(&mut conn, "PT Satu", None);
    let recent = child(&mut conn, "Baru Diukur", 1, LOKUS_DESA);
    let boundary = child(&mut conn, "Tepat Batas", 2, LOKUS_DESA);
    let old = child(&mut conn, "Lama Diukur", 3, LOKUS_DESA);
    let never = child(&mut conn, "Belum Pernah", 4, OTHER_DESA);
    // the list is made on 10 December 2024: 35 days back is 5 November
    let on = day(2024, 12, 10);
    measure(&mut conn, recent.id, day(2024, 11, 6), 720);
    measure(&mut conn, boundary.id, day(2024, 11, 5), 720);
    measure(&mut conn, old.id, day(2024, 9, 1), 700);
    measure(&mut conn, old.id, day(2024, 10, 1), 705);
    let cutoff = on - chrono::Duration::days(lokus::web::baas::MEASUREMENT_OVERDUE_DAYS);
    let born_after = on - chrono::Duration::days(lokus::domain::growth::MAX_AGE_DAYS);
    let overdue =
        baas_desk::children_unmeasured_since(&mut conn, &desk(), cutoff, born_after).unwrap();
    let seen: Vec<(&str, Option<NaiveDate>)> = overdue
        .iter()
        .map(|(c, last)| (c.nama.as_str(), *last))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("Lama Diukur", Some(day(2024, 10, 1))),
            ("Tepat Batas", Some(day(2024, 11, 5))),
            ("Belum Pernah", None),
        ]
    );
    // a child who turned five is out of the programme's measuring
    let later = day(2028, 7, 1);
    let aged = baas_desk::children_unmeasured_since(
        &mut conn,
        &desk(),
        later - chrono::Duration::days(35),
        later - chrono::Duration::days(lokus::domain::growth::MAX_AGE_DAYS),
    )
    .unwrap();
    assert!(aged.is_empty(), "{aged:?}");

    // deliveries in December 2024
    let delivered = assign(&mut conn, one.id, recent.id, day(2024, 11, 1));
    let november_only = assign(&mut conn, one.id, boundary.id, day(2024, 10, 1));
    let starts_later = assign(&mut conn, one.id, old.id, day(2025, 1, 1));
    let ended = assign(&mut conn, one.id, never.id, day(2024, 11, 1));
    deliver(&mut conn, delivered.id, day(2024, 12, 3), 450_000);
    deliver(&mut conn, november_only.id, day(2024, 11, 30), 450_000);
    baas::end_assignment(
        &mut conn,
        &actor(),
        &desk(),
        EndInput {
            assignment_id: ended.id,
            status: AssignmentStatus::Selesai,
            alasan: String::new(),
        },
    )
    .unwrap();
    let undelivered = baas_desk::assignments_without_delivery(
        &mut conn,
        &desk(),
        day(2024, 12, 1),
        day(2025, 1, 1),
    )
    .unwrap();
    let ids: Vec<i32> = undelivered
        .iter()
        .map(|(row, _)| row.assignment.id)
        .collect();
    assert_eq!(ids, vec![november_only.id], "{undelivered:?}");
    let _ = starts_later;
    // in January the one starting then is due too, and December's delivery no longer counts
    let january = baas_desk::assignments_without_delivery(
        &mut conn,
        &desk(),
        day(2025, 1, 1),
        day(2025, 2, 1),
    )
    .unwrap();
    let mut ids: Vec<i32> = january.iter().map(|(row, _)| row.assignment.id).collect();
    ids.sort();
    assert_eq!(ids, vec![delivered.id, november_only.id, starts_later.id]);
}

#[test]
fn the_overdue_page_lists_and_downloads_both_lists() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let one = sponsor(&mut conn, "PT Satu", None);
    let ani = child(&mut conn, "Ani Lestari", 1, LOKUS_DESA);
    assign(&mut conn, one.id, ani.id, day(2024, 7, 1));
    let mut desk = app.login_as("baas@berau.demo");
    let page = desk.get("/baas/terlambat");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(section(&html, "Belum diukur dalam 35 hari").contains("Ani Lestari"));
    assert!(section(&html, "Penugasan aktif tanpa penyaluran").contains("PT Satu"));
    for (list, expected) in [("ukur", "Ani Lestari"), ("salur", "PT Satu")] {
        let workbook = desk.get(&format!("/baas/terlambat?daftar={list}&format=xlsx"));
        assert_eq!(workbook.status, 200, "{list}");
        let rows = read_rows(&workbook.body);
        assert!(
            rows.iter().flatten().any(|cell| cell == expected),
            "{list}: {rows:?}"
        );
    }
}

#[test]
fn personal_data_shows_only_on_the_desks_request_and_every_view_is_logged() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let ani = child(&mut conn, "Ani Lestari", 12, LOKUS_DESA);
    let views = |conn: &mut PgConnection| -> i64 {
        activity_log::table
            .filter(activity_log::action.eq("lihat_data_pribadi"))
            .count()
            .get_result(conn)
            .unwrap()
    };
    let url = format!("/baas/anak/{}", ani.id);
    let mut desk = app.login_as("baas@berau.demo");
    let page = desk.get(&url).text();
    assert!(!page.contains("6403051234560012") && !page.contains("Ahmad Wijaya"));
    assert!(page.contains("Lihat data pribadi"));
    let shown = desk.submit(&url, &format!("{url}/pribadi"), &[]);
    assert_eq!(shown.status, 200);
    assert_eq!(shown.header("cache-control"), Some("no-store"));
    let html = shown.text();
    for private in [
        "6403051234560012",
        "6403051234569999",
        "Ahmad Wijaya",
        "Siti Rahayu",
        "Jl. Pemuda 1",
    ] {
        assert!(html.contains(private), "{private}");
    }
    assert_eq!(views(&mut conn), 1);
    // no GET shows it, and nobody else: the admin reads the record masked, without the button
    assert_eq!(desk.get(&format!("{url}/pribadi")).status, 404);
    let mut admin = app.login_as("admin@berau.demo");
    let page = admin.get(&url);
    assert_eq!(page.status, 200);
    assert!(!page.text().contains("Lihat data pribadi"));
    assert!(!page.text().contains("Catat pengukuran"), "read-only");
    let token = page.csrf_token();
    assert_eq!(
        admin
            .post_form(&format!("{url}/pribadi"), &[("csrf_token", &token)])
            .status,
        403
    );
    assert_eq!(views(&mut conn), 1);
}

#[test]
fn the_reports_print_first_names_for_sponsors_and_never_personal_data() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let one = sponsor(&mut conn, "PT Satu", Some("sponsor1@berau.demo"));
    let ani = child(&mut conn, "Ani Lestari", 12, LOKUS_DESA);
    let assignment = assign(&mut conn, one.id, ani.id, day(2024, 7, 1));
    measure(&mut conn, ani.id, day(2024, 8, 1), 700);
    deliver(&mut conn, assignment.id, day(2024, 8, 5), 450_000);

    let mut sponsor1 = app.login_as("sponsor1@berau.demo");
    let mut desk = app.login_as("baas@berau.demo");
    let never = [
        "Lestari",
        "6403051234560012",
        "6403••••••••0012",
        "6403051234569999",
        "Ahmad",
        "Rahayu",
        "Jl. Pemuda",
        "01/06/2023",
    ];
    for (as_desk, path) in [
        (false, format!("/asuh/anak/{}/laporan", ani.id)),
        (false, "/asuh/laporan".to_owned()),
        (true, format!("/baas/sponsor/{}/laporan", one.id)),
    ] {
        let client = if as_desk { &mut desk } else { &mut sponsor1 };
        let report = client.get(&path);
        assert_eq!(report.status, 200, "{path}");
        let html = report.text();
        assert!(html.contains("class=\"report\""), "{path}");
        assert!(
            html.contains(">Ani<") || html.contains("Pertumbuhan Ani<"),
            "{path}: the first name: {html}"
        );
        for hidden in never {
            assert!(!html.contains(hidden), "{path} shows {hidden}");
        }
        assert!(html.contains("data-print"), "{path}: the print button");
        assert!(!html.contains("<script>"), "{path}: no inline script");
        assert!(html.contains("Rp 450.000"), "{path}: the delivery");
    }
    let own = sponsor1.get("/asuh/laporan").text();
    assert!(own.contains("Rp 5.400.000"), "the pledge: {own}");
    // the desk's page of the child keeps the name and the masked NIK, never the whole number
    let report = desk.get(&format!("/baas/anak/{}/laporan", ani.id)).text();
    assert!(report.contains("Ani Lestari") && report.contains("6403••••••••0012"));
    assert!(!report.contains("6403051234560012") && !report.contains("Ahmad"));
    assert!(
        report.contains("id=\"growth-data\""),
        "the chart prints too"
    );
    // the printed page is A4 portrait, without the menu
    let css = desk.get("/static/lokus.css").text();
    assert!(css.contains("@page report { size: A4 portrait;"));
    assert!(css.contains("article.report { page: report; }"));
}

/// Every page, report and download of a sponsor, and every desk URL, as sponsor 1 asks for them.
fn sponsor_paths(
    other_child: i32,
    own_child: i32,
    other_sponsor: i32,
    own_sponsor: i32,
) -> Vec<String> {
    let mut paths = vec![
        format!("/asuh/anak/{other_child}"),
        format!("/asuh/anak/{other_child}/laporan"),
    ];
    // the desk's URLs, with its own ids and another's alike
    for (child, sponsor) in [(own_child, own_sponsor), (other_child, other_sponsor)] {
        paths.extend([
            format!("/baas/anak/{child}"),
            format!("/baas/anak/{child}/laporan"),
            format!("/baas/sponsor/{sponsor}"),
            format!("/baas/sponsor/{sponsor}/laporan"),
            format!("/baas/penugasan/baru?anak={child}&sponsor={sponsor}"),
        ]);
    }
    paths.extend(
        [
            "/baas",
            "/baas?format=xlsx",
            "/baas/anak/baru",
            "/baas/sponsor",
            "/baas/sponsor?format=xlsx",
            "/baas/sponsor/baru",
            "/baas/terlambat",
            "/baas/terlambat?daftar=ukur&format=xlsx",
            "/baas/terlambat?daftar=salur&format=xlsx",
        ]
        .map(str::to_owned),
    );
    paths
}

#[test]
fn a_sponsor_meets_the_same_not_found_on_every_route_that_is_not_its_own() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let one = sponsor(&mut conn, "PT Satu", Some("sponsor1@berau.demo"));
    let two = sponsor(&mut conn, "Kodim Dua", Some("sponsor2@berau.demo"));
    let ani = child(&mut conn, "Ani Lestari", 12, LOKUS_DESA);
    let budi = child(&mut conn, "Budi Santoso", 13, LOKUS_DESA);
    let a = assign(&mut conn, one.id, ani.id, day(2024, 7, 1));
    let b = assign(&mut conn, two.id, budi.id, day(2024, 7, 1));
    measure(&mut conn, ani.id, day(2024, 8, 1), 700);
    measure(&mut conn, budi.id, day(2024, 8, 1), 700);
    deliver(&mut conn, a.id, day(2024, 8, 5), 450_000);
    deliver(&mut conn, b.id, day(2024, 8, 5), 300_000);

    let mut sponsor1 = app.login_as("sponsor1@berau.demo");
    let missing = sponsor1.get("/asuh/anak/999999");
    assert_eq!(missing.status, 404);
    let not_found = missing.text();
    for path in sponsor_paths(budi.id, ani.id, two.id, one.id) {
        let response = sponsor1.get(&path);
        assert_eq!(response.status, 404, "{path}");
        assert_eq!(
            response.text(),
            not_found,
            "{path}: the same page as a missing id"
        );
    }
    // and every change the desk makes, posted by a sponsor with its own valid token
    let token = sponsor1.get("/asuh").csrf_token();
    for path in [
        format!("/baas/anak/{}/pribadi", ani.id),
        format!("/baas/anak/{}/ukur", ani.id),
        format!("/baas/anak/{}/salur", ani.id),
        format!("/baas/sponsor/{}/bayar", one.id),
        format!("/baas/penugasan/{}/akhiri", a.id),
        format!("/baas/penugasan/{}/akhiri", b.id),
        "/baas/penugasan/baru".to_owned(),
        "/baas/anak/baru".to_owned(),
        "/baas/sponsor/baru".to_owned(),
    ] {
        let response = sponsor1.post_form(&path, &[("csrf_token", &token), ("status", "selesai")]);
        assert_eq!(response.status, 404, "POST {path}");
        assert_eq!(response.text(), not_found, "POST {path}");
    }
    let still_active: i64 = baas_assignment::table
        .filter(baas_assignment::status.eq(AssignmentStatus::Aktif))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(still_active, 2);

    // its own pages and downloads hold its own child only
    for path in ["/asuh", "/asuh/laporan", &format!("/asuh/anak/{}", ani.id)] {
        let html = sponsor1.get(path).text();
        assert!(html.contains("Ani"), "{path}");
        assert!(
            !html.contains("Budi") && !html.contains("Rp 300.000"),
            "{path}: {html}"
        );
    }
    let workbook = sponsor1.get("/asuh?format=xlsx");
    assert_eq!(workbook.status, 200);
    let cells: Vec<String> = read_rows(&workbook.body).into_iter().flatten().collect();
    assert!(cells.iter().any(|c| c == "Ani"), "{cells:?}");
    assert!(
        !cells
            .iter()
            .any(|c| c.contains("Budi") || c.contains("Lestari")),
        "{cells:?}"
    );

    // an OPD officer has no business here either (refused, as every other page it may not use)
    let mut dinkes = app.login_as("dinkes@berau.demo");
    assert_eq!(dinkes.get("/baas").status, 403);
    assert_eq!(dinkes.get(&format!("/asuh/anak/{}", ani.id)).status, 403);
}

/// What `/asuh/anak/{id}` costs a phone, as lokus serves it gzip-compressed: the page, the
/// stylesheet, the page's script and the chart library.
pub fn sponsor_page_weight(client: &mut Client, child_id: i32) -> Vec<(String, usize, usize)> {
    let mut parts = Vec::new();
    for path in [
        format!("/asuh/anak/{child_id}"),
        "/static/lokus.css".to_owned(),
        "/static/asuh.js".to_owned(),
        "/static/vendor/chartjs/chart.umd.min.js".to_owned(),
    ] {
        let gzip = client.request_with("GET", &path, &[("Accept-Encoding", "gzip")], None);
        assert_eq!(gzip.status, 200, "{path}");
        assert_eq!(
            gzip.header("content-encoding"),
            Some("gzip"),
            "{path} is compressed"
        );
        let plain = client.get(&path);
        parts.push((path, gzip.body.len(), plain.body.len()));
    }
    parts
}

#[test]
fn the_sponsors_child_page_weighs_under_300_kb_compressed() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let one = sponsor(&mut conn, "PT Satu", Some("sponsor1@berau.demo"));
    let ani = child(&mut conn, "Ani Lestari", 12, LOKUS_DESA);
    let a = assign(&mut conn, one.id, ani.id, day(2024, 7, 1));
    // a year of monthly measurements and deliveries
    for month in 1..=12u32 {
        let (y, m) = if month <= 5 {
            (2024, month + 7)
        } else {
            (2025, month - 5)
        };
        measure(&mut conn, ani.id, day(y, m, 2), 700 + i64::from(month) * 8);
        if month <= 6 {
            deliver(&mut conn, a.id, day(y, m, 3), 450_000);
        }
    }
    let mut sponsor1 = app.login_as("sponsor1@berau.demo");
    let parts = sponsor_page_weight(&mut sponsor1, ani.id);
    let total: usize = parts.iter().map(|(_, gzip, _)| gzip).sum();
    for (path, gzip, plain) in &parts {
        eprintln!("page weight: {path}: {gzip} bytes gzip ({plain} bytes uncompressed)");
    }
    eprintln!("page weight: /asuh/anak/{{id}} in all: {total} bytes gzip");
    assert!(total < 300 * 1024, "{total} bytes: {parts:?}");
}
