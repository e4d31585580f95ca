"""The audit line of one event: the record :func:`record_of` builds from an event (who, for
which unit, what, on which object, when, from where, why, and the event's data with secrets
left out), in the format the trail's canonical JSON lines (RFC 8785) hold.

Fields named in :data:`REDACTED_FIELDS`, or in an event class's ``AUDIT_REDACT`` tuple, never
enter a line (a token's hash; a secret ballot's choice, if an area declares it so): the one
statement of what is secret is ``domain.kernel.redaction``, which the as-of reads use too.

Line versions: a line without ``line_version`` (version 1, written before it existed) binds
what it shows. Version 2 adds ``event_sha256``, the digest of everything the store holds of
the event as the application decodes it (:func:`event_digest`: its originator id, version,
class version, log position and every attribute, metadata and redacted fields included), so
any change to a stored event changes what its line should be. Old lines are never rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.kernel.base import NAMESPACE
from domain.kernel.redaction import SECRET_FIELDS, secret_fields
from projections.audit_summaries import summarise

REDACTED_FIELDS = SECRET_FIELDS
META_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "actor",
                         "originator_topic", "class_version"})
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
VIETNAM = timezone(timedelta(hours=7))  # no daylight saving: a fixed offset is exact
# Fields of a line that are presentation, not evidence: a later wording may differ.
PRESENTATION = ("summary_vi", "summary_en")
# The line format of new entries (see the module docstring); what version 2 added.
LINE_VERSION = 2
V2_FIELDS = ("line_version", "event_sha256")
# What the event store holds beside an event's state, in its own columns.
STORED_KEYS = frozenset({"originator_id", "originator_version"})


# -- the line -----------------------------------------------------------------------------
_SCALARS = (str, int, bool, type(None))


def jsonable(value: Any) -> Any:
    """``value`` with only str/int/bool/None/list/dict inside (what RFC 8785 lines hold)."""
    if type(value) in _SCALARS:  # the common case first: exact types, no subclass walk
        return value
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime):
        return iso_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return str(value)  # floats never enter a line as numbers
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def iso_time(when: datetime) -> str:
    """UTC, microseconds, 'Z': 2024-12-31T17:00:00.000000Z."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    text = when.astimezone(UTC).isoformat(timespec="microseconds")  # ...+00:00
    return text[:-6] + "Z"


def event_id(originator_id: Any, version: int) -> str:
    """uuid5(NAMESPACE, "<originator id>/<version>") as text, computed directly (the uuid
    module's uuid5 builds two UUID objects on the way)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{originator_id}/{version}".encode())
                       .digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_NAMESPACE_BYTES = NAMESPACE.bytes


@functools.cache
def split_topic(topic: str) -> tuple[str, str]:
    """'thidua:ScoreSheet.Submitted' -> ('ScoreSheet', 'Submitted')."""
    name = topic.split(":", 1)[-1]
    obj, _, action = name.rpartition(".")
    return (obj or name), (action or name)


def redacted(event_class: Any) -> frozenset[str]:
    return secret_fields(event_class)


def _tagged(value: Any) -> Any:
    """A value JSON has no type for, with its type named (json.dumps calls this)."""
    if isinstance(value, datetime):
        return {"_type_": "datetime", "_data_": value.isoformat()}
    if isinstance(value, date):
        return {"_type_": "date", "_data_": value.isoformat()}
    if isinstance(value, time):
        return {"_type_": "time", "_data_": value.isoformat()}
    if isinstance(value, UUID):
        return {"_type_": "uuid", "_data_": value.hex}
    if isinstance(value, Decimal):
        return {"_type_": "decimal", "_data_": str(value)}
    if isinstance(value, bytes | bytearray):
        return {"_type_": "bytes", "_data_": bytes(value).hex()}
    if isinstance(value, set | frozenset):  # in a fixed order, whatever the hash seed
        return {"_type_": "set", "_data_": sorted(typed_json(v) for v in value)}
    kind = type(value)
    return {"_type_": f"{kind.__module__}.{kind.__qualname__}", "_data_": str(value)}


def typed_json(value: Any) -> str:
    """``value`` as JSON text in which every type counts: a date and its ISO text, a UUID
    and its string, 1 and 1.0 and "1" all differ. Sorted keys, ASCII only."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_tagged)


def event_digest(*, position: int, originator_id: Any, version: int, class_version: int,
                 state: dict[str, Any]) -> str:
    """SHA-256 (hex) of an event as the application decodes it from the store: its log
    position, originator id, version, class version and every attribute of its state."""
    body = {"position": position, "originator_id": str(originator_id), "version": version,
            "class_version": class_version,
            "state": {k: v for k, v in state.items() if k not in STORED_KEYS}}
    return hashlib.sha256(typed_json(body).encode("ascii")).hexdigest()


def build_record(*, position: int, topic: str, originator_id: Any, version: int,
                 class_version: int, state: dict[str, Any],
                 hide: frozenset[str] = REDACTED_FIELDS,
                 line_version: int = LINE_VERSION) -> dict[str, Any]:
    """The audit record of one event, from its state (the event's attributes), in the
    format of ``line_version`` (1: what lines held before version 2)."""
    actor = state.get("actor") or {}
    object_type, action = split_topic(topic)
    data = {k: jsonable(v) for k, v in state.items() if k not in META_FIELDS and k not in hide}
    vi, en = summarise(topic, object_type, action, data)
    timestamp = state.get("timestamp")
    record = {
        "position": position,
        "event_id": event_id(originator_id, version),
        "time": iso_time(timestamp) if isinstance(timestamp, datetime) else jsonable(timestamp),
        "topic": topic,
        "action": action,
        "object_type": object_type,
        "object_id": str(originator_id),
        "version": version,
        "class_version": class_version,
        "actor": {"user_id": actor.get("user_id"), "name": actor.get("user_name"),
                  "role": actor.get("role"), "roles": jsonable(actor.get("roles") or [])},
        "unit": {"id": jsonable(actor.get("unit_id")), "code": actor.get("unit_code")},
        "request_id": actor.get("request_id"),
        "source_address": actor.get("source"),
        "reason": actor.get("reason"),
        "summary_vi": vi,
        "summary_en": en,
        "data": data,
    }
    if line_version >= 2:
        record["line_version"] = line_version
        record["event_sha256"] = event_digest(position=position, originator_id=originator_id,
                                              version=version, class_version=class_version,
                                              state=state)
    return record


def record_of(event: Any, position: int) -> dict[str, Any]:
    """The audit record of a domain event at ``position`` in the log."""
    cls: Any = type(event)
    return build_record(position=position, topic=get_topic(cls),
                        originator_id=event.originator_id, version=event.originator_version,
                        class_version=getattr(cls, "class_version", 1), state=dict(vars(event)),
                        hide=redacted(cls))


def refs_of(record: dict[str, Any]) -> list[str]:
    """Every id the record mentions (object, acting unit, ids in its data): what the
    timeline's unit and group filters match."""
    found = {record["object_id"]}
    if record["unit"]["id"]:
        found.add(str(record["unit"]["id"]))

    uuid = UUID_RE.fullmatch

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if len(value) == 36 and uuid(value):  # the length first: most texts are not ids
                found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                if v.__class__ is not str:
                    walk(v)
                elif len(v) == 36 and uuid(v):
                    found.add(v)
        elif isinstance(value, list):
            for v in value:
                if v.__class__ is not str:
                    walk(v)
                elif len(v) == 36 and uuid(v):
                    found.add(v)

    walk(record["data"])
    return sorted(found)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
