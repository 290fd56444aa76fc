//! Queries on background jobs (table `job`): enqueue, claim with `FOR UPDATE SKIP LOCKED`, progress
//! and heartbeat, finish or fail, the sweep that fails jobs whose worker died, and reads in a
//! viewer's scope. The life cycle itself (transactions, the worker pool) is `services::jobs`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Text};

use super::schema::job;
use crate::domain::JobStatus;

/// A job as pages and workers read it; the result file stays in the database until downloaded.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job)]
pub struct Job {
    pub id: i64,
    pub kode_kabkota: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: JobStatus,
    pub progress_done: i64,
    pub progress_total: Option<i64>,
    pub result: Option<serde_json::Value>,
    pub result_link: Option<String>,
    pub result_file_name: Option<String>,
    pub batch_id: Option<i64>,
    pub error: Option<serde_json::Value>,
    pub user_id: Option<i32>,
    pub actor: String,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub worker: Option<String>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    /// When the housekeeping dropped the job's result file (`job_file_ttl_days` after it ended).
    pub result_file_expired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = job)]
pub struct NewJob<'a> {
    pub kode_kabkota: &'a str,
    pub kind: &'a str,
    pub payload: &'a serde_json::Value,
    pub batch_id: Option<i64>,
    pub user_id: Option<i32>,
    pub actor: &'a str,
    pub input_file: Option<&'a [u8]>,
}

/// Which jobs a reader may see: the district's, and of those only their own when `user_id` is set
/// (an `opd` officer's). A job outside it reads exactly like a missing one.
#[derive(Debug, Clone)]
pub struct JobScope {
    pub kode_kabkota: String,
    pub user_id: Option<i32>,
}

/// What a finished job leaves behind.
#[derive(Debug, Clone, Default)]
pub struct JobOutcome {
    pub result: Option<serde_json::Value>,
    /// A local path (`/impor/12`): where the job's page sends its reader when it is done.
    pub link: Option<String>,
    pub file: Option<(String, Vec<u8>)>,
    pub batch_id: Option<i64>,
}

pub fn insert(conn: &mut PgConnection, new: &NewJob<'_>) -> QueryResult<i64> {
    diesel::insert_into(job::table)
        .values(new)
        .returning(job::id)
        .get_result(conn)
}

pub fn find_for_scope(
    conn: &mut PgConnection,
    id: i64,
    scope: &JobScope,
) -> QueryResult<Option<Job>> {
    let mut query = job::table
        .filter(job::id.eq(id))
        .filter(job::kode_kabkota.eq(&scope.kode_kabkota))
        .into_boxed();
    if let Some(user_id) = scope.user_id {
        query = query.filter(job::user_id.eq(user_id));
    }
    query.select(Job::as_select()).first(conn).optional()
}

/// A job by id alone: for the worker and the command line, which act for the whole database.
pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Job>> {
    job::table
        .find(id)
        .select(Job::as_select())
        .first(conn)
        .optional()
}

/// The newest jobs in a scope.
pub fn list_for_scope(
    conn: &mut PgConnection,
    scope: &JobScope,
    limit: i64,
) -> QueryResult<Vec<Job>> {
    let mut query = job::table
        .filter(job::kode_kabkota.eq(&scope.kode_kabkota))
        .into_boxed();
    if let Some(user_id) = scope.user_id {
        query = query.filter(job::user_id.eq(user_id));
    }
    query
        .order(job::id.desc())
        .limit(limit)
        .select(Job::as_select())
        .load(conn)
}

/// The result file of a job (the caller has checked the job is in the reader's scope).
pub fn result_file(conn: &mut PgConnection, id: i64) -> QueryResult<Option<(String, Vec<u8>)>> {
    let row: Option<(Option<String>, Option<Vec<u8>>)> = job::table
        .find(id)
        .select((job::result_file_name, job::result_file))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(name, bytes)| Some((name?, bytes?))))
}

/// The file a job works on (an upload waiting for its analysis).
pub fn input_file(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Vec<u8>>> {
    job::table
        .find(id)
        .select(job::input_file)
        .first::<Option<Vec<u8>>>(conn)
        .optional()
        .map(Option::flatten)
}

/// The size of an import batch's stored file, which decides whether its commit runs as a job.
pub fn batch_file_bytes(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    batch_id: i64,
) -> QueryResult<i64> {
    use super::schema::import_batch;
    import_batch::table
        .filter(import_batch::id.eq(batch_id))
        .filter(import_batch::kode_kabkota.eq(kode_kabkota))
        .select(diesel::dsl::sql::<BigInt>("octet_length(file)::bigint"))
        .first(conn)
        .optional()
        .map(Option::unwrap_or_default)
}

/// The newest job still queued or running for an import batch, for its page to link to.
pub fn active_for_batch(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    batch_id: i64,
) -> QueryResult<Option<i64>> {
    job::table
        .filter(job::kode_kabkota.eq(kode_kabkota))
        .filter(job::batch_id.eq(batch_id))
        .filter(job::status.eq_any([JobStatus::Queued, JobStatus::Running]))
        .order(job::id.desc())
        .select(job::id)
        .first(conn)
        .optional()
}

/// The advisory lock a worker's work connection holds (for its session) while a job is running:
/// when the process dies, its connection closes and the lock goes with it, so a dead worker is
/// seen at once, not only when its heartbeat is stale. ("job" in ASCII; the id folded into int4.)
const LOCK_CLASS: i32 = 0x006a_6f62;

fn lock_key(id: i64) -> i32 {
    (id & 0x7fff_ffff) as i32
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    flag: bool,
}

/// Lets go of the job's lock once its end is committed (a closed connection lets go by itself).
pub fn release(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_unlock($1, $2) AS flag")
        .bind::<diesel::sql_types::Integer, _>(LOCK_CLASS)
        .bind::<diesel::sql_types::Integer, _>(lock_key(id))
        .get_result::<Flag>(conn)
        .map(|_| ())
}

/// Takes the oldest queued job of one of `kinds` for `worker`, skipping jobs another worker is
/// taking at the same moment; `None` when there is none. The job's lock is taken before the claim
/// commits, so a job reads as running only while some session holds its lock. Commits on its own:
/// the claim must be visible before the work's long transaction starts.
pub fn claim_next(
    conn: &mut PgConnection,
    worker: &str,
    kinds: &[&str],
) -> QueryResult<Option<Job>> {
    let kinds: Vec<String> = kinds.iter().map(|kind| (*kind).to_owned()).collect();
    conn.transaction(|conn| {
        let candidates: Vec<i64> = job::table
            .filter(job::status.eq(JobStatus::Queued))
            .filter(job::kind.eq_any(&kinds))
            .order(job::id)
            .select(job::id)
            .limit(10)
            .for_update()
            .skip_locked()
            .load(conn)?;
        let mut chosen = None;
        for id in candidates {
            // held by a session of an earlier attempt that has not closed yet: leave it queued
            let locked = diesel::sql_query("SELECT pg_try_advisory_lock($1, $2) AS flag")
                .bind::<diesel::sql_types::Integer, _>(LOCK_CLASS)
                .bind::<diesel::sql_types::Integer, _>(lock_key(id))
                .get_result::<Flag>(conn)?
                .flag;
            if locked {
                chosen = Some(id);
                break;
            }
        }
        let Some(id) = chosen else {
            return Ok(None);
        };
        diesel::update(job::table.find(id))
            .set((
                job::status.eq(JobStatus::Running),
                job::worker.eq(worker),
                job::started_at.eq(diesel::dsl::now),
                job::heartbeat_at.eq(diesel::dsl::now),
                job::attempts.eq(job::attempts + 1),
                job::progress_done.eq(0),
                job::progress_total.eq(None::<i64>),
            ))
            .returning(Job::as_returning())
            .get_result(conn)
            .map(Some)
    })
}

/// Progress and a heartbeat of a running job, while `worker` still holds it. Returns false when
/// the job is no longer this worker's (swept as interrupted, say): the work must then be dropped.
pub fn report_progress(
    conn: &mut PgConnection,
    id: i64,
    worker: &str,
    done: i64,
    total: Option<i64>,
) -> QueryResult<bool> {
    let rows = diesel::update(
        job::table
            .find(id)
            .filter(job::status.eq(JobStatus::Running))
            .filter(job::worker.eq(worker)),
    )
    .set((
        job::progress_done.eq(done),
        job::progress_total.eq(total),
        job::heartbeat_at.eq(diesel::dsl::now),
    ))
    .execute(conn)?;
    Ok(rows == 1)
}

/// Marks the job done with its last progress, inside the work's own transaction so the work and
/// its "done" land together. Returns false when the worker no longer holds the job: the caller then
/// rolls the work back.
pub fn finish(
    conn: &mut PgConnection,
    id: i64,
    worker: &str,
    outcome: &JobOutcome,
    (done, total): (i64, Option<i64>),
) -> QueryResult<bool> {
    let (file_name, file) = match &outcome.file {
        Some((name, bytes)) => (Some(name.as_str()), Some(bytes.as_slice())),
        None => (None, None),
    };
    let rows = diesel::update(
        job::table
            .find(id)
            .filter(job::status.eq(JobStatus::Running))
            .filter(job::worker.eq(worker)),
    )
    .set((
        job::status.eq(JobStatus::Done),
        job::worker.eq(None::<String>),
        job::finished_at.eq(diesel::dsl::now),
        job::heartbeat_at.eq(diesel::dsl::now),
        job::progress_done.eq(done),
        job::progress_total.eq(total),
        job::result.eq(&outcome.result),
        job::result_link.eq(&outcome.link),
        job::result_file_name.eq(file_name),
        job::result_file.eq(file),
        // the input's work is done; what it made keeps its own copy (an import batch its file)
        job::input_file.eq(None::<Vec<u8>>),
    ))
    .execute(conn)?;
    if rows == 1
        && let Some(batch_id) = outcome.batch_id
    {
        diesel::update(job::table.find(id))
            .set(job::batch_id.eq(batch_id))
            .execute(conn)?;
    }
    Ok(rows == 1)
}

/// Marks the job failed with `error` (a catalogue message as JSON), if `worker` still holds it.
pub fn fail(
    conn: &mut PgConnection,
    id: i64,
    worker: &str,
    error: &serde_json::Value,
) -> QueryResult<bool> {
    let rows = diesel::update(
        job::table
            .find(id)
            .filter(job::status.eq(JobStatus::Running))
            .filter(job::worker.eq(worker)),
    )
    .set((
        job::status.eq(JobStatus::Failed),
        job::worker.eq(None::<String>),
        job::finished_at.eq(diesel::dsl::now),
        job::error.eq(error),
    ))
    .execute(conn)?;
    Ok(rows == 1)
}

/// Fails every running job whose worker died (the process was killed, the machine lost power):
/// its lock is free (its connection closed), or its heartbeat is older than `stale_seconds` (a
/// process that hangs). Its transaction died with its connection, so none of its work remains.
/// Returns the ids swept.
pub fn sweep_interrupted(
    conn: &mut PgConnection,
    stale_seconds: f64,
    error: &serde_json::Value,
) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Swept {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let running: Vec<(i64, Option<String>)> = job::table
        .filter(job::status.eq(JobStatus::Running))
        .select((job::id, job::worker))
        .load(conn)?;
    let mut dead = Vec::new();
    for (id, worker) in running {
        // CASE keeps the order: unlock only what this statement just locked
        let free = diesel::sql_query(
            "SELECT CASE WHEN pg_try_advisory_lock($1, $2) THEN pg_advisory_unlock($1, $2) ELSE false END AS flag",
        )
        .bind::<diesel::sql_types::Integer, _>(LOCK_CLASS)
        .bind::<diesel::sql_types::Integer, _>(lock_key(id))
        .get_result::<Flag>(conn)?
        .flag;
        if free {
            let rows = diesel::update(
                job::table
                    .find(id)
                    .filter(job::status.eq(JobStatus::Running))
                    .filter(job::worker.eq(worker)),
            )
            .set((
                job::status.eq(JobStatus::Failed),
                job::worker.eq(None::<String>),
                job::finished_at.eq(diesel::dsl::now),
                job::error.eq(error),
            ))
            .execute(conn)?;
            if rows == 1 {
                dead.push(id);
            }
        }
    }
    let swept: Vec<Swept> = diesel::sql_query(
        "UPDATE job SET status = 'failed', worker = NULL, finished_at = now(), error = $1
          WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $2)
          RETURNING id",
    )
    .bind::<Jsonb, _>(error)
    .bind::<diesel::sql_types::Double, _>(stale_seconds)
    .load(conn)?;
    dead.extend(swept.into_iter().map(|row| row.id));
    Ok(dead)
}

/// Drops the result files of jobs that ended before `before` (the file name goes with the file;
/// the job keeps when it went). Returns how many were dropped.
pub fn expire_result_files(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        job::table
            .filter(job::result_file.is_not_null())
            .filter(job::finished_at.lt(before)),
    )
    .set((
        job::result_file.eq(None::<Vec<u8>>),
        job::result_file_name.eq(None::<String>),
        job::result_file_expired_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
}

/// Puts a failed job back in the queue, as it was when first asked for. False unless it had failed.
pub fn requeue(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    let rows = diesel::update(
        job::table
            .find(id)
            .filter(job::status.eq(JobStatus::Failed)),
    )
    .set((
        job::status.eq(JobStatus::Queued),
        job::error.eq(None::<serde_json::Value>),
        job::progress_done.eq(0),
        job::progress_total.eq(None::<i64>),
        job::started_at.eq(None::<DateTime<Utc>>),
        job::finished_at.eq(None::<DateTime<Utc>>),
        job::heartbeat_at.eq(None::<DateTime<Utc>>),
    ))
    .execute(conn)?;
    Ok(rows == 1)
}

/// Wakes the workers of every lokus process (those listening): delivered when the caller commits.
pub fn notify_workers(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_notify($1, '')")
        .bind::<Text, _>(CHANNEL)
        .execute(conn)
        .map(|_| ())
}

/// Starts listening for new jobs on this connection (`notify_workers`).
pub fn listen(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query(format!("LISTEN {CHANNEL}"))
        .execute(conn)
        .map(|_| ())
}

/// The notification channel of new jobs.
pub const CHANNEL: &str = "lokus_job";
