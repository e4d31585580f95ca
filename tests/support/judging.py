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


def a_judged_group(app: Any, year: int = 2030) -> dict[str, str]:
    """Through the use cases, on units of its own: a block of ``year`` headed by JG1, its
    judging declared with a proposal, its rules adopted and its plan issued with an
    inspection. Returns the ids of the group, the judging and the plan."""
    from domain.kernel.actor import Actor
    from domain.organisation.units import unit_id
    from tests.support.core import ROOT

    codes = ["JG1", "JG2", "JG3"]

    def of(code: str, role: str = "officer") -> Actor:
        return Actor(user_id=f"test:{role}:{code}", user_name=f"{role}-{code}", roles=(role,),
                     unit_id=str(unit_id(code)), unit_code=code, source="test")

    for code in codes:
        app.register_unit(ROOT, code=code, name=f"Ban {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    gid = app.form_group(ROOT, year=year, kind="block", code="KJ", name="Khối bình xét",
                         members=codes).view["id"]
    eid = app.open_election(ROOT, group_id=gid, year=year, meeting_date=f"{year}-01-05",
                            place="Hà Nội", present=codes, term=year).view["id"]
    app.put_forward(ROOT, eid, unit_code="JG1", seat="head")
    for code in codes:
        app.cast_ballot(of(code), eid, seat="head", candidate_code="JG1")
    app.declare_result(ROOT, eid)
    sec = of("JG1", "group_secretariat")
    jid = app.open_judging(sec, group_id=gid, year=year, meeting_date=f"{year}-12-15",
                           place="Hà Nội", present=codes).view["id"]
    app.judging_candidate(sec, jid, unit_code="JG2", title="flag")
    for code in codes:
        app.cast_judging_ballot(of(code), jid, title="flag", marks=["JG2"])
    app.declare_judging(sec, jid)
    app.draft_group_rules(sec, group_id=gid, year=year, kind="rules", title="Quy chế",
                          drafted_on=f"{year}-01-06", text="Điều 1.")
    app.adopt_group_rules(sec, group_id=gid, year=year, version=1,
                          meeting_date=f"{year}-01-07", place="Hà Nội", present=codes,
                          adopters=codes)
    plan = app.issue_group_plan(sec, group_id=gid, year=year, title="Kế hoạch",
                                issued_on=f"{year}-01-08", text="Kế hoạch năm",
                                activities=[{"code": "A1", "name": "Sơ kết",
                                             "due": f"{year}-07-01"}],
                                inspections=[{"code": "KT1", "members": ["JG2"],
                                              "inspectors": ["JG1"], "from": f"{year}-09-01",
                                              "until": f"{year}-09-30"}]).view
    return {"group_id": gid, "judging_id": jid, "plan_id": plan["id"]}
