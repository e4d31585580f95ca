-- The evaluation letter, read closer (issue 15):
-- a central unit's nomination waits for its leader in charge's approval before it counts;
-- field information may be on a central unit, or beyond the appendix (no item);
-- an appendix item says the levels of the units it reports on.
-- depends: 0007_cycle_units

ALTER TABLE eval_nominations ADD COLUMN needs_approval boolean NOT NULL DEFAULT false;
ALTER TABLE eval_nominations ADD COLUMN approved_by text;
ALTER TABLE eval_nominations ADD COLUMN returns jsonb NOT NULL DEFAULT '[]';

ALTER TABLE eval_field_reports ALTER COLUMN item DROP NOT NULL;
ALTER TABLE eval_field_reports ADD COLUMN subject_level text NOT NULL DEFAULT 'province';

ALTER TABLE eval_field_units ADD COLUMN about jsonb NOT NULL DEFAULT '["province"]';
