"""Every read asks the rights table: each GET route's function carries ``@may(act)``
(web/extensions/auth.py), and a user whose roles were all revoked reads nothing, refused
before the query is even read. The walk covers every GET route of the app's own url_map, so
a read added later that forgets to ask fails here."""

from __future__ import annotations

import re
import uuid
from typing import Any

from domain.kernel.rights import RIGHTS
from tests.support.core import ROOT
from web.extensions.auth import PUBLIC_ENDPOINTS, right_of

# Values for the routes' path arguments, by name: a new name must be added here (the test
# says so) rather than skipped. None need exist: the right is asked before anything is read.
PATH_VALUES: dict[str, Any] = {
    "year": 2024, "code": "P01", "username": "nobody", "role": "officer",
    "group_id": uuid.uuid4(), "election_id": uuid.uuid4(), "covenant_id": uuid.uuid4(),
    "sheet_id": uuid.uuid4(), "record_id": uuid.uuid4(), "token_id": uuid.uuid4(),
    "nomination_id": uuid.uuid4(), "finding_no": 1, "rid": uuid.uuid4(),
    "province_code": "P01",
    "judging_id": uuid.uuid4(), "plan_id": uuid.uuid4(), "version": 1,
}
# Values for the required query parameters of the OpenAPI document, by name.
QUERY_VALUES: dict[str, str] = {"as_of": "1", "year": "2024", "province": "P01"}
OPEN = {"/health", "/health/ready", "/openapi.json", "/docs"}


def openapi_path(rule: Any) -> str:
    """/cycles/<int:year>/table -> /cycles/{year}/table, as the OpenAPI document names it."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def required_query(spec: dict[str, Any], path: str) -> dict[str, str]:
    operation = spec["paths"].get(path, {}).get("get", {})
    names = [p["name"] for p in operation.get("parameters", [])
             if p.get("in") == "query" and p.get("required")]
    missing = [n for n in names if n not in QUERY_VALUES]
    assert not missing, f"{path}: add a value for the query parameter(s) {missing}"
    return {n: QUERY_VALUES[n] for n in names}


def get_routes(flask_app: Any) -> list[Any]:
    return [rule for rule in flask_app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and rule.endpoint not in PUBLIC_ENDPOINTS]


def view_of(flask_app: Any, rule: Any) -> Any:
    """The function that answers GET on the rule: a MethodView's ``get``, or the view."""
    view = flask_app.view_functions[rule.endpoint]
    cls = getattr(view, "view_class", None)
    return view if cls is None else cls.get


def test_every_read_route_names_its_right_with_the_decorator(flask_app):
    routes = get_routes(flask_app)
    rights = {rule.rule: right_of(view_of(flask_app, rule)) for rule in routes}
    missing = sorted(path for path, right in rights.items() if right is None)
    assert not missing, f"GET routes without @may(act): {missing}"
    wrong = {path: right for path, right in rights.items()
             if right not in RIGHTS or not str(right).endswith((".read", ".export"))}
    assert not wrong, f"a read asks a read right of the rights table: {wrong}"
    # the open endpoints ask none: they are not reads of the record
    assert all(right_of(flask_app.view_functions[e]) is None for e in PUBLIC_ENDPOINTS
               if e in flask_app.view_functions)


def test_a_user_without_roles_reads_nothing(api, flask_app):
    app = api.services.app
    app.register_unit(ROOT, code="P01", name="BHXH tỉnh A", level="province",
                      parent_code=None, effective="2020-01-01")
    api.user("nobody", ["officer"], "P01")
    revoked = api.delete("/users/nobody/roles/officer?reason=Chuyển công tác")
    assert revoked.status_code == 200 and revoked.get_json()["roles"] == [], revoked.get_json()
    spec = api.client.get("/openapi.json").get_json()
    routes = get_routes(flask_app)
    # the walk is not vacuous: every area's reads are in it
    prefixes = {r.rule.split("/")[1] for r in routes}
    assert {"units", "groups", "district-partitions", "membership-lists", "users", "tokens",
            "elections", "covenants", "evaluation", "district-evaluation", "audit",
            "judgings", "judging-rules", "judging-proposals", "group-plans"} <= prefixes, prefixes
    assert len(routes) >= 40, len(routes)
    assert not {r.rule for r in routes} & OPEN, "the open endpoints are not walked"
    refused = []
    for rule in routes:
        unknown = [a for a in rule.arguments if a not in PATH_VALUES]
        assert not unknown, f"{rule.rule}: add a value for the path argument(s) {unknown}"
        path = rule.build({a: PATH_VALUES[a] for a in rule.arguments}, append_unknown=False)[1]
        query = required_query(spec, openapi_path(rule))
        r = api.client.get(path, query_string=query, headers=api.headers("nobody"))
        body = r.get_json(silent=True) or {}
        assert r.status_code == 403, (rule.rule, r.status_code, body)
        assert body["rule"] == right_of(view_of(flask_app, rule)), (rule.rule, body)
        assert "you hold no role" in body["message"], (rule.rule, body)
        # the right is asked first: a query no read accepts is not even looked at
        r = api.client.get(path, query_string={**query, "page_size": "x", "unknown": "1"},
                           headers=api.headers("nobody"))
        assert r.status_code == 403, (rule.rule, r.status_code, r.get_json(silent=True))
        refused.append(rule.rule)
    assert len(refused) == len(routes)
    # the open endpoints stay open, and the same token with a role reads again
    for path in ("/health", "/openapi.json"):
        assert api.client.get(path).status_code == 200
    api.post("/users/nobody/roles", json={"role": "officer"})
    r = api.client.get("/units", headers=api.headers("nobody"))
    assert r.status_code == 200, r.get_json()

