"""Loads the SAMPLE organisation (domain/sample/organisation.py) through the real use cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.kernel.actor import Actor
from domain.sample import organisation as org


def load_sample(app: Any, actor: Actor, *, year: int | None = None,
                provinces: int | None = None,
                progress: Callable[[str], None] | None = None,
                groups: bool = True) -> dict[str, int]:
    """Register every unit, the year's blocks and clusters and each province's district
    partition (``groups=False``: the units only). ``provinces`` limits how many provinces
    (for small test fixtures)."""
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
    if not groups:
        return {"central": len(org.CENTRAL_UNITS), "provinces": len(chosen),
                "districts": districts, "blocks": 0, "year": year}
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


# -- the sample's later years: the 2025 reorganisation and the 2026 groups and cycle ------------

LATER_YEAR = 2026  # the year the sample's second world is formed and evaluated in


def record_decisions(app: Any, actor: Actor, *,
                     progress: Callable[[str], None] | None = None) -> int:
    """Record the sample's 2025 decisions (``data/*.json``), each as one decision; returns how
    many changes they carried."""
    from domain.sample.years import DECISION_FILES, decision_body, decisions

    say = progress or (lambda _msg: None)
    rows = 0
    for name, decision in zip(DECISION_FILES, decisions(), strict=True):
        say(f"decision {decision['number']} ({name})")
        body = decision_body(decision)
        if hasattr(app, "reorganise"):
            app.reorganise(actor, **body)
        else:
            _apply_rows(app, actor, body)
        rows += len(body["changes"])
    return rows


def _apply_rows(app: Any, actor: Actor, body: dict[str, Any]) -> None:
    """One change at a time through the single-unit use cases (the store has no
    reorganisation decision use case)."""
    eff = body["effective"]
    for row in body["changes"]:
        kind, code = row["change"], row["code"]
        if kind == "rename":
            app.rename_unit(actor, code, name=row["name"], effective=eff)
        elif kind == "move":
            app.move_unit(actor, code, parent_code=row["parent_code"], effective=eff)
        elif kind == "merge":
            app.merge_unit(actor, code, into_code=row["into_code"], effective=eff)
        elif kind == "dissolve":
            app.dissolve_unit(actor, code, effective=eff)
        else:
            raise ValueError(f"{kind}: the single-unit use cases cannot apply this change")


def form_year(app: Any, actor: Actor, *, year: int,
              progress: Callable[[str], None] | None = None) -> int:
    """Form the sample's groups of ``year`` on the units of that year (domain.sample.years);
    groups the year already has are left as they are. Returns how many were formed."""
    from domain.sample.years import groups_of_year

    say = progress or (lambda _msg: None)
    g = groups_of_year(year)
    formed = {x["code"] for x in app.group_year(year).groups.values()}
    count = 0
    say(f"{year}: blocks and provincial clusters")
    for kind, groups in (("block", g.blocks), ("provincial_cluster", g.provincial_clusters)):
        for code, name, members in groups:
            if code not in formed:
                app.form_group(actor, year=year, kind=kind, code=code, name=name,
                               members=members)
                count += 1
    say(f"{year}: district partitions")
    published = {x["province_id"] for x in app.group_year(year).groups.values()
                 if x["kind"] == "district_cluster"}
    from domain.organisation.units import unit_id

    for province, clusters in g.partitions.items():
        if str(unit_id(province)) not in published:
            app.publish_partition(actor, year=year, province_code=province, clusters=clusters)
            count += len(clusters)
    return count


# The meeting that elects the heads of the sample's 2026 groups: a summary meeting in December
# 2025 elects for the 2026 groups' own term (domain.md §7, 4268 A.I.1).
HEADS_MEETING = "2025-12-16"


def elect_heads(app: Any, actor: Actor, *, year: int, meeting_date: str,
                progress: Callable[[str], None] | None = None) -> int:
    """Elect a head and a deputy in every group of ``year``, every member present: by the
    sample's rotation, the first member in code order heads and the second deputises, each
    member unit casting its ballots (sample ballots, not a user's), the acts on the meeting's
    day. Returns the rounds."""
    from datetime import date, datetime, timedelta

    from domain.evaluation.cycle import VIETNAM

    if progress:
        progress(f"{year}: heads elected at the meeting of {meeting_date}")
    day = date.fromisoformat(meeting_date)
    at = datetime(day.year, day.month, day.day, 14, tzinfo=VIETNAM)
    had_clock = "clock" in vars(app)
    old_clock = vars(app).get("clock")
    tick = iter(range(10**9))
    app.clock = lambda: at + timedelta(seconds=next(tick))  # the acts of the meeting's day
    try:
        return _elect(app, actor, year=year, meeting_date=meeting_date)
    finally:
        if had_clock:
            app.clock = old_clock
        else:
            del app.clock


def _elect(app: Any, actor: Actor, *, year: int, meeting_date: str) -> int:
    from domain.organisation.units import unit_id

    rounds = 0
    for g in app.group_year(year).groups.values():
        codes = sorted(app.repository.get(m).code for m in g["members"])
        if not codes:
            continue
        e = app.open_election(actor, group_id=g["id"], year=year, meeting_date=meeting_date,
                              place=f"Hội nghị tổng kết - {g['name']}", present=codes,
                              term=year).view
        seats = [("head", codes[0])] + ([("deputy", codes[1])] if len(codes) > 1 else [])
        for seat, code in seats:
            app.put_forward(actor, e["id"], unit_code=code, seat=seat)
        for voter in codes:
            ballot = Actor(user_id=f"sample:{voter.lower()}", user_name=f"sample {voter}",
                           roles=("unit_head",), unit_id=str(unit_id(voter)), unit_code=voter,
                           source="sample")
            for seat, code in seats:
                app.cast_ballot(ballot, e["id"], seat=seat, candidate_code=code)
        app.declare_result(actor, e["id"])
        rounds += 1
    return rounds


def load_later_years(app: Any, actor: Actor, *,
                     progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """After ``load_sample`` (all provinces): the 2025 decisions, the 2026 groups and the
    2026 cycle open on them (deadline from the rule set: January 2027)."""
    from domain.sample.evaluation import open_sample_cycle

    changes = record_decisions(app, actor, progress=progress)
    groups = form_year(app, actor, year=LATER_YEAR, progress=progress)
    elected = elect_heads(app, actor, year=LATER_YEAR, meeting_date=HEADS_MEETING,
                          progress=progress)
    if progress:
        progress(f"{LATER_YEAR}: the evaluation cycle")
    cycle = open_sample_cycle(app, actor, year=LATER_YEAR)
    return {"changes": changes, "groups": groups, "elections": elected, "year": LATER_YEAR,
            "deadline": cycle["deadline"]}
