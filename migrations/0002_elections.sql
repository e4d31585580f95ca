-- Views of elections of group heads and of covenants (projection "elections").
-- Secret ballots: no table here ever holds a voter and a choice together. election_turnout
-- says who voted for which seat; election_ballots holds the counted ballots with random
-- numbers and no voter.
-- depends: 0001_registry

CREATE TABLE election_rule_sets (
    year integer NOT NULL,
    version integer NOT NULL,
    rule_set_id uuid NOT NULL,
    rules jsonb NOT NULL,
    reason text,
    set_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (year, version)
);

CREATE TABLE elections (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL,
    year integer NOT NULL,
    term integer NOT NULL,
    round integer NOT NULL,
    meeting_date date NOT NULL,
    place text NOT NULL,
    status text NOT NULL,
    members uuid[] NOT NULL,
    present uuid[] NOT NULL,
    rules jsonb NOT NULL,
    rules_version integer NOT NULL,
    opened_at timestamptz NOT NULL,
    declared_at timestamptz,
    annulled_at timestamptz,
    annul_reason text,
    outcome text,
    quorum jsonb,
    seats jsonb,
    version integer NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX elections_group ON elections (group_id, round);
CREATE INDEX elections_year ON elections (year, status);

CREATE TABLE election_candidates (
    election_id uuid NOT NULL,
    seat text NOT NULL,
    unit_id uuid NOT NULL,
    ordinal integer NOT NULL,
    put_at timestamptz NOT NULL,
    PRIMARY KEY (election_id, seat, unit_id)
);

-- Who voted (domain.md §3: "a ballot's voter is recorded"), never how.
CREATE TABLE election_turnout (
    election_id uuid NOT NULL,
    seat text NOT NULL,
    voter_id uuid NOT NULL,
    PRIMARY KEY (election_id, seat, voter_id)
);

-- The counted ballots, anonymous: a random number, the seat and the choice.
CREATE TABLE election_ballots (
    election_id uuid NOT NULL,
    ballot_no text NOT NULL,
    seat text NOT NULL,
    candidate_id uuid NOT NULL,
    PRIMARY KEY (election_id, ballot_no)
);

CREATE TABLE group_offices (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL UNIQUE,
    year integer NOT NULL
);

-- Terms of office of heads and deputies: who, from when, until when.
CREATE TABLE group_office_terms (
    group_id uuid NOT NULL,
    seat text NOT NULL,
    unit_id uuid NOT NULL,
    term integer NOT NULL,
    took_office timestamptz NOT NULL,
    ended timestamptz,
    election_id uuid NOT NULL,
    PRIMARY KEY (group_id, seat, took_office)
);

CREATE TABLE covenants (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL UNIQUE,
    year integer NOT NULL,
    title text NOT NULL,
    launched_on date NOT NULL,
    targets jsonb NOT NULL,
    revision integer NOT NULL,
    launched_at timestamptz NOT NULL,
    version integer NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX covenants_year ON covenants (year);

CREATE TABLE covenant_revisions (
    covenant_id uuid NOT NULL,
    revision integer NOT NULL,
    title text NOT NULL,
    targets jsonb NOT NULL,
    reason text,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (covenant_id, revision)
);

CREATE TABLE covenant_signatures (
    covenant_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    signed_on date NOT NULL,
    revision integer NOT NULL,
    signed_at timestamptz NOT NULL,
    PRIMARY KEY (covenant_id, unit_id)
);

-- Every registration of a member's own targets; the highest revision is the current one.
CREATE TABLE covenant_registrations (
    covenant_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    revision integer NOT NULL,
    targets jsonb NOT NULL,
    reason text,
    registered_at timestamptz NOT NULL,
    PRIMARY KEY (covenant_id, unit_id, revision)
);

CREATE TABLE covenant_findings (
    covenant_id uuid NOT NULL,
    finding_no integer NOT NULL,
    unit_id uuid NOT NULL,
    inspected_on date NOT NULL,
    target text,
    assessment text NOT NULL,
    summary text NOT NULL,
    revision integer NOT NULL,
    reason text,
    recorded_at timestamptz NOT NULL,
    amended_at timestamptz,
    PRIMARY KEY (covenant_id, finding_no)
);
