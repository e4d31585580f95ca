-- A unit designated to act in a seat left vacant when its holder's unit ended (giới thiệu,
-- letter 4268 A.I.1), kept beside the elected terms of group_office_terms until the next
-- election ends both.
-- depends: 0002_elections

ALTER TABLE group_office_terms ADD COLUMN acting boolean NOT NULL DEFAULT false;
ALTER TABLE group_office_terms ADD COLUMN effective date;
ALTER TABLE group_office_terms ADD COLUMN reason text;
ALTER TABLE group_office_terms ALTER COLUMN election_id DROP NOT NULL;
