-- A province's evaluation of its district offices (projection "district"): its rule sets,
-- its cycle of each year with the offices, comparable groups, sheets expected, extensions
-- and unplanned tasks, the nominations and the district cluster heads' summaries. The sheets
-- themselves are score sheets: they are in eval_sheets (projection "evaluation"), which now
-- keeps each sheet's rule set (a district sheet's names its province). The sector's cycle
-- may declare comparable groups too (members as unit ids; none: compared by level).
-- depends: 0003_evaluation 0007_cycle_units

ALTER TABLE eval_cycles ADD COLUMN comparable_groups jsonb NOT NULL DEFAULT '[]';

ALTER TABLE eval_sheets ADD COLUMN ruleset jsonb;
UPDATE eval_sheets s SET ruleset = jsonb_build_object('code', c.ruleset_code, 'version',
                                                      c.ruleset_version)
  FROM eval_cycles c WHERE c.year = s.year;

CREATE TABLE dist_rulesets (
    id uuid NOT NULL,
    province_id uuid NOT NULL,
    province_code text NOT NULL,
    code text NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    content jsonb NOT NULL,
    note text,
    published_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (province_id, code, version),
    UNIQUE (id, version)
);

CREATE TABLE dist_cycles (
    year integer NOT NULL,
    province_id uuid NOT NULL,
    id uuid NOT NULL UNIQUE,
    province_code text NOT NULL,
    province_name text NOT NULL,
    state text NOT NULL,
    ruleset jsonb NOT NULL,
    rules jsonb NOT NULL,
    deadline date NOT NULL,
    reference_date date NOT NULL,
    history jsonb NOT NULL,
    compiled jsonb,
    decision jsonb,
    version integer NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (year, province_id)
);

-- The district offices of a cycle, each with its comparable group (nhóm tương đồng).
CREATE TABLE dist_cycle_units (
    year integer NOT NULL,
    province_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    group_code text NOT NULL,
    PRIMARY KEY (year, province_id, unit_id)
);

CREATE TABLE dist_comparable_groups (
    year integer NOT NULL,
    province_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    members jsonb NOT NULL,
    PRIMARY KEY (year, province_id, code)
);

-- Every sheet a district cycle expects: (kind, scorer, subject).
CREATE TABLE dist_expected (
    year integer NOT NULL,
    province_id uuid NOT NULL,
    kind text NOT NULL,
    scorer_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    PRIMARY KEY (year, province_id, kind, scorer_id, subject_id)
);

CREATE TABLE dist_extensions (
    year integer NOT NULL,
    province_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    unit_code text NOT NULL,
    until date NOT NULL,
    reason text NOT NULL,
    granted_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (year, province_id, unit_id)
);

-- Unplanned tasks (nhiệm vụ đột xuất) the province assigned during the year.
CREATE TABLE dist_tasks (
    year integer NOT NULL,
    province_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    criterion text NOT NULL,
    assigned_on date NOT NULL,
    target text,
    unit_of_measure text,
    units jsonb NOT NULL,
    assigned_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (year, province_id, code)
);

CREATE TABLE dist_nominations (
    id uuid PRIMARY KEY,
    year integer NOT NULL,
    province_id uuid NOT NULL,
    province_code text NOT NULL,
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
CREATE INDEX dist_nominations_cycle ON dist_nominations (year, province_id, subject_id);

CREATE TABLE dist_summaries (
    id uuid PRIMARY KEY,
    year integer NOT NULL,
    province_id uuid NOT NULL,
    group_id uuid NOT NULL,
    group_code text NOT NULL,
    head_id uuid NOT NULL,
    head_code text NOT NULL,
    members jsonb NOT NULL,
    rows jsonb NOT NULL,
    average numeric(8, 2),
    not_sent jsonb NOT NULL,
    late boolean NOT NULL,
    sends integer NOT NULL,
    version integer NOT NULL,
    sent_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX dist_summaries_cycle ON dist_summaries (year, province_id);
