//! The command line as an operator uses it: `lokus migrate`, `lokus demo`, `lokus user add`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::support::{Seed, TestApp, TestDb};

fn lokus(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lokus"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("LOKUS_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lokus");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("lokus finished")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_is_there_for_every_command() {
    let db = TestDb::new(Seed::Empty);
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["user", "add", "--help"],
        &["district", "--help"],
    ] {
        let output = lokus(&db, args, None);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}

#[test]
fn migrate_creates_a_missing_database_and_is_idempotent() {
    let db = TestDb::blank();
    // a name the server does not have yet: lokus creates it
    let missing_url = lokus::db::with_database(&db.url, &format!("{}_new", db.name));
    let output = Command::new(env!("CARGO_BIN_EXE_lokus"))
        .arg("migrate")
        .env("DATABASE_URL", &missing_url)
        .env("LOKUS_LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let second = Command::new(env!("CARGO_BIN_EXE_lokus"))
        .arg("migrate")
        .env("DATABASE_URL", &missing_url)
        .env("LOKUS_LOG", "warn")
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr(&second));
    let created = TestDb::adopt(&missing_url);
    let mut conn = created.connect();
    assert_eq!(
        lokus::db::wilayah::count_by_tingkat(&mut conn)
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn demo_loads_once_and_user_add_creates_working_accounts() {
    let db = TestDb::new(Seed::Empty);
    let none_yet = lokus(
        &db,
        &["user", "add", "--role", "admin", "--email", "a@b.id"],
        None,
    );
    assert!(!none_yet.status.success());
    assert!(
        stderr(&none_yet).contains("district add"),
        "{}",
        stderr(&none_yet)
    );

    let demo = lokus(&db, &["demo"], None);
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert!(stdout(&demo).contains("admin@berau.demo"));
    let mut conn = db.connect();
    let lines: i64 = diesel::RunQueryDsl::get_result(
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM budget_line)",
        )),
        &mut conn,
    )
    .unwrap();
    assert_eq!(
        lines,
        7 + 2 + 1 + 2,
        "the demo workplans of Dinkes (RKA) and PUPR, Dinsos, DPPKB (SIPD)"
    );
    let again = lokus(&db, &["demo"], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already"));

    let generated = lokus(
        &db,
        &[
            "user",
            "add",
            "--role",
            "opd",
            "--email",
            "PUPR@berau.demo",
            "--opd",
            "1.03.0.00.0.00.01.0000",
        ],
        None,
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    let password = stdout(&generated)
        .lines()
        .find_map(|line| line.strip_prefix("Password: ").map(str::to_owned))
        .expect("password printed");
    assert_eq!(password.len(), 16);

    let typed = lokus(
        &db,
        &[
            "user",
            "add",
            "--role",
            "pimpinan",
            "--email",
            "wabup@berau.demo",
            "--password-stdin",
        ],
        Some("sandi-wakil-bupati\n"),
    );
    assert!(typed.status.success(), "{}", stderr(&typed));
    assert!(
        !stdout(&typed).contains("sandi-wakil-bupati"),
        "a typed password is never echoed"
    );

    let bad_role = lokus(
        &db,
        &["user", "add", "--role", "raja", "--email", "x@berau.demo"],
        None,
    );
    assert_eq!(bad_role.status.code(), Some(1));
    assert!(stderr(&bad_role).contains("Peran harus"));
    let bad_opd = lokus(
        &db,
        &[
            "user",
            "add",
            "--role",
            "opd",
            "--email",
            "y@berau.demo",
            "--opd",
            "9.99",
        ],
        None,
    );
    assert!(stderr(&bad_opd).contains("tidak ada"));

    let reset = lokus(
        &db,
        &["user", "set-password", "--email", "wabup@berau.demo"],
        None,
    );
    assert!(reset.status.success(), "{}", stderr(&reset));
    let new_password = stdout(&reset)
        .lines()
        .find_map(|line| line.strip_prefix("Password: ").map(str::to_owned))
        .expect("password printed");
    let unknown = lokus(
        &db,
        &["user", "set-password", "--email", "siapa@berau.demo"],
        None,
    );
    assert_eq!(unknown.status.code(), Some(1));

    let app = TestApp::start_on(db);
    let mut pupr = app.client();
    assert_eq!(pupr.login("pupr@berau.demo", &password).status, 303);
    assert!(pupr.get("/opd").text().contains("Pekerjaan Umum"));
    assert_eq!(
        app.client()
            .login("wabup@berau.demo", "sandi-wakil-bupati")
            .status,
        401,
        "replaced by set-password"
    );
    assert_eq!(
        app.client().login("wabup@berau.demo", &new_password).status,
        303
    );
}

#[test]
fn bad_configuration_is_refused_by_name_before_anything_starts() {
    let db = TestDb::new(Seed::Empty);
    let output = Command::new(env!("CARGO_BIN_EXE_lokus"))
        .arg("migrate")
        .env("DATABASE_URL", &db.url)
        .env("LOKUS_SESSION_IDLE_MINUTES", "lama")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("LOKUS_SESSION_IDLE_MINUTES"),
        "{}",
        stderr(&output)
    );
    let leaked = Command::new(env!("CARGO_BIN_EXE_lokus"))
        .arg("migrate")
        .env("DATABASE_URL", "postgres://lokus:rahasia@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(!leaked.status.success());
    assert!(
        !stderr(&leaked).contains("rahasia"),
        "the database password is never printed: {}",
        stderr(&leaked)
    );
}
