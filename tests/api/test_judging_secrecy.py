"""The secrecy of the judging's ballots, tested as the elections' are: two rounds with the
same candidates and the same tally, but the lone vote for P03 cast by P06 in the first and by
P05 in the second. If any answer, view row or stored event linked a voter to its marks, the
two rounds would differ somewhere."""

from __future__ import annotations

import json
from typing import Any

import psycopg
from psycopg.rows import dict_row

from domain.judging.judging import round_key_id
from domain.organisation.units import unit_id
from projections.base import wait_for as wait_until
from tests.support.elections import CODES, ok
from tests.support.judging import candidate, declare, head_p01, open_judging, vote

VOLATILE = {"round", "rounds", "reason", "opened_at", "declared_at", "put_at", "ballot_no",
            "position", "version"}


def strip(value: Any) -> Any:
    """What differs between two identical rounds left out; lists in a stable order."""
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return sorted((strip(v) for v in value),
                      key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def view_rows(url: str, jid: str, round_no: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of every view table (but the audit trail's copies of the events, checked
    below as events) that mentions this judging and this round (or no round)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with psycopg.connect(url, row_factory=dict_row) as conn:
        tables = [r["table_name"] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'views' "
            "AND table_type = 'BASE TABLE'").fetchall()]
        for t in tables:
            if t.startswith("audit") or t.endswith("_tracking"):
                continue
            rows = conn.execute(psycopg.sql.SQL("SELECT * FROM views.{}").format(
                psycopg.sql.Identifier(t))).fetchall()
            mine = [r for r in rows if jid in json.dumps(r, default=str)
                    and r.get("round", round_no) == round_no]
            if mine:
                out[t] = mine
    return out


def test_judging_ballots_are_never_linked_to_their_voters(api, cluster, db_url):
    app = api.services.app
    gid = cluster["id"]
    head_p01(api, gid)
    # a unit may stand for both titles, so the two lone voters stand for none
    ok(api.put("/judging-rules/2024", json={"one_title_per_unit": False}), 200)
    jid = ok(open_judging(api, gid))["id"]
    rounds = []
    for no, lone in ((1, "P06"), (2, "P05")):
        if no == 2:
            ok(open_judging(api, gid, reason="Chưa đơn vị nào quá bán"))
        for code, title in (("P01", "flag"), ("P02", "flag"), ("P03", "flag"),
                            ("P01", "certificate"), ("P04", "certificate")):
            ok(candidate(api, jid, code, title))
        # P01 3 votes of 6, P02 2, P03 1 (the lone one): nobody more than half
        flag = {c: "P01" for c in ("P01", "P02", "P03")}
        flag.update({c: ("P03" if c == lone else "P02") for c in ("P04", "P05", "P06")})
        certificate = {"P01": ["P01", "P04"], "P02": ["P04"]}
        for voter in CODES:
            answer = ok(vote(api, jid, voter, "flag", [flag[voter]]))
            assert set(answer) == {"judging_id", "round", "title", "recorded",
                                   "ballots_cast", "position"}
            ok(vote(api, jid, voter, "certificate", certificate.get(voter, [])))
        result = ok(declare(api, jid))
        assert result["outcome"] == "failed" and result["proposals"] == []
        reads = {"round": next(r for r in ok(api.get(f"/judgings/{jid}"), 200)["rounds"]
                               if r["round"] == no),
                 "ballots": ok(api.get(f"/judgings/{jid}/ballots?round={no}"), 200)}
        rounds.append((reads, view_rows(db_url, jid, no)))

    (read1, rows1), (read2, rows2) = rounds
    assert strip(read1) == strip(read2)
    assert {"judging_rounds", "judging_candidates", "judging_turnout",
            "judging_ballots"} <= set(rows1), set(rows1)
    assert set(rows1) == set(rows2)
    for table in rows1:
        assert strip(rows1[table]) == strip(rows2[table]), table
    # the tally is right, and who voted is recorded (in code order, never by time)
    flag_votes = {v["unit_code"]: v["votes"] for v in read1["round"]["titles"]["flag"]["votes"]}
    assert flag_votes == {"P01": 3, "P02": 2, "P03": 1}
    assert read1["ballots"]["turnout"]["flag"] == {"ballots": 6, "voted": CODES}
    assert set(rows1["judging_turnout"][0]) == {"judging_id", "round", "title", "voter_id"}
    counted = read1["ballots"]["counted"]
    assert sorted(len(b["marks"]) for b in counted if b["title"] == "certificate") == \
        [0, 0, 0, 0, 1, 2]

    # the stored events: no event holds a voter together with a choice
    ids = {c: str(unit_id(c)) for c in CODES}
    events = [app.mapper.to_domain_event(n) for n in
              app.recorder.select_notifications(start=1, limit=100_000)]
    mine = [e for e in events if str(e.originator_id) == jid]
    cast = [e for e in mine if type(e).__name__ == "BallotCast"]
    counted_events = [e for e in mine if type(e).__name__ == "BallotsCounted"]
    assert len(cast) == 24 and len(counted_events) == 2
    for e in cast:
        assert not any(i in e.sealed for i in ids.values())
    assert len({e.sealed for e in cast}) == 24  # equal marks never look equal
    # every sealed ballot of a title has one length, whatever it marks
    assert len({len(e.sealed) for e in cast if e.title == "certificate"}) == 1
    for e in counted_events:
        assert e.actor["unit_id"] is None and e.actor["user_id"] == "ballot-box"
        assert "voter" not in json.dumps(e.ballots)
    for e in mine:
        data = {k: v for k, v in vars(e).items() if k not in ("members", "present")}
        text = json.dumps(data, default=str)
        for voter in ("P05", "P06"):
            assert not (ids[voter] in text and ids["P03"] in text and "sealed" not in data), \
                (type(e).__name__, text[:300])
        if "voter" in data:  # a ballot names its voter only
            assert not any(i in text for c, i in ids.items() if i != data["voter"]
                           and c != e.actor.get("unit_code")), text[:300]
        assert not ("voter" in data and "ballots" in data)
    for name, projection in api.services.projections.items():
        assert wait_until(projection.view, app.name, api.last_position, 10), name
    # the keys that sealed the ballots are destroyed with each declaration
    assert app.judging_keys().existing(round_key_id(jid, 1)) is None
    assert app.judging_keys().existing(round_key_id(jid, 2)) is None
