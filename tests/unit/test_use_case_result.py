"""Every use case answers one shape, domain.kernel.result.Done: a view in plain values (never an
aggregate), the changed record's version after the act, and the position written."""

import dataclasses

import pytest

from domain.kernel.actor import Actor
from domain.kernel.base import ThiduaAggregate
from domain.kernel.result import Done

ROOT = Actor(user_id="root", user_name="root", roles=("standing_office", "admin"), unit_id=None)


def plain(value):
    """No aggregate anywhere inside ``value``."""
    if isinstance(value, dict):
        return all(plain(k) and plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(plain(v) for v in value)
    return not isinstance(value, ThiduaAggregate)


@pytest.fixture
def app(memory_app):
    return memory_app


def test_the_version_is_the_records_own_the_first_changed(app):
    app.register_unit(ROOT, code="P01", name="BHXH tỉnh Một", level="province",
                      parent_code=None, effective="2020-01-01")
    # registering a district changes the district (version 1) and its province (version 2)
    done = app.register_unit(ROOT, code="P01D1", name="BHXH huyện Một", level="district",
                             parent_code="P01", effective="2020-01-01")
    assert isinstance(done, Done)
    assert done.version == app.unit("P01D1").version == 1
    assert app.unit("P01").version == 2
    assert done.view == {"code": "P01D1", "name": "BHXH huyện Một", "level": "district",
                         "active": True}
    assert done.position > 0
    renamed = app.rename_unit(ROOT, "P01D1", name="BHXH huyện Hai", effective="2021-01-01",
                              version=done.version)
    assert renamed.version == 2 and renamed.position > done.position
    with pytest.raises(dataclasses.FrozenInstanceError):
        renamed.version = 3  # type: ignore[misc]


def test_users_and_tokens_answer_views_and_the_secret_once(app):
    user = app.register_user(ROOT, username="kiem.toan", full_name="Kiểm toán viên",
                             roles=["auditor"], unit_code=None)
    assert user.view == {"username": "kiem.toan", "roles": ["auditor"], "disabled": False}
    assert user.version == 1
    issued = app.issue_token(ROOT, "kiem.toan", label="máy trạm")
    token = app.token(issued.view["id"])
    assert issued.view == {"id": str(token.id), "secret": issued.view["secret"],
                           "expires_at": token.expires_at}
    assert app.authenticate(issued.view["secret"]).user_name == "kiem.toan"
    revoked = app.revoke_token(ROOT, issued.view["id"], reason="Hết hạn kiểm tra")
    assert revoked.view == {"id": str(token.id)} and revoked.version == 2
    for done in (user, issued, revoked):
        assert plain(done.view)


def test_a_group_write_answers_the_year_register_version(app):
    for c in ("A", "B"):
        app.register_unit(ROOT, code=c, name=f"Đơn vị {c}", level="central", parent_code=None,
                          effective="2020-01-01")
    done = app.form_group(ROOT, year=2024, kind="block", code="K1", name="Khối 1",
                          members=["A"])
    assert done.version == app.group_year(2024).version
    added = app.add_members(ROOT, year=2024, group=done.view["id"], members=["B"],
                            version=done.version)
    assert added.version == app.group_year(2024).version == done.version + 1
    assert plain(done.view) and plain(added.view)
