"""A record rebuilt as of a moment keeps its secrets as the audit trail keeps them: one
statement of what is secret (domain/kernel/redaction.py), read by both."""

from __future__ import annotations

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate
from domain.kernel.redaction import SECRET_FIELDS, secret_fields
from domain.users.accounts import ApiToken
from projections.audit_record import REDACTED_FIELDS, redacted
from tests.support.core import ROOT


def test_a_token_as_of_a_moment_shows_no_hash(api):
    app = api.services.app
    app.register_user(ROOT, username="kiem.toan", full_name="Kiểm toán viên",
                      roles=["auditor"], unit_code=None)
    issued = app.issue_token(ROOT, "kiem.toan", label="máy trạm")
    secret, token, position = issued.view["secret"], app.token(issued.view["id"]), issued.position
    r = api.get(f"/audit/as-of/records/{token.id}?as_of={position}")
    body = r.get_json()
    assert r.status_code == 200, body
    assert body["type"] == "ApiToken" and body["state"]["label"] == "máy trạm", body
    assert body["state"]["user_id"] == str(app.user("kiem.toan").id)
    assert "token_hash" not in body["state"], body
    assert token.token_hash not in r.get_data(as_text=True)
    assert secret not in r.get_data(as_text=True)
    # the audit line of the same event leaves the same field out
    line = api.get("/audit/events?format=jsonl").get_data(as_text=True)
    assert token.token_hash not in line and "máy trạm" in line


class Vault(ThiduaAggregate):
    """An area's aggregate with a field it declares secret."""

    class Event(ThiduaAggregate.Event):
        pass

    @event("Opened", topic="test:Vault.Opened")
    def __init__(self, owner: str, pin: str) -> None:
        self.owner, self.pin = owner, pin


Vault.Opened.AUDIT_REDACT = ("pin",)  # type: ignore[attr-defined]


def test_the_trail_and_the_as_of_reads_share_one_statement_of_secrets():
    opened = Vault.Opened  # type: ignore[attr-defined]
    assert REDACTED_FIELDS is SECRET_FIELDS
    assert redacted(opened) == secret_fields(opened) == SECRET_FIELDS | {"pin"}
    assert "pin" in secret_fields(Vault) and "owner" not in secret_fields(Vault)
    assert "token_hash" in secret_fields(ApiToken)
