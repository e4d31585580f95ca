-- A province's district cycle is amended, with a reason, until its first sheet is sent (as
-- the sector's cycle is: 0007_cycle_units); the first sheet sent fixes it.
-- depends: 0013_district

ALTER TABLE dist_cycles ADD COLUMN amendments jsonb NOT NULL DEFAULT '[]';
ALTER TABLE dist_cycles ADD COLUMN first_sent jsonb;
