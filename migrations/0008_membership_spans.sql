-- Membership in time (domain.organisation.spans): a membership holds from effective_from
-- (inclusive) until effective_until (exclusive; NULL: to the end of the year), so a district
-- office moved mid-year is in its old cluster until the move and in its new one from it. A
-- year's district partitions are kept by effective date (re-formed within the year), and a
-- membership list carries the day from which it re-forms its groups.
-- "At most one group of each kind at any moment" is checked by the projection's handlers,
-- which fail (the view stalls) on a contradiction instead of dropping a row.
-- depends: 0006_denied_counts 0007_cycle_units

ALTER TABLE group_members ADD COLUMN effective_from date;
ALTER TABLE group_members ADD COLUMN effective_until date;
UPDATE group_members SET effective_from = make_date(year, 1, 1);
ALTER TABLE group_members ALTER COLUMN effective_from SET NOT NULL;
ALTER TABLE group_members ADD CONSTRAINT group_members_span_forward
    CHECK (effective_until IS NULL OR effective_until > effective_from);
ALTER TABLE group_members DROP CONSTRAINT group_members_pkey;
ALTER TABLE group_members ADD PRIMARY KEY (group_id, unit_id, effective_from);
DROP INDEX group_members_one_per_kind;
CREATE INDEX group_members_unit ON group_members (year, kind, unit_id, effective_from);

ALTER TABLE district_partitions DROP CONSTRAINT district_partitions_pkey;
ALTER TABLE district_partitions ADD PRIMARY KEY (year, province_id, effective);

ALTER TABLE membership_decisions ADD COLUMN effective date;
UPDATE membership_decisions SET effective = make_date(year, 1, 1);
ALTER TABLE membership_decisions ALTER COLUMN effective SET NOT NULL;
