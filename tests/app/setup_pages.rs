//! The admin pages for the set-up data: each change is checked, audited, and bad input is
//! answered in Indonesian and changes nothing.

use crate::support::{Seed, TestApp};

#[test]
fn an_admin_adds_an_opd_and_bad_codes_are_explained_and_change_nothing() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");

    let bad = admin.submit(
        "/opd/baru",
        "/opd/baru",
        &[("kode", "Dinas 7"), ("nama", "Dinas Pertanian")],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.text().contains("Kode OPD &#34;Dinas 7&#34; tidak sah"),
        "{}",
        bad.text()
    );
    assert!(
        bad.text().contains("value=\"Dinas Pertanian\""),
        "the typed values are kept"
    );
    // a bidang code is not a unit: the code is checked the way the importer checks Kode SKPD
    let short = admin.submit(
        "/opd/baru",
        "/opd/baru",
        &[("kode", "1.02"), ("nama", "Dinas Pendek")],
    );
    assert_eq!(short.status, 422);
    assert!(
        short.text().contains("Kode OPD &#34;1.02&#34; tidak sah"),
        "{}",
        short.text()
    );
    assert!(!admin.get("/opd").text().contains("Dinas Pendek"));
    let duplicate = admin.submit(
        "/opd/baru",
        "/opd/baru",
        &[("kode", "1.02.0.00.0.00.01.0000"), ("nama", "Dinkes Lagi")],
    );
    assert_eq!(duplicate.status, 422);
    assert!(duplicate.text().contains("sudah dipakai"));
    assert!(!admin.get("/opd").text().contains("Dinkes Lagi"));

    let created = admin.submit(
        "/opd/baru",
        "/opd/baru",
        &[
            ("kode", "3.27.0.00.0.00.01.0000"),
            ("nama", "Dinas Pertanian"),
            ("singkatan", "Distan"),
        ],
    );
    assert_eq!(created.status, 303);
    let show = admin.get(created.location().expect("redirect to the new OPD"));
    assert!(show.text().contains("Dinas Pertanian"));

    let audit = admin.get("/aktivitas").text();
    assert!(audit.contains("opd"));
    assert!(audit.contains("Dinas Pertanian"));
    assert!(audit.contains("WITA"), "Berau's times are shown in WITA");
    // a sentence, not JSON: who, what, the record by its own code and name; the JSON folded away
    assert!(
        audit.contains(
            "Sekretariat TPPS Berau (admin@berau.demo)</td><td data-label=\"Aksi\">dibuat</td>"
        ),
        "{audit}"
    );
    assert!(
        audit.contains(">OPD 3.27.0.00.0.00.01.0000 Dinas Pertanian</a>"),
        "{audit}"
    );
    assert!(audit.contains("<details><summary>Data tersimpan (JSON)</summary><pre>"));
}

#[test]
fn lokus_desa_are_designated_by_name_or_code_and_unknown_ones_are_refused() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let year = admin.get("/tahun/2024").text();
    assert!(year.contains("Tanjung Redeb"));
    assert!(year.contains("25,1%"));
    assert!(!year.contains("Karang Ambun"));

    let unknown = admin.submit(
        "/tahun/2024",
        "/tahun/2024/lokus",
        &[("desa", "Karang Ambun, Desa Khayalan")],
    );
    assert_eq!(unknown.status, 422);
    assert!(unknown.text().contains("Desa Khayalan"));
    assert!(
        !admin.get("/tahun/2024").text().contains("Karang Ambun"),
        "all or nothing"
    );

    let outside = admin.submit(
        "/tahun/2024",
        "/tahun/2024/lokus",
        &[("desa", "64.01.01.2001")],
    );
    assert_eq!(
        outside.status, 422,
        "a desa of another kabupaten is refused"
    );

    let added = admin.submit(
        "/tahun/2024",
        "/tahun/2024/lokus",
        &[("desa", "Karang Ambun; 64.03.05.1008")],
    );
    assert_eq!(added.status, 303);
    let year = admin.get("/tahun/2024").text();
    assert!(year.contains("Karang Ambun"));
    assert!(year.contains("Gunung Panjang"));

    let lokus_xlsx = admin.get("/tahun/2024?format=xlsx");
    assert_eq!(lokus_xlsx.status, 200);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(lokus_xlsx.body)).unwrap();
    let sheet = calamine::Reader::worksheet_range_at(&mut workbook, 0)
        .unwrap()
        .unwrap();
    assert_eq!(
        sheet.height(),
        1 + 18,
        "header + 16 demo lokus + the two added"
    );
    let removed = admin.submit("/tahun/2024", "/tahun/2024/lokus/64.03.05.1007/hapus", &[]);
    assert_eq!(removed.status, 303);
    assert!(!admin.get("/tahun/2024").text().contains("Karang Ambun"));

    // a locked year refuses changes to its lokus
    let lock = admin.submit(
        "/tahun/2024/ubah",
        "/tahun/2024/ubah",
        &[
            ("prevalensi_baseline", "25,1"),
            ("prevalensi_target", "14"),
            ("sumber_baseline", "SSGI 2022"),
            ("terkunci", "on"),
        ],
    );
    assert_eq!(lock.status, 303);
    let token = admin.get("/tahun/2024").csrf_token();
    let refused = admin.post_form(
        "/tahun/2024/lokus",
        &[("csrf_token", &token), ("desa", "Karang Ambun")],
    );
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("dikunci"));
}

#[test]
fn fiscal_years_validate_their_percentages() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let bad = admin.submit(
        "/tahun/baru",
        "/tahun/baru",
        &[
            ("tahun", "2025"),
            ("prevalensi_baseline", "seratus"),
            ("prevalensi_target", "12"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Prevalensi awal harus angka persen"));
    assert_eq!(
        admin
            .submit("/tahun/baru", "/tahun/baru", &[("tahun", "dua ribu")])
            .status,
        422
    );
    let created = admin.submit(
        "/tahun/baru",
        "/tahun/baru",
        &[
            ("tahun", "2025"),
            ("prevalensi_baseline", "21,5%"),
            ("prevalensi_target", "12,25"),
        ],
    );
    assert_eq!(created.status, 303);
    let list = admin.get("/tahun").text();
    assert!(list.contains("21,5%"));
    assert!(list.contains("12,25%"));
    assert_eq!(
        admin
            .submit("/tahun/baru", "/tahun/baru", &[("tahun", "2025")])
            .status,
        422,
        "a year exists once"
    );
}

#[test]
fn district_interventions_and_catalogue_entries_can_be_added_but_the_national_seed_stays() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let created = admin.submit(
        "/intervensi/baru",
        "/intervensi/baru",
        &[
            ("kode", "BRU1"),
            ("nama", "Gerakan makan ikan"),
            ("jenis", "sensitif"),
            ("sasaran", "Keluarga berisiko stunting"),
            ("indikator", "Jumlah keluarga"),
        ],
    );
    assert_eq!(created.status, 303);
    let list = admin.get("/intervensi").text();
    assert!(list.contains("Gerakan makan ikan"));
    let duplicate = admin.submit(
        "/intervensi/baru",
        "/intervensi/baru",
        &[
            ("kode", "SP1"),
            ("nama", "x"),
            ("jenis", "spesifik"),
            ("sasaran", "x"),
            ("indikator", "x"),
        ],
    );
    assert_eq!(duplicate.status, 422);

    // the seeded SP1 has no edit link and its edit page is refused
    let sp1_row = list.find(">SP1<").expect("SP1 listed");
    assert!(!list[sp1_row.saturating_sub(60)..sp1_row].contains("/ubah"));

    let bad = admin.submit(
        "/sumber-dana",
        "/sumber-dana",
        &[("kode", "ada spasi"), ("nama", "Hibah")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Kode: huruf, angka"));
    assert_eq!(
        admin
            .submit(
                "/sumber-dana",
                "/sumber-dana",
                &[("kode", "HIBAH"), ("nama", "Hibah daerah")]
            )
            .status,
        303
    );
    assert!(admin.get("/sumber-dana").text().contains("Hibah daerah"));
    assert_eq!(
        admin
            .submit(
                "/sasaran",
                "/sasaran",
                &[("kode", "LANSIA"), ("nama", "Lansia")]
            )
            .status,
        303
    );
    assert!(admin.get("/sasaran").text().contains("Lansia"));
}

#[test]
fn lists_download_as_workbooks_with_the_same_rows() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let download = admin.get("/intervensi?format=xlsx");
    assert_eq!(download.status, 200);
    assert!(
        download
            .header("content-disposition")
            .unwrap_or_default()
            .contains("intervensi.xlsx")
    );
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(download.body)).expect("a valid xlsx");
    let sheet = calamine::Reader::worksheet_range_at(&mut workbook, 0)
        .expect("one sheet")
        .expect("readable");
    assert_eq!(sheet.height(), 21, "header + SP1..SP9 + SE1..SE11");
    assert_eq!(
        sheet.get((1, 0)).map(ToString::to_string).as_deref(),
        Some("SP1")
    );
}

#[test]
fn an_admin_creates_users_and_wrong_input_is_explained() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let no_opd = admin.submit(
        "/pengguna/baru",
        "/pengguna/baru",
        &[
            ("email", "pupr@berau.demo"),
            ("role", "opd"),
            ("opd", ""),
            ("password", "sandi-panjang-1"),
        ],
    );
    assert_eq!(no_opd.status, 422);
    assert!(no_opd.text().contains("harus terikat pada satu OPD"));
    let short = admin.submit(
        "/pengguna/baru",
        "/pengguna/baru",
        &[
            ("email", "pupr@berau.demo"),
            ("role", "opd"),
            ("opd", "1.03.0.00.0.00.01.0000"),
            ("password", "pendek"),
        ],
    );
    assert_eq!(short.status, 422);
    let taken = admin.submit(
        "/pengguna/baru",
        "/pengguna/baru",
        &[
            ("email", "Dinkes@Berau.demo"),
            ("role", "pimpinan"),
            ("password", "sandi-panjang-1"),
        ],
    );
    assert_eq!(
        taken.status, 422,
        "e-mail addresses are unique whatever their case"
    );
    let created = admin.submit(
        "/pengguna/baru",
        "/pengguna/baru",
        &[
            ("email", "pupr@berau.demo"),
            ("nama", "Bendahara PUPR"),
            ("role", "opd"),
            ("opd", "1.03.0.00.0.00.01.0000"),
            ("password", "sandi-panjang-1"),
        ],
    );
    assert_eq!(created.status, 303);
    let mut pupr = app.client();
    assert_eq!(pupr.login("pupr@berau.demo", "sandi-panjang-1").status, 303);
    let list = pupr.get("/opd").text();
    assert!(list.contains("Pekerjaan Umum"));
    assert!(!list.contains("Dinas Kesehatan"));
}

#[test]
fn the_wilayah_browser_walks_down_from_the_district() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let district = admin.get("/wilayah").text();
    assert!(district.contains("Kabupaten Berau"));
    assert!(district.contains("Tanjung Redeb"));
    let kecamatan = admin.get("/wilayah?induk=64.03.05").text();
    assert!(kecamatan.contains("64.03.05.1004"));
    assert_eq!(admin.get("/wilayah?induk=bukan-kode").status, 400);
    assert_eq!(admin.get("/wilayah?induk=99.99").status, 404);
}

#[test]
fn an_admin_keeps_the_district_areas_and_catalogue_names_up_to_date() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let page = "/wilayah?induk=64.03.05";
    let outside = admin.submit(
        page,
        "/wilayah/baru",
        &[("kode", "64.01.01.2999"), ("nama", "Desa Tetangga")],
    );
    assert_eq!(outside.status, 422);
    assert!(outside.text().contains("bukan wilayah kabupaten/kota ini"));
    let taken = admin.submit(
        page,
        "/wilayah/baru",
        &[("kode", "64.03.05.1004"), ("nama", "Dobel")],
    );
    assert_eq!(taken.status, 422);
    assert!(taken.text().contains("sudah dipakai Tanjung Redeb"));
    let orphan = admin.submit(
        page,
        "/wilayah/baru",
        &[("kode", "64.03.99.2001"), ("nama", "Tanpa kecamatan")],
    );
    assert_eq!(orphan.status, 422);
    let added = admin.submit(
        page,
        "/wilayah/baru",
        &[("kode", "64.03.05.1099"), ("nama", "Kelurahan Pemekaran")],
    );
    assert_eq!(added.status, 303);
    assert!(admin.get(page).text().contains("Kelurahan Pemekaran"));
    let renamed = admin.submit(
        "/wilayah/64.03.05.1099/ubah",
        "/wilayah/64.03.05.1099/ubah",
        &[("nama", "Kelurahan Pemekaran Baru")],
    );
    assert_eq!(renamed.status, 303);
    assert!(admin.get(page).text().contains("Kelurahan Pemekaran Baru"));
    // the new desa can be designated lokus at once
    assert_eq!(
        admin
            .submit(
                "/tahun/2024",
                "/tahun/2024/lokus",
                &[("desa", "64.03.05.1099")]
            )
            .status,
        303
    );
    // other districts' areas and other roles are out of reach
    assert_eq!(admin.get("/wilayah/64.01.01.2001/ubah").status, 404);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    assert_eq!(dinkes.get("/wilayah/64.03.05.1004/ubah").status, 403);

    assert_eq!(
        admin
            .submit(
                "/sumber-dana",
                "/sumber-dana",
                &[("kode", "HIBAH"), ("nama", "Hibah")]
            )
            .status,
        303
    );
    let list = admin.get("/sumber-dana").text();
    let link_end = list
        .find("\">HIBAH<")
        .expect("HIBAH links to its edit page");
    let link_start = list[..link_end].rfind("/sumber-dana/").unwrap();
    let edit = list[link_start..link_end].to_owned();
    assert_eq!(
        admin
            .submit(&edit, &edit, &[("nama", "Hibah daerah")])
            .status,
        303
    );
    assert!(admin.get("/sumber-dana").text().contains("Hibah daerah"));
    // the national seed (id 1 is PAD) is not editable
    assert_eq!(admin.get("/sumber-dana/1/ubah").status, 404);
}

#[test]
fn a_district_switches_off_a_national_intervention_for_itself_only() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let list = admin.get("/intervensi").text();
    let sp6_row = list.find(">SP6<").expect("SP6 listed");
    let action_start = sp6_row
        + list[sp6_row..]
            .find("/intervensi/")
            .expect("a switch on the SP6 row");
    let action: String = list[action_start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert!(action.ends_with("/aktif?nilai=0"), "{action}");
    let token = admin.get("/intervensi").csrf_token();
    assert_eq!(
        admin.post_form(&action, &[("csrf_token", &token)]).status,
        303
    );

    let mut conn = app.db.connect();
    let berau = lokus::db::catalogue::list_intervensi(&mut conn, "64.03").unwrap();
    assert!(!berau.iter().find(|row| row.kode == "SP6").unwrap().aktif);
    assert!(
        berau
            .iter()
            .filter(|row| row.kode != "SP6")
            .all(|row| row.aktif)
    );
    let paser = lokus::db::catalogue::list_intervensi(&mut conn, "64.01").unwrap();
    assert!(paser.iter().all(|row| row.aktif), "other districts keep it");

    // a workplan naming it is told so
    let rows = vec![
        crate::support::workbook::header(),
        crate::support::workbook::line(
            "1.02.02.2.02.0016",
            "5.1.02.01.01.0052",
            "Tata laksana gizi buruk",
            1.0,
            1_000_000.0,
            1_000_000.0,
            "DAU",
            "SP6",
            "",
        ),
    ];
    let dinkes_id = lokus::db::opd::find_by_kode(&mut conn, "64.03", "1.02.0.00.0.00.01.0000")
        .unwrap()
        .unwrap()
        .id;
    let report = lokus::services::import::analyse(
        &mut conn,
        &lokus::services::import::ImportRequest {
            kind: lokus::services::import::ImportKind::Workplan,
            kode_kabkota: "64.03".into(),
            tahun: 2024,
            tahapan: lokus::services::import::Tahapan::Murni,
            opd_id: Some(dinkes_id),
            sheet: None,
            create_opds: false,
            file_name: "sp6.xlsx".into(),
            max_rows: 1_000,
            rules: Default::default(),
        },
        &crate::support::workbook::xlsx(&rows),
    )
    .unwrap()
    .report;
    assert!(
        report.errors[0]
            .message
            .render_default()
            .contains("SP6 dinonaktifkan"),
        "{:?}",
        report.errors
    );

    // and it can be switched on again
    let token = admin.get("/intervensi").csrf_token();
    assert_eq!(
        admin
            .post_form(
                &action.replace("nilai=0", "nilai=1"),
                &[("csrf_token", &token)]
            )
            .status,
        303
    );
    assert!(
        lokus::db::catalogue::list_intervensi(&mut conn, "64.03")
            .unwrap()
            .iter()
            .all(|row| row.aktif)
    );
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let token = dinkes.get("/").csrf_token();
    assert_eq!(
        dinkes.post_form(&action, &[("csrf_token", &token)]).status,
        403
    );
}
