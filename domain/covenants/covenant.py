"""The covenant of a group (giao ước thi đua): named, quantified targets (chỉ tiêu thi đua),
signatures, registered targets and inspection findings. domain.md §4, letter 4268 A.II.1.2–1.3."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean

DIRECTIONS = ("at_least", "at_most")
ASSESSMENTS = ("kept", "partly_kept", "not_kept")


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
    """Text of 1–``limit`` characters, stripped, that the record can keep (domain.kernel.text)."""
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
