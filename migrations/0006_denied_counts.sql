-- Denied attempts over the per-minute cap are not dropped silently: once their minute is
-- over, a count row in the denied chain says how many there were (projections/audit.py).
-- `counted` is how many of a (source, minute)'s dropped attempts a count row already holds;
-- a count row has no status of its own.
-- depends: 0005_projection_status

ALTER TABLE denied_counters ADD COLUMN counted integer NOT NULL DEFAULT 0;
CREATE INDEX denied_counters_pending ON denied_counters (minute) WHERE dropped > counted;
ALTER TABLE denied_attempts ALTER COLUMN status DROP NOT NULL;
