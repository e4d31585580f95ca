-- A cycle counts its units on its reference date (default 31 December of its year).
-- depends: 0003_evaluation

ALTER TABLE eval_cycles ADD COLUMN reference_date date;
UPDATE eval_cycles SET reference_date = make_date(year, 12, 31);
ALTER TABLE eval_cycles ALTER COLUMN reference_date SET NOT NULL;

-- Until its first sheet is sent, a cycle's units and who scores whom may be amended, each
-- amendment with its reason; the first sheet sent fixes them.
ALTER TABLE eval_cycles ADD COLUMN amendments jsonb NOT NULL DEFAULT '[]';
ALTER TABLE eval_cycles ADD COLUMN first_sent jsonb;
