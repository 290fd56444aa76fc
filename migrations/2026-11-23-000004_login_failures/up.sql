-- Failed logins per e-mail address, so that guessing passwords is slowed down on every lokus process
-- alike (the count lives here, not in one server's memory). Rows older than the window are deleted.
CREATE TABLE login_failure (
    email TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failure_email_at ON login_failure (email, at);
