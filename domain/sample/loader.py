"""Loads the SAMPLE organisation (domain/sample/organisation.py) through the real use cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.kernel.actor import Actor
from domain.sample import organisation as org


def load_sample(app: Any, actor: Actor, *, year: int | None = None,
                provinces: int | None = None,
                progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Register every unit, the year's blocks and clusters and each province's district
    partition. ``provinces`` limits how many provinces (for small test fixtures)."""
    year = year or org.SAMPLE_YEAR
    eff = org.EFFECTIVE_FROM
    say = progress or (lambda _msg: None)
    chosen = org.PROVINCES[:provinces] if provinces else org.PROVINCES
    chosen_codes = {code for code, _, _ in chosen}
    say("central units")
    for code, name in org.CENTRAL_UNITS:
        app.register_unit(actor, code=code, name=name, level="central", parent_code=None,
                          effective=eff)
    districts = 0
    for code, name, _count in chosen:
        say(f"{name}")
        app.register_unit(actor, code=code, name=name, level="province", parent_code=None,
                          effective=eff)
        for dcode, dname in org.district_offices(code):
            app.register_unit(actor, code=dcode, name=dname, level="district",
                              parent_code=code, effective=eff)
            districts += 1
    say("blocks and provincial clusters")
    form_sample_groups(app, actor, year=year, provinces=chosen_codes)
    say("district partitions")
    for code, name, _count in chosen:
        clusters = [{"code": f"{code}C{i + 1}", "name": f"Cụm thi đua cấp huyện số {i + 1} - "
                     f"{name}", "members": members}
                    for i, members in enumerate(org.district_partition(code))]
        app.publish_partition(actor, year=year, province_code=code, clusters=clusters)
    return {"central": len(org.CENTRAL_UNITS), "provinces": len(chosen), "districts": districts,
            "blocks": len(org.BLOCKS), "year": year}


def form_sample_groups(app: Any, actor: Actor, *, year: int, provinces: set[str]) -> int:
    """The sample's blocks and provincial clusters for ``year``, the clusters holding only the
    given provinces; groups the year already has are left as they are. Returns how many were
    formed."""
    formed = {g["code"] for g in app.group_year(year).groups.values()}
    count = 0
    for kind, groups in (("block", org.BLOCKS), ("provincial_cluster", org.PROVINCIAL_CLUSTERS)):
        for code, name, members in groups:
            kept = [m for m in members if kind == "block" or m in provinces]
            if kept and code not in formed:
                app.form_group(actor, year=year, kind=kind, code=code, name=name, members=kept)
                count += 1
    return count
