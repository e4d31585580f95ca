"""The titles the council's decision awards for the judgings' proposals (the evaluation
decision records them): each title awarded was proposed for that unit by a group's
judging, to a unit of the year's table rated at a level the title accepts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.judging.judging import Judging, judging_id
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.lookups import Lookups

# The groups whose proposals go to the sector's council (the evaluation decision); a
# district cluster's go to its province.
SECTOR_KINDS = ("block", "provincial_cluster")


def year_proposals(lookups: Lookups, year: int) -> list[dict[str, Any]]:
    """Every proposal of the year's blocks and provincial clusters, read from the record,
    with the levels its title needs (from the rules of the round that made it)."""
    out = []
    for g in sorted(lookups.group_year(year).groups.values(), key=lambda g: g["code"]):
        if g["kind"] not in SECTOR_KINDS:
            continue
        judging = lookups.find(Judging, judging_id(g["id"]))
        if judging is None:
            continue
        for p in judging.proposals:
            rnd = judging.round_of(p["round_no"]) or {}
            title = Judging.rules_of(rnd).title(p["title"]) or {}
            out.append({"judging_id": str(judging.id), "group_code": g["code"],
                        "unit_id": p["unit_id"], "code": lookups.unit_code_of(p["unit_id"]),
                        "title": p["title"], "title_name": title.get("name", p["title"]),
                        "levels": list(title.get("levels", []))})
    return out


def award_titles(*, year: int, given: Sequence[Mapping[str, Any]],
                 proposals: Sequence[Mapping[str, Any]], levels: Mapping[str, str]
                 ) -> dict[str, list[dict[str, Any]]]:
    """``given``: the decision's titles, ``{unit_code, title}`` each. ``proposals``: the
    year's proposals (``code``, ``unit_id``, ``title``, ``levels`` it needs, ``group_code``,
    ``judging_id``). ``levels``: each unit's level in the decision, by code. Returns the
    awarded ``titles`` and every proposal with its ``outcome`` (awarded or not_awarded)."""
    if not isinstance(given, list) or len(given) > 1000:
        raise InvalidInput("titles lists at most 1000 awards.", field="titles",
                           rule="titles_count")
    by_key = {(p["code"], p["title"]): p for p in proposals}
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
        if code not in levels:
            raise RuleViolation(f"{code} is not in the {year} table.",
                                field=f"{where}.unit_code", rule="unit_in_cycle")
        proposal = by_key.get((code, title))
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
