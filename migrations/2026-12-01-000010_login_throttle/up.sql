-- Failed logins are counted per account and client pair, and per client across all accounts: five
-- wrong guesses by a stranger no longer lock the owner out, and guesses sprayed over many accounts
-- from one client are throttled too. Old rows name no client; they would expire within the
-- 15-minute window anyway, so they go.
DELETE FROM login_failure;
ALTER TABLE login_failure ADD COLUMN client TEXT NOT NULL;
DROP INDEX login_failure_email_at;
CREATE INDEX login_failure_email_client_at ON login_failure (email, client, at);
CREATE INDEX login_failure_client_at ON login_failure (client, at);
