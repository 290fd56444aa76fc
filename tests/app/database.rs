//! The database: migrations, the embedded private cluster, the reference data and the seed.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_migrations::MigrationHarness;
use lokus::db::embedded::EmbeddedPostgres;

use crate::support::{Seed, TestApp, TestDb};

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

fn table_count(conn: &mut PgConnection) -> i64 {
    count(
        conn,
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
}

#[test]
fn every_migration_runs_up_down_and_up_again() {
    let db = TestDb::blank();
    let mut conn = db.connect();
    let applied = lokus::db::run_migrations(&mut conn).expect("up");
    assert!(applied.len() >= 2);
    let tables = table_count(&mut conn);
    assert!(tables >= 13, "{tables} tables");

    conn.revert_all_migrations(lokus::db::MIGRATIONS)
        .expect("down");
    assert_eq!(table_count(&mut conn), 0, "down.sql leaves nothing behind");

    let again = lokus::db::run_migrations(&mut conn).expect("up again");
    assert_eq!(again, applied);
    assert_eq!(table_count(&mut conn), tables);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM intervensi"), 20);
    assert!(
        lokus::db::run_migrations(&mut conn)
            .expect("nothing pending")
            .is_empty()
    );
}

#[test]
fn the_embedded_cluster_starts_serves_and_stops() {
    // /tmp, not target/: the unprivileged server user must be able to reach the folder
    let dir = std::env::temp_dir().join(format!("lokus-embedded-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut cluster = EmbeddedPostgres::start(&dir, "postgres").expect("initdb and start");
    assert!(cluster.is_running());
    assert!(dir.join("PG_VERSION").exists());
    let url = cluster.url("lokus");
    assert!(url.contains("host="), "Unix socket only: {url}");
    lokus::db::create_database_if_missing(&url).expect("create the lokus database");
    let mut conn = PgConnection::establish(&url).expect("connect over the socket");
    assert_eq!(count(&mut conn, "SELECT 1::bigint AS n"), 1);
    let listen: String = diesel::select(diesel::dsl::sql::<Text>(
        "current_setting('listen_addresses')",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(listen, "", "no TCP listener");
    drop(conn);
    cluster.stop().expect("stop");
    assert!(!cluster.is_running());

    // an existing cluster is started again without initdb, and dropping the handle stops it
    let again = EmbeddedPostgres::start(&dir, "postgres").expect("restart");
    assert!(again.is_running());
    let mut conn = PgConnection::establish(&url).expect("the data survived");
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pg_database WHERE datname = 'lokus'"
        ),
        1
    );
    drop(conn);
    let probe = EmbeddedPostgres::start(&dir, "postgres").expect("attach to the running cluster");
    drop(probe); // not started by this handle: must leave the server running
    assert!(again.is_running());
    drop(again);
    let check = std::process::Command::new("pg_isready")
        .args(["-h", dir.to_str().unwrap()])
        .status();
    if let Ok(status) = check {
        assert!(!status.success(), "stopped when its handle was dropped");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_wilayah_list_is_loaded_whole_once() {
    let db = TestDb::new(Seed::Empty);
    let mut conn = db.connect();
    let levels = lokus::db::wilayah::count_by_tingkat(&mut conn).unwrap();
    assert_eq!(levels, vec![(1, 38), (2, 514), (3, 7_285), (4, 83_762)]);
    assert_eq!(levels.iter().map(|(_, n)| n).sum::<i64>(), 91_599);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM wilayah WHERE tingkat > 1 AND kode_induk IS NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM wilayah w WHERE kode_induk IS NOT NULL AND NOT EXISTS (SELECT 1 FROM wilayah p WHERE p.kode = w.kode_induk)"
        ),
        0
    );
    let berau = lokus::db::wilayah::find_by_kode(&mut conn, "64.03")
        .unwrap()
        .unwrap();
    assert_eq!(berau.nama, "Kabupaten Berau");
    // loading again is a no-op
    lokus::services::reference_data::ensure_loaded(&mut conn).unwrap();
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM wilayah"),
        91_599
    );
}

#[test]
fn the_catalogues_are_seeded_from_the_national_strategy() {
    let db = TestDb::new(Seed::Empty);
    let mut conn = db.connect();
    let catalogue = lokus::db::catalogue::list_intervensi(&mut conn, "64.03").unwrap();
    let codes: Vec<&str> = catalogue.iter().map(|row| row.kode.as_str()).collect();
    let expected: Vec<String> = (1..=9)
        .map(|n| format!("SP{n}"))
        .chain((1..=11).map(|n| format!("SE{n}")))
        .collect();
    assert_eq!(codes, expected);
    for row in &catalogue {
        let jenis = if row.kode.starts_with("SP") {
            "spesifik"
        } else {
            "sensitif"
        };
        assert_eq!(row.jenis, jenis, "{}", row.kode);
        assert!(
            !row.nama.is_empty() && !row.sasaran.is_empty() && !row.indikator.is_empty(),
            "{}",
            row.kode
        );
        assert!(row.kode_kabkota.is_none());
    }
    use lokus::db::catalogue::SimpleCatalogue;
    let sumber: Vec<String> =
        lokus::db::catalogue::list_simple(&mut conn, SimpleCatalogue::SumberDana, "64.03")
            .unwrap()
            .into_iter()
            .map(|row| row.kode)
            .collect();
    for kode in [
        "PAD",
        "DAU",
        "DBH",
        "DAK_FISIK",
        "DAK_NF_BOK",
        "DAK_NF_BOKB",
        "DANA_DESA",
        "ADD",
    ] {
        assert!(
            sumber.iter().any(|row| row == kode),
            "{kode} missing from {sumber:?}"
        );
    }
    let sasaran =
        lokus::db::catalogue::list_simple(&mut conn, SimpleCatalogue::Sasaran, "64.03").unwrap();
    assert!(sasaran.len() >= 10);
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM tahapan_anggaran"),
        2
    );
}

#[test]
fn the_demo_district_is_loaded_once_with_its_accounts() {
    let db = TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM lokus_desa WHERE kode_kabkota = '64.03' AND tahun = 2024"
        ),
        16
    );
    for kode in [
        "64.03.05.1004",
        "64.03.05.1005",
        "64.03.05.1006",
        "64.03.01.2001",
        "64.03.02.2003",
    ] {
        assert_eq!(
            count(
                &mut conn,
                &format!("SELECT count(*) AS n FROM lokus_desa WHERE kode_desa = '{kode}'")
            ),
            1,
            "{kode}"
        );
    }
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM opd WHERE kode_kabkota = '64.03'"
        ),
        5
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM users WHERE email LIKE '%@berau.demo'"
        ),
        6
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM users WHERE password_hash NOT LIKE '$argon2id$%'"
        ),
        0
    );
    assert!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM audit_log WHERE kode_kabkota = '64.03'"
        ) >= 29,
        "district, year, 16 lokus, 5 OPDs, 6 users: each audited"
    );
    let again = lokus::services::demo::load(&mut conn).unwrap_err();
    assert!(again.to_string().contains("already"));
}

#[test]
fn healthz_answers_503_when_the_database_is_gone() {
    let app = TestApp::start(Seed::Empty);
    let mut client = app.client();
    assert_eq!(client.get("/healthz").status, 200);
    let mut admin = PgConnection::establish(&crate::support::db::server_url()).unwrap();
    diesel::sql_query(format!(
        "DROP DATABASE {} WITH (FORCE)",
        lokus::db::quote_identifier(&app.db.name)
    ))
    .execute(&mut admin)
    .unwrap();
    assert_eq!(client.get("/healthz").status, 503);
}

#[test]
fn two_processes_migrating_one_fresh_database_at_once_both_succeed() {
    // several rounds: without the set-up lock the two race on the migrations table or a CREATE TABLE
    for _ in 0..3 {
        let db = TestDb::blank();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let (url, barrier) = (db.url.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut conn = PgConnection::establish(&url).expect("connect");
                    barrier.wait();
                    lokus::db::run_migrations(&mut conn).map_err(|error| error.to_string())
                })
            })
            .collect();
        let outcomes: Vec<_> = runs.into_iter().map(|run| run.join().unwrap()).collect();
        for outcome in &outcomes {
            assert!(outcome.is_ok(), "{outcomes:?}");
        }
        let applied: usize = outcomes.iter().map(|o| o.as_ref().unwrap().len()).sum();
        let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .unwrap()
            .filter(|entry| entry.as_ref().unwrap().path().is_dir())
            .count();
        assert_eq!(applied, migrations, "each migration ran once: {outcomes:?}");
    }
}

#[test]
fn the_database_layer_calls_no_service() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for word in ["crate::services", "crate::web", "crate::server"] {
            assert!(
                !text.contains(word),
                "{} names {word}: db is below them",
                path.display()
            );
        }
    }
}
