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

/// Everything the migrations make, one sorted line per thing: tables, columns (position, type, null,
/// default), constraints, indexes, triggers, functions, sequences. Two equal dumps are equal schemas.
fn schema_dump(conn: &mut PgConnection) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        line: String,
    }
    let sql = "
        SELECT 'table ' || c.relname AS line FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
           AND c.relname <> '__diesel_schema_migrations'
        UNION ALL
        SELECT format('column %s.%s #%s %s%s%s', c.relname, a.attname,
                      row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
                      format_type(a.atttypid, a.atttypmod),
                      CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                      coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''))
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
           AND c.relname <> '__diesel_schema_migrations' AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT format('constraint %s.%s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
          FROM pg_constraint WHERE connamespace = 'public'::regnamespace
           AND conrelid <> 0 AND conrelid::regclass::text <> '__diesel_schema_migrations'
        UNION ALL
        SELECT 'index ' || indexdef FROM pg_indexes
         WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'
        UNION ALL
        SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid
         WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
        UNION ALL
        SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'sequence ' || c.relname FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
        UNION ALL
        SELECT 'type ' || t.typname FROM pg_type t
         WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'c')
           AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)";
    let mut lines: Vec<String> = diesel::sql_query(sql)
        .load::<Line>(conn)
        .expect("schema dump")
        .into_iter()
        .map(|row| row.line)
        .collect();
    lines.sort();
    lines
}

/// The lines of `before` missing from `after` and the other way round, for a readable failure.
fn dump_diff(before: &[String], after: &[String]) -> String {
    let gone: Vec<&String> = before.iter().filter(|line| !after.contains(line)).collect();
    let new: Vec<&String> = after.iter().filter(|line| !before.contains(line)).collect();
    let mut text = String::new();
    for line in gone {
        text.push_str(&format!("- {line}\n"));
    }
    for line in new {
        text.push_str(&format!("+ {line}\n"));
    }
    text
}

#[test]
fn every_migration_runs_up_down_and_up_again() {
    let db = TestDb::blank();
    let mut conn = db.connect();
    // one migration at a time: each down.sql must give back exactly the schema before its up.sql
    let mut states = vec![schema_dump(&mut conn)];
    while conn
        .has_pending_migration(lokus::db::MIGRATIONS)
        .expect("look for pending migrations")
    {
        let before = states.last().unwrap().clone();
        let version = conn
            .run_next_migration(lokus::db::MIGRATIONS)
            .expect("up")
            .to_string();
        let after = schema_dump(&mut conn);
        assert_ne!(before, after, "{version} changes nothing");
        conn.revert_last_migration(lokus::db::MIGRATIONS)
            .expect("down");
        let reverted = schema_dump(&mut conn);
        assert!(
            reverted == before,
            "{version}: down.sql does not restore the schema before it:\n{}",
            dump_diff(&before, &reverted)
        );
        conn.run_next_migration(lokus::db::MIGRATIONS)
            .expect("up again");
        let again = schema_dump(&mut conn);
        assert!(
            again == after,
            "{version}: up after down differs:\n{}",
            dump_diff(&after, &again)
        );
        states.push(after);
    }
    let migrated = states.last().unwrap().clone();
    assert!(table_count(&mut conn) >= 13);

    // and all the way down and up again
    conn.revert_all_migrations(lokus::db::MIGRATIONS)
        .expect("down");
    let empty = schema_dump(&mut conn);
    assert!(
        empty.is_empty(),
        "down.sql leaves behind:\n{}",
        empty.join("\n")
    );
    let applied = lokus::db::run_migrations(&mut conn).expect("up again");
    assert_eq!(applied.len(), states.len() - 1);
    let again = schema_dump(&mut conn);
    assert!(again == migrated, "{}", dump_diff(&migrated, &again));
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM intervensi"), 20);
    assert!(
        lokus::db::run_migrations(&mut conn)
            .expect("nothing pending")
            .is_empty()
    );
}

/// `src/db/schema.rs` is written by hand: every table and column it declares, with its diesel type
/// and nullability, must be what the migrations made, and nothing the migrations made may be missing.
#[test]
fn schema_rs_matches_the_migrated_database() {
    let db = TestDb::blank();
    let mut conn = db.connect();
    lokus::db::run_migrations(&mut conn).expect("migrate");

    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
        #[diesel(sql_type = Text)]
        udt_name: String,
        #[diesel(sql_type = Text)]
        is_nullable: String,
    }
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, udt_name::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .unwrap();
    let diesel_type = |udt: &str| match udt {
        "int2" => "Int2",
        "int4" => "Int4",
        "int8" => "Int8",
        "text" => "Text",
        "varchar" => "Varchar",
        "bpchar" => "Bpchar",
        "bool" => "Bool",
        "numeric" => "Numeric",
        "timestamptz" => "Timestamptz",
        "jsonb" => "Jsonb",
        "json" => "Json",
        "bytea" => "Bytea",
        "date" => "Date",
        // arrays: diesel reads their elements as nullable, as print-schema writes them
        "_numeric" => "Array<Nullable<Numeric>>",
        other => panic!("no diesel type known here for {other}: extend this test"),
    };
    let mut database: Vec<String> = columns
        .iter()
        .map(|column| {
            let kind = diesel_type(&column.udt_name);
            let kind = if column.is_nullable == "YES" {
                format!("Nullable<{kind}>")
            } else {
                kind.to_owned()
            };
            format!("{}.{}: {kind}", column.table_name, column.column_name)
        })
        .collect();
    database.sort();

    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/db/schema.rs"))
        .expect("read schema.rs");
    let mut declared = Vec::new();
    let mut table: Option<String> = None;
    let mut header_next = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("diesel::table!") {
            header_next = true;
        } else if header_next && !line.is_empty() {
            table = line.split_whitespace().next().map(str::to_owned);
            header_next = false;
        } else if line == "}" {
            table = None;
        } else if let (Some(table), Some((column, kind))) = (&table, line.split_once("->")) {
            declared.push(format!(
                "{table}.{}: {}",
                column.trim(),
                kind.trim().trim_end_matches(',')
            ));
        }
    }
    declared.sort();
    assert!(
        declared.len() > 100,
        "the parser found {} columns",
        declared.len()
    );
    assert!(
        declared == database,
        "schema.rs and the migrations disagree (- only in schema.rs, + only in the database):\n{}",
        dump_diff(&declared, &database)
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
            "SELECT count(*) AS n FROM activity_log WHERE kode_kabkota = '64.03'"
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

#[test]
fn the_test_template_is_rebuilt_when_the_database_layer_or_domain_changes() {
    // a template kept across such a change would test yesterday's seed code
    for dir in ["src/db", "src/domain", "src/services", "migrations"] {
        assert!(
            crate::support::db::FINGERPRINTED.contains(&dir),
            "{dir} is not in the template fingerprint"
        );
    }
    assert_ne!(
        crate::support::db::fingerprint(Seed::Empty),
        crate::support::db::fingerprint(Seed::Demo)
    );
}
