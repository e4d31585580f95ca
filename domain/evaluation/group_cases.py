"""Use case of the sector's cycle's comparable groups (nhóm tương đồng): the standing office
declares them, or replaces them, until the first sheet is sent; without them the quota caps
each level (central units, provinces) as a whole."""

from __future__ import annotations

from typing import Any

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.comparable import check_comparable_groups
from domain.evaluation.rules import check_text
from domain.kernel.actor import Actor
from domain.kernel.result import Done


class EvaluationGroupCases(EvaluationLookups):
    """Nhóm tương đồng of the year's cycle."""

    def declare_comparable_groups(self, actor: Actor, *, year: int,
                                  groups: list[dict[str, Any]], reason: str,
                                  version: int | None = None) -> Done:
        """Declare the cycle's comparable groups, with the reason: every unit of the cycle in
        exactly one, each group of one level (an empty list goes back to comparing by
        level)."""
        reason = check_text(reason, "reason")

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            self.check_version(cycle, version, "evaluation cycle")
            cycle.check_amendable()
            units = {str(u["code"]): u for u in cycle.units.values()}
            checked = check_comparable_groups(units, groups)
            cycle.declare_groups(checked, reason=reason, at=self.now().isoformat())
            return {"year": year, "reason": reason,
                    "comparable_groups": [{**g, "members": [cycle.code_of(m)
                                                            for m in g["members"]]}
                                          for g in checked]}, [cycle]

        return self.act(actor, "cycle.manage", work, reason=reason)
