"""What the district evaluation's tests share: scores against the sample district rule set,
and small provinces with their district offices and clusters (on any Thidua)."""

from __future__ import annotations

from typing import Any

from domain.district.ruleset import sample_district_ruleset
from domain.organisation.groups import group_id
from domain.organisation.units import unit_id
from tests.support.core import ROOT

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
