"""Separation of duties on score sheets: nobody who wrote, submitted or corrected a revision
of a sheet approves or returns it (the ScoreSheet aggregate's check_not_party); the cycle's
rule set can narrow it back to "not the submitter" (docs/decisions.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support.evaluation import (
    RULES,
    YEAR,
    build_organisation,
    officer,
    open_cycle,
    scores_for,
)

DUAL = "dual.bthu"  # BTHU's officer, and also a leader in charge of BTHU


@pytest.fixture
def year(api):
    api.services.app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    build_organisation(api)
    open_cycle(api)
    api.user(DUAL, ["officer", "leader"], "BTHU", assigned=["BTHU"])
    return api


def write(api: Any, who: str, year: int = YEAR, salt: str = "") -> dict[str, Any]:
    r = api.put("/evaluation/sheets", who, json={
        "year": year, "kind": "self", "subject_code": "BTHU",
        "scores": scores_for("self", "BTHU", "BTHU", salt)})
    assert r.status_code == 200, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def step(api: Any, sid: str, name: str, who: str, status: int = 200,
         **json: Any) -> dict[str, Any]:
    r = api.post(f"/evaluation/sheets/{sid}/{name}", who, json=json)
    body = r.get_json()
    assert r.status_code == status, body
    return body  # type: ignore[no-any-return]


def refused(api: Any, sid: str, name: str, who: str, rule: str, field: str,
            **json: Any) -> None:
    """Refused naming the rule and the field; nothing is written."""
    head = api.services.runner.head()
    state = api.services.app.sheet(sid).current["state"]
    body = step(api, sid, name, who, 422, **json)
    assert body["rule"] == rule and field in body["errors"], body
    assert "nobody who wrote, submitted or corrected" in body["message"], body
    assert api.services.runner.head() == head, "a refused step wrote an event"
    assert api.services.app.sheet(sid).current["state"] == state


def test_the_writer_cannot_approve_what_a_colleague_submitted(year):
    api = year
    sid = write(api, DUAL)["id"]
    step(api, sid, "submit", officer("BTHU"))
    refused(api, sid, "approve", DUAL, "approver_not_writer", "approver")
    approved = step(api, sid, "approve", "leader2")
    assert approved["state"] == "approved"
    revision = approved["revisions"][0]
    ids = {name: str(api.services.app.user(name).id) for name in (DUAL, officer("BTHU"))}
    assert revision["written_by"] == [ids[DUAL]] and revision["submitters"] == [
        ids[officer("BTHU")]]


def test_one_who_wrote_a_returned_revision_cannot_approve_its_resubmission(year):
    """The hands stay with the sheet: a later writer or submitter does not wash them."""
    api = year
    sid = write(api, DUAL)["id"]
    step(api, sid, "submit", officer("BTHU"))
    step(api, sid, "return", "leader2", reason="Thiếu minh chứng tiêu chí C02.")
    write(api, officer("BTHU"), salt="2")
    step(api, sid, "submit", officer("BTHU"))
    refused(api, sid, "approve", DUAL, "approver_not_writer", "approver")
    assert step(api, sid, "approve", "leader2")["state"] == "approved"


def test_the_one_who_opened_a_correction_cannot_approve_it(year):
    api = year
    sid = write(api, officer("BTHU"))["id"]
    step(api, sid, "submit", officer("BTHU"))
    step(api, sid, "approve", "leader2")
    step(api, sid, "send", officer("BTHU"))
    step(api, sid, "corrections", DUAL, reason="Cập nhật số liệu quý IV.")
    write(api, officer("BTHU"), salt="2")
    step(api, sid, "submit", officer("BTHU"))
    refused(api, sid, "approve", DUAL, "approver_not_corrector", "approver")
    assert step(api, sid, "approve", "leader2")["state"] == "approved"


def test_the_writer_cannot_return_their_own_sheet(year):
    """A return is a reviewer's finding; the one who wrote the sheet is no reviewer of it,
    as leader in charge or as standing office."""
    api = year
    api.user("so.bthu", ["officer", "standing_office"], "BTHU")
    for writer in (DUAL, "so.bthu"):
        sid = write(api, writer)["id"]
        step(api, sid, "submit", officer("BTHU"))
        refused(api, sid, "return", writer, "returner_not_writer", "returner",
                reason="Tự trả lại.")
        step(api, sid, "return", "leader2", reason="Thiếu minh chứng tiêu chí C02.")
        write(api, officer("BTHU"), salt=writer)  # the next round starts from the return


def test_a_cycle_can_keep_only_the_submitter_rule(year):
    """The letters are silent: a rule set may switch the wider rule off; the approver is
    still never the submitter of the revision."""
    api = year
    content = {**RULES, "code": "QD1779N",
               "separation_of_duties": {"approve": False, "return": False}}
    r = api.post("/evaluation/rulesets", json={"content": content, "note": "Thử nghiệm"})
    assert r.status_code == 201, r.get_json()
    published = api.get("/evaluation/rulesets/QD1779N").get_json()
    assert published["content"]["separation_of_duties"] == {"approve": False,
                                                            "return": False}, published
    r = api.post("/evaluation/cycles", json={
        "year": YEAR + 1, "ruleset_code": "QD1779N", "units": ["BTHU", "P01"],
        "monitoring": [], "organisation_scoring": []})
    assert r.status_code == 201, r.get_json()
    sid = write(api, DUAL, YEAR + 1)["id"]
    step(api, sid, "submit", officer("BTHU"))
    assert step(api, sid, "approve", DUAL)["state"] == "approved"
    # and the default year keeps the rule
    sid = write(api, DUAL)["id"]
    step(api, sid, "submit", officer("BTHU"))
    refused(api, sid, "approve", DUAL, "approver_not_writer", "approver")


@pytest.mark.parametrize("bad", [{"approve": "no"}, {"approve": True, "send": False}, [True],
                                 "off"])
def test_a_malformed_separation_setting_is_refused(year, bad):
    api = year
    head = api.services.runner.head()
    r = api.post("/evaluation/rulesets", json={
        "content": {**RULES, "code": "QD1779X", "separation_of_duties": bad}, "note": "x"})
    body = r.get_json()
    assert r.status_code == 422 and body["rule"] == "separation_format", body
    assert "separation_of_duties" in body["errors"], body
    assert api.services.runner.head() == head
