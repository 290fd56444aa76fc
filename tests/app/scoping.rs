//! Roles are enforced on the server: an `opd` user sees only their own OPD, other roles only
//! the pages PRODUCT.md gives them.

use crate::support::{Seed, TestApp};

/// The id of the OPD whose list row shows `name`, read from the admin's OPD list.
fn opd_id(app: &TestApp, name: &str) -> String {
    let page = app.login_as("admin@berau.demo").get("/opd").text();
    let row = page
        .find(name)
        .unwrap_or_else(|| panic!("{name} not listed"));
    let link_start = page[..row].rfind("/opd/").expect("row link") + "/opd/".len();
    page[link_start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[test]
fn an_opd_user_sees_only_their_own_unit() {
    let app = TestApp::start(Seed::Demo);
    let dinkes_id = opd_id(&app, "Dinas Kesehatan");
    let pupr_id = opd_id(&app, "Dinas Pekerjaan Umum");
    let mut dinkes = app.login_as("dinkes@berau.demo");

    let list = dinkes.get("/opd").text();
    assert!(list.contains("Dinas Kesehatan"));
    assert!(!list.contains("Dinas Sosial"));
    assert_eq!(dinkes.get(&format!("/opd/{dinkes_id}")).status, 200);
    assert_eq!(dinkes.get(&format!("/opd/{pupr_id}")).status, 404);
    assert_eq!(dinkes.get(&format!("/opd/{pupr_id}/ubah")).status, 403);
    assert_eq!(dinkes.get("/opd/999999").status, 404);
}

#[test]
fn admin_pages_are_closed_to_other_roles() {
    let app = TestApp::start(Seed::Demo);
    let pupr_id = opd_id(&app, "Dinas Pekerjaan Umum");
    let mut dinkes = app.login_as("dinkes@berau.demo");
    for path in [
        "/pengguna",
        "/pengguna/baru",
        "/aktivitas",
        "/opd/baru",
        "/intervensi/baru",
        "/tahun/baru",
        "/tahun/2024/ubah",
    ] {
        assert_eq!(dinkes.get(path).status, 403, "opd user on {path}");
    }
    let token = dinkes.get("/").csrf_token();
    let refused = dinkes.post_form(
        &format!("/opd/{pupr_id}/ubah"),
        &[
            ("csrf_token", &token),
            ("kode", "1.03.0.00.0.00.01.0000"),
            ("nama", "Diambil alih"),
        ],
    );
    assert_eq!(refused.status, 403);
    let sumber = dinkes.post_form(
        "/sumber-dana",
        &[("csrf_token", &token), ("kode", "X"), ("nama", "X")],
    );
    assert_eq!(sumber.status, 403);

    let mut bupati = app.login_as("bupati@berau.demo");
    assert_eq!(bupati.get("/aktivitas").status, 200);
    assert_eq!(bupati.get("/opd").status, 200);
    assert_eq!(bupati.get("/pengguna").status, 403);

    let mut sponsor = app.login_as("sponsor1@berau.demo");
    assert_eq!(sponsor.get("/").status, 200);
    for path in [
        "/opd",
        "/intervensi",
        "/tahun",
        "/wilayah",
        "/aktivitas",
        "/pengguna",
    ] {
        assert_eq!(sponsor.get(path).status, 403, "sponsor on {path}");
    }
    let mut baas = app.login_as("baas@berau.demo");
    assert_eq!(baas.get("/opd").status, 403);
}

#[test]
fn a_user_of_one_district_sees_nothing_of_another() {
    let app = TestApp::start(Seed::Demo);
    // a second district on the same deployment, with its own admin
    let mut conn = app.db.connect();
    let actor = lokus::services::activity_log::Actor::cli();
    lokus::services::setup::add_district(&mut conn, &actor, "64.01", false).unwrap();
    let input = lokus::services::setup::UserInput {
        email: "admin@paser.test".into(),
        role: "admin".into(),
        password: "rahasia-paser-1".into(),
        ..Default::default()
    };
    lokus::services::setup::create_user(&mut conn, &actor.in_district("64.01"), "64.01", &input)
        .unwrap();
    let berau_opd = opd_id(&app, "Dinas Kesehatan");

    let mut paser = app.client();
    assert_eq!(
        paser.login("admin@paser.test", "rahasia-paser-1").status,
        303
    );
    assert!(!paser.get("/opd").text().contains("Dinas Kesehatan"));
    assert_eq!(paser.get(&format!("/opd/{berau_opd}")).status, 404);
    assert_eq!(paser.get("/tahun/2024").status, 404);
    assert!(!paser.get("/pengguna").text().contains("berau.demo"));
    assert!(!paser.get("/aktivitas").text().contains("berau.demo"));
}

/// The menu's links, in order.
fn menu(page: &str) -> Vec<String> {
    let start = page.find("<nav class=\"menu\">").expect("a menu");
    let end = start + page[start..].find("</nav>").expect("menu end");
    page[start..end]
        .split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

#[test]
fn the_menu_shows_each_role_only_what_it_can_use() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    // an opd officer uploads and tags; the set-up pages are the admin's
    assert_eq!(
        menu(&dinkes.get("/").text()),
        [
            "/",
            "/ringkasan",
            "/anggaran",
            "/impor",
            "/impor?jenis=realisasi"
        ]
    );

    // leadership gets the read pages, and each of them opens
    let mut bupati = app.login_as("bupati@berau.demo");
    let pages = menu(&bupati.get("/").text());
    assert_eq!(
        pages,
        [
            "/",
            "/ringkasan",
            "/anggaran",
            "/impor",
            "/impor?jenis=realisasi",
            "/opd",
            "/intervensi",
            "/sumber-dana",
            "/sasaran",
            "/tahun",
            "/wilayah",
            "/aktivitas",
            "/baas"
        ]
    );
    for path in &pages {
        assert_eq!(bupati.get(path).status, 200, "pimpinan on {path}");
    }

    let mut admin = app.login_as("admin@berau.demo");
    let pages = menu(&admin.get("/").text());
    for path in [
        "/anggaran",
        "/impor",
        "/impor?jenis=realisasi",
        "/opd",
        "/pengguna",
        "/aktivitas",
    ] {
        assert!(
            pages.iter().any(|page| page == path),
            "admin menu: {pages:?}"
        );
    }
    let mut sponsor = app.login_as("sponsor1@berau.demo");
    // baas: a sponsor has its own children's page and nothing else
    assert_eq!(menu(&sponsor.get("/").text()), ["/", "/asuh"]);
    // the BAAS desk's import entry names what it imports, not the workplan
    let mut desk = app.login_as("baas@berau.demo");
    let home = desk.get("/").text();
    assert!(home.contains("Impor data BAAS"), "{home}");
    assert!(!home.contains("Impor rencana kerja"), "{home}");
}
