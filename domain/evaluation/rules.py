"""The pure arithmetic of the annual evaluation: scores checked against a rule set's scheme,
totals, levels, averages, the quota and the deadline (the rule set itself:
``evaluation_ruleset``). Scores are decimals (``decimal.Decimal``), never floats;
averages are rounded to two decimals, half up (docs/decisions.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean
from domain.organisation.units import CODE_PATTERN

SHEET_KINDS = ("self", "central_to_province", "organisation_to_central", "province_to_central")
SHEET_KIND_NAMES = {
    "self": "Tự chấm điểm",
    "central_to_province": "Đơn vị trực thuộc chấm điểm BHXH tỉnh",
    "organisation_to_central": "Vụ Tổ chức cán bộ, Văn phòng chấm điểm đơn vị trực thuộc",
    "province_to_central": "BHXH tỉnh chấm điểm đơn vị trực thuộc",
    # a province's sheet of one of its district offices (domain/district): a score sheet too
    "province_to_district": "BHXH tỉnh chấm điểm BHXH cơ sở",
}
CRITERION_KINDS = ("base", "bonus", "minus")
OUTSTANDING = "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"
CODE = CODE_PATTERN  # a criterion's code is written as a unit's: whole values, fullmatch
SCORE = re.compile(r"[0-9]{1,4}(\.[0-9]{1,2})?")
CENT = Decimal("0.01")


# -- numbers ---------------------------------------------------------------------------------
def parse_score(value: Any, field: str) -> Decimal:
    """A non-negative decimal with at most two decimals, given as a string or an integer."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidInput("A score is a decimal written as a string ('8.5') or an integer.",
                           field=field, rule="score_format")
    text = str(value).strip()
    if not SCORE.fullmatch(text):
        raise InvalidInput(f"'{value}' is not a score: digits with at most two decimals, not "
                           "negative.", field=field, rule="score_format")
    return Decimal(text)


def fmt(value: Decimal | None) -> str | None:
    """Scores travel as strings with two decimals ('85.50')."""
    return None if value is None else str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def average(values: Iterable[Decimal]) -> Decimal | None:
    """The mean, rounded to two decimals half up; None for no values."""
    items = list(values)
    if not items:
        return None
    return (sum(items, Decimal(0)) / len(items)).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(total: Decimal, count: int) -> Decimal | None:
    return None if not count else (total / count).quantize(CENT, rounding=ROUND_HALF_UP)


def check_text(value: Any, field: str, limit: int = 1000) -> str:
    """Free text of 1–``limit`` characters, stripped, that the record can keep
    (domain.kernel.text)."""
    value = clean(value, field) if isinstance(value, str) else value
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"Give {field} as text of 1–{limit} characters.", field=field,
                           rule="text_required")
    return value.strip()


# -- scoring a sheet -------------------------------------------------------------------------
def check_scores(rules: Mapping[str, Any], scores: Any, *, complete: bool,
                 criteria: Sequence[Mapping[str, Any]] | None = None,
                 scope: str | None = None) -> dict[str, str]:
    """Scores checked against the scheme: every error at once, naming each criterion.
    ``criteria`` narrows the scheme to those a sheet scores (a monitor's field: ``scope``
    names it in the refusal)."""
    if not isinstance(scores, Mapping):
        raise InvalidInput("Scores map criterion codes to points.", field="scores",
                           rule="object")
    by_code = {c["code"]: c for c in (rules["criteria"] if criteria is None else criteria)}
    known = {c["code"] for c in rules["criteria"]}
    errors: dict[str, list[str]] = {}
    found: set[str] = set()  # the rules broken, the gravest named
    out: dict[str, str] = {}
    for code, value in scores.items():
        where = f"scores.{code}"
        if code not in by_code:
            if scope and code in known:
                errors[where] = [f"{code} is not among the criteria of {scope} "
                                 f"({', '.join(by_code)})."]
                found.add("criterion_in_field")
            else:
                errors[where] = [f"{code} is not a criterion of rule set {rules['code']}."]
                found.add("unknown_criterion")
            continue
        try:
            points = parse_score(value, where)
        except InvalidInput as e:
            errors[where] = [e.message]
            found.add("score_format")
            continue
        if points > Decimal(by_code[code]["max"]):
            errors[where] = [f"{points} is above the maximum of {by_code[code]['max']} for "
                             f"{code}."]
            found.add("score_above_maximum")
            continue
        out[code] = str(points)
    missing = [c for c in by_code if c not in scores] if complete else []
    for code in missing:
        errors[f"scores.{code}"] = [f"{code} ({by_code[code]['name']}) has no score."]
        found.add("criterion_missing")
    if errors:
        rule = next(r for r in ("unknown_criterion", "criterion_in_field", "score_above_maximum",
                                "criterion_missing", "score_format") if r in found)
        raise InvalidInput(f"{len(errors)} score(s) do not fit the scheme of rule set "
                           f"{rules['code']}{f' for {scope}' if scope else ''}.",
                           errors=errors, rule=rule)
    return out


def sheet_total(rules: Mapping[str, Any], scores: Mapping[str, str]) -> Decimal:
    """Base and bonus points added, minus points taken off; never below zero."""
    kinds = {c["code"]: c["kind"] for c in rules["criteria"]}
    total = Decimal(0)
    for code, value in scores.items():
        total += -Decimal(value) if kinds[code] == "minus" else Decimal(value)
    return max(total, Decimal(0))


def level_of(rules: Mapping[str, Any], total: Decimal | None) -> str | None:
    """The highest level whose threshold the total reaches."""
    if total is None:
        return None
    for lv in rules["levels"]:
        if total >= Decimal(lv["min"]):
            return str(lv["code"])
    return str(rules["levels"][-1]["code"])


def quota_cap(rules: Mapping[str, Any], group_size: int) -> int:
    """How many units of a comparable group may hold the capped level."""
    q = rules["quota"]
    share = Decimal(q["share_percent"]) * group_size / 100
    cap = int(share.to_integral_value(rounding=ROUND_DOWN))
    return min(group_size, max(cap, int(q["minimum"])))


def apply_quota(rules: Mapping[str, Any],
                rows: list[tuple[str, str, Decimal | None]]) -> dict[str, str | None]:
    """rows: (unit code, comparable group, score). The implied level of each unit, with the
    capped level kept for the best-scored units of each group only (ties by code) and the
    others moved to the next level down."""
    q = rules["quota"]
    codes = [lv["code"] for lv in rules["levels"]]
    capped = q["level"]
    below = codes[codes.index(capped) + 1] if capped in codes[:-1] else capped
    levels = {code: level_of(rules, score) for code, _, score in rows}
    for group in sorted({g for _, g, _ in rows}):
        members = [(code, score) for code, g, score in rows if g == group]
        cap = quota_cap(rules, len(members))
        ranked = sorted((m for m in members if levels[m[0]] == capped),
                        key=lambda m: (-(m[1] or 0), m[0]))
        for code, _ in ranked[cap:]:
            levels[code] = below
    return levels


def deadline_of(rules: Mapping[str, Any], year: int) -> date:
    """The deadline of a year's cycle: the rule set's day and month of the following year
    (by default 10 January: ``ruleset.DEFAULT_DEADLINE``)."""
    d = rules["deadline"]
    return date(year + 1, int(d["month"]), int(d["day"]))


def deadline_included(rules: Mapping[str, Any]) -> bool:
    """Whether a submission on the deadline's day itself is in time ("trước ngày 10/01":
    docs/decisions.md). A rule set published before the setting existed says nothing, and
    reads as every cycle was judged then: the day itself is in time."""
    return bool((rules.get("deadline") or {}).get("included", True))


def last_day(rules: Mapping[str, Any], deadline: date) -> date:
    """The last day a submission is in time: the deadline, or the day before it."""
    return deadline if deadline_included(rules) else deadline - timedelta(days=1)
