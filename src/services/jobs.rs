//! Background jobs, lokus's one mechanism for long work: `enqueue` a job of a registered kind, and
//! any lokus process's `Workers` pick it up (state in PostgreSQL: a restart or a second server
//! loses nothing). A kind's runner does its work in one transaction with a [`Progress`] handle;
//! the job's "done" commits with that work, so a worker that dies leaves nothing half-written, and
//! its job, its heartbeat gone stale, is failed as interrupted and can be started again.
//!
//! Adding a kind: write `fn run(conn, &JobContext) -> ServiceResult<JobOutcome>` and list a
//! [`Kind`] in [`KINDS`]. The runner reads its payload from `ctx.job.payload`, reports with
//! `ctx.progress`, audits its changes as any service does, and returns what the job page links to.

use std::io::{IsTerminal, Write};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::json;

use crate::config::Settings;
use crate::db::job::{self as db_job, Job, JobScope, NewJob};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::error::{ServiceError, ServiceResult};
use crate::services::import_jobs;

pub use crate::db::job::JobOutcome;

/// What a runner is given besides its connection (already inside the job's transaction).
pub struct JobContext<'a> {
    pub job: &'a Job,
    pub progress: &'a Progress,
    pub settings: &'a Settings,
}

impl JobContext<'_> {
    /// The person who asked for the job, to audit the job's changes in their name.
    pub fn owner(&self) -> Actor {
        Actor {
            user_id: self.job.user_id,
            label: self.job.actor.clone(),
            kode_kabkota: Some(self.job.kode_kabkota.clone()),
        }
    }

    /// The file the job was given to work on (`enqueue_with_file`).
    pub fn input_file(&self, conn: &mut PgConnection) -> ServiceResult<Vec<u8>> {
        db_job::input_file(conn, self.job.id)?
            .ok_or_else(|| ServiceError::internal(format!("job {} has no input file", self.job.id)))
    }

    /// The job's payload as the runner's own type; a payload it cannot read fails the job.
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> ServiceResult<T> {
        serde_json::from_value(self.job.payload.clone()).map_err(|error| {
            ServiceError::internal(format!("job {} payload: {error}", self.job.id))
        })
    }
}

pub type Runner = fn(&mut PgConnection, &JobContext<'_>) -> ServiceResult<JobOutcome>;

/// One kind of job: its stored name, what its page calls it, and its runner.
pub struct Kind {
    pub name: &'static str,
    pub title: MessageKey,
    pub run: Runner,
}

/// The registry: every kind this version of lokus can run. A process claims only these, so a newer
/// process's kinds wait for a process that knows them.
pub const KINDS: &[Kind] = &[
    Kind {
        name: SELFTEST,
        title: MessageKey::JobKindSelftest,
        run: run_selftest,
    },
    Kind {
        name: import_jobs::ANALYSE,
        title: MessageKey::JobKindImportAnalyse,
        run: import_jobs::run_analyse,
    },
    Kind {
        name: import_jobs::COMMIT,
        title: MessageKey::JobKindImportCommit,
        run: import_jobs::run_commit,
    },
    Kind {
        name: crate::services::summary_jobs::EXPORT,
        title: MessageKey::JobKindSummaryExport,
        run: crate::services::summary_jobs::run_export,
    },
];

pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.name == name)
}

/// A job's progress: units done of a total (unknown until `set_total`). Cheap to update from the
/// hot loop (two atomics); the worker writes it to the job row twice a second, the command line
/// draws it on the terminal. `Progress::default()` reports nowhere.
#[derive(Clone, Default)]
pub struct Progress {
    counters: Arc<Counters>,
}

#[derive(Default)]
struct Counters {
    done: AtomicU64,
    /// 0 while unknown
    total: AtomicU64,
    /// the job was taken from this worker (swept as interrupted): its work will be rolled back
    lost: AtomicBool,
}

impl Progress {
    pub fn set_total(&self, total: u64) {
        self.counters.total.store(total, Ordering::Relaxed);
    }

    pub fn set_done(&self, done: u64) {
        self.counters.done.store(done, Ordering::Relaxed);
    }

    pub fn advance(&self, units: u64) {
        self.counters.done.fetch_add(units, Ordering::Relaxed);
    }

    /// True once the job is no longer this worker's: a runner may stop early, since its work will
    /// be rolled back whatever it does.
    pub fn lost(&self) -> bool {
        self.counters.lost.load(Ordering::Relaxed)
    }

    /// (done, total); total `None` while unknown.
    pub fn get(&self) -> (u64, Option<u64>) {
        let total = self.counters.total.load(Ordering::Relaxed);
        (
            self.counters.done.load(Ordering::Relaxed),
            (total > 0).then_some(total),
        )
    }
}

/// Queues a job of `kind` with `payload` for `owner` (who asked: their district owns the job, and
/// an `opd` officer sees only their own), audited, and wakes the workers when the caller commits.
/// A payload's `batch_id` names the import batch the job works on (its report page links to it).
pub fn enqueue(
    conn: &mut PgConnection,
    kind: &str,
    payload: &serde_json::Value,
    owner: &Actor,
) -> ServiceResult<i64> {
    enqueue_with_file(conn, kind, payload, None, owner)
}

/// [`enqueue`] with a file for the job to work on (an upload), read by the runner with
/// [`JobContext::input_file`] and dropped when the job is done.
pub fn enqueue_with_file(
    conn: &mut PgConnection,
    kind: &str,
    payload: &serde_json::Value,
    input_file: Option<&[u8]>,
    owner: &Actor,
) -> ServiceResult<i64> {
    let Some(kind) = self::kind(kind) else {
        return Err(ServiceError::internal(format!("unknown job kind {kind}")));
    };
    let Some(kode_kabkota) = owner.kode_kabkota.as_deref() else {
        return Err(ServiceError::internal("a job needs a district"));
    };
    conn.transaction(|conn| {
        let id = db_job::insert(
            conn,
            &NewJob {
                kode_kabkota,
                kind: kind.name,
                payload,
                batch_id: payload.get("batch_id").and_then(serde_json::Value::as_i64),
                user_id: owner.user_id,
                actor: &owner.label,
                input_file,
            },
        )?;
        activity_log::record(
            conn,
            owner,
            "job.enqueue",
            "job",
            id,
            NOTHING,
            Some(&json!({ "kind": kind.name })),
        )?;
        db_job::notify_workers(conn)?;
        Ok(id)
    })
}

/// Starts a failed job again (its owner or an admin asks; the caller checked who may). A job that
/// has not failed is refused with a message.
pub fn restart(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &JobScope,
    id: i64,
) -> ServiceResult<()> {
    conn.transaction(|conn| {
        let job = db_job::find_for_scope(conn, id, scope)?.ok_or(ServiceError::NotFound)?;
        if !db_job::requeue(conn, job.id)? {
            return Err(ServiceError::Conflict(
                Message::new(MessageKey::JobNotRestartable).arg(id),
            ));
        }
        activity_log::record(
            conn,
            actor,
            "job.restart",
            "job",
            id,
            Some(&json!({ "status": job.status, "attempts": job.attempts })),
            Some(&json!({ "status": "queued" })),
        )?;
        db_job::notify_workers(conn)?;
        Ok(())
    })
}

/// Fails the running jobs whose worker stopped saying it is alive (`job_stale_seconds`). Any page
/// showing jobs calls this first, and so does every worker between jobs.
pub fn sweep_interrupted(conn: &mut PgConnection, stale_seconds: f64) -> QueryResult<Vec<i64>> {
    let swept = db_job::sweep_interrupted(
        conn,
        stale_seconds,
        &message_json(&Message::new(MessageKey::JobInterrupted)),
    )?;
    if !swept.is_empty() {
        tracing::warn!(jobs = ?swept, "jobs interrupted: their worker stopped");
    }
    Ok(swept)
}

/// Drops the result files of jobs that ended more than `ttl_days` ago: the job stays, with when
/// its file went. The workers' housekeeping, between jobs.
pub fn expire_files(conn: &mut PgConnection, ttl_days: u32) -> QueryResult<usize> {
    let before = chrono::Utc::now() - chrono::Duration::days(i64::from(ttl_days));
    let expired = db_job::expire_result_files(conn, before)?;
    if expired > 0 {
        tracing::info!(expired, ttl_days, "expired the result files of old jobs");
    }
    Ok(expired)
}

/// The error a failed job shows, in the reader's language.
pub fn error_message(job: &Job) -> Option<Message> {
    job.error.as_ref().map(|error| {
        serde_json::from_value(error.clone()).unwrap_or(MessageKey::UnknownMessage.into())
    })
}

pub fn status_message(status: crate::domain::JobStatus) -> Message {
    use crate::domain::JobStatus;
    Message::new(match status {
        JobStatus::Queued => MessageKey::JobStatusQueued,
        JobStatus::Running => MessageKey::JobStatusRunning,
        JobStatus::Done => MessageKey::JobStatusDone,
        JobStatus::Failed => MessageKey::JobStatusFailed,
    })
}

/// What the page calls a kind (a kind from another version names itself).
pub fn kind_message(name: &str) -> Message {
    match kind(name) {
        Some(kind) => Message::new(kind.title),
        None => Message::new(MessageKey::JobKindUnknown).arg(name),
    }
}

fn message_json(message: &Message) -> serde_json::Value {
    serde_json::to_value(message).unwrap_or(serde_json::Value::Null)
}

/// How often a running job's progress and heartbeat are written, and how often an idle worker
/// looks at the queue when no notification came (another process's `NOTIFY` wakes it sooner).
const REPORT_EVERY: Duration = Duration::from_millis(500);
const POLL_EVERY: Duration = Duration::from_secs(2);
const LISTEN_EVERY: Duration = Duration::from_millis(100);
/// How often a worker looks for result files past `job_file_ttl_days` (and once when it starts).
const EXPIRE_FILES_EVERY: Duration = Duration::from_secs(15 * 60);

/// The worker pool of one process: `job_workers` threads of their own (not actix's blocking pool),
/// each with its own two connections (not the web's pool), so jobs never starve requests. Stopped
/// (after the jobs at hand finish) when dropped.
pub struct Workers {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    pub fn start(database_url: &str, settings: &Settings) -> Workers {
        Self::start_n(database_url, settings, settings.job_workers)
    }

    pub fn start_n(database_url: &str, settings: &Settings, count: usize) -> Workers {
        let stop = Arc::new(AtomicBool::new(false));
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|name| name.trim().to_owned())
            .unwrap_or_else(|_| "lokus".to_owned());
        let threads = (0..count)
            .map(|index| {
                let worker = format!("{host}:{}:{index}", std::process::id());
                let (url, settings, stop) =
                    (database_url.to_owned(), settings.clone(), stop.clone());
                std::thread::Builder::new()
                    .name(format!("lokus-job-{index}"))
                    .spawn(move || work_until_stopped(&url, &settings, &worker, &stop))
                    .expect("spawn a job worker thread")
            })
            .collect();
        Workers { stop, threads }
    }

    /// Blocks for as long as the workers run (until the process is stopped).
    pub fn wait(mut self) {
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }

    /// Stops taking jobs and waits for the ones in hand.
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

fn work_until_stopped(url: &str, settings: &Settings, worker: &str, stop: &AtomicBool) {
    let kinds: Vec<&str> = KINDS.iter().map(|kind| kind.name).collect();
    let mut connections: Option<(PgConnection, PgConnection)> = None;
    let mut files_expired_at: Option<Instant> = None;
    while !stop.load(Ordering::SeqCst) {
        let (work, side) = match connections.as_mut() {
            Some(pair) => pair,
            None => match connect_pair(url) {
                Ok(pair) => connections.insert(pair),
                Err(error) => {
                    tracing::warn!(%error, worker, "job worker cannot connect; retrying");
                    sleep_unless_stopped(POLL_EVERY, stop);
                    continue;
                }
            },
        };
        // housekeeping between jobs: interrupted jobs failed, old result files dropped
        let due = files_expired_at.is_none_or(|at| at.elapsed() >= EXPIRE_FILES_EVERY);
        let claimed = sweep_interrupted(work, f64::from(settings.job_stale_seconds))
            .and_then(|_| {
                if due {
                    expire_files(work, settings.job_file_ttl_days)?;
                    files_expired_at = Some(Instant::now());
                }
                Ok(())
            })
            .and_then(|_| db_job::claim_next(work, worker, &kinds));
        match claimed {
            Ok(Some(job)) => {
                if !run_claimed(work, side, settings, worker, &job) {
                    // the work connection may be unusable (a panic mid-transaction): start afresh
                    connections = None;
                }
            }
            Ok(None) => wait_for_work(work, stop),
            Err(error) => {
                tracing::warn!(%error, worker, "job worker lost its connection; reconnecting");
                connections = None;
                sleep_unless_stopped(POLL_EVERY, stop);
            }
        }
    }
}

fn connect_pair(url: &str) -> Result<(PgConnection, PgConnection), String> {
    let mut work = PgConnection::establish(url).map_err(|error| error.to_string())?;
    db_job::listen(&mut work).map_err(|error| error.to_string())?;
    let side = PgConnection::establish(url).map_err(|error| error.to_string())?;
    Ok((work, side))
}

fn sleep_unless_stopped(duration: Duration, stop: &AtomicBool) {
    let until = Instant::now() + duration;
    while Instant::now() < until && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(LISTEN_EVERY);
    }
}

/// Waits until a job is announced (`NOTIFY`), the poll interval passes, or the pool stops.
fn wait_for_work(conn: &mut PgConnection, stop: &AtomicBool) {
    let until = Instant::now() + POLL_EVERY;
    while Instant::now() < until && !stop.load(Ordering::SeqCst) {
        // reads what the server already sent; sends no query
        if conn.notifications_iter().any(|note| note.is_ok()) {
            return;
        }
        std::thread::sleep(LISTEN_EVERY);
    }
}

/// Runs one claimed job to its end. False when the work connection should be dropped.
fn run_claimed(
    work: &mut PgConnection,
    side: &mut PgConnection,
    settings: &Settings,
    worker: &str,
    job: &Job,
) -> bool {
    let started = Instant::now();
    let progress = Progress::default();
    let finished = AtomicBool::new(false);
    let Some(kind) = kind(&job.kind) else {
        let error = message_json(&Message::new(MessageKey::JobKindUnknown).arg(&job.kind));
        return db_job::fail(work, job.id, worker, &error).is_ok()
            && db_job::release(work, job.id).is_ok();
    };
    let outcome = std::thread::scope(|scope| {
        let reporter =
            scope.spawn(|| report_until_finished(side, job.id, worker, &progress, &finished));
        let ctx = JobContext {
            job,
            progress: &progress,
            settings,
        };
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            work.transaction(|conn| {
                let outcome = (kind.run)(conn, &ctx)?;
                let (done, total) = progress.get();
                let last = (clamp(done), total.map(clamp));
                if db_job::finish(conn, job.id, worker, &outcome, last)? {
                    Ok(())
                } else {
                    // swept as interrupted meanwhile (and maybe started elsewhere): keep nothing
                    Err(ServiceError::internal("the job was taken from this worker"))
                }
            })
        }));
        finished.store(true, Ordering::SeqCst);
        let _ = reporter.join();
        outcome
    });
    let elapsed = started.elapsed();
    let verdict = match outcome {
        Ok(Ok(())) => {
            tracing::info!(job = job.id, kind = %job.kind, ?elapsed, "job done");
            true
        }
        Ok(Err(error)) => {
            let message = match error.user_message() {
                Some(message) => message.clone(),
                None => {
                    tracing::error!(job = job.id, kind = %job.kind, %error, "job failed");
                    Message::new(MessageKey::JobFailedInternal)
                }
            };
            if let Err(error) = db_job::fail(work, job.id, worker, &message_json(&message)) {
                tracing::warn!(job = job.id, %error, "cannot record the job's failure");
                return false;
            }
            true
        }
        Err(_) => {
            tracing::error!(job = job.id, kind = %job.kind, "job panicked");
            // end the abandoned transaction first: it may hold the job's row
            let _ = diesel::connection::SimpleConnection::batch_execute(work, "ROLLBACK");
            let error = message_json(&Message::new(MessageKey::JobFailedInternal));
            let _ = db_job::fail(side, job.id, worker, &error);
            false
        }
    };
    // the job's end is committed: its lock may go (a dropped connection lets go by itself)
    if verdict && let Err(error) = db_job::release(work, job.id) {
        tracing::warn!(job = job.id, %error, "cannot release the job's lock");
        return false;
    }
    verdict
}

/// Writes the job's progress and heartbeat every `REPORT_EVERY` on the side connection, outside the
/// work's transaction, so pages see them while the work is uncommitted.
fn report_until_finished(
    conn: &mut PgConnection,
    id: i64,
    worker: &str,
    progress: &Progress,
    finished: &AtomicBool,
) {
    let mut last_beat = Instant::now();
    while !finished.load(Ordering::SeqCst) {
        // short naps, so the end of a quick job is not held up by half a second
        std::thread::sleep(Duration::from_millis(50));
        if last_beat.elapsed() < REPORT_EVERY {
            continue;
        }
        last_beat = Instant::now();
        let (done, total) = progress.get();
        match db_job::report_progress(conn, id, worker, clamp(done), total.map(clamp)) {
            Ok(true) => {}
            Ok(false) => progress.counters.lost.store(true, Ordering::Relaxed),
            Err(error) => tracing::warn!(job = id, %error, "cannot write the job's progress"),
        }
    }
}

fn clamp(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A progress line on stderr (`label 1234/20000 (6%)`), redrawn a few times a second, when stderr is
/// a terminal; nothing at all when it is piped or redirected, so scripts read clean output.
pub struct TerminalLine {
    finished: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TerminalLine {
    pub fn start(progress: &Progress, label: &str) -> Option<TerminalLine> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let finished = Arc::new(AtomicBool::new(false));
        let (progress, label, flag) = (progress.clone(), label.to_owned(), finished.clone());
        let thread = std::thread::spawn(move || {
            let mut drawn = false;
            while !flag.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(200));
                let line = progress_text(&label, progress.get());
                let mut stderr = std::io::stderr().lock();
                let _ = write!(stderr, "\r\x1b[2K{line}");
                let _ = stderr.flush();
                drawn = true;
            }
            if drawn {
                let mut stderr = std::io::stderr().lock();
                let _ = write!(stderr, "\r\x1b[2K");
                let _ = stderr.flush();
            }
        });
        Some(TerminalLine {
            finished,
            thread: Some(thread),
        })
    }
}

impl Drop for TerminalLine {
    fn drop(&mut self) {
        self.finished.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `label 1234/20000 (6%)`, or `label 1234` while the total is unknown.
pub fn progress_text(label: &str, (done, total): (u64, Option<u64>)) -> String {
    match total {
        Some(total) => format!("{label} {done}/{total} ({}%)", percent(done, Some(total))),
        None => format!("{label} {done}"),
    }
}

/// Whole percent done, 0 while the total is unknown, never above 100.
pub fn percent(done: u64, total: Option<u64>) -> u64 {
    match total {
        Some(total) if total > 0 => (done.min(total) * 100) / total,
        _ => 0,
    }
}

// --- the self-test kind ---------------------------------------------------------------------

/// A kind that exercises the mechanism end to end: `steps` audited writes, `delay_ms` apart, with
/// progress. Its tests kill a worker in the middle and find none of its writes.
pub const SELFTEST: &str = "selftest";

#[derive(serde::Deserialize)]
struct SelftestPayload {
    steps: u32,
    #[serde(default)]
    delay_ms: u64,
}

fn run_selftest(conn: &mut PgConnection, ctx: &JobContext<'_>) -> ServiceResult<JobOutcome> {
    let payload: SelftestPayload = ctx.payload()?;
    let owner = ctx.owner();
    ctx.progress.set_total(u64::from(payload.steps));
    for step in 1..=payload.steps {
        if ctx.progress.lost() {
            return Err(ServiceError::internal("the job was taken from this worker"));
        }
        activity_log::record(
            conn,
            &owner,
            "job.selftest",
            "job",
            ctx.job.id,
            NOTHING,
            Some(&json!({ "step": step })),
        )?;
        ctx.progress.set_done(u64::from(step));
        std::thread::sleep(Duration::from_millis(payload.delay_ms));
    }
    Ok(JobOutcome {
        result: Some(json!({ "steps": payload.steps })),
        ..JobOutcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_a_line_and_a_percentage() {
        assert_eq!(
            progress_text("impor", (50, Some(200))),
            "impor 50/200 (25%)"
        );
        assert_eq!(progress_text("impor", (7, None)), "impor 7");
        assert_eq!(percent(300, Some(200)), 100);
        assert_eq!(percent(1, None), 0);
        let progress = Progress::default();
        progress.set_total(10);
        progress.advance(3);
        progress.advance(2);
        assert_eq!(progress.get(), (5, Some(10)));
    }

    #[test]
    fn every_kind_is_registered_once_with_its_own_name() {
        for kind in KINDS {
            assert_eq!(self::kind(kind.name).map(|k| k.name), Some(kind.name));
        }
        let mut names: Vec<&str> = KINDS.iter().map(|kind| kind.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
        assert!(self::kind("no-such-kind").is_none());
    }
}
