"""Offline verifier for a thidua audit export bundle. Needs only Python 3 and ``cryptography``.

Usage::

    python verifier.py BUNDLE_DIR [--anchor FILE]

Exit status 0 and ``OK: N lines, head <hex>, K checkpoints verified`` when the bundle is intact;
exit status 1 and ``BROKEN at line L (position P): <reason>`` naming the first problem otherwise;
exit status 2 when the command line is wrong.

``--anchor FILE`` anchors the check on checkpoints held outside the bundle: the
``checkpoints.json`` of the last bundle received, or a checkpoint the operator published
(``flask audit checkpoint --out FILE``); a JSON list of checkpoints or a single one. Each must
be signed by the bundle's key, and the chain recomputed from the lines must reach the same head
at its size: so a trail rewritten before the anchor, or cut short of it, is BROKEN even when
the bundle was re-signed. An anchor before the first exported line is compared with the
bundle's checkpoint of the same size; at least one anchor must be checked.

Bundle directory
    ``audit.jsonl``
        One line per audit entry, UTF-8, each terminated by exactly LF, no byte order mark::

            {"position":P,"line":"<canonical JSON line>","hash":"<entry hex>"}

        (``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``). Positions are
        consecutive. ``entry[P] = sha256(entry[P-1] || sha256(line encoded as UTF-8))`` and
        ``entry[0]`` is 32 zero bytes.
    ``checkpoints.json``
        A JSON list of signed checkpoints ``{"origin", "size", "head", "signature", "key_id",
        "signed_at"}``, ordered by size. ``signature`` is a base64 Ed25519 signature over
        ``checkpoint_message(origin, size, head)`` below.
    ``public_key.pem``
        The Ed25519 public key (SubjectPublicKeyInfo PEM) that signs the checkpoints.
    ``anchor.json`` (optional)
        ``{"size": S, "head": "<hex>"}``: the signed checkpoint just before the first exported
        line, for an export starting mid-chain. Absent: the export starts at position 1.
    ``verifier.py``
        This file.

Checks: every line's form, position and hash; every checkpoint's signature; every checkpoint
inside the exported range against the recomputed chain; the anchor against a signed checkpoint;
that a signed checkpoint covers the end of the export; and the ``--anchor`` checkpoints.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import math
import os
import pathlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = bytes(32)
CHECKPOINT_HEADER = "thidua-audit-checkpoint/v1"
BOM = b"\xef\xbb\xbf"
HEX = frozenset("0123456789abcdef")
BAD_SIGNATURE = "bad signature (wrong key or edited checkpoint)"
# The bytes after a line's field ``line``: '","hash":"' + 64 hex digits + '"}' + LF.
HASH_FIELD = b'","hash":"'
TAIL = len(HASH_FIELD) + 64 + 3
HASH_AT = slice(-TAIL + len(HASH_FIELD), -3)  # the stored hash within a raw line
# What the fast path removes from a field ``line`` escaped only with \": every backslash, and
# the control characters (which JSON escapes, so a raw one is a malformed line).
UNESCAPE = b"\\" + bytes(range(0x20))
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]  # what json.loads uses


def checkpoint_message(origin: str, size: int, head: bytes) -> bytes:
    """The exact bytes signed for a checkpoint (copy of projections.auditchain's)."""
    if "\n" in origin or "\r" in origin:
        raise ValueError("origin may not contain line breaks")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError("size must be a non-negative integer")
    if len(head) != 32:
        raise ValueError("head must be 32 bytes")
    return f"{CHECKPOINT_HEADER}\n{origin}\n{size}\n{head.hex()}\n".encode()


def entry_hash(prev: bytes, line: bytes) -> bytes:
    """``sha256(prev || sha256(line))``."""
    return hashlib.sha256(prev + hashlib.sha256(line).digest()).digest()


@dataclass
class Result:
    """Outcome of a verification; on failure ``error`` names the first problem found.

    ``line_no`` is the 1-based line of audit.jsonl, ``position`` the chain position that line
    should hold; both are None for problems not tied to a line.
    """

    ok: bool
    lines: int
    head: str
    checkpoints: int
    error: str | None = None
    line_no: int | None = None
    position: int | None = None
    anchors: int = 0  # --anchor checkpoints found to agree with the chain
    anchored_at: int | None = None  # the largest size among them

    def __str__(self) -> str:
        if self.ok:
            n, k = self.lines, self.checkpoints
            text = f"OK: {n} lines, head {self.head}, {k} checkpoints verified"
            if self.anchors:
                text += (f"; anchored on {self.anchors} checkpoint(s) held outside, the "
                         f"latest at size {self.anchored_at}")
            return text
        if self.line_no is None:
            return f"BROKEN: {self.error}"
        return f"BROKEN at line {self.line_no} (position {self.position}): {self.error}"


class Broken(Exception):
    """The first problem found (a bundle's or an anchor file's)."""

    def __init__(self, reason: str, line_no: int | None = None, position: int | None = None):
        super().__init__(reason)
        self.reason, self.line_no, self.position = reason, line_no, position


def _is_hex32(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= HEX


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class Checkpoint:
    origin: str
    size: int
    head: bytes
    signature: bytes
    key_id: str = ""
    signed_at: str = ""

    def named(self) -> str:
        return f"checkpoint at size {self.size} (key {self.key_id or '?'}, signed " \
               f"{self.signed_at or '?'})"


def _read_json(path: pathlib.Path, name: str) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError as exc:
        raise Broken(f"{name} is missing") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise Broken(f"{name} is not valid UTF-8 JSON: {exc}") from exc


def _load_checkpoints(path: pathlib.Path) -> list[Checkpoint]:
    data = _read_json(path, "checkpoints.json")
    if not isinstance(data, list):
        raise Broken("checkpoints.json is not a JSON list")
    return parse_checkpoints(data, "checkpoints.json")


def load_anchor(path: str | pathlib.Path) -> list[Checkpoint]:
    """The checkpoints of an anchor file: a JSON list of checkpoints (a bundle's
    checkpoints.json) or one checkpoint (``flask audit checkpoint --out``); at least one."""
    path = pathlib.Path(path)
    name = f"anchor {path.name}"
    data = _read_json(path, name)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise Broken(f"{name} holds no checkpoint (a JSON list of checkpoints, or one)")
    return parse_checkpoints(data, name)


def parse_checkpoints(data: list[Any], name: str) -> list[Checkpoint]:
    """Checked checkpoint objects, by size (``name`` says where they came from)."""
    out = []
    for i, cp in enumerate(data, 1):
        bad = f"{name} entry {i} is malformed"
        if not isinstance(cp, dict):
            raise Broken(f"{bad}: not an object")
        origin, size, head, sig = (cp.get(k) for k in ("origin", "size", "head", "signature"))
        if not isinstance(origin, str) or "\n" in origin or "\r" in origin:
            raise Broken(f"{bad}: origin")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise Broken(f"{bad}: size")
        if not isinstance(head, str) or not _is_hex32(head):
            raise Broken(f"{bad}: head")
        try:
            signature = base64.b64decode(sig if isinstance(sig, str) else "", validate=True)
        except binascii.Error:
            signature = b""
        if len(signature) != 64:
            raise Broken(f"{bad}: signature")
        key_id, signed_at = cp.get("key_id"), cp.get("signed_at")
        out.append(Checkpoint(origin, size, bytes.fromhex(head), signature,
                               key_id if isinstance(key_id, str) else "",
                               signed_at if isinstance(signed_at, str) else ""))
    return sorted(out, key=lambda c: c.size)


def _load_public_key(path: pathlib.Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError as exc:
        raise Broken("public_key.pem is missing") from exc
    except ValueError as exc:
        raise Broken(f"public_key.pem is not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise Broken("public_key.pem is not an Ed25519 public key")
    return key


def _load_anchor(path: pathlib.Path) -> tuple[int, bytes] | None:
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Broken(f"anchor.json is not valid UTF-8 JSON: {exc}") from exc
    if not isinstance(data, dict) or not _is_int(data.get("size")) or data["size"] < 0:
        raise Broken("anchor.json is malformed: size")
    if not _is_hex32(data.get("head")):
        raise Broken("anchor.json is malformed: head")
    return data["size"], bytes.fromhex(data["head"])


def signed(key: Ed25519PublicKey, cp: Checkpoint) -> bool:
    """Whether ``key`` signed the checkpoint ``cp``."""
    try:
        key.verify(cp.signature, checkpoint_message(cp.origin, cp.size, cp.head))
    except (InvalidSignature, ValueError):  # ValueError: not a message anyone signs
        return False
    return True


def _line_bytes(raw: bytes, prefix: bytes) -> bytes | None:
    """The UTF-8 bytes of field ``line`` if ``raw`` is exactly the export serialisation
    ``prefix + <line as a JSON string> + '","hash":"' + <64 bytes> + '"}' + LF`` (``prefix``
    being '{"position":P,"line":"' for the expected P); None when it is not, or may not be.

    Accepts only lines that :func:`_parse_line` accepts with this position and line (the stored
    hash is checked by the caller); anything else goes to it for the verdict and its reason.
    """
    start, end = len(prefix), len(raw) - TAIL
    if (end < start or not raw.startswith(prefix) or not raw.endswith(b'"}\n')
            or not raw.startswith(HASH_FIELD, end)):
        return None
    body = raw[start:end]
    # Usual case: the only escapes are \" (the quotes of the canonical JSON line). Removing the
    # backslashes and control characters then removes exactly one byte per quote when every
    # quote is escaped and every backslash escapes a quote, and no control character is raw.
    data = body.translate(None, UNESCAPE)
    quotes = body.count(b'"')
    if len(body) - len(data) == quotes and body.count(b'\\"') == quotes:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return data
    # Other escapes (\\, \n, \u00XX ...): decode the JSON string and check that it re-encodes
    # to the same text (the C functions json.loads and json.dumps use for strings).
    try:
        text = raw[start - 1:end + 1].decode("utf-8")
        line, stop = _scanstring(text, 1)
        if stop != len(text) or encode_basestring(line) != text:
            return None
        return line.encode("utf-8")
    except ValueError:  # UnicodeDecodeError, UnicodeEncodeError, JSONDecodeError
        return None


def _parse_line(raw: bytes, line_no: int, position: int) -> tuple[int, str, str]:
    """Check one raw line's form; return its (position, line, hash)."""

    def broken(reason: str) -> Broken:
        return Broken(reason, line_no, position)

    if not raw.endswith(b"\n"):
        raise broken("last line is not terminated by LF (file truncated?)")
    body = raw[:-1]
    if body.endswith(b"\r"):
        raise broken("CRLF line ending (lines must end with LF only)")
    if body.startswith(BOM):
        where = "file" if line_no == 1 else "line"
        raise broken(f"byte order mark at start of {where}")
    if not body:
        raise broken("empty line")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise broken(f"not valid UTF-8: {exc}") from exc
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise broken(f"not valid JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise broken("not a JSON object")
    missing = [k for k in ("position", "line", "hash") if k not in obj]
    if missing:
        raise broken(f"missing field(s): {', '.join(missing)}")
    extra = sorted(set(obj) - {"position", "line", "hash"})
    if extra:
        raise broken(f"unexpected field(s): {', '.join(extra)}")
    if not _is_int(obj["position"]):
        raise broken("field position is not an integer")
    if not isinstance(obj["line"], str):
        raise broken("field line is not a string")
    if not _is_hex32(obj["hash"]):
        raise broken("field hash is not 64 lowercase hex digits")
    if json.dumps(obj, ensure_ascii=False, separators=(",", ":")) != text:
        raise broken("line is not in the exact export serialisation")
    return obj["position"], obj["line"], obj["hash"]


def _checked_line(raw: bytes, line_no: int, expected: int, head: bytes) -> bytes:
    """Check one line fully (the slow path, which names the problem); return the new head."""
    position, line, stored = _parse_line(raw, line_no, expected)
    if position != expected:
        raise Broken(
            f"position {position} expected {expected} (line deleted, duplicated or reordered)",
            line_no,
            expected,
        )
    try:
        data = line.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Broken(f"field line is not valid Unicode: {exc}", line_no, expected) from exc
    head = entry_hash(head, data)
    if head.hex() != stored:
        raise Broken("hash mismatch: line content changed", line_no, expected)
    return head


def _verify(bundle: pathlib.Path, state: dict[str, Any],
            anchor_file: pathlib.Path | None = None,
            progress: Callable[[int, int], None] | None = None) -> None:
    key = _load_public_key(bundle / "public_key.pem")
    checkpoints = _load_checkpoints(bundle / "checkpoints.json")
    anchor = _load_anchor(bundle / "anchor.json")
    outside = [] if anchor_file is None else load_anchor(anchor_file)
    for given in outside:
        if not signed(key, given):
            raise Broken(f"anchor {given.named()} is not signed by the bundle's key "
                          "(public_key.pem): the bundle was signed by another key, or the "
                          "anchor was edited")
    if anchor is not None and not any(
        cp.size == anchor[0] and cp.head == anchor[1] and signed(key, cp) for cp in checkpoints
    ):
        raise Broken("anchor is not a signed checkpoint")
    size, head = anchor if anchor is not None else (0, GENESIS)
    state["head"] = head.hex()
    for early in (a for a in outside if a.size < size):  # before the export's first line
        for theirs in checkpoints:
            if theirs.size == early.size and signed(key, theirs):
                if theirs.head != early.head:
                    raise Broken(f"anchor {early.named()} and the bundle's checkpoint at that "
                                 "size name different heads: the trail was rewritten before "
                                 "it and signed again")
                _anchored(state, early)
                break
    pending = iter(checkpoints)
    cp = next(pending, None)
    inside = iter([a for a in outside if a.size >= size])
    held = next(inside, None)

    def check_checkpoints(line_no: int | None, size: int, head: bytes) -> float:
        """Check every checkpoint (and anchor) up to ``size``; those at it must match
        ``head``. Return the size of the next one (infinity when there is none)."""
        nonlocal cp, held
        while cp is not None and cp.size <= size:
            where = f"checkpoint at size {cp.size}"
            pos = cp.size if line_no is not None else None
            if not signed(key, cp):
                raise Broken(f"{where}: {BAD_SIGNATURE}", line_no, pos)
            state["checkpoints"] += 1
            if cp.size == size:
                if cp.head != head:
                    raise Broken(f"{where} does not match the chain", line_no, pos)
                state["covered"] = size
            cp = next(pending, None)
        while held is not None and held.size <= size:
            if held.head != head:
                raise Broken(f"the chain at size {size} does not match anchor {held.named()}: "
                              f"the trail was rewritten at or before position {size}",
                              line_no, size if line_no is not None else None)
            _anchored(state, held)
            held = next(inside, None)
        return min(math.inf if cp is None else cp.size, math.inf if held is None else held.size)

    due = check_checkpoints(None, size, head)
    try:
        audit = (bundle / "audit.jsonl").open("rb", buffering=1 << 20)
    except FileNotFoundError as exc:
        raise Broken("audit.jsonl is missing") from exc
    sha256, hexlify = hashlib.sha256, binascii.hexlify
    lines = 0
    size_on_disk = os.fstat(audit.fileno()).st_size
    try:
        with audit:
            for line_no, raw in enumerate(audit, 1):
                if progress is not None and not line_no & 0x3FFF:  # every 16,384 lines
                    progress(audit.tell(), size_on_disk)
                expected = size + 1
                data = _line_bytes(raw, b'{"position":%d,"line":"' % expected)
                if data is not None:
                    new = sha256(head + sha256(data).digest()).digest()
                    if hexlify(new) != raw[HASH_AT]:
                        new = _checked_line(raw, line_no, expected, head)
                else:
                    new = _checked_line(raw, line_no, expected, head)
                head, size, lines = new, expected, line_no
                if size >= due:
                    due = check_checkpoints(line_no, size, head)
        if progress is not None:
            progress(size_on_disk, size_on_disk)
    finally:
        state.update(lines=lines, head=head.hex())
    if state["covered"] != size:
        last = state["lines"] or None
        raise Broken(
            f"no signed checkpoint covers the end of the export (size {size})",
            last,
            size if last else None,
        )
    if held is not None:
        raise Broken(f"the export ends at size {size}, before anchor {held.named()}: entries "
                      "after it were deleted, or the export stops short of the anchor")
    if outside and not state["anchors"]:
        raise Broken("no anchor checkpoint could be checked against this export: they lie "
                      f"before its first line (position {size - lines + 1}) and the bundle has "
                      "no checkpoint of the same size; export from an earlier position")
    while cp is not None:  # checkpoints beyond the export: signatures only
        if not signed(key, cp):
            raise Broken(f"checkpoint at size {cp.size}: {BAD_SIGNATURE}")
        state["checkpoints"] += 1
        cp = next(pending, None)


def _anchored(state: dict[str, Any], held: Checkpoint) -> None:
    state["anchors"] += 1
    state["anchored_at"] = max(state["anchored_at"] or 0, held.size)


def verify_bundle(path: str | pathlib.Path, anchor: str | pathlib.Path | None = None,
                  progress: Callable[[int, int], None] | None = None) -> Result:
    """Verify the export bundle in directory ``path`` (against the checkpoints in the file
    ``anchor``, if given); report the first problem found. ``progress(bytes read, bytes)``
    is told as the lines are read."""
    bundle = pathlib.Path(path)
    state: dict[str, Any] = {"lines": 0, "head": "", "checkpoints": 0, "covered": None,
                             "anchors": 0, "anchored_at": None}
    try:
        try:
            _verify(bundle, state, None if anchor is None else pathlib.Path(anchor), progress)
        except OSError as exc:
            raise Broken(f"cannot read the bundle: {exc}") from exc
    except Broken as exc:
        return Result(
            False,
            state["lines"],
            state["head"],
            state["checkpoints"],
            exc.reason,
            exc.line_no,
            exc.position,
        )
    return Result(True, state["lines"], state["head"], state["checkpoints"],
                  anchors=state["anchors"], anchored_at=state["anchored_at"])


def main(argv: list[str]) -> int:
    """Exit status 0 when intact, 1 when broken, 2 for a wrong command line."""
    parser = argparse.ArgumentParser(
        prog="python verifier.py",
        description="Verify a thidua audit export bundle offline.")
    parser.add_argument("bundle", metavar="BUNDLE_DIR")
    parser.add_argument("--anchor", metavar="FILE",
                        help="checkpoints held outside the bundle (the last bundle's "
                             "checkpoints.json, or a published checkpoint)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage
        return 2 if exc.code else 0
    result = verify_bundle(args.bundle, args.anchor)
    print(result)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
