"""The province organises its district clusters' elections (4268 A.I.5), without a database:
its officers and director open (and run) them, the first included; another province's, a
district office's and a province's for a provincial cluster are refused by the rights
table's ORGANISER scope, and the standing office keeps its own."""

from __future__ import annotations

from typing import Any

import pytest

from domain.kernel.actor import Actor
from domain.kernel.errors import NotAuthorised
from domain.kernel.rights import GroupPowers, authorise
from domain.organisation.groups import group_id
from domain.organisation.units import unit_id
from tests.support.core import ROOT
from tests.support.memory import officer_of

YEAR = 2026
OFFICES = [f"PAD{i}" for i in range(1, 4)]


@pytest.fixture
def provinces(memory_app: Any) -> Any:
    """PA with three offices in one district cluster (PAC1), PB next door, both in one
    provincial cluster (CX)."""
    app = memory_app
    for p in ("PA", "PB"):
        app.register_unit(ROOT, code=p, name=f"BHXH tỉnh {p}", level="province",
                          parent_code=None, effective="2020-01-01")
    for code in OFFICES:
        app.register_unit(ROOT, code=code, name=f"BHXH cơ sở {code}", level="district",
                          parent_code="PA", effective="2020-01-01")
    app.publish_partition(ROOT, year=YEAR, province_code="PA", clusters=[
        {"code": "PAC1", "name": "Cụm 1", "members": OFFICES}])
    app.form_group(ROOT, year=YEAR, kind="provincial_cluster", code="CX", name="Cụm X",
                   members=["PA", "PB"])
    return app


def cluster() -> str:
    return str(group_id(YEAR, "district_cluster", "PAC1", str(unit_id("PA"))))


def open_for(app: Any, who: Any, gid: str, present: list[str]) -> Any:
    return app.open_election(who, group_id=gid, year=YEAR, meeting_date="2025-12-18",
                             place="Hội trường", present=present, term=YEAR)


def test_the_organiser_scope_reads_the_organisers_only():
    pa = Actor(user_id="u", user_name="u", roles=("officer",), unit_id="pa", unit_code="PA")
    powers = GroupPowers(("head",), organisers=("pa",))
    assert authorise(pa, "election.run", group_head_units=powers).role == "officer"
    assert tuple(powers) == ("head",)  # the heads, as the tuple always gave them
    with pytest.raises(NotAuthorised):
        authorise(pa, "election.run", group_head_units=GroupPowers(("pa",)))
    with pytest.raises(NotAuthorised):  # only election.run has the scope
        authorise(pa, "covenant.launch", group_head_units=powers)


def test_the_province_opens_its_district_clusters_first_election(provinces):
    app = provinces
    for who in (officer_of(app, "PB"), officer_of(app, "PAD1"),
                officer_of(app, "PAD1", ("group_secretariat",))):
        with pytest.raises(NotAuthorised) as refused:
            open_for(app, who, cluster(), OFFICES)
        assert refused.value.rule == "election.run"
    with pytest.raises(NotAuthorised):  # a province organises no provincial cluster
        open_for(app, officer_of(app, "PA"), str(group_id(YEAR, "provincial_cluster", "CX")),
                 ["PA", "PB"])
    opened = open_for(app, officer_of(app, "PA", ("unit_head",)), cluster(), OFFICES).view
    app.put_forward(officer_of(app, "PA"), opened["id"], unit_code="PAD1", seat="head")
    for code in OFFICES:
        app.cast_ballot(officer_of(app, code), opened["id"], seat="head",
                        candidate_code="PAD1")
    declared = app.declare_result(officer_of(app, "PA"), opened["id"]).view
    assert declared["outcome"] == "elected"
    first = next(iter(app.events.get(app.election(opened["id"]).id)))
    assert (first.actor["role"], first.actor["unit_code"]) == ("unit_head", "PA")
    # the elected head's secretariat now holds the head's powers, the standing office its own
    assert app.head_units(cluster(), YEAR) == (str(unit_id("PAD1")),)
    again = open_for(app, ROOT, cluster(), OFFICES).view
    assert again["round"] == 2
