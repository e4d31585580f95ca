"""The judging's use cases on the in-memory event store: the elected head's secretariat runs
it, members vote for themselves only, the ballots are sealed at one length per title and
opened only at the declaration under the neutral ballot box, whose key is then destroyed;
the council's decision awards titles only on its proposals."""

from __future__ import annotations

import json

import pytest

from domain.elections.ballots import BALLOT_BOX
from domain.judging.judging import round_key_id
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from tests.support.core import ROOT
from tests.support.memory import officer_of

CODES = ["A", "B", "C", "D", "E"]


@pytest.fixture
def block(memory_app):
    app = memory_app
    for c in [*CODES, "X"]:
        app.register_unit(ROOT, code=c, name=f"Ban {c}", level="central", parent_code=None,
                          effective="2020-01-01")
    gid = app.form_group(ROOT, year=2024, kind="block", code="K1", name="Khối 1",
                         members=CODES).view["id"]
    eid = app.open_election(ROOT, group_id=gid, year=2024, meeting_date="2024-01-10",
                            place="Hà Nội", present=CODES, term=2024).view["id"]
    app.put_forward(ROOT, eid, unit_code="A", seat="head")
    for c in CODES:
        app.cast_ballot(officer_of(app, c), eid, seat="head", candidate_code="A")
    assert app.declare_result(ROOT, eid).view["outcome"] == "elected"
    return gid


def secretariat(app, code="A"):
    return officer_of(app, code, ("group_secretariat",))


def test_the_heads_secretariat_runs_it_and_members_vote_for_themselves(memory_app, block):
    app = memory_app
    with pytest.raises(NotAuthorised) as e:
        app.open_judging(secretariat(app, "B"), group_id=block, year=2024,
                         meeting_date="2024-12-20", place="Hà Nội", present=CODES)
    assert e.value.rule == "judging.run"
    with pytest.raises(NotAuthorised):
        app.open_judging(officer_of(app, "A"), group_id=block, year=2024,
                         meeting_date="2024-12-20", place="Hà Nội", present=CODES)
    with pytest.raises(InvalidInput) as e:
        app.open_judging(secretariat(app), group_id=block, year=2024,
                         meeting_date="2026-01-02", place="Hà Nội", present=CODES)
    assert e.value.rule == "meeting_in_year"
    jid = app.open_judging(secretariat(app), group_id=block, year=2024,
                           meeting_date="2024-12-20", place="Hà Nội", present=CODES).view["id"]
    app.judging_candidate(secretariat(app), jid, unit_code="B", title="flag")
    # a voter is the unit of the token: an outsider is refused, and so is the head's
    # secretariat role, which does not vote
    with pytest.raises(NotAuthorised) as e:
        app.cast_judging_ballot(officer_of(app, "X"), jid, title="flag", marks=["B"])
    assert e.value.rule == "voter_is_member"
    with pytest.raises(NotAuthorised) as e:
        app.cast_judging_ballot(secretariat(app), jid, title="flag", marks=["B"])
    assert e.value.rule == "judging.vote"
    with pytest.raises(InvalidInput) as e:
        app.cast_judging_ballot(officer_of(app, "C"), jid, title="flag", marks=["B", "B"])
    assert e.value.rule == "marks_once"
    assert app.cast_judging_ballot(officer_of(app, "C"), jid, title="flag",
                                   marks=["B"]).view["ballots_cast"] == 1


def test_ballots_are_sealed_opened_at_the_declaration_and_the_key_destroyed(memory_app, block):
    app = memory_app
    sec = secretariat(app)
    jid = app.open_judging(sec, group_id=block, year=2024, meeting_date="2024-12-20",
                           place="Hà Nội", present=CODES).view["id"]
    for code, title in (("B", "flag"), ("C", "certificate"), ("D", "certificate"),
                        ("E", "certificate")):
        app.judging_candidate(sec, jid, unit_code=code, title=title)
    choice = {"A": ["C", "D"], "B": ["C"], "C": ["C", "D"], "D": [], "E": ["C", "E"]}
    for voter in CODES:
        app.cast_judging_ballot(officer_of(app, voter), jid, title="flag", marks=["B"])
        answer = app.cast_judging_ballot(officer_of(app, voter), jid, title="certificate",
                                         marks=choice[voter]).view
        assert set(answer) == {"judging_id", "round", "title", "recorded", "ballots_cast"}
    key_id = round_key_id(jid, 1)
    assert app.judging_keys().existing(key_id) is not None
    result = app.declare_judging(sec, jid).view
    assert result["outcome"] == "proposed"
    assert result["titles"]["certificate"]["proposed"] == ["C"]  # C 4 of 5, D 2, E 1
    assert [(p["title"], p["unit_code"]) for p in result["proposals"]] == [
        ("flag", "B"), ("certificate", "C")]
    assert app.judging_keys().existing(key_id) is None
    events = [app.mapper.to_domain_event(n) for n in
              app.recorder.select_notifications(start=1, limit=10_000)]
    cast = [e for e in events if type(e).__name__ == "BallotCast"
            and type(e).__qualname__.startswith("Judging")]
    assert len(cast) == 10
    ids = {str(app.unit(c).id) for c in CODES}
    for e in cast:
        assert not any(i in e.sealed for i in ids) and set(vars(e)) >= {"voter", "sealed"}
    # the sealed certificate ballots are all one length, however many they mark
    assert len({len(e.sealed) for e in cast if e.title == "certificate"}) == 1
    [counted] = [e for e in events if type(e).__qualname__.startswith("Judging")
                 and type(e).__name__ == "BallotsCounted"]
    assert counted.actor["user_id"] == BALLOT_BOX.user_id and counted.actor["unit_id"] is None
    assert "voter" not in json.dumps(counted.ballots)
    assert sorted(len(b["marks"]) for b in counted.ballots if b["title"] == "certificate") \
        == [0, 1, 2, 2, 2]


def test_a_tie_is_judged_again_for_the_places_left(memory_app, block):
    app = memory_app
    sec = secretariat(app)
    jid = app.open_judging(sec, group_id=block, year=2024, meeting_date="2024-12-20",
                           place="Hà Nội", present=CODES).view["id"]
    app.judging_candidate(sec, jid, unit_code="B", title="flag")
    app.judging_candidate(sec, jid, unit_code="C", title="flag")
    for voter, mark in zip(CODES, "BBCCB", strict=True):
        app.cast_judging_ballot(officer_of(app, voter), jid, title="flag", marks=[mark])
    assert app.declare_judging(sec, jid).view["titles"]["flag"]["proposed"] == ["B"]
    with pytest.raises(RuleViolation) as e:
        app.open_judging(sec, group_id=block, year=2024, meeting_date="2024-12-21",
                         place="Hà Nội", present=CODES)
    assert e.value.rule == "reason_required"
    second = app.open_judging(sec, group_id=block, year=2024, meeting_date="2024-12-21",
                              place="Hà Nội", present=CODES, reason="Bầu Bằng khen").view
    assert second["round"] == 2 and second["places"] == {"flag": 0, "certificate": 2}
    with pytest.raises(RuleViolation) as e:
        app.judging_candidate(sec, jid, unit_code="D", title="flag")
    assert e.value.rule == "title_has_places"
    app.annul_judging(sec, jid, reason="Thiếu đại biểu")
    assert app.judging_keys().existing(round_key_id(jid, 2)) is None
    assert app.judging(jid).rounds[-1]["status"] == "annulled"
