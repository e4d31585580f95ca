"""Time travel: what a record was at a moment of the log, computed from the events alone.

A moment is a position in the log, or a time (turned into the last position whose event
happened at or before it). An aggregate as of position P is its version at the largest
``originator_version`` recorded at or before P, rebuilt by the repository. Areas reuse
:func:`resolve_as_of` and :func:`aggregate_at` for their own records (a score sheet, a
scoreboard, a decision); :func:`group_at` is the registry's group with its members.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, TypeVar
from uuid import UUID

from psycopg.sql import SQL, Identifier

from domain.kernel.base import ThiduaAggregate
from domain.kernel.errors import InvalidInput
from domain.kernel.redaction import secret_fields
from domain.organisation.groups import GroupYear

A = TypeVar("A", bound=ThiduaAggregate)
VIETNAM = timezone(timedelta(hours=7))
POSITION = re.compile("[0-9]+")


def parse_as_of(value: str | int | datetime) -> int | datetime:
    """A position (digits) or a time. ISO times without an offset are Vietnam time; a bare
    date means the end of that day."""
    if isinstance(value, int | datetime):
        return value
    text = str(value).strip()
    # ASCII digits only: str.isdigit() is also true of '²' or '٣', which int() refuses or reads
    if POSITION.fullmatch(text):
        digits = text.lstrip("0") or "0"  # beyond any log is capped at its head later
        return int(digits) if len(digits) <= 18 else 2**63 - 1
    try:
        if len(text) == 10:
            day = datetime.fromisoformat(text).date()
            return datetime.combine(day, time.max, tzinfo=VIETNAM)
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"'{value}' is neither a position nor an ISO time.",
                           field="as_of", rule="as_of_format") from None
    return when if when.tzinfo else when.replace(tzinfo=VIETNAM)


def position_at(app: Any, when: datetime) -> int:
    """The last position whose event happened at or before ``when`` (0 if none): a binary
    search over the log, reading one event per step."""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    recorder, mapper = app.recorder, app.mapper
    lo, hi = 0, int(recorder.max_notification_id() or 0)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        found = recorder.select_notifications(start=mid, limit=1, stop=hi)
        if found and mapper.to_domain_event(found[0]).timestamp <= when:
            lo = int(found[0].id)
        else:
            hi = mid - 1
    return lo


def resolve_as_of(app: Any, value: str | int | datetime) -> int:
    """The position an ``as_of`` value names (a position is capped at the head)."""
    moment = parse_as_of(value)
    if isinstance(moment, datetime):
        return position_at(app, moment)
    return min(moment, int(app.recorder.max_notification_id() or 0))


def version_at(app: Any, aggregate_id: UUID | str, position: int) -> int | None:
    """The aggregate's version after the last of its events at or before ``position``."""
    recorder = app.recorder
    query = SQL("SELECT max(originator_version) AS v FROM {}.{} WHERE originator_id = %s "
                "AND notification_id <= %s").format(Identifier(recorder.datastore.schema),
                                                     Identifier(recorder.events_table_name))
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(query, (UUID(str(aggregate_id)), position))
        row = curs.fetchone()
    return None if row is None or row["v"] is None else int(row["v"])


def aggregate_at(app: Any, cls: type[A], aggregate_id: UUID | str, position: int) -> A | None:
    """The aggregate as it was at ``position``; None if it did not exist yet."""
    version = version_at(app, aggregate_id, position)
    if version is None:
        return None
    agg = app.repository.get(UUID(str(aggregate_id)), version=version)
    return agg if isinstance(agg, cls) else None


def group_at(app: Any, year: int, group_id: str, position: int) -> dict[str, Any] | None:
    """A group (Khối, Cụm) with its members as they stood at ``position``, in the shape of
    the live group view."""
    from domain.organisation.units import Unit

    years = aggregate_at(app, GroupYear, GroupYear.create_id(year), position)
    group = years.groups.get(str(group_id)) if years else None
    if years is None or group is None:
        return None

    def unit(uid: str | None) -> Unit | None:
        return aggregate_at(app, Unit, uid, position) if uid else None

    members = []
    year_end = date(years.year, 12, 31)
    for span in years.spans:
        u = unit(span["unit_id"]) if span["group_id"] == str(group_id) else None
        if u is None:
            continue
        until = date.fromisoformat(span["until"]) if span["until"] else None
        last = min(until - timedelta(days=1), year_end) if until else year_end
        # the name it had then: on the last day of the membership in the year (as the view)
        named = [p for p in u.periods if date.fromisoformat(p["start"]) <= last]
        members.append({"code": u.code, "name": named[-1]["name"] if named else u.name,
                        "level": u.level, "effective_from": date.fromisoformat(span["from"]),
                        "effective_until": until})
    province = unit(group.get("province_id"))
    return {"id": group["id"], "year": years.year, "kind": group["kind"], "code": group["code"],
            "name": group["name"], "province_code": province.code if province else None,
            "members": sorted(members, key=lambda m: (m["code"], m["effective_from"])),
            "version": years.version, "as_of_position": position}


def state_at(app: Any, aggregate_id: UUID | str, position: int,
             cls: type[A] | None = None) -> dict[str, Any] | None:
    """Any record (a score sheet, an election, a cycle and its decision...) as it was at
    ``position``: its type, version and public attributes, secrets left out as the audit
    trail leaves them out (``domain.kernel.redaction``). None if it did not exist then (or is not a
    ``cls``)."""
    agg = aggregate_at(app, cls or ThiduaAggregate, aggregate_id, position)  # type: ignore[arg-type]
    if agg is None:
        return None
    hide = secret_fields(type(agg))
    state = {k: v for k, v in vars(agg).items() if not k.startswith("_") and k not in hide}
    return {"id": str(agg.id), "type": type(agg).__name__, "version": agg.version,
            "as_of_position": position, "state": state}
