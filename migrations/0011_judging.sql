-- Views of the groups' annual judging (bình xét thi đua; projection "judging"): the year's
-- rules, each group's rounds, candidates, who voted, the counted ballots and the proposals
-- with what the council's decision made of them.
-- Secret ballots: no table here ever holds a voter and a choice together. judging_turnout
-- says who voted for which title (no time, no order); judging_ballots holds the counted
-- ballots with random numbers and no voter.
-- depends: 0010_office_acting

CREATE TABLE judging_rule_sets (
    year integer NOT NULL,
    version integer NOT NULL,
    rule_set_id uuid NOT NULL,
    rules jsonb NOT NULL,
    reason text,
    set_at timestamptz NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (year, version)
);

CREATE TABLE judgings (
    id uuid PRIMARY KEY,
    group_id uuid NOT NULL UNIQUE,
    year integer NOT NULL,
    rounds integer NOT NULL,
    version integer NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX judgings_year ON judgings (year);

CREATE TABLE judging_rounds (
    judging_id uuid NOT NULL,
    round integer NOT NULL,
    year integer NOT NULL,
    meeting_date date NOT NULL,
    place text NOT NULL,
    status text NOT NULL,
    members uuid[] NOT NULL,
    present uuid[] NOT NULL,
    rules jsonb NOT NULL,
    rules_version integer NOT NULL,
    places jsonb NOT NULL,
    reason text,
    opened_at timestamptz NOT NULL,
    declared_at timestamptz,
    annulled_at timestamptz,
    annul_reason text,
    outcome text,
    quorum jsonb,
    titles jsonb,
    PRIMARY KEY (judging_id, round)
);

CREATE TABLE judging_candidates (
    judging_id uuid NOT NULL,
    round integer NOT NULL,
    title text NOT NULL,
    unit_id uuid NOT NULL,
    ordinal integer NOT NULL,
    put_at timestamptz NOT NULL,
    PRIMARY KEY (judging_id, round, title, unit_id)
);

-- Who voted for which title, never how (and nothing of when).
CREATE TABLE judging_turnout (
    judging_id uuid NOT NULL,
    round integer NOT NULL,
    title text NOT NULL,
    voter_id uuid NOT NULL,
    PRIMARY KEY (judging_id, round, title, voter_id)
);

-- The counted ballots, anonymous: a random number, the title and the units marked.
CREATE TABLE judging_ballots (
    judging_id uuid NOT NULL,
    round integer NOT NULL,
    ballot_no text NOT NULL,
    title text NOT NULL,
    marks uuid[] NOT NULL,
    PRIMARY KEY (judging_id, round, ballot_no)
);

-- What the declared rounds proposed, and the council's decision on each (null: not yet).
CREATE TABLE judging_proposals (
    judging_id uuid NOT NULL,
    year integer NOT NULL,
    group_id uuid NOT NULL,
    title text NOT NULL,
    unit_id uuid NOT NULL,
    round integer NOT NULL,
    votes integer NOT NULL,
    outcome text,
    decision_number text,
    decided_at timestamptz,
    PRIMARY KEY (judging_id, title, unit_id)
);
CREATE INDEX judging_proposals_year ON judging_proposals (year, title);
