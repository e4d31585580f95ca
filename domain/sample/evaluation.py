"""SAMPLE evaluation setup for the SAMPLE organisation (domain/sample/organisation.py): the
default rule set and a cycle with the 17 monitoring units, the organisation scorers and the
appendix's 11 field-information units. Illustrative, like the organisation it goes with."""

from __future__ import annotations

from typing import Any

from domain.evaluation.ruleset import RuleSet, sample_ruleset
from domain.kernel.actor import Actor
from domain.sample import organisation as org

# Văn phòng scores the offices and Vụ Tổ chức cán bộ; Vụ Tổ chức cán bộ every other central
# unit (an illustrative split: the letter names the two scorers, not their lists).
_OFFICES = ("VPHDQL", "VPDU", "VPBCS", "VTCCB")
# The sample's rule set: n base criteria sharing the 100 points (ruleset.sample_ruleset).
CRITERIA = 20


def sample_cycle_setup(year: int | None = None) -> dict[str, Any]:
    """The who-scores-whom data of a cycle for the sample organisation: of 2024 (the lists of
    organisation.py) up to 2024, of 2026 (data/cycle-2026.json, after the 2025
    reorganisation) from 2025 on."""
    if year is not None and year > org.SAMPLE_YEAR:
        from domain.sample.years import cycle_setup_2026

        return cycle_setup_2026()
    tccb, vp = org.ORGANISATION_SCORERS
    centrals = [code for code, _ in org.CENTRAL_UNITS]
    return {
        "monitoring": [{"unit_code": c, "field": f} for c, f in org.MONITORING_UNITS],
        "organisation_scoring": [
            {"unit_code": vp, "subjects": [c for c in centrals if c in _OFFICES]},
            {"unit_code": tccb, "subjects": [c for c in centrals
                                             if c not in _OFFICES and c != tccb]}],
        "field_units": [{"item": i, "unit_code": c, "topic": t}
                        for i, c, t in org.FIELD_INFORMATION_UNITS],
        "standing_office_code": org.STANDING_OFFICE,
    }


def open_sample_cycle(app: Any, actor: Actor, *, year: int | None = None,
                      criteria: int | None = CRITERIA) -> dict[str, Any]:
    """Publish the sample rule set (if new) and open the year's cycle for the sample
    organisation (already loaded with ``load_sample``)."""
    year = year or org.SAMPLE_YEAR
    content = sample_ruleset(criteria)
    if not app.exists(RuleSet.create_id(content["code"])):
        app.publish_ruleset(actor, content=content, note="Mẫu mặc định (domain.md §5)")
    return app.open_cycle(actor, year=year, ruleset_code=content["code"],
                          **sample_cycle_setup(year)).view  # type: ignore[no-any-return]
