"""Elections of group heads (bầu Khối trưởng / Cụm trưởng, Khối phó / Cụm phó) and the
group's covenant of targets (giao ước thi đua, chỉ tiêu): aggregates and pure rules.

domain.md §3–4, letter 4268/BHXH-TĐKT A.I.1–2, A.I.5 and A.II.1.2–1.3. The year's election
rules (quorum, majority, secret ballot, rotation) are data in a versioned
:class:`ElectionRuleSet`; an election keeps the rules it was opened with.

Secret ballot (docs/decisions.md, "Secret ballots"): a ballot is recorded as
``BallotCast{seat, voter, sealed}`` where ``sealed`` is the choice encrypted (AES-GCM, random
nonce) with the election's own key, which lives outside the event log and is destroyed once
the result is declared or the election annulled. At declaration the ballots are opened,
shuffled, given random ballot numbers and recorded together in one ``BallotsCounted`` event
under a neutral actor; no event holds a voter together with a choice.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import event

from domain.actor import Actor
from domain.base import ThiduaAggregate, stable_id
from domain.errors import InvalidInput, RuleViolation
from domain.text import clean

SEATS = ("head", "deputy")
SEAT_NAMES = {"head": "head (Khối trưởng / Cụm trưởng)",
              "deputy": "deputy (Khối phó / Cụm phó)"}
DIRECTIONS = ("at_least", "at_most")
ASSESSMENTS = ("kept", "partly_kept", "not_kept")

# The neutral actor the counted ballots are recorded under: it names no user and no unit.
BALLOT_BOX = Actor(user_id="ballot-box", user_name="ballot box", roles=(), unit_id=None,
                   role=None, source="ballot-box")


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


# -- sealing a secret ballot ------------------------------------------------------------------
def new_ballot_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _aad(election_id: str, seat: str, voter: str) -> bytes:
    return f"{election_id}|{seat}|{voter}".encode()


def seal_choice(key: bytes, election_id: str, seat: str, voter: str, candidate: str) -> str:
    """The choice, encrypted with a random nonce: equal choices never look equal."""
    nonce = os.urandom(12)
    box = AESGCM(key).encrypt(nonce, candidate.encode(), _aad(election_id, seat, voter))
    return base64.b64encode(nonce + box).decode()


def open_choice(key: bytes, election_id: str, seat: str, voter: str, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], _aad(election_id, seat, voter)).decode()
    except InvalidTag:
        raise RuleViolation("A sealed ballot cannot be opened with this election's key; the "
                            "election must be annulled and held again.", field="election_id",
                            rule="ballot_key_valid") from None


def shuffled_ballots(choices: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """(seat, candidate) pairs as anonymous ballots: random numbers, sorted by number, so
    the order says nothing about the order in which they were cast."""
    ballots = [{"ballot_no": secrets.token_hex(8), "seat": seat, "candidate": candidate}
               for seat, candidate in choices]
    return sorted(ballots, key=lambda b: b["ballot_no"])


# -- covenant values ---------------------------------------------------------------------------
def check_decimal(value: Any, field: str) -> str:
    """A target value as a decimal string ('98.5'), normalised; no floats."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidInput("A value is a decimal number written as a string, like \"98.5\".",
                           field=field, rule="decimal_format")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"'{value}' is not a decimal number.", field=field,
                           rule="decimal_format") from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise InvalidInput(f"'{value}' is not a finite number below 10^15.", field=field,
                           rule="decimal_range")
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_text(value: Any, field: str, limit: int = 1000) -> str:
    """Text of 1–``limit`` characters, stripped, that the record can keep (domain.text)."""
    value = clean(value, field) if isinstance(value, str) else value
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"{field} is 1–{limit} characters and not blank.", field=field,
                           rule="text_length")
    return value.strip()


def check_targets(targets: Any, field: str = "targets") -> list[dict[str, str]]:
    """The covenant's named targets (chỉ tiêu thi đua): code, name, unit of measure, target
    value and direction; codes unique."""
    if not isinstance(targets, list) or not targets or len(targets) > 200:
        raise InvalidInput("A covenant names 1–200 targets.", field=field, rule="targets_count")
    out, seen = [], set()
    for i, t in enumerate(targets):
        where = f"{field}[{i}]"
        if not isinstance(t, dict):
            raise InvalidInput("A target is an object with code, name, unit_of_measure, target "
                               "and direction.", field=where, rule="target_object")
        code = check_text(t.get("code"), f"{where}.code", 32)
        if code in seen:
            raise InvalidInput(f"Target code {code} is listed twice.", field=f"{where}.code",
                               rule="target_code_unique")
        seen.add(code)
        direction = t.get("direction")
        if direction not in DIRECTIONS:
            raise InvalidInput(f"Direction is one of {', '.join(DIRECTIONS)}.",
                               field=f"{where}.direction", rule="known_direction")
        out.append({"code": code, "name": check_text(t.get("name"), f"{where}.name", 300),
                    "unit_of_measure": check_text(t.get("unit_of_measure"),
                                                  f"{where}.unit_of_measure", 50),
                    "target": check_decimal(t.get("target"), f"{where}.target"),
                    "direction": str(direction)})
    return out


# -- aggregates --------------------------------------------------------------------------------
def election_rules_id(year: int) -> Any:
    return stable_id("election-rules", year)


class ElectionRuleSet(ThiduaAggregate):
    """The year's election rules, versioned: a change is a new version with a reason; an
    election keeps the version it was opened with."""

    TOPIC = "thidua:ElectionRuleSet"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:ElectionRuleSet.Event"

    @staticmethod
    def create_id(year: int) -> Any:
        return election_rules_id(year)

    @event("Set", topic="thidua:ElectionRuleSet.Set")
    def __init__(self, year: int, rules: dict[str, Any], reason: str | None) -> None:
        self.year = year
        self.versions: list[dict[str, Any]] = []
        self._add(rules, reason)

    def _add(self, rules: dict[str, Any], reason: str | None) -> None:
        self.versions.append({"version": len(self.versions) + 1, "rules": dict(rules),
                              "reason": reason})

    @event("Revised", topic="thidua:ElectionRuleSet.Revised")
    def revise(self, rules: dict[str, Any], reason: str | None) -> None:
        self._add(rules, reason)

    @property
    def current(self) -> dict[str, Any]:
        return self.versions[-1]


def election_id(group_id: str, round_no: int) -> Any:
    return stable_id("election", group_id, round_no)


class Election(ThiduaAggregate):
    """One round of a group's election at its annual summary meeting (tổng kết năm)."""

    TOPIC = "thidua:Election"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Election.Event"

    @staticmethod
    def create_id(group_id: str, round_no: int) -> Any:
        return election_id(group_id, round_no)

    @event("Opened", topic="thidua:Election.Opened")
    def __init__(self, group_id: str, round_no: int, year: int, term: int, meeting_date: str,
                 place: str, members: list[str], present: list[str], rules: dict[str, Any],
                 rules_version: int, previous_head: str | None) -> None:
        self.group_id = group_id
        self.round_no = round_no
        self.year = year
        self.term = term
        self.meeting_date = meeting_date
        self.place = place
        self.members = list(members)
        self.present = list(present)
        self.rules = dict(rules)
        self.rules_version = rules_version
        self.previous_head = previous_head
        self.status = "open"
        self.candidates: dict[str, list[str]] = {s: [] for s in SEATS}
        # seat -> voter -> the sealed choice (secret) or the candidate (open ballot)
        self.ballots: dict[str, dict[str, str]] = {s: {} for s in SEATS}
        self.counted: list[dict[str, str]] = []
        self.result: dict[str, Any] | None = None
        self.annul_reason: str | None = None

    @property
    def rule_set(self) -> ElectionRules:
        return ElectionRules(**self.rules)

    # -- rules ---------------------------------------------------------------------------
    def check_open(self) -> None:
        if self.status != "open":
            raise RuleViolation(f"The election is {self.status}; nothing more can be recorded "
                                "in it. Open a new round if needed.", field="election_id",
                                rule="election_open")

    # -- commands ------------------------------------------------------------------------
    @event("CandidatePutForward", topic="thidua:Election.CandidatePutForward")
    def put_forward(self, seat: str, unit_id: str) -> None:
        self.candidates[seat].append(unit_id)

    @event("BallotCast", topic="thidua:Election.BallotCast")
    def cast(self, seat: str, voter: str, sealed: str | None, candidate: str | None) -> None:
        """Secret: ``sealed`` set, ``candidate`` None. Open ballot: the reverse."""
        self.ballots[seat][voter] = sealed if sealed is not None else str(candidate)

    @event("BallotsCounted", topic="thidua:Election.BallotsCounted")
    def count(self, ballots: list[dict[str, str]]) -> None:
        """The opened ballots, shuffled, without voters (recorded under BALLOT_BOX)."""
        self.counted = list(ballots)

    @event("ResultDeclared", topic="thidua:Election.ResultDeclared")
    def declare(self, result: dict[str, Any], declared_at: str) -> None:
        self.status = "declared"
        self.result = {**result, "declared_at": declared_at}

    @event("Annulled", topic="thidua:Election.Annulled")
    def annul(self, reason: str) -> None:
        self.status = "annulled"
        self.annul_reason = reason


def office_id(group_id: str) -> Any:
    return stable_id("group-office", group_id)


class GroupOffice(ThiduaAggregate):
    """Who heads a group (Khối trưởng / Cụm trưởng and the deputy), and its elections.

    Holds the election in progress, so a group has at most one open election at a time, and
    the terms of office: a winner takes office on declaration and the previous holder's term
    of that seat ends at the same moment.
    """

    TOPIC = "thidua:GroupOffice"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:GroupOffice.Event"

    @staticmethod
    def create_id(group_id: str) -> Any:
        return office_id(group_id)

    @event("Created", topic="thidua:GroupOffice.Created")
    def __init__(self, group_id: str, year: int) -> None:
        self.group_id = group_id
        self.year = year
        self.elections: list[str] = []
        self.open_election: str | None = None
        self.terms: list[dict[str, Any]] = []  # {seat, unit_id, term, took_office, ended, ...}

    def sitting(self, seat: str) -> dict[str, Any] | None:
        for t in reversed(self.terms):
            if t["seat"] == seat and t["ended"] is None:
                return t
        return None

    def last_head_before(self, term: int) -> str | None:
        for t in reversed(self.terms):
            if t["seat"] == "head" and t["term"] < term:
                return str(t["unit_id"])
        return None

    @event("ElectionOpened", topic="thidua:GroupOffice.ElectionOpened")
    def election_opened(self, election_id: str) -> None:
        self.elections.append(election_id)
        self.open_election = election_id

    @event("ElectionClosed", topic="thidua:GroupOffice.ElectionClosed")
    def election_closed(self, election_id: str, outcome: str) -> None:
        if self.open_election == election_id:
            self.open_election = None

    @event("OfficeTaken", topic="thidua:GroupOffice.OfficeTaken")
    def take_office(self, election_id: str, term: int, took_office: str,
                    holders: list[dict[str, str]]) -> None:
        """Every elected seat at once: the new holders start, the previous ones end."""
        for h in holders:
            current = self.sitting(h["seat"])
            if current is not None:
                current["ended"] = took_office
            self.terms.append({"seat": h["seat"], "unit_id": h["unit_id"], "term": term,
                               "took_office": took_office, "ended": None,
                               "election_id": election_id})


def covenant_id(group_id: str) -> Any:
    return stable_id("covenant", group_id)


class Covenant(ThiduaAggregate):
    """Giao ước thi đua: the year's covenant of a group, launched by its head; members sign
    it (once each) and register their own targets; the head records inspection findings."""

    TOPIC = "thidua:Covenant"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Covenant.Event"

    @staticmethod
    def create_id(group_id: str) -> Any:
        return covenant_id(group_id)

    @event("Launched", topic="thidua:Covenant.Launched")
    def __init__(self, group_id: str, year: int, title: str, launched_on: str,
                 targets: list[dict[str, str]]) -> None:
        self.group_id = group_id
        self.year = year
        self.title = title
        self.launched_on = launched_on
        self.targets = list(targets)
        self.revision = 1
        self.signatures: dict[str, dict[str, Any]] = {}
        self.registered: dict[str, dict[str, Any]] = {}
        self.findings: list[dict[str, Any]] = []

    @property
    def target_codes(self) -> list[str]:
        return [t["code"] for t in self.targets]

    @event("Amended", topic="thidua:Covenant.Amended")
    def amend(self, targets: list[dict[str, str]], title: str, reason: str) -> None:
        self.targets = list(targets)
        self.title = title
        self.revision += 1

    @event("Signed", topic="thidua:Covenant.Signed")
    def sign(self, unit_id: str, signed_on: str, revision: int) -> None:
        self.signatures[unit_id] = {"signed_on": signed_on, "revision": revision}

    @event("TargetsRegistered", topic="thidua:Covenant.TargetsRegistered")
    def register_targets(self, unit_id: str, targets: list[dict[str, str]], revision: int,
                         reason: str | None) -> None:
        self.registered[unit_id] = {"targets": list(targets), "revision": revision}

    @event("FindingRecorded", topic="thidua:Covenant.FindingRecorded")
    def record_finding(self, finding_no: int, unit_id: str, inspected_on: str,
                       target: str | None, assessment: str, summary: str) -> None:
        self.findings.append({"finding_no": finding_no, "unit_id": unit_id,
                              "inspected_on": inspected_on, "target": target,
                              "assessment": assessment, "summary": summary, "revision": 1})

    @event("FindingAmended", topic="thidua:Covenant.FindingAmended")
    def amend_finding(self, finding_no: int, assessment: str, summary: str,
                      reason: str) -> None:
        f = self.findings[finding_no - 1]
        f.update(assessment=assessment, summary=summary, revision=f["revision"] + 1)
