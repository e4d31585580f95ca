"""Use cases of nominations (đề xuất), field reports (cung cấp thông tin) and the provincial
cluster head's summary (tổng hợp của Cụm trưởng)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.items import ClusterSummary, FieldReport, Nomination
from domain.evaluation.rules import OUTSTANDING, check_text, fmt, ratio
from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done

FIGURE = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,4})?")  # the whole figure: fullmatch


def check_figures(figures: Any, field: str = "figures") -> dict[str, str]:
    """Figures: name -> a decimal (string or integer; never a float), at most 200."""
    if not isinstance(figures, Mapping) or len(figures) > 200:
        raise InvalidInput("Figures map names to numbers (at most 200).", field=field,
                           rule="figures_format")
    out = {}
    for name, value in figures.items():
        where = f"{field}.{name}"
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            raise InvalidInput("A figure's name is 1–100 characters.", field=where,
                               rule="figure_name")
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(
            value, bool) else ""
        if not FIGURE.fullmatch(text):
            raise InvalidInput(f"'{value}' is not a figure: a decimal with at most four "
                               "decimals, written as a string or an integer.", field=where,
                               rule="figure_format")
        out[name] = text
    return out


def check_lists(lists: Any, field: str = "lists") -> dict[str, list[dict[str, str]]]:
    """Named lists of entries (e.g. units with discipline cases), each entry short text."""
    if not isinstance(lists, Mapping) or len(lists) > 50:
        raise InvalidInput("Lists map names to lists of entries (at most 50 lists).",
                           field=field, rule="lists_format")
    out: dict[str, list[dict[str, str]]] = {}
    for name, entries in lists.items():
        where = f"{field}.{name}"
        if not isinstance(entries, list) or len(entries) > 1000:
            raise InvalidInput("A list holds at most 1000 entries.", field=where,
                               rule="list_format")
        rows = []
        for i, entry in enumerate(entries):
            if not isinstance(entry, Mapping) or not entry or any(
                    not isinstance(k, str) or not isinstance(v, str) or len(v) > 2000
                    for k, v in entry.items()):
                raise InvalidInput("An entry maps names to text.", field=f"{where}[{i}]",
                                   rule="entry_format")
            rows.append(dict(entry))
        out[str(name)] = rows
    return out


class EvaluationSubmissionCases(EvaluationLookups):
    """Nominations, field reports and cluster summaries."""

    # -- nominations -----------------------------------------------------------------------
    def nominate(self, actor: Actor, *, year: int, subject_code: str, justification: str,
                 proposer_code: str | None = None) -> Done:
        """Nominate a unit for the outstanding title: a unit itself, a scoring unit a unit
        it scores, a province a monitoring central unit (domain.md §5)."""
        justification = check_text(justification, "justification", 5000)
        proposer = self.acting_unit(actor, proposer_code, "proposer_code")
        subject = self.unit(subject_code, "subject_code")
        pid, sid = str(proposer.id), str(subject.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_open("nominations")
            if pid == sid:
                basis = "self"
            elif cycle.scores(pid, sid):
                basis = ("province" if cycle.level(pid) == "province"
                         and cycle.level(sid) == "central" else "scorer")
            else:
                raise RuleViolation(
                    f"{proposer.code} cannot nominate {subject.code} for '{OUTSTANDING}': a "
                    "unit nominates itself, a unit it scores, or (a province) a monitoring "
                    "central unit.", field="subject_code", rule="nomination_who")
            late = cycle.judge(pid, self.now())
            now = self.now().isoformat()
            nomination = self.find(Nomination, Nomination.create_id(year, pid, sid))
            if nomination is None:
                nomination = Nomination(year=year, proposer_id=pid, proposer_code=proposer.code,
                                        subject_id=sid, subject_code=subject.code, basis=basis,
                                        justification=justification, late=late, at=now)
            else:
                nomination.resubmit(justification=justification, late=late, at=now)
            return self.nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.write", work, unit_id=pid)

    @staticmethod
    def nomination_view(n: Nomination) -> dict[str, Any]:
        return {"id": str(n.id), "year": n.year, "proposer_code": n.proposer_code,
                "subject_code": n.subject_code, "basis": n.basis, "state": n.state,
                "late": n.late, "justification": n.justification, "version": n.version}

    def withdraw_nomination(self, actor: Actor, nomination_id: Any, *,
                            reason: str) -> Done:
        reason = check_text(reason, "reason")
        nomination = self.load(Nomination, parse_uuid(nomination_id, "nomination_id"),
                               what=f"nomination {nomination_id}", field="nomination_id")

        def work() -> tuple[dict[str, Any], list[Any]]:
            self.cycle(nomination.year).check_open("withdrawals")
            nomination.withdraw(reason=reason, at=self.now().isoformat())
            return self.nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.write", work, unit_id=nomination.proposer_id,
                        reason=reason)

    # -- field reports ---------------------------------------------------------------------
    def submit_field_report(self, actor: Actor, *, year: int, province_code: str,
                            figures: dict[str, Any], lists: dict[str, Any], assessment: str,
                            reporter_code: str | None = None,
                            reason: str | None = None) -> Done:
        """A central unit's figures, lists and assessment of a province, in its field."""
        clean_figures, clean_lists = check_figures(figures), check_lists(lists)
        assessment = check_text(assessment, "assessment", 10000)
        reporter = self.acting_unit(actor, reporter_code, "reporter_code")
        province = self.unit(province_code, "province_code")
        rid, pid = str(reporter.id), str(province.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_open("field reports")
            item = next((f["item"] for f in cycle.field_units if f["unit_id"] == rid), None)
            if item is None:
                raise RuleViolation(f"{reporter.code} is not one of the units that provide "
                                    f"field information in {year} (the appendix).",
                                    field="reporter_code", rule="field_reporter")
            if cycle.level(pid) != "province":
                raise RuleViolation(f"{province.code} is not a province of the {year} cycle.",
                                    field="province_code", rule="report_on_province")
            late = cycle.judge(rid, self.now())
            now = self.now().isoformat()
            report = self.find(FieldReport, FieldReport.create_id(year, rid, pid))
            if report is None:
                report = FieldReport(year=year, reporter_id=rid, reporter_code=reporter.code,
                                     province_id=pid, province_code=province.code, item=item,
                                     figures=clean_figures, lists=clean_lists,
                                     assessment=assessment, late=late, at=now)
            else:
                if not reason:
                    raise InvalidInput("A report submitted again needs the reason.",
                                       field="reason", rule="reason_required")
                report.resubmit(figures=clean_figures, lists=clean_lists,
                                assessment=assessment, late=late, reason=reason, at=now)
            return {"id": str(report.id), "year": year, "reporter_code": reporter.code,
                    "province_code": province.code, "item": item, "late": late,
                    "submissions": report.submissions, "version": report.version}, [report]

        return self.act(actor, "field_report.write", work, unit_id=rid, reason=reason)

    # -- cluster summaries -------------------------------------------------------------------
    def send_cluster_summary(self, actor: Actor, *, year: int,
                             group_id: str) -> Done:
        """The cluster head's summary, computed from the members' sent sheets and their
        standing nominations; records which sheets (and revisions) it used."""
        gid = str(parse_uuid(group_id, "group_id"))
        group = self.group_year(year).groups.get(gid)
        if group is None or group["kind"] != "provincial_cluster":
            raise NotFound(f"There is no provincial cluster {gid} in {year}.",
                           field="group_id", rule="exists")
        heads = self.head_units(gid, year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_open("summaries")
            if not heads:
                raise RuleViolation(f"{group['code']} has no elected head yet.",
                                    field="group_id", rule="cluster_has_head")
            members = [m for m in group["members"] if cycle.level(m) == "province"]
            rows, not_sent = self._summary_rows(cycle, members)
            late = cycle.judge(str(actor.unit_id), self.now())
            head = str(actor.unit_id)
            args: dict[str, Any] = {"head_id": head, "head_code": cycle.code_of(head),
                    "members": [cycle.code_of(m) for m in members], "rows": rows,
                    "not_sent": not_sent, "late": late, "at": self.now().isoformat()}
            summary = self.find(ClusterSummary, ClusterSummary.create_id(year, gid))
            if summary is None:
                summary = ClusterSummary(year=year, group_id=gid, group_code=group["code"],
                                         **args)
            else:
                summary.resend(**args)
            return {"id": str(summary.id), "year": year, "group_code": group["code"],
                    "head_code": summary.head_code, "rows": rows, "not_sent": not_sent,
                    "late": late, "sends": summary.sends, "version": summary.version}, [summary]

        return self.act(actor, "summary.send", work, group_head_units=heads)

    def _summary_rows(self, cycle: EvaluationCycle, members: list[str]
                      ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
        rows, not_sent = [], []
        for m in cycle.monitoring:
            used, total, nominators = [], Decimal(0), []
            for p in members:
                sheet = self.find_sheet(cycle.year, "province_to_central", p, m["unit_id"])
                rev = sheet.sent if sheet is not None else None
                if rev is None:
                    not_sent.append({"member_code": cycle.code_of(p), "subject_code": m["code"],
                                     "state": sheet.current["state"] if sheet else "none"})
                else:
                    total += Decimal(rev["total"])
                    used.append({"sheet_id": str(sheet.id), "scorer_code": cycle.code_of(p),  # type: ignore[union-attr]
                                 "revision": rev["revision"], "total": rev["total"]})
                n = self.find(Nomination, Nomination.create_id(cycle.year, p, m["unit_id"]))
                if n is not None and n.state == "submitted":
                    nominators.append(cycle.code_of(p))
            rows.append({"unit_id": m["unit_id"], "code": m["code"], "count": len(used),
                         "sum": fmt(total), "average": fmt(ratio(total, len(used))),
                         "nominations": len(nominators), "nominators": nominators,
                         "sheets": used})
        return rows, not_sent
