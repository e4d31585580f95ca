"""The whole numbers a request may carry, each bounded to what it means and to what
PostgreSQL can hold (a larger one is a 422 naming the field, never a database error), and
the moments an answer holds, always ISO 8601."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from marshmallow import validate

from domain.kernel.dates import EARLIEST, LATEST
from domain.organisation.units import CODE_MAX

# the length of a code (a unit's, a group's, a criterion's, a target's), written once
CODE_LENGTH = validate.Length(min=1, max=CODE_MAX)

INT_MAX = 2**31 - 1  # PostgreSQL integer
POSITION_MAX = 2**62  # far beyond any log, well inside bigint
DIGITS = re.compile("[+-]?[0-9]+")


class Whole(ma.fields.Integer):
    """An integer written as one: ASCII digits in a query (int() alone also reads '٢٠٢٤' and
    '2_024'), and no fraction in a JSON number (2024.5 is refused, not truncated)."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, str) and not DIGITS.fullmatch(value):
            raise self.make_error("invalid")
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        return super()._validated(value)


def number(lo: int, hi: int, **kwargs: Any) -> Whole:
    """A whole number from ``lo`` to ``hi``."""
    return Whole(validate=validate.Range(min=lo, max=hi), **kwargs)


def year(**kwargs: Any) -> Whole:
    """A calendar year within the dates the project accepts (domain/dates.py)."""
    kwargs["metadata"] = {"example": 2024, **kwargs.get("metadata", {})}
    return number(EARLIEST.year, LATEST.year, **kwargs)


def version(lowest: int = 0, **kwargs: Any) -> Whole:
    """The version of a record the client read (optimistic concurrency); optional."""
    kwargs.setdefault("load_default", None)
    kwargs.setdefault("allow_none", True)
    kwargs.setdefault("metadata", {"description": "The version you read; a stale one is "
                                                  "refused with 409."})
    return number(lowest, INT_MAX, **kwargs)


def position(**kwargs: Any) -> Whole:
    """A position in the event log."""
    return number(0, POSITION_MAX, **kwargs)


class Moment(ma.fields.DateTime):
    """A date and time in an answer, ISO 8601 whether the record holds a datetime or the ISO
    text the domain keeps (a String field would write str(datetime), with a space for the T)."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)
