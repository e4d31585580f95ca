"""Whose a default is: the letters' (4268/BHXH-TĐKT, the 2023 evaluation letter), named with
where they say it, or ours, chosen where the letters are silent and argued in
docs/decisions.md. A read of a rule set marks each of its settings so: a value that differs
from the default is the rule set's own (``set``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LETTERS = "letters"  # the letters say it
OURS = "ours"  # thidua's default where the letters are silent (docs/decisions.md)
SET = "set"  # the rule set's own value, not a default


@dataclass(frozen=True)
class Default:
    """One default of a rule set: its setting (a dotted path), value, source and where."""

    setting: str
    value: Any
    source: str  # LETTERS or OURS
    note: str  # where the letters say it, or where docs/decisions.md argues ours


def setting_of(rules: Mapping[str, Any], path: str, default: Any) -> Any:
    """The value at a dotted path of the rules, or ``default`` where they say nothing (a rule
    set published before the setting existed reads it at its default)."""
    found: Any = rules
    for part in path.split("."):
        if not isinstance(found, Mapping) or part not in found:
            return default
        found = found[part]
    return found


def marked(rules: Mapping[str, Any], defaults: Sequence[Default]) -> list[dict[str, Any]]:
    """Each setting with its value and whose it is: the default's source where the value is
    the default, ``set`` where the rule set gives its own."""
    out = []
    for d in defaults:
        value = setting_of(rules, d.setting, d.value)
        out.append({"setting": d.setting, "value": value, "default": d.value,
                    "source": d.source if value == d.value else SET,
                    "default_source": d.source, "note": d.note})
    return out
