-- Accounts and sessions of UserService.
--
-- Passwords are stored only as argon2id hashes (the encoded form, parameters included). A session is a refresh-
-- token family: every Refresh replaces the family's current token, and presenting a token that was already
-- replaced (a stolen, replayed token) revokes the whole family. Refresh tokens are stored only as SHA-256 hashes.

CREATE TABLE users.accounts (
    id             text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    email          text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    password_hash  text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 50),
    country        text NOT NULL DEFAULT '' CHECK (country = '' OR country ~ '^[A-Z]{2}$'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users.sessions (
    id           text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    account_id   text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    -- Why the family ended: 'logout', 'logout_all', 'reuse' (a replaced token was presented).
    revoked_reason text CHECK (revoked_reason IN ('logout', 'logout_all', 'reuse'))
);
CREATE INDEX sessions_by_account ON users.sessions (account_id) WHERE revoked_at IS NULL;

-- Every refresh token ever issued in a family; exactly one per live family is current (replaced_at IS NULL).
CREATE TABLE users.refresh_tokens (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id   text NOT NULL REFERENCES users.sessions (id) ON DELETE CASCADE,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    replaced_at  timestamptz
);
CREATE INDEX refresh_tokens_by_session ON users.refresh_tokens (session_id);
CREATE UNIQUE INDEX refresh_tokens_one_current ON users.refresh_tokens (session_id) WHERE replaced_at IS NULL;
