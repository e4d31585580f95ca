"""A score sheet has one shape: what a write answers (PUT /evaluation/sheets and every step)
is what the read answers (GET /evaluation/sheets/<id>) once the view has caught up, field by
field, every revision with its returns and hands; and the OpenAPI document says so with
nested schemas, not free dictionaries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.kernel.actor import Actor

YEAR = 2024
OFFICE = Actor(user_id="test:shape", user_name="shape", roles=("admin", "standing_office"),
               unit_id=None, source="test")
RULESET = {
    "code": "SHAPE", "name": "Bộ tiêu chí thử", "total_points": "100",
    "criteria": [{"code": "C1", "group": "I", "name": "Chuyên môn", "kind": "base",
                  "max": "70"},
                 {"code": "C2", "group": "I", "name": "Điều hành", "kind": "base", "max": "30"},
                 {"code": "M1", "group": "II", "name": "Vi phạm", "kind": "minus", "max": "5"}],
    "levels": [{"code": "excellent", "name": "Xuất sắc", "min": "90"},
               {"code": "weak", "name": "Chưa đạt", "min": "0"}],
    "legal_basis": [{"number": "02/QĐ-THU", "date": "2024-01-02", "title": "Thử"}],
}
OFFICER, LEADER = "o.btdkt", "lead.btdkt"
ONLY_READ = {"moves", "updated_at"}  # the view keeps every move; the write answers its own


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    return body  # type: ignore[no-any-return]


def same_as_read(api: Any, written: dict[str, Any]) -> dict[str, Any]:
    read = ok(api.get(f"/evaluation/sheets/{written['id']}"))
    answered = {k: v for k, v in written.items() if k != "position"}
    assert set(read) - set(answered) == ONLY_READ
    for key, value in answered.items():
        assert read[key] == value, (key, value, read[key])
    return read


def test_every_write_answers_the_sheet_as_the_read_shows_it(api):
    app = api.services.app
    moments = iter(datetime(2024, 12, 20, 3, 0, s, 123456 * (s % 2), tzinfo=UTC)
                   for s in range(60))
    app.clock = lambda: next(moments)
    app.register_unit(OFFICE, code="BTDKT", name="Ban Thi đua thử", level="central",
                      parent_code=None, effective="2020-01-01")
    api.user(OFFICER, ["officer"], "BTDKT")
    api.user(LEADER, ["leader"], "VTDKT", assigned=["BTDKT"])
    ok(api.post("/evaluation/rulesets", json={"content": RULESET}), 201)
    ok(api.post("/evaluation/cycles", json={
        "year": YEAR, "ruleset_code": "SHAPE", "units": ["BTDKT", "VTDKT"],
        "monitoring": [], "organisation_scoring": []}), 201)

    def write(scores: dict[str, str]) -> dict[str, Any]:
        return ok(api.put("/evaluation/sheets", OFFICER, json={
            "year": YEAR, "kind": "self", "subject_code": "BTDKT", "scores": scores}))

    def step(name: str, who: str, **body: Any) -> dict[str, Any]:
        return ok(api.post(f"/evaluation/sheets/{sid}/{name}", who, json=body))

    first = write({"C1": "60"})
    sid = first["id"]
    same_as_read(api, first)
    same_as_read(api, write({"C1": "65", "C2": "28.5", "M1": "1"}))
    same_as_read(api, step("submit", OFFICER))
    back = step("return", "admin", reason="Thiếu minh chứng tiêu chí C2.")
    assert back["revisions"][0]["returns"][0]["reason"] == "Thiếu minh chứng tiêu chí C2."
    same_as_read(api, back)
    same_as_read(api, write({"C1": "66", "C2": "28.5", "M1": "1"}))
    same_as_read(api, step("submit", OFFICER))
    same_as_read(api, step("approve", LEADER))
    sent = step("send", OFFICER)
    assert (sent["sent_revision"], sent["sent_total"]) == (1, "93.50")
    same_as_read(api, sent)
    same_as_read(api, step("corrections", OFFICER, reason="Cập nhật số liệu quý IV."))
    read = same_as_read(api, write({"C1": "67", "C2": "28.5", "M1": "0"}))

    one, two = read["revisions"]
    assert one["written_by"] and one["submitters"] and two["corrected_by"]
    assert len(one["returns"]) == 1 and "returned" not in one
    assert two["reason"] == "Cập nhật số liệu quý IV." and two["state"] == "draft"
    assert read["ruleset"] == {"code": "SHAPE", "version": 1}
    assert [m["step"] for m in read["moves"]][-2:] == ["correction_opened", "written"]


def test_the_openapi_document_describes_a_sheet_field_by_field(api):
    schemas = api.get("/openapi.json").get_json()["components"]["schemas"]

    def ref(prop: dict[str, Any]) -> str:
        target = prop.get("items", prop)
        return str(target.get("$ref", "")).rsplit("/", 1)[-1]

    for answer in ("SheetWritten", "SheetDetail"):
        props = schemas[answer]["properties"]
        assert ref(props["revisions"]) == "SheetRevision", props["revisions"]
        assert ref(props["ruleset"]) == "SheetRuleSet"
    assert ref(schemas["SheetDetail"]["properties"]["moves"]) == "SheetMove"
    revision = schemas["SheetRevision"]["properties"]
    assert ref(revision["returns"]) == "SheetReturn"
    assert {"revision", "state", "scores", "total", "level", "late", "reason", "submitted_by",
            "approved_by", "started_at", "submitted_at", "sent_at", "written_by",
            "submitters", "corrected_by"} <= set(revision)
    assert set(schemas["SheetReturn"]["properties"]) == {"reason", "by", "at"}
    assert {"position", "revision", "step", "at", "user_id", "user_name", "role",
            "reason"} == set(schemas["SheetMove"]["properties"])
