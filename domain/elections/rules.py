"""The election rules of domain.md §3 (bầu chọn luân phiên): quorum, majority, secret ballot,
rotation, as data; and the pure functions that count a seat and declare an outcome."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from domain.kernel.errors import InvalidInput, RuleViolation

SEATS = ("head", "deputy")
SEAT_NAMES = {"head": "head (Khối trưởng / Cụm trưởng)",
              "deputy": "deputy (Khối phó / Cụm phó)"}


# -- the year's rules ------------------------------------------------------------------------
def parse_fraction(text: Any, field: str) -> tuple[int, int]:
    """'2/3' -> (2, 3): a fraction strictly between 0 and 1 inclusive of 1, no floats."""
    if not isinstance(text, str) or text.count("/") != 1:
        raise InvalidInput(f"'{text}' is not a fraction written like 2/3.", field=field,
                           rule="fraction_format")
    top, _, bottom = (part.strip() for part in text.partition("/"))
    if not (top.isascii() and top.isdigit() and bottom.isascii() and bottom.isdigit()):
        raise InvalidInput(f"'{text}' is not a fraction written like 2/3.", field=field,
                           rule="fraction_format")
    num, den = int(top), int(bottom)
    if not (0 < num <= den <= 1000):
        raise InvalidInput(f"'{text}' must be more than 0 and at most 1 (denominator at most "
                           "1000).", field=field, rule="fraction_range")
    return num, den


@dataclass(frozen=True)
class ElectionRules:
    """domain.md §3, all configurable. Fractions are strings ('2/3'), never floats.

    quorum: members present ≥ quorum × members. majority: a winner's votes > majority ×
    ballots cast for the seat. rotation: the previous term's head cannot be head again.
    head_deputy_distinct: the head and the deputy are different units.
    """

    quorum: str = "2/3"
    majority: str = "1/2"
    secret_ballot: bool = True
    rotation: bool = True
    head_deputy_distinct: bool = True
    # months of the year before in which a summary meeting elects for this year's group
    # (the December meeting, "tổng kết năm", for the next term); docs/decisions.md
    next_term_months: tuple[int, ...] = (12,)
    # whether the deputy acts as head, without a designation, while the head's seat is
    # vacant (its unit ended); docs/decisions.md
    deputy_acts_for_vacant_head: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ElectionRules:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise InvalidInput(f"Unknown rule(s): {', '.join(sorted(unknown))}.",
                               field=sorted(unknown)[0], rule="known_rule")
        given = dict(data)
        months = given.get("next_term_months", cls.next_term_months)
        if not isinstance(months, list | tuple) or any(
                isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12
                for m in months) or len(set(months)) != len(months):
            raise InvalidInput("next_term_months lists months (1–12), each once: those of the "
                               "year before in which a meeting elects for this year's group.",
                               field="next_term_months", rule="months_list")
        given["next_term_months"] = tuple(sorted(months))
        rules = cls(**given)
        rules.check()
        return rules

    @classmethod
    def stored(cls, data: Mapping[str, Any]) -> ElectionRules:
        """Rules as an event or a rule set recorded them (a rule added since takes its
        default)."""
        given = dict(data)
        if "next_term_months" in given:
            given["next_term_months"] = tuple(given["next_term_months"])
        return cls(**given)

    def check(self) -> None:
        parse_fraction(self.quorum, "quorum")
        parse_fraction(self.majority, "majority")
        for name in ("secret_ballot", "rotation", "head_deputy_distinct",
                     "deputy_acts_for_vacant_head"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidInput(f"{name} is true or false.", field=name, rule="boolean")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["next_term_months"] = list(self.next_term_months)
        return out


def quorum_met(members: int, present: int, quorum: str) -> bool:
    """Quorum (đủ số thành viên): present × den ≥ num × members."""
    num, den = parse_fraction(quorum, "quorum")
    return members > 0 and present * den >= num * members


def has_majority(votes: int, cast: int, majority: str) -> bool:
    """Majority (quá bán): votes × den > num × ballots cast."""
    num, den = parse_fraction(majority, "majority")
    return cast > 0 and votes * den > num * cast


def seat_outcome(candidates: Sequence[str], choices: Sequence[str],
                 majority: str) -> dict[str, Any]:
    """The outcome of one seat from its candidates and the choices on its ballots.

    ``status`` is elected, tie, no_majority, no_ballots or no_candidates; ``votes`` counts
    every candidate (zero included), in the order they were put forward.
    """
    counts = Counter(choices)
    votes = {c: counts.get(c, 0) for c in candidates}
    cast = len(choices)
    result: dict[str, Any] = {"candidates": len(candidates), "ballots": cast, "votes": votes,
                              "winner": None}
    if not candidates:
        return {**result, "status": "no_candidates"}
    if cast == 0:
        return {**result, "status": "no_ballots"}
    top = max(votes.values())
    leaders = [c for c, v in votes.items() if v == top]
    if len(leaders) > 1:
        return {**result, "status": "tie", "tied": leaders}
    if not has_majority(top, cast, majority):
        return {**result, "status": "no_majority", "leader": leaders[0], "leader_votes": top}
    return {**result, "status": "elected", "winner": leaders[0]}


def election_outcome(*, members: int, present: int, candidates: Mapping[str, Sequence[str]],
                     choices: Mapping[str, Sequence[str]],
                     rules: ElectionRules) -> dict[str, Any]:
    """The declared outcome: no_quorum, elected, partly_elected or failed, with each seat's.

    A failed quorum, a tie or a failed majority is an outcome, never an error.
    """
    quorum = {"members": members, "present": present, "required": rules.quorum,
              "met": quorum_met(members, present, rules.quorum)}
    seats = {s: seat_outcome(candidates.get(s, ()), choices.get(s, ()), rules.majority)
             for s in SEATS}
    if not quorum["met"]:
        for s in SEATS:
            seats[s]["status"] = "no_quorum"
            seats[s]["winner"] = None
        return {"outcome": "no_quorum", "quorum": quorum, "seats": seats}
    contested = [s for s in SEATS if seats[s]["status"] != "no_candidates"]
    elected = [s for s in contested if seats[s]["status"] == "elected"]
    if contested and len(elected) == len(contested):
        outcome = "elected"
    elif elected:
        outcome = "partly_elected"
    else:
        outcome = "failed"
    return {"outcome": outcome, "quorum": quorum, "seats": seats}


def meeting_term(year: int, meeting: date, term: int | None,
                 rules: ElectionRules) -> int:
    """The term a summary meeting on ``meeting`` elects for the ``year`` group.

    The year's own summary meeting (in the year or early the next) elects for the next term
    by default; a meeting in one of ``rules.next_term_months`` of the year before (December
    by default) elects for the ``year`` group's own term, which it then runs from its
    election (4268 A.I.1)."""
    early = meeting.year == year - 1
    if early and meeting.month not in rules.next_term_months:
        months = ", ".join(str(m) for m in rules.next_term_months) or "none"
        raise RuleViolation(
            f"A meeting on {meeting.isoformat()} cannot elect for the {year} group: a meeting "
            f"of {year - 1} elects for the next year's group only in the months the {year} "
            f"election rules set (next_term_months: {months}).", field="meeting_date",
            rule="next_term_meeting_month")
    if not early and meeting.year not in (year, year + 1):
        raise InvalidInput(f"The summary meeting of {year} is held in {year} or early "
                           f"{year + 1} (or, for the {year} group's own term, in December of "
                           f"{year - 1}), not on {meeting.isoformat()}.",
                           field="meeting_date", rule="meeting_in_year")
    if term is None:
        return year if early else year + 1
    if isinstance(term, bool) or not isinstance(term, int) or not year <= term <= year + 5:
        raise InvalidInput(f"The term is a year from {year} to {year + 5}.", field="term",
                           rule="term_range")
    if early and term != year:
        raise RuleViolation(f"A meeting of {year - 1} held for the {year} group elects for "
                            f"the {year} term, not {term}.", field="term",
                            rule="next_term_meeting_term")
    return term


def check_rotation(seat: str, unit_id: str, previous_head: str | None, rules: ElectionRules,
                   label: str, field: str = "unit_code") -> None:
    """Rotation (luân phiên): the previous term's head cannot be head again."""
    if rules.rotation and seat == "head" and previous_head is not None \
            and unit_id == previous_head:
        raise RuleViolation(
            f"Rotation (luân phiên): {label} was head in the previous term and cannot be head "
            "again.", field=field, rule="rotation_head_not_repeated")


def check_seat(seat: Any, field: str = "seat") -> str:
    if seat not in SEATS:
        raise InvalidInput(f"Seat must be one of {', '.join(SEATS)}.", field=field,
                           rule="known_seat")
    return str(seat)
