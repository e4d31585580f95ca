"""The bench's deadline day (bench/deadline.py) on a generated year of one province: the
cycle it opens expects as many sheets as the generated year's, and every one of them goes
through write, submit, the leader's approval where needed, and send, without a refusal."""

from __future__ import annotations

from typing import Any

from bench.deadline import deadline_setup, one_sheet
from bench.load import Client
from tests.support.core import Api
from web.bootstrap import Services


class InProcess(Client):
    """bench.load.Client's calls, sent to the Flask test client instead of a server."""

    def __init__(self, flask_client: Any) -> None:
        super().__init__("")
        self.flask = flask_client
        self.paths: list[str] = []

    def call(self, method: str, path: str, body: Any, token: str) -> dict[str, Any] | None:
        r = self.flask.open(path, method=method, json=body,
                            headers={"Authorization": f"Bearer {token}"})
        self.paths.append(path.rsplit("/", 1)[-1])
        if r.status_code >= 300:
            self.failures.append(r.status_code)
            return None
        return dict(r.get_json())


def test_every_sheet_of_the_year_is_sent(year_api: Api, client: Any,
                                         services: Services) -> None:
    setup = deadline_setup(services.app, 2024)
    assert setup["sheets"] == setup["like_year_sheets"] > 0
    c = InProcess(client)
    for item in setup["work"]:
        one_sheet(c, item)
    assert c.failures == []
    assert c.paths.count("send") == setup["sheets"]
    assert 0 < c.paths.count("approve") < setup["sheets"]  # the central units' sheets only
    cycle = services.app.cycle(setup["year"])
    assert cycle.first_sent
