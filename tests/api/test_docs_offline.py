"""/docs works on a closed network: the page and everything it loads come from this server
(a pinned copy of Swagger UI), and nothing is sent to an online validator."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.found.append(value)


def test_docs_load_only_from_this_server(client: Any):
    page = client.get("/docs")  # no token: the docs are public
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    refs = References()
    refs.feed(html)
    assert refs.found, "the page loads its scripts and styles"
    for ref in refs.found:
        assert ref.startswith("/") and not ref.startswith("//"), f"{ref} is not on this server"
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        assert len(asset.get_data()) > 1000, ref
    assert {r.rsplit("/", 1)[-1] for r in refs.found} >= {"swagger-ui-bundle.js",
                                                          "swagger-ui.css"}
    # no absolute URL anywhere in the page but the spec's own, and no validator badge
    assert not re.findall(r"https?://", html), re.findall(r"https?://\S+", html)
    assert '"validatorUrl": null' in html
    assert client.get("/openapi.json").status_code == 200


def test_only_the_pages_files_are_served(client: Any):
    assert client.get("/docs/assets/VERSION").get_data(as_text=True).startswith("v5.")
    for name in ("../__init__.py", "..%2F__init__.py", "LICENSE", "nothing.js"):
        r = client.get(f"/docs/assets/{name}")
        assert r.status_code == 404 and r.is_json, name
