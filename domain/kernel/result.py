"""The one answer of every use case: what was done, in plain values (never an aggregate)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Done:
    """What a use case did (``UseCases.act`` builds it from what it saved).

    ``view``: the changed record as plain values, what a write answers (a token's secret is
    in its view once, never anywhere else). ``version``: that record's version after the act
    (None when nothing was changed). ``position``: the position of the last event written
    (0 when nothing was written); a read may wait for it."""

    view: dict[str, Any]
    version: int | None
    position: int
