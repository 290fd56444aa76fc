//! Integrity kept by the database itself: no row can point at another district's row, whatever
//! path writes it (plain SQL here, so no lokus check can stand in for the database's).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

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
         WHERE t.relname IN ('budget_line', 'budget_line_version')",
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
    ] {
        assert!(
            indexed.iter().any(|found| found == column),
            "no index leads with {column}: {indexed:?}"
        );
    }
}
