"""Use cases of the sheets of a province's district cycle: each district office's self
sheet (tự chấm) and the province's sheet on each of its offices. They are score sheets
(domain/evaluation/sheets.py) like the sector's: written, submitted, returned with a reason,
sent, corrected by a new revision; their rule set is the province's, which names the
province, so each sheet knows its cycle. No leader's approval: that is a central unit's
(the letters); the province's decision is its director's.

Who may: the scorer office's officer or head writes, submits and sends (``sheet.write``,
``sheet.send``); the province's staff return (``district_sheet.return``), never one who had
a hand in the sheet (as the cycle's rule set says)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.district.base import DistrictLookups
from domain.district.cycle import DistrictCycle
from domain.district.ruleset import DISTRICT_SHEET_KINDS
from domain.evaluation.rules import check_scores, check_text, fmt, level_of, sheet_total
from domain.evaluation.ruleset import separation_of_duties
from domain.evaluation.sheet_cases import sheet_view
from domain.evaluation.sheets import ScoreSheet, sheet_province
from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done
from domain.organisation.units import unit_id

# a step changes the sheet, and may return the other records it changed (the cycle)
Step = Callable[[ScoreSheet, DistrictCycle, str], list[Any] | None]


def codes_of(sheet: ScoreSheet) -> dict[str, str]:
    return {sheet.scorer_id: sheet.scorer_code, sheet.subject_id: sheet.subject_code}


class DistrictSheetCases(DistrictLookups):
    """Phiếu chấm điểm of a district cycle through its lifecycle."""

    def write_district_sheet(self, actor: Actor, *, year: int, province_code: str, kind: str,
                             subject_code: str, scores: dict[str, Any],
                             scorer_code: str | None = None,
                             version: int | None = None) -> Done:
        """Write the scores of a draft (or of a returned sheet, which becomes 'revised').
        The total and the implied level are computed, never typed in."""
        if kind not in DISTRICT_SHEET_KINDS:
            raise InvalidInput(f"Kind is one of {', '.join(DISTRICT_SHEET_KINDS)}.",
                               field="kind", rule="known_sheet_kind")
        scorer = self.acting_unit(actor, scorer_code, "scorer_code")
        subject = scorer if subject_code == scorer.code else \
            self.unit(subject_code, "subject_code", readonly=True)
        province = self.province(province_code)
        scorer_id, subject_id = str(scorer.id), str(subject.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code, readonly=True)
            cycle.check_open("score sheets")
            cycle.check_pair(kind, scorer_id, subject_id,
                             {scorer_id: scorer.code, subject_id: subject.code})
            clean = check_scores(cycle.rules, scores, complete=False)
            total = sheet_total(cycle.rules, clean)
            now = self.now().isoformat()
            sheet = self.find_sheet(year, kind, scorer_id, subject_id)
            if sheet is None:
                sheet = ScoreSheet(year=year, kind=kind, scorer_id=scorer_id,
                                   scorer_code=scorer.code, subject_id=subject_id,
                                   subject_code=subject.code, needs_approval=False,
                                   ruleset=dict(cycle.ruleset), at=now)
            else:
                self._check_of_cycle(sheet, cycle)
                self.check_version(sheet, version, "score sheet")
            sheet.write(scores=clean, total=fmt(total) or "0.00",
                        level=level_of(cycle.rules, total), at=now)
            return sheet_view(sheet), [sheet]

        return self.act(actor, "sheet.write", work, unit_id=scorer_id)

    @staticmethod
    def _check_of_cycle(sheet: ScoreSheet, cycle: DistrictCycle) -> None:
        """A year's self sheet of an office is one record: it belongs to the cycle that
        started it (an office counted by two provinces' cycles is scored in the first)."""
        if sheet_province(sheet) != cycle.province_code:
            owner = sheet_province(sheet) or "the sector"
            raise RuleViolation(f"{sheet.scorer_code}'s {sheet.kind} sheet of {sheet.year} "
                                f"belongs to {owner}'s evaluation, not to {cycle.label}.",
                                field="subject_code", rule="sheet_of_cycle")

    def _district_step(self, actor: Actor, act: str, sid: Any, step: Step, *, what: str,
                       version: int | None, reason: str | None = None,
                       by_province: bool = False) -> Done:
        sheet, province = self.district_sheet(sid)

        def work() -> tuple[dict[str, Any], list[Any]]:
            self.check_version(sheet, version, "score sheet")
            cycle = self.district_cycle(sheet.year, province, readonly=True)
            cycle.check_open(what)
            changed = step(sheet, cycle, self.now().isoformat()) or []
            return sheet_view(sheet), [sheet, *changed]

        unit = str(unit_id(province)) if by_province else sheet.scorer_id
        return self.act(actor, act, work, unit_id=unit, reason=reason)

    def submit_district_sheet(self, actor: Actor, sid: Any, *,
                              version: int | None = None) -> Done:
        """Submit: every criterion scored; after the deadline only with the province's
        extension (and marked late)."""
        def step(sheet: ScoreSheet, cycle: DistrictCycle, now: str) -> None:
            cycle.check_pair(sheet.kind, sheet.scorer_id, sheet.subject_id, codes_of(sheet))
            check_scores(cycle.rules, sheet.current["scores"], complete=True)
            late = cycle.judge(sheet.scorer_id, self.now())
            sheet.submit(late=late, by=actor.user_id, at=now)

        return self._district_step(actor, "sheet.write", sid, step, what="submissions",
                                   version=version)

    def send_district_sheet(self, actor: Actor, sid: Any, *,
                            version: int | None = None) -> Done:
        """Send a submitted sheet to the province (its own sheets: to its compilation). The
        cycle's first sheet sent fixes who takes part (no amendment after it)."""
        def step(sheet: ScoreSheet, cycle: DistrictCycle, now: str) -> list[Any]:
            cycle.check_pair(sheet.kind, sheet.scorer_id, sheet.subject_id, codes_of(sheet))
            if cycle.first_sent:
                sheet.send(at=now)
                return []
            # The cycle records its first sheet sent in the same transaction, on its own
            # copy, so an amendment racing it loses one way or the other (the later save of
            # the two finds the cycle changed: 409), as the sector's cycle does.
            own = self.district_cycle(sheet.year, cycle.province_code)
            own.check_open("sent sheets")
            own.check_pair(sheet.kind, sheet.scorer_id, sheet.subject_id, codes_of(sheet))
            sheet.send(at=now)
            own.note_sent(sheet_id=str(sheet.id), scorer_code=sheet.scorer_code, at=now)
            return [own]

        return self._district_step(actor, "sheet.send", sid, step, what="sent sheets",
                                   version=version)

    def return_district_sheet(self, actor: Actor, sid: Any, *, reason: str,
                              version: int | None = None) -> Done:
        """The province returns a submitted sheet of its cycle with the reason."""
        reason = check_text(reason, "reason")

        def step(sheet: ScoreSheet, cycle: DistrictCycle, now: str) -> None:
            sheet.return_(reason=reason, by=actor.user_id, at=now,
                          separate=separation_of_duties(cycle.rules)["return"])

        return self._district_step(actor, "district_sheet.return", sid, step, what="returns",
                                   version=version, reason=reason, by_province=True)

    def correct_district_sheet(self, actor: Actor, sid: Any, *, reason: str,
                               version: int | None = None) -> Done:
        """Open the next revision of a sent sheet; the sent revision stays as it was."""
        reason = check_text(reason, "reason")
        return self._district_step(
            actor, "sheet.write", sid, lambda sheet, _c, now: sheet.correct(reason=reason,
                                                                             at=now),
            what="corrections", version=version, reason=reason)
