"""Use cases of the standing office's compilation, the council's review and the General
Director's decision (Quyết định đánh giá, xếp loại mức độ hoàn thành nhiệm vụ)."""

from __future__ import annotations

from typing import Any

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.compile import compile_table
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.items import ClusterSummary, FieldReport, Nomination
from domain.evaluation.rules import OUTSTANDING, check_text
from domain.judging.awards import award_titles, year_proposals
from domain.kernel.actor import Actor
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done


class EvaluationDecisionCases(EvaluationLookups):
    """Tổng hợp, Hội đồng xét, Quyết định của Tổng Giám đốc."""

    def gather(self, cycle: EvaluationCycle) -> dict[str, Any]:
        """Every recorded submission of the cycle, read from the event store."""
        year = cycle.year
        sheets = {}
        for kind, scorer, subject in cycle.pairs():
            sheet = self.find_sheet(year, kind, scorer, subject)
            if sheet is not None:
                sheets[(kind, scorer, subject)] = sheet
        summaries = [s for g in self.group_year(year).groups.values()
                     if g["kind"] == "provincial_cluster"
                     and (s := self.find(ClusterSummary, ClusterSummary.create_id(
                         year, g["id"]))) is not None]
        nominations = self.nominations_of(cycle)
        reports = self.find_all(FieldReport, [FieldReport.create_id(year, reporter, subject)
                                              for reporter, subject in cycle.reporting().pairs()])
        return {"sheets": sheets, "summaries": summaries, "nominations": nominations,
                "reports": reports}

    def nominations_of(self, cycle: EvaluationCycle) -> list[Nomination]:
        """Every nomination of the cycle (who may nominate whom is known from the cycle)."""
        proposals = {(u, u) for u in cycle.units} | {(s, t) for k, s, t in cycle.pairs()
                                                      if k != "self"}
        return [n for s, t in sorted(proposals)
                if (n := self.find(Nomination, Nomination.create_id(cycle.year, s, t)))
                is not None]

    def compiled_table(self, year: int) -> list[dict[str, Any]]:
        """The table as it would be compiled now (or as it was compiled at the review)."""
        cycle = self.cycle(year)
        if cycle.compiled is not None:
            return cycle.compiled
        return compile_table(cycle, **self.gather(cycle))

    def begin_review(self, actor: Actor, *, year: int, meeting_date: str,
                     note: str | None = None) -> Done:
        """Compile everything sent and put it before the council (cycle must be closed)."""
        meeting = parse_date(meeting_date, "meeting_date").isoformat()
        if note is not None:
            note = check_text(note, "note", 5000)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_move("under_review")
            table = compile_table(cycle, **self.gather(cycle))
            cycle.begin_review(meeting={"date": meeting, "note": note}, table=table,
                               at=self.now().isoformat())
            return {"year": year, "state": cycle.state, "units": len(table),
                    "version": cycle.version}, [cycle]

        return self.act(actor, "cycle.manage", work)

    def record_decision(self, actor: Actor, *, year: int, number: str, signed_on: str,
                        signer: str, outstanding: list[str],
                        levels: dict[str, str] | None = None,
                        reason: str | None = None,
                        titles: list[dict[str, Any]] | None = None) -> Done:
        """The General Director's decision: number, date, signer, each unit's level (the
        proposed level unless the decision says otherwise, with a reason) and the
        outstanding units, who must be rated excellent and nominated. ``titles``: the
        emulation titles awarded on the groups' judging proposals (none given: the decision
        says nothing of them)."""
        number = check_text(number, "number", 100)
        signer = check_text(signer, "signer", 200)
        signed = parse_date(signed_on, "signed_on").isoformat()
        if reason is not None:
            reason = check_text(reason, "reason", 5000)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_move("decided")
            table = {r["code"]: r for r in cycle.compiled or []}
            known = {lv["code"] for lv in cycle.rules["levels"]}
            final = {code: r["proposed_level"] for code, r in table.items()}
            for code, level in (levels or {}).items():
                if code not in table:
                    raise RuleViolation(f"{code} is not in the {year} table.",
                                        field=f"levels.{code}", rule="unit_in_cycle")
                if level not in known:
                    raise InvalidInput(f"Level is one of {', '.join(sorted(known))}.",
                                       field=f"levels.{code}", rule="known_level")
                if level != final[code] and not reason:
                    raise InvalidInput("A level other than the proposed one needs the reason.",
                                       field="reason", rule="reason_required")
                final[code] = level
            if len(set(outstanding)) != len(outstanding):
                raise InvalidInput("A unit is listed twice.", field="outstanding",
                                   rule="unit_once")
            for i, code in enumerate(outstanding):
                where = f"outstanding[{i}]"
                if code not in table:
                    raise RuleViolation(f"{code} is not in the {year} table.", field=where,
                                        rule="unit_in_cycle")
                if final[code] != "excellent":
                    raise RuleViolation(f"Only a unit rated excellent can be '{OUTSTANDING}'; "
                                        f"{code} is rated {final[code]}.", field=where,
                                        rule="outstanding_only_excellent")
                if table[code]["nominations"]["total"] == 0:
                    raise RuleViolation(f"Nobody nominated {code} for '{OUTSTANDING}'.",
                                        field=where, rule="outstanding_nominated")
            chosen = set(outstanding)
            outcomes = [{"id": str(n.id), "proposer_code": n.proposer_code,
                         "subject_code": n.subject_code,
                         "outcome": "accepted" if n.subject_code in chosen else "refused"}
                        for n in self.nominations_of(cycle) if n.stands]
            decision = {"number": number, "signed_on": signed, "signer": signer,
                        "reason": reason, "outstanding": sorted(chosen),
                        "levels": [{"unit_id": r["unit_id"], "code": code,
                                    "proposed_level": r["proposed_level"],
                                    "level": final[code]} for code, r in table.items()],
                        "nominations": outcomes}
            # the titles awarded on the groups' judging proposals (docs/decisions.md)
            awarded = None if titles is None else award_titles(
                year=year, given=titles, proposals=year_proposals(self, year), levels=final,
                elsewhere=lambda: year_proposals(self, year, others=True))
            if awarded is not None:
                decision.update(awarded)
            cycle.decide(decision=decision, at=self.now().isoformat())
            return {"year": year, "state": cycle.state, **{k: decision[k] for k in (
                "number", "signed_on", "signer", "outstanding")},
                    **({} if awarded is None else {"titles": [
                        {"unit_code": t["code"], "title": t["title"]}
                        for t in awarded["titles"]]}),
                    "version": cycle.version}, [cycle]

        return self.act(actor, "decision.record", work, reason=reason)
