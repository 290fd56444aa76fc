-- Secrets every lokus process serving this database shares, made once by whichever process needs
-- one first. `login_csrf` keys the token of the login form, so a token only counts when this
-- server issued it.
CREATE TABLE server_secret (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL CHECK (octet_length(value) >= 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
