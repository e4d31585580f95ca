"""What the district evaluation's tests share: scores against the sample district rule set,
and small provinces with their district offices and clusters (on any Thidua)."""

from __future__ import annotations

from typing import Any

from domain.district.ruleset import sample_district_ruleset
from domain.organisation.groups import group_id
from domain.organisation.units import unit_id
from tests.support.core import ROOT
from tests.support.memory import officer_of

DISTRICT_RULES = sample_district_ruleset()
YEAR = 2026


def district_scores(**overrides: str) -> dict[str, str]:
    """Every criterion of the sample district rule set at its maximum (bonus and minus at
    0), with ``overrides``."""
    scores = {c["code"]: (c["max"] if c["kind"] == "base" else "0")
              for c in DISTRICT_RULES["criteria"]}
    scores.update(overrides)
    return scores


def province_with_offices(app: Any, code: str, offices: int,
                          clusters: list[list[int]] | None = None) -> list[str]:
    """Register province ``code`` and its offices ``<code>D1``… (from 2020) and publish its
    YEAR partition (``clusters``: office numbers per cluster; default one cluster of all).
    Returns the office codes."""
    app.register_unit(ROOT, code=code, name=f"BHXH tỉnh {code}", level="province",
                      parent_code=None, effective="2020-01-01")
    codes = [f"{code}D{i}" for i in range(1, offices + 1)]
    for c in codes:
        app.register_unit(ROOT, code=c, name=f"BHXH cơ sở {c}", level="district",
                          parent_code=code, effective="2020-01-01")
    parts = clusters or [list(range(1, offices + 1))]
    app.publish_partition(ROOT, year=YEAR, province_code=code, clusters=[
        {"code": f"{code}C{i + 1}", "name": f"Cụm {i + 1} - {code}",
         "members": [f"{code}D{n}" for n in part]} for i, part in enumerate(parts)])
    return codes


def cluster_id(province: str, number: int = 1, year: int = YEAR) -> str:
    return str(group_id(year, "district_cluster", f"{province}C{number}",
                        str(unit_id(province))))


def nghe_an_2026(app: Any) -> list[str]:
    """BHXH tỉnh Nghệ An (P40) as the 2026 structure has it: its twenty district offices of
    2024, merged in pairs into ten BHXH cơ sở from 30 September 2025 by the rows of the
    sample's decision 1500/QĐ-BHXH that concern it (recorded as one reorganisation); and
    BHXH tỉnh Hà Tĩnh (P42) with its offices, the province next door. Returns the codes of
    Nghệ An's ten BHXH cơ sở."""
    from domain.sample import organisation as org
    from domain.sample.years import decisions

    for province in ("P40", "P42"):
        name = next(n for c, n, _ in org.PROVINCES if c == province)
        app.register_unit(ROOT, code=province, name=name, level="province", parent_code=None,
                          effective=org.EFFECTIVE_FROM)
        for code, office in org.district_offices(province):
            app.register_unit(ROOT, code=code, name=office, level="district",
                              parent_code=province, effective=org.EFFECTIVE_FROM)
    co_so = decisions()[3]
    assert co_so["effective"] == "2025-09-30", co_so["number"]
    rows = [r for r in co_so["changes"] if r["code"].startswith("P40D")]
    app.reorganise(ROOT, number=co_so["number"], signed=co_so["signed"],
                   issuer=co_so["issuer"], basis=co_so["basis"],
                   effective=co_so["effective"], changes=rows)
    return sorted({r.get("into_code") or r["code"] for r in rows if r["change"] == "merge"})


# -- a province's district year on any Thidua: PA's ----------------------------------------------
def open_pa_cycle(app: Any, *, register: bool = True) -> None:
    """Two provinces: PA with ten offices in f(10) = 2 clusters (1–5, 6–10), PB with three
    (``register``: False when they are registered already); PA's rule set published and its
    YEAR cycle open with two comparable groups (1–4, 5–10)."""
    if register:
        province_with_offices(app, "PA", 10, [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
        province_with_offices(app, "PB", 3)
    pa = officer_of(app, "PA")
    app.publish_district_ruleset(pa, province_code="PA", content=DISTRICT_RULES)
    app.open_district_cycle(pa, year=YEAR, province_code="PA", ruleset_code="TCHUYEN",
                            comparable_groups=[
                                {"code": "N1", "name": "Quy mô lớn",
                                 "members": [f"PAD{i}" for i in range(1, 5)]},
                                {"code": "N2", "name": "Quy mô vừa",
                                 "members": [f"PAD{i}" for i in range(5, 11)]}])


def run_pa_year(app: Any) -> list[dict[str, Any]]:
    """PA's offices score themselves 100; the province scores PAD<i> 100 - i (T01 25 - i);
    PAD2 nominates PAD1 (same cluster), PA nominates PAD4; the head of PAD1's cluster sends
    its summary."""
    pa = officer_of(app, "PA")
    for i in range(1, 11):
        d = officer_of(app, f"PAD{i}")
        own = app.write_district_sheet(d, year=YEAR, province_code="PA", kind="self",
                                       subject_code=f"PAD{i}", scores=district_scores()).view
        app.submit_district_sheet(d, own["id"])
        app.send_district_sheet(d, own["id"])
        by = app.write_district_sheet(pa, year=YEAR, province_code="PA",
                                      kind="province_to_district", subject_code=f"PAD{i}",
                                      scores=district_scores(T01=str(25 - i))).view
        app.submit_district_sheet(pa, by["id"])
        app.send_district_sheet(pa, by["id"])
    app.nominate_district(officer_of(app, "PAD2"), year=YEAR, province_code="PA",
                          subject_code="PAD1", justification="Dẫn đầu cụm.")
    app.nominate_district(pa, year=YEAR, province_code="PA", subject_code="PAD4",
                          justification="Vượt kế hoạch thu.")
    elect(app, "PA", 1, [f"PAD{i}" for i in range(1, 6)], "PAD1")
    app.send_district_summary(officer_of(app, "PAD1", ("group_secretariat",)), year=YEAR,
                              group_id=cluster_id("PA", 1))
    app.close_district_cycle(pa, year=YEAR, province_code="PA")
    app.begin_district_review(pa, year=YEAR, province_code="PA", meeting_date="2027-01-15")
    return app.district_table(YEAR, "PA")


def elect(app: Any, province: str, number: int, members: list[str], head: str) -> None:
    """The province opens its district cluster's first election; the members elect ``head``."""
    eid = app.open_election(officer_of(app, province), group_id=cluster_id(province, number),
                            year=YEAR, meeting_date="2026-01-10", place="Hội trường",
                            present=members).view["id"]
    app.put_forward(officer_of(app, province), eid, unit_code=head, seat="head")
    for m in members:
        app.cast_ballot(officer_of(app, m), eid, seat="head", candidate_code=head)
    assert app.declare_result(officer_of(app, province), eid).view["outcome"] == "elected"


def district_year_to_decision(app: Any) -> list[dict[str, Any]]:
    """PA's year from its rule set to its director's decision (PAD1 outstanding); returns
    the decided levels."""
    open_pa_cycle(app)
    run_pa_year(app)
    return app.record_district_decision(  # type: ignore[no-any-return]
        officer_of(app, "PA", ("unit_head",)), year=YEAR, province_code="PA",
        number="45/QĐ-BHXH", signed_on="2027-01-25", signer="Giám đốc BHXH tỉnh PA",
        outstanding=["PAD1"]).view["levels"]


def judge_cluster(app: Any, province: str, number: int, members: list[str], proposed: str,
                  title: str = "commendation") -> str:
    """The province opens its district cluster's judging at the summary meeting (its
    organiser's right), puts ``proposed`` forward for ``title`` (by default the district
    clusters' title of the year's judging rules), every member marks it, the province
    declares: ``proposed`` is proposed. Returns the judging's id."""
    organiser = officer_of(app, province)
    jid = str(app.open_judging(organiser, group_id=cluster_id(province, number), year=YEAR,
                               meeting_date=f"{YEAR}-12-18", place="Hội trường",
                               present=members).view["id"])
    app.judging_candidate(organiser, jid, unit_code=proposed, title=title)
    for m in members:
        app.cast_judging_ballot(officer_of(app, m), jid, title=title, marks=[proposed])
    declared = app.declare_judging(organiser, jid).view
    assert declared["titles"][title]["proposed"] == [proposed], declared
    return jid
