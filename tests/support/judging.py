"""The calls of a group's judging through the API, on the cluster of six of
tests/support/elections.py (P01 elected head, so its secretariat sec01 runs the group)."""

from __future__ import annotations

from typing import Any

from tests.support.elections import CODES, YEAR, elect, ok


def head_p01(api: Any, gid: str) -> None:
    """P01 elected head and P02 deputy of the 2024 cluster for its own term, in January."""
    elect(api, gid, {c: "P01" for c in CODES}, {c: "P02" for c in CODES}, heads=["P01"],
          deputies=["P02"], term=YEAR)


def open_judging(api: Any, gid: str, who: str = "sec01", present: list[str] | None = None,
                 **extra: Any) -> Any:
    return api.post("/judgings", who, json={
        "group_id": gid, "year": YEAR, "meeting_date": "2024-12-20",
        "place": "BHXH tỉnh P01", "present": CODES if present is None else present, **extra})


def candidate(api: Any, jid: str, code: str, title: str, who: str = "sec01") -> Any:
    return api.post(f"/judgings/{jid}/candidates", who, json={"unit_code": code,
                                                              "title": title})


def vote(api: Any, jid: str, voter: str, title: str, marks: list[str]) -> Any:
    return api.post(f"/judgings/{jid}/ballots", f"o{voter.lower()}",
                    json={"title": title, "marks": marks})


def declare(api: Any, jid: str, who: str = "sec01") -> Any:
    return api.post(f"/judgings/{jid}/result", who, json={})


def judge(api: Any, jid: str, candidates: dict[str, list[str]],
          ballots: dict[str, dict[str, list[str]]], who: str = "sec01") -> dict[str, Any]:
    """Candidates by title, then each voter's marks by title; the declared round."""
    for title, codes in candidates.items():
        for code in codes:
            ok(candidate(api, jid, code, title, who))
    for voter, by_title in ballots.items():
        for title, marks in by_title.items():
            ok(vote(api, jid, voter, title, marks))
    return ok(declare(api, jid, who))


def votes(title: dict[str, Any]) -> dict[str, int]:
    return {v["unit_code"]: v["votes"] for v in title["votes"]}
