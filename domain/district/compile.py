"""The province's compiled table of its district offices (bảng tổng hợp): per office, its
self score, the province's score of it, the comparable group it is ranked in, nominations,
the unplanned tasks assigned to it, lateness, and a proposed level with the quota applied
per comparable group. A pure function of the recorded submissions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from domain.district.cycle import DistrictCycle
from domain.district.items import DistrictClusterSummary, DistrictNomination
from domain.district.ruleset import DISTRICT_SHEET_KINDS
from domain.evaluation.rules import apply_quota, average, fmt, level_of
from domain.evaluation.sheets import ScoreSheet

RECEIVED = DISTRICT_SHEET_KINDS[1:]


def _sent_total(sheet: ScoreSheet | None) -> Decimal | None:
    rev = sheet.sent if sheet is not None else None
    return Decimal(rev["total"]) if rev is not None else None


def compile_district_table(cycle: DistrictCycle,
                           sheets: Mapping[tuple[str, str, str], ScoreSheet],
                           summaries: Iterable[DistrictClusterSummary],
                           nominations: Iterable[DistrictNomination]) -> list[dict[str, Any]]:
    """One row per district office of the cycle, by comparable group then code."""
    rules = cycle.rules
    summaries, nominations = list(summaries), list(nominations)
    clusters = {r["unit_id"]: s.group_code for s in summaries for r in s.rows}
    rows: dict[str, dict[str, Any]] = {}
    for uid, unit in sorted(cycle.units.items(),
                            key=lambda u: (cycle.group_of(u[0]), u[1]["code"])):
        received: dict[str, dict[str, Any]] = {}
        for kind in RECEIVED:
            value = _sent_total(sheets.get((kind, cycle.province_id, uid)))
            received[kind] = {"average": fmt(value), "count": 0 if value is None else 1,
                              "expected": 1}
        self_total = _sent_total(sheets.get(("self", uid, uid)))
        basis = [k for k in rules["basis"].get("district", [])
                 if received.get(k, {}).get("average") is not None]
        if basis:
            score = average(Decimal(received[k]["average"]) for k in basis)
        else:
            score, basis = self_total, (["self"] if self_total is not None else [])
        rows[uid] = {
            "unit_id": uid, "code": unit["code"], "name": unit["name"],
            "comparable_group": cycle.group_of(uid), "cluster_code": clusters.get(uid),
            "self_score": fmt(self_total), "received": received, "score": fmt(score),
            "score_basis": basis, "implied_level": level_of(rules, score),
            "nominations": {"self": 0, "province": 0, "peer": 0, "total": 0},
            "tasks": [t["code"] for t in cycle.tasks if uid in t["units"]], "late": [],
        }
    _nominations(rows, nominations, summaries)
    _lateness(cycle, rows, sheets, nominations, summaries)
    proposed = apply_quota(rules, [(r["code"], r["comparable_group"],
                                    Decimal(r["score"]) if r["score"] else None)
                                   for r in rows.values()])
    for r in rows.values():
        r["proposed_level"] = proposed[r["code"]]
        r["quota_applied"] = proposed[r["code"]] != r["implied_level"]
        r["late_count"] = len(r["late"])
        r["outstanding_candidate"] = (r["nominations"]["total"] > 0
                                      and r["proposed_level"] == "excellent")
    return list(rows.values())


def _nominations(rows: dict[str, dict[str, Any]], nominations: list[DistrictNomination],
                 summaries: list[DistrictClusterSummary]) -> None:
    # a fellow member's nomination reaches the province through the cluster head's summary
    # (as a province's nomination of a central unit reaches the standing office); the
    # office's own and the province's directly
    for n in nominations:
        if n.state != "submitted" or n.subject_id not in rows or n.basis == "peer":
            continue
        rows[n.subject_id]["nominations"][n.basis] += 1
    for summary in summaries:
        for r in summary.rows:
            if r["unit_id"] in rows:
                rows[r["unit_id"]]["nominations"]["peer"] += int(r["nominations"])
    for row in rows.values():
        counts = row["nominations"]
        counts["total"] = counts["self"] + counts["province"] + counts["peer"]


def _lateness(cycle: DistrictCycle, rows: dict[str, dict[str, Any]],
              sheets: Mapping[tuple[str, str, str], ScoreSheet],
              nominations: list[DistrictNomination],
              summaries: list[DistrictClusterSummary]) -> None:
    for (kind, scorer, subject), sheet in sorted(sheets.items()):
        rev = sheet.sent or sheet.current
        if rev["late"] and scorer in rows:
            rows[scorer]["late"].append(f"{kind}:{cycle.code_of(subject)}")
    for n in nominations:
        if n.late and n.state == "submitted" and n.proposer_id in rows:
            rows[n.proposer_id]["late"].append(f"nomination:{n.subject_code}")
    for s in summaries:
        if s.late and s.head_id in rows:
            rows[s.head_id]["late"].append(f"summary:{s.group_code}")
