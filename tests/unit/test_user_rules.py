"""A user account through time: the rules of a transfer, in the aggregate; no database."""

from __future__ import annotations

import pytest

from domain.kernel.errors import DomainError
from domain.users.accounts import User


def officer() -> User:
    return User(username="o.p02", full_name="Cán bộ", roles=["officer"], unit_id="p2",
                unit_code="P02", assigned_units=[])


@pytest.mark.parametrize("unit_id, effective, by, rule", [
    ("p1", "2026-12-03", "admin", "transfer_in_effect"),
    ("p2", "2026-12-01", "admin", "unit_unchanged"),
])
def test_a_transfer_is_refused_before_its_event(unit_id, effective, by, rule):
    user = officer()
    with pytest.raises(DomainError) as e:
        user.transfer(unit_id, "X", effective, "Lý do", by=by, today="2026-12-02")
    assert e.value.rule == rule
    assert (user.unit_id, user.version) == ("p2", 1)


def test_nobody_transfers_themselves_nor_a_disabled_account():
    user = officer()
    with pytest.raises(DomainError) as e:
        user.transfer("p1", "P01", "2026-12-01", "x", by=str(user.id), today="2026-12-02")
    assert e.value.rule == "not_own_account"
    user.disable(by="admin")
    with pytest.raises(DomainError) as e:
        user.transfer("p1", "P01", "2026-12-01", "x", by="admin", today="2026-12-02")
    assert e.value.rule == "user_enabled"


def test_transfers_follow_one_another_in_time():
    user = officer()
    user.transfer("p1", "P01", "2026-12-01", "Hợp nhất", by="admin", today="2026-12-02")
    assert (user.unit_id, user.unit_code, user.unit_since, user.roles) == (
        "p1", "P01", "2026-12-01", ["officer"])
    assert user.former_units[-1] == {"unit_id": "p2", "unit_code": "P02", "since": None,
                                     "until": "2026-12-01"}
    with pytest.raises(DomainError) as e:
        user.transfer("p3", "P03", "2026-11-30", "x", by="admin", today="2026-12-02")
    assert e.value.rule == "effective_after_last_transfer"
    user.transfer("p3", "P03", "2026-12-01", "Sửa nhầm", by="admin", today="2026-12-02")
    assert [u["unit_code"] for u in user.former_units] == ["P02", "P01"]
