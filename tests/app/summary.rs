//! The Bupati's summary: the pre-aggregates staying equal to the lines to the rupiah on every path
//! (a workplan re-import, a realisation replacement, a manual tag), the page's breakdowns against
//! hand-computed totals, filters and drill-down, role scoping, and the workbook read back.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::support::cli::{lokus, write_temp};
use crate::support::workbook::{header, line, xlsx};
use crate::support::{Seed, TestApp, TestDb};

const DINKES: &str = "1.02.0.00.0.00.01.0000";
const SUB: &str = "1.02.02.2.02.0016";

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .expect(sql)
        .n
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    row: String,
}

/// Rows of `a` not in `b` and of `b` not in `a`, as text (empty when the two agree).
fn differences(conn: &mut PgConnection, a: &str, b: &str) -> Vec<String> {
    diesel::sql_query(format!(
        "SELECT x::text AS row FROM (({a}) EXCEPT ({b})) x
         UNION ALL SELECT '+ ' || y::text FROM (({b}) EXCEPT ({a})) y"
    ))
    .load::<Row>(conn)
    .expect("compare")
    .into_iter()
    .map(|row| row.row)
    .collect()
}

const DIMS: &str = "kode_kabkota, tahun, tahapan, opd_id, coalesce(intervensi_id, 0) AS intervensi_id, \
                    coalesce(jenis, '') AS jenis, coalesce(sumber_dana, '') AS sumber_dana";

/// Every pre-aggregate equals what the lines say, computed here without them: pagu and realisasi at
/// the grain, the desa shares adding up to their lines, and the whole equal to a rebuild.
fn assert_exact(conn: &mut PgConnection, when: &str) {
    let pagu = differences(
        conn,
        "SELECT kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, pagu, lines FROM summary_pagu",
        &format!(
            "SELECT {DIMS}, sum(pagu), count(*) FROM budget_line WHERE removed_in_batch IS NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7"
        ),
    );
    assert!(pagu.is_empty(), "{when}: pagu differs: {pagu:#?}");
    let months = differences(
        conn,
        "SELECT kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, bulan, keuangan, entries FROM summary_realisasi",
            "SELECT b.kode_kabkota, b.tahun, b.tahapan, b.opd_id, coalesce(b.intervensi_id, 0), coalesce(b.jenis, ''),
                    coalesce(b.sumber_dana, ''), r.bulan, sum(r.keuangan), count(*)
               FROM budget_line b JOIN realisasi r ON r.line_id = b.id WHERE b.removed_in_batch IS NULL
              GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
    );
    assert!(months.is_empty(), "{when}: realisasi differs: {months:#?}");
    // a line serving several desa is split between them, to the sen: the shares add up to the lines
    let desa = differences(
        conn,
        "SELECT kode_kabkota, tahun, opd_id, sum(pagu) FROM summary_desa_pagu GROUP BY 1, 2, 3",
        "SELECT kode_kabkota, tahun, opd_id, sum(pagu) FROM budget_line b WHERE removed_in_batch IS NULL
            AND EXISTS (SELECT 1 FROM budget_line_desa d WHERE d.line_id = b.id) GROUP BY 1, 2, 3",
    );
    assert!(desa.is_empty(), "{when}: desa shares differ: {desa:#?}");
    let desa_months = differences(
        conn,
        "SELECT kode_kabkota, tahun, bulan, sum(keuangan) FROM summary_desa_realisasi GROUP BY 1, 2, 3",
        "SELECT b.kode_kabkota, b.tahun, r.bulan, sum(r.keuangan) FROM budget_line b JOIN realisasi r ON r.line_id = b.id
          WHERE b.removed_in_batch IS NULL AND EXISTS (SELECT 1 FROM budget_line_desa d WHERE d.line_id = b.id)
          GROUP BY 1, 2, 3",
    );
    assert!(
        desa_months.is_empty(),
        "{when}: desa realisasi differs: {desa_months:#?}"
    );
    // one row per current line, its months as the realisation rows say
    let line_months = differences(
        conn,
        "SELECT s.kode_kabkota, s.line_id, m, s.keuangan[m], s.fisik[m], s.pagu, s.opd_id
           FROM summary_line s, generate_series(1, 12) m",
        "SELECT b.kode_kabkota, b.id, m, coalesce(r.keuangan, 0), r.fisik, b.pagu, b.opd_id
           FROM budget_line b CROSS JOIN generate_series(1, 12) m
           LEFT JOIN realisasi r ON r.line_id = b.id AND r.bulan = m
          WHERE b.removed_in_batch IS NULL",
    );
    assert!(
        line_months.is_empty(),
        "{when}: summary_line differs: {line_months:#?}"
    );
    // and every table, desa shares and fisik weights included, is what a rebuild from scratch gives
    conn.batch_execute(
        "CREATE TEMP TABLE kept_line AS SELECT * FROM summary_line;
         CREATE TEMP TABLE kept_pagu AS SELECT * FROM summary_pagu;
         CREATE TEMP TABLE kept_realisasi AS SELECT * FROM summary_realisasi;
         CREATE TEMP TABLE kept_desa_pagu AS SELECT * FROM summary_desa_pagu;
         CREATE TEMP TABLE kept_desa_realisasi AS SELECT * FROM summary_desa_realisasi;
         SELECT lokus_summary_rebuild();",
    )
    .unwrap();
    for table in [
        "summary_line",
        "summary_pagu",
        "summary_realisasi",
        "summary_desa_pagu",
        "summary_desa_realisasi",
    ] {
        let kept = table.replace("summary_", "kept_");
        let found = differences(
            conn,
            &format!("SELECT * FROM {kept}"),
            &format!("SELECT * FROM {table}"),
        );
        assert!(
            found.is_empty(),
            "{when}: {table} differs from a rebuild: {found:#?}"
        );
        conn.batch_execute(&format!("DROP TABLE {kept}")).unwrap();
    }
}

fn workplan(pagu_pmt: f64, desa_pmt: &'static str) -> Vec<u8> {
    xlsx(&[
        header(),
        line(
            SUB,
            "5.1.02.01.01.0052",
            "PMT lokal balita gizi kurang",
            100.0,
            150_000.0,
            pagu_pmt,
            "DAK_NF_BOK",
            "SP8",
            desa_pmt,
        ),
        line(
            SUB,
            "5.1.02.01.01.0024",
            "Tablet tambah darah remaja putri",
            2_000.0,
            1_250.0,
            2_500_000.0,
            "DAU",
            "",
            "",
        ),
    ])
}

fn import_dinkes(db: &TestDb, bytes: &[u8], stage: &str) {
    let path = write_temp("rencana.xlsx", bytes);
    let output = lokus(
        db,
        &[
            "import",
            "workplan",
            path.to_str().unwrap(),
            "--opd",
            DINKES,
            "--year",
            "2024",
            "--stage",
            stage,
            // the demo's lines hold realisation: a revision removing some must say it may
            "--confirm-removed-realisation",
            "--json",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_pre_aggregates_equal_the_lines_after_a_reimport_a_realisation_replacement_and_a_tag() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    lokus::services::demo::load_workplans(&mut conn).expect("the demo workplans");
    assert!(
        count(&mut conn, "SELECT count(*) AS n FROM summary_realisasi") > 0,
        "the demo's realisation is summed"
    );
    assert_exact(&mut conn, "the demo district");

    // a workplan re-import: Dinkes's lines replaced (removed, changed, added) by COPY and bulk UPDATE,
    // a line split over three desa with a pagu that does not divide into sen evenly
    import_dinkes(
        &app.db,
        &workplan(15_000_000.01, "64.03.05.1004, 64.03.05.1005, 64.03.05.1006"),
        "perubahan",
    );
    assert_exact(&mut conn, "after a re-import");
    import_dinkes(
        &app.db,
        &workplan(18_000_000.0, "64.03.05.1005"),
        "perubahan",
    );
    assert_exact(&mut conn, "after a second re-import changing pagu and desa");

    // a realisation replacement: months written again and cleared through the service
    let pmt: i64 = count(
        &mut conn,
        "SELECT id AS n FROM budget_line WHERE uraian LIKE 'PMT%' AND removed_in_batch IS NULL",
    );
    use lokus::services::record_realisation::{LineMonths, MonthInput, Rules, Via, record};
    let actor = lokus::services::activity_log::Actor {
        user_id: None,
        label: "test".into(),
        kode_kabkota: Some("64.03".into()),
    };
    let scope = lokus::domain::Scope {
        kode_kabkota: "64.03".into(),
        opd_id: None,
        sponsor_user_id: None,
    };
    let month = |bulan: i16, keuangan: &str| MonthInput {
        bulan,
        keuangan: Some(keuangan.parse().unwrap()),
        fisik: Some("3".parse().unwrap()),
    };
    let input = vec![LineMonths {
        line_id: pmt,
        months: vec![
            month(1, "1000000.01"),
            month(2, "2000000"),
            month(3, "0.03"),
        ],
    }];
    record(
        &mut conn,
        &actor,
        &scope,
        &input,
        Via::Form,
        Rules::default(),
    )
    .unwrap();
    assert_exact(&mut conn, "after realisation is entered");
    let replaced = vec![LineMonths {
        line_id: pmt,
        months: vec![
            month(1, "500000"),
            MonthInput {
                bulan: 2,
                keuangan: None,
                fisik: None,
            },
        ],
    }];
    record(
        &mut conn,
        &actor,
        &scope,
        &replaced,
        Via::Form,
        Rules::default(),
    )
    .unwrap();
    assert_exact(
        &mut conn,
        "after realisation is replaced and a month cleared",
    );

    // a manual edit on the budget-line page: an intervention and a desa put on a line by hand
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let ttd: i64 = count(
        &mut conn,
        "SELECT id AS n FROM budget_line WHERE uraian LIKE 'Tablet%' AND removed_in_batch IS NULL",
    );
    let token = dinkes.get("/anggaran").csrf_token();
    let tagged = dinkes.post_form(
        "/anggaran/tandai",
        &[
            ("csrf_token", &token),
            ("line", &ttd.to_string()),
            ("line", &pmt.to_string()),
            ("intervensi", "SP3"),
            ("desa", "64.03.05.1004"),
        ],
    );
    assert_eq!(tagged.status, 303, "{}", tagged.text());
    assert_exact(&mut conn, "after a manual tag");
    assert!(
        count(
            &mut conn,
            &format!("SELECT count(*) AS n FROM budget_line_desa WHERE line_id = {pmt}")
        ) == 2,
        "the PMT line now serves two desa"
    );
    // and plain SQL is kept too: a month corrected in place, a line removed, a link deleted
    conn.batch_execute(&format!(
        "UPDATE realisasi SET keuangan = keuangan + 1.5, fisik = 3 WHERE line_id = {pmt};
         UPDATE budget_line SET removed_in_batch = batch_id WHERE id = {ttd};
         DELETE FROM budget_line_desa WHERE line_id = {pmt} AND kode_desa = '64.03.05.1005';"
    ))
    .unwrap();
    assert_exact(&mut conn, "after plain SQL");
}

const PUPR: &str = "1.03.0.00.0.00.01.0000";

/// A small district year to compute by hand. Lines (2024, murni):
/// - 9101 Dinkes, SP8 (spesifik), DAU, pagu 10,000,000, target 100, serves desa 1004 and 1005;
///   realisation Jan 1,000,000 (fisik 10), Apr 2,000,000 (fisik 20)
/// - 9102 Dinkes, untagged, DAK, pagu 5,000,000.01, no desa; Feb 500,000
/// - 9103 PUPR, SE4 (sensitif), DAU, pagu 8,000,000, serves desa 1004; Jul 9,000,000 (over its pagu)
/// - 9104 PUPR, removed by a revision, pagu 99,999: never counted
/// - 9105 in Paser (64.01), pagu 7,000,000: another district's
///
/// Totals: pagu 23,000,000.01, realisasi 12,500,000 (to triwulan I: 1,500,000).
const FIXTURE: &str = "
    INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, actor, file_name, sha256, file, status, report)
    SELECT 9101, '64.03', 2024, 'murni', NULL, 't', 'f', repeat('a', 64), '', 'committed', '{}';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian,
                             pagu, sumber_dana, intervensi_id, jenis, tag_source, target_output, satuan_output)
    SELECT 9101, '64.03', o.id, 2024, 'murni', 9101, 2, '1.02.02.2.02.0016', 'PMT balita gizi kurang', 10000000, 'DAU',
           i.id, 'spesifik', 'impor', 100, 'Paket'
      FROM opd o, intervensi i WHERE o.kode = '1.02.0.00.0.00.01.0000' AND o.kode_kabkota = '64.03' AND i.kode = 'SP8' AND i.kode_kabkota IS NULL;
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian, pagu, sumber_dana)
    SELECT 9102, '64.03', id, 2024, 'murni', 9101, 3, '1.02.02.2.02.0016', 'Rapat koordinasi', 5000000.01, 'DAK'
      FROM opd WHERE kode = '1.02.0.00.0.00.01.0000' AND kode_kabkota = '64.03';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian,
                             pagu, sumber_dana, intervensi_id, jenis, tag_source)
    SELECT 9103, '64.03', o.id, 2024, 'murni', 9101, 4, '1.03.03.2.01.0004', 'Jamban sehat', 8000000, 'DAU', i.id, 'sensitif', 'impor'
      FROM opd o, intervensi i WHERE o.kode = '1.03.0.00.0.00.01.0000' AND o.kode_kabkota = '64.03' AND i.kode = 'SE4' AND i.kode_kabkota IS NULL;
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, removed_in_batch, source_row, sub_kegiatan_kode, uraian, pagu)
    SELECT 9104, '64.03', id, 2024, 'murni', 9101, 9101, 5, '1.03.03.2.01.0004', 'Baris lama', 99999
      FROM opd WHERE kode = '1.03.0.00.0.00.01.0000' AND kode_kabkota = '64.03';
    INSERT INTO budget_line_desa (line_id, kode_desa, tag_source, kode_kabkota) VALUES
        (9101, '64.03.05.1004', 'impor', '64.03'), (9101, '64.03.05.1005', 'impor', '64.03'), (9103, '64.03.05.1004', 'impor', '64.03');
    INSERT INTO realisasi (kode_kabkota, line_id, bulan, keuangan, fisik, actor, via) VALUES
        ('64.03', 9101, 1, 1000000, 10, 't', 'form'), ('64.03', 9101, 4, 2000000, 20, 't', 'form'),
        ('64.03', 9102, 2, 500000, NULL, 't', 'form'), ('64.03', 9103, 7, 9000000, NULL, 't', 'form'),
        ('64.03', 9104, 1, 99999, NULL, 't', 'form');
    INSERT INTO districts (kode_kabkota) VALUES ('64.01');
    INSERT INTO tahun_anggaran (kode_kabkota, tahun) VALUES ('64.01', 2024);
    INSERT INTO opd (id, kode_kabkota, kode, nama) VALUES (9102, '64.01', '9.01', 'Unit Paser');
    INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, actor, file_name, sha256, file, status, report)
    VALUES (9102, '64.01', 2024, 'murni', 9102, 't', 'f', repeat('a', 64), '', 'committed', '{}');
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian, pagu)
    VALUES (9105, '64.01', 9102, 2024, 'murni', 9102, 2, '1.02.02.2.02.0016', 'Milik Paser', 7000000);
    INSERT INTO realisasi (kode_kabkota, line_id, bulan, keuangan, actor, via) VALUES ('64.01', 9105, 1, 7000000, 't', 'form');
";

fn small_district() -> TestApp {
    small_district_with(|_| {})
}

fn small_district_with(adjust: impl FnOnce(&mut lokus::config::Settings)) -> TestApp {
    let app = TestApp::start_with(TestDb::new(Seed::Demo), adjust);
    app.db
        .connect()
        .batch_execute(FIXTURE)
        .expect("the fixture");
    app
}

fn money(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap()
}

#[test]
fn every_breakdown_matches_the_hand_computed_totals() {
    use lokus::db::summary::{Dim, SummaryFilter, grouped, total};
    let app = small_district();
    let mut conn = app.db.connect();
    let berau = lokus::domain::Scope {
        kode_kabkota: "64.03".into(),
        opd_id: None,
        sponsor_user_id: None,
    };
    let year = SummaryFilter::year(2024);
    let all = total(&mut conn, &berau, &year).unwrap();
    assert_eq!(all.pagu, money("23000000.01"));
    assert_eq!(all.keuangan, money("12500000"));
    assert_eq!(all.lines, 3);
    // capaian fisik: only 9101 has a target, 30 of 100 done
    assert_eq!(all.capaian_fisik(), Some(money("30")));
    let tw1 = total(
        &mut conn,
        &berau,
        &SummaryFilter {
            sampai_bulan: 3,
            ..year.clone()
        },
    )
    .unwrap();
    assert_eq!(tw1.keuangan, money("1500000"));
    assert_eq!(tw1.pagu, money("23000000.01"), "pagu is the year's");

    let pairs = |dims: &[Dim]| -> Vec<(String, String, String)> {
        grouped(&mut app.db.connect(), &berau, &year, dims)
            .unwrap()
            .into_iter()
            .map(|g| {
                (
                    g.k1,
                    g.pagu.normalize().to_string(),
                    g.keuangan.normalize().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        pairs(&[Dim::Jenis]),
        vec![
            ("".into(), "5000000.01".into(), "500000".into()),
            ("sensitif".into(), "8000000".into(), "9000000".into()),
            ("spesifik".into(), "10000000".into(), "3000000".into()),
        ]
    );
    assert_eq!(
        pairs(&[Dim::SumberDana]),
        vec![
            ("DAK".into(), "5000000.01".into(), "500000".into()),
            ("DAU".into(), "18000000".into(), "12000000".into()),
        ]
    );
    // the line serving two desa is split between them; 1004 also has PUPR's line
    assert_eq!(
        pairs(&[Dim::Desa]),
        vec![
            ("64.03.05.1004".into(), "13000000".into(), "10500000".into()),
            ("64.03.05.1005".into(), "5000000".into(), "1500000".into()),
        ]
    );
    let months = pairs(&[Dim::Bulan]);
    assert_eq!(
        months,
        vec![
            ("1".into(), "0".into(), "1000000".into()),
            ("2".into(), "0".into(), "500000".into()),
            ("4".into(), "0".into(), "2000000".into()),
            ("7".into(), "0".into(), "9000000".into()),
        ]
    );
    let by_opd = pairs(&[Dim::Opd]);
    assert_eq!(by_opd.len(), 2);
    assert!(
        by_opd
            .iter()
            .any(|(_, pagu, spent)| pagu == "15000000.01" && spent == "3500000")
    );
    // a desa filter reads the shares
    let desa = total(
        &mut conn,
        &berau,
        &SummaryFilter {
            kode_desa: Some("64.03.05.1004".into()),
            ..year.clone()
        },
    )
    .unwrap();
    assert_eq!(
        (desa.pagu, desa.keuangan),
        (money("13000000"), money("10500000"))
    );
    // another district's lines are another district's
    let paser = lokus::domain::Scope {
        kode_kabkota: "64.01".into(),
        opd_id: None,
        sponsor_user_id: None,
    };
    assert_eq!(
        total(&mut conn, &paser, &year).unwrap().pagu,
        money("7000000")
    );
}

#[test]
fn the_page_shows_totals_filters_drill_downs_and_attention_points() {
    let app = small_district();
    let mut bupati = app.login_as("bupati@berau.demo");
    let page = bupati.get("/ringkasan?tahun=2024");
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    for expected in [
        "Rp 23.000.000,01",
        "Rp 12.500.000",
        "Rp 10.500.000,01",
        "Per OPD",
        "Per desa/kelurahan lokus",
        "data-chart=",
        "/static/ringkasan.js",
        // attention: the untagged line, the line over its pagu
        "Baris anggaran tanpa intervensi: 1 (Rp 5.000.000,01)",
        "Baris dengan realisasi keuangan atau fisik di atas 100%: 1",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    assert!(
        !html.contains("Milik Paser") && !html.contains("Unit Paser"),
        "no Paser"
    );
    // the OPD row drills down to PUPR's lines
    assert!(
        html.contains(&format!("/anggaran?tahun=2024&#38;opd={PUPR}")),
        "drill-down link"
    );
    // filters in the URL: a triwulan, an OPD
    let tw1 = bupati
        .get(&format!("/ringkasan?tahun=2024&triwulan=1&opd={DINKES}"))
        .text();
    assert!(tw1.contains("Rp 15.000.000,01"), "Dinkes pagu");
    assert!(tw1.contains("Rp 1.500.000"), "realisasi to TW I");
    assert!(
        !tw1.contains("Rp 12.500.000"),
        "not the whole year of every OPD"
    );
    // the drill-downs are the budget-line list, filtered
    let sensitif = bupati.get("/anggaran?tahun=2024&jenis=sensitif").text();
    assert!(sensitif.contains("Jamban sehat") && !sensitif.contains("PMT balita"));
    let over = bupati
        .get("/anggaran?tahun=2024&tampil=lebih&sampai=12")
        .text();
    assert!(over.contains("Jamban sehat") && !over.contains("Rapat koordinasi"));
    let behind = bupati
        .get("/anggaran?tahun=2024&tampil=terlambat&sampai=6")
        .text();
    // by June the plan is half the pagu: 9102 spent 10 % of it, 9101 60 % (30 % of pagu), 9103 nothing yet
    assert!(behind.contains("Rapat koordinasi") && behind.contains("Jamban sehat"));
    assert!(!behind.contains("PMT balita"));
    let sumber = bupati.get("/anggaran?tahun=2024&sumber=DAK").text();
    assert!(sumber.contains("Rapat koordinasi") && !sumber.contains("Jamban sehat"));
    // an unknown desa is said, not an empty page without a word
    let unknown = bupati.get("/ringkasan?tahun=2024&desa=Atlantis").text();
    assert!(
        unknown.contains("Atlantis"),
        "the desa is named in the message"
    );
    // hostile input answers a page, never a 500
    for path in [
        "/ringkasan?tahun=abc&triwulan=9&opd=%3Cx%3E&jenis=zz&intervensi=%27",
        "/ringkasan?tahun=1900",
        "/ringkasan?tabel=tidak-ada&format=xlsx",
    ] {
        let response = bupati.get(path);
        assert!(response.status < 500, "{path}: {}", response.status);
    }
}

#[test]
fn an_opd_officer_sees_only_its_own_opd_whatever_the_url_says() {
    let app = small_district();
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let html = dinkes
        .get(&format!("/ringkasan?tahun=2024&opd={PUPR}"))
        .text();
    assert!(html.contains("Rp 15.000.000,01"), "its own pagu");
    assert!(!html.contains("Rp 23.000.000,01"), "not the district's");
    assert!(!html.contains("Dinas Pekerjaan Umum"), "no other OPD row");
    let sheet = dinkes.get("/ringkasan?tahun=2024&tabel=opd&format=xlsx");
    assert_eq!(sheet.status, 200);
    let rows = read_sheet(&sheet.body);
    assert!(
        rows.iter()
            .all(|row| !row.join(" ").contains("Pekerjaan Umum")),
        "{rows:?}"
    );
    // roles without budget data get no summary
    let mut baas = app.login_as("baas@berau.demo");
    assert_eq!(baas.get("/ringkasan").status, 403);
}

#[test]
fn every_table_downloads_as_xlsx_with_the_pages_figures() {
    let app = small_district();
    let mut bupati = app.login_as("bupati@berau.demo");
    for table in [
        "opd",
        "intervensi",
        "jenis",
        "desa",
        "sumber",
        "bulan",
        "triwulan",
        "konvergensi",
    ] {
        let response = bupati.get(&format!("/ringkasan?tahun=2024&tabel={table}&format=xlsx"));
        assert_eq!(response.status, 200, "{table}");
        let rows = read_sheet(&response.body);
        assert!(rows.len() > 1, "{table}: {rows:?}");
    }
    // convergence: desa 1004 is reached by SP8 (half of 9101) and SE4; a lokus desa nothing
    // reaches is a gap, and so is an intervention that reaches no lokus desa
    let matrix = read_sheet(
        &bupati
            .get("/ringkasan?tahun=2024&tabel=konvergensi&format=xlsx")
            .body,
    );
    let header = &matrix[0];
    let column = |kode: &str| {
        header
            .iter()
            .position(|name| name == kode || name.starts_with(&format!("{kode} ")))
            .unwrap_or_else(|| panic!("{kode} in {header:?}"))
    };
    assert_eq!(header[column("SP8")], "SP8", "SP8 reaches a lokus desa");
    assert_eq!(header[column("SP1")], "SP1 ✗ celah", "SP1 reaches none");
    let tanjung = matrix
        .iter()
        .position(|row| row[column("SE4")] != "✗" && row[0] != header[0])
        .expect("the desa SE4 reaches");
    let row = &matrix[tanjung];
    assert_eq!(row[column("SP8")], "Rp 5.000.000 / Rp 1.500.000");
    assert_eq!(row[column("SE4")], "Rp 8.000.000 / Rp 9.000.000");
    assert_eq!(row.last().unwrap(), "2", "two interventions reach it");
    assert!(
        matrix[1..]
            .iter()
            .any(|row| row[0].ends_with("✗ celah") && row.last().unwrap() == "0"),
        "a lokus desa no intervention reaches is a gap"
    );
    let rows = read_sheet(
        &bupati
            .get("/ringkasan?tahun=2024&tabel=desa&format=xlsx")
            .body,
    );
    let total = rows
        .iter()
        .find(|row| row[0] == "Total")
        .expect("a total row");
    assert_eq!(total[1], "23000000.01");
    // the desa rows, "not lokus" and "no desa" add up to the total
    let sum: f64 = rows[1..rows.len() - 1]
        .iter()
        .map(|row| row[1].parse::<f64>().unwrap_or(0.0))
        .sum();
    assert!((sum - 23_000_000.01).abs() < 0.001, "{sum}");
}

/// The first sheet of a workbook, every cell as text.
fn read_sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).expect("the sheet");
    range
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect()
}

/// Every sheet of a workbook, each cell as text.
fn read_all(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    workbook
        .sheet_names()
        .clone()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).expect("the sheet");
            let rows = range
                .rows()
                .map(|row| row.iter().map(|cell| cell.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

fn zip_entries(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    archive
        .file_names()
        .filter_map(|name| name.ok().map(|name| name.into_owned()))
        .collect()
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .expect(name)
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_workbook_reads_back_with_the_databases_totals_formats_and_charts() {
    let app = small_district();
    // a description that looks like a formula stays text
    app.db
        .connect()
        .batch_execute("UPDATE budget_line SET uraian = '=HYPERLINK(\"http://x\")' WHERE id = 9102")
        .unwrap();
    let mut bupati = app.login_as("bupati@berau.demo");
    let page = bupati.get("/ringkasan?tahun=2024").text();
    assert!(
        page.contains("/ringkasan?tahun=2024&#38;format=xlsx"),
        "the download is on the page"
    );
    let response = bupati.get("/ringkasan?tahun=2024&format=xlsx");
    assert_eq!(response.status, 200);
    let sheets = read_all(&response.body);
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    for wanted in [
        "Per OPD",
        "Per intervensi",
        "Per jenis intervensi",
        "Per desa-kelurahan lokus",
        "Per sumber dana",
        "Per bulan",
        "Per triwulan",
        "Konvergensi",
        "Rincian baris anggaran",
        "Perlu perhatian",
    ] {
        assert!(names.contains(&wanted), "{wanted} in {names:?}");
    }
    // the cover's totals are the database's
    let cover = &sheets[0].1;
    let value_of = |rows: &Vec<Vec<String>>, label: &str| {
        rows.iter()
            .find(|row| row.first().map(String::as_str) == Some(label))
            .unwrap_or_else(|| panic!("{label} in {rows:?}"))[1]
            .clone()
    };
    assert_eq!(value_of(cover, "Pagu"), "23000000.01");
    assert_eq!(value_of(cover, "Realisasi"), "12500000");
    // the detail: three current lines, their total and months to the rupiah
    let (_, detail) = sheets
        .iter()
        .find(|(name, _)| name == "Rincian baris anggaran")
        .unwrap();
    let header = &detail[2];
    let pagu_column = header.iter().position(|h| h == "Pagu").unwrap();
    let total_column = header.iter().position(|h| h == "Realisasi Total").unwrap();
    let body: Vec<&Vec<String>> = detail[3..].iter().collect();
    assert_eq!(body.len(), 4, "three lines and the total: {body:?}");
    let total = body.last().unwrap();
    assert_eq!(total[0], "Total");
    assert_eq!(total[pagu_column], "23000000.01");
    assert_eq!(total[total_column], "12500000");
    assert!(
        body.iter()
            .any(|row| row.contains(&"=HYPERLINK(\"http://x\")".to_owned())),
        "the formula-like text is read back as text"
    );
    // Rupiah formats, native charts, print set-up, no formula anywhere
    let entries = zip_entries(&response.body);
    for chart in [
        "xl/charts/chart1.xml",
        "xl/charts/chart2.xml",
        "xl/charts/chart3.xml",
    ] {
        assert!(
            entries.iter().any(|entry| entry == chart),
            "{chart} in {entries:?}"
        );
    }
    assert!(zip_text(&response.body, "xl/styles.xml").contains("&quot;Rp&quot; #,##0"));
    let workbook_xml = zip_text(&response.body, "xl/workbook.xml");
    assert!(
        workbook_xml.contains("_xlnm.Print_Titles"),
        "repeated header rows"
    );
    for entry in entries
        .iter()
        .filter(|entry| entry.starts_with("xl/worksheets/sheet"))
    {
        let xml = zip_text(&response.body, entry);
        assert!(!xml.contains("<f>"), "{entry} has a formula");
        assert!(
            xml.contains("orientation=\"landscape\""),
            "{entry} prints landscape"
        );
    }
}

/// A selection above `export_job_threshold_lines` is written by a background job: the download
/// leads to the job's page, a worker writes the workbook, and the file kept with the job has the
/// database's totals. An `opd` officer's job holds its own OPD only.
#[test]
fn a_large_workbook_is_written_by_a_job_and_kept_for_download() {
    use lokus::services::jobs::Workers;
    // every selection counts as large here
    let app = small_district_with(|settings| settings.export_job_threshold_lines = 0);
    let mut bupati = app.login_as("bupati@berau.demo");
    let asked = bupati.get("/ringkasan?tahun=2024&format=xlsx");
    assert_eq!(asked.status, 303, "{}", asked.text());
    let job_url = asked.location().unwrap().to_owned();
    assert!(job_url.starts_with("/tugas/"), "{job_url}");
    let id: i64 = job_url["/tugas/".len()..].parse().unwrap();
    assert!(bupati.get(&job_url).text().contains("Buku kerja realisasi"));
    let mut conn = app.db.connect();
    let workers = Workers::start_n(&app.db.url, &lokus::config::Settings::default(), 1);
    let started = std::time::Instant::now();
    let done = loop {
        let job = lokus::db::job::find(&mut conn, id).unwrap().unwrap();
        if job.finished_at.is_some() {
            break job;
        }
        assert!(started.elapsed().as_secs() < 60, "job {id} stuck");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    workers.stop();
    assert_eq!(
        done.status,
        lokus::domain::JobStatus::Done,
        "{:?}",
        done.error
    );
    assert_eq!(done.progress_total, Some(done.progress_done));
    let page = bupati.get(&job_url).text();
    assert!(page.contains(&format!("/tugas/{id}/berkas")), "{page}");
    let file = bupati.get(&format!("/tugas/{id}/berkas"));
    assert_eq!(file.status, 200);
    let sheets = read_all(&file.body);
    let cover = &sheets[0].1;
    let value_of = |label: &str| {
        cover
            .iter()
            .find(|row| row.first().map(String::as_str) == Some(label))
            .unwrap_or_else(|| panic!("{label} in {cover:?}"))[1]
            .clone()
    };
    assert_eq!(value_of("Pagu"), "23000000.01");
    assert_eq!(value_of("Realisasi"), "12500000");
    // another reader cannot fetch the file
    let mut dinkes = app.login_as("dinkes@berau.demo");
    assert_eq!(dinkes.get(&format!("/tugas/{id}/berkas")).status, 404);
}

#[test]
fn the_cli_writes_the_workbook_for_an_opd_and_a_triwulan() {
    let app = small_district();
    let path = write_temp("realisasi.xlsx", b"");
    let output = lokus(
        &app.db,
        &[
            "export",
            "realisasi",
            "--kabkota",
            "64.03",
            "--year",
            "2024",
            "--opd",
            DINKES,
            "--triwulan",
            "1",
            "-o",
            path.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sheets = read_all(&std::fs::read(&path).unwrap());
    let cover = &sheets[0].1;
    let pagu = cover.iter().find(|row| row[0] == "Pagu").unwrap();
    assert_eq!(pagu[1], "15000000.01", "Dinkes only");
    let spent = cover.iter().find(|row| row[0] == "Realisasi").unwrap();
    assert_eq!(spent[1], "1500000", "to triwulan I");
    // a wrong request is exit 2 with a message
    for args in [
        vec![
            "export",
            "realisasi",
            "--kabkota",
            "64.03",
            "--year",
            "2024",
            "--triwulan",
            "5",
            "-o",
            "x.xlsx",
        ],
        vec![
            "export",
            "realisasi",
            "--kabkota",
            "64.03",
            "--year",
            "1999",
            "-o",
            "x.xlsx",
        ],
        vec![
            "export",
            "realisasi",
            "--kabkota",
            "64.03",
            "--year",
            "2024",
            "--opd",
            "9.99",
            "-o",
            "x.xlsx",
        ],
    ] {
        let refused = lokus(&app.db, &args, &[]);
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        assert!(!refused.stderr.is_empty());
    }
}

/// A province-level pimpinan sees the province's districts side by side, each with its own totals,
/// and drills into one (its summary, its lines); a district's pimpinan gets the not-found page for
/// the province view and for another district; a district outside the province is not found.
#[test]
fn a_province_reader_sees_the_districts_side_by_side_and_drills_into_one() {
    let app = small_district();
    // the command line makes the account: a province the district is not in is refused, no account
    let refused = lokus(
        &app.db,
        &[
            "user",
            "add",
            "--role",
            "pimpinan",
            "--email",
            "prov@kaltim.demo",
            "--kabkota",
            "64.03",
            "--province",
            "63",
        ],
        &[],
    );
    assert!(!refused.status.success());
    let mut conn = app.db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM users WHERE email = 'prov@kaltim.demo'"
        ),
        0
    );
    let made = lokus(
        &app.db,
        &[
            "user",
            "add",
            "--role",
            "pimpinan",
            "--email",
            "prov@kaltim.demo",
            "--kabkota",
            "64.03",
            "--province",
            "64",
        ],
        &[],
    );
    assert!(made.status.success(), "{made:?}");
    // the demo's password, to log in here
    conn.batch_execute(
        "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = 'bupati@berau.demo')
          WHERE email = 'prov@kaltim.demo'",
    )
    .unwrap();
    let mut province = app.login_as("prov@kaltim.demo");
    let page = province.get("/ringkasan/provinsi?tahun=2024");
    assert_eq!(page.status, 200);
    let page = page.text();
    // Berau's figures (the fixture's lines and the demo's) and Paser's, side by side
    let berau = count(
        &mut conn,
        "SELECT round(sum(pagu))::bigint AS n FROM budget_line WHERE kode_kabkota = '64.03' AND tahun = 2024 AND removed_in_batch IS NULL",
    );
    assert!(page.contains("64.01"), "{page}");
    assert!(page.contains("64.03"), "{page}");
    assert!(
        page.contains("7.000.000"),
        "Paser's pagu and realisasi: {page}"
    );
    assert!(
        page.contains(&lokus::domain::format::rupiah(berau.into())),
        "Berau's pagu {berau}: {page}"
    );
    assert!(
        page.contains("/ringkasan?kabkota=64.01&#38;tahun=2024"),
        "{page}"
    );
    // the same as xlsx
    let sheet = province.get("/ringkasan/provinsi?tahun=2024&format=xlsx");
    assert_eq!(sheet.status, 200);
    let rows = read_sheet(&sheet.body);
    assert!(
        rows.iter().any(
            |row| row.first().is_some_and(|cell| cell.starts_with("64.01"))
                && row.contains(&"7000000".to_owned())
        ),
        "{rows:?}"
    );
    // into Paser: its summary, its workbook, its lines, never Berau's
    let paser = province.get("/ringkasan?kabkota=64.01&tahun=2024").text();
    assert!(paser.contains("7.000.000"), "{paser}");
    assert!(!paser.contains("23.000.000"), "{paser}");
    let lines = province.get("/anggaran?kabkota=64.01&tahun=2024").text();
    assert!(lines.contains("Milik Paser"), "{lines}");
    assert!(!lines.contains("PMT balita gizi kurang"), "{lines}");
    // outside the province, or not served: not found
    assert_eq!(
        province.get("/ringkasan?kabkota=63.01&tahun=2024").status,
        404
    );
    // a district's pimpinan: no province view, no other district
    let mut bupati = app.login_as("bupati@berau.demo");
    assert_eq!(bupati.get("/ringkasan/provinsi?tahun=2024").status, 404);
    assert_eq!(
        bupati.get("/ringkasan?kabkota=64.01&tahun=2024").status,
        404
    );
    assert_eq!(bupati.get("/anggaran?kabkota=64.01").status, 404);
}
