"""Nominations (đề xuất "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"), field
reports (cung cấp thông tin: the appendix's fields, and more "nếu có") and provincial
cluster summaries (tổng hợp của Cụm trưởng), each a recorded submission of the year's
evaluation."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation


class Nomination(ThiduaAggregate):
    """Đề xuất: a proposer puts a unit forward for the outstanding title, with reasons.

    A central unit's nomination is part of "the contents of scoring, evaluation and
    classification" its leader in charge approves before they are sent (the 2023 letter,
    1.a): it counts only once approved. A province's counts as submitted. Nobody approves or
    returns a nomination they submitted (the cycle's separation of duties, as for sheets)."""

    TOPIC = "thidua:Nomination"
    # Nominations recorded before approvals existed need none and were submitted by nobody
    # the record names.
    needs_approval: bool = False
    approved_by: str | None = None
    submitted_by: str | None = None
    submitters: tuple[str, ...] = ()
    returns: tuple[dict[str, Any], ...] = ()

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Nomination.Event"

    @staticmethod
    def create_id(year: int, proposer_id: str, subject_id: str) -> Any:
        return stable_id("nomination", year, proposer_id, subject_id)

    @event("Submitted", topic="thidua:Nomination.Submitted")
    def __init__(self, year: int, proposer_id: str, proposer_code: str, subject_id: str,
                 subject_code: str, basis: str, justification: str, late: bool,
                 at: str, needs_approval: bool = False,
                 actor: dict[str, Any] | None = None) -> None:
        self.year = year
        self.proposer_id = proposer_id
        self.proposer_code = proposer_code
        self.subject_id = subject_id
        self.subject_code = subject_code
        self.basis = basis
        self.justification = justification
        self.late = late
        self.needs_approval = needs_approval
        self.state = "submitted"
        self._submitted_by(actor)

    def _submitted_by(self, actor: dict[str, Any] | None) -> None:
        user = (actor or {}).get("user_id")
        self.submitted_by = user
        if user and user not in self.submitters:
            self.submitters = (*self.submitters, user)

    # -- reading -------------------------------------------------------------------------
    @property
    def stands(self) -> bool:
        """Whether it counts: submitted, and approved where its leader's approval is
        needed."""
        return self.state == "approved" or (self.state == "submitted"
                                            and not self.needs_approval)

    def _label(self) -> str:
        return f"{self.proposer_code}'s nomination of {self.subject_code} ({self.state})"

    def _need(self, states: tuple[str, ...], act: str) -> None:
        if self.state not in states:
            raise RuleViolation(f"Cannot {act} {self._label()}: only a nomination that is "
                                f"{' or '.join(states)} can.", field="state",
                                rule=f"nomination_{act}_state")

    # -- commands ------------------------------------------------------------------------
    def withdraw(self, reason: str, at: str) -> None:
        self._need(("submitted", "approved", "returned"), "withdraw")
        self._withdrawn(reason=reason, at=at)

    @event("Withdrawn", topic="thidua:Nomination.Withdrawn")
    def _withdrawn(self, reason: str, at: str) -> None:
        self.state = "withdrawn"

    def resubmit(self, justification: str, late: bool, at: str) -> None:
        """Submit again after a withdrawal or a return (approval, if needed, again too)."""
        if self.state not in ("withdrawn", "returned"):
            raise RuleViolation(f"{self.proposer_code} has already nominated "
                                f"{self.subject_code} this year.", field="subject_code",
                                rule="nomination_once")
        self._resubmitted(justification=justification, late=late, at=at)

    @event("Resubmitted", topic="thidua:Nomination.Resubmitted")
    def _resubmitted(self, justification: str, late: bool, at: str,
                     actor: dict[str, Any] | None = None) -> None:
        self.justification = justification
        self.late = late
        self.state = "submitted"
        self.approved_by = None
        self._submitted_by(actor)

    def check_not_submitter(self, by: str, act: str, separate: bool) -> None:
        """Never the one who submitted it as it stands; with ``separate`` (the cycle's
        separation of duties), nobody who ever submitted it."""
        word = {"approve": "approver", "return": "returner"}[act]
        if (act == "approve" and by == self.submitted_by) or (separate and by in self.submitters):
            raise RuleViolation(f"You submitted {self._label()}: nobody who submitted a "
                                f"nomination may {act} it; another "
                                f"{'leader in charge' if act == 'approve' else 'reviewer'} "
                                "does.", field=word, rule=f"{word}_not_submitter")

    def approve(self, by: str, at: str, separate: bool = True) -> None:
        """The leader in charge of a central proposer approves its submitted nomination."""
        if not self.needs_approval:
            raise RuleViolation(f"{self.proposer_code} is not a central unit (or nominated "
                                "before approvals were kept): its nomination counts without "
                                "a leader's approval.", field="state",
                                rule="nomination_approval_not_needed")
        self._need(("submitted",), "approve")
        self.check_not_submitter(by, "approve", separate)
        self._approved(by=by, at=at)

    @event("Approved", topic="thidua:Nomination.Approved")
    def _approved(self, by: str, at: str) -> None:
        self.state = "approved"
        self.approved_by = by

    def return_(self, reason: str, by: str, at: str, separate: bool = True) -> None:
        """Return it to the proposer with the reason (the leader in charge or the standing
        office); the proposer submits it again or withdraws it."""
        self._need(("submitted", "approved"), "return")
        self.check_not_submitter(by, "return", separate)
        self._returned(reason=reason, by=by, at=at)

    @event("Returned", topic="thidua:Nomination.Returned")
    def _returned(self, reason: str, by: str, at: str) -> None:
        self.state = "returned"
        self.approved_by = None
        self.returns = (*self.returns, {"reason": reason, "by": by, "at": at})


class FieldReport(ThiduaAggregate):
    """Cung cấp thông tin: a central unit's figures, lists and assessment of one unit of the
    cycle: a province, in the field of its appendix item or as information beyond the
    appendix ("nếu có": ``item`` None); or a central unit, where its item's facts concern
    the whole sector (Party organisation ratings, discipline cases, media incidents).

    The subject is kept in ``province_id``/``province_code``, the names its first events
    gave it (a report on a central unit says so in ``subject_level``)."""

    TOPIC = "thidua:FieldReport"
    subject_level: str = "province"  # reports recorded before others existed were on one

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:FieldReport.Event"

    @staticmethod
    def create_id(year: int, reporter_id: str, province_id: str) -> Any:
        return stable_id("field_report", year, reporter_id, province_id)

    @event("Submitted", topic="thidua:FieldReport.Submitted")
    def __init__(self, year: int, reporter_id: str, reporter_code: str, province_id: str,
                 province_code: str, item: int | None, figures: dict[str, Any],
                 lists: dict[str, list[dict[str, Any]]], assessment: str, late: bool,
                 at: str, subject_level: str = "province") -> None:
        self.year = year
        self.reporter_id = reporter_id
        self.reporter_code = reporter_code
        self.province_id = province_id
        self.province_code = province_code
        self.subject_level = subject_level
        self.item = item
        self.submissions = 0
        self._take(figures, lists, assessment, late)

    @property
    def subject_id(self) -> str:
        return self.province_id

    @property
    def subject_code(self) -> str:
        return self.province_code

    def _take(self, figures: dict[str, Any], lists: dict[str, list[dict[str, Any]]],
              assessment: str, late: bool) -> None:
        self.figures = figures
        self.lists = lists
        self.assessment = assessment
        self.late = late
        self.submissions += 1

    @event("Resubmitted", topic="thidua:FieldReport.Resubmitted")
    def resubmit(self, figures: dict[str, Any], lists: dict[str, list[dict[str, Any]]],
                 assessment: str, late: bool, reason: str, at: str) -> None:
        self._take(figures, lists, assessment, late)


class ClusterSummary(ThiduaAggregate):
    """Tổng hợp của Cụm trưởng: per monitoring central unit, the average score its members
    gave and how many members nominate it, computed from the members' sent sheets."""

    TOPIC = "thidua:ClusterSummary"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:ClusterSummary.Event"

    @staticmethod
    def create_id(year: int, group_id: str) -> Any:
        return stable_id("cluster_summary", year, group_id)

    @event("Sent", topic="thidua:ClusterSummary.Sent")
    def __init__(self, year: int, group_id: str, group_code: str, head_id: str,
                 head_code: str, members: list[str], rows: list[dict[str, Any]],
                 not_sent: list[dict[str, Any]], late: bool, at: str) -> None:
        self.year = year
        self.group_id = group_id
        self.group_code = group_code
        self.sends = 0
        self._take(head_id, head_code, members, rows, not_sent, late)

    def _take(self, head_id: str, head_code: str, members: list[str],
              rows: list[dict[str, Any]], not_sent: list[dict[str, Any]], late: bool) -> None:
        self.head_id = head_id
        self.head_code = head_code
        self.members = members
        self.rows = rows
        self.not_sent = not_sent
        self.late = late
        self.sends += 1

    @event("Resent", topic="thidua:ClusterSummary.Resent")
    def resend(self, head_id: str, head_code: str, members: list[str],
               rows: list[dict[str, Any]], not_sent: list[dict[str, Any]], late: bool,
               at: str) -> None:
        self._take(head_id, head_code, members, rows, not_sent, late)
