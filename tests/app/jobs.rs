//! Background jobs: a worker picks a queued job up and its page follows it; the page is scoped like
//! every district record; a worker killed mid-job leaves nothing behind, and its job, shown as
//! interrupted, is started again by its owner.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use lokus::config::Settings;
use lokus::services::activity_log::Actor;
use lokus::services::jobs::{self, Workers};
use serde_json::json;

use crate::support::{Seed, TestApp};

const BERAU: &str = "64.03";

fn owner(conn: &mut PgConnection, email: &str) -> Actor {
    use lokus::db::schema::users;
    let id: i32 = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .expect("a demo account");
    Actor {
        user_id: Some(id),
        label: email.to_owned(),
        kode_kabkota: Some(BERAU.to_owned()),
    }
}

fn selftest(conn: &mut PgConnection, owner: &Actor, steps: u32, delay_ms: u64) -> i64 {
    jobs::enqueue(
        conn,
        jobs::SELFTEST,
        &json!({ "steps": steps, "delay_ms": delay_ms }),
        owner,
    )
    .expect("enqueue a job")
}

fn job(conn: &mut PgConnection, id: i64) -> lokus::db::job::Job {
    lokus::db::job::find(conn, id).unwrap().expect("the job")
}

/// Waits (at most a minute) until the job passes `until`.
fn wait_for(
    conn: &mut PgConnection,
    id: i64,
    until: impl Fn(&lokus::db::job::Job) -> bool,
) -> lokus::db::job::Job {
    let started = Instant::now();
    loop {
        let current = job(conn, id);
        if until(&current) {
            return current;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "job {id} stuck at {:?} {}/{:?}",
            current.status,
            current.progress_done,
            current.progress_total
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn selftest_writes(conn: &mut PgConnection, id: i64) -> i64 {
    use lokus::db::schema::activity_log;
    activity_log::table
        .filter(activity_log::action.eq("job.selftest"))
        .filter(activity_log::entity_id.eq(id.to_string()))
        .count()
        .get_result(conn)
        .unwrap()
}

#[test]
fn a_queued_job_is_worked_on_and_its_page_follows_it_to_the_end() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let dinkes = owner(&mut conn, "dinkes@berau.demo");
    let id = selftest(&mut conn, &dinkes, 3, 0);

    let mut client = app.login_as("dinkes@berau.demo");
    let page = client.get(&format!("/tugas/{id}"));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("menunggu giliran"), "{html}");
    // the bar updates itself from our own script, and the page still works without it
    assert!(html.contains("<script src=\"/static/tugas.js\" defer></script>"));
    assert!(!html.contains("<script>"));
    assert!(html.contains(&format!("href=\"/tugas/{id}\"")));
    let script = client.get("/static/tugas.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .contains("javascript")
    );

    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    let done = wait_for(&mut conn, id, |job| job.finished_at.is_some());
    workers.stop();
    assert_eq!(done.status, lokus::domain::JobStatus::Done);
    assert_eq!((done.progress_done, done.progress_total), (3, Some(3)));
    assert_eq!(done.attempts, 1);
    assert_eq!(done.result, Some(json!({ "steps": 3 })));
    assert_eq!(selftest_writes(&mut conn, id), 3);

    let status = client.get(&format!("/tugas/{id}/status"));
    assert_eq!(status.status, 200);
    let status: serde_json::Value = serde_json::from_str(&status.text()).unwrap();
    assert_eq!(status["status"], "done");
    assert_eq!(status["percent"], 100);
    assert_eq!(status["label"], "selesai");
    let html = client.get(&format!("/tugas/{id}")).text();
    assert!(html.contains("selesai"));
    assert!(!html.contains("/ulang"), "a finished job offers no restart");

    // a job that has not failed cannot be started again
    let refused = client.submit(&format!("/tugas/{id}"), &format!("/tugas/{id}/ulang"), &[]);
    assert_eq!(refused.status, 409);
    assert!(refused.text().contains(&format!("Tugas #{id} tidak gagal")));
}

#[test]
fn a_job_is_seen_in_its_district_and_by_an_opd_officer_only_when_it_is_theirs() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let dinkes = owner(&mut conn, "dinkes@berau.demo");
    let id = selftest(&mut conn, &dinkes, 1, 0);
    let actor = Actor::cli();
    lokus::services::setup::add_district(&mut conn, &actor, "64.01", false).unwrap();
    let input = lokus::services::setup::UserInput {
        email: "admin@paser.test".into(),
        role: "admin".into(),
        password: "rahasia-paser-1".into(),
        ..Default::default()
    };
    lokus::services::setup::create_user(&mut conn, &actor.in_district("64.01"), "64.01", &input)
        .unwrap();
    let mut paser = app.client();
    assert_eq!(
        paser.login("admin@paser.test", "rahasia-paser-1").status,
        303
    );

    for email in ["dinkes@berau.demo", "admin@berau.demo", "bupati@berau.demo"] {
        let mut client = app.login_as(email);
        assert_eq!(client.get(&format!("/tugas/{id}")).status, 200, "{email}");
        assert_eq!(
            client.get(&format!("/tugas/{id}/status")).status,
            200,
            "{email}"
        );
    }
    // another person of the district who is not an admin or leadership, another district, and a
    // job that does not exist: one and the same 404
    let mut baas = app.login_as("baas@berau.demo");
    for client in [&mut baas, &mut paser] {
        for path in [
            format!("/tugas/{id}"),
            format!("/tugas/{id}/status"),
            format!("/tugas/{id}/berkas"),
        ] {
            assert_eq!(client.get(&path).status, 404, "{path}");
        }
    }
    // the list shows the same jobs as the pages
    let link = format!("href=\"/tugas/{id}\"");
    assert!(
        app.login_as("dinkes@berau.demo")
            .get("/tugas")
            .text()
            .contains(&link)
    );
    assert!(!baas.get("/tugas").text().contains(&link));
    assert!(!paser.get("/tugas").text().contains(&link));
    let workbook = app.login_as("bupati@berau.demo").get("/tugas?format=xlsx");
    assert_eq!(workbook.status, 200);
    let mut admin = app.login_as("admin@berau.demo");
    assert_eq!(admin.get("/tugas/999999").status, 404);
    assert_eq!(admin.get("/tugas/banyak").status, 400);
}

#[test]
fn a_worker_killed_mid_job_leaves_nothing_and_the_owner_starts_the_job_again() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let dinkes = owner(&mut conn, "dinkes@berau.demo");
    let id = selftest(&mut conn, &dinkes, 120, 25);

    // another lokus process works on it, and dies in the middle
    let mut worker = Command::new(env!("CARGO_BIN_EXE_lokus"))
        .args(["jobs", "work", "--threads", "1"])
        .env("DATABASE_URL", &app.db.url)
        .env("LOKUS_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a worker process");
    let running = wait_for(&mut conn, id, |job| job.progress_done >= 5);
    worker.kill().expect("kill the worker");
    worker.wait().expect("the worker is gone");
    assert_eq!(running.status, lokus::domain::JobStatus::Running);
    assert!(running.progress_done < 120, "killed before the end");

    // nothing it wrote survives, and the job reads as interrupted as soon as its connection is
    // gone, long before its heartbeat is stale (60 s)
    assert_eq!(selftest_writes(&mut conn, id), 0);
    let started = Instant::now();
    let swept = loop {
        let swept = jobs::sweep_interrupted(&mut conn, 60.0).unwrap();
        if !swept.is_empty() || started.elapsed() > Duration::from_secs(20) {
            break swept;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(swept, vec![id]);
    let failed = job(&mut conn, id);
    assert_eq!(failed.status, lokus::domain::JobStatus::Failed);
    assert_eq!(failed.worker, None);
    assert_eq!(
        jobs::error_message(&failed).map(|message| message.key),
        Some(lokus::i18n::MessageKey::JobInterrupted)
    );

    let mut owner_client = app.login_as("dinkes@berau.demo");
    let html = owner_client.get(&format!("/tugas/{id}")).text();
    assert!(html.contains("gagal"), "{html}");
    assert!(html.contains("Terputus"), "{html}");
    assert!(html.contains(&format!("action=\"/tugas/{id}/ulang\"")));
    // leadership reads it but does not restart someone else's job
    let mut bupati = app.login_as("bupati@berau.demo");
    assert!(
        !bupati
            .get(&format!("/tugas/{id}"))
            .text()
            .contains("/ulang")
    );
    let refused = bupati.submit(&format!("/tugas/{id}"), &format!("/tugas/{id}/ulang"), &[]);
    assert_eq!(refused.status, 403);
    assert_eq!(job(&mut conn, id).status, lokus::domain::JobStatus::Failed);

    let restarted =
        owner_client.submit(&format!("/tugas/{id}"), &format!("/tugas/{id}/ulang"), &[]);
    assert_eq!(restarted.status, 303);
    assert_eq!(restarted.location(), Some(format!("/tugas/{id}").as_str()));
    let queued = job(&mut conn, id);
    assert_eq!(queued.status, lokus::domain::JobStatus::Queued);
    assert_eq!(queued.error, None);

    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    let done = wait_for(&mut conn, id, |job| job.finished_at.is_some());
    workers.stop();
    assert_eq!(done.status, lokus::domain::JobStatus::Done);
    assert_eq!(done.attempts, 2);
    assert_eq!(selftest_writes(&mut conn, id), 120);
    use lokus::db::schema::activity_log;
    let restarts: i64 = activity_log::table
        .filter(activity_log::action.eq("job.restart"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(restarts, 1);
}

const RKA_DINKES: &[u8] = include_bytes!("../../imports/rka-dinkes-berau-2024.xlsx");

#[test]
fn a_running_job_whose_heartbeat_went_stale_is_interrupted_and_a_live_one_is_not() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let dinkes = owner(&mut conn, "dinkes@berau.demo");
    let id = selftest(&mut conn, &dinkes, 400, 25);
    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    wait_for(&mut conn, id, |job| job.progress_done >= 2);
    // alive: its lock is held and its heartbeat fresh
    assert!(jobs::sweep_interrupted(&mut conn, 60.0).unwrap().is_empty());
    // a process that hangs keeps its lock but stops its heartbeat: simulated with a stale one
    diesel::sql_query("UPDATE job SET heartbeat_at = now() - interval '2 minutes' WHERE id = $1")
        .bind::<diesel::sql_types::BigInt, _>(id)
        .execute(&mut conn)
        .unwrap();
    assert_eq!(jobs::sweep_interrupted(&mut conn, 60.0).unwrap(), vec![id]);
    // the worker finds the job taken from it and keeps none of its work
    workers.stop();
    let failed = job(&mut conn, id);
    assert_eq!(failed.status, lokus::domain::JobStatus::Failed);
    assert_eq!(selftest_writes(&mut conn, id), 0);
}

#[test]
fn a_large_upload_is_analysed_and_committed_as_jobs_and_the_pages_lead_from_one_to_the_next() {
    let db = crate::support::TestDb::new(Seed::Demo);
    // every upload counts as large here
    let app = TestApp::start_with(db, |settings| settings.import_job_threshold_kb = 0);
    let mut conn = app.db.connect();
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rka-dinkes-berau-2024.xlsx",
        RKA_DINKES,
    );
    assert_eq!(uploaded.status, 303, "{}", uploaded.text());
    let job_url = uploaded.location().unwrap().to_owned();
    assert!(job_url.starts_with("/tugas/"), "{job_url}");
    let analyse: i64 = job_url["/tugas/".len()..].parse().unwrap();
    assert!(
        dinkes
            .get(&job_url)
            .text()
            .contains("Pemeriksaan berkas impor")
    );

    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    let analysed = wait_for(&mut conn, analyse, |job| job.finished_at.is_some());
    assert_eq!(
        analysed.status,
        lokus::domain::JobStatus::Done,
        "{:?}",
        analysed.error
    );
    let batch = analysed.batch_id.expect("the job names its batch");
    assert_eq!(analysed.result_link, Some(format!("/impor/{batch}")));
    // the upload now lives in its batch, not twice
    assert_eq!(
        lokus::db::job::input_file(&mut conn, analyse).unwrap(),
        None
    );
    let status: serde_json::Value =
        serde_json::from_str(&dinkes.get(&format!("{job_url}/status")).text()).unwrap();
    assert_eq!(status["link"], format!("/impor/{batch}"));
    let report = dinkes.get(&format!("/impor/{batch}")).text();
    assert!(report.contains("21 / 7 / 14 / 0"), "{report}");

    let committed = dinkes.submit(
        &format!("/impor/{batch}"),
        &format!("/impor/{batch}/simpan"),
        &[],
    );
    assert_eq!(committed.status, 303);
    let commit_url = committed.location().unwrap().to_owned();
    assert!(commit_url.starts_with("/tugas/"), "{commit_url}");
    let commit: i64 = commit_url["/tugas/".len()..].parse().unwrap();
    let done = wait_for(&mut conn, commit, |job| job.finished_at.is_some());
    assert_eq!(
        done.status,
        lokus::domain::JobStatus::Done,
        "{:?}",
        done.error
    );
    assert_eq!(done.result_link, Some(format!("/impor/{batch}?disimpan=1")));
    let lines: i64 = {
        use lokus::db::schema::budget_line;
        budget_line::table
            .filter(budget_line::batch_id.eq(batch))
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    assert_eq!(lines, 7);
    // the batch's audit names the officer who asked, not the worker
    let actors: Vec<String> = {
        use lokus::db::schema::activity_log;
        activity_log::table
            .filter(activity_log::entity.eq("import_batch"))
            .select(activity_log::actor)
            .load(&mut conn)
            .unwrap()
    };
    assert!(!actors.is_empty());
    assert!(
        actors.iter().all(|actor| actor == "dinkes@berau.demo"),
        "{actors:?}"
    );

    // committing again is refused by the job, which says why on its page
    let again = dinkes.submit(
        &format!("/impor/{batch}"),
        &format!("/impor/{batch}/simpan"),
        &[],
    );
    let again_url = again.location().unwrap().to_owned();
    let again_id: i64 = again_url["/tugas/".len()..].parse().unwrap();
    let failed = wait_for(&mut conn, again_id, |job| job.finished_at.is_some());
    workers.stop();
    assert_eq!(failed.status, lokus::domain::JobStatus::Failed);
    let page = dinkes.get(&again_url).text();
    assert!(
        page.contains(&format!("Impor #{batch} sudah disimpan")),
        "{page}"
    );
}

#[test]
fn an_import_job_waits_for_a_turn_at_the_import_gate_like_an_upload() {
    let db = crate::support::TestDb::new(Seed::Demo);
    let app = TestApp::start_with(db, |settings| settings.import_job_threshold_kb = 0);
    let mut conn = app.db.connect();
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let uploaded = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rka-dinkes-berau-2024.xlsx",
        RKA_DINKES,
    );
    let job_url = uploaded.location().unwrap().to_owned();
    let analyse: i64 = job_url["/tugas/".len()..].parse().unwrap();
    // every turn of this process's gate taken (after any other test's import is through)
    let gate = lokus::services::import::gate(1);
    let turns: Vec<_> = (0..gate.limit()).map(|_| gate.turn_blocking()).collect();
    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        let waiting = job(&mut conn, analyse);
        assert!(
            waiting.finished_at.is_none() && waiting.batch_id.is_none(),
            "the job imported without a turn: {:?}",
            waiting.status
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(turns);
    let analysed = wait_for(&mut conn, analyse, |job| job.finished_at.is_some());
    workers.stop();
    assert_eq!(
        analysed.status,
        lokus::domain::JobStatus::Done,
        "{:?}",
        analysed.error
    );
    assert!(analysed.batch_id.is_some());
}

/// A finished job holding a result file, ended `days_ago`.
fn finished_with_file(conn: &mut PgConnection, owner: &Actor, days_ago: i32) -> i64 {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    diesel::sql_query(
        "INSERT INTO job (kode_kabkota, kind, status, user_id, actor, result_file, result_file_name,
                          created_at, started_at, finished_at)
         VALUES ('64.03', 'selftest', 'done', $1, $2, 'isi'::bytea, 'hasil.xlsx',
                 now() - make_interval(days => $3), now() - make_interval(days => $3),
                 now() - make_interval(days => $3))
         RETURNING id",
    )
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Integer>, _>(owner.user_id)
    .bind::<diesel::sql_types::Text, _>(&owner.label)
    .bind::<diesel::sql_types::Integer, _>(days_ago)
    .get_result::<Id>(conn)
    .expect("a finished job")
    .id
}

#[test]
fn an_old_finished_jobs_result_file_is_swept_and_its_page_says_the_file_expired() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    let admin = owner(&mut conn, "admin@berau.demo");
    // the default keeps files 14 days after the job ended
    let old = finished_with_file(&mut conn, &admin, 20);
    let recent = finished_with_file(&mut conn, &admin, 1);
    let mut client = app.login_as("admin@berau.demo");
    assert_eq!(client.get(&format!("/tugas/{old}/berkas")).status, 200);

    // the workers' housekeeping sweeps it between jobs
    let workers = Workers::start_n(&app.db.url, &Settings::default(), 1);
    let swept = wait_for(&mut conn, old, |job| job.result_file_expired_at.is_some());
    workers.stop();
    assert_eq!(
        swept.status,
        lokus::domain::JobStatus::Done,
        "the job stays"
    );
    assert_eq!(lokus::db::job::result_file(&mut conn, old).unwrap(), None);
    assert!(
        lokus::db::job::result_file(&mut conn, recent)
            .unwrap()
            .is_some(),
        "a file within its days is kept"
    );
    assert!(job(&mut conn, recent).result_file_expired_at.is_none());

    let page = client.get(&format!("/tugas/{old}")).text();
    assert!(
        page.contains(&format!("Berkas hasil tugas #{old} sudah kedaluwarsa")),
        "{page}"
    );
    assert!(page.contains("disimpan 14 hari"), "{page}");
    assert!(!page.contains(&format!("/tugas/{old}/berkas")), "{page}");
    let gone = client.get(&format!("/tugas/{old}/berkas"));
    assert_eq!(gone.status, 410);
    assert!(gone.text().contains("sudah kedaluwarsa"), "{}", gone.text());
    let kept = client.get(&format!("/tugas/{recent}")).text();
    assert!(kept.contains(&format!("/tugas/{recent}/berkas")), "{kept}");
}

/// `lokus import workplan` on a 10,000-line workbook, its stderr a terminal (through `script`'s
/// pseudo-terminal) or a pipe.
fn import_large(app: &TestApp, terminal: bool) -> String {
    let bytes = lokus::bench::generate_workplan(10_000).unwrap();
    let file = crate::support::cli::write_temp("besar.xlsx", &bytes);
    let exe = env!("CARGO_BIN_EXE_lokus");
    let args = format!(
        "{exe} import workplan {} --opd 1.02.0.00.0.00.01.0000 --year 2024 --dry-run --json",
        file.display()
    );
    let output = if terminal {
        Command::new("script")
            .args(["-qec", &args, "/dev/null"])
            .env("DATABASE_URL", &app.db.url)
            .env("LOKUS_LOG", "warn")
            .output()
            .expect("run lokus under script")
    } else {
        Command::new("sh")
            .args(["-c", &args])
            .env("DATABASE_URL", &app.db.url)
            .env("LOKUS_LOG", "warn")
            .output()
            .expect("run lokus")
    };
    assert!(output.status.success(), "{output:?}");
    // `script` hands the terminal's output back on its stdout, stderr and stdout together
    if terminal {
        String::from_utf8_lossy(&output.stdout).into_owned()
    } else {
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

#[test]
fn the_command_line_draws_a_progress_line_on_a_terminal_and_nothing_when_piped() {
    let app = TestApp::start(Seed::Demo);
    let piped = import_large(&app, false);
    assert!(!piped.contains('\r'), "{piped}");
    assert!(!piped.contains("lokus import "), "{piped}");
    if Command::new("script").arg("--version").output().is_err() {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\n*** the terminal half SKIPPED: `script` (util-linux) not found ***\n",
        );
        return;
    }
    let terminal = import_large(&app, true);
    assert!(terminal.contains("\r\x1b[2Klokus import "), "{terminal:?}");
    assert!(terminal.contains("/10000 ("), "{terminal:?}");
}
