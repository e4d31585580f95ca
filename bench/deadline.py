"""The deadline day: every score sheet a national cycle expects, written, submitted, approved
by the leader in charge where the rules need it (a central unit's sheet) and sent, over HTTP.

The cycle is a fresh one (the first year without a cycle, as for the ingest), opened with the
generated year's rule set and who-scores-whom data over the same organisation, so it expects
every sheet the generated national year did; each scoring unit has an officer with a token,
and each central unit a leader in charge with one."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from bench.ingest import OPERATOR, form_groups, next_year
from bench.load import Client
from domain.evaluation.fields import scheme_of
from domain.evaluation.ruleset import RuleSet, sample_ruleset
from domain.evaluation.scoring import needs_leader_approval
from domain.sample.evaluation import CRITERIA, sample_cycle_setup

LEADERS = 5  # deputy general directors, each in charge of a share of the central units


def deadline_setup(app: Any, like: int, *, seed: int = 5) -> dict[str, Any]:
    """Open the next year's cycle as the generated year ``like``'s was opened, and prepare
    one item per sheet it expects: the body of its one complete write, its officer's token
    and, for a central scorer, its leader's token."""
    year = next_year(app)
    form_groups(app, year)
    content = sample_ruleset(CRITERIA)
    if not app.exists(RuleSet.create_id(content["code"])):
        app.publish_ruleset(OPERATOR, content=content, note="bench")
    app.open_cycle(OPERATOR, year=year, ruleset_code=content["code"], **sample_cycle_setup(like))
    cycle = app.cycle(year)
    rnd = random.Random(seed)
    pairs = list(cycle.pairs())
    rnd.shuffle(pairs)  # the units do not arrive in the order the cycle lists them
    scorers = sorted({cycle.code_of(s) for _, s, _ in pairs})
    central = sorted(cycle.code_of(uid) for uid, u in cycle.units.items()
                     if needs_leader_approval(str(u["level"])) and cycle.code_of(uid) in scorers)
    leader_of: dict[str, str] = {}
    for i in range(LEADERS):
        mine = central[i::LEADERS]
        if not mine:
            continue
        username = f"bench.leader{i + 1}.{year}"
        app.register_user(OPERATOR, username=username, full_name=f"Phó Tổng Giám đốc {i + 1}",
                          roles=["leader"], unit_code=None, assigned_unit_codes=mine)
        secret = app.issue_token(OPERATOR, username, label="bench").view["secret"]
        leader_of.update({c: secret for c in mine})
    tokens: dict[str, str] = {}
    for code in scorers:
        username = f"bench.dl.{code.lower()}.{year}"
        app.register_user(OPERATOR, username=username, full_name=f"Cán bộ {code}",
                          roles=["officer"], unit_code=code)
        tokens[code] = app.issue_token(OPERATOR, username, label="bench").view["secret"]
    work = []
    for kind, scorer_id, subject_id in pairs:
        scorer, subject = cycle.code_of(scorer_id), cycle.code_of(subject_id)
        criteria = scheme_of(cycle.rules, kind, scorer).get("criteria") or cycle.rules["criteria"]
        scores = {}
        for c in criteria:
            top = Decimal(c["max"])
            value = (top * rnd.randint(60, 100) / 100 * 2).to_integral_value() / 2
            scores[c["code"]] = str(min(value, top)) if c.get("kind", "base") == "base" else "0"
        work.append({"token": tokens[scorer], "leader": leader_of.get(scorer),
                     "body": {"year": year, "kind": kind, "subject_code": subject,
                              "scores": scores}})
    return {"year": year, "like_year": like, "like_year_sheets": len(app.cycle(like).pairs()),
            "criteria": len(cycle.rules["criteria"]), "sheets": len(work), "scorers": len(scorers),
            "central_scorers": len(central), "work": work}


def one_sheet(client: Client, item: dict[str, Any]) -> None:
    """Write, submit, approve (a central unit's), send: stops at the first refusal."""
    path = "/evaluation/sheets"
    written = client.call("PUT", path, item["body"], item["token"])
    if written is None:
        return
    sid = written["id"]
    if client.call("POST", f"{path}/{sid}/submit", {}, item["token"]) is None:
        return
    if written.get("needs_approval"):
        if item["leader"] is None:
            client.failures.append(0)  # the bench prepared no leader for it: a bench error
            return
        if client.call("POST", f"{path}/{sid}/approve", {}, item["leader"]) is None:
            return
    client.call("POST", f"{path}/{sid}/send", {}, item["token"])
