-- A finished job's result file is kept `job_file_ttl_days` after the job ended, then dropped by the
-- workers' housekeeping: the job row stays, and when its file went, so its page can say it expired.
ALTER TABLE job ADD COLUMN result_file_expired_at TIMESTAMPTZ;
ALTER TABLE job ADD CONSTRAINT job_file_expired CHECK (result_file_expired_at IS NULL OR result_file IS NULL);
-- what the sweep looks for: finished jobs still holding a file, oldest first
CREATE INDEX job_result_file ON job (finished_at) WHERE result_file IS NOT NULL;
