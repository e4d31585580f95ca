"""Dates in events are ISO strings (YYYY-MM-DD): stable, readable, JSON-native."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from domain.kernel.errors import InvalidInput

# Days are days in Vietnam: a day ends at midnight Hanoi time (UTC+7).
VIETNAM = timezone(timedelta(hours=7))
EARLIEST = date(1995, 1, 1)  # BHXH Việt Nam was founded in 1995
LATEST = date(2100, 12, 31)


def parse_date(value: str | date, field: str = "effective") -> date:
    """Parse an ISO date, refusing what no officer could mean (before 1995, after 2100)."""
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(f"'{value}' is not a date in the form YYYY-MM-DD.",
                               field=field, rule="date_format") from None
    if not EARLIEST <= parsed <= LATEST:
        raise InvalidInput(f"{parsed.isoformat()} is outside {EARLIEST.year}–{LATEST.year}.",
                           field=field, rule="date_range")
    return parsed


def check_year(year: int, field: str = "year") -> int:
    if not isinstance(year, int) or not EARLIEST.year <= year <= LATEST.year:
        raise InvalidInput(f"Year must be between {EARLIEST.year} and {LATEST.year}.",
                           field=field, rule="year_range")
    return year


def vietnam_day(now: datetime) -> date:
    """The day it is in Vietnam at ``now`` (a naive moment is UTC)."""
    return (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(VIETNAM).date()
