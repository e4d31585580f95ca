"""What the HTTP ingest measurement submits: a fresh evaluation cycle, and for each of the
first `count` expected sheets its scorer's token and a complete, valid body."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from domain.kernel.actor import Actor
from domain.organisation.units import unit_id
from domain.sample import organisation as sample_org
from domain.sample.evaluation import open_sample_cycle
from domain.sample.loader import form_sample_groups

OPERATOR = Actor(user_id="bench:operator", user_name="bench", roles=("admin", "standing_office"),
                 unit_id=None, source="bench")


def ingest_setup(app: Any, count: int, *, seed: int = 3) -> list[dict[str, Any]]:
    """Open the cycle of the year after the last one in the store and prepare `count` sheet
    submissions (spread over scorers), each with its scorer's bearer token."""
    year = next_year(app)
    form_groups(app, year)
    open_sample_cycle(app, OPERATOR, year=year, criteria=20)
    cycle = app.cycle(year)
    rules = cycle.rules["criteria"]
    rnd = random.Random(seed)
    pairs = [p for p in cycle.pairs() if p[0] != "self"]
    rnd.shuffle(pairs)
    tokens: dict[str, str] = {}
    work = []
    for kind, scorer_id, subject_id in pairs[:count]:
        scorer, subject = cycle.code_of(scorer_id), cycle.code_of(subject_id)
        if scorer not in tokens:
            username = f"bench.{scorer.lower()}.{year}"
            app.register_user(OPERATOR, username=username, full_name=f"Cán bộ {scorer}",
                              roles=["officer"], unit_code=scorer)
            tokens[scorer] = app.issue_token(OPERATOR, username, label="bench").view["secret"]
        scores = {}
        for c in rules:
            top = Decimal(c["max"])
            value = (top * rnd.randint(60, 100) / 100 * 2).to_integral_value() / 2
            scores[c["code"]] = str(min(value, top)) if c.get("kind", "base") == "base" else "0"
        work.append({"token": tokens[scorer], "unit": scorer,
                     "body": {"year": year, "kind": kind, "subject_code": subject,
                              "scores": scores}})
    return work


def form_groups(app: Any, year: int) -> None:
    """The year's blocks and provincial clusters, as the sample has them, if not yet formed."""
    provinces = {code for code, _, _ in sample_org.PROVINCES if app.exists(unit_id(code))}
    form_sample_groups(app, OPERATOR, year=year, provinces=provinces)


def next_year(app: Any) -> int:
    """The first year from this one on without a cycle (so its deadline is still ahead)."""
    year = app.now().year
    while cycle_exists(app, year):
        year += 1
    return year


def cycle_exists(app: Any, year: int) -> bool:
    from domain.evaluation.cycle import EvaluationCycle

    return bool(app.exists(EvaluationCycle.create_id(year)))


def one_submission(client: Any, item: dict[str, Any]) -> None:
    """What the ingest measures, thidua's and the floor's alike: write the sheet, submit it."""
    written = client.call("PUT", "/evaluation/sheets", item["body"], item["token"])
    if written is not None:
        client.call("POST", f"/evaluation/sheets/{written['id']}/submit", {}, item["token"])
