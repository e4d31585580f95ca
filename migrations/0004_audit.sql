-- The audit trail (projection "audit"), its signed checkpoints, and the stream of denied
-- attempts. See projections/audit.py and projections/auditchain.py.
-- depends: 0001_registry

-- One row per event, in log order. `seq` is the chain position (1, 2, 3... with no gaps);
-- `position` is the event's position in the log (which may have gaps). `line` holds the exact
-- canonical JSON bytes (RFC 8785) and `entry` = sha256(previous entry || sha256(line)).
CREATE TABLE audit_entries (
    seq bigint PRIMARY KEY,
    position bigint NOT NULL UNIQUE,
    recorded_at timestamptz NOT NULL,
    year integer NOT NULL,
    topic text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    actor_id text,
    actor_name text,
    unit_id text,
    refs text[] NOT NULL,
    line bytea NOT NULL,
    entry bytea NOT NULL CHECK (length(entry) = 32)
);
CREATE INDEX audit_entries_year ON audit_entries (year, seq);
CREATE INDEX audit_entries_time ON audit_entries (recorded_at);
CREATE INDEX audit_entries_actor ON audit_entries (actor_name);
CREATE INDEX audit_entries_object ON audit_entries (object_type, seq);
CREATE INDEX audit_entries_refs ON audit_entries USING gin (refs);

-- The working year of an aggregate, learnt from the first of its events that names a year.
CREATE TABLE audit_years (
    object_id text PRIMARY KEY,
    year integer NOT NULL
);

-- Ed25519 signatures over (origin, size, head). Not derived from events: never compared by
-- the replay.
CREATE TABLE audit_checkpoints (
    id bigserial PRIMARY KEY,
    origin text NOT NULL,
    size bigint NOT NULL,
    head bytea NOT NULL CHECK (length(head) = 32),
    signature text NOT NULL,
    key_id text NOT NULL,
    signed_at timestamptz NOT NULL,
    reason text NOT NULL
);
CREATE INDEX audit_checkpoints_size ON audit_checkpoints (size, id);

-- Requests refused with 401/403, chained like the audit trail. Written by the web layer.
CREATE TABLE denied_attempts (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    status integer NOT NULL,
    source text,
    user_name text,
    path text,
    line bytea NOT NULL,
    entry bytea NOT NULL CHECK (length(entry) = 32)
);
CREATE INDEX denied_attempts_at ON denied_attempts (at);

-- Rows recorded and dropped per source address and minute ('*' counts every source), so a
-- flood of refused requests costs a bounded number of rows.
CREATE TABLE denied_counters (
    source text NOT NULL,
    minute timestamptz NOT NULL,
    recorded integer NOT NULL DEFAULT 0,
    dropped integer NOT NULL DEFAULT 0,
    PRIMARY KEY (source, minute)
);
