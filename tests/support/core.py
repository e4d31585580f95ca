"""The root actor, a database URL on another database of the same server, and the API
client with tokens per user and read-your-writes built in."""

from __future__ import annotations

from typing import Any

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from domain.kernel.actor import Actor
from web.bootstrap import Services

ROOT = Actor(user_id="test:root", user_name="root", roles=("admin", "standing_office"),
             unit_id=None, source="test")


def with_db(url: str, dbname: str) -> str:
    info = conninfo_to_dict(url)
    info["dbname"] = dbname
    return make_conninfo(**info)


class Api:
    """The Flask test client with tokens per user, and read-your-writes built in."""

    def __init__(self, client: Any, services: Services) -> None:
        self.client = client
        self.services = services
        self.tokens: dict[str, str] = {}
        self.last_position = 0

    def user(self, username: str, roles: list[str], unit_code: str | None = None,
             assigned: list[str] | None = None) -> str:
        app = self.services.app
        app.register_user(ROOT, username=username, full_name=username.title(), roles=roles,
                          unit_code=unit_code, assigned_unit_codes=assigned or [])
        issued = app.issue_token(ROOT, username, label="test")
        secret, position = issued.view["secret"], issued.position
        self.tokens[username] = secret
        self.last_position = max(self.last_position, position)
        return secret

    def headers(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    def call(self, method: str, path: str, who: str | None, **kwargs: Any) -> Any:
        response = getattr(self.client, method)(path, headers={**self.headers(who),
                                                               **kwargs.pop("headers", {})},
                                                **kwargs)
        body = response.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("position"), int):
            self.last_position = max(self.last_position, body["position"])
        return response

    def get(self, path: str, who: str | None = "admin", **kwargs: Any) -> Any:
        sep = "&" if "?" in path else "?"
        return self.call("get", f"{path}{sep}wait_for={self.last_position}", who, **kwargs)

    def post(self, path: str, who: str | None = "admin", **kwargs: Any) -> Any:
        return self.call("post", path, who, **kwargs)

    def put(self, path: str, who: str | None = "admin", **kwargs: Any) -> Any:
        return self.call("put", path, who, **kwargs)

    def delete(self, path: str, who: str | None = "admin", **kwargs: Any) -> Any:
        return self.call("delete", path, who, **kwargs)
