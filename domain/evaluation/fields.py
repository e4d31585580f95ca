"""The monitors' fields (lĩnh vực đơn vị quản lý): the 2023 letter has the central units that
monitor provinces score them "thuộc lĩnh vực đơn vị quản lý". A rule set may map its criteria
to the monitoring units (``monitor_fields``: unit code → the criteria of its field); then a
monitor scores a province on its field's criteria only, and the province's score from its
monitors combines the fields, each criterion scored by the monitors whose field it is (two
monitors of one criterion: the mean of their points). Without a mapping every monitor scores
every criterion and the province's score is the average of the monitors' totals, as before.
docs/decisions.md, "A monitor scores its own field"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from domain.evaluation.rules import CODE, average
from domain.kernel.errors import InvalidInput, RuleViolation

KEY = "monitor_fields"
KIND = "central_to_province"  # the only kind of sheet a mapping narrows


def check_monitor_fields(value: Any, criteria: Sequence[str]) -> dict[str, list[str]] | None:
    """A rule set's mapping, checked against its criteria (their codes, in order): each unit
    code maps to distinct known criteria, and every criterion is in some unit's field."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not 1 <= len(value) <= 100:
        raise InvalidInput("monitor_fields maps the code of each monitoring central unit "
                           "(1–100 of them) to the criteria of its field.",
                           field=KEY, rule="monitor_fields_format")
    out: dict[str, list[str]] = {}
    covered: set[str] = set()
    for code, chosen in value.items():
        where = f"{KEY}.{code}"
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise InvalidInput("A monitoring unit is named by its code (capital letters, "
                               "digits, '_', '.', '-').", field=where, rule="code_format")
        if not isinstance(chosen, list) or not chosen or len(set(map(str, chosen))) != len(
                chosen):
            raise InvalidInput(f"{code}'s field is a list of distinct criterion codes, at "
                               "least one.", field=where, rule="field_criteria")
        for j, c in enumerate(chosen):
            if c not in criteria:
                raise InvalidInput(f"{c} is not a criterion of this rule set.",
                                   field=f"{where}[{j}]", rule="unknown_criterion")
        out[code] = [c for c in criteria if c in chosen]  # in the scheme's order
        covered.update(chosen)
    missing = [c for c in criteria if c not in covered]
    if missing:
        raise InvalidInput(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} in "
                           "no monitoring unit's field: with monitor_fields, every criterion "
                           "is scored by at least one monitor.", field=KEY,
                           rule="criterion_in_a_field")
    return out


def monitor_fields(rules: Mapping[str, Any]) -> dict[str, list[str]] | None:
    """The cycle's mapping, or None (every monitor scores every criterion)."""
    return rules.get(KEY) or None


def by_field(rules: Mapping[str, Any], kind: str) -> bool:
    """Whether sheets of ``kind`` score a field rather than the whole scheme."""
    return kind == KIND and monitor_fields(rules) is not None


def criteria_scored(rules: Mapping[str, Any], kind: str,
                    scorer_code: str) -> list[dict[str, Any]] | None:
    """The criteria a sheet of ``kind`` by ``scorer_code`` scores: its field's under a
    mapping, else None (the whole scheme)."""
    fields = monitor_fields(rules)
    if kind != KIND or fields is None:
        return None
    mine = set(fields.get(scorer_code, ()))
    return [dict(c) for c in rules["criteria"] if c["code"] in mine]


def scheme_of(rules: Mapping[str, Any], kind: str, scorer_code: str) -> dict[str, Any]:
    """What a sheet of ``kind`` by ``scorer_code`` scores, as ``check_scores`` takes it:
    under a mapping a monitor's field (named in a refusal), else the whole scheme."""
    criteria = criteria_scored(rules, kind, scorer_code)
    return {} if criteria is None else {"criteria": criteria,
                                         "scope": f"{scorer_code}'s field"}


def check_fields_in_cycle(rules: Mapping[str, Any], monitoring: Sequence[Mapping[str, Any]]
                          ) -> None:
    """Under a mapping, the cycle's monitors are exactly the units it gives a field: a
    monitor without one would score nothing, a field without its monitor leaves its
    criteria unscored."""
    fields = monitor_fields(rules)
    if fields is None:
        return
    monitors = [str(m["code"]) for m in monitoring]
    for i, code in enumerate(monitors):
        if code not in fields:
            raise RuleViolation(
                f"{code} monitors provinces in this cycle, but rule set {rules['code']} gives "
                "it no field (monitor_fields): it would have no criterion to score.",
                field=f"monitoring[{i}].unit_code", rule="monitor_has_field")
    for code, criteria in fields.items():
        if code not in monitors:
            raise RuleViolation(
                f"Rule set {rules['code']} gives {code} the field {', '.join(criteria)}, but "
                f"{code} is not among this cycle's monitoring units: name it there, or open "
                "the cycle on a rule set whose fields are this year's monitors.",
                field="monitoring", rule="field_monitor_in_cycle")


def combine(rules: Mapping[str, Any], sent: Mapping[str, Mapping[str, str]]
            ) -> tuple[Decimal | None, list[str]]:
    """A province's score from its monitors under a mapping, and the criteria nobody has
    scored yet. ``sent``: monitor code → the scores of its latest sent sheet of the province.
    Each criterion counts the mean (two decimals, half up) of the points its field's monitors
    gave; minus criteria are taken off; never below zero. No score until every criterion
    has one."""
    fields = monitor_fields(rules) or {}
    total, unscored = Decimal(0), []
    for c in rules["criteria"]:
        points = average(Decimal(scores[c["code"]]) for code, scores in sorted(sent.items())
                         if c["code"] in fields.get(code, ()) and c["code"] in scores)
        if points is None:
            unscored.append(str(c["code"]))
            continue
        total += -points if c["kind"] == "minus" else points
    if unscored:
        return None, unscored
    return max(total, Decimal(0)), []
