"""Score sheets (phiếu chấm điểm): one per year × kind × scorer × subject, in revisions.

A revision moves draft → submitted → approved → sent (approval only for a central unit's
sheet, by its leader in charge), or is returned with a reason and revised. A sent revision is
never changed: a correction opens the next revision, with a reason, and both stay visible.

Separation of duties: the sheet keeps, from the actor of its events, who wrote, submitted and
corrected each revision; nobody who did approves or returns it (docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation

EDITABLE = ("draft", "returned", "revised")
# Separation of duties (a rule set's ``separation_of_duties``): the acts a party to the
# sheet may not do. The letters are silent; both are on by default.
REVIEW_ACTS = ("approve", "return")
DUTY_WORDS = {"approve": "approver", "return": "returner"}


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
                "approved_by": None, "returns": [], "started_at": at, "submitted_at": None,
                "sent_at": None, "written_by": [], "submitters": [], "corrected_by": None}

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

    def parties(self) -> dict[str, str]:
        """Who had a hand in any revision of the sheet: user id -> what they did (the first
        of submitted, wrote, corrected). A correction starts from the sent revision's scores,
        so the earlier revisions' hands are in the later ones too."""
        found: dict[str, str] = {}
        for duty, key in (("submitter", "submitters"), ("writer", "written_by"),
                          ("corrector", "corrected_by")):
            for rev in self.revisions:
                users = rev.get(key) or []
                for user in [users] if isinstance(users, str) else users:
                    found.setdefault(user, duty)
        return found

    def check_not_party(self, by: str, act: str) -> None:
        """Nobody who wrote, submitted or corrected a revision of the sheet approves or
        returns it."""
        duty = self.parties().get(by)
        if duty is not None:
            did = {"submitter": "submitted", "writer": "wrote the scores of",
                   "corrector": "opened the correction of"}[duty]
            raise RuleViolation(f"You {did} {self._label()}: nobody who wrote, submitted or "
                                f"corrected a sheet may {act} it; another "
                                f"{'leader in charge' if act == 'approve' else 'reviewer'} "
                                "does.", field=DUTY_WORDS[act],
                                rule=f"{DUTY_WORDS[act]}_not_{duty}")

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
                 state: str, at: str, actor: dict[str, Any] | None = None) -> None:
        self.current.update(scores=scores, total=total, level=level, state=state)
        _add(self.current, "written_by", actor)

    def submit(self, late: bool, by: str, at: str) -> None:
        self._need(("draft", "revised"), "submit")
        self._submitted(revision=self.current["revision"], late=late, by=by, at=at)

    @event("Submitted", topic="thidua:ScoreSheet.Submitted")
    def _submitted(self, revision: int, late: bool, by: str, at: str,
                   actor: dict[str, Any] | None = None) -> None:
        self.current.update(state="submitted", late=late, submitted_by=by, submitted_at=at)
        _add(self.current, "submitters", actor)

    def approve(self, by: str, at: str, separate: bool = True) -> None:
        """The leader in charge approves. Never the submitter of this revision; with
        ``separate`` (the default), nobody who had a hand in any revision."""
        if not self.needs_approval:
            raise RuleViolation(f"{self.scorer_code} is not a central unit; its sheets are "
                                "sent without a leader's approval.", field="state",
                                rule="sheet_approval_not_needed")
        self._need(("submitted",), "approve")
        if by == self.current["submitted_by"]:
            raise RuleViolation("The approver cannot be the one who submitted the sheet.",
                                field="approver", rule="approver_not_submitter")
        if separate:
            self.check_not_party(by, "approve")
        self._approved(revision=self.current["revision"], by=by, at=at)

    @event("Approved", topic="thidua:ScoreSheet.Approved")
    def _approved(self, revision: int, by: str, at: str) -> None:
        self.current.update(state="approved", approved_by=by)

    def return_(self, reason: str, by: str, at: str, separate: bool = True) -> None:
        """Return to the unit with the reason; with ``separate`` (the default), never by
        someone who had a hand in the sheet."""
        self._need(("submitted", "approved"), "return")
        if separate:
            self.check_not_party(by, "return")
        self._returned(revision=self.current["revision"], reason=reason, by=by, at=at)

    @event("Returned", topic="thidua:ScoreSheet.Returned")
    def _returned(self, revision: int, reason: str, by: str, at: str) -> None:
        self.current["returns"].append({"reason": reason, "by": by, "at": at})
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
                   level: str | None, at: str, actor: dict[str, Any] | None = None) -> None:
        rev = self._revision(revision, reason, at)
        rev.update(scores=scores, total=total, level=level,
                   corrected_by=(actor or {}).get("user_id"))
        self.revisions.append(rev)


def sheet_province(sheet: ScoreSheet) -> str | None:
    """The code of the province whose district cycle a sheet belongs to (its rule set is
    that province's: domain/district), or None for a sheet of the sector's cycle."""
    province = sheet.ruleset.get("province") if isinstance(sheet.ruleset, dict) else None
    return str(province) if province else None


def _add(revision: dict[str, Any], key: str, actor: dict[str, Any] | None) -> None:
    """Note the event's user in the revision's list ``key`` (once, in order)."""
    user = (actor or {}).get("user_id")
    hands = revision.setdefault(key, [])
    if user and user not in hands:
        hands.append(user)
