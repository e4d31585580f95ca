"""Who scores whom (ai chấm điểm ai) in a year's evaluation, and which sheets need a leader's
approval: stated once, here, as pure functions of the cycle's data (its Opened event's units,
monitoring and organisation scorers). The cycle and the views both ask this module.
domain.md §5."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.evaluation.rules import SHEET_KINDS

# What each kind of sheet means, in the words a refused pair is told.
PAIR_RULES = {
    "self": "a self-assessment is by a unit of itself",
    "central_to_province": "only the central units that monitor provinces score provinces",
    "organisation_to_central": "Vụ Tổ chức cán bộ and Văn phòng score only the central units "
                               "assigned to them",
    "province_to_central": "a province scores only the monitoring central units",
}


def needs_leader_approval(scorer_level: str) -> bool:
    """A central unit's sheet needs the approval of its leader in charge before it is sent;
    a province sends its own."""
    return scorer_level == "central"


@dataclass(frozen=True)
class ScoringPlan:
    """Every sheet a cycle expects, by kind: each unit scores itself; each monitoring
    central unit scores every province and every province scores it; each organisation
    scorer scores the central units assigned to it."""

    levels: Mapping[str, str]  # unit id -> 'central' or 'province', in the cycle's order
    monitors: tuple[str, ...]
    organisation: Mapping[str, tuple[str, ...]]  # organisation scorer id -> its subjects

    @classmethod
    def of(cls, units: Iterable[Mapping[str, Any]], monitoring: Iterable[Mapping[str, Any]],
           organisation_scoring: Iterable[Mapping[str, Any]]) -> ScoringPlan:
        """From the cycle's data as its Opened event holds it (a scorer listed twice scores
        the subjects of both entries)."""
        organisation: dict[str, tuple[str, ...]] = {}
        for o in organisation_scoring:
            scorer = str(o["unit_id"])
            organisation[scorer] = organisation.get(scorer, ()) + tuple(
                str(s) for s in o["subjects"])
        return cls(levels={str(u["id"]): str(u["level"]) for u in units},
                   monitors=tuple(str(m["unit_id"]) for m in monitoring),
                   organisation=organisation)

    @property
    def provinces(self) -> tuple[str, ...]:
        return tuple(uid for uid, level in self.levels.items() if level == "province")

    def scorers(self, kind: str) -> tuple[str, ...]:
        """Who writes sheets of ``kind``."""
        if kind == "self":
            return tuple(self.levels)
        if kind == "central_to_province":
            return self.monitors
        if kind == "organisation_to_central":
            return tuple(self.organisation)
        if kind == "province_to_central":
            return self.provinces
        return ()

    def subjects(self, kind: str, scorer: str) -> tuple[str, ...]:
        """Whom ``scorer`` scores with sheets of ``kind`` (nobody if it does not)."""
        if kind == "self":
            return (scorer,) if scorer in self.levels else ()
        if kind == "central_to_province":
            return self.provinces if scorer in self.monitors else ()
        if kind == "organisation_to_central":
            return self.organisation.get(scorer, ())
        if kind == "province_to_central":
            return self.monitors if self.levels.get(scorer) == "province" else ()
        return ()

    def pairs(self) -> list[tuple[str, str, str]]:
        """Every (kind, scorer, subject) sheet expected, kind by kind."""
        return [(kind, scorer, subject) for kind in SHEET_KINDS
                for scorer in self.scorers(kind) for subject in self.subjects(kind, scorer)]

    def expects(self, kind: str, scorer: str, subject: str) -> bool:
        """Whether (kind, scorer, subject) is one of :meth:`pairs`, without listing them."""
        return subject in self.subjects(kind, scorer)
