"""Score sheets (phiếu chấm điểm): one per year × kind × scorer × subject, in revisions.

A revision moves draft → submitted → approved → sent (approval only for a central unit's
sheet, by its leader in charge, who is not the submitter), or is returned with a reason and
revised. A sent revision is never changed: a correction opens the next revision, with a
reason, and both stay visible.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.base import ThiduaAggregate, stable_id
from domain.errors import RuleViolation

EDITABLE = ("draft", "returned", "revised")


def sheet_id(year: int, kind: str, scorer_id: str, subject_id: str) -> Any:
    return stable_id("score_sheet", year, kind, scorer_id, subject_id)


class ScoreSheet(ThiduaAggregate):
    """Phiếu chấm điểm: the scores one unit gives another (or itself) for a year."""

    TOPIC = "thidua:ScoreSheet"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:ScoreSheet.Event"

    @staticmethod
    def create_id(year: int, kind: str, scorer_id: str, subject_id: str) -> Any:
        return sheet_id(year, kind, scorer_id, subject_id)

    @event("Started", topic="thidua:ScoreSheet.Started")
    def __init__(self, year: int, kind: str, scorer_id: str, scorer_code: str,
                 subject_id: str, subject_code: str, needs_approval: bool,
                 ruleset: dict[str, Any], at: str) -> None:
        self.year = year
        self.kind = kind
        self.scorer_id = scorer_id
        self.scorer_code = scorer_code
        self.subject_id = subject_id
        self.subject_code = subject_code
        self.needs_approval = needs_approval
        self.ruleset = ruleset
        self.revisions: list[dict[str, Any]] = [self._revision(1, None, at)]

    @staticmethod
    def _revision(number: int, reason: str | None, at: str) -> dict[str, Any]:
        return {"revision": number, "state": "draft", "scores": {}, "total": None,
                "level": None, "late": False, "reason": reason, "submitted_by": None,
                "approved_by": None, "returned": [], "started_at": at, "submitted_at": None,
                "sent_at": None}

    # -- reading -------------------------------------------------------------------------
    @property
    def current(self) -> dict[str, Any]:
        return self.revisions[-1]

    @property
    def sent(self) -> dict[str, Any] | None:
        """The latest sent revision: what counts."""
        for rev in reversed(self.revisions):
            if rev["state"] == "sent":
                return rev
        return None

    def _label(self) -> str:
        return (f"the {self.kind} sheet of {self.scorer_code} for {self.subject_code} "
                f"(revision {self.current['revision']}, {self.current['state']})")

    def _need(self, states: tuple[str, ...], act: str) -> None:
        if self.current["state"] not in states:
            raise RuleViolation(f"Cannot {act} {self._label()}: only a sheet that is "
                                f"{' or '.join(states)} can.", field="state",
                                rule=f"sheet_{act}_state")

    # -- commands ------------------------------------------------------------------------
    def write(self, scores: dict[str, str], total: str, level: str | None, at: str) -> None:
        self._need(EDITABLE, "write")
        state = "draft" if self.current["state"] == "draft" else "revised"
        self._written(revision=self.current["revision"], scores=scores, total=total,
                      level=level, state=state, at=at)

    @event("ScoresWritten", topic="thidua:ScoreSheet.ScoresWritten")
    def _written(self, revision: int, scores: dict[str, str], total: str, level: str | None,
                 state: str, at: str) -> None:
        self.current.update(scores=scores, total=total, level=level, state=state)

    def submit(self, late: bool, by: str, at: str) -> None:
        self._need(("draft", "revised"), "submit")
        self._submitted(revision=self.current["revision"], late=late, by=by, at=at)

    @event("Submitted", topic="thidua:ScoreSheet.Submitted")
    def _submitted(self, revision: int, late: bool, by: str, at: str) -> None:
        self.current.update(state="submitted", late=late, submitted_by=by, submitted_at=at)

    def approve(self, by: str, at: str) -> None:
        if not self.needs_approval:
            raise RuleViolation(f"{self.scorer_code} is not a central unit; its sheets are "
                                "sent without a leader's approval.", field="state",
                                rule="sheet_approval_not_needed")
        self._need(("submitted",), "approve")
        if by == self.current["submitted_by"]:
            raise RuleViolation("The approver cannot be the one who submitted the sheet.",
                                field="approver", rule="approver_not_submitter")
        self._approved(revision=self.current["revision"], by=by, at=at)

    @event("Approved", topic="thidua:ScoreSheet.Approved")
    def _approved(self, revision: int, by: str, at: str) -> None:
        self.current.update(state="approved", approved_by=by)

    def return_(self, reason: str, by: str, at: str) -> None:
        self._need(("submitted", "approved"), "return")
        self._returned(revision=self.current["revision"], reason=reason, by=by, at=at)

    @event("Returned", topic="thidua:ScoreSheet.Returned")
    def _returned(self, revision: int, reason: str, by: str, at: str) -> None:
        self.current["returned"].append({"reason": reason, "by": by, "at": at})
        self.current.update(state="returned", approved_by=None)

    def send(self, at: str) -> None:
        if self.needs_approval and self.current["state"] == "submitted":
            raise RuleViolation(f"{self.scorer_code} is a central unit: its sheet needs the "
                                "approval of its leader in charge before it is sent.",
                                field="state", rule="sheet_needs_approval")
        self._need(("approved",) if self.needs_approval else ("submitted",), "send")
        self._sent(revision=self.current["revision"], at=at)

    @event("Sent", topic="thidua:ScoreSheet.Sent")
    def _sent(self, revision: int, at: str) -> None:
        self.current.update(state="sent", sent_at=at)

    def correct(self, reason: str, at: str) -> None:
        """Open the next revision of a sent sheet (the sent one stays as it was)."""
        self._need(("sent",), "correct")
        self._corrected(revision=self.current["revision"] + 1, reason=reason,
                        scores=dict(self.current["scores"]), total=self.current["total"],
                        level=self.current["level"], at=at)

    @event("CorrectionOpened", topic="thidua:ScoreSheet.CorrectionOpened")
    def _corrected(self, revision: int, reason: str, scores: dict[str, str], total: str | None,
                   level: str | None, at: str) -> None:
        rev = self._revision(revision, reason, at)
        rev.update(scores=scores, total=total, level=level)
        self.revisions.append(rev)
