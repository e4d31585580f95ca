"""The operating rules of a group (Quy chế hoạt động của Khối, Cụm thi đua, letter 4268
A.II.1.1): drafted by the head, adopted by the members at a meeting, amended the same way.
One record per group line, since the rules hold from year to year until amended."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.elections.rules import has_majority, quorum_met
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import InvalidInput, RuleViolation

KINDS = ("rules", "amendment")


def regulation_id(group_id: str) -> Any:
    return stable_id("group-regulation", group_id)


class GroupRegulation(ThiduaAggregate):
    """Quy chế hoạt động: versions, each drafted (kind ``rules``: a whole text; kind
    ``amendment``: sửa đổi, bổ sung of the rules in force), then adopted at a members'
    meeting or withdrawn. At most one draft waits at a time."""

    TOPIC = "thidua:GroupRegulation"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:GroupRegulation.Event"

    @staticmethod
    def create_id(group_id: str) -> Any:
        return regulation_id(group_id)

    @event("Created", topic="thidua:GroupRegulation.Created")
    def __init__(self, group_id: str, year: int) -> None:
        self.group_id = group_id  # the line's first group
        self.year = year
        self.versions: list[dict[str, Any]] = []

    # -- reading -------------------------------------------------------------------------------
    @property
    def pending(self) -> dict[str, Any] | None:
        return next((v for v in self.versions if v["status"] == "draft"), None)

    def adopted(self) -> list[dict[str, Any]]:
        return [v for v in self.versions if v["status"] == "adopted"]

    def in_force(self, day: date) -> list[dict[str, Any]]:
        """The versions in force on ``day``: the last whole text adopted by then and the
        amendments of it adopted after it, in order."""
        held = [v for v in self.adopted() if v["adoption"]["effective"] <= day.isoformat()]
        held.sort(key=lambda v: (v["adoption"]["effective"], v["version"]))
        last = max((i for i, v in enumerate(held) if v["kind"] == "rules"), default=None)
        return [] if last is None else held[last:]

    def version_of(self, number: int) -> dict[str, Any] | None:
        return self.versions[number - 1] if 1 <= number <= len(self.versions) else None

    # -- commands --------------------------------------------------------------------------------
    def draft(self, *, kind: str, title: str, text: str | None, file: dict[str, str] | None,
              drafted_on: str, group_id: str, year: int, reason: str | None) -> int:
        """The head's draft of the rules or of an amendment; returns its version number."""
        if kind not in KINDS:
            raise InvalidInput(f"kind is one of {', '.join(KINDS)}.", field="kind",
                               rule="known_kind")
        waiting = self.pending
        if waiting is not None:
            raise RuleViolation(f"Version {waiting['version']} is a draft not yet adopted; "
                                "have it adopted or withdraw it first.", field="kind",
                                rule="one_pending_draft")
        adopted = self.adopted()
        if kind == "amendment" and not adopted:
            raise RuleViolation("An amendment (sửa đổi, bổ sung) changes rules in force; the "
                                "group has adopted none yet.", field="kind",
                                rule="amendment_needs_rules")
        if adopted and reason is None:
            raise RuleViolation("A new text or an amendment of rules in force needs the "
                                "reason.", field="reason", rule="reason_required")
        no = len(self.versions) + 1
        self._drafted(version_no=no, kind=kind, title=title, text=text, file=file,
                      drafted_on=drafted_on, group_id=group_id, year=year,
                      amends=adopted[-1]["version"] if adopted else None, reason=reason)
        return no

    @event("Drafted", topic="thidua:GroupRegulation.Drafted")
    def _drafted(self, version_no: int, kind: str, title: str, text: str | None,
                 file: dict[str, str] | None, drafted_on: str, group_id: str, year: int,
                 amends: int | None, reason: str | None) -> None:
        self.versions.append({"version": version_no, "kind": kind, "title": title,
                              "text": text, "file": file, "drafted_on": drafted_on,
                              "group_id": group_id, "year": year, "amends": amends,
                              "reason": reason, "status": "draft", "adoption": None,
                              "withdrawn": None})

    def check_pending(self, number: int, field: str = "version") -> dict[str, Any]:
        found = self.version_of(number)
        if found is None:
            raise RuleViolation(f"There is no version {number} of the group's rules.",
                                field=field, rule="version_exists")
        if found["status"] != "draft":
            raise RuleViolation(f"Version {number} is {found['status']}; only a draft is "
                                "adopted or withdrawn.", field=field, rule="draft_pending")
        return found

    def withdraw(self, number: int, reason: str) -> None:
        self.check_pending(number)
        self._withdrawn(version_no=number, reason=reason)

    @event("Withdrawn", topic="thidua:GroupRegulation.Withdrawn")
    def _withdrawn(self, version_no: int, reason: str) -> None:
        v = self.versions[version_no - 1]
        v["status"] = "withdrawn"
        v["withdrawn"] = {"reason": reason}

    def adopt(self, number: int, *, meeting_date: str, place: str, effective: str,
              group_id: str, year: int, members: list[str], present: list[str],
              adopters: list[str], rules: dict[str, Any], rules_version: int,
              labels: dict[str, str]) -> None:
        """The members adopt the draft at a meeting (thông qua): the members present meet
        the quorum and those in favour the majority of those present (the year's meeting
        rules: docs/decisions.md, "What adopting the group's rules requires")."""
        draft = self.check_pending(number)
        if meeting_date < draft["drafted_on"]:
            raise RuleViolation(f"Version {number} was drafted on {draft['drafted_on']}; it is "
                                "adopted at a meeting after that.", field="meeting_date",
                                rule="adopted_after_draft")
        if effective < meeting_date:
            raise RuleViolation("The rules take effect on or after the meeting that adopts "
                                "them.", field="effective", rule="effective_after_meeting")
        for i, unit in enumerate(present):
            if unit not in members:
                raise RuleViolation(f"{labels.get(unit, unit)} is not a member of the group "
                                    "this year.", field=f"present[{i}]",
                                    rule="present_is_member")
        for i, unit in enumerate(adopters):
            if unit not in present:
                raise RuleViolation(f"{labels.get(unit, unit)} was not recorded present; only "
                                    "members present adopt.", field=f"adopters[{i}]",
                                    rule="adopter_present")
        if not quorum_met(len(members), len(present), rules["quorum"]):
            raise RuleViolation(f"{len(present)} of {len(members)} members present do not meet "
                                f"the quorum ({rules['quorum']} of the members): the rules "
                                "cannot be adopted at this meeting.", field="present",
                                rule="adoption_quorum")
        if not has_majority(len(adopters), len(present), rules["majority"]):
            raise RuleViolation(f"{len(adopters)} of the {len(present)} members present in "
                                f"favour is not more than {rules['majority']} of them: the "
                                "draft is not adopted.", field="adopters",
                                rule="adoption_majority")
        self._adopted(version_no=number, meeting_date=meeting_date, place=place,
                      effective=effective, group_id=group_id, year=year, members=members,
                      present=present, adopters=adopters, rules=rules,
                      rules_version=rules_version)

    @event("Adopted", topic="thidua:GroupRegulation.Adopted")
    def _adopted(self, version_no: int, meeting_date: str, place: str, effective: str,
                 group_id: str, year: int, members: list[str], present: list[str],
                 adopters: list[str], rules: dict[str, Any], rules_version: int) -> None:
        v = self.versions[version_no - 1]
        v["status"] = "adopted"
        v["adoption"] = {"meeting_date": meeting_date, "place": place,
                         "effective": effective, "group_id": group_id, "year": year,
                         "members": list(members), "present": list(present),
                         "adopters": list(adopters), "rules": dict(rules),
                         "rules_version": rules_version}
