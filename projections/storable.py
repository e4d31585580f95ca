"""What a view table can hold, whatever an event holds.

PostgreSQL text and jsonb cannot hold NUL, and UTF-8 cannot encode a lone surrogate. The
domain refuses both (domain.kernel.text), but a store may hold an event written before it did; a
view must still apply it, or every view behind it stalls. So the views' connections write
every text and jsonb value through :func:`storable_text`, which puts U+FFFD (the replacement
character) in place of each such character and leaves every other text as it is, byte for
byte. The audit line is bytea, written by its own rule (projections.auditchain).
"""

from __future__ import annotations

import json
import re
from typing import Any

from psycopg import Connection
from psycopg.types.json import set_json_dumps
from psycopg.types.string import StrBinaryDumper, StrDumper, StrDumperUnknown

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` with U+FFFD for every NUL and lone surrogate (the same object if none)."""
    return _UNSTORABLE.sub(REPLACEMENT, text) if _UNSTORABLE.search(text) else text


def storable(value: Any) -> Any:
    """``value`` with :func:`storable_text` applied to every string in it, keys included."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value


def _encode(text: str, encoding: str) -> bytes:
    if "\x00" in text:
        text = storable_text(text)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # a lone surrogate
        return storable_text(text).encode(encoding)


class _Text(StrDumper):
    def dump(self, obj: str) -> bytes:
        return _encode(obj, self._encoding)


class _TextBinary(StrBinaryDumper):
    def dump(self, obj: str) -> bytes:
        return _encode(obj, self._encoding)


class _TextUnknown(StrDumperUnknown):
    def dump(self, obj: str) -> bytes:
        return _encode(obj, self._encoding)


def json_dumps(value: Any) -> bytes:
    """JSON for a json/jsonb column; ``\\u0000`` (which jsonb refuses) and lone surrogates
    are written as U+FFFD."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return json.dumps(storable(value), ensure_ascii=False).encode("utf-8")
    if b"\\u0000" in data:  # maybe an escaped NUL; a literal backslash-u0000 stays as it is
        return json.dumps(storable(value), ensure_ascii=False).encode("utf-8")
    return data


def install(conn: Connection[Any]) -> None:
    """Make every text and json value this connection writes storable (see module doc)."""
    conn.adapters.register_dumper(str, _TextBinary)
    conn.adapters.register_dumper(str, _Text)
    conn.adapters.register_dumper(str, _TextUnknown)  # the default for str, so last
    set_json_dumps(json_dumps, conn)
