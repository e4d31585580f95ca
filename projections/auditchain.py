"""Tamper-evident audit chain: canonical lines, the hash chain, signed checkpoints, JSONL export.

Lines
    Each audit record is serialised as one canonical JSON line (RFC 8785, ``rfc8785.dumps``):
    UTF-8 bytes, no trailing newline. Records hold only str, int, bool, None, list and dict;
    floats are refused (their canonical form is a source of disagreement between tools).

Chain
    ``entry[n] = sha256(entry[n-1] || sha256(line[n]))`` with ``entry[0] = GENESIS`` (32 zero
    bytes). Positions start at 1; the *size* of the chain is the position of its last line and
    its *head* is that line's entry.

Checkpoints
    Ed25519 signature over the UTF-8 message::

        thidua-audit-checkpoint/v1\\n<origin>\\n<size in decimal>\\n<head as lowercase hex>\\n

    stored as ``{"origin", "size", "head", "signature", "key_id", "signed_at"}`` where ``head``
    is lowercase hex, ``signature`` standard base64, ``key_id`` the lowercase hex of the first
    16 bytes of sha256(raw 32-byte public key) and ``signed_at`` an ISO 8601 UTC time. Only
    origin, size and head are signed. The private key lives in a PEM (PKCS8) file, never in
    the database.

JSONL export
    One line per entry: ``{"position": int, "line": <canonical line as a JSON string>,
    "hash": <entry as lowercase hex>}`` serialised with
    ``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``, UTF-8, terminated by exactly
    ``"\\n"``. A verifier recomputes each entry from the previous one and ``line`` encoded as
    UTF-8, so the exact stored bytes are checked. ``projections/verifier.py`` (stdlib and
    ``cryptography`` only) checks a bundle of such lines and keeps a copy of
    :func:`checkpoint_message`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import pathlib
import re
import tempfile
from datetime import UTC, datetime
from typing import Any

import orjson
import rfc8785
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

GENESIS = bytes(32)
CHECKPOINT_HEADER = "thidua-audit-checkpoint/v1"


SAFE_INTEGER = 2**53 - 1
_sorted_compact = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _plain(value: Any) -> bool:
    """Refuse floats; say whether the standard library's sorted, compact JSON is already
    the RFC 8785 form of ``value``: true unless an integer is beyond what an IEEE double holds
    exactly, or a key has a character outside the Basic Multilingual Plane (RFC 8785 sorts
    keys by UTF-16 code units, Python by code points; they differ only there)."""
    kind = type(value)
    if kind is str or value is None or kind is bool:  # the common leaves, by exact type
        return True
    if kind is int:
        return -SAFE_INTEGER <= value <= SAFE_INTEGER
    if isinstance(value, float):
        raise TypeError(f"audit records may not hold floats: {value!r}")
    if isinstance(value, dict):
        plain = True
        for key, item in value.items():
            if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                plain = False
            if type(item) is not str:
                plain = _plain(item) and plain
        return plain
    if isinstance(value, list | tuple):
        plain = True
        for item in value:
            if type(item) is not str:
                plain = _plain(item) and plain
        return plain
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= SAFE_INTEGER
    if isinstance(value, str):
        return True
    # what json.dumps says of it (orjson would write a date, a UUID or a dataclass instead)
    raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


def canonical_line(record: dict[str, Any]) -> bytes:
    """The RFC 8785 canonical JSON of ``record`` (str/int/bool/None/list/dict only; no floats).

    For such values orjson's sorted, compact JSON and the standard library's (without ASCII
    escaping) are byte for byte the RFC 8785 form (property tests, and every line of a generated
    year, hold them equal); orjson writes it, the standard library when orjson refuses a value,
    and the rfc8785 package the rare record where they could differ.

    A lone surrogate (which UTF-8 cannot encode) is written as U+FFFD: only an event stored
    before the domain refused them holds one. Every other text, control characters included,
    is written as RFC 8785 escapes it, so the line says exactly what the event holds."""
    try:
        if _plain(record):
            try:
                return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
            except orjson.JSONEncodeError:  # a lone surrogate, nesting orjson refuses...
                return _sorted_compact(record).encode("utf-8")
        return rfc8785.dumps(record)
    except (UnicodeEncodeError, rfc8785.CanonicalizationError):
        fixed = without_surrogates(record)
        if fixed == record:
            raise
        return canonical_line(fixed)


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: Any) -> Any:
    """``value`` with U+FFFD for every lone surrogate in its texts, keys included: the
    record as its canonical line writes it."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_surrogates(v) for v in value]
    return value


def entry_hash(prev: bytes, line: bytes) -> bytes:
    """``sha256(prev || sha256(line))``."""
    return hashlib.sha256(prev + hashlib.sha256(line).digest()).digest()


class Chain:
    """An incrementally built hash chain: ``head`` is the entry of line number ``size``."""

    def __init__(self, head: bytes = GENESIS, size: int = 0) -> None:
        if len(head) != 32 or size < 0:
            raise ValueError("head must be 32 bytes and size non-negative")
        self.head = head
        self.size = size

    def append(self, line: bytes) -> bytes:
        """Chain ``line`` on and return the new head."""
        self.head = entry_hash(self.head, line)
        self.size += 1
        return self.head


def checkpoint_message(origin: str, size: int, head: bytes) -> bytes:
    """The exact bytes signed for a checkpoint (kept identical to the verifier's copy)."""
    if "\n" in origin or "\r" in origin:
        raise ValueError("origin may not contain line breaks")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError("size must be a non-negative integer")
    if len(head) != 32:
        raise ValueError("head must be 32 bytes")
    return f"{CHECKPOINT_HEADER}\n{origin}\n{size}\n{head.hex()}\n".encode()


def key_id(public_key: Ed25519PublicKey) -> str:
    """Lowercase hex of the first 16 bytes of sha256(raw public key)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:16].hex()


def sign_checkpoint(
    private_key: Ed25519PrivateKey,
    origin: str,
    size: int,
    head: bytes,
    signed_at: datetime | None = None,
) -> dict[str, Any]:
    """A signed checkpoint of the chain at ``size`` with head ``head``."""
    signature = private_key.sign(checkpoint_message(origin, size, head))
    when = (signed_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "origin": origin,
        "size": size,
        "head": head.hex(),
        "signature": base64.b64encode(signature).decode("ascii"),
        "key_id": key_id(private_key.public_key()),
        "signed_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _load_private_key(path: pathlib.Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError(f"{path} does not hold an Ed25519 private key")
    return key


def load_or_create_signing_key(path: pathlib.Path) -> Ed25519PrivateKey:
    """Load the PEM (PKCS8) Ed25519 key at ``path``; create it (mode 0600) if it does not exist.

    Creation is atomic: the key is written to a temporary file and hard-linked into place, so
    two processes starting together end up using the same key.
    """
    path = pathlib.Path(path)
    if path.exists():
        return _load_private_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # a name of its own per process AND thread: two threads of one process may race here
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = pathlib.Path(name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _load_private_key(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return key


def public_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    """The SubjectPublicKeyInfo PEM of the key's public half (what inspectors hold)."""
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# What json.dumps(ensure_ascii=False) writes for a string (the C function it calls)
_json_string = json.encoder.encode_basestring


def export_line(position: int, line: bytes, entry: bytes) -> bytes:
    """One JSONL export line for the entry at ``position`` (see the module docstring): the
    bytes ``json.dumps({"position": position, "line": line.decode("utf-8"), "hash":
    entry.hex()}, ensure_ascii=False, separators=(",", ":")) + "\\n"`` encoded as UTF-8, written
    without building an encoder for every line."""
    if position.__class__ is not int:  # what json.dumps would write for it, whatever it is
        obj = {"position": position, "line": line.decode("utf-8"), "hash": entry.hex()}
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    return b'{"position":%d,"line":%b,"hash":"%b"}\n' % (
        position, _json_string(line.decode("utf-8")).encode("utf-8"), entry.hex().encode())
