-- Reorganisations (quyết định sắp xếp, tổ chức lại) as recorded decisions, and the level of
-- a unit in each stretch of its life (a change of level starts a new one). Projection
-- "registry".
-- depends: 0008_membership_spans

CREATE TABLE reorganisations (
    id uuid PRIMARY KEY,
    number text NOT NULL,
    signed date NOT NULL,
    issuer text NOT NULL,
    basis text NOT NULL,
    effective date NOT NULL,
    changes jsonb NOT NULL,
    change_count integer NOT NULL,
    units text[] NOT NULL,
    actor jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX reorganisations_effective ON reorganisations (effective, position);

-- Until now a unit kept one level all its life: every stretch has the unit's level.
ALTER TABLE unit_periods ADD COLUMN level text;
UPDATE unit_periods p SET level = u.level FROM units u WHERE u.id = p.unit_id;
ALTER TABLE unit_periods ALTER COLUMN level SET NOT NULL;
