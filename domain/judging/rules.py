"""The rules of a group's annual judging (bình xét thi đua, letter 4268's title): the titles
it proposes units for, their quotas, quorum and majority, as data of a versioned rule set;
and the pure functions that count a title and declare a round."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from domain.elections.rules import has_majority, parse_fraction, quorum_met
from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean

MAJORITY_BASES = ("cast", "members")
# Ours, not the letters' (docs/decisions.md, "The judging's titles and quotas"): one unit
# leading the group proposed for the emulation flag, two for certificates of merit, each
# rated excellent in the year's decision to be awarded.
DEFAULT_TITLES: tuple[dict[str, Any], ...] = (
    {"code": "flag", "name": "Cờ thi đua của BHXH Việt Nam", "quota": 1, "quota_share": None,
     "levels": ["excellent"]},
    {"code": "certificate", "name": "Bằng khen của Tổng Giám đốc BHXH Việt Nam", "quota": 2,
     "quota_share": None, "levels": ["excellent"]},
)
# Ours too: a district cluster's judging proposes the office leading it for the province's
# own title, which the province's decision awards (docs/decisions.md, "A district cluster's
# judging goes to its province"): the sector's titles are the General Director's to give.
DEFAULT_DISTRICT_TITLES: tuple[dict[str, Any], ...] = (
    {"code": "commendation", "name": "Giấy khen của Giám đốc BHXH tỉnh", "quota": 1,
     "quota_share": None, "levels": ["excellent"]},
)
TITLE_FIELDS = ("code", "name", "quota", "quota_share", "levels")


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 32 and value.isascii() and \
        value.replace("_", "").isalnum() and value[0].isalpha()


def check_title(data: Any, where: str) -> dict[str, Any]:
    """One title the judging proposes for: code, name, quota (places per group), an optional
    share of the members that caps it, and the levels a unit needs in the decision."""
    if not isinstance(data, Mapping):
        raise InvalidInput("A title is an object with code, name, quota, quota_share and "
                           "levels.", field=where, rule="title_object")
    unknown = sorted(set(data) - set(TITLE_FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown field(s) of a title: {', '.join(unknown)}.",
                           field=f"{where}.{unknown[0]}", rule="known_rule")
    code = data.get("code")
    if not _is_code(code):
        raise InvalidInput("A title's code is 1–32 letters, digits or '_', starting with a "
                           "letter (e.g. flag).", field=f"{where}.code", rule="title_code")
    name = data.get("name")
    name = clean(name, f"{where}.name", multiline=False) if isinstance(name, str) else name
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInput("A title's name is 1–200 characters.", field=f"{where}.name",
                           rule="text_length")
    quota = data.get("quota")
    if isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= 100:
        raise InvalidInput("A title's quota is a whole number of units per group, 0–100.",
                           field=f"{where}.quota", rule="quota_range")
    share = data.get("quota_share")
    if share is not None:
        parse_fraction(share, f"{where}.quota_share")
    levels = data.get("levels", [])
    if not isinstance(levels, list) or len(levels) > 10 or not all(
            isinstance(v, str) and 1 <= len(v) <= 32 for v in levels) or \
            len(set(levels)) != len(levels):
        raise InvalidInput("A title's levels are the level codes (at most 10, each once) a "
                           "unit must be rated in the year's decision to be awarded it; "
                           "empty: any level.", field=f"{where}.levels", rule="levels_list")
    return {"code": code, "name": name.strip(), "quota": quota, "quota_share": share,
            "levels": list(levels)}


@dataclass(frozen=True)
class JudgingRules:
    """Configurable; fractions are strings ('2/3'), never floats.

    quorum: members present ≥ quorum × members. majority: a unit is proposed when its votes
    > majority × the base, the ballots cast for the title (``majority_of`` "cast") or the
    group's members ("members"). titles: what the group proposes units for, each with its
    quota. one_title_per_unit: a unit stands for (and is proposed for) one title a year.
    titles are a block's and a provincial cluster's (the council's decision awards them);
    district_titles a district cluster's (its province's decision awards them). A title's
    code names one title of the year across both lists.
    """

    quorum: str = "2/3"
    majority: str = "1/2"
    majority_of: str = "cast"
    titles: tuple[dict[str, Any], ...] = field(default=DEFAULT_TITLES)
    one_title_per_unit: bool = True
    district_titles: tuple[dict[str, Any], ...] = field(default=DEFAULT_DISTRICT_TITLES)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JudgingRules:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise InvalidInput(f"Unknown rule(s): {', '.join(sorted(unknown))}.",
                               field=sorted(unknown)[0], rule="known_rule")
        given = dict(data)
        codes: list[str] = []
        for key, default in (("titles", DEFAULT_TITLES),
                             ("district_titles", DEFAULT_DISTRICT_TITLES)):
            titles = given.get(key, default)
            if not isinstance(titles, list | tuple) or not 1 <= len(titles) <= 10:
                raise InvalidInput(f"List 1–10 titles the judging proposes units for ({key}).",
                                   field=key, rule="titles_count")
            checked = tuple(check_title(t, f"{key}[{i}]") for i, t in enumerate(titles))
            codes += [t["code"] for t in checked]
            if len(set(codes)) != len(codes):
                raise InvalidInput("Each title's code is listed once, in titles and "
                                   "district_titles together.", field=key,
                                   rule="title_code_unique")
            given[key] = checked
        rules = cls(**given)
        rules.check()
        return rules

    @classmethod
    def stored(cls, data: Mapping[str, Any]) -> JudgingRules:
        """Rules as an event recorded them (a rule added since takes its default)."""
        given = dict(data)
        for key in ("titles", "district_titles"):
            if key in given:
                given[key] = tuple(dict(t) for t in given[key])
        return cls(**given)

    def check(self) -> None:
        parse_fraction(self.quorum, "quorum")
        parse_fraction(self.majority, "majority")
        if self.majority_of not in MAJORITY_BASES:
            raise InvalidInput(f"majority_of is one of {', '.join(MAJORITY_BASES)}.",
                               field="majority_of", rule="known_majority_base")
        if not isinstance(self.one_title_per_unit, bool):
            raise InvalidInput("one_title_per_unit is true or false.",
                               field="one_title_per_unit", rule="boolean")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["titles"] = [dict(t) for t in self.titles]
        out["district_titles"] = [dict(t) for t in self.district_titles]
        return out

    def titles_for(self, kind: str | None) -> tuple[dict[str, Any], ...]:
        """The titles a group of ``kind`` judges for (a district cluster: the province's)."""
        return self.district_titles if kind == "district_cluster" else self.titles

    def title(self, code: str) -> dict[str, Any] | None:
        return next((t for t in (*self.titles, *self.district_titles) if t["code"] == code),
                    None)


def places(title: Mapping[str, Any], members: int) -> int:
    """How many units a group of ``members`` proposes for the title: its quota, capped by
    its share of the members (rounded down) when it has one."""
    quota = int(title["quota"])
    if title.get("quota_share"):
        num, den = parse_fraction(title["quota_share"], "quota_share")
        quota = min(quota, members * num // den)
    return quota


# -- counting ------------------------------------------------------------------------------------
def title_outcome(candidates: Sequence[str], marks: Sequence[Sequence[str]], places_left: int,
                  majority: str, base: int | None = None) -> dict[str, Any]:
    """The outcome of one title from its candidates and the marks on its ballots.

    A candidate qualifies with votes > majority × ``base`` (default: the ballots cast);
    the qualified are ranked by votes and fill ``places_left``; a tie across the last place
    proposes none of the tied (``tied``). ``status`` is proposed, tie, no_majority,
    no_ballots or no_candidates; ``votes`` counts every candidate in the order put forward.
    """
    counts = Counter(m for ballot in marks for m in ballot)
    votes = {c: counts.get(c, 0) for c in candidates}
    cast = len(marks)
    result: dict[str, Any] = {"candidates": len(candidates), "ballots": cast,
                              "places": places_left, "votes": votes, "proposed": []}
    if not candidates:
        return {**result, "status": "no_candidates"}
    if cast == 0:
        return {**result, "status": "no_ballots"}
    qualified = sorted((c for c in candidates
                        if has_majority(votes[c], cast if base is None else base, majority)),
                       key=lambda c: -votes[c])
    if not qualified:
        return {**result, "status": "no_majority"}
    if len(qualified) <= places_left:
        return {**result, "status": "proposed", "proposed": qualified}
    cut = votes[qualified[places_left - 1]] if places_left > 0 else None
    above = [c for c in qualified if cut is not None and votes[c] > cut]
    at_cut = [c for c in qualified if votes[c] == cut]
    if len(above) + len(at_cut) == places_left:
        return {**result, "status": "proposed", "proposed": above + at_cut}
    return {**result, "status": "tie", "proposed": above, "tied": at_cut}


def round_outcome(*, members: int, present: int, candidates: Mapping[str, Sequence[str]],
                  marks: Mapping[str, Sequence[Sequence[str]]],
                  places_left: Mapping[str, int], rules: JudgingRules) -> dict[str, Any]:
    """The declared outcome of a round: no_quorum, proposed, partly_proposed or failed, with
    each title's. A failed quorum, a tie or a failed majority is an outcome, never an
    error."""
    quorum = {"members": members, "present": present, "required": rules.quorum,
              "met": quorum_met(members, present, rules.quorum)}
    base = members if rules.majority_of == "members" else None
    titles = {code: title_outcome(candidates.get(code, ()), marks.get(code, ()),
                                  places_left.get(code, 0), rules.majority, base)
              for code in places_left}
    if not quorum["met"]:
        for t in titles.values():
            t.update(status="no_quorum", proposed=[])
            t.pop("tied", None)
        return {"outcome": "no_quorum", "quorum": quorum, "titles": titles}
    contested = [c for c, t in titles.items() if t["status"] != "no_candidates"]
    decided = [c for c in contested if titles[c]["status"] == "proposed"]
    if contested and len(decided) == len(contested):
        outcome = "proposed"
    elif any(titles[c]["proposed"] for c in contested):
        outcome = "partly_proposed"
    else:
        outcome = "failed"
    return {"outcome": outcome, "quorum": quorum, "titles": titles}


# -- a ballot's marks, sealed at a fixed length ----------------------------------------------------
def marks_to_text(candidates: Sequence[str], marks: Sequence[str]) -> str:
    """The marks as one '0'/'1' per candidate, in the order put forward: every ballot of a
    title seals a text of the same length, so its size says nothing of how many it marks."""
    chosen = set(marks)
    return "".join("1" if c in chosen else "0" for c in candidates)


def text_to_marks(candidates: Sequence[str], text: str) -> list[str]:
    return [c for c, bit in zip(candidates, text, strict=True) if bit == "1"]
