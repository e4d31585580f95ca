"""The standing office's compiled table (bảng tổng hợp): per unit, its self score, the
averages of every kind of score it received, nomination counts, field findings, lateness,
and a proposed level with the quota applied. A pure function of the recorded submissions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.fields import by_field, combine
from domain.evaluation.items import ClusterSummary, FieldReport, Nomination
from domain.evaluation.rules import SHEET_KINDS, apply_quota, average, fmt, level_of, ratio
from domain.evaluation.sheets import ScoreSheet

RECEIVED = SHEET_KINDS[1:]


def _sent_total(sheet: ScoreSheet | None) -> Decimal | None:
    rev = sheet.sent if sheet is not None else None
    return Decimal(rev["total"]) if rev is not None else None


def _by_field(cycle: EvaluationCycle, sheets: Mapping[tuple[str, str, str], ScoreSheet],
              expected: list[tuple[str, str, str]]) -> dict[str, Any]:
    """A province's score from monitors that each score their own field: the fields
    combined (domain/evaluation/fields.py), with the criteria nobody has scored yet."""
    sent: dict[str, Mapping[str, str]] = {}
    for pair in expected:
        sheet = sheets.get(pair)
        rev = sheet.sent if sheet is not None else None
        if rev is not None:
            sent[cycle.code_of(pair[1])] = rev["scores"]
    score, unscored = combine(cycle.rules, sent)
    return {"average": fmt(score), "count": len(sent), "expected": len(expected),
            "method": "fields", "unscored": unscored}


def compile_table(cycle: EvaluationCycle, sheets: Mapping[tuple[str, str, str], ScoreSheet],
                  summaries: Iterable[ClusterSummary], nominations: Iterable[Nomination],
                  reports: Iterable[FieldReport]) -> list[dict[str, Any]]:
    """One row per unit of the cycle, centrals first, by code."""
    rules = cycle.rules
    pairs = cycle.pairs()
    summaries, nominations, reports = list(summaries), list(nominations), list(reports)
    rows: dict[str, dict[str, Any]] = {}
    for uid, unit in sorted(cycle.units.items(), key=lambda u: (u[1]["level"], u[1]["code"])):
        received: dict[str, dict[str, Any]] = {}
        for kind in RECEIVED:
            expected = [(k, s, t) for k, s, t in pairs if k == kind and t == uid]
            if not expected:
                continue
            if kind == "province_to_central":
                total, count = Decimal(0), 0
                for summary in summaries:
                    for r in summary.rows:
                        if r["unit_id"] == uid:
                            total += Decimal(r["sum"])
                            count += int(r["count"])
                avg = ratio(total, count)
            elif by_field(rules, kind):
                received[kind] = _by_field(cycle, sheets, expected)
                continue
            else:
                values = [v for v in (_sent_total(sheets.get(p)) for p in expected)
                          if v is not None]
                count, avg = len(values), average(values)
            received[kind] = {"average": fmt(avg), "count": count, "expected": len(expected)}
        self_total = _sent_total(sheets.get(("self", uid, uid)))
        basis = [k for k in rules["basis"].get(unit["level"], [])
                 if received.get(k, {}).get("average") is not None]
        if basis:
            score = average(Decimal(received[k]["average"]) for k in basis)
        else:
            score, basis = self_total, (["self"] if self_total is not None else [])
        rows[uid] = {
            "unit_id": uid, "code": unit["code"], "name": unit["name"],
            "unit_level": unit["level"], "self_score": fmt(self_total), "received": received,
            "score": fmt(score), "score_basis": basis, "implied_level": level_of(rules, score),
            "nominations": {"self": 0, "scorer": 0, "province": 0, "total": 0},
            "field_findings": [], "late": [],
        }
    _nominations(rows, nominations, summaries)
    _findings(rows, reports)
    _lateness(cycle, rows, sheets, nominations, reports, summaries)
    if cycle.comparable_groups:  # declared: each row says its group
        for r in rows.values():
            r["comparable_group"] = cycle.comparison_group(r["unit_id"])
    proposed = apply_quota(rules, [(r["code"], cycle.comparison_group(r["unit_id"]),
                                    Decimal(r["score"]) if r["score"] else None)
                                   for r in rows.values()])
    for r in rows.values():
        r["proposed_level"] = proposed[r["code"]]
        r["quota_applied"] = proposed[r["code"]] != r["implied_level"]
        r["late_count"] = len(r["late"])
        r["outstanding_candidate"] = (r["nominations"]["total"] > 0
                                      and r["proposed_level"] == "excellent")
    return list(rows.values())


def _nominations(rows: dict[str, dict[str, Any]], nominations: list[Nomination],
                 summaries: list[ClusterSummary]) -> None:
    # a province's nomination of a central unit reaches the standing office through its
    # cluster head's summary; every other nomination directly
    for n in nominations:
        if not n.stands or n.subject_id not in rows or n.basis == "province":
            continue
        rows[n.subject_id]["nominations"][n.basis] += 1
    for summary in summaries:
        for r in summary.rows:
            if r["unit_id"] in rows:
                rows[r["unit_id"]]["nominations"]["province"] += int(r["nominations"])
    for row in rows.values():
        counts = row["nominations"]
        counts["total"] = counts["self"] + counts["scorer"] + counts["province"]


def _findings(rows: dict[str, dict[str, Any]], reports: list[FieldReport]) -> None:
    # the appendix's items in order, then what units added beyond it ("nếu có": no item)
    for rep in sorted(reports, key=lambda r: (r.item is None, r.item or 0, r.reporter_code)):
        if rep.province_id in rows:
            rows[rep.province_id]["field_findings"].append({
                "item": rep.item, "reporter_code": rep.reporter_code,
                "assessment": rep.assessment, "figures": rep.figures,
                "list_entries": sum(len(v) for v in rep.lists.values()), "late": rep.late})


def _lateness(cycle: EvaluationCycle, rows: dict[str, dict[str, Any]],
              sheets: Mapping[tuple[str, str, str], ScoreSheet], nominations: list[Nomination],
              reports: list[FieldReport], summaries: list[ClusterSummary]) -> None:
    for (kind, scorer, subject), sheet in sorted(sheets.items()):
        rev = sheet.sent or sheet.current
        if rev["late"] and scorer in rows:
            rows[scorer]["late"].append(f"{kind}:{cycle.code_of(subject)}")
    for n in nominations:
        if n.late and n.state in ("submitted", "approved") and n.proposer_id in rows:
            rows[n.proposer_id]["late"].append(f"nomination:{n.subject_code}")
    for rep in reports:
        if rep.late and rep.reporter_id in rows:
            rows[rep.reporter_id]["late"].append(f"field_report:{rep.subject_code}")
    for s in summaries:
        if s.late and s.head_id in rows:
            rows[s.head_id]["late"].append(f"summary:{s.group_code}")
