"""Whose each default of the evaluation rule set is (domain/kernel/provenance.py): what the
2023 letter says, and what thidua chose where it is silent (docs/decisions.md, "Whose
defaults")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.evaluation.draft import DEFAULT_REFERENCE_DAY
from domain.evaluation.ruleset import (
    DEFAULT_BASIS,
    DEFAULT_DEADLINE,
    DEFAULT_EXTENSION_LIMIT_DAYS,
    DEFAULT_LATE_OPENING,
    DEFAULT_LEGAL_BASIS,
    DEFAULT_LEVELS,
    DEFAULT_QUOTA,
    DEFAULT_SEPARATION,
    DEFAULT_TOTAL_POINTS,
)
from domain.kernel.provenance import LETTERS, OURS, Default, marked

DEFAULTS: tuple[Default, ...] = (
    Default("total_points", DEFAULT_TOTAL_POINTS, OURS,
            "domain.md §5; the letters give no scale (QĐ 1779's scheme is not in them)."),
    Default("levels", DEFAULT_LEVELS, OURS,
            "The letters name the levels' outcome ('mức độ hoàn thành nhiệm vụ', 'Hoàn thành "
            "xuất sắc nhiệm vụ'), not their thresholds: 90, 70 and 50 are domain.md §5's."),
    Default("quota.level", DEFAULT_QUOTA["level"], OURS,
            "domain.md §5: the level the quota caps; the letters set no quota."),
    Default("quota.share_percent", DEFAULT_QUOTA["share_percent"], OURS,
            "domain.md §5: excellent capped at 20% of a comparable group; the letters set no "
            "quota."),
    Default("quota.minimum", DEFAULT_QUOTA["minimum"], OURS,
            "docs/decisions.md, 'The assessed score and the quota': never fewer than one."),
    Default("deadline.month", DEFAULT_DEADLINE["month"], LETTERS,
            "The 2023 letter, 1.c and 3: 'trước ngày 10/01 năm sau liền kề'."),
    Default("deadline.day", DEFAULT_DEADLINE["day"], LETTERS,
            "The 2023 letter, 1.c and 3: 'trước ngày 10/01 năm sau liền kề'."),
    Default("deadline.included", DEFAULT_DEADLINE["included"], OURS,
            "docs/decisions.md, 'Is 10 January late?': the letter's 'trước' read as the last "
            "day in time."),
    Default("extension_limit_days", DEFAULT_EXTENSION_LIMIT_DAYS, OURS,
            "docs/decisions.md, 'An extension runs at most 30 days past the deadline': the "
            "letters allow extensions and set no bound."),
    Default("late_opening", DEFAULT_LATE_OPENING, OURS,
            "docs/decisions.md, 'A cycle opened after its deadline opens with a warning'."),
    Default("basis", DEFAULT_BASIS, OURS,
            "docs/decisions.md, 'The assessed score and the quota': which received scores make "
            "a unit's score."),
    Default("separation_of_duties", DEFAULT_SEPARATION, OURS,
            "docs/decisions.md, 'Nobody reviews their own sheet'."),
    Default("reference_day", DEFAULT_REFERENCE_DAY, OURS,
            "docs/decisions.md, 'A cycle's reference date'."),
    Default("monitor_fields", None, OURS,
            "docs/decisions.md, 'A monitor scores its own field': without a mapping every "
            "monitor scores every criterion, as before the letter was read closer."),
    Default("legal_basis", DEFAULT_LEGAL_BASIS, LETTERS,
            "The 2023 letter's opening: QĐ 1779/QĐ-BHXH and QĐ 1686/QĐ-BHXH."),
)


def rule_sources(rules: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each setting of an evaluation rule set, with whose it is."""
    return marked(rules, DEFAULTS)
