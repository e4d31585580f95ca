"""Nominations (đề xuất "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"), field
reports (cung cấp thông tin, the appendix's 11 fields) and provincial cluster summaries
(tổng hợp của Cụm trưởng), each a recorded submission of the year's evaluation."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation


class Nomination(ThiduaAggregate):
    """Đề xuất: a proposer puts a unit forward for the outstanding title, with reasons."""

    TOPIC = "thidua:Nomination"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Nomination.Event"

    @staticmethod
    def create_id(year: int, proposer_id: str, subject_id: str) -> Any:
        return stable_id("nomination", year, proposer_id, subject_id)

    @event("Submitted", topic="thidua:Nomination.Submitted")
    def __init__(self, year: int, proposer_id: str, proposer_code: str, subject_id: str,
                 subject_code: str, basis: str, justification: str, late: bool,
                 at: str) -> None:
        self.year = year
        self.proposer_id = proposer_id
        self.proposer_code = proposer_code
        self.subject_id = subject_id
        self.subject_code = subject_code
        self.basis = basis
        self.justification = justification
        self.late = late
        self.state = "submitted"

    def withdraw(self, reason: str, at: str) -> None:
        if self.state != "submitted":
            raise RuleViolation("Only a submitted nomination can be withdrawn.", field="state",
                                rule="nomination_withdraw_state")
        self._withdrawn(reason=reason, at=at)

    @event("Withdrawn", topic="thidua:Nomination.Withdrawn")
    def _withdrawn(self, reason: str, at: str) -> None:
        self.state = "withdrawn"

    def resubmit(self, justification: str, late: bool, at: str) -> None:
        if self.state != "withdrawn":
            raise RuleViolation(f"{self.proposer_code} has already nominated "
                                f"{self.subject_code} this year.", field="subject_code",
                                rule="nomination_once")
        self._resubmitted(justification=justification, late=late, at=at)

    @event("Resubmitted", topic="thidua:Nomination.Resubmitted")
    def _resubmitted(self, justification: str, late: bool, at: str) -> None:
        self.justification = justification
        self.late = late
        self.state = "submitted"


class FieldReport(ThiduaAggregate):
    """Cung cấp thông tin: a central unit's figures, lists and assessment of one province."""

    TOPIC = "thidua:FieldReport"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:FieldReport.Event"

    @staticmethod
    def create_id(year: int, reporter_id: str, province_id: str) -> Any:
        return stable_id("field_report", year, reporter_id, province_id)

    @event("Submitted", topic="thidua:FieldReport.Submitted")
    def __init__(self, year: int, reporter_id: str, reporter_code: str, province_id: str,
                 province_code: str, item: int, figures: dict[str, Any],
                 lists: dict[str, list[dict[str, Any]]], assessment: str, late: bool,
                 at: str) -> None:
        self.year = year
        self.reporter_id = reporter_id
        self.reporter_code = reporter_code
        self.province_id = province_id
        self.province_code = province_code
        self.item = item
        self.submissions = 0
        self._take(figures, lists, assessment, late)

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
