-- Views of the groups' own documents (projection "group_documents", letter 4268 A.II.1.1,
-- 1.3): the operating rules (Quy chế hoạt động) of each group line with every version and its
-- adoption, and each group's programme and plan of the year with its inspections. A
-- covenant's finding names the inspection it came from (projection "elections").
-- depends: 0011_judging

CREATE TABLE group_regulations (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL UNIQUE,
    year integer NOT NULL,
    version integer NOT NULL,
    position bigint NOT NULL
);

CREATE TABLE group_regulation_versions (
    regulation_id uuid NOT NULL,
    version integer NOT NULL,
    group_id uuid NOT NULL,
    year integer NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    text text,
    file_name text,
    file_reference text,
    file_sha256 text,
    drafted_on date NOT NULL,
    drafted_at timestamptz NOT NULL,
    amends integer,
    reason text,
    status text NOT NULL,
    withdrawn_reason text,
    withdrawn_at timestamptz,
    meeting_date date,
    place text,
    effective date,
    members uuid[],
    present uuid[],
    adopters uuid[],
    adoption_rules jsonb,
    adopted_at timestamptz,
    PRIMARY KEY (regulation_id, version)
);

CREATE TABLE group_plans (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL UNIQUE,
    year integer NOT NULL,
    revision integer NOT NULL,
    title text NOT NULL,
    issued_on date NOT NULL,
    text text,
    file_name text,
    file_reference text,
    file_sha256 text,
    activities jsonb NOT NULL,
    milestones jsonb NOT NULL,
    issued_at timestamptz NOT NULL,
    version integer NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX group_plans_year ON group_plans (year);

-- Every revision of a plan as recorded, with its reason (none for the first).
CREATE TABLE group_plan_revisions (
    plan_id uuid NOT NULL,
    revision integer NOT NULL,
    content jsonb NOT NULL,
    reason text,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (plan_id, revision)
);

-- The inspections of the plan's current revision (kế hoạch kiểm tra): which members, when,
-- by whom.
CREATE TABLE group_plan_inspections (
    plan_id uuid NOT NULL,
    code text NOT NULL,
    members uuid[] NOT NULL,
    from_date date NOT NULL,
    until_date date NOT NULL,
    inspectors uuid[] NOT NULL,
    note text,
    PRIMARY KEY (plan_id, code)
);

ALTER TABLE covenant_findings ADD COLUMN inspection text;
