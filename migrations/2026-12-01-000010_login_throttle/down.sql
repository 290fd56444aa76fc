DROP INDEX login_failure_client_at;
DROP INDEX login_failure_email_client_at;
ALTER TABLE login_failure DROP COLUMN client;
CREATE INDEX login_failure_email_at ON login_failure (email, at);
