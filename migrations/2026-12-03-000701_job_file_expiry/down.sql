DROP INDEX job_result_file;
ALTER TABLE job DROP CONSTRAINT job_file_expired;
ALTER TABLE job DROP COLUMN result_file_expired_at;
