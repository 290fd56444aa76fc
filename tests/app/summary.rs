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
    // and every table, desa shares and fisik weights included, is what a rebuild from scratch gives
    conn.batch_execute(
        "CREATE TEMP TABLE kept_pagu AS SELECT * FROM summary_pagu;
         CREATE TEMP TABLE kept_realisasi AS SELECT * FROM summary_realisasi;
         CREATE TEMP TABLE kept_desa_pagu AS SELECT * FROM summary_desa_pagu;
         CREATE TEMP TABLE kept_desa_realisasi AS SELECT * FROM summary_desa_realisasi;
         SELECT lokus_summary_rebuild();",
    )
    .unwrap();
    for table in [
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
    // and plain SQL is kept too: a line removed, a link deleted
    conn.batch_execute(&format!(
        "UPDATE budget_line SET removed_in_batch = batch_id WHERE id = {ttd};
         DELETE FROM budget_line_desa WHERE line_id = {pmt} AND kode_desa = '64.03.05.1005';"
    ))
    .unwrap();
    assert_exact(&mut conn, "after plain SQL");
}
