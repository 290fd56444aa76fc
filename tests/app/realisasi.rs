//! Monthly realisation: the service's checks (each bad input refused, nothing written), period
//! locks and their audit, the fisik tolerance warning, triwulan sums, the line page for each role,
//! the period page, and the realisation form workbook read back against the database.

use calamine::{Data, Reader, Xlsx};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use rust_decimal::Decimal;

use lokus::db::realisasi as db;
use lokus::domain::Scope;
use lokus::i18n::MessageKey;
use lokus::services::activity_log::Actor;
use lokus::services::error::ServiceError;
use lokus::services::record_realisation::{
    LineMonths, MonthInput, Period, Rules, Via, preview, record, set_period_lock,
};

use crate::support::{Seed, TestApp, TestDb};

const DINKES: &str = "1.02.0.00.0.00.01.0000";
const PUPR: &str = "1.03.0.00.0.00.01.0000";

/// Lines in the demo district: 9001 Dinkes (pagu 10,000,000, target 100 paket), 9002 Dinkes but
/// removed by a revision, 9003 PUPR's (another OPD's line for the Dinkes officer). In Paser
/// (64.01), line 9004 is another district's.
const FIXTURE: &str = "
    INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, actor, file_name, sha256, file, status, report)
    SELECT 9001, '64.03', 2024, 'murni', id, 't', 'f', repeat('a', 64), '', 'committed', '{}' FROM opd WHERE kode = '1.02.0.00.0.00.01.0000';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, removed_in_batch, source_row,
                             sub_kegiatan_kode, kode_rekening, uraian, pagu, target_output, satuan_output)
    SELECT 9001, '64.03', id, 2024, 'murni', 9001, NULL, 2, '1.02.02.2.02.0016', '5.1.02.01.01.0052', 'PMT balita gizi kurang', 10000000, 100, 'Paket'
      FROM opd WHERE kode = '1.02.0.00.0.00.01.0000';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, removed_in_batch, source_row,
                             sub_kegiatan_kode, uraian, pagu)
    SELECT 9002, '64.03', id, 2024, 'murni', 9001, 9001, 3, '1.02.02.2.02.0016', 'Baris lama', 5000000
      FROM opd WHERE kode = '1.02.0.00.0.00.01.0000';
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian, pagu)
    SELECT 9003, '64.03', id, 2024, 'murni', 9001, 4, '1.03.03.2.01.0004', 'Jamban sehat', 8000000
      FROM opd WHERE kode = '1.03.0.00.0.00.01.0000';
    INSERT INTO districts (kode_kabkota) VALUES ('64.01');
    INSERT INTO tahun_anggaran (kode_kabkota, tahun) VALUES ('64.01', 2024);
    INSERT INTO opd (id, kode_kabkota, kode, nama) VALUES (9002, '64.01', '9.01', 'Unit Paser');
    INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, actor, file_name, sha256, file, status, report)
    VALUES (9002, '64.01', 2024, 'murni', 9002, 't', 'f', repeat('a', 64), '', 'committed', '{}');
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian, pagu)
    VALUES (9004, '64.01', 9002, 2024, 'murni', 9002, 2, '1.02.02.2.02.0016', 'Milik Paser', 1000000);
";

fn with_fixture(db: &TestDb) -> PgConnection {
    let mut conn = db.connect();
    conn.batch_execute(FIXTURE).expect("the fixture");
    conn
}

fn opd_id(conn: &mut PgConnection, kode: &str) -> i32 {
    lokus::db::opd::find_by_kode(conn, "64.03", kode)
        .unwrap()
        .unwrap()
        .id
}

fn admin() -> (Actor, Scope) {
    (
        Actor {
            user_id: None,
            label: "test-admin".into(),
            kode_kabkota: Some("64.03".into()),
        },
        Scope {
            kode_kabkota: "64.03".into(),
            opd_id: None,
            sponsor_user_id: None,
        },
    )
}

fn dinkes(conn: &mut PgConnection) -> (Actor, Scope) {
    let (actor, mut scope) = admin();
    scope.opd_id = Some(opd_id(conn, DINKES));
    (actor, scope)
}

fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn months(line_id: i64, months: &[(i16, &str, Option<&str>)]) -> Vec<LineMonths> {
    vec![LineMonths {
        line_id,
        months: months
            .iter()
            .map(|(bulan, keuangan, fisik)| MonthInput {
                bulan: *bulan,
                keuangan: Some(money(keuangan)),
                fisik: fisik.map(money),
            })
            .collect(),
    }]
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

fn key_of(error: ServiceError) -> MessageKey {
    match error {
        ServiceError::Invalid(message) | ServiceError::Conflict(message) => message.key,
        other => panic!("expected a refusal with a message, got {other:?}"),
    }
}

#[test]
fn each_bad_input_is_refused_and_changes_nothing() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = with_fixture(&db);
    let (actor, scope) = admin();
    let rules = Rules::default();
    // a month already recorded, so "nothing changed" is more than an empty table
    record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(1, "1000000", None)]),
        Via::Form,
        rules,
    )
    .unwrap();
    let audit_before = count(&mut conn, "SELECT count(*) AS n FROM activity_log");
    let refuse = |conn: &mut PgConnection, scope: &Scope, input: Vec<LineMonths>| {
        key_of(record(conn, &actor, scope, &input, Via::Form, rules).unwrap_err())
    };
    assert_eq!(
        refuse(&mut conn, &scope, months(9001, &[(2, "-1", None)])),
        MessageKey::RealisasiNegative
    );
    assert_eq!(
        refuse(&mut conn, &scope, months(9001, &[(2, "5", Some("-0.5"))])),
        MessageKey::RealisasiNegative
    );
    // cumulative: January's 1,000,000 plus 9,000,001 is one rupiah above the pagu
    assert_eq!(
        refuse(&mut conn, &scope, months(9001, &[(2, "9000001", None)])),
        MessageKey::RealisasiOverPagu
    );
    // above what the columns hold: refused with a message, not a database error
    assert_eq!(
        refuse(
            &mut conn,
            &scope,
            months(9001, &[(2, "1", Some("100000000000000"))])
        ),
        MessageKey::RealisasiTooLarge
    );
    assert_eq!(
        refuse(
            &mut conn,
            &scope,
            months(9001, &[(2, "10000000000000000", None)])
        ),
        MessageKey::RealisasiTooLarge
    );
    assert_eq!(
        refuse(&mut conn, &scope, months(9001, &[(13, "1", None)])),
        MessageKey::RealisasiMonthInvalid
    );
    assert_eq!(
        refuse(&mut conn, &scope, months(9001, &[(0, "1", None)])),
        MessageKey::RealisasiMonthInvalid
    );
    assert_eq!(
        refuse(&mut conn, &scope, months(9002, &[(2, "1", None)])),
        MessageKey::RealisasiLineRemoved
    );
    assert_eq!(
        refuse(&mut conn, &scope, months(987_654, &[(2, "1", None)])),
        MessageKey::RealisasiLineUnknown
    );
    // another district's line is unknown to Berau's admin
    assert_eq!(
        refuse(&mut conn, &scope, months(9004, &[(2, "1", None)])),
        MessageKey::RealisasiLineUnknown
    );
    // another OPD's line is refused for the Dinkes officer exactly like an unknown one, removed or not
    let (_, own) = dinkes(&mut conn);
    let foreign = record(
        &mut conn,
        &actor,
        &own,
        &months(9003, &[(2, "1", None)]),
        Via::Form,
        rules,
    )
    .unwrap_err()
    .to_string();
    let unknown = record(
        &mut conn,
        &actor,
        &own,
        &months(9003 + 1_000_000, &[(2, "1", None)]),
        Via::Form,
        rules,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        foreign.replace("9003", "#"),
        unknown.replace("1009003", "#")
    );
    // one bad line among good ones: nothing is written
    let mut mixed = months(9001, &[(2, "5", None)]);
    mixed.extend(months(9003, &[(2, "-5", None)]));
    assert_eq!(
        refuse(&mut conn, &scope, mixed),
        MessageKey::RealisasiNegative
    );
    let mut mixed = months(9001, &[(2, "5", None)]);
    mixed.extend(months(9003, &[(2, "8000001", None)]));
    assert_eq!(
        refuse(&mut conn, &scope, mixed),
        MessageKey::RealisasiOverPagu
    );

    // the dry run checks the same and writes nothing
    assert_eq!(
        key_of(
            preview(
                &mut conn,
                &scope,
                &months(9001, &[(2, "9000001", None)]),
                rules
            )
            .unwrap_err()
        ),
        MessageKey::RealisasiOverPagu
    );
    let dry = preview(
        &mut conn,
        &scope,
        &months(9001, &[(1, "2000000", None), (2, "5", None)]),
        rules,
    )
    .unwrap();
    assert_eq!(dry.changes.len(), 2);
    assert_eq!(
        dry.changes[0].before.as_ref().unwrap().keuangan,
        money("1000000")
    );

    // a locked month
    set_period_lock(&mut conn, &actor, "64.03", 2024, Period::Bulan(2), true).unwrap();
    assert_eq!(
        refuse(&mut conn, &scope, months(9001, &[(2, "1", None)])),
        MessageKey::RealisasiMonthLocked
    );

    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM realisasi"), 1);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM realisasi WHERE line_id = 9001 AND bulan = 1 AND keuangan = 1000000"
        ),
        1
    );
    // only the lock was audited in between
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM activity_log"),
        audit_before + 1
    );
}

#[test]
fn months_are_written_replaced_and_cleared_with_before_and_after_in_the_audit() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = with_fixture(&db);
    let (actor, scope) = dinkes(&mut conn);
    let rules = Rules::default();
    let first = record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(1, "250000", Some("2")), (2, "500000", None)]),
        Via::Form,
        rules,
    )
    .unwrap();
    assert_eq!(first.changes.len(), 2);
    assert!(first.changes.iter().all(|change| change.before.is_none()));
    // the same figures again change nothing and are not audited again
    let again = record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(1, "250000", Some("2"))]),
        Via::Form,
        rules,
    )
    .unwrap();
    assert!(again.changes.is_empty());
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM activity_log WHERE entity = 'realisasi'"
        ),
        1
    );
    // February replaced: before and after shown and audited
    let replaced = record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(2, "750000", Some("5"))]),
        Via::Form,
        rules,
    )
    .unwrap();
    assert_eq!(replaced.changes.len(), 1);
    let change = &replaced.changes[0];
    assert_eq!(change.bulan, 2);
    assert_eq!(change.before.as_ref().unwrap().keuangan, money("500000"));
    assert_eq!(change.after.as_ref().unwrap().keuangan, money("750000"));
    #[derive(QueryableByName)]
    struct Entry {
        #[diesel(sql_type = Text)]
        before: String,
        #[diesel(sql_type = Text)]
        after: String,
    }
    let entry: Entry = diesel::sql_query(
        "SELECT before::text AS before, after::text AS after FROM activity_log
         WHERE entity = 'realisasi' AND entity_id = '9001' ORDER BY id DESC LIMIT 1",
    )
    .get_result(&mut conn)
    .unwrap();
    assert!(entry.before.contains("500000"), "{}", entry.before);
    assert!(entry.after.contains("750000"), "{}", entry.after);
    // cleared: the month is gone, and the audit says what it held
    let cleared = record(
        &mut conn,
        &actor,
        &scope,
        &[LineMonths {
            line_id: 9001,
            months: vec![MonthInput {
                bulan: 1,
                keuangan: None,
                fisik: None,
            }],
        }],
        Via::Form,
        rules,
    )
    .unwrap();
    assert_eq!(cleared.changes.len(), 1);
    assert!(cleared.changes[0].after.is_none());
    let rows = db::for_lines(&mut conn, &[9001]).unwrap();
    assert_eq!(
        rows.iter().map(|row| row.bulan).collect::<Vec<_>>(),
        vec![2]
    );
    assert_eq!(rows[0].via, "form");
    assert_eq!(rows[0].actor, "test-admin");
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM activity_log WHERE entity = 'realisasi'"
        ),
        3
    );
}

#[test]
fn locks_and_unlocks_are_audited_and_a_resent_locked_month_passes() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = with_fixture(&db);
    let (actor, scope) = admin();
    let rules = Rules::default();
    record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(4, "100", None)]),
        Via::Form,
        rules,
    )
    .unwrap();
    let locked =
        set_period_lock(&mut conn, &actor, "64.03", 2024, Period::Triwulan(2), true).unwrap();
    assert_eq!(locked, vec![4, 5, 6]);
    assert_eq!(
        db::locked_months(&mut conn, "64.03", 2024).unwrap(),
        vec![4, 5, 6]
    );
    // locking a locked month changes nothing and records nothing
    assert!(
        set_period_lock(&mut conn, &actor, "64.03", 2024, Period::Bulan(5), true)
            .unwrap()
            .is_empty()
    );
    // a month sent back with the figures it holds is no change, so a locked one passes
    let resent = record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(4, "100", None), (7, "200", None)]),
        Via::Form,
        rules,
    )
    .unwrap();
    assert_eq!(resent.changes.len(), 1);
    assert_eq!(
        key_of(
            record(
                &mut conn,
                &actor,
                &scope,
                &months(9001, &[(5, "1", None)]),
                Via::Form,
                rules
            )
            .unwrap_err()
        ),
        MessageKey::RealisasiMonthLocked
    );
    let opened =
        set_period_lock(&mut conn, &actor, "64.03", 2024, Period::Bulan(5), false).unwrap();
    assert_eq!(opened, vec![5]);
    record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(5, "1", None)]),
        Via::Form,
        rules,
    )
    .unwrap();
    #[derive(QueryableByName)]
    struct Entry {
        #[diesel(sql_type = Text)]
        action: String,
        #[diesel(sql_type = Text)]
        entity_id: String,
        #[diesel(sql_type = Text)]
        before: String,
        #[diesel(sql_type = Text)]
        after: String,
    }
    let entries: Vec<Entry> = diesel::sql_query(
        "SELECT action, entity_id, before::text AS before, after::text AS after FROM activity_log
         WHERE entity = 'periode_kunci' ORDER BY id",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        (entries[0].action.as_str(), entries[0].entity_id.as_str()),
        ("lock", "2024/4,5,6")
    );
    assert_eq!(
        (entries[1].action.as_str(), entries[1].entity_id.as_str()),
        ("unlock", "2024/5")
    );
    let terkunci = |document: &str| {
        serde_json::from_str::<serde_json::Value>(document).unwrap()["terkunci"].as_bool()
    };
    assert_eq!(
        terkunci(&entries[1].before),
        Some(true),
        "{}",
        entries[1].before
    );
    assert_eq!(
        terkunci(&entries[1].after),
        Some(false),
        "{}",
        entries[1].after
    );
    // a period that does not exist, and a year that does not
    assert!(matches!(
        set_period_lock(&mut conn, &actor, "64.03", 2024, Period::Triwulan(5), true),
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        set_period_lock(&mut conn, &actor, "64.03", 2031, Period::Bulan(1), true),
        Err(ServiceError::NotFound)
    ));
}

#[test]
fn a_lock_waits_for_a_writer_that_has_checked_its_months() {
    let db = TestDb::new(Seed::Demo);
    let mut writer = with_fixture(&db);
    // the writer holds the year as the service does between its lock check and its write
    writer.batch_execute("BEGIN").unwrap();
    assert!(db::hold_year(&mut writer, "64.03", 2024, false).unwrap());
    let url = db.url.clone();
    let locker = std::thread::spawn(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        let (actor, _) = admin();
        let started = std::time::Instant::now();
        set_period_lock(&mut conn, &actor, "64.03", 2024, Period::Bulan(3), true).unwrap();
        started.elapsed()
    });
    std::thread::sleep(std::time::Duration::from_millis(700));
    // nothing locked while the writer is between check and write
    assert!(
        db::locked_months(&mut writer, "64.03", 2024)
            .unwrap()
            .is_empty()
    );
    writer.batch_execute("COMMIT").unwrap();
    let waited = locker.join().unwrap();
    assert!(
        waited >= std::time::Duration::from_millis(600),
        "{waited:?}"
    );
    assert_eq!(
        db::locked_months(&mut writer, "64.03", 2024).unwrap(),
        vec![3]
    );
}

/// Two writers of one line: the second checks the pagu only after the first committed, so together
/// they cannot pass it.
#[test]
fn writers_of_one_line_take_turns() {
    let db = TestDb::new(Seed::Demo);
    let mut first = with_fixture(&db);
    let (actor, scope) = admin();
    let url = db.url.clone();
    // the first writer's transaction stays open while the second starts
    let second = first
        .transaction(|conn| {
            record(
                conn,
                &actor,
                &scope,
                &months(9001, &[(1, "6000000", None)]),
                Via::Form,
                Rules::default(),
            )
            .unwrap();
            let second = std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                let (actor, scope) = admin();
                record(
                    &mut conn,
                    &actor,
                    &scope,
                    &months(9001, &[(2, "6000000", None)]),
                    Via::Form,
                    Rules::default(),
                )
                .map(|_| ())
                .map_err(key_of)
            });
            std::thread::sleep(std::time::Duration::from_millis(700));
            Ok::<_, diesel::result::Error>(second)
        })
        .unwrap();
    // 6,000,000 + 6,000,000 is above the pagu of 10,000,000
    assert_eq!(second.join().unwrap(), Err(MessageKey::RealisasiOverPagu));
    assert_eq!(count(&mut first, "SELECT count(*) AS n FROM realisasi"), 1);
}

#[test]
fn fisik_above_the_target_warns_beyond_the_tolerance() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = with_fixture(&db);
    let (actor, scope) = admin();
    // target 100 paket: 60 + 45 is 5 % above it
    let outcome = record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(1, "1000", Some("60")), (2, "1000", Some("45"))]),
        Via::Form,
        Rules::default(),
    )
    .unwrap();
    assert_eq!(outcome.warnings.len(), 1);
    assert_eq!(
        outcome.warnings[0].key,
        MessageKey::RealisasiFisikOverTarget
    );
    assert!(
        outcome.warnings[0].render_default().contains("105 Paket"),
        "{}",
        outcome.warnings[0].render_default()
    );
    // it is a warning: the figures are kept
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM realisasi"), 2);
    // with a 10 % tolerance the same year passes quietly, and 111 warns again
    let quiet = record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(3, "1000", Some("5"))]),
        Via::Form,
        Rules {
            fisik_tolerance_percent: 10,
        },
    )
    .unwrap();
    assert!(quiet.warnings.is_empty(), "{:?}", quiet.warnings);
    let loud = record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(4, "1000", Some("1"))]),
        Via::Form,
        Rules {
            fisik_tolerance_percent: 10,
        },
    )
    .unwrap();
    assert_eq!(loud.warnings.len(), 1);
}

#[test]
fn triwulan_figures_are_the_sums_of_their_months() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = with_fixture(&db);
    let (actor, scope) = admin();
    let mut input = months(
        9001,
        &[
            (1, "100", Some("1")),
            (2, "200", None),
            (3, "300", Some("2.5")),
            (7, "700", None),
            (12, "1200", Some("4")),
        ],
    );
    input.extend(months(9003, &[(6, "600", None)]));
    record(
        &mut conn,
        &actor,
        &scope,
        &input,
        Via::Form,
        Rules::default(),
    )
    .unwrap();
    let sums = db::triwulan_sums(&mut conn, &scope, 2024).unwrap();
    let figures: Vec<(i64, i16, Decimal, Option<Decimal>)> = sums
        .iter()
        .map(|sum| (sum.line_id, sum.triwulan, sum.keuangan, sum.fisik))
        .collect();
    assert_eq!(
        figures,
        vec![
            (9001, 1, money("600"), Some(money("3.5"))),
            (9001, 3, money("700"), None),
            (9001, 4, money("1200"), Some(money("4"))),
            (9003, 2, money("600"), None),
        ]
    );
    // the Dinkes officer's sums hold only Dinkes lines
    let (_, own) = dinkes(&mut conn);
    let mine = db::triwulan_sums(&mut conn, &own, 2024).unwrap();
    assert!(mine.iter().all(|sum| sum.line_id == 9001));
    assert_eq!(mine.len(), 3);
}

#[test]
fn the_database_keeps_realisation_in_its_lines_district_and_its_line() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = with_fixture(&db);
    let row = |kab: &str, line: i64, batch: &str| {
        format!(
            "INSERT INTO realisasi (kode_kabkota, line_id, bulan, keuangan, actor, via, batch_id)
             VALUES ('{kab}', {line}, 1, 1, 't', CASE WHEN {batch}::bigint IS NULL THEN 'form' ELSE 'impor' END, {batch})"
        )
    };
    let fk = |result: QueryResult<()>| {
        matches!(
            result,
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                _
            ))
        )
    };
    assert!(fk(conn.batch_execute(&row("64.01", 9001, "NULL"))));
    assert!(fk(conn.batch_execute(&row("64.03", 9004, "NULL"))));
    assert!(fk(conn.batch_execute(&row("64.03", 9001, "9002"))));
    assert!(fk(conn.batch_execute(&row("64.03", 987_654, "NULL"))));
    conn.batch_execute(&row("64.03", 9001, "9001")).unwrap();
    assert!(fk(conn.batch_execute(
        "UPDATE realisasi SET kode_kabkota = '64.01' WHERE line_id = 9001"
    )));
    // a line, batch or user with realisation cannot go
    for sql in [
        "DELETE FROM budget_line WHERE id = 9001",
        "UPDATE budget_line SET id = 9901 WHERE id = 9001",
        "DELETE FROM import_batch WHERE id = 9001",
    ] {
        assert!(
            fk(conn.transaction(|conn| conn.batch_execute(sql))),
            "{sql} was not refused"
        );
    }
    assert!(
        conn.transaction(|conn| conn.batch_execute("TRUNCATE budget_line CASCADE"))
            .is_err()
    );
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = Integer)]
        id: i32,
    }
    let user: Id = diesel::sql_query("SELECT id FROM users WHERE email = 'dinkes@berau.demo'")
        .get_result(&mut conn)
        .unwrap();
    conn.batch_execute(&format!(
        "INSERT INTO realisasi (kode_kabkota, line_id, bulan, keuangan, user_id, actor, via) VALUES ('64.03', 9003, 2, 1, {}, 't', 'form')",
        user.id
    ))
    .unwrap();
    assert!(fk(conn.transaction(|conn| conn.batch_execute(&format!(
        "DELETE FROM sessions; DELETE FROM users WHERE id = {}",
        user.id
    )))));
    // no per-row trigger on the table an import fills
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = 'realisasi'::regclass AND tgtype & 1 = 1"
        ),
        0
    );
}

/// The line page's keuangan inputs, as `name=value` pairs found in the HTML.
fn has_inputs(page: &str) -> bool {
    page.contains("name=\"k1\"")
}

#[test]
fn the_line_page_for_each_role() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    let (actor, scope) = admin();
    record(
        &mut conn,
        &actor,
        &scope,
        &months(9001, &[(1, "2500000", Some("10"))]),
        Via::Form,
        Rules::default(),
    )
    .unwrap();

    let mut admin = app.login_as("admin@berau.demo");
    let page = admin.get("/realisasi/baris/9001");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(has_inputs(&text));
    assert!(text.contains("Rp 2.500.000"), "cumulative shown");
    assert!(text.contains("Rp 7.500.000"), "sisa shown");
    assert!(text.contains("25"), "% realisasi shown");
    // linked from the budget lines
    assert!(
        admin
            .get("/anggaran?tahun=2024")
            .text()
            .contains("/realisasi/baris/9001")
    );

    let mut dinkes = app.login_as("dinkes@berau.demo");
    assert!(has_inputs(&dinkes.get("/realisasi/baris/9001").text()));
    assert_eq!(dinkes.get("/realisasi/baris/9003").status, 404);
    assert_eq!(dinkes.get("/realisasi/baris/987654").status, 404);
    assert_eq!(dinkes.get("/realisasi/baris/9004").status, 404);
    // the officer corrects January and adds February in one form
    let saved = dinkes.submit(
        "/realisasi/baris/9001",
        "/realisasi/baris/9001",
        &[("k1", "3.000.000"), ("f1", "12"), ("k2", "1.000.000,50")],
    );
    assert_eq!(saved.status, 200, "{}", saved.text());
    let text = saved.text();
    assert!(text.contains("2 bulan berubah"), "{text}");
    assert!(text.contains("Rp 2.500.000 / 10"), "before shown: {text}");
    assert!(text.contains("Rp 3.000.000 / 12"), "after shown");
    // who entered each month, when and how
    assert!(text.contains("dinkes@berau.demo, "), "{text}");
    assert!(text.contains("WITA, formulir web"), "{text}");
    let rows = db::for_lines(&mut conn, &[9001]).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].keuangan, money("1000000.50"));
    // bad input: the form again with the message in the reader's language, nothing changed
    let over = dinkes.submit(
        "/realisasi/baris/9001",
        "/realisasi/baris/9001",
        &[("k3", "9000000")],
    );
    assert_eq!(over.status, 422);
    assert!(over.text().contains("melebihi pagunya"), "{}", over.text());
    assert!(
        over.text().contains("value=\"9000000\""),
        "typed value kept"
    );
    dinkes.get("/bahasa/en");
    let words = dinkes.submit(
        "/realisasi/baris/9001",
        "/realisasi/baris/9001",
        &[("k3", "banyak")],
    );
    assert_eq!(words.status, 422);
    assert!(
        words
            .text()
            .contains("&#34;banyak&#34; for Spending (Rp) Mar is not a number"),
        "{}",
        words.text()
    );
    assert_eq!(db::for_lines(&mut conn, &[9001]).unwrap().len(), 2);
    // another OPD's line cannot be written either
    let token = dinkes.get("/realisasi/baris/9001").csrf_token();
    assert_eq!(
        dinkes
            .post_form(
                "/realisasi/baris/9003",
                &[("csrf_token", &token), ("k1", "1")]
            )
            .status,
        404
    );
    // without the CSRF token nothing is saved
    assert_ne!(
        dinkes
            .post_form("/realisasi/baris/9001", &[("k5", "1")])
            .status,
        200
    );

    // the activity log says what changed in months and rupiah
    let log = admin.get("/aktivitas").text();
    assert!(
        log.contains("Jan: Rp 2.500.000 / 10 → Rp 3.000.000 / 12"),
        "{log}"
    );
    assert!(log.contains("Feb: - → Rp 1.000.000,50"), "{log}");
    // leadership reads, without inputs, and cannot post
    let mut bupati = app.login_as("bupati@berau.demo");
    let read = bupati.get("/realisasi/baris/9001");
    assert_eq!(read.status, 200);
    assert!(!has_inputs(&read.text()));
    assert!(read.text().contains("3.000.000,00"));
    let token = read.csrf_token();
    assert_eq!(
        bupati
            .post_form(
                "/realisasi/baris/9001",
                &[("csrf_token", &token), ("k5", "1")]
            )
            .status,
        403
    );
    // a removed line is shown read-only
    let removed = admin.get("/realisasi/baris/9002");
    assert_eq!(removed.status, 200);
    assert!(!has_inputs(&removed.text()));
    for email in ["baas@berau.demo", "sponsor1@berau.demo"] {
        let mut other = app.login_as(email);
        assert_eq!(other.get("/realisasi/baris/9001").status, 403, "{email}");
        assert_eq!(
            other
                .get("/realisasi/formulir.xlsx?tahun=2024&opd=1.02.0.00.0.00.01.0000")
                .status,
            403
        );
        assert_eq!(other.get("/tahun/2024/periode").status, 403);
    }
}

#[test]
fn the_admin_locks_and_unlocks_periods_from_the_year_page() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    let mut admin = app.login_as("admin@berau.demo");
    assert!(
        admin
            .get("/tahun/2024")
            .text()
            .contains("/tahun/2024/periode")
    );
    let page = admin.get("/tahun/2024/periode");
    assert_eq!(page.status, 200);
    let locked = admin.submit(
        "/tahun/2024/periode",
        "/tahun/2024/periode",
        &[("aksi", "kunci:tw1")],
    );
    assert_eq!(locked.status, 303);
    assert_eq!(
        db::locked_months(&mut conn, "64.03", 2024).unwrap(),
        vec![1, 2, 3]
    );
    let opened = admin.submit(
        "/tahun/2024/periode",
        "/tahun/2024/periode",
        &[("aksi", "buka:b2")],
    );
    assert_eq!(opened.status, 303);
    assert_eq!(
        db::locked_months(&mut conn, "64.03", 2024).unwrap(),
        vec![1, 3]
    );
    let bad = admin.submit(
        "/tahun/2024/periode",
        "/tahun/2024/periode",
        &[("aksi", "kunci:b13")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Pilih satu bulan"));
    assert_eq!(admin.get("/tahun/2031/periode").status, 404);
    // the year page says which months are closed
    assert!(
        admin
            .get("/tahun/2024")
            .text()
            .contains("<dt>Bulan realisasi dikunci</dt><dd>Jan, Mar</dd>")
    );
    // the audit trail names the lock in words
    let audit = admin.get("/aktivitas").text();
    assert!(audit.contains("kunci periode realisasi"), "{audit}");
    assert!(audit.contains("dibuka kuncinya"));
    assert!(audit.contains("2024: Jan, Feb, Mar"), "{audit}");
    // the line page shows January locked, without its input
    let line = admin.get("/realisasi/baris/9001").text();
    assert!(!line.contains("name=\"k1\""));
    assert!(line.contains("name=\"k2\""));
    // a locked month posted anyway is refused
    let refused = admin.submit(
        "/realisasi/baris/9001",
        "/realisasi/baris/9001",
        &[("k1", "5")],
    );
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("sudah dikunci"));

    let mut dinkes = app.login_as("dinkes@berau.demo");
    assert_eq!(dinkes.get("/tahun/2024/periode").status, 403);
    let token = dinkes.get("/").csrf_token();
    assert_eq!(
        dinkes
            .post_form(
                "/tahun/2024/periode",
                &[("csrf_token", &token), ("aksi", "buka:tw1")]
            )
            .status,
        403
    );
    let mut bupati = app.login_as("bupati@berau.demo");
    assert_eq!(bupati.get("/tahun/2024/periode").status, 403);
}

fn open(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook")
}

fn as_decimal(cell: &Data) -> Option<Decimal> {
    match cell {
        Data::Float(value) => Decimal::try_from(*value).ok().map(|d| d.round_dp(4)),
        Data::Int(value) => Some(Decimal::from(*value)),
        Data::Empty => None,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_realisation_form_reads_back_as_the_database_holds_it() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = with_fixture(&app.db);
    let (actor, scope) = admin();
    record(
        &mut conn,
        &actor,
        &scope,
        &months(
            9001,
            &[
                (1, "1234567.89", Some("3.25")),
                (4, "2000000", None),
                (8, "15.5", Some("1")),
            ],
        ),
        Via::Form,
        Rules::default(),
    )
    .unwrap();
    set_period_lock(&mut conn, &actor, "64.03", 2024, Period::Bulan(1), true).unwrap();

    let mut dinkes = app.login_as("dinkes@berau.demo");
    let download = dinkes.get("/realisasi/formulir.xlsx?tahun=2024&bulan=1-6");
    assert_eq!(download.status, 200, "{}", download.text());
    let mut workbook = open(download.body);
    assert_eq!(workbook.sheet_names(), vec!["Realisasi", "Petunjuk"]);
    let sheet = workbook.worksheet_range("Realisasi").unwrap();
    let header: Vec<String> = (0..sheet.width() as u32)
        .map(|column| sheet.get_value((0, column)).unwrap().to_string())
        .collect();
    assert_eq!(header[0], "ID baris");
    assert_eq!(header[7], "Keuangan Januari");
    assert_eq!(header[8], "Fisik Januari");
    assert_eq!(header[18], "Fisik Juni");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap() as u32;
    // one row per current Dinkes line: 9001 only (9002 is removed, 9003 is PUPR's)
    assert_eq!(sheet.height(), 2);
    let cell = |name: &str| sheet.get_value((1, column(name))).unwrap().clone();
    assert_eq!(as_decimal(&cell("ID baris")), Some(Decimal::from(9001)));
    assert_eq!(cell("Uraian").to_string(), "PMT balita gizi kurang");
    assert_eq!(cell("Kode rekening").to_string(), "5.1.02.01.01.0052");
    assert_eq!(as_decimal(&cell("Target volume")), Some(money("100")));
    assert_eq!(cell("Satuan").to_string(), "Paket");

    // every figure equals the database, to the rupiah (and the sen)
    let stored = db::for_lines(&mut conn, &[9001]).unwrap();
    let pagu = money("10000000");
    for bulan in 1..=6i16 {
        let name = lokus::spreadsheet::realisasi_form::BULAN[(bulan - 1) as usize];
        let row = stored.iter().find(|row| row.bulan == bulan);
        assert_eq!(
            as_decimal(&cell(&format!("Keuangan {name}"))),
            row.map(|row| row.keuangan),
            "{name}"
        );
        assert_eq!(
            as_decimal(&cell(&format!("Fisik {name}"))),
            row.and_then(|row| row.fisik),
            "{name}"
        );
    }
    let outside: Decimal = stored
        .iter()
        .filter(|row| row.bulan > 6)
        .map(|row| row.keuangan)
        .sum();
    let total: Decimal = stored.iter().map(|row| row.keuangan).sum();
    assert_eq!(as_decimal(&cell("Realisasi bulan lain")), Some(outside));
    assert_eq!(as_decimal(&cell("Realisasi kumulatif")), Some(total));
    assert_eq!(as_decimal(&cell("Sisa")), Some(pagu - total));
    assert_eq!(
        as_decimal(&cell("% realisasi")),
        Some((total / pagu * Decimal::from(100)).round_dp(2))
    );
    assert_eq!(as_decimal(&cell("Pagu")), Some(pagu));
    // read back as the coming import will, the unchanged form is no change, locked month included
    let float = |cell: &Data| match cell {
        Data::Float(value) => Some(*value),
        Data::Int(value) => Some(*value as f64),
        _ => None,
    };
    let unchanged = vec![LineMonths {
        line_id: 9001,
        months: (1..=6i16)
            .map(|bulan| {
                let name = lokus::spreadsheet::realisasi_form::BULAN[(bulan - 1) as usize];
                MonthInput {
                    bulan,
                    keuangan: float(&cell(&format!("Keuangan {name}")))
                        .and_then(lokus::domain::amount::amount_from_float),
                    fisik: float(&cell(&format!("Fisik {name}")))
                        .and_then(lokus::domain::amount::quantity_from_float),
                }
            })
            .collect(),
    }];
    let (_, own) = self::dinkes(&mut conn);
    let round_trip = preview(&mut conn, &own, &unchanged, Rules::default()).unwrap();
    assert!(round_trip.changes.is_empty(), "{:?}", round_trip.changes);
    // the formulas behind the cached values
    let formulas = workbook.worksheet_formula("Realisasi").unwrap();
    let formula = |name: &str| {
        formulas
            .get_value((1, column(name)))
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        formula("Realisasi kumulatif").contains('+'),
        "{}",
        formula("Realisasi kumulatif")
    );
    assert!(formula("Sisa").contains('-'));
    assert!(formula("% realisasi").contains("ROUND"));

    // the instructions, in Indonesian, name the locked month
    let petunjuk = workbook.worksheet_range("Petunjuk").unwrap();
    let all: Vec<String> = petunjuk
        .cells()
        .map(|(_, _, value)| value.to_string())
        .collect();
    assert!(
        all.iter()
            .any(|text| text.contains("Kolom berwarna kuning"))
    );
    assert!(all.iter().any(|text| text == "Januari"));

    // protected, with numeric validation on the cells to enter
    let xml = unzip_sheet(
        &dinkes
            .get("/realisasi/formulir.xlsx?tahun=2024&bulan=1-6")
            .body,
    );
    assert!(xml.contains("<sheetProtection"), "protected");
    assert!(xml.contains("type=\"decimal\""), "numeric validation");
    // on the open months only: January (H:I) is locked, February (J:K) is open
    assert!(xml.contains("sqref=\"J2:K2\""), "{xml}");
    assert!(!xml.contains("sqref=\"H2"), "{xml}");

    // scope: another OPD's form is not found for the officer; the admin names the OPD
    assert_eq!(
        dinkes
            .get(&format!("/realisasi/formulir.xlsx?tahun=2024&opd={PUPR}"))
            .status,
        404
    );
    assert_eq!(
        dinkes
            .get("/realisasi/formulir.xlsx?tahun=2024&bulan=7-3")
            .status,
        400
    );
    assert_eq!(
        dinkes.get("/realisasi/formulir.xlsx?tahun=2031").status,
        404
    );
    let mut admin = app.login_as("admin@berau.demo");
    assert_eq!(admin.get("/realisasi/formulir.xlsx?tahun=2024").status, 400);
    let pupr = admin.get(&format!("/realisasi/formulir.xlsx?tahun=2024&opd={PUPR}"));
    assert_eq!(pupr.status, 200);
    let mut pupr = open(pupr.body);
    let range = pupr.worksheet_range("Realisasi").unwrap();
    assert_eq!(
        as_decimal(range.get_value((1, 0)).unwrap()),
        Some(Decimal::from(9003))
    );
    // twelve months by default: 7 fixed columns, 24 month columns, 4 totals
    assert_eq!(range.width(), 35);
    // the budget-line download carries the line identifier too
    let lines = admin.get("/anggaran?tahun=2024&format=xlsx");
    let mut lines = open(lines.body);
    let name = lines.sheet_names()[0].clone();
    let range = lines.worksheet_range(&name).unwrap();
    let last = range.width() as u32 - 1;
    assert_eq!(range.get_value((0, last)).unwrap().to_string(), "ID baris");
    let ids: Vec<String> = (1..range.height() as u32)
        .map(|row| range.get_value((row, last)).unwrap().to_string())
        .collect();
    assert!(ids.contains(&"9001".to_owned()), "{ids:?}");
    // and the budget-line page links the officer to the form
    assert!(
        dinkes
            .get("/anggaran?tahun=2024")
            .text()
            .contains("/realisasi/formulir.xlsx?tahun=2024&#38;opd=1.02.0.00.0.00.01.0000"),
        "{}",
        dinkes.get("/anggaran?tahun=2024").text()
    );
}

/// The first worksheet's XML of a workbook.
fn unzip_sheet(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut file = archive
        .by_name("xl/worksheets/sheet1.xml")
        .expect("the first sheet");
    let mut xml = String::new();
    file.read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn the_demo_year_has_a_plausible_realisation_curve() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    lokus::services::demo::load_workplans(&mut conn).expect("the demo workplans");
    let scope = Scope {
        kode_kabkota: "64.03".into(),
        opd_id: None,
        sponsor_user_id: None,
    };
    let sums = db::triwulan_sums(&mut conn, &scope, 2024).unwrap();
    assert!(!sums.is_empty());
    let by_tw = |tw: i16| -> Decimal {
        sums.iter()
            .filter(|sum| sum.triwulan == tw)
            .map(|sum| sum.keuangan)
            .sum()
    };
    let (one, two, three, four) = (by_tw(1), by_tw(2), by_tw(3), by_tw(4));
    assert!(
        one < two && two < three && three < four,
        "{one} {two} {three} {four}"
    );
    // entered through the service: audited, by the demo actor, through the realisation import
    assert!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM activity_log WHERE entity = 'realisasi' AND actor = 'demo'"
        ) > 0
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM realisasi WHERE via <> 'impor' OR batch_id IS NULL"
        ),
        0
    );
    assert!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM import_batch WHERE kind = 'realisasi' AND status = 'committed'"
        ) > 0
    );
    // some lines behind, some not started, none above its pagu
    assert!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line b WHERE removed_in_batch IS NULL
             AND NOT EXISTS (SELECT 1 FROM realisasi r WHERE r.line_id = b.id)"
        ) > 0
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line b
             WHERE (SELECT coalesce(sum(keuangan), 0) FROM realisasi r WHERE r.line_id = b.id) > b.pagu"
        ),
        0
    );
    assert!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM budget_line b
             WHERE (SELECT sum(keuangan) FROM realisasi r WHERE r.line_id = b.id) < b.pagu * 0.5"
        ) > 0
    );
}

#[test]
fn a_plan_is_written_only_under_the_writers_locks_and_a_month_written_again_is_replaced() {
    use lokus::services::record_realisation::{Hold, plan, scoped_lines, write};
    let db = TestDb::new(Seed::Demo);
    let mut conn = with_fixture(&db);
    let (actor, scope) = dinkes(&mut conn);
    let input = months(9001, &[(1, "1000", Some("1")), (2, "2000", None)]);
    let lines = scoped_lines(&mut conn, &scope, &input).unwrap();

    // a look (a preview's plan) takes no locks and cannot be written
    let look = plan(
        &mut conn,
        &scope,
        &input,
        &lines,
        Rules::default(),
        Hold::Nothing,
    )
    .unwrap();
    assert_eq!(look.months_written(), 2);
    assert!(matches!(
        write(&mut conn, &actor, &scope, Via::Form, look),
        Err(ServiceError::Internal(_))
    ));
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM realisasi WHERE line_id = 9001"
        ),
        0
    );

    // held, in one transaction, it writes its months; written again, a month is replaced, and an
    // unchanged one is neither removed nor written
    for (keuangan, written) in [("1000", 2), ("1500", 1)] {
        let input = months(9001, &[(1, keuangan, Some("1")), (2, "2000", None)]);
        conn.transaction(|conn| {
            let held = plan(
                conn,
                &scope,
                &input,
                &lines,
                Rules::default(),
                Hold::Writers,
            )?;
            assert_eq!(held.months_written(), written);
            write(conn, &actor, &scope, Via::Form, held)
        })
        .unwrap();
    }
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM realisasi WHERE line_id = 9001 AND (bulan, keuangan) IN ((1, 1500), (2, 2000))"
        ),
        2
    );
    // the activity log holds one entry per line per recording, with the month before and after
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM activity_log WHERE entity = 'realisasi' AND entity_id = '9001'
              AND (before -> 'bulan' -> '1' ->> 'keuangan')::numeric = 1000
              AND (after -> 'bulan' -> '1' ->> 'keuangan')::numeric = 1500
              AND after -> 'bulan' -> '2' IS NULL"
        ),
        1
    );
}
