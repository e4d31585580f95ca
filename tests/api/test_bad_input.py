"""Hostile or broken requests: each a clear 4xx with a JSON body, and nothing written."""

import pytest

VALID = {"code": "P01", "name": "BHXH tỉnh A", "level": "province", "effective": "2020-01-01"}


@pytest.fixture
def head(api):
    return lambda: api.services.runner.head()


def check(r, status):
    assert r.status_code == status, (r.status_code, r.get_data()[:300])
    body = r.get_json()
    assert body["code"] == status and body["message"]
    return body


def test_oversized_body(api, head):
    before = head()
    big = b'{"code": "P01", "name": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    check(api.post("/units", data=big, headers={"Content-Type": "application/json"}), 413)
    assert head() == before


def test_deeply_nested_json(api, head):
    before = head()
    deep = b"[" * 100_000 + b"]" * 100_000
    body = check(api.post("/units", data=deep, headers={"Content-Type": "application/json"}),
                 400)
    assert "nested" in body["message"]
    assert head() == before


def test_wrong_content_type(api, head):
    before = head()
    body = check(api.post("/units", data="code=P01", headers={"Content-Type": "text/plain"}),
                 415)
    assert "application/json" in body["message"]
    assert head() == before


def test_invalid_utf8(api, head):
    before = head()
    raw = b'{"code": "P01", "name": "\xff\xfe", "level": "province", "effective": "2020-01-01"}'
    check(api.post("/units", data=raw, headers={"Content-Type": "application/json"}), 400)
    assert head() == before


def test_dates_out_of_range(api, head):
    before = head()
    for value in ("9999-12-31", "0001-01-01", "2020-02-30", "tomorrow"):
        body = check(api.post("/units", json={**VALID, "effective": value}), 422)
        assert "effective" in body["errors"]
    assert head() == before


def test_huge_page_sizes_and_pages(api):
    assert "page_size" in check(api.get("/units?page_size=10000000"), 422)["errors"]
    assert "page" in check(api.get("/units?page=0"), 422)["errors"]
    assert "page" in check(api.get("/units?page=99999999999"), 422)["errors"]


def test_the_page_limit_is_the_setting(api):
    """THIDUA_MAX_PAGE_SIZE bounds every list: 500 unless configured, and what is configured."""
    assert api.get("/units?page_size=500").status_code == 200
    body = check(api.get("/units?page_size=501"), 422)
    assert "at most 500" in body["errors"]["page_size"][0]
    object.__setattr__(api.services.settings, "max_page_size", 3)
    assert api.get("/units?page_size=3").status_code == 200
    for path in ("/units", "/audit/denied", "/groups?year=2024"):
        body = check(api.get(f"{path}{'&' if '?' in path else '?'}page_size=4"), 422)
        assert "at most 3" in body["errors"]["page_size"][0], path


def test_unknown_routes_and_methods_are_json(api):
    check(api.get("/nothing-here"), 404)
    check(api.call("patch", "/units", "admin", json={}), 405)


def test_strings_too_long_or_empty(api, head):
    before = head()
    check(api.post("/units", json={**VALID, "name": "x" * 301}), 422)
    check(api.post("/units", json={**VALID, "name": "   "}), 422)
    check(api.post("/units", json={**VALID, "code": ""}), 422)
    assert head() == before
