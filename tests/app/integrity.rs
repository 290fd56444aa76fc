//! Integrity kept by the database itself: no row can point at another district's row, whatever
//! path writes it (plain SQL here, so no lokus check can stand in for the database's).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use lokus::domain::{Jenis, TagSource, Tahapan};

use lokus::db::budget_line::{self, BudgetLine, NewLineDesa};

use crate::support::{Seed, TestDb};

/// Two districts, Berau (64.03, the demo) and Paser (64.01), each with an OPD, a user, a committed
/// batch, an intervention of its own and a line; ids 9001 are Berau's, 9002 Paser's.
const FIXTURE: &str = "
    INSERT INTO districts (kode_kabkota) VALUES ('64.01');
    INSERT INTO tahun_anggaran (kode_kabkota, tahun) VALUES ('64.01', 2024);
    INSERT INTO opd (id, kode_kabkota, kode, nama) VALUES
        (9001, '64.03', '9.01', 'Unit Berau'), (9002, '64.01', '9.01', 'Unit Paser');
    INSERT INTO users (id, kode_kabkota, email, nama, role, opd_id, password_hash) VALUES
        (9001, '64.03', 'a@berau.test', 'A', 'admin', NULL, 'x'),
        (9002, '64.01', 'b@paser.test', 'B', 'admin', NULL, 'x');
    INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, user_id, actor, file_name, sha256, file, status, report)
    VALUES (9001, '64.03', 2024, 'murni', 9001, 9001, 't', 'f', repeat('a', 64), '', 'committed', '{}'),
           (9002, '64.01', 2024, 'murni', 9002, 9002, 't', 'f', repeat('a', 64), '', 'committed', '{}');
    INSERT INTO intervensi (id, kode_kabkota, kode, nama, jenis, sasaran, indikator) VALUES
        (9001, '64.03', 'X1', 'Milik Berau', 'spesifik', 's', 'i'),
        (9002, '64.01', 'X1', 'Milik Paser', 'spesifik', 's', 'i');
    INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian, pagu)
    VALUES (9001, '64.03', 9001, 2024, 'murni', 9001, 2, '1.02.02.2.02.0016', 'u', 1),
           (9002, '64.01', 9002, 2024, 'murni', 9002, 2, '1.02.02.2.02.0016', 'u', 1);
";

pub fn two_districts() -> (TestDb, PgConnection) {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    conn.batch_execute(FIXTURE).expect("the fixture");
    (db, conn)
}

/// A Berau line with these references (each `None` keeps Berau's own).
pub fn line_sql(id: i64, opd: i32, batch: i64, removed: &str, intervensi: &str) -> String {
    format!(
        "INSERT INTO budget_line (id, kode_kabkota, opd_id, tahun, tahapan, batch_id, removed_in_batch, source_row,
             sub_kegiatan_kode, uraian, pagu, intervensi_id, tag_source)
         VALUES ({id}, '64.03', {opd}, 2024, 'murni', {batch}, {removed}, 3, '1.02.02.2.02.0016', 'u', 1, {intervensi},
                 CASE WHEN {intervensi}::int IS NULL THEN NULL ELSE 'manual' END)"
    )
}

/// Runs `sql` and expects the database to refuse it as a broken reference.
pub fn refused(conn: &mut PgConnection, sql: &str) {
    match conn.batch_execute(sql) {
        Err(Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)) => {}
        other => panic!("expected a foreign key violation from\n{sql}\ngot {other:?}"),
    }
}

pub fn accepted(conn: &mut PgConnection, sql: &str) {
    conn.batch_execute(sql)
        .unwrap_or_else(|error| panic!("expected\n{sql}\nto be accepted, got {error}"));
}

#[test]
fn a_line_cannot_point_at_another_districts_rows() {
    let (_db, mut conn) = two_districts();
    // each control is accepted, so each refusal below is about the district alone
    accepted(&mut conn, &line_sql(9101, 9001, 9001, "9001", "9001"));
    accepted(&mut conn, &line_sql(9102, 9001, 9001, "NULL", "1"));
    refused(&mut conn, &line_sql(9103, 9002, 9001, "NULL", "NULL"));
    refused(&mut conn, &line_sql(9104, 9001, 9002, "NULL", "NULL"));
    refused(&mut conn, &line_sql(9105, 9001, 9001, "9002", "NULL"));
    refused(&mut conn, &line_sql(9106, 9001, 9001, "NULL", "9002"));
    // and later changes are held to the same
    refused(
        &mut conn,
        "UPDATE budget_line SET opd_id = 9002 WHERE id = 9001",
    );
    refused(
        &mut conn,
        "UPDATE budget_line SET removed_in_batch = 9002 WHERE id = 9001",
    );
    refused(
        &mut conn,
        "UPDATE budget_line SET intervensi_id = 9002, tag_source = 'manual' WHERE id = 9001",
    );
    refused(
        &mut conn,
        "UPDATE budget_line SET kode_kabkota = '64.01' WHERE id = 9001",
    );
}

#[test]
fn a_desa_link_belongs_to_its_lines_district() {
    let (_db, mut conn) = two_districts();
    accepted(
        &mut conn,
        "INSERT INTO budget_line_desa (line_id, kode_desa, tag_source, kode_kabkota) VALUES (9001, '64.03.05.1004', 'manual', '64.03')",
    );
    // the link's own column agrees with its desa, but the line is Berau's: the old check let this in
    refused(
        &mut conn,
        "INSERT INTO budget_line_desa (line_id, kode_desa, tag_source, kode_kabkota) VALUES (9001, '64.01.01.2009', 'manual', '64.01')",
    );
    refused(
        &mut conn,
        "UPDATE budget_line_desa SET kode_kabkota = '64.01', kode_desa = '64.01.01.2009' WHERE line_id = 9001",
    );
}

#[test]
fn versions_batches_users_and_switches_stay_in_their_district() {
    let (_db, mut conn) = two_districts();
    let version = |line: i64, batch: i64| {
        format!(
            "INSERT INTO budget_line_version (line_id, replaced_in_batch, kode_kabkota, snapshot) VALUES ({line}, {batch}, '64.03', '{{}}')"
        )
    };
    accepted(&mut conn, &version(9001, 9001));
    refused(&mut conn, &version(9002, 9001));
    refused(&mut conn, &version(9001, 9002));

    let batch = |id: i64, opd: &str, user: &str, base: &str| {
        format!(
            "INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, user_id, actor, file_name, sha256, file, status, report, base_batch_id)
             VALUES ({id}, '64.03', 2024, 'murni', {opd}, {user}, 't', 'f', repeat('a', 64), '', 'preview', '{{}}', {base})"
        )
    };
    accepted(&mut conn, &batch(9101, "9001", "9001", "9001"));
    refused(&mut conn, &batch(9102, "9002", "NULL", "NULL"));
    refused(&mut conn, &batch(9103, "NULL", "9002", "NULL"));
    refused(&mut conn, &batch(9104, "NULL", "NULL", "9002"));

    let user = |id: i64, opd: i32| {
        format!(
            "INSERT INTO users (id, kode_kabkota, email, nama, role, opd_id, password_hash) VALUES ({id}, '64.03', 'u{id}@berau.test', 'U', 'opd', {opd}, 'x')"
        )
    };
    accepted(&mut conn, &user(9101, 9001));
    refused(&mut conn, &user(9102, 9002));

    let switch = |intervensi: i32| {
        format!(
            "INSERT INTO intervensi_nonaktif (kode_kabkota, intervensi_id) VALUES ('64.03', {intervensi})"
        )
    };
    accepted(&mut conn, &switch(1));
    accepted(&mut conn, &switch(9001));
    refused(&mut conn, &switch(9002));
}

#[test]
fn an_intervention_cannot_move_away_from_the_lines_that_name_it() {
    let (_db, mut conn) = two_districts();
    accepted(&mut conn, &line_sql(9101, 9001, 9001, "NULL", "1"));
    accepted(
        &mut conn,
        "UPDATE intervensi SET nama = 'Nama baru' WHERE id = 1",
    );
    // a national intervention named by a Berau line cannot become Paser's
    refused(
        &mut conn,
        "UPDATE intervensi SET kode_kabkota = '64.01' WHERE id = 1",
    );
    accepted(
        &mut conn,
        "UPDATE intervensi SET kode_kabkota = '64.03' WHERE id = 1",
    );
}

#[test]
fn the_queries_following_removals_interventions_and_versions_have_indexes() {
    let (_db, mut conn) = two_districts();
    #[derive(QueryableByName)]
    struct Indexed {
        #[diesel(sql_type = diesel::sql_types::Text)]
        column: String,
    }
    let indexed: Vec<String> = diesel::sql_query(
        "SELECT t.relname || '.' || a.attname AS column
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
         WHERE t.relname IN ('budget_line', 'budget_line_version', 'realisasi')",
    )
    .load::<Indexed>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|row| row.column)
    .collect();
    for column in [
        "budget_line.removed_in_batch",
        "budget_line.intervensi_id",
        "budget_line_version.replaced_in_batch",
        "realisasi.batch_id",
        "realisasi.user_id",
    ] {
        assert!(
            indexed.iter().any(|found| found == column),
            "no index leads with {column}: {indexed:?}"
        );
    }
}

// The references of lines and links are checked once per statement (issue 7, section 3): each path
// that writes them is refused a row pointing at a missing or foreign parent.

fn berau_line(id: i64, opd_id: i32, batch_id: i64) -> BudgetLine {
    BudgetLine {
        id,
        kode_kabkota: "64.03".into(),
        opd_id,
        tahun: 2024,
        tahapan: Tahapan::Murni,
        batch_id,
        removed_in_batch: None,
        source_row: 2,
        sub_kegiatan_kode: "1.02.02.2.02.0016".into(),
        sub_kegiatan_nama: None,
        kode_rekening: None,
        uraian: "u".into(),
        volume: None,
        satuan: None,
        harga_satuan: None,
        pagu: rust_decimal::Decimal::ONE,
        sumber_dana: None,
        intervensi_id: None,
        jenis: None,
        tag_source: None,
        sasaran: None,
        target_output: None,
        satuan_output: None,
        keterangan: None,
    }
}

fn link(line_id: i64, kode_desa: &str, kode_kabkota: &str) -> NewLineDesa {
    NewLineDesa {
        line_id,
        kode_desa: kode_desa.into(),
        tag_source: TagSource::Impor,
        kode_kabkota: kode_kabkota.into(),
    }
}

fn is_fk_violation<T: std::fmt::Debug>(result: QueryResult<T>) -> bool {
    matches!(
        result,
        Err(Error::DatabaseError(
            DatabaseErrorKind::ForeignKeyViolation,
            _
        ))
    )
}

#[test]
fn the_imports_copy_is_checked_as_a_whole() {
    let (_db, mut conn) = two_districts();
    // one bad line among many good ones fails the whole COPY
    let mut lines: Vec<BudgetLine> = (0..500)
        .map(|n| berau_line(10_000 + n, 9001, 9001))
        .collect();
    lines.push(berau_line(20_000, 9002, 9001));
    assert!(is_fk_violation(budget_line::copy_lines(&mut conn, &lines)));
    let mut lines: Vec<BudgetLine> = (0..500)
        .map(|n| berau_line(10_000 + n, 9001, 9001))
        .collect();
    lines[7].tahun = 2031;
    assert!(is_fk_violation(budget_line::copy_lines(&mut conn, &lines)));
    lines[7].tahun = 2024;
    // (an unknown tahapan cannot be written from Rust at all: `Tahapan` has only the two stages)
    lines[9].intervensi_id = Some(9002);
    lines[9].tag_source = Some(TagSource::Impor);
    assert!(is_fk_violation(budget_line::copy_lines(&mut conn, &lines)));
    lines[9].intervensi_id = Some(9001);
    lines[10].removed_in_batch = Some(9002);
    assert!(is_fk_violation(budget_line::copy_lines(&mut conn, &lines)));
    lines[10].removed_in_batch = None;
    assert_eq!(budget_line::copy_lines(&mut conn, &lines).unwrap(), 500);

    let good: Vec<NewLineDesa> = (0..500)
        .map(|n| link(10_000 + n, "64.03.05.1004", "64.03"))
        .collect();
    let mut bad = good.clone();
    bad.push(link(9_999_999, "64.03.05.1004", "64.03"));
    assert!(is_fk_violation(budget_line::copy_desa_links(
        &mut conn, &bad
    )));
    let mut bad = good.clone();
    bad.push(link(10_001, "64.03.99.9999", "64.03"));
    assert!(is_fk_violation(budget_line::copy_desa_links(
        &mut conn, &bad
    )));
    assert_eq!(budget_line::copy_desa_links(&mut conn, &good).unwrap(), 500);
}

#[test]
fn tagging_cannot_name_another_districts_intervention() {
    let (_db, mut conn) = two_districts();
    assert!(is_fk_violation(budget_line::set_tag(
        &mut conn,
        &[9001],
        9002,
        "spesifik",
        "manual"
    )));
    assert!(is_fk_violation(budget_line::set_tag(
        &mut conn,
        &[9001],
        987_654,
        "spesifik",
        "manual"
    )));
    assert_eq!(
        budget_line::set_tag(&mut conn, &[9001], 9001, "spesifik", "manual").unwrap(),
        1
    );
    assert_eq!(
        budget_line::set_tag(&mut conn, &[9001], 1, "spesifik", "manual").unwrap(),
        1
    );
    // a desa link made by a person is held to its line's district, whatever district the caller says
    assert!(budget_line::add_manual_desa(&mut conn, "64.01", &[9001], "64.01.01.2009").is_err());
    assert!(is_fk_violation(budget_line::add_manual_desa(
        &mut conn,
        "64.03",
        &[9_999_999],
        "64.03.05.1004"
    )));
    assert_eq!(
        budget_line::add_manual_desa(&mut conn, "64.03", &[9001], "64.03.05.1004").unwrap(),
        1
    );
    // and again (ON CONFLICT DO UPDATE goes through the update check)
    assert_eq!(
        budget_line::add_manual_desa(&mut conn, "64.03", &[9001], "64.03.05.1004").unwrap(),
        1
    );
}

#[test]
fn parents_named_by_lines_or_links_cannot_go_or_change_their_key() {
    let (_db, mut conn) = two_districts();
    accepted(&mut conn, &line_sql(9101, 9001, 9001, "9001", "9001"));
    accepted(
        &mut conn,
        "INSERT INTO budget_line_desa (line_id, kode_desa, tag_source, kode_kabkota) VALUES (9101, '64.03.05.1007', 'impor', '64.03')",
    );
    for sql in [
        "DELETE FROM opd WHERE id = 9001",
        "UPDATE opd SET id = 9901 WHERE id = 9001",
        "UPDATE opd SET kode_kabkota = '64.01', kode = '9.99' WHERE id = 9001",
        "DELETE FROM budget_line_version; DELETE FROM import_batch WHERE id = 9001",
        "UPDATE import_batch SET id = 9901 WHERE id = 9001",
        "DELETE FROM intervensi WHERE id = 9001",
        "UPDATE intervensi SET id = 9901 WHERE id = 9001",
        "DELETE FROM lokus_desa; DELETE FROM tahun_anggaran WHERE kode_kabkota = '64.03'",
        "UPDATE tahun_anggaran SET tahun = 2031 WHERE kode_kabkota = '64.03'",
        "UPDATE tahapan_anggaran SET kode = 'awal' WHERE kode = 'murni'",
        "DELETE FROM wilayah WHERE kode = '64.03.05.1007'",
        "UPDATE wilayah SET kode = '64.03.05.1999' WHERE kode = '64.03.05.1007'",
        "UPDATE budget_line SET id = 9901 WHERE id = 9101",
    ] {
        let result = conn.transaction(|conn| conn.batch_execute(sql));
        assert!(is_fk_violation(result), "{sql} was not refused");
    }
    for sql in [
        "TRUNCATE opd CASCADE",
        "TRUNCATE import_batch CASCADE",
        "TRUNCATE intervensi CASCADE",
        "TRUNCATE tahapan_anggaran CASCADE",
        "TRUNCATE wilayah CASCADE",
        "TRUNCATE budget_line CASCADE",
    ] {
        assert!(
            conn.transaction(|conn| conn.batch_execute(sql)).is_err(),
            "{sql} was not refused"
        );
    }
    // a change that keeps the keys is not held up
    accepted(
        &mut conn,
        "UPDATE opd SET nama = 'Unit Berau Baru' WHERE id = 9001",
    );
    accepted(
        &mut conn,
        "UPDATE intervensi SET nama = 'Baru' WHERE id = 9001",
    );
    // deleting a line takes its desa links with it, as ON DELETE CASCADE did
    accepted(&mut conn, "DELETE FROM budget_line WHERE id = 9101");
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let left: Count =
        diesel::sql_query("SELECT count(*) AS n FROM budget_line_desa WHERE line_id = 9101")
            .get_result(&mut conn)
            .unwrap();
    assert_eq!(left.n, 0);
    // with nothing naming them any more, the parents can go
    accepted(&mut conn, "DELETE FROM intervensi WHERE id = 9002");
    accepted(
        &mut conn,
        "DELETE FROM wilayah WHERE kode = '64.03.05.1007'",
    );
}

#[test]
fn writing_lines_and_links_fires_no_per_row_trigger() {
    // the per-row cost this replaces: a foreign key is a pair of row-level triggers per reference
    let (_db, mut conn) = two_districts();
    #[derive(QueryableByName)]
    struct Trigger {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let row_level: Vec<String> = diesel::sql_query(
        "SELECT tgname::text AS name FROM pg_trigger
         WHERE tgrelid IN ('budget_line'::regclass, 'budget_line_desa'::regclass, 'realisasi'::regclass)
           AND tgtype & 1 = 1 AND tgtype & 4 = 4",
    )
    .load::<Trigger>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|row| row.name)
    .collect();
    assert!(
        row_level.is_empty(),
        "row-level insert triggers: {row_level:?}"
    );
}

/// A parent deleted while a writer's new line names it: whichever comes first, the other fails, and
/// no line is left without its OPD.
#[test]
fn a_concurrent_delete_of_a_parent_leaves_no_orphan() {
    let (db, mut conn) = two_districts();
    let url = db.url.clone();
    conn.batch_execute(
        "INSERT INTO opd (id, kode_kabkota, kode, nama) VALUES (9003, '64.03', '9.03', 'Unit sementara'), (9004, '64.03', '9.04', 'Unit sementara 2')",
    )
    .unwrap();

    // the writer first: the delete waits for its commit, then sees the line
    conn.batch_execute(&format!(
        "BEGIN; {}",
        line_sql(9201, 9003, 9001, "NULL", "NULL")
    ))
    .unwrap();
    let deleter = {
        let url = url.clone();
        std::thread::spawn(move || {
            let mut other = PgConnection::establish(&url).unwrap();
            other
                .batch_execute("SET statement_timeout = '20s'; DELETE FROM opd WHERE id = 9003")
                .map_err(|error| error.to_string())
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    conn.batch_execute("COMMIT").unwrap();
    let outcome = deleter.join().unwrap();
    assert!(
        outcome
            .as_ref()
            .is_err_and(|error| error.contains("budget_line_opd")),
        "the delete after a committed line: {outcome:?}"
    );

    // the delete first: the writer waits for its commit, then finds the OPD gone
    let mut other = PgConnection::establish(&url).unwrap();
    other
        .batch_execute("BEGIN; DELETE FROM opd WHERE id = 9004")
        .unwrap();
    let writer = {
        let url = url.clone();
        std::thread::spawn(move || {
            let mut third = PgConnection::establish(&url).unwrap();
            third
                .batch_execute(&format!(
                    "SET statement_timeout = '20s'; {}",
                    line_sql(9202, 9004, 9001, "NULL", "NULL")
                ))
                .map_err(|error| error.to_string())
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    other.batch_execute("COMMIT").unwrap();
    let outcome = writer.join().unwrap();
    assert!(
        outcome
            .as_ref()
            .is_err_and(|error| error.contains("budget_line_opd")),
        "the line after a committed delete: {outcome:?}"
    );
}

#[test]
fn a_reimport_cannot_move_lines_onto_foreign_rows() {
    let (_db, mut conn) = two_districts();
    let changes = |intervensi_id: Option<i32>, batch_id: i64| budget_line::BudgetLineChanges {
        tahapan: Tahapan::Murni,
        batch_id,
        source_row: 2,
        sub_kegiatan_nama: None,
        volume: None,
        satuan: None,
        harga_satuan: None,
        pagu: rust_decimal::Decimal::ONE,
        sumber_dana: None,
        intervensi_id,
        jenis: intervensi_id.map(|_| Jenis::Spesifik),
        tag_source: intervensi_id.map(|_| TagSource::Impor),
        sasaran: None,
        target_output: None,
        satuan_output: None,
        keterangan: None,
    };
    assert!(is_fk_violation(budget_line::update_lines(
        &mut conn,
        &[(9001, changes(Some(9002), 9001))]
    )));
    assert!(is_fk_violation(budget_line::update_lines(
        &mut conn,
        &[(9001, changes(None, 9002))]
    )));
    assert_eq!(
        budget_line::update_lines(&mut conn, &[(9001, changes(Some(9001), 9001))]).unwrap(),
        1
    );
    assert!(is_fk_violation(budget_line::mark_removed(
        &mut conn,
        &[9001],
        9002
    )));
    assert!(is_fk_violation(budget_line::snapshot_versions(
        &mut conn,
        &[9001],
        9002
    )));
    assert_eq!(
        budget_line::mark_removed(&mut conn, &[9001], 9001).unwrap(),
        1
    );
}

#[test]
fn outside_read_committed_links_are_checked_and_parents_keep_their_keys() {
    let (_db, mut conn) = two_districts();
    conn.batch_execute(
        "BEGIN ISOLATION LEVEL REPEATABLE READ;
         INSERT INTO budget_line_desa (line_id, kode_desa, tag_source, kode_kabkota) VALUES (9001, '64.03.05.1007', 'impor', '64.03');
         COMMIT;",
    )
    .expect("a link written under REPEATABLE READ");
    let refused = conn.batch_execute(
        "BEGIN ISOLATION LEVEL REPEATABLE READ; DELETE FROM intervensi WHERE id = 9001;",
    );
    let _ = conn.batch_execute("ROLLBACK");
    let message = refused
        .expect_err("a referenced key removed under REPEATABLE READ")
        .to_string();
    assert!(message.contains("READ COMMITTED"), "{message}");
    // a change that removes no key is fine at any level
    accepted(
        &mut conn,
        "BEGIN ISOLATION LEVEL SERIALIZABLE; UPDATE opd SET nama = 'Baru' WHERE id = 9001; COMMIT;",
    );
}

#[test]
fn the_newest_batch_touching_a_workplan_is_read_from_indexes() {
    let (_db, mut conn) = two_districts();
    conn.batch_execute(
        "INSERT INTO import_batch (id, kode_kabkota, tahun, tahapan, opd_id, actor, file_name, sha256, file, status, report)
         SELECT g, '64.03', 2024, 'murni', 9001, 't', 'f', repeat('a', 64), '', 'committed', '{}' FROM generate_series(9101, 9104) g;",
    )
    .unwrap();
    assert_eq!(
        budget_line::last_batch_touching(&mut conn, "64.03", 2024, &[9001]).unwrap(),
        Some(9001)
    );
    accepted(&mut conn, &line_sql(9201, 9001, 9102, "NULL", "NULL"));
    assert_eq!(
        budget_line::last_batch_touching(&mut conn, "64.03", 2024, &[9001]).unwrap(),
        Some(9102)
    );
    // removing a line touches the workplan too
    accepted(
        &mut conn,
        "UPDATE budget_line SET removed_in_batch = 9104 WHERE id = 9001",
    );
    assert_eq!(
        budget_line::last_batch_touching(&mut conn, "64.03", 2024, &[9001]).unwrap(),
        Some(9104)
    );
    assert_eq!(
        budget_line::last_batch_touching(&mut conn, "64.03", 2024, &[9001, 9002]).unwrap(),
        Some(9104)
    );
    assert_eq!(
        budget_line::last_batch_touching(&mut conn, "64.01", 2024, &[9002]).unwrap(),
        Some(9002)
    );
    assert_eq!(
        budget_line::last_batch_touching(&mut conn, "64.03", 2025, &[9001]).unwrap(),
        None
    );

    // every import asks this twice: it must read neither the OPD's lines nor the district's (here
    // another OPD's newer lines come first in any order by batch)
    conn.batch_execute(
        "INSERT INTO opd (id, kode_kabkota, kode, nama) VALUES (9003, '64.03', '9.03', 'Unit besar');
         INSERT INTO budget_line (kode_kabkota, opd_id, tahun, tahapan, batch_id, source_row, sub_kegiatan_kode, uraian, pagu)
         SELECT '64.03', 9003, 2024, 'murni', 9103, g, '1.02.02.2.02.0016', 'u', 1 FROM generate_series(1, 3000) g;
         ANALYZE budget_line;",
    )
    .unwrap();
    #[derive(QueryableByName)]
    struct Read {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        tuples: i64,
    }
    let read = conn
        .transaction(|conn| {
            assert_eq!(
                budget_line::last_batch_touching(conn, "64.03", 2024, &[9001])?,
                Some(9104)
            );
            diesel::sql_query(
                "SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::bigint AS tuples
                 FROM pg_stat_xact_user_tables WHERE relname = 'budget_line'",
            )
            .get_result::<Read>(conn)
        })
        .unwrap();
    assert!(
        read.tuples <= 10,
        "{} lines read to find the newest batch",
        read.tuples
    );
}

#[test]
fn moving_a_workplan_to_perubahan_rewrites_only_the_lines_not_there_yet() {
    let (_db, mut conn) = two_districts();
    for id in 9101..9105 {
        accepted(&mut conn, &line_sql(id, 9001, 9001, "NULL", "NULL"));
    }
    // a re-import has just written two of them with their new stage
    accepted(
        &mut conn,
        "UPDATE budget_line SET tahapan = 'perubahan' WHERE id IN (9101, 9102)",
    );
    let moved =
        budget_line::set_current_tahapan(&mut conn, "64.03", 9001, 2024, "perubahan").unwrap();
    assert_eq!(moved, 3, "9001, 9103 and 9104 only");
    assert_eq!(
        budget_line::set_current_tahapan(&mut conn, "64.03", 9001, 2024, "perubahan").unwrap(),
        0
    );
}
