"""The covenant's rules, in the aggregate and without a database: who signs, once, not
before the launch; registered targets of the covenant only, a change with a reason;
findings on members, on the covenant's targets, after the launch."""

from __future__ import annotations

from datetime import date

import pytest

from domain.covenants.covenant import Covenant
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, NotFound, RuleViolation

MEMBERS = frozenset({"u1", "u2"})
TARGETS = [{"code": "T1", "name": "Tỷ lệ bao phủ BHYT", "unit_of_measure": "%",
            "target": "95", "direction": "at_least"}]


def covenant() -> Covenant:
    return Covenant(group_id="g", year=2024, title="Giao ước 2024", launched_on="2024-02-01",
                    targets=TARGETS)


def rule_of(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(getattr(excinfo.value, "rule", ""))


def test_a_member_signs_once_and_not_before_the_launch():
    cov = covenant()
    with pytest.raises(NotAuthorised) as e:
        cov.sign("outsider", date(2024, 3, 1), MEMBERS)
    assert rule_of(e) == "signer_is_member"
    with pytest.raises(RuleViolation) as e:
        cov.sign("u1", date(2024, 1, 31), MEMBERS)
    assert rule_of(e) == "signed_after_launch"
    assert cov.version == 1, "a refused act records nothing"
    cov.sign("u1", date(2024, 2, 1), MEMBERS)
    assert cov.signatures == {"u1": {"signed_on": "2024-02-01", "revision": 1}}
    with pytest.raises(Conflict) as e:
        cov.sign("u1", date(2024, 3, 1), MEMBERS)
    assert rule_of(e) == "sign_once" and cov.version == 2


def test_registered_targets_are_the_covenants_and_a_change_needs_a_reason():
    cov = covenant()
    for bad, rule in (([], "targets_count"), ([{"target": "T9", "value": "1"}], "known_target"),
                      ([{"target": "T1", "value": "1"}] * 2, "target_once"),
                      ([{"target": "T1", "value": "nhiều"}], "decimal_format"), (["T1"],
                                                                                "target_object")):
        with pytest.raises((InvalidInput, RuleViolation)) as e:
            cov.register_targets("u1", bad, None, MEMBERS)
        assert rule_of(e) == rule
    with pytest.raises(NotAuthorised):
        cov.register_targets("outsider", [{"target": "T1", "value": "1"}], None, MEMBERS)
    assert cov.register_targets("u1", [{"target": "T1", "value": "96.50"}], None,
                                MEMBERS) == [{"target": "T1", "value": "96.5"}]
    with pytest.raises(RuleViolation) as e:
        cov.register_targets("u1", [{"target": "T1", "value": "97"}], None, MEMBERS)
    assert rule_of(e) == "amendment_needs_reason"
    cov.register_targets("u1", [{"target": "T1", "value": "97"}], "số liệu quý IV", MEMBERS)
    assert cov.registered["u1"]["revision"] == 2


def test_findings_are_on_members_targets_and_after_the_launch():
    cov = covenant()
    for args, rule in ((("x", "X1", date(2024, 5, 1), None, "kept"), "finding_on_member"),
                       (("u1", "P01", date(2024, 5, 1), "T9", "kept"), "known_target"),
                       (("u1", "P01", date(2024, 1, 1), None, "kept"),
                        "inspected_after_launch"),
                       (("u1", "P01", date(2024, 5, 1), None, "good"), "known_assessment")):
        with pytest.raises((InvalidInput, RuleViolation)) as e:
            cov.record_finding(*args, "tóm tắt", MEMBERS)
        assert rule_of(e) == rule
    assert cov.record_finding("u1", "P01", date(2024, 5, 1), "T1", "partly_kept", "tóm tắt",
                              MEMBERS) == 1
    with pytest.raises(NotFound):
        cov.amend_finding(2, "sai", None, "kept")
    with pytest.raises(InvalidInput) as e:
        cov.amend_finding(1, "sai", None, None)
    assert rule_of(e) == "amendment_changes_something"
    assert cov.amend_finding(1, "sai", None, "kept")["revision"] == 2


def test_an_amendment_changes_something_and_makes_a_revision():
    cov = covenant()
    with pytest.raises(InvalidInput):
        cov.amend(None, None, "lý do")
    cov.amend(None, "Giao ước 2024 (sửa đổi)", "lý do")
    assert (cov.revision, cov.title, cov.targets) == (2, "Giao ước 2024 (sửa đổi)", TARGETS)


def test_the_events_replay_into_the_same_covenant():
    cov = covenant()
    cov.sign("u1", date(2024, 2, 2), MEMBERS)
    cov.register_targets("u2", [{"target": "T1", "value": "90"}], None, MEMBERS)
    cov.record_finding("u2", "P02", date(2024, 6, 1), "T1", "not_kept", "thiếu", MEMBERS)
    cov.amend_finding(1, "đã bổ sung", None, "partly_kept")
    cov.amend(None, "Giao ước (sửa)", "lý do")
    copy = None
    for e in cov.collect_events():
        copy = e.mutate(copy)
    assert copy is not None and vars(copy) == vars(cov)
