//! The BAAS workbook (helper "baas-import"), read back with calamine: its totals equal the
//! database, a masked file holds no whole NIK, an unmasked one is in the activity log for every
//! child, only the desk gets it on the web, and the CLI writes the same. Also the demo's BAAS data:
//! 30 children entered through the children import, two sponsor logins.

use calamine::{Data, Range, Reader, Xlsx};
use diesel::dsl::sum;
use diesel::prelude::*;
use rust_decimal::Decimal;

use lokus::db::schema::{
    activity_log, baas_assignment, baas_child, baas_child_private, baas_delivery, baas_measurement,
    baas_payment, baas_sponsor, import_batch, users,
};
use lokus::domain::{Role, Scope};
use lokus::i18n::phrases;
use lokus::services::activity_log::Actor;
use lokus::services::baas_export::{ExportRequest, workbook_with_totals};
use lokus::services::error::ServiceError;

use crate::support::cli::{lokus, write_temp};
use crate::support::{Seed, TestApp, TestDb};

const KABKOTA: &str = "64.03";

fn demo_with_baas() -> TestDb {
    let db = TestDb::new(Seed::Demo);
    lokus::services::demo::load_baas(&mut db.connect()).expect("the demo's BAAS data");
    db
}

fn request(unmasked: bool) -> ExportRequest {
    ExportRequest {
        tahun: 2024,
        unmasked,
        generated_by: "test".to_owned(),
        generated_at: "2024-12-01 08:00 UTC".to_owned(),
    }
}

fn open(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx")
}

fn number(range: &Range<Data>, row: usize, column: usize) -> Decimal {
    match range.get((row, column)) {
        Some(Data::Float(value)) => Decimal::try_from(*value).unwrap().round_dp(2),
        Some(Data::Int(value)) => Decimal::from(*value),
        other => panic!("no number at {row},{column}: {other:?}"),
    }
}

fn column(range: &Range<Data>, header: &str) -> usize {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|cell| matches!(cell, Data::String(text) if text == header))
        .unwrap_or_else(|| panic!("no column {header}"))
}

fn every_text(workbook: &mut Xlsx<std::io::Cursor<Vec<u8>>>) -> Vec<String> {
    let mut texts = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).unwrap();
        texts.extend(range.cells().map(|(_, _, cell)| cell.to_string()));
    }
    texts
}

fn db_sum(value: Option<Decimal>) -> Decimal {
    value.unwrap_or_default()
}

#[test]
fn the_demo_has_thirty_children_entered_through_the_import_and_two_sponsor_logins() {
    let db = TestDb::new(Seed::Demo);
    let started = std::time::Instant::now();
    lokus::services::demo::load_baas(&mut db.connect()).expect("the demo's BAAS data");
    eprintln!("demo BAAS data: {:?}", started.elapsed());
    let mut conn = db.connect();
    let children: i64 = baas_child::table.count().get_result(&mut conn).unwrap();
    assert_eq!(children, 30);
    let imports: Vec<(String, String, i32)> = import_batch::table
        .filter(import_batch::kind.eq("baas_anak"))
        .select((
            import_batch::status,
            import_batch::file_name,
            import_batch::rows_accepted,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(imports.len(), 1);
    assert_eq!((imports[0].0.as_str(), imports[0].2), ("committed", 30));
    // 4 to 8 measurements each
    let per_child: Vec<i64> = baas_measurement::table
        .group_by(baas_measurement::child_id)
        .select(diesel::dsl::count_star())
        .load(&mut conn)
        .unwrap();
    assert_eq!(per_child.len(), 30);
    assert!(
        per_child.iter().all(|n| (4..=8).contains(n)),
        "{per_child:?}"
    );
    let sponsors_imported: Vec<String> = import_batch::table
        .filter(import_batch::kind.eq("baas_sponsor"))
        .select(import_batch::status)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        sponsors_imported,
        ["committed"],
        "the sponsors came through their import"
    );
    let logins: Vec<String> = baas_sponsor::table
        .inner_join(users::table.on(users::id.nullable().eq(baas_sponsor::user_id)))
        .select(users::email)
        .order(users::email)
        .load(&mut conn)
        .unwrap();
    assert_eq!(logins, ["sponsor1@berau.demo", "sponsor2@berau.demo"]);
    let jenis: Vec<String> = baas_sponsor::table
        .select(baas_sponsor::jenis)
        .distinct()
        .load(&mut conn)
        .unwrap();
    assert!(jenis.len() >= 4, "{jenis:?}");
    let assigned = baas_assignment::table
        .select(baas_assignment::child_id)
        .distinct()
        .load::<i32>(&mut conn)
        .unwrap()
        .len();
    assert!(
        (20..30).contains(&assigned),
        "most children assigned, a few not: {assigned}"
    );
    let deliveries: i64 = baas_delivery::table.count().get_result(&mut conn).unwrap();
    let payments: i64 = baas_payment::table.count().get_result(&mut conn).unwrap();
    assert!(deliveries > 0 && payments > 0);
    // every demo measurement is plausible by WHO's limits, and some children improve
    let report =
        lokus::db::baas::list_children_for_scope(&mut conn, &Scope::district(KABKOTA)).unwrap();
    let measurements =
        lokus::db::baas::list_measurements_for_scope(&mut conn, &Scope::district(KABKOTA)).unwrap();
    let mut improving = 0;
    for child in &report {
        let own: Vec<_> = measurements
            .iter()
            .filter(|m| m.child_id == child.id)
            .collect();
        let z: Vec<f64> = own
            .iter()
            .map(|m| {
                let assessment = lokus::services::baas::assess(child, m).expect("assessable");
                assert!(assessment.implausible.is_empty(), "{:?}", assessment);
                assessment.length_for_age.unwrap().value()
            })
            .collect();
        if z.last().unwrap() - z.first().unwrap() > 0.3 {
            improving += 1;
        }
    }
    assert!(
        (5..25).contains(&improving),
        "some improve, some not: {improving}"
    );
    drop(conn);

    // the sponsor logs in and sees their children
    let app = TestApp::start_on(db);
    let mut sponsor = app.login_as("sponsor1@berau.demo");
    let page = sponsor.get("/asuh");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("/asuh/anak/"),
        "the sponsor's children are listed"
    );
}

#[test]
fn the_workbooks_totals_equal_the_database_and_the_masked_file_holds_no_whole_nik() {
    let db = demo_with_baas();
    let mut conn = db.connect();
    let t = phrases::for_code("id");
    let (bytes, totals) = workbook_with_totals(
        &mut conn,
        &Actor::cli().in_district(KABKOTA),
        &Scope::district(KABKOTA),
        Role::Baas,
        &request(false),
        t,
    )
    .unwrap();
    let paid: Option<Decimal> = baas_payment::table
        .select(sum(baas_payment::jumlah))
        .first(&mut conn)
        .unwrap();
    let delivered: Option<Decimal> = baas_delivery::table
        .select(sum(baas_delivery::nilai))
        .first(&mut conn)
        .unwrap();
    let pledged: Vec<(i16, Decimal)> = baas_assignment::table
        .select((
            baas_assignment::bulan_rencana,
            baas_assignment::rupiah_per_bulan,
        ))
        .load(&mut conn)
        .unwrap();
    let pledged: Decimal = pledged.iter().map(|(m, rp)| rp * Decimal::from(*m)).sum();
    // the demo is all in 2024
    assert_eq!(totals.paid, db_sum(paid));
    assert_eq!(totals.delivered, db_sum(delivered));
    assert_eq!(totals.pledged, pledged);
    assert_eq!(totals.children, 30);

    let mut workbook = open(bytes);
    let names = workbook.sheet_names();
    assert_eq!(names[0], "BAAS 2024");
    let summary = workbook.worksheet_range(t.baas_ekspor_summary).unwrap();
    let last = summary.height() - 1;
    assert_eq!(
        summary.get((last, 0)),
        Some(&Data::String(t.baas_ekspor_total.into()))
    );
    assert_eq!(
        number(&summary, last, column(&summary, t.asuh_dibayar)),
        db_sum(paid)
    );
    assert_eq!(
        number(&summary, last, column(&summary, t.asuh_tersalur)),
        db_sum(delivered)
    );
    assert_eq!(
        number(&summary, last, column(&summary, t.asuh_janji)),
        pledged
    );
    // the rows above the total add up to it
    let paid_column = column(&summary, t.asuh_dibayar);
    let rows: Decimal = (1..last)
        .map(|row| number(&summary, row, paid_column))
        .sum();
    assert_eq!(rows, db_sum(paid));
    let sponsors: i64 = baas_sponsor::table.count().get_result(&mut conn).unwrap();
    assert_eq!(last as i64 - 1, sponsors, "one row per sponsor");
    // the payments sheet lists what the summary sums
    let payments = workbook.worksheet_range(t.baas_ekspor_payments).unwrap();
    let payment_rows = payments.height() - 2;
    let listed: Decimal = (1..=payment_rows)
        .map(|row| number(&payments, row, 2))
        .sum();
    assert_eq!(listed, db_sum(paid));

    // every child is in the detail; nothing personal beyond the masked NIK
    let detail = workbook.worksheet_range(t.baas_ekspor_detail).unwrap();
    let ids = column(&detail, t.impor_baas_child_id);
    let mut seen: Vec<i64> = (1..detail.height())
        .map(|row| number(&detail, row, ids).try_into().unwrap())
        .collect();
    seen.dedup();
    assert_eq!(seen.len(), 30);
    let headers: Vec<String> = detail
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(!headers.contains(&t.baas_no_kk.to_owned()), "{headers:?}");
    assert!(
        !headers.contains(&t.baas_nama_ibu.to_owned()),
        "{headers:?}"
    );
    let niks: Vec<String> = baas_child_private::table
        .select(baas_child_private::nik)
        .load(&mut conn)
        .unwrap();
    let texts = every_text(&mut workbook);
    for nik in &niks {
        assert!(
            !texts.iter().any(|text| text.contains(nik.as_str())),
            "{nik} leaked"
        );
        // the demo's mothers' names stay out too
    }
    assert!(!texts.iter().any(|text| text == "Rahmawati"));
    assert!(texts.iter().any(|text| text.contains("••••••••")));
    let cover = workbook.worksheet_range("BAAS 2024").unwrap();
    assert_eq!(
        cover.get((1, 0)),
        Some(&Data::String(t.baas_ekspor_masked.into()))
    );
    let logged: i64 = activity_log::table
        .filter(activity_log::action.eq("lihat_data_pribadi"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(logged, 0, "a masked export reads no personal data");
}

#[test]
fn an_unmasked_workbook_holds_the_personal_data_says_so_and_logs_every_child() {
    let db = demo_with_baas();
    let mut conn = db.connect();
    let t = phrases::for_code("en");
    let (bytes, _) = workbook_with_totals(
        &mut conn,
        &Actor::cli().in_district(KABKOTA),
        &Scope::district(KABKOTA),
        Role::Baas,
        &request(true),
        t,
    )
    .unwrap();
    let mut workbook = open(bytes);
    let texts = every_text(&mut workbook);
    let niks: Vec<String> = baas_child_private::table
        .select(baas_child_private::nik)
        .load(&mut conn)
        .unwrap();
    assert!(
        niks.iter().all(|nik| texts.contains(nik)),
        "the whole NIKs are there"
    );
    assert!(
        texts.iter().any(|text| text == "Rahmawati"),
        "and the parents' names"
    );
    assert!(
        texts.iter().any(|text| text.starts_with("UNMASKED")),
        "said plainly on the cover"
    );
    let logged: i64 = activity_log::table
        .filter(activity_log::action.eq("lihat_data_pribadi"))
        .filter(activity_log::entity.eq("baas_child"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(logged, 30, "one entry per child whose data was read");

    // only the desk's role may have it, unmasked or not
    for role in [Role::Admin, Role::Pimpinan, Role::Sponsor] {
        let refused = workbook_with_totals(
            &mut conn,
            &Actor::cli().in_district(KABKOTA),
            &Scope::district(KABKOTA),
            role,
            &request(true),
            t,
        );
        assert!(matches!(refused, Err(ServiceError::NotFound)), "{role:?}");
    }
}

#[test]
fn the_desk_downloads_the_workbook_and_other_roles_are_refused_like_other_pages() {
    let app = TestApp::start_on(demo_with_baas());
    let mut desk = app.login_as("baas@berau.demo");
    let masked = desk.get("/baas/ekspor?tahun=2024");
    assert_eq!(masked.status, 200);
    assert!(
        masked
            .header("content-disposition")
            .unwrap()
            .contains("baas-2024.xlsx")
    );
    let mut workbook = open(masked.body);
    let texts = every_text(&mut workbook);
    assert!(
        texts.iter().any(|text| text.contains("baas@berau.demo")),
        "who made it"
    );
    let unmasked = desk.get("/baas/ekspor?tahun=2024&tanpa_sensor=1");
    assert_eq!(unmasked.status, 200);
    assert!(
        unmasked
            .header("content-disposition")
            .unwrap()
            .contains("TIDAK-TERSAMAR")
    );
    let mut conn = app.db.connect();
    let desk_id: i32 = users::table
        .filter(users::email.eq("baas@berau.demo"))
        .select(users::id)
        .first(&mut conn)
        .unwrap();
    let logged: i64 = activity_log::table
        .filter(activity_log::action.eq("lihat_data_pribadi"))
        .filter(activity_log::user_id.eq(desk_id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(logged, 30);
    for email in [
        "admin@berau.demo",
        "bupati@berau.demo",
        "dinkes@berau.demo",
        "sponsor1@berau.demo",
    ] {
        let mut other = app.login_as(email);
        assert_eq!(other.get("/baas/ekspor?tahun=2024").status, 403, "{email}");
        assert_eq!(
            other.get("/baas/ekspor?tahun=2024&tanpa_sensor=1").status,
            403,
            "{email}"
        );
    }
    assert_eq!(
        app.client().get("/baas/ekspor").status,
        303,
        "to the login page"
    );
}

#[test]
fn the_cli_writes_the_same_workbook_masked_or_unmasked() {
    let db = demo_with_baas();
    let out = write_temp("baas.xlsx", b"");
    let path = out.to_str().unwrap();
    let masked = lokus(&db, &["export", "baas", "--year", "2024", "-o", path], &[]);
    assert_eq!(
        masked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&masked.stderr)
    );
    assert!(String::from_utf8_lossy(&masked.stdout).contains("masked"));
    let mut workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let texts: Vec<String> = every_text_file(&mut workbook);
    let nik: String = baas_child_private::table
        .select(baas_child_private::nik)
        .first(&mut db.connect())
        .unwrap();
    assert!(!texts.contains(&nik));
    let unmasked = lokus(
        &db,
        &["export", "baas", "--year", "2024", "--unmasked", "-o", path],
        &[],
    );
    assert_eq!(unmasked.status.code(), Some(0));
    let mut workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert!(every_text_file(&mut workbook).contains(&nik));
    let logged: i64 = activity_log::table
        .filter(activity_log::action.eq("lihat_data_pribadi"))
        .count()
        .get_result(&mut db.connect())
        .unwrap();
    assert_eq!(logged, 30);
}

fn every_text_file(workbook: &mut Xlsx<std::io::BufReader<std::fs::File>>) -> Vec<String> {
    let mut texts = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).unwrap();
        texts.extend(range.cells().map(|(_, _, cell)| cell.to_string()));
    }
    texts
}
