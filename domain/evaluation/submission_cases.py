"""Use cases of field reports (cung cấp thông tin) and the provincial cluster head's summary
(tổng hợp của Cụm trưởng); nominations are in nomination_cases.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.items import ClusterSummary, FieldReport, Nomination
from domain.evaluation.rules import check_text, fmt, ratio
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


def _subject(subject_code: str | None, province_code: str | None) -> tuple[str, str]:
    """The unit a report is on, and the field that named it (``province_code``: the name
    the field had when reports were on provinces only)."""
    if subject_code and province_code and subject_code != province_code:
        raise InvalidInput("Give the unit reported on once: subject_code (province_code is "
                           "its older name).", field="province_code", rule="subject_once")
    if subject_code:
        return subject_code, "subject_code"
    if province_code:
        return province_code, "province_code"
    raise InvalidInput("Give subject_code: the unit the report is on.", field="subject_code",
                       rule="subject_required")


class EvaluationSubmissionCases(EvaluationLookups):
    """Field reports and cluster summaries."""

    # -- field reports ---------------------------------------------------------------------
    def submit_field_report(self, actor: Actor, *, year: int, figures: dict[str, Any],
                            lists: dict[str, Any], assessment: str,
                            subject_code: str | None = None, province_code: str | None = None,
                            reporter_code: str | None = None,
                            reason: str | None = None) -> Done:
        """A central unit's figures, lists and assessment of a unit of the cycle: a province
        in its appendix item's field, or beyond the appendix ("nếu có", any central unit); a
        central unit where its item concerns the whole sector (the cycle's ``about``)."""
        code, field = _subject(subject_code, province_code)
        clean_figures, clean_lists = check_figures(figures), check_lists(lists)
        assessment = check_text(assessment, "assessment", 10000)
        reporter = self.acting_unit(actor, reporter_code, "reporter_code")
        subject = self.unit(code, field)
        rid, sid = str(reporter.id), str(subject.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_open("field reports")
            item, level = cycle.reporting().check(rid, sid, reporter.code, subject.code, field)
            late = cycle.judge(rid, self.now(), reporter.code)
            now = self.now().isoformat()
            report = self.find(FieldReport, FieldReport.create_id(year, rid, sid))
            if report is None:
                report = FieldReport(year=year, reporter_id=rid, reporter_code=reporter.code,
                                     province_id=sid, province_code=subject.code, item=item,
                                     figures=clean_figures, lists=clean_lists,
                                     assessment=assessment, late=late, at=now,
                                     subject_level=level)
            else:
                if not reason:
                    raise InvalidInput("A report submitted again needs the reason.",
                                       field="reason", rule="reason_required")
                report.resubmit(figures=clean_figures, lists=clean_lists,
                                assessment=assessment, late=late, reason=reason, at=now)
            return {"id": str(report.id), "year": year, "reporter_code": reporter.code,
                    "subject_code": subject.code, "subject_level": level,
                    "province_code": subject.code, "item": item, "late": late,
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
            head = str(actor.unit_id)
            head_code = cycle.code_of(head, actor.unit_code)
            late = cycle.judge(head, self.now(), head_code)
            args: dict[str, Any] = {"head_id": head, "head_code": head_code,
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
                if n is not None and n.stands:
                    nominators.append(cycle.code_of(p))
            rows.append({"unit_id": m["unit_id"], "code": m["code"], "count": len(used),
                         "sum": fmt(total), "average": fmt(ratio(total, len(used))),
                         "nominations": len(nominators), "nominators": nominators,
                         "sheets": used})
        return rows, not_sent
