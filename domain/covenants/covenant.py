"""The covenant of a group (giao ước thi đua): named, quantified targets (chỉ tiêu thi đua),
signatures, registered targets and inspection findings. domain.md §4, letter 4268 A.II.1.2–1.3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, NotFound, RuleViolation
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


def check_assessment(assessment: Any) -> str:
    if assessment not in ASSESSMENTS:
        raise InvalidInput(f"Assessment is one of {', '.join(ASSESSMENTS)}.",
                           field="assessment", rule="known_assessment")
    return str(assessment)


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

    # -- rules -------------------------------------------------------------------------------
    def check_member(self, unit_id: str | None, members: Any, rule: str, what: str) -> None:
        if unit_id is None or unit_id not in members:
            raise NotAuthorised(f"Only member units of the group {what}.",
                                field="covenant_id", rule=rule)

    def check_after_launch(self, day: date, field: str, rule: str, what: str) -> None:
        if day < date.fromisoformat(self.launched_on):
            raise RuleViolation(f"The covenant was launched on {self.launched_on}; {what}.",
                                field=field, rule=rule)

    # -- commands ------------------------------------------------------------------------------
    def amend(self, targets: list[dict[str, str]] | None, title: str | None,
              reason: str) -> None:
        """The head changes the targets or the title (a new revision), with a reason."""
        if targets is None and title is None:
            raise InvalidInput("An amendment changes the targets or the title.",
                               field="targets", rule="amendment_changes_something")
        self._amended(targets=targets if targets is not None else self.targets,
                      title=title or self.title, reason=reason)

    @event("Amended", topic="thidua:Covenant.Amended")
    def _amended(self, targets: list[dict[str, str]], title: str, reason: str) -> None:
        self.targets = list(targets)
        self.title = title
        self.revision += 1

    def sign(self, unit_id: str | None, signed_on: date, members: Any) -> None:
        """Ký giao ước: a member unit signs, once, not before the launch."""
        self.check_member(unit_id, members, "signer_is_member", "sign its covenant")
        if unit_id in self.signatures:
            raise Conflict(f"Your unit signed this covenant on "
                           f"{self.signatures[str(unit_id)]['signed_on']}; a member signs once.",
                           field="covenant_id", rule="sign_once")
        self.check_after_launch(signed_on, "signed_on", "signed_after_launch",
                                "it cannot be signed before")
        self._signed(unit_id=str(unit_id), signed_on=signed_on.isoformat(),
                     revision=self.revision)

    @event("Signed", topic="thidua:Covenant.Signed")
    def _signed(self, unit_id: str, signed_on: str, revision: int) -> None:
        self.signatures[unit_id] = {"signed_on": signed_on, "revision": revision}

    def register_targets(self, unit_id: str | None, targets: Any, reason: str | None,
                         members: Any) -> list[dict[str, str]]:
        """Đăng ký chỉ tiêu: a member's own value for targets of the covenant, each once; a
        second registration is an amendment and needs a reason. Returns what is recorded."""
        self.check_member(unit_id, members, "registrant_is_member",
                          "register targets under its covenant")
        entries = self.check_registered(targets)
        previous = self.registered.get(str(unit_id))
        if previous is not None and reason is None:
            raise RuleViolation("Your unit has registered its targets already; a change is "
                                "an amendment and needs a reason.", field="reason",
                                rule="amendment_needs_reason")
        self._targets_registered(unit_id=str(unit_id), targets=entries,
                                 revision=previous["revision"] + 1 if previous else 1,
                                 reason=reason)
        return entries

    def check_registered(self, targets: Any) -> list[dict[str, str]]:
        if not isinstance(targets, list) or not targets or len(targets) > 200:
            raise InvalidInput("Register 1–200 targets.", field="targets",
                               rule="targets_count")
        known = self.target_codes
        seen: set[str] = set()
        out = []
        for i, t in enumerate(targets):
            if not isinstance(t, dict):
                raise InvalidInput("A registered target is an object with target and value.",
                                   field=f"targets[{i}]", rule="target_object")
            code = t.get("target")
            if code not in known:
                raise RuleViolation(f"'{code}' is not a target of this covenant (targets: "
                                    f"{', '.join(known)}).", field=f"targets[{i}].target",
                                    rule="known_target")
            if code in seen:
                raise InvalidInput(f"Target {code} is listed twice.",
                                   field=f"targets[{i}].target", rule="target_once")
            seen.add(code)
            entry = {"target": code, "value": check_decimal(t.get("value"),
                                                            f"targets[{i}].value")}
            if t.get("note") is not None:
                entry["note"] = check_text(t["note"], f"targets[{i}].note")
            out.append(entry)
        return out

    @event("TargetsRegistered", topic="thidua:Covenant.TargetsRegistered")
    def _targets_registered(self, unit_id: str, targets: list[dict[str, str]], revision: int,
                            reason: str | None) -> None:
        self.registered[unit_id] = {"targets": list(targets), "revision": revision}

    def record_finding(self, member_id: str, member_code: str, inspected_on: date,
                       target: str | None, assessment: str, summary: str,
                       members: Any, inspection: dict[str, Any] | None = None) -> int:
        """Kiểm tra, giám sát: what an inspection of a member found; returns its number.
        ``inspection``: the inspection of the group's plan it came from (its code, members
        and days), which covers the member and the day."""
        check_assessment(assessment)
        if member_id not in members:
            raise RuleViolation(f"{member_code} is not a member of the group.",
                                field="member_code", rule="finding_on_member")
        if target is not None and target not in self.target_codes:
            raise RuleViolation(f"'{target}' is not a target of this covenant.",
                                field="target", rule="known_target")
        self.check_after_launch(inspected_on, "inspected_on", "inspected_after_launch",
                                "an inspection under it comes after")
        if inspection is not None:
            if member_id not in inspection["members"]:
                raise RuleViolation(f"Inspection {inspection['code']} of the plan does not "
                                    f"inspect {member_code}.", field="inspection",
                                    rule="finding_member_inspected")
            if not inspection["from"] <= inspected_on.isoformat() <= inspection["until"]:
                raise RuleViolation(f"Inspection {inspection['code']} runs from "
                                    f"{inspection['from']} to {inspection['until']}; a finding "
                                    "of it is of a day in between.", field="inspected_on",
                                    rule="inspected_in_window")
        no = len(self.findings) + 1
        self._finding_recorded(finding_no=no, unit_id=member_id,
                               inspected_on=inspected_on.isoformat(), target=target,
                               assessment=assessment, summary=summary,
                               inspection=inspection["code"] if inspection else None)
        return no

    @event("FindingRecorded", topic="thidua:Covenant.FindingRecorded")
    def _finding_recorded(self, finding_no: int, unit_id: str, inspected_on: str,
                          target: str | None, assessment: str, summary: str,
                          inspection: str | None = None) -> None:
        # ``inspection`` was added later: findings recorded before it read None
        self.findings.append({"finding_no": finding_no, "unit_id": unit_id,
                              "inspected_on": inspected_on, "target": target,
                              "assessment": assessment, "summary": summary, "revision": 1,
                              "inspection": inspection})

    def inspected(self) -> list[dict[str, Any]]:
        """The findings that came from an inspection of the group's plan."""
        return [f for f in self.findings if f.get("inspection")]

    def amend_finding(self, finding_no: int, reason: str, summary: str | None,
                      assessment: str | None) -> dict[str, Any]:
        """Correct a finding's summary or assessment, with a reason; returns the finding."""
        if summary is None and assessment is None:
            raise InvalidInput("An amendment changes the summary or the assessment.",
                               field="summary", rule="amendment_changes_something")
        if assessment is not None:
            check_assessment(assessment)
        if not 1 <= finding_no <= len(self.findings):
            raise NotFound(f"There is no finding {finding_no} under this covenant.",
                           field="finding_no", rule="exists")
        f = self.findings[finding_no - 1]
        self._finding_amended(finding_no=finding_no, assessment=assessment or f["assessment"],
                              summary=summary or f["summary"], reason=reason)
        return self.findings[finding_no - 1]

    @event("FindingAmended", topic="thidua:Covenant.FindingAmended")
    def _finding_amended(self, finding_no: int, assessment: str, summary: str,
                         reason: str) -> None:
        f = self.findings[finding_no - 1]
        f.update(assessment=assessment, summary=summary, revision=f["revision"] + 1)
