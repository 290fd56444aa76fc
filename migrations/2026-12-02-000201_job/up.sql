-- Background jobs: long work (a large import's analysis or commit, a large export) that any lokus
-- process picks up. The state lives here, not in a process, so a restart or a second server loses
-- nothing. A job belongs to a district like every district table (composite keys on kode_kabkota).
-- Its work runs in one transaction on the worker's connection; progress and the heartbeat are
-- written beside it on a second connection, so others see them while the work is uncommitted.
CREATE TABLE job (
    id BIGSERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    -- a name in the registry of `services::jobs`; a process claims only kinds it knows
    kind TEXT NOT NULL,
    payload JSONB NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress_done BIGINT NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
    -- NULL while the amount of work is not known yet
    progress_total BIGINT CHECK (progress_total >= 0),
    result JSONB,
    -- a local path the finished job points to (an import's report); written by code, never by users
    result_link TEXT CHECK (result_link LIKE '/%'),
    result_file BYTEA,
    result_file_name TEXT,
    CHECK ((result_file IS NULL) = (result_file_name IS NULL)),
    -- the import batch the job works on or made
    batch_id BIGINT,
    -- why it failed: a catalogue message ({"key": ..., "args": [...]}), rendered in the reader's language
    error JSONB,
    -- who asked
    user_id INTEGER,
    actor TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    -- the process and thread holding a running job, and when it last said it was alive
    worker TEXT,
    heartbeat_at TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    CHECK ((status = 'running') = (worker IS NOT NULL)),
    CONSTRAINT job_district_id UNIQUE (kode_kabkota, id),
    CONSTRAINT job_user FOREIGN KEY (kode_kabkota, user_id) REFERENCES users (kode_kabkota, id),
    CONSTRAINT job_batch FOREIGN KEY (kode_kabkota, batch_id) REFERENCES import_batch (kode_kabkota, id)
);
-- what a worker looks for, oldest first, and what the sweep for dead workers reads
CREATE INDEX job_queued ON job (id) WHERE status = 'queued';
CREATE INDEX job_running ON job (heartbeat_at) WHERE status = 'running';
CREATE INDEX job_district ON job (kode_kabkota, created_at DESC);
CREATE INDEX job_user_idx ON job (kode_kabkota, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX job_batch_idx ON job (kode_kabkota, batch_id) WHERE batch_id IS NOT NULL;
