-- Views of the annual evaluation (projection "evaluation"): rule sets, cycles, who scores
-- whom, score sheets with every revision and move, nominations, field reports, summaries.
-- depends: 0001_registry

CREATE TABLE eval_rulesets (
    code text NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    content jsonb NOT NULL,
    note text,
    published_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE eval_cycles (
    year integer PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    state text NOT NULL,
    ruleset_code text NOT NULL,
    ruleset_version integer NOT NULL,
    rules jsonb NOT NULL,
    deadline date NOT NULL,
    standing_office uuid,
    history jsonb NOT NULL,
    compiled jsonb,
    decision jsonb,
    version integer NOT NULL,
    position bigint NOT NULL
);

CREATE TABLE eval_cycle_units (
    year integer NOT NULL,
    unit_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    level text NOT NULL,
    PRIMARY KEY (year, unit_id)
);

CREATE TABLE eval_monitoring (
    year integer NOT NULL,
    unit_id uuid NOT NULL,
    code text NOT NULL,
    field text NOT NULL,
    PRIMARY KEY (year, unit_id)
);

CREATE TABLE eval_field_units (
    year integer NOT NULL,
    item integer NOT NULL,
    unit_id uuid NOT NULL,
    code text NOT NULL,
    topic text NOT NULL,
    PRIMARY KEY (year, item)
);

-- Every sheet the cycle expects: (kind, scorer, subject).
CREATE TABLE eval_expected (
    year integer NOT NULL,
    kind text NOT NULL,
    scorer_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    PRIMARY KEY (year, kind, scorer_id, subject_id)
);
CREATE INDEX eval_expected_subject ON eval_expected (year, subject_id);

CREATE TABLE eval_extensions (
    year integer NOT NULL,
    unit_id uuid NOT NULL,
    until date NOT NULL,
    reason text NOT NULL,
    granted_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (year, unit_id)
);

-- One row per sheet: its current revision and the revision that counts (the latest sent).
CREATE TABLE eval_sheets (
    id uuid PRIMARY KEY,
    year integer NOT NULL,
    kind text NOT NULL,
    scorer_id uuid NOT NULL,
    scorer_code text NOT NULL,
    subject_id uuid NOT NULL,
    subject_code text NOT NULL,
    needs_approval boolean NOT NULL,
    revision integer NOT NULL,
    state text NOT NULL,
    total numeric(8, 2),
    level text,
    late boolean NOT NULL DEFAULT false,
    sent_revision integer,
    sent_total numeric(8, 2),
    sent_level text,
    sent_late boolean,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL,
    UNIQUE (year, kind, scorer_id, subject_id)
);
CREATE INDEX eval_sheets_subject ON eval_sheets (year, subject_id, kind);
CREATE INDEX eval_sheets_scorer ON eval_sheets (year, scorer_id, kind);

CREATE TABLE eval_sheet_revisions (
    sheet_id uuid NOT NULL,
    revision integer NOT NULL,
    state text NOT NULL,
    scores jsonb NOT NULL,
    total numeric(8, 2),
    level text,
    late boolean NOT NULL DEFAULT false,
    reason text,
    submitted_by text,
    approved_by text,
    returns jsonb NOT NULL DEFAULT '[]',
    started_at timestamptz NOT NULL,
    submitted_at timestamptz,
    sent_at timestamptz,
    PRIMARY KEY (sheet_id, revision)
);

-- Every move of every sheet, with who made it.
CREATE TABLE eval_sheet_moves (
    position bigint PRIMARY KEY,
    sheet_id uuid NOT NULL,
    revision integer NOT NULL,
    step text NOT NULL,
    at timestamptz NOT NULL,
    user_id text,
    user_name text,
    role text,
    reason text
);
CREATE INDEX eval_sheet_moves_sheet ON eval_sheet_moves (sheet_id, position);

CREATE TABLE eval_nominations (
    id uuid PRIMARY KEY,
    year integer NOT NULL,
    proposer_id uuid NOT NULL,
    proposer_code text NOT NULL,
    subject_id uuid NOT NULL,
    subject_code text NOT NULL,
    basis text NOT NULL,
    justification text NOT NULL,
    state text NOT NULL,
    late boolean NOT NULL,
    outcome text,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX eval_nominations_subject ON eval_nominations (year, subject_id);

CREATE TABLE eval_field_reports (
    id uuid PRIMARY KEY,
    year integer NOT NULL,
    reporter_id uuid NOT NULL,
    reporter_code text NOT NULL,
    province_id uuid NOT NULL,
    province_code text NOT NULL,
    item integer NOT NULL,
    figures jsonb NOT NULL,
    lists jsonb NOT NULL,
    assessment text NOT NULL,
    late boolean NOT NULL,
    submissions integer NOT NULL,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX eval_field_reports_province ON eval_field_reports (year, province_id);

CREATE TABLE eval_summaries (
    id uuid PRIMARY KEY,
    year integer NOT NULL,
    group_id uuid NOT NULL,
    group_code text NOT NULL,
    head_id uuid NOT NULL,
    head_code text NOT NULL,
    members jsonb NOT NULL,
    rows jsonb NOT NULL,
    not_sent jsonb NOT NULL,
    late boolean NOT NULL,
    sends integer NOT NULL,
    version integer NOT NULL,
    sent_at timestamptz NOT NULL,
    position bigint NOT NULL
);
