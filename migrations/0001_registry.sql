-- Views of the organisation registry, users and tokens (projection "registry").
-- depends:

CREATE TABLE units (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    level text NOT NULL,
    name text NOT NULL,
    parent_id uuid,
    started date NOT NULL,
    ended date,
    end_status text,
    merged_into uuid,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_level ON units (level, code);

-- One row per stretch of a unit's life with the same name and parent: answers
-- "which units existed, under which names, on date D".
CREATE TABLE unit_periods (
    unit_id uuid NOT NULL,
    start_date date NOT NULL,
    end_date date,
    name text NOT NULL,
    parent_id uuid,
    PRIMARY KEY (unit_id, start_date)
);
CREATE INDEX unit_periods_dates ON unit_periods (start_date, end_date);

CREATE TABLE group_years (
    year integer PRIMARY KEY,
    version integer NOT NULL
);
CREATE TABLE group_years_ids (
    id uuid PRIMARY KEY,
    year integer NOT NULL UNIQUE
);

CREATE TABLE groups (
    id uuid PRIMARY KEY,
    year integer NOT NULL,
    kind text NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    province_id uuid,
    position bigint NOT NULL
);
CREATE INDEX groups_year_kind ON groups (year, kind, code);

CREATE TABLE group_members (
    group_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    year integer NOT NULL,
    kind text NOT NULL,
    since_position bigint NOT NULL,
    PRIMARY KEY (group_id, unit_id)
);
-- domain.md §2: a unit is in at most one group of each kind per year
CREATE UNIQUE INDEX group_members_one_per_kind ON group_members (year, kind, unit_id);

CREATE TABLE district_partitions (
    year integer NOT NULL,
    province_id uuid NOT NULL,
    effective date NOT NULL,
    district_count integer NOT NULL,
    cluster_count integer NOT NULL,
    scale jsonb NOT NULL,
    decision jsonb,
    position bigint NOT NULL,
    PRIMARY KEY (year, province_id)
);

CREATE TABLE membership_decisions (
    position bigint PRIMARY KEY,
    year integer NOT NULL,
    document_number text NOT NULL,
    document_date date NOT NULL,
    filename text,
    rows integer NOT NULL,
    groups integer NOT NULL,
    recorded_at timestamptz NOT NULL
);

CREATE TABLE users (
    id uuid PRIMARY KEY,
    username text NOT NULL UNIQUE,
    full_name text NOT NULL,
    roles text[] NOT NULL,
    unit_id uuid,
    assigned_units uuid[] NOT NULL,
    disabled boolean NOT NULL,
    version integer NOT NULL
);

CREATE TABLE tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    label text NOT NULL,
    issued_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX tokens_user ON tokens (user_id);
