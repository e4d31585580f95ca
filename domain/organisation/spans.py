"""Membership in time: a unit's stretches of membership in a group of a year.

A span is ``{"group_id", "unit_id", "from", "until"}`` with ISO dates: ``from`` is the first
day, ``until`` the first day it no longer holds (exclusive), None while it lasts to the end of
the year. The same two steps change spans in the aggregate (domain.organisation.groups) and
in the registry view (projections.registry), so the view follows the record exactly:

- :func:`end` closes a unit's membership of a group from a date on: what began on or after it
  is dropped (superseded), what covers it is cut at it;
- :func:`start` opens a membership from a date to the end of the year, continuing a span of
  the same group that ends on that very date (a unit that stays in its group keeps one span).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Span = dict[str, Any]


def overlaps(a_from: str, a_until: str | None, b_from: str, b_until: str | None) -> bool:
    """Do [a_from, a_until) and [b_from, b_until) share a day (None: to the end of the year)?"""
    return (a_until is None or b_from < a_until) and (b_until is None or a_from < b_until)


def covers(span: Span, day: str) -> bool:
    return span["from"] <= day and (span["until"] is None or day < span["until"])


def end(spans: list[Span], group_id: str, unit_id: str, day: str) -> list[Span]:
    """The spans with ``unit_id``'s membership of ``group_id`` ended from ``day`` on."""
    out = []
    for s in spans:
        if s["group_id"] == group_id and s["unit_id"] == unit_id:
            if s["from"] >= day:
                continue
            if s["until"] is None or s["until"] > day:
                s = {**s, "until": day}
        out.append(s)
    return out


def end_all(spans: list[Span], group_ids: set[str], day: str) -> list[Span]:
    """The spans with every membership of ``group_ids`` ended from ``day`` on."""
    out = []
    for s in spans:
        if s["group_id"] in group_ids:
            if s["from"] >= day:
                continue
            if s["until"] is None or s["until"] > day:
                s = {**s, "until": day}
        out.append(s)
    return out


def start(spans: list[Span], group_id: str, unit_id: str, day: str,
          until: str | None = None) -> list[Span]:
    """The spans with ``unit_id`` a member of ``group_id`` from ``day`` until ``until`` (None:
    the end of the year); the caller has ended whatever it held there from ``day`` on."""
    out = []
    joined = False
    for s in spans:
        if (not joined and s["group_id"] == group_id and s["unit_id"] == unit_id
                and s["until"] == day):
            s = {**s, "until": until}
            joined = True
        out.append(s)
    if not joined:
        out.append({"group_id": group_id, "unit_id": unit_id, "from": day, "until": until})
    return out


def on(spans: Iterable[Span], group_id: str, day: str) -> list[str]:
    """Unit ids that are members of ``group_id`` on ``day``."""
    return sorted(s["unit_id"] for s in spans if s["group_id"] == group_id and covers(s, day))


def clash(spans: Iterable[Span], group_ids: Iterable[str], unit_id: str, day: str,
          until: str | None = None, ignore: Iterable[str] = ()) -> Span | None:
    """A span of ``unit_id`` in one of ``group_ids`` (a kind's groups), outside ``ignore``,
    that shares a day with [day, until)."""
    among, skip = set(group_ids), set(ignore)
    for s in spans:
        if (s["unit_id"] == unit_id and s["group_id"] in among and s["group_id"] not in skip
                and overlaps(s["from"], s["until"], day, until)):
            return s
    return None
