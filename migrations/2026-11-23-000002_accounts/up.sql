-- Users, server-side sessions and the audit trail.

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    email TEXT NOT NULL,
    nama TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'opd', 'pimpinan', 'baas', 'sponsor')),
    opd_id INTEGER REFERENCES opd (id),
    password_hash TEXT NOT NULL,
    aktif BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- an opd user belongs to exactly one OPD; nobody else is tied to one
    CHECK ((role = 'opd') = (opd_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

-- The cookie holds a random token; only its SHA-256 is stored, so a leaked table opens no session.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5),
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before JSONB,
    after JSONB
);
CREATE INDEX audit_log_district_at ON audit_log (kode_kabkota, at DESC);
