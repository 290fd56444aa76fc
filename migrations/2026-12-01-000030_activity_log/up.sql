-- The record of who did what is the activity log: "audit" is kept for the audit kasus stunting
-- (AKS, the semester case audits) that lokus will hold next, so the word never means two things.
ALTER TABLE audit_log RENAME TO activity_log;
ALTER TABLE activity_log RENAME CONSTRAINT audit_log_pkey TO activity_log_pkey;
ALTER TABLE activity_log RENAME CONSTRAINT audit_log_user_id_fkey TO activity_log_user_id_fkey;
ALTER INDEX audit_log_district_at RENAME TO activity_log_district_at;
ALTER SEQUENCE audit_log_id_seq RENAME TO activity_log_id_seq;
