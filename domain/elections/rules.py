"""The election rules of domain.md §3 (bầu chọn luân phiên): quorum, majority, secret ballot,
rotation, as data; and the pure functions that count a seat and declare an outcome."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ElectionRules:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise InvalidInput(f"Unknown rule(s): {', '.join(sorted(unknown))}.",
                               field=sorted(unknown)[0], rule="known_rule")
        rules = cls(**dict(data))
        rules.check()
        return rules

    def check(self) -> None:
        parse_fraction(self.quorum, "quorum")
        parse_fraction(self.majority, "majority")
        for name in ("secret_ballot", "rotation", "head_deputy_distinct"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidInput(f"{name} is true or false.", field=name, rule="boolean")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
