"""The covenant's use cases on the in-memory event store: the elected head's secretariat
launches, members sign and register, an outsider and a non-head are refused, nothing is
recorded by a refused act."""

from __future__ import annotations

import pytest

from domain.kernel.errors import Conflict, NotAuthorised, RuleViolation
from tests.support.core import ROOT
from tests.support.memory import officer_of

TARGETS = [{"code": "T1", "name": "Thu BHXH", "unit_of_measure": "%", "target": "98",
            "direction": "at_least"}]


@pytest.fixture
def block(memory_app):
    app = memory_app
    for c in ("A", "B", "C", "X"):
        app.register_unit(ROOT, code=c, name=f"Ban {c}", level="central", parent_code=None,
                          effective="2020-01-01")
    gid = app.form_group(ROOT, year=2024, kind="block", code="K1", name="Khối 1",
                         members=["A", "B", "C"]).view["id"]
    eid = app.open_election(ROOT, group_id=gid, year=2024, meeting_date="2024-01-10",
                            place="Hà Nội", present=["A", "B", "C"]).view["id"]
    app.put_forward(ROOT, eid, unit_code="A", seat="head")
    app.put_forward(ROOT, eid, unit_code="B", seat="deputy")
    for c in ("A", "B", "C"):
        app.cast_ballot(officer_of(app, c), eid, seat="head", candidate_code="A")
        app.cast_ballot(officer_of(app, c), eid, seat="deputy", candidate_code="B")
    assert app.declare_result(ROOT, eid).view["outcome"] == "elected"
    return gid


def test_the_head_launches_and_members_sign_once(memory_app, block):
    app = memory_app
    with pytest.raises(NotAuthorised):
        app.launch_covenant(officer_of(app, "C", ("group_secretariat",)), group_id=block,
                            year=2024, title="Giao ước", launched_on="2024-02-01",
                            targets=TARGETS)
    cov = app.launch_covenant(officer_of(app, "A", ("group_secretariat",)), group_id=block,
                              year=2024, title="Giao ước", launched_on="2024-02-01",
                              targets=TARGETS).view
    head = app.covenant(cov["id"]).version
    with pytest.raises(NotAuthorised) as e:
        app.sign_covenant(officer_of(app, "X"), cov["id"], signed_on="2024-02-02")
    assert e.value.rule == "signer_is_member"
    with pytest.raises(RuleViolation) as e:
        app.sign_covenant(officer_of(app, "C"), cov["id"], signed_on="2024-01-31")
    assert e.value.rule == "signed_after_launch"
    assert app.covenant(cov["id"]).version == head, "refused acts record nothing"
    assert app.sign_covenant(officer_of(app, "C"), cov["id"],
                             signed_on="2024-02-02").view["signed"] == 1
    with pytest.raises(Conflict):
        app.sign_covenant(officer_of(app, "C"), cov["id"], signed_on="2024-02-03")
    done = app.register_targets(officer_of(app, "B"), cov["id"],
                                targets=[{"target": "T1", "value": "99.10"}])
    assert done.view["targets"] == [{"target": "T1", "value": "99.1"}]
    assert done.view["revision"] == 1
