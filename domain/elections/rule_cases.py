"""Use case of the year's election rules (quy chế bầu chọn): a new version, by the standing
office."""

from __future__ import annotations

from typing import Any

from domain.covenants.covenant import check_text
from domain.elections.base import ElectionLookups
from domain.elections.election import ElectionRuleSet, election_rules_id
from domain.kernel.actor import Actor
from domain.kernel.dates import check_year
from domain.kernel.errors import Conflict
from domain.kernel.result import Done


class ElectionRuleCases(ElectionLookups):
    """The year's election rules, versioned."""

    def set_election_rules(self, actor: Actor, *, year: int, rules: dict[str, Any],
                           reason: str | None = None,
                           version: int | None = None) -> Done:
        """A new version of the year's election rules (standing office). Fields not given
        keep their current value."""
        check_year(year)
        if reason is not None:
            reason = check_text(reason, "reason")

        def work() -> tuple[dict[str, Any], list[Any]]:
            rid = election_rules_id(year)
            if self.exists(rid):
                rs = self.load(ElectionRuleSet, rid, what="election rules", field="year")
                self.check_version(rs, version, "election rule set")
                rs.revise(rules, reason)
            else:
                if version not in (None, 0):
                    raise Conflict(f"The election rules of {year} have no version yet.",
                                   current_version=0, field="version", rule="stale_version")
                rs = ElectionRuleSet.adopt(year, rules, reason)
            return {"year": year, "version": rs.current["version"],
                    "rules": rs.in_force.to_dict(), "reason": reason}, [rs]

        # The group-head scope of election.run never applies to the year's rules (no head
        # units are given): only the standing office sets them.
        return self.act(actor, "election.run", work, reason=reason)
