"""The province's criteria for its district offices (tiêu chí thi đua đối với BHXH cấp huyện,
4268 A.I.5): a rule set checked as the sector's is (domain/evaluation/ruleset.py), with what
the letter adds for the district level: each criterion says what it scores (professional work,
key tasks, unplanned tasks) and may carry its quantified target, and the score rests on the
province's sheets. Versioned per province; a cycle keeps the version it opened with."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from eventsourcing.domain import event

from domain.evaluation.ruleset import (
    DEFAULT_DEADLINE,
    DEFAULT_LEVELS,
    DEFAULT_QUOTA,
    DEFAULT_SEPARATION,
    DEFAULT_TOTAL_POINTS,
    check_ruleset,
)
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.text import clean

# What a district criterion scores (4268 A.I.5): "chấm điểm theo công tác chuyên môn nghiệp
# vụ", "căn cứ kết quả thực hiện các chỉ tiêu, nhiệm vụ trọng tâm, đột xuất được giao".
SOURCES = {"professional": "Công tác chuyên môn nghiệp vụ",
           "key_task": "Chỉ tiêu, nhiệm vụ trọng tâm được giao",
           "unplanned_task": "Nhiệm vụ đột xuất được giao"}
# The kinds of sheet a district cycle has; a district office's score rests by default on the
# province's sheet of it (the self score when the province has not sent one).
DISTRICT_SHEET_KINDS = ("self", "province_to_district")
DEFAULT_DISTRICT_BASIS: dict[str, list[str]] = {"district": ["province_to_district"]}
# A quantified target: a non-negative figure, as large as a year's revenue in đồng.
TARGET = re.compile(r"[0-9]{1,15}(\.[0-9]{1,4})?")
DISTRICT_LEGAL_BASIS: list[dict[str, str]] = [
    {"number": "4268/BHXH-TĐKT", "date": "2021-12-22",
     "title": "Hướng dẫn hoạt động Khối, Cụm thi đua trong ngành BHXH Việt Nam (mục A.I.5: "
              "Cụm thi đua cấp huyện)"},
]


def check_district_ruleset(content: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a province's rule set for its district offices; return it normalised: the
    sector's checks (criteria adding up to the total, levels, quota, deadline, legal basis),
    then each criterion's ``source`` and ``measure`` and the district ``basis``."""
    if not isinstance(content, Mapping):
        raise InvalidInput("A rule set is an object.", field="content", rule="object")
    criteria = content.get("criteria")
    plain = [{k: v for k, v in c.items() if k not in ("source", "measure")}
             if isinstance(c, Mapping) else c for c in criteria] \
        if isinstance(criteria, list) else criteria
    checked = check_ruleset({**content, "criteria": plain, "basis": {}})
    given_rows: list[Any] = list(criteria or [])  # a list of objects: checked just above
    for i, (row, given) in enumerate(zip(checked["criteria"], given_rows, strict=True)):
        row["source"] = _source(given.get("source", "professional"), f"criteria[{i}].source")
        if given.get("measure") is not None:
            row["measure"] = _measure(given["measure"], f"criteria[{i}].measure")
    checked["basis"] = _basis(content.get("basis", DEFAULT_DISTRICT_BASIS))
    return checked


def _source(value: Any, field: str) -> str:
    if value not in SOURCES:
        raise InvalidInput(f"A criterion scores one of: {', '.join(SOURCES)} "
                           "(professional work, key tasks, unplanned tasks).", field=field,
                           rule="known_criterion_source")
    return str(value)


def _measure(value: Any, field: str) -> dict[str, str]:
    """A quantified target (lượng hóa): the unit of measure and, if any, the target figure."""
    if not isinstance(value, Mapping) or set(value) - {"unit", "target"}:
        raise InvalidInput("A measure is {\"unit\": \"%\", \"target\": \"95\"} (the target "
                           "may be left out).", field=field, rule="measure_format")
    unit = value.get("unit")
    unit = clean(unit, f"{field}.unit") if isinstance(unit, str) else unit
    if not isinstance(unit, str) or not unit.strip() or len(unit) > 50:
        raise InvalidInput("The unit of measure is text of 1–50 characters.",
                           field=f"{field}.unit", rule="text_required")
    out = {"unit": unit.strip()}
    target = value.get("target")
    if target is not None:
        text = str(target).strip() if isinstance(target, (str, int)) and not isinstance(
            target, bool) else ""
        if not TARGET.fullmatch(text):
            raise InvalidInput(f"'{target}' is not a target: a figure of up to 15 digits "
                               "with at most four decimals, not negative.",
                               field=f"{field}.target", rule="figure_format")
        out["target"] = text
    return out


def _basis(basis: Any) -> dict[str, list[str]]:
    if not isinstance(basis, Mapping) or set(basis) - {"district"}:
        raise InvalidInput("The basis maps 'district' to the kinds of sheet a district "
                           "office's score rests on.", field="basis", rule="basis_format")
    kinds = basis.get("district", [])
    if not isinstance(kinds, list) or any(k not in DISTRICT_SHEET_KINDS[1:] for k in kinds):
        raise InvalidInput(f"Kinds received are {', '.join(DISTRICT_SHEET_KINDS[1:])}.",
                           field="basis.district", rule="known_sheet_kind")
    return {"district": list(kinds)}


def sample_district_ruleset(code: str = "TCHUYEN") -> dict[str, Any]:
    """A SAMPLE of a province's criteria for its BHXH cơ sở (illustrative wording, not a
    province's own): professional work by field, the key tasks and unplanned tasks, each
    quantified where it can be."""
    rows = [
        ("T01", "I. Chuyên môn nghiệp vụ", "Thu BHXH, BHYT, BHTN so với kế hoạch giao",
         "base", "25", "professional", {"unit": "%", "target": "100"}),
        ("T02", "I. Chuyên môn nghiệp vụ", "Phát triển người tham gia BHXH tự nguyện",
         "base", "15", "professional", {"unit": "người", "target": "1200"}),
        ("T03", "I. Chuyên môn nghiệp vụ", "Giải quyết chế độ chính sách đúng hạn",
         "base", "15", "professional", {"unit": "%", "target": "98"}),
        ("T04", "I. Chuyên môn nghiệp vụ", "Quản lý chi BHYT, kiểm soát chi khám chữa bệnh",
         "base", "15", "professional", None),
        ("T05", "II. Nhiệm vụ trọng tâm", "Cài đặt, sử dụng VssID; giao dịch điện tử",
         "base", "10", "key_task", {"unit": "%", "target": "90"}),
        ("T06", "II. Nhiệm vụ trọng tâm", "Giảm số tiền chậm đóng BHXH, BHYT",
         "base", "10", "key_task", {"unit": "%", "target": "3"}),
        ("T07", "III. Nhiệm vụ đột xuất", "Nhiệm vụ đột xuất BHXH tỉnh giao",
         "base", "10", "unplanned_task", None),
        ("B01", "IV. Điểm thưởng", "Sáng kiến, cách làm hay được BHXH tỉnh ghi nhận",
         "bonus", "5", "professional", None),
        ("M01", "V. Điểm trừ", "Sai sót, vi phạm bị phát hiện qua kiểm tra",
         "minus", "10", "professional", None),
    ]
    return {
        "code": code, "name": "Tiêu chí thi đua đối với BHXH cơ sở",
        "total_points": DEFAULT_TOTAL_POINTS,
        "criteria": [{"code": c, "group": g, "name": n, "kind": k, "max": m, "source": s,
                      **({"measure": dict(me)} if me else {})}
                     for c, g, n, k, m, s, me in rows],
        "levels": [dict(x) for x in DEFAULT_LEVELS], "quota": dict(DEFAULT_QUOTA),
        "deadline": dict(DEFAULT_DEADLINE),
        "basis": {k: list(v) for k, v in DEFAULT_DISTRICT_BASIS.items()},
        "legal_basis": [dict(x) for x in DISTRICT_LEGAL_BASIS],
        "separation_of_duties": dict(DEFAULT_SEPARATION),
    }


def district_ruleset_id(province_id: str, code: str) -> Any:
    return stable_id("district_ruleset", province_id, code)


class DistrictRuleSet(ThiduaAggregate):
    """Tiêu chí thi đua của BHXH tỉnh đối với BHXH cấp huyện: one province's rule set, every
    version kept; a change is a new version, old ones stay readable."""

    TOPIC = "thidua:DistrictRuleSet"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:DistrictRuleSet.Event"

    @staticmethod
    def create_id(province_id: str, code: str) -> Any:
        return district_ruleset_id(province_id, code)

    @event("Published", topic="thidua:DistrictRuleSet.Published")
    def __init__(self, province_id: str, province_code: str, code: str,
                 content: dict[str, Any], note: str | None) -> None:
        self.province_id = province_id
        self.province_code = province_code
        self.code = code
        self.versions: list[dict[str, Any]] = []
        self._add(content, note)

    def _add(self, content: dict[str, Any], note: str | None) -> None:
        self.versions.append({"version": len(self.versions) + 1, "content": content,
                              "note": note})

    @event("Revised", topic="thidua:DistrictRuleSet.Revised")
    def revise(self, content: dict[str, Any], note: str | None) -> None:
        self._add(content, note)

    def check_changed(self, content: dict[str, Any]) -> None:
        if content == self.versions[-1]["content"]:
            raise RuleViolation(f"Rule set {self.code} of {self.province_code} version "
                                f"{len(self.versions)} already says exactly this.",
                                field="content", rule="ruleset_unchanged")

    def version_of(self, number: int | None) -> dict[str, Any]:
        if number is None:
            return self.versions[-1]
        if not 1 <= number <= len(self.versions):
            raise NotFound(f"Rule set {self.code} of {self.province_code} has versions "
                           f"1–{len(self.versions)}.", field="ruleset_version", rule="exists")
        return self.versions[number - 1]
