"""A district cluster's judging goes to its province (4268 A.I.5), without a database: the
province's officers and director run it as the standing office runs a block's, it judges for
the year's district titles, and the province's decision on its district offices awards them
on its own clusters' proposals only, with the checks the council's decision makes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.evaluation.ruleset import sample_ruleset
from domain.judging.awards import award_titles
from domain.judging.rules import DEFAULT_DISTRICT_TITLES, JudgingRules
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.organisation.groups import group_id
from tests.support.core import ROOT
from tests.support.district import (
    DISTRICT_RULES,
    YEAR,
    cluster_id,
    judge_cluster,
    open_pa_cycle,
    province_with_offices,
    run_pa_year,
)
from tests.support.memory import officer_of

PAC1 = [f"PAD{i}" for i in range(1, 6)]
PAC2 = [f"PAD{i}" for i in range(6, 11)]


@pytest.fixture
def world(memory_app: Any) -> Any:
    """PA's cycle open (two clusters of five), PB with three offices and its cycle too."""
    app = memory_app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    open_pa_cycle(app)
    pb = officer_of(app, "PB")
    app.publish_district_ruleset(pb, province_code="PB", content=DISTRICT_RULES)
    app.open_district_cycle(pb, year=YEAR, province_code="PB", ruleset_code="TCHUYEN")
    return app


def refused(call: Any, rule: str, error: type[Exception] = RuleViolation) -> Any:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.rule == rule, caught.value  # type: ignore[attr-defined]
    return caught.value


def open_round(app: Any, who: Any, number: int = 1, present: list[str] = PAC1) -> Any:
    return app.open_judging(who, group_id=cluster_id("PA", number), year=YEAR,
                            meeting_date="2026-12-18", place="Hội trường", present=present)


def decide(app: Any, province: str = "PA", **kw: Any) -> Any:
    return lambda: app.record_district_decision(
        officer_of(app, province, ("unit_head",)), year=YEAR, province_code=province,
        number="45/QĐ-BHXH", signed_on="2027-01-25", signer="Giám đốc",
        **{"outstanding": [], **kw})


def test_the_year_rules_name_the_district_clusters_titles_apart():
    rules = JudgingRules()
    assert [t["code"] for t in rules.titles] == ["flag", "certificate"]
    assert rules.district_titles == DEFAULT_DISTRICT_TITLES
    assert [t["code"] for t in rules.titles_for("district_cluster")] == ["commendation"]
    assert rules.titles_for("block") == rules.titles_for("provincial_cluster") == rules.titles
    assert rules.title("commendation")["name"] == "Giấy khen của Giám đốc BHXH tỉnh"
    # rules stored before district titles existed read with the default
    stored = rules.to_dict()
    stored.pop("district_titles")
    assert JudgingRules.stored(stored) == rules
    for change, rule, field in (
            ({"district_titles": []}, "titles_count", "district_titles"),
            ({"district_titles": [{"code": "flag", "name": "Cờ", "quota": 1}]},
             "title_code_unique", "district_titles"),
            ({"district_titles": [{"code": "gk", "name": "Giấy khen", "quota": 101}]},
             "quota_range", "district_titles[0].quota")):
        error = refused(lambda c=change: JudgingRules.from_dict({**rules.to_dict(), **c}),
                        rule, InvalidInput)
        assert field in error.errors, error.errors


def test_the_province_runs_its_district_clusters_judging_for_its_titles(world):
    for who in (officer_of(world, "PB"), officer_of(world, "PAD1"),
                officer_of(world, "PAD1", ("group_secretariat",))):
        refused(lambda w=who: open_round(world, w), "judging.run", NotAuthorised)
    world.form_group(ROOT, year=YEAR, kind="provincial_cluster", code="CX", name="Cụm X",
                     members=["PA", "PB"])
    refused(lambda: world.open_judging(officer_of(world, "PA"),
                                       group_id=str(group_id(YEAR, "provincial_cluster", "CX")),
                                       year=YEAR, meeting_date="2026-12-18", place="x",
                                       present=["PA", "PB"]), "judging.run", NotAuthorised)
    opened = open_round(world, officer_of(world, "PA", ("unit_head",))).view
    assert opened["places"] == {"commendation": 1}
    jid = opened["id"]
    refused(lambda: world.judging_candidate(officer_of(world, "PA"), jid, unit_code="PAD1",
                                            title="flag"), "known_title")
    refused(lambda: world.judging_candidate(officer_of(world, "PB"), jid, unit_code="PAD1",
                                            title="commendation"), "judging.run", NotAuthorised)
    world.judging_candidate(officer_of(world, "PA"), jid, unit_code="PAD2",
                            title="commendation")
    refused(lambda: world.cast_judging_ballot(officer_of(world, "PBD1"), jid,
                                              title="commendation", marks=["PAD2"]),
            "voter_is_member", NotAuthorised)
    for m in PAC1:
        world.cast_judging_ballot(officer_of(world, m), jid, title="commendation",
                                  marks=["PAD2"])
    declared = world.declare_judging(officer_of(world, "PA"), jid).view
    assert declared["proposals"] == [{"title": "commendation", "unit_code": "PAD2",
                                      "round": 1, "votes": 5}]
    # the sector's standing office may run it too, as any group's
    assert open_round(world, ROOT, 2, PAC2).view["places"] == {"commendation": 1}


def test_the_provinces_decision_awards_its_own_clusters_proposals(world):
    judge_cluster(world, "PA", 1, PAC1, "PAD1")
    judge_cluster(world, "PA", 2, PAC2, "PAD6")
    judge_cluster(world, "PB", 1, ["PBD1", "PBD2", "PBD3"], "PBD1")
    run_pa_year(world)  # PAD1 and PAD5 proposed excellent; PAD6 good
    error = refused(decide(world, titles=[{"unit_code": "PBD1", "title": "commendation"}]),
                    "title_proposed")
    assert "PBC1, a district cluster of PB" in str(error) and "titles[0]" in error.errors
    refused(decide(world, titles=[{"unit_code": "PAD6", "title": "commendation"}]),
            "title_level")
    refused(decide(world, titles=[{"unit_code": "PAD2", "title": "commendation"}]),
            "title_proposed")
    refused(decide(world, titles=[{"unit_code": "PAD1", "title": "flag"}]), "title_proposed")
    error = refused(decide(world, titles=[{"unit_code": "XX9", "title": "commendation"}]),
                    "unit_in_cycle")
    assert str(error) == "XX9 is not in the table of PA's 2026 evaluation of its district offices."
    done = decide(world, outstanding=["PAD1"],
                  titles=[{"unit_code": "PAD1", "title": "commendation"}])().view
    assert done["titles"] == [{"unit_code": "PAD1", "title": "commendation"}]
    decision = world.district_cycle(YEAR, "PA").decision
    assert [(t["code"], t["title_name"], t["group_code"]) for t in decision["titles"]] == [
        ("PAD1", "Giấy khen của Giám đốc BHXH tỉnh", "PAC1")]
    assert {(p["code"], p["outcome"]) for p in decision["proposals"]} == {
        ("PAD1", "awarded"), ("PAD6", "not_awarded")}
    # no further round once the decision its proposals go to is recorded
    error = refused(lambda: open_round(world, officer_of(world, "PA"), 2, PAC2),
                    "judging_before_decision")
    assert str(error).startswith("The decision of PA's 2026 evaluation of its district offices")
    # PB's decision rules on PB's cluster only: PA's proposal is not its to award
    pb = officer_of(world, "PB")
    world.close_district_cycle(pb, year=YEAR, province_code="PB")
    world.begin_district_review(pb, year=YEAR, province_code="PB", meeting_date="2027-01-15")
    error = refused(decide(world, "PB", titles=[{"unit_code": "PAD1",
                                                 "title": "commendation"}]), "title_proposed")
    assert "PAC1, a district cluster of PA" in str(error)
    done = decide(world, "PB", titles=[])().view
    assert done["titles"] == []
    assert [(p["code"], p["outcome"]) for p in
            world.district_cycle(YEAR, "PB").decision["proposals"]] == [("PBD1", "not_awarded")]


def test_a_title_proposed_for_another_decision_is_refused_naming_it():
    ours = [{"judging_id": "j1", "group_code": "C1", "unit_id": "u1", "code": "P01",
             "title": "flag", "levels": []}]
    theirs = [{"judging_id": "j2", "group_code": "P40C1", "unit_id": "u2", "code": "P40D01",
               "title": "commendation", "levels": [], "province_code": "P40"}]
    asked: list[int] = []

    def elsewhere() -> list[dict[str, Any]]:
        asked.append(1)
        return theirs

    given = [{"unit_code": "P01", "title": "flag"}]
    out = award_titles(year=YEAR, given=given, proposals=ours, levels={"P01": "excellent"},
                       elsewhere=elsewhere)
    assert [t["code"] for t in out["titles"]] == ["P01"] and asked == []  # not asked
    error = refused(lambda: award_titles(
        year=YEAR, given=[{"unit_code": "P40D01", "title": "commendation"}], proposals=ours,
        levels={"P01": "excellent"}, elsewhere=elsewhere), "title_proposed")
    assert "P40C1, a district cluster of P40" in str(error) and "P40's decision" in str(error)
    sector = [{**ours[0], "province_code": None}]
    error = refused(lambda: award_titles(
        year=YEAR, given=given, proposals=theirs, levels={"P40D01": "excellent"},
        elsewhere=lambda: sector), "title_proposed")
    assert "the council's decision" in str(error)


def test_a_national_decision_never_awards_a_district_clusters_proposal(world):
    province_with_offices(world, "PC", 1)
    judge_cluster(world, "PA", 1, PAC1, "PAD1")
    world.publish_ruleset(ROOT, content=sample_ruleset())
    world.open_cycle(ROOT, year=YEAR, ruleset_code="QD1779", units=["PA", "PB", "PC"],
                     monitoring=[], organisation_scoring=[])
    world.close_cycle(ROOT, year=YEAR)
    world.begin_review(ROOT, year=YEAR, meeting_date="2027-01-20")

    def national(titles: list[dict[str, str]]) -> Any:
        return lambda: world.record_decision(ROOT, year=YEAR, number="125/QĐ-BHXH",
                                             signed_on="2027-02-05", signer="Tổng Giám đốc",
                                             outstanding=[], titles=titles)

    error = refused(national([{"unit_code": "PAD1", "title": "commendation"}]),
                    "title_proposed")
    assert "PA's decision on its district offices" in str(error)
    national([])()
    # ruled on nothing of the district clusters: their proposals wait for their province
    assert world.cycle(YEAR).decision["proposals"] == []
