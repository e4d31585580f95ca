"""Use cases of score sheets (phiếu chấm điểm): write, submit, approve, return, send, correct.

Who may (domain/kernel/rights.py): the scorer unit's officer or head writes, submits and sends
(``sheet.write``, ``sheet.send``); the leader in charge of a central scorer approves
(``sheet.approve``); that leader or the standing office returns (``sheet.return``). Nobody
approves or returns a sheet they had a hand in (the sheet's ``check_not_party``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle, cycle_id
from domain.evaluation.fields import scheme_of
from domain.evaluation.rules import (
    SHEET_KINDS,
    check_scores,
    check_text,
    fmt,
    level_of,
    sheet_total,
)
from domain.evaluation.ruleset import separation_of_duties
from domain.evaluation.scoring import needs_leader_approval
from domain.evaluation.sheets import ScoreSheet, sheet_id
from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput
from domain.kernel.result import Done
from domain.organisation.units import check_code, unit_id


def sheet_view(sheet: ScoreSheet) -> dict[str, Any]:
    """A sheet as every answer about it shows it (the view's sheet_detail says the same)."""
    sent = sheet.sent
    return {"id": str(sheet.id), "year": sheet.year, "kind": sheet.kind,
            "scorer_code": sheet.scorer_code, "subject_code": sheet.subject_code,
            "needs_approval": sheet.needs_approval, "ruleset": sheet.ruleset,
            "version": sheet.version, "revision": sheet.current["revision"],
            "state": sheet.current["state"], "total": sheet.current["total"],
            "level": sheet.current["level"], "late": sheet.current["late"],
            "sent_revision": sent and sent["revision"], "sent_total": sent and sent["total"],
            "sent_level": sent and sent["level"], "sent_late": sent and sent["late"],
            "revisions": sheet.revisions}


def still_expected(sheet: ScoreSheet, cycle: EvaluationCycle) -> None:
    """A sheet goes on only while the cycle (as amended) still expects it; it stays as it
    was otherwise, kept with its record."""
    cycle.check_pair(sheet.kind, sheet.scorer_id, sheet.subject_id, sheet.scorer_code,
                     sheet.subject_code)



class EvaluationSheetCases(EvaluationLookups):
    """Phiếu chấm điểm through its lifecycle."""

    def write_sheet(self, actor: Actor, *, year: int, kind: str, subject_code: str,
                    scores: dict[str, Any], scorer_code: str | None = None,
                    version: int | None = None) -> Done:
        """Write the scores of a draft (or a returned sheet, which becomes 'revised').
        Totals and the implied level are computed here, never typed in."""
        if kind not in SHEET_KINDS:
            raise InvalidInput(f"Kind is one of {', '.join(SHEET_KINDS)}.", field="kind",
                               rule="known_sheet_kind")
        with self.prefetched(*self._sheet_ids(actor, year, kind, subject_code, scorer_code),
                             *self.unit_of(actor)):
            return self._write_sheet(actor, year=year, kind=kind, subject_code=subject_code,
                                     scores=scores, scorer_code=scorer_code, version=version)

    @staticmethod
    def _sheet_ids(actor: Actor, year: Any, kind: str, subject_code: Any,
                   scorer_code: Any) -> list[Any]:
        """What writing this sheet will load (the two units, the cycle, the sheet), to load
        them in one query; nothing when the input is not even well-formed (the checks in
        their usual order will say what is wrong)."""
        code = scorer_code or actor.unit_code
        if not isinstance(code, str):
            return []
        try:
            check_code(code, "scorer_code")
            check_code(subject_code, "subject_code")
        except InvalidInput:
            return []
        scorer, subject = unit_id(code), unit_id(subject_code)
        return [scorer, subject, cycle_id(year),
                sheet_id(year, kind, str(scorer), str(subject))]

    def _write_sheet(self, actor: Actor, *, year: int, kind: str, subject_code: str,
                     scores: dict[str, Any], scorer_code: str | None,
                     version: int | None) -> Done:
        # The units and the cycle are only read here: loaded without a copy (see ``fetch``).
        scorer = self.acting_unit(actor, scorer_code, "scorer_code")
        subject = scorer if subject_code == scorer.code else \
            self.unit(subject_code, "subject_code", readonly=True)
        scorer_id, subject_id = str(scorer.id), str(subject.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year, readonly=True)
            cycle.check_open("score sheets")
            cycle.check_pair(kind, scorer_id, subject_id, scorer.code, subject.code)
            scheme = scheme_of(cycle.rules, kind, scorer.code)
            clean = check_scores(cycle.rules, scores, complete=False, **scheme)
            total = sheet_total(cycle.rules, clean)
            # a field's points are part of a score, not one to rate by the thresholds
            level = None if scheme else level_of(cycle.rules, total)
            now = self.now().isoformat()
            sheet = self.find_sheet(year, kind, scorer_id, subject_id)
            if sheet is None:
                sheet = ScoreSheet(year=year, kind=kind, scorer_id=scorer_id,
                                   scorer_code=scorer.code, subject_id=subject_id,
                                   subject_code=subject.code,
                                   needs_approval=needs_leader_approval(scorer.level),
                                   ruleset=dict(cycle.ruleset), at=now)
            else:
                self.check_version(sheet, version, "score sheet")
            sheet.write(scores=clean, total=fmt(total) or "0.00",
                        level=level, at=now)
            return sheet_view(sheet), [sheet]

        return self.act(actor, "sheet.write", work, unit_id=scorer_id)

    def _step(self, actor: Actor, act: str, sid: Any, step: Any, *, reason: str | None = None,
              version: int | None = None, what: str = "score sheets"
              ) -> Done:
        with self.prefetched(*self._step_ids(sid), *self.unit_of(actor)):
            return self._step_on(actor, act, sid, step, reason=reason, version=version,
                                 what=what)

    def _step_ids(self, sid: Any) -> list[Any]:
        """The sheet and its cycle, to load them in one query with the actor's unit, when
        this process knows the sheet's year (a sheet's year never changes); else nothing."""
        try:
            uid = UUID(str(sid))
        except ValueError:
            return []
        known = self.cached(uid)
        return [uid, cycle_id(known.year)] if isinstance(known, ScoreSheet) else []

    def _step_on(self, actor: Actor, act: str, sid: Any, step: Any, *, reason: str | None,
                 version: int | None, what: str) -> Done:
        sheet = self.sheet(sid)

        def work() -> tuple[dict[str, Any], list[Any]]:
            self.check_version(sheet, version, "score sheet")
            # ``step`` changes the sheet and only reads the cycle (not copied; see ``fetch``),
            # but for the first sheet sent, which the cycle records (``send_sheet``).
            cycle = self.cycle(sheet.year, readonly=True)
            cycle.check_open(what)
            changed = step(sheet, cycle, self.now().isoformat()) or []
            return sheet_view(sheet), [sheet, *changed]

        return self.act(actor, act, work, unit_id=sheet.scorer_id, reason=reason)

    def submit_sheet(self, actor: Actor, sid: Any, *,
                     version: int | None = None) -> Done:
        """Submit: every criterion scored; after the deadline only with an extension (late)."""
        def step(sheet: ScoreSheet, cycle: EvaluationCycle, now: str) -> None:
            still_expected(sheet, cycle)
            check_scores(cycle.rules, sheet.current["scores"], complete=True,
                         **scheme_of(cycle.rules, sheet.kind, sheet.scorer_code))
            late = cycle.judge(sheet.scorer_id, self.now(), sheet.scorer_code)
            sheet.submit(late=late, by=actor.user_id, at=now)

        return self._step(actor, "sheet.write", sid, step, version=version,
                          what="submissions")

    def approve_sheet(self, actor: Actor, sid: Any, *,
                      version: int | None = None) -> Done:
        """The leader in charge approves a central unit's submitted sheet; never one who
        wrote, submitted or corrected it (unless the cycle's rule set says otherwise)."""
        def step(sheet: ScoreSheet, cycle: EvaluationCycle, now: str) -> None:
            sheet.approve(by=actor.user_id, at=now,
                          separate=separation_of_duties(cycle.rules)["approve"])

        return self._step(actor, "sheet.approve", sid, step, version=version,
                          what="approvals")

    def return_sheet(self, actor: Actor, sid: Any, *, reason: str,
                     version: int | None = None) -> Done:
        """Return a submitted or approved sheet to its unit, with the reason."""
        reason = check_text(reason, "reason")

        def step(sheet: ScoreSheet, cycle: EvaluationCycle, now: str) -> None:
            sheet.return_(reason=reason, by=actor.user_id, at=now,
                          separate=separation_of_duties(cycle.rules)["return"])

        return self._step(actor, "sheet.return", sid, step, reason=reason, version=version,
                          what="returns")

    def send_sheet(self, actor: Actor, sid: Any, *,
                   version: int | None = None) -> Done:
        """Send to the standing office (or the cluster head): approved, or submitted when
        the scorer is a province."""
        def step(sheet: ScoreSheet, cycle: EvaluationCycle, now: str) -> list[Any]:
            still_expected(sheet, cycle)
            if cycle.first_sent:
                sheet.send(at=now)
                return []
            # The first sheet sent fixes who scores whom: the cycle records it in the same
            # transaction, on its own copy, so an amendment racing it loses one way or the
            # other (the later save of the two finds the cycle changed: 409).
            own = self.cycle(sheet.year)
            own.check_open("sent sheets")
            still_expected(sheet, own)
            sheet.send(at=now)
            own.note_sent(sheet_id=str(sheet.id), scorer_code=sheet.scorer_code, at=now)
            return [own]

        return self._step(actor, "sheet.send", sid, step, version=version, what="sent sheets")

    def correct_sheet(self, actor: Actor, sid: Any, *, reason: str,
                      version: int | None = None) -> Done:
        """Open the next revision of a sent sheet; the sent revision stays as it was."""
        reason = check_text(reason, "reason")
        return self._step(actor, "sheet.write", sid,
                          lambda sheet, _c, now: sheet.correct(reason=reason, at=now),
                          reason=reason, version=version, what="corrections")
