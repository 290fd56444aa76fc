//! BAAS records: NIK validation against `wilayah`, masking and the logged view of personal data,
//! duplicates, and a sponsor's isolation by id (another sponsor's records are "not found", exactly
//! like missing ones), on the Berau demo district.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use lokus::db::baas as db;
use lokus::db::schema::{activity_log, baas_child, users};
use lokus::domain::baas::{MeasuredBy, Paket, SponsorJenis};
use lokus::domain::growth::{Position, Sex};
use lokus::domain::{Role, Scope};
use lokus::i18n::MessageKey;
use lokus::services::activity_log::Actor;
use lokus::services::baas::{
    self, AssignmentInput, ChildInput, DeliveryInput, MeasurementInput, PaymentInput, SponsorInput,
};
use lokus::services::error::ServiceError;

use crate::support::{Seed, TestDb};

const KABKOTA: &str = "64.03";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2024, 12, 1)
}

fn desk() -> Scope {
    Scope::district(KABKOTA)
}

fn actor() -> Actor {
    Actor::cli().in_district(KABKOTA)
}

fn user_id(conn: &mut PgConnection, email: &str) -> i32 {
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .unwrap()
}

fn sponsor_scope(conn: &mut PgConnection, email: &str) -> Scope {
    Scope {
        sponsor_user_id: Some(user_id(conn, email)),
        ..Scope::district(KABKOTA)
    }
}

fn child(nama: &str, nik: &str) -> ChildInput {
    ChildInput {
        nama: nama.to_owned(),
        jk: Sex::Female,
        tgl_lahir: day(2023, 6, 1),
        kode_desa: "64.03.05.1004".to_owned(),
        nik: nik.to_owned(),
        no_kk: String::new(),
        nama_ayah: "Ahmad".to_owned(),
        nama_ibu: "Siti".to_owned(),
        alamat: "Jl. Pemuda 1".to_owned(),
        status_krs: "KRS".to_owned(),
        posyandu: "Melati".to_owned(),
        persetujuan_oleh: "Siti (ibu)".to_owned(),
        persetujuan_tanggal: day(2024, 1, 5),
    }
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

fn key(error: ServiceError) -> MessageKey {
    error.user_message().expect("a message for the user").key
}

#[test]
fn a_nik_must_have_16_digits_and_name_an_existing_kecamatan() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    for bad in ["640305123456001", "64030512345600AB", ""] {
        let error = baas::register_child(&mut conn, &actor(), &desk(), child("Ani", bad), today())
            .unwrap_err();
        assert_eq!(key(error), MessageKey::BaasNikShape, "{bad}");
    }
    // 64.03.99 is no kecamatan of Berau; 00 is no province
    for bad in ["6403991234560012", "0003051234560012"] {
        let error = baas::register_child(&mut conn, &actor(), &desk(), child("Ani", bad), today())
            .unwrap_err();
        assert_eq!(key(error), MessageKey::BaasNikRegion, "{bad}");
    }
    // a No. KK is held to the same rule
    let mut with_kk = child("Ani", "6403051234560012");
    with_kk.no_kk = "12345".to_owned();
    let error = baas::register_child(&mut conn, &actor(), &desk(), with_kk, today()).unwrap_err();
    assert_eq!(key(error), MessageKey::BaasNikShape);
    // a NIK from another kabupaten is fine (children move), as long as its kecamatan exists
    let moved = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Budi", "6401011234560013"),
        today(),
    )
    .unwrap();
    assert_eq!(moved.nik_masked, "6401••••••••0013");
    let count: i64 = baas_child::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 1, "refused children leave nothing behind");
}

#[test]
fn personal_data_is_stored_apart_shown_masked_and_every_unmasked_view_is_logged() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let ani = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Ani Lestari", "6403 0512 3456 0012"),
        today(),
    )
    .unwrap();
    assert_eq!(ani.nik_masked, "6403••••••••0012");
    // nothing in the child's own row or in the activity log holds the whole NIK
    let logged: Vec<Option<serde_json::Value>> = activity_log::table
        .select(activity_log::after)
        .load(&mut conn)
        .unwrap();
    let everything = format!("{:?} {:?}", ani, logged);
    assert!(!everything.contains("6403051234560012"), "{everything}");
    assert!(!everything.contains("Ahmad"), "{everything}");

    let views = |conn: &mut PgConnection| -> i64 {
        activity_log::table
            .filter(activity_log::action.eq("lihat_data_pribadi"))
            .filter(activity_log::entity_id.eq(ani.id.to_string()))
            .count()
            .get_result(conn)
            .unwrap()
    };
    assert_eq!(views(&mut conn), 0);
    let private = baas::view_private(&mut conn, &actor(), &desk(), Role::Baas, ani.id).unwrap();
    assert_eq!(private.nik, "6403051234560012");
    assert_eq!(private.nama_ibu, "Siti");
    assert_eq!(views(&mut conn), 1);

    // nobody but the desk: not the admin, not a sponsor, not an OPD
    assert!(matches!(
        baas::view_private(&mut conn, &actor(), &desk(), Role::Admin, ani.id),
        Err(ServiceError::NotFound)
    ));
    let own_sponsor = sponsor(&mut conn, "PT Contoh", Some("sponsor1@berau.demo"));
    let scope = sponsor_scope(&mut conn, "sponsor1@berau.demo");
    assign(&mut conn, own_sponsor.id, ani.id);
    assert!(matches!(
        baas::view_private(&mut conn, &actor(), &scope, Role::Baas, ani.id),
        Err(ServiceError::NotFound)
    ));
    assert_eq!(views(&mut conn), 1);
}

#[test]
fn the_same_nik_or_the_same_name_birth_date_and_desa_is_refused_not_merged() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let first = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Ani", "6403051234560012"),
        today(),
    )
    .unwrap();
    let same_nik = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Anita", "6403051234560012"),
        today(),
    )
    .unwrap_err();
    assert!(
        matches!(&same_nik, ServiceError::Conflict(m) if m.key == MessageKey::BaasNikDuplicate)
    );
    let rendered = same_nik.user_message().unwrap().render_default();
    assert!(rendered.contains("6403••••••••0012"), "{rendered}");
    assert!(rendered.contains(&format!("#{}", first.id)), "{rendered}");
    let same_child = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child(" ani ", "6403051234560099"),
        today(),
    )
    .unwrap_err();
    assert!(
        matches!(same_child, ServiceError::Conflict(m) if m.key == MessageKey::BaasChildDuplicate)
    );
    let count: i64 = baas_child::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 1);
}

fn assign(conn: &mut PgConnection, sponsor_id: i32, child_id: i32) -> db::Assignment {
    baas::assign(
        conn,
        &actor(),
        &desk(),
        AssignmentInput {
            sponsor_id,
            child_id,
            mulai: day(2024, 7, 15),
            bulan_rencana: 6,
            paket: Paket::Pmt,
            rupiah_per_bulan: Decimal::from(450_000),
        },
    )
    .unwrap()
}

#[test]
fn a_sponsor_reaches_only_its_own_children_and_another_sponsors_look_missing() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let one = sponsor(&mut conn, "PT Satu", Some("sponsor1@berau.demo"));
    let two = sponsor(&mut conn, "Kodim Dua", Some("sponsor2@berau.demo"));
    let ani = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Ani", "6403051234560012"),
        today(),
    )
    .unwrap();
    let budi = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Budi", "6403051234560013"),
        today(),
    )
    .unwrap();
    let cici = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Cici", "6403051234560014"),
        today(),
    )
    .unwrap();
    let ani_assignment = assign(&mut conn, one.id, ani.id);
    let budi_assignment = assign(&mut conn, two.id, budi.id);
    for (assignment, sponsor) in [(&ani_assignment, &one), (&budi_assignment, &two)] {
        baas::record_delivery(
            &mut conn,
            &actor(),
            &desk(),
            DeliveryInput {
                assignment_id: assignment.id,
                tanggal: day(2024, 7, 20),
                barang: "Telur, ikan".to_owned(),
                nilai: Decimal::from(450_000),
                oleh: "TPK".to_owned(),
                catatan: String::new(),
            },
            today(),
        )
        .unwrap();
        baas::record_payment(
            &mut conn,
            &actor(),
            &desk(),
            PaymentInput {
                sponsor_id: sponsor.id,
                tanggal: day(2024, 7, 1),
                jumlah: Decimal::from(2_700_000),
                catatan: String::new(),
            },
            today(),
        )
        .unwrap();
    }
    for child in [&ani, &budi, &cici] {
        baas::record_measurement(
            &mut conn,
            &actor(),
            &desk(),
            MeasurementInput {
                child_id: child.id,
                tanggal: day(2024, 8, 1),
                bb: Some(Decimal::new(85, 1)),
                tb: Some(Decimal::new(720, 1)),
                cara_ukur: Some(Position::Lying),
                oleh: MeasuredBy::Posyandu,
            },
            today(),
        )
        .unwrap();
    }

    let scope = sponsor_scope(&mut conn, "sponsor1@berau.demo");
    let children = db::list_children_for_scope(&mut conn, &scope).unwrap();
    assert_eq!(
        children.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![ani.id]
    );
    assert!(
        db::find_child_for_scope(&mut conn, &scope, ani.id)
            .unwrap()
            .is_some()
    );
    // another sponsor's child, an unassigned child and a missing id: all the same "none"
    for id in [budi.id, cici.id, 999_999] {
        assert!(
            db::find_child_for_scope(&mut conn, &scope, id)
                .unwrap()
                .is_none(),
            "{id}"
        );
    }
    assert!(
        db::find_sponsor_for_scope(&mut conn, &scope, two.id)
            .unwrap()
            .is_none()
    );
    assert!(
        db::find_sponsor_for_scope(&mut conn, &scope, one.id)
            .unwrap()
            .is_some()
    );
    assert!(
        db::find_assignment_for_scope(&mut conn, &scope, budi_assignment.id)
            .unwrap()
            .is_none()
    );
    let measured: Vec<i32> = db::list_measurements_for_scope(&mut conn, &scope)
        .unwrap()
        .iter()
        .map(|m| m.child_id)
        .collect();
    assert_eq!(measured, vec![ani.id]);
    let delivered: Vec<i32> = db::list_deliveries_for_scope(&mut conn, &scope)
        .unwrap()
        .iter()
        .map(|d| d.assignment_id)
        .collect();
    assert_eq!(delivered, vec![ani_assignment.id]);
    let paid: Vec<i32> = db::list_payments_for_scope(&mut conn, &scope)
        .unwrap()
        .iter()
        .map(|p| p.sponsor_id)
        .collect();
    assert_eq!(paid, vec![one.id]);
    assert_eq!(
        db::list_sponsors_for_scope(&mut conn, &scope)
            .unwrap()
            .len(),
        1
    );

    // a sponsor changes nothing, even on its own child: the same "not found"
    let refused = baas::record_measurement(
        &mut conn,
        &actor(),
        &scope,
        MeasurementInput {
            child_id: ani.id,
            tanggal: day(2024, 9, 1),
            bb: Some(Decimal::from(9)),
            tb: None,
            cara_ukur: None,
            oleh: MeasuredBy::Tpk,
        },
        today(),
    );
    assert!(matches!(refused, Err(ServiceError::NotFound)));

    // the desk sees everyone; an OPD's scope sees no child at all
    assert_eq!(
        db::list_children_for_scope(&mut conn, &desk())
            .unwrap()
            .len(),
        3
    );
    let opd = Scope {
        opd_id: Some(1),
        ..desk()
    };
    assert!(
        db::list_children_for_scope(&mut conn, &opd)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn assignments_deliveries_and_measurements_are_checked() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    let one = sponsor(&mut conn, "PT Satu", None);
    let ani = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Ani", "6403051234560012"),
        today(),
    )
    .unwrap();
    let first = assign(&mut conn, one.id, ani.id);
    assert_eq!(first.mulai, day(2024, 7, 1));
    let again = baas::assign(
        &mut conn,
        &actor(),
        &desk(),
        AssignmentInput {
            sponsor_id: one.id,
            child_id: ani.id,
            mulai: day(2024, 8, 1),
            bulan_rencana: 6,
            paket: Paket::Kie,
            rupiah_per_bulan: Decimal::from(100_000),
        },
    )
    .unwrap_err();
    assert_eq!(key(again), MessageKey::BaasChildAlreadyAssigned);
    let measure = |conn: &mut PgConnection, tanggal, bb: Option<Decimal>, tb: Option<Decimal>| {
        baas::record_measurement(
            conn,
            &actor(),
            &desk(),
            MeasurementInput {
                child_id: ani.id,
                tanggal,
                bb,
                tb,
                cara_ukur: None,
                oleh: MeasuredBy::Posyandu,
            },
            today(),
        )
    };
    assert_eq!(
        key(measure(&mut conn, day(2023, 5, 1), Some(Decimal::from(5)), None).unwrap_err()),
        MessageKey::BaasDateBeforeBirth
    );
    assert_eq!(
        key(measure(&mut conn, day(2025, 5, 1), Some(Decimal::from(5)), None).unwrap_err()),
        MessageKey::BaasDateInFuture
    );
    assert_eq!(
        key(measure(&mut conn, day(2024, 5, 1), None, None).unwrap_err()),
        MessageKey::BaasMeasurementEmpty
    );
    assert_eq!(
        key(measure(&mut conn, day(2024, 5, 1), Some(Decimal::from(600)), None).unwrap_err()),
        MessageKey::BaasMeasureOutOfRange
    );
    let stored = measure(
        &mut conn,
        day(2024, 6, 1),
        Some(Decimal::new(80, 1)),
        Some(Decimal::new(700, 1)),
    )
    .unwrap();
    let assessment = baas::assess(&ani, &stored).unwrap();
    assert_eq!(assessment.age_days, 366);
    assert!(assessment.length_for_age.is_some());
    let bad_payment = baas::record_payment(
        &mut conn,
        &actor(),
        &desk(),
        PaymentInput {
            sponsor_id: one.id,
            tanggal: day(2024, 7, 1),
            jumlah: Decimal::ZERO,
            catatan: String::new(),
        },
        today(),
    )
    .unwrap_err();
    assert_eq!(key(bad_payment), MessageKey::BaasPaymentNotPositive);
    let login_wrong = baas::create_sponsor(
        &mut conn,
        &actor(),
        &desk(),
        SponsorInput {
            nama: "X".to_owned(),
            jenis: SponsorJenis::Perorangan,
            kontak: String::new(),
            janji_anak: 1,
            janji_bulan: 6,
            janji_rupiah_per_bulan: Decimal::from(450_000),
            login_email: Some("baas@berau.demo".to_owned()),
        },
    )
    .unwrap_err();
    assert_eq!(key(login_wrong), MessageKey::BaasLoginNotSponsor);
}

#[test]
fn the_sponsor_pages_show_only_their_own_children_and_another_sponsors_child_is_not_found() {
    let app = crate::support::TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let one = sponsor(&mut conn, "PT Satu", Some("sponsor1@berau.demo"));
    let two = sponsor(&mut conn, "Kodim Dua", Some("sponsor2@berau.demo"));
    let ani = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Ani Lestari", "6403051234560012"),
        today(),
    )
    .unwrap();
    let budi = baas::register_child(
        &mut conn,
        &actor(),
        &desk(),
        child("Budi Santoso", "6403051234560013"),
        today(),
    )
    .unwrap();
    assign(&mut conn, one.id, ani.id);
    assign(&mut conn, two.id, budi.id);
    baas::record_measurement(
        &mut conn,
        &actor(),
        &desk(),
        MeasurementInput {
            child_id: ani.id,
            tanggal: day(2024, 8, 1),
            bb: Some(Decimal::new(85, 1)),
            tb: Some(Decimal::new(700, 1)),
            cara_ukur: Some(Position::Lying),
            oleh: MeasuredBy::Posyandu,
        },
        today(),
    )
    .unwrap();

    let mut sponsor1 = app.login_as("sponsor1@berau.demo");
    let home = sponsor1.get("/asuh");
    assert_eq!(home.status, 200);
    let html = home.text();
    assert!(html.contains("Ani"), "{html}");
    assert!(!html.contains("Lestari"), "first name only");
    assert!(!html.contains("Budi"), "another sponsor's child");
    assert!(
        !html.contains("6403••••••••0012") && !html.contains("6403051234560012"),
        "no NIK for a sponsor"
    );

    let page = sponsor1.get(&format!("/asuh/anak/{}", ani.id));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("id=\"growth-data\""),
        "the chart's data block"
    );
    assert!(html.contains("/static/asuh.js"));
    assert!(!html.contains("<script>"), "no inline script");
    let missing = sponsor1.get("/asuh/anak/999999");
    let other = sponsor1.get(&format!("/asuh/anak/{}", budi.id));
    assert_eq!(missing.status, 404);
    assert_eq!(other.status, 404);
    // the same page for both: nothing tells a stranger's child from a missing one
    assert_eq!(
        other.text().replace(&budi.id.to_string(), "ID"),
        missing.text().replace("999999", "ID")
    );
    // a sponsor has no desk: its URLs are as missing as another sponsor's child
    assert_eq!(sponsor1.get("/baas").status, 404);
    assert_eq!(sponsor1.get("/static/asuh.js").status, 200);

    let mut desk_user = app.login_as("baas@berau.demo");
    let list = desk_user.get("/baas");
    assert_eq!(list.status, 200);
    let html = list.text();
    assert!(html.contains("Ani Lestari") && html.contains("Budi Santoso"));
    assert!(html.contains("6403••••••••0012"));
    assert!(!html.contains("6403051234560012"));
    let workbook = desk_user.get("/baas?format=xlsx");
    assert_eq!(workbook.status, 200);
}
