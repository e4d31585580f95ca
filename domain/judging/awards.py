"""The titles a decision awards on the judgings' proposals: the council's evaluation decision
on the proposals of the year's blocks and provincial clusters, a province's decision on its
district offices on the proposals of its district clusters. Each title awarded was proposed
for that unit by a judging whose proposals go to that decision, to a unit of the decision's
table rated at a level the title accepts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from domain.judging.judging import Judging, judging_id
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.lookups import Lookups

# The groups whose proposals go to the sector's council (the evaluation decision); a
# district cluster's go to its province.
SECTOR_KINDS = ("block", "provincial_cluster")
Proposals = Sequence[Mapping[str, Any]]


def decider_of(group: Mapping[str, Any]) -> str | None:
    """Whose decision rules on the group's proposals: None for the sector's council (a
    block, a provincial cluster), the province's id for a district cluster."""
    if group["kind"] == "district_cluster" and group.get("province_id"):
        return str(group["province_id"])
    return None


def year_proposals(lookups: Lookups, year: int, province_id: str | None = None,
                   *, others: bool = False) -> list[dict[str, Any]]:
    """Every proposal of the year that the decision of ``province_id`` rules on (None: the
    council's, on the blocks and provincial clusters; a province: its district clusters'),
    read from the record, with the levels its title needs (from the rules of the round that
    made it). ``others``: every other proposal of the year instead."""
    out = []
    for g in sorted(lookups.group_year(year).groups.values(), key=lambda g: g["code"]):
        if g["kind"] not in (*SECTOR_KINDS, "district_cluster") or \
                (decider_of(g) == province_id) == others:
            continue
        judging = lookups.find(Judging, judging_id(g["id"]))
        if judging is None:
            continue
        decider = decider_of(g)
        for p in judging.proposals:
            rnd = judging.round_of(p["round_no"]) or {}
            title = Judging.rules_of(rnd).title(p["title"]) or {}
            out.append({"judging_id": str(judging.id), "group_code": g["code"],
                        "unit_id": p["unit_id"], "code": lookups.unit_code_of(p["unit_id"]),
                        "title": p["title"], "title_name": title.get("name", p["title"]),
                        "levels": list(title.get("levels", [])),
                        "province_code": lookups.unit_code_of(decider) if decider else None})
    return out


def award_titles(*, year: int, given: Sequence[Mapping[str, Any]], proposals: Proposals,
                 levels: Mapping[str, str], elsewhere: Callable[[], Proposals] | None = None,
                 table: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """``given``: the decision's titles, ``{unit_code, title}`` each. ``proposals``: the
    proposals the decision rules on (``code``, ``unit_id``, ``title``, ``levels`` it needs,
    ``group_code``, ``judging_id``). ``levels``: each unit's level in the decision, by code.
    ``elsewhere``: the year's other proposals (asked only to name the decision a title
    given here belongs to); ``table``: the decision's table in words. Returns the awarded
    ``titles`` and every proposal with its ``outcome`` (awarded or not_awarded)."""
    if not isinstance(given, list) or len(given) > 1000:
        raise InvalidInput("titles lists at most 1000 awards.", field="titles",
                           rule="titles_count")
    table = table or f"the {year} table"
    by_key = {(p["code"], p["title"]): p for p in proposals}
    others: list[Mapping[str, Any]] | None = None
    awarded: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for i, t in enumerate(given):
        where = f"titles[{i}]"
        code, title = t.get("unit_code"), t.get("title")
        if not isinstance(code, str) or not isinstance(title, str):
            raise InvalidInput("A title awarded names unit_code and title.", field=where,
                               rule="title_object")
        if (code, title) in seen:
            raise InvalidInput(f"{code} is awarded '{title}' twice.", field=where,
                               rule="title_once")
        seen.add((code, title))
        proposal = by_key.get((code, title))
        if proposal is None and elsewhere is not None:
            others = list(elsewhere()) if others is None else others
            other = next((p for p in others if (p["code"], p["title"]) == (code, title)), None)
            if other is not None:
                raise RuleViolation(f"{code} cannot be awarded '{title}' here: "
                                    f"{_goes_to(other)}.", field=where,
                                    rule="title_proposed")
        if code not in levels:
            raise RuleViolation(f"{code} is not in {table}.", field=f"{where}.unit_code",
                                rule="unit_in_cycle")
        if proposal is None:
            proposed = sorted(p["title"] for p in proposals if p["code"] == code)
            why = (f"it was proposed for {', '.join(proposed)}" if proposed
                   else "no group's judging proposed it")
            raise RuleViolation(f"{code} cannot be awarded '{title}': {why}. A title is "
                                "awarded on a judging's proposal.", field=where,
                                rule="title_proposed")
        needs = proposal.get("levels") or []
        if needs and levels[code] not in needs:
            raise RuleViolation(f"'{title}' is awarded to a unit rated {', '.join(needs)}; "
                                f"{code} is rated {levels[code]} in this decision.",
                                field=where, rule="title_level")
        awarded.append({"unit_id": proposal["unit_id"], "code": code, "title": title,
                        "title_name": proposal.get("title_name", title),
                        "group_code": proposal["group_code"],
                        "judging_id": proposal["judging_id"]})
    outcomes = [{"judging_id": p["judging_id"], "group_code": p["group_code"],
                 "unit_id": p["unit_id"], "code": p["code"], "title": p["title"],
                 "outcome": "awarded" if (p["code"], p["title"]) in seen else "not_awarded"}
                for p in proposals]
    return {"titles": awarded, "proposals": outcomes}


def _goes_to(proposal: Mapping[str, Any]) -> str:
    """Which decision rules on a proposal, in words."""
    province = proposal.get("province_code")
    if province:
        return (f"{proposal['group_code']}, a district cluster of {province}, proposed it, "
                f"and {province}'s decision on its district offices awards its proposals")
    return (f"{proposal['group_code']} proposed it, and the council's decision (the General "
            "Director's) awards the proposals of blocks and provincial clusters")
