"""Use cases of the province's compilation of its district offices' results, its review and
the decision its director signs (Quyết định đánh giá, xếp loại BHXH cấp huyện): each office's
level and the outstanding offices."""

from __future__ import annotations

from typing import Any

from domain.district.base import DistrictLookups
from domain.district.compile import compile_district_table
from domain.district.cycle import DistrictCycle
from domain.district.items import DistrictClusterSummary, DistrictNomination
from domain.evaluation.rules import OUTSTANDING, check_text
from domain.judging.awards import award_titles, year_proposals
from domain.kernel.actor import Actor
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done


def decide(table: list[dict[str, Any]], rules: dict[str, Any], label: str,
           levels: dict[str, str] | None, outstanding: list[str],
           reason: str | None) -> dict[str, str]:
    """Each office's final level: the proposed one unless the decision says otherwise (with
    the reason); the outstanding offices must be rated excellent and nominated."""
    rows = {r["code"]: r for r in table}
    known = {lv["code"] for lv in rules["levels"]}
    final = {code: r["proposed_level"] for code, r in rows.items()}
    for code, level in (levels or {}).items():
        if code not in rows:
            raise RuleViolation(f"{code} is not in the table of {label}.",
                                field=f"levels.{code}", rule="unit_in_cycle")
        if level not in known:
            raise InvalidInput(f"Level is one of {', '.join(sorted(known))}.",
                               field=f"levels.{code}", rule="known_level")
        if level != final[code] and not reason:
            raise InvalidInput("A level other than the proposed one needs the reason.",
                               field="reason", rule="reason_required")
        final[code] = level
    if len(set(outstanding)) != len(outstanding):
        raise InvalidInput("A unit is listed twice.", field="outstanding", rule="unit_once")
    for i, code in enumerate(outstanding):
        where = f"outstanding[{i}]"
        if code not in rows:
            raise RuleViolation(f"{code} is not in the table of {label}.", field=where,
                                rule="unit_in_cycle")
        if final[code] != "excellent":
            raise RuleViolation(f"Only an office rated excellent can be '{OUTSTANDING}'; "
                                f"{code} is rated {final[code]}.", field=where,
                                rule="outstanding_only_excellent")
        if rows[code]["nominations"]["total"] == 0:
            raise RuleViolation(f"Nobody nominated {code} for '{OUTSTANDING}'.", field=where,
                                rule="outstanding_nominated")
    return final


class DistrictDecisionCases(DistrictLookups):
    """Tổng hợp, xét duyệt và Quyết định của Giám đốc BHXH tỉnh."""

    def gather_district(self, cycle: DistrictCycle) -> dict[str, Any]:
        """Every recorded submission of the province's cycle, read from the event store."""
        year = cycle.year
        sheets = {}
        for kind, scorer, subject in cycle.pairs():
            sheet = self.find_sheet(year, kind, scorer, subject)
            if sheet is not None:
                sheets[(kind, scorer, subject)] = sheet
        register = self.group_year(year)
        clusters = sorted(register.clusters_of(cycle.province_id))
        summaries = [s for g in clusters if (s := self.find(
            DistrictClusterSummary, DistrictClusterSummary.create_id(year, g))) is not None]
        return {"sheets": sheets, "summaries": summaries,
                "nominations": self.district_nominations(cycle)}

    def district_nominations(self, cycle: DistrictCycle) -> list[DistrictNomination]:
        """Every nomination of the cycle: by each office of itself, by the province, and by
        the members of each district cluster of each other."""
        offices = list(cycle.units)
        proposals = {(u, u) for u in offices} | {(cycle.province_id, u) for u in offices}
        register = self.group_year(cycle.year)
        for g in register.clusters_of(cycle.province_id):
            members = [m for m in register.members_on(g, cycle.reference_date)
                       if m in cycle.units]
            proposals |= {(p, m) for p in members for m in members if p != m}
        return [n for p, s in sorted(proposals)
                if (n := self.find(DistrictNomination,
                                   DistrictNomination.create_id(cycle.year, p, s))) is not None]

    def district_table(self, year: int, province_code: str) -> list[dict[str, Any]]:
        """The table as it would be compiled now (or as it was compiled at the review)."""
        cycle = self.district_cycle(year, province_code)
        if cycle.compiled is not None:
            return cycle.compiled
        return compile_district_table(cycle, **self.gather_district(cycle))

    def begin_district_review(self, actor: Actor, *, year: int, province_code: str,
                              meeting_date: str, note: str | None = None) -> Done:
        """Compile everything sent and put it before the province's review (the cycle must
        be closed); the table is recorded as it was reviewed."""
        meeting = parse_date(meeting_date, "meeting_date").isoformat()
        if note is not None:
            note = check_text(note, "note", 5000)
        province = self.province(province_code)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code)
            cycle.check_move("under_review")
            table = compile_district_table(cycle, **self.gather_district(cycle))
            cycle.begin_review(meeting={"date": meeting, "note": note}, table=table,
                               at=self.now().isoformat())
            return {"year": year, "province_code": province.code, "state": cycle.state,
                    "units": len(table), "version": cycle.version}, [cycle]

        return self.act(actor, "district.manage", work, unit_id=str(province.id))

    def record_district_decision(self, actor: Actor, *, year: int, province_code: str,
                                 number: str, signed_on: str, signer: str,
                                 outstanding: list[str],
                                 levels: dict[str, str] | None = None,
                                 reason: str | None = None,
                                 titles: list[dict[str, Any]] | None = None) -> Done:
        """The decision the province's director signs: number, date, signer, each district
        office's level (the proposed one unless the decision says otherwise, with a reason)
        and the outstanding offices, who must be rated excellent and nominated. ``titles``:
        the titles awarded on the proposals of the province's district clusters' judgings
        (none given: the decision says nothing of them)."""
        number = check_text(number, "number", 100)
        signer = check_text(signer, "signer", 200)
        signed = parse_date(signed_on, "signed_on").isoformat()
        if reason is not None:
            reason = check_text(reason, "reason", 5000)
        province = self.province(province_code)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code)
            cycle.check_move("decided")
            table = cycle.compiled or []
            final = decide(table, cycle.rules, cycle.label, levels, outstanding, reason)
            chosen = set(outstanding)
            outcomes = [{"id": str(n.id), "proposer_code": n.proposer_code,
                         "subject_code": n.subject_code,
                         "outcome": "accepted" if n.subject_code in chosen else "refused"}
                        for n in self.district_nominations(cycle) if n.state == "submitted"]
            decision: dict[str, Any] = {
                "number": number, "signed_on": signed, "signer": signer, "reason": reason,
                "outstanding": sorted(chosen),
                "levels": [{"unit_id": r["unit_id"], "code": r["code"],
                            "comparable_group": r["comparable_group"],
                            "proposed_level": r["proposed_level"],
                            "level": final[r["code"]]} for r in table],
                "nominations": outcomes}
            # the titles awarded on its district clusters' judging proposals, as the
            # council's decision awards them on the blocks' and provincial clusters'
            if titles is not None:
                decision.update(award_titles(
                    year=year, given=titles, levels=final, table=f"the table of {cycle.label}",
                    proposals=year_proposals(self, year, cycle.province_id),
                    elsewhere=lambda: year_proposals(self, year, cycle.province_id,
                                                     others=True)))
            cycle.decide(decision=decision, at=self.now().isoformat())
            return {"year": year, "province_code": province.code, "state": cycle.state,
                    **{k: decision[k] for k in ("number", "signed_on", "signer",
                                                "outstanding", "levels")},
                    **({} if titles is None else {"titles": [
                        {"unit_code": t["code"], "title": t["title"]}
                        for t in decision["titles"]]}),
                    "version": cycle.version}, [cycle]

        return self.act(actor, "district_decision.record", work, unit_id=str(province.id),
                        reason=reason)
