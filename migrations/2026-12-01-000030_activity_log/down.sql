ALTER SEQUENCE activity_log_id_seq RENAME TO audit_log_id_seq;
ALTER INDEX activity_log_district_at RENAME TO audit_log_district_at;
ALTER TABLE activity_log RENAME CONSTRAINT activity_log_user_id_fkey TO audit_log_user_id_fkey;
ALTER TABLE activity_log RENAME CONSTRAINT activity_log_pkey TO audit_log_pkey;
ALTER TABLE activity_log RENAME TO audit_log;
