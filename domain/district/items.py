"""What reaches the province besides the sheets: nominations of district offices for the
outstanding title (đề xuất "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội") and the
district cluster heads' summaries (tổng hợp của Cụm trưởng cụm thi đua cấp huyện)."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation

# Who proposes a district office: itself, its province, or a fellow member of its district
# cluster (the latter counted through the cluster head's summary).
NOMINATION_BASES = ("self", "province", "peer")


class DistrictNomination(ThiduaAggregate):
    """Đề xuất: a proposer puts a district office forward for the outstanding title."""

    TOPIC = "thidua:DistrictNomination"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:DistrictNomination.Event"

    @staticmethod
    def create_id(year: int, proposer_id: str, subject_id: str) -> Any:
        return stable_id("district_nomination", year, proposer_id, subject_id)

    @event("Submitted", topic="thidua:DistrictNomination.Submitted")
    def __init__(self, year: int, province_id: str, province_code: str, proposer_id: str,
                 proposer_code: str, subject_id: str, subject_code: str, basis: str,
                 justification: str, late: bool, at: str) -> None:
        self.year = year
        self.province_id = province_id
        self.province_code = province_code
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

    @event("Withdrawn", topic="thidua:DistrictNomination.Withdrawn")
    def _withdrawn(self, reason: str, at: str) -> None:
        self.state = "withdrawn"

    def resubmit(self, justification: str, late: bool, at: str) -> None:
        if self.state != "withdrawn":
            raise RuleViolation(f"{self.proposer_code} has already nominated "
                                f"{self.subject_code} this year.", field="subject_code",
                                rule="nomination_once")
        self._resubmitted(justification=justification, late=late, at=at)

    @event("Resubmitted", topic="thidua:DistrictNomination.Resubmitted")
    def _resubmitted(self, justification: str, late: bool, at: str) -> None:
        self.justification = justification
        self.late = late
        self.state = "submitted"


class DistrictClusterSummary(ThiduaAggregate):
    """Tổng hợp của Cụm trưởng cụm thi đua cấp huyện: per member office of the cluster, the
    self score it sent and the members nominating it, computed from the sent self sheets and
    the members' standing nominations; the cluster's average self score."""

    TOPIC = "thidua:DistrictClusterSummary"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:DistrictClusterSummary.Event"

    @staticmethod
    def create_id(year: int, group_id: str) -> Any:
        return stable_id("district_cluster_summary", year, group_id)

    @event("Sent", topic="thidua:DistrictClusterSummary.Sent")
    def __init__(self, year: int, province_id: str, group_id: str, group_code: str,
                 head_id: str, head_code: str, members: list[str], rows: list[dict[str, Any]],
                 average: str | None, not_sent: list[dict[str, Any]], late: bool,
                 at: str) -> None:
        self.year = year
        self.province_id = province_id
        self.group_id = group_id
        self.group_code = group_code
        self.sends = 0
        self._take(head_id, head_code, members, rows, average, not_sent, late)

    def _take(self, head_id: str, head_code: str, members: list[str],
              rows: list[dict[str, Any]], average: str | None, not_sent: list[dict[str, Any]],
              late: bool) -> None:
        self.head_id = head_id
        self.head_code = head_code
        self.members = members
        self.rows = rows
        self.average = average
        self.not_sent = not_sent
        self.late = late
        self.sends += 1

    @event("Resent", topic="thidua:DistrictClusterSummary.Resent")
    def resend(self, head_id: str, head_code: str, members: list[str],
               rows: list[dict[str, Any]], average: str | None, not_sent: list[dict[str, Any]],
               late: bool, at: str) -> None:
        self._take(head_id, head_code, members, rows, average, not_sent, late)
