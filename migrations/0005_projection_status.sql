-- Views that cannot apply an event (written by the projection runner, read by /health), so
-- every process sees a stall, wherever the projections run. One row per stalled view; the
-- row is deleted when the view gets past the event. See projections/status.py.
-- depends: 0004_audit

CREATE TABLE projection_status (
    projection text PRIMARY KEY,
    position bigint,            -- the event it cannot apply (null: not narrowed to one)
    topic text,
    originator_id text,
    error_type text NOT NULL,
    error text NOT NULL,        -- one line; PostgreSQL's primary message, never its DETAIL
    since timestamptz NOT NULL,
    attempts integer NOT NULL,
    last_attempt timestamptz NOT NULL,
    next_attempt timestamptz
);
