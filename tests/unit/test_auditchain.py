"""Audit chain and offline verifier: a bundle verifies, and each kind of tampering is located."""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections import auditchain, verifier
from projections.auditchain import (
    GENESIS,
    Chain,
    canonical_line,
    entry_hash,
    export_line,
    load_or_create_signing_key,
    public_key_pem,
    sign_checkpoint,
)

ORIGIN = "thidua.baohiemxahoi.gov.vn"
SIGNED_AT = datetime(2025, 1, 15, 8, 0, tzinfo=UTC)
N = 50
VERIFIER_SRC = pathlib.Path(verifier.__file__)

SUMMARIES = [
    ("Phiếu chấm điểm đã gửi", "Scoring sheet submitted"),
    ("Đăng ký thi đua đã được duyệt", "Emulation registration approved"),
    ("Hồ sơ khen thưởng bị trả lại", "Award dossier returned"),
]


def record(position: int) -> dict[str, Any]:
    vi, en = SUMMARIES[position % len(SUMMARIES)]
    return {
        "position": position,
        "event_id": f"00000000-0000-4000-8000-{position:012d}",
        "time": f"2025-01-15T07:{position % 60:02d}:00Z",
        "actor": {"user_id": f"u{position % 7}", "name": "Nguyễn Thị Hằng", "role": "can_bo"},
        "unit": "BHXH tỉnh Hà Tĩnh",
        "action": "submit",
        "object_type": "ScoringSheet",
        "object_id": f"HS-{position:04d}",
        "version": position % 5 + 1,
        "summary_vi": vi,
        "summary_en": en,
        "request_id": f"req-{position}",
        "source_address": "10.0.0.7",
        "reason": None if position % 2 else 'Bổ sung minh chứng "đúng hạn"\n(lần 2)',
    }


LINES = [canonical_line(record(p)) for p in range(1, N + 1)]


def _entries() -> list[bytes]:
    chain = Chain()
    return [chain.append(line) for line in LINES]


ENTRIES = _entries()  # ENTRIES[p - 1] is the head at size p


def write_bundle(
    directory: pathlib.Path,
    key: Ed25519PrivateKey,
    first: int = 1,
    last: int = N,
    sizes: tuple[int, ...] = (20, 50),
) -> pathlib.Path:
    """Write an export of positions first..last with checkpoints at ``sizes``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "audit.jsonl").write_bytes(
        b"".join(export_line(p, LINES[p - 1], ENTRIES[p - 1]) for p in range(first, last + 1))
    )
    cps = [sign_checkpoint(key, ORIGIN, s, ENTRIES[s - 1], SIGNED_AT) for s in sizes]
    (directory / "checkpoints.json").write_text(json.dumps(cps, indent=2))
    (directory / "public_key.pem").write_bytes(public_key_pem(key))
    if first > 1:
        anchor = {"size": first - 1, "head": ENTRIES[first - 2].hex()}
        (directory / "anchor.json").write_text(json.dumps(anchor))
    shutil.copy(VERIFIER_SRC, directory / "verifier.py")
    return directory


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Ed25519PrivateKey:
    return load_or_create_signing_key(tmp_path_factory.mktemp("var") / "keys" / "audit.pem")


@pytest.fixture
def bundle(tmp_path: pathlib.Path, key: Ed25519PrivateKey) -> pathlib.Path:
    return write_bundle(tmp_path / "bundle", key)


def edit_lines(directory: pathlib.Path, change: Callable[[list[bytes]], list[bytes]]) -> None:
    path = directory / "audit.jsonl"
    path.write_bytes(b"".join(change(path.read_bytes().splitlines(keepends=True))))


def edit_checkpoints(directory: pathlib.Path, change: Callable[[list[dict]], None]) -> None:
    path = directory / "checkpoints.json"
    cps = json.loads(path.read_text())
    change(cps)
    path.write_text(json.dumps(cps))


def assert_broken(
    directory: pathlib.Path, line_no: int | None, position: int | None, reason: str
) -> verifier.Result:
    result = verifier.verify_bundle(directory)
    assert result.ok is False, result
    assert (result.line_no, result.position) == (line_no, position), result
    assert result.error is not None and reason in result.error, result
    return result


# --- chain primitives -------------------------------------------------------------------------


def test_canonical_line_is_rfc8785() -> None:
    assert canonical_line({"b": 1, "a": "Thi đua", "c": [True, None]}) == (
        '{"a":"Thi đua","b":1,"c":[true,null]}'.encode()
    )


def test_canonical_line_refuses_floats() -> None:
    with pytest.raises(TypeError):
        canonical_line({"a": {"b": [1.0]}})


def test_chain_matches_definition() -> None:
    prev = GENESIS
    for line, entry in zip(LINES, ENTRIES, strict=True):
        assert entry == entry_hash(prev, line)
        assert entry == hashlib.sha256(prev + hashlib.sha256(line).digest()).digest()
        prev = entry
    resumed = Chain(ENTRIES[19], 20)
    for line in LINES[20:]:
        resumed.append(line)
    assert (resumed.head, resumed.size) == (ENTRIES[-1], N)


def test_checkpoint_message_identical_in_verifier() -> None:
    for origin, size, head in [(ORIGIN, 0, GENESIS), ("BHXH Việt Nam", 20, ENTRIES[19])]:
        assert auditchain.checkpoint_message(origin, size, head) == verifier.checkpoint_message(
            origin, size, head
        )
    assert auditchain.checkpoint_message("o", 3, GENESIS) == (
        b"thidua-audit-checkpoint/v1\no\n3\n" + b"0" * 64 + b"\n"
    )
    for mod in (auditchain, verifier):
        with pytest.raises(ValueError):
            mod.checkpoint_message("a\nb", 1, GENESIS)


def test_signing_key_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "var" / "nested" / "audit-signing.pem"
    created = load_or_create_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_key_pem(load_or_create_signing_key(path)) == public_key_pem(created)
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    cp = sign_checkpoint(created, ORIGIN, 1, ENTRIES[0])
    assert set(cp) == {"origin", "size", "head", "signature", "key_id", "signed_at"}
    assert len(cp["key_id"]) == 32 and cp["signed_at"].endswith("Z")


def test_export_line_format() -> None:
    raw = export_line(7, LINES[6], ENTRIES[6])
    assert raw.endswith(b"}\n") and raw.count(b"\n") == 1
    assert raw.startswith(b'{"position":7,"line":"{')
    assert json.loads(raw)["line"].encode() == LINES[6]
    assert "Phiếu".encode() in raw or "Đăng".encode() in raw or "Hồ sơ".encode() in raw


# --- bundle verification ----------------------------------------------------------------------


def test_intact_bundle_verifies(bundle: pathlib.Path) -> None:
    result = verifier.verify_bundle(bundle)
    assert result == verifier.Result(True, N, ENTRIES[-1].hex(), 2)
    assert str(result) == f"OK: 50 lines, head {ENTRIES[-1].hex()}, 2 checkpoints verified"


def test_one_byte_changed(bundle: pathlib.Path) -> None:
    def change(lines: list[bytes]) -> list[bytes]:
        raw = bytearray(lines[9])
        raw[raw.index(b"HS-0010") + 6] = ord("1")
        lines[9] = bytes(raw)
        return lines

    edit_lines(bundle, change)
    assert_broken(bundle, 10, 10, "hash mismatch: line content changed")


def test_line_deleted(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda lines: lines[:14] + lines[15:])
    assert_broken(bundle, 15, 15, "position 16 expected 15 (line deleted, duplicated or reordered)")


def test_lines_swapped(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda lines: lines[:29] + [lines[30], lines[29]] + lines[31:])
    assert_broken(bundle, 30, 30, "position 31 expected 30")


def test_line_duplicated(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda lines: lines[:40] + [lines[39]] + lines[40:])
    assert_broken(bundle, 41, 41, "position 40 expected 41")


def test_crlf_line_endings(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda lines: [line.replace(b"\n", b"\r\n") for line in lines])
    assert_broken(bundle, 1, 1, "CRLF line ending")


def test_crlf_on_one_line(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda lines: lines[:6] + [lines[6].replace(b"\n", b"\r\n")] + lines[7:])
    assert_broken(bundle, 7, 7, "CRLF line ending")


def test_bom_added(bundle: pathlib.Path) -> None:
    path = bundle / "audit.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_broken(bundle, 1, 1, "byte order mark at start of file")


def test_truncated_last_line(bundle: pathlib.Path) -> None:
    path = bundle / "audit.jsonl"
    path.write_bytes(path.read_bytes()[:-1])
    assert_broken(bundle, 50, 50, "not terminated by LF")


def test_missing_field(bundle: pathlib.Path) -> None:
    def change(lines: list[bytes]) -> list[bytes]:
        obj = json.loads(lines[2])
        del obj["hash"]
        lines[2] = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        return lines

    edit_lines(bundle, change)
    assert_broken(bundle, 3, 3, "missing field(s): hash")


def test_outer_serialisation_changed(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda ls: ls[:4] + [ls[4].replace(b'"line":', b'"line": ')] + ls[5:])
    assert_broken(bundle, 5, 5, "exact export serialisation")


def test_checkpoint_size_edited(bundle: pathlib.Path) -> None:
    edit_checkpoints(bundle, lambda cps: cps[0].update(size=21))
    assert_broken(bundle, 21, 21, "checkpoint at size 21: bad signature")


def test_checkpoint_size_edited_at_end(bundle: pathlib.Path) -> None:
    edit_checkpoints(bundle, lambda cps: cps[1].update(size=49))
    assert_broken(bundle, 49, 49, "checkpoint at size 49: bad signature")


def test_checkpoints_resigned_with_wrong_key(bundle: pathlib.Path) -> None:
    other = Ed25519PrivateKey.generate()
    cps = [sign_checkpoint(other, ORIGIN, s, ENTRIES[s - 1]) for s in (20, 50)]
    (bundle / "checkpoints.json").write_text(json.dumps(cps))
    assert_broken(bundle, 20, 20, "bad signature (wrong key or edited checkpoint)")


def test_public_key_replaced(bundle: pathlib.Path) -> None:
    (bundle / "public_key.pem").write_bytes(public_key_pem(Ed25519PrivateKey.generate()))
    assert_broken(bundle, 20, 20, "checkpoint at size 20: bad signature (wrong key")


def test_rehashed_chain_caught_by_checkpoint(bundle: pathlib.Path) -> None:
    """Editing a line and recomputing every later hash still fails at the next checkpoint."""

    def change(lines: list[bytes]) -> list[bytes]:
        chain, out = Chain(), []
        for raw in lines:
            obj = json.loads(raw)
            line = obj["line"].replace("HS-0005", "HS-9999").encode()
            out.append(export_line(obj["position"], line, chain.append(line)))
        return out

    edit_lines(bundle, change)
    assert_broken(bundle, 20, 20, "checkpoint at size 20 does not match the chain")


def test_trailing_unsigned_segment(tmp_path: pathlib.Path, key: Ed25519PrivateKey) -> None:
    directory = write_bundle(tmp_path / "b", key, sizes=(20,))
    assert_broken(directory, 50, 50, "no signed checkpoint covers the end of the export (size 50)")


def test_export_cut_short(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda lines: lines[:40])
    assert_broken(bundle, 40, 40, "no signed checkpoint covers the end of the export (size 40)")


def test_mid_chain_export(tmp_path: pathlib.Path, key: Ed25519PrivateKey) -> None:
    directory = write_bundle(tmp_path / "mid", key, first=21)
    result = verifier.verify_bundle(directory)
    assert result == verifier.Result(True, 30, ENTRIES[-1].hex(), 2)


def test_mid_chain_forged_anchor(tmp_path: pathlib.Path, key: Ed25519PrivateKey) -> None:
    directory = write_bundle(tmp_path / "mid", key, first=21)
    (directory / "anchor.json").write_text(json.dumps({"size": 20, "head": "ab" * 32}))
    assert_broken(directory, None, None, "anchor is not a signed checkpoint")


def test_mid_chain_anchor_at_unsigned_size(tmp_path: pathlib.Path, key: Ed25519PrivateKey) -> None:
    directory = write_bundle(tmp_path / "mid", key, first=25)  # true head at 24, but not signed
    assert_broken(directory, None, None, "anchor is not a signed checkpoint")


def test_mid_chain_without_anchor(tmp_path: pathlib.Path, key: Ed25519PrivateKey) -> None:
    directory = write_bundle(tmp_path / "mid", key, first=21)
    (directory / "anchor.json").unlink()
    assert_broken(directory, 1, 1, "position 21 expected 1")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_single_byte_change_is_located(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = write_bundle(pathlib.Path(tmp), Ed25519PrivateKey.generate())
        path = directory / "audit.jsonl"
        raw = bytearray(path.read_bytes())
        offset = data.draw(st.integers(0, len(raw) - 1))
        value = data.draw(st.integers(0, 255).filter(lambda b: b != raw[offset]))
        raw[offset] = value
        path.write_bytes(bytes(raw))
        result = verifier.verify_bundle(directory)
        assert result.ok is False
        assert result.line_no == raw[:offset].count(b"\n") + 1, result


# --- the verifier as inspectors run it --------------------------------------------------------


def run_verifier(directory: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "verifier.py", str(directory)],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_ok(bundle: pathlib.Path) -> None:
    proc = run_verifier(bundle)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"OK: 50 lines, head {ENTRIES[-1].hex()}, 2 checkpoints verified"


def test_cli_broken(bundle: pathlib.Path) -> None:
    edit_lines(bundle, lambda lines: lines[:14] + lines[15:])
    proc = run_verifier(bundle)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("BROKEN at line 15 (position 15): position 16 expected 15")


# --- anchors held outside the bundle (--anchor) -------------------------------------------


def anchor_file(path: pathlib.Path, key: Ed25519PrivateKey, *sizes: int,
                heads: list[bytes] | None = None) -> pathlib.Path:
    heads = heads or ENTRIES
    cps = [sign_checkpoint(key, ORIGIN, s, heads[s - 1], SIGNED_AT) for s in sizes]
    path.write_text(json.dumps(cps))
    return path


def test_anchor_from_the_last_bundle_verifies(bundle: pathlib.Path, tmp_path: pathlib.Path,
                                              key: Ed25519PrivateKey) -> None:
    held = anchor_file(tmp_path / "last-bundle-checkpoints.json", key, 20)
    result = verifier.verify_bundle(bundle, held)
    assert result.ok and (result.anchors, result.anchored_at) == (1, 20), result
    assert str(result).endswith("anchored on 1 checkpoint(s) held outside, the latest at size 20")
    one = tmp_path / "published.json"  # a single checkpoint object serves as well
    one.write_text(json.dumps(json.loads(held.read_text())[0]))
    assert verifier.verify_bundle(bundle, one).ok


def test_a_bundle_rewritten_and_signed_again_is_caught_by_the_anchor(
        bundle: pathlib.Path, tmp_path: pathlib.Path, key: Ed25519PrivateKey) -> None:
    """Whoever holds the key can rewrite a line, chain every later hash again and sign new
    checkpoints: the bundle alone verifies; the checkpoint held from before does not."""
    held = anchor_file(tmp_path / "held.json", key, 20)
    chain, heads = Chain(), []

    def change(lines: list[bytes]) -> list[bytes]:
        out = []
        for raw in lines:
            obj = json.loads(raw)
            line = obj["line"].replace("HS-0005", "HS-9999").encode()
            heads.append(chain.append(line))
            out.append(export_line(obj["position"], line, heads[-1]))
        return out

    edit_lines(bundle, change)
    anchor_file(bundle / "checkpoints.json", key, 20, 50, heads=heads)
    assert verifier.verify_bundle(bundle).ok
    result = verifier.verify_bundle(bundle, held)
    assert (result.ok, result.line_no, result.position) == (False, 20, 20), result
    assert "the chain at size 20 does not match anchor checkpoint at size 20" in result.error


def test_an_anchor_not_signed_by_the_bundles_key(bundle: pathlib.Path,
                                                 tmp_path: pathlib.Path) -> None:
    held = anchor_file(tmp_path / "held.json", Ed25519PrivateKey.generate(), 20)
    result = verifier.verify_bundle(bundle, held)
    assert not result.ok and "is not signed by the bundle's key" in (result.error or "")


def test_an_export_that_ends_before_the_anchor(tmp_path: pathlib.Path,
                                               key: Ed25519PrivateKey) -> None:
    directory = write_bundle(tmp_path / "short", key, last=40, sizes=(20, 40))
    held = anchor_file(tmp_path / "held.json", key, 50)
    result = verifier.verify_bundle(directory, held)
    assert not result.ok and "the export ends at size 40, before anchor checkpoint at size 50" \
        in (result.error or ""), result


def test_anchors_before_a_mid_chain_export(tmp_path: pathlib.Path,
                                           key: Ed25519PrivateKey) -> None:
    directory = write_bundle(tmp_path / "mid", key, first=21, sizes=(10, 20, 50))
    at_start = verifier.verify_bundle(directory, anchor_file(tmp_path / "a.json", key, 20))
    assert at_start.ok and at_start.anchors == 1, at_start
    same_size = verifier.verify_bundle(directory, anchor_file(tmp_path / "b.json", key, 10))
    assert same_size.ok and same_size.anchors == 1, same_size
    forked = anchor_file(tmp_path / "c.json", key, 10, heads=[b"\x01" * 32] * 50)
    result = verifier.verify_bundle(directory, forked)
    assert not result.ok and "name different heads" in (result.error or ""), result
    unchecked = write_bundle(tmp_path / "mid2", key, first=21, sizes=(20, 50))
    result = verifier.verify_bundle(unchecked, anchor_file(tmp_path / "d.json", key, 10))
    assert not result.ok and "no anchor checkpoint could be checked" in (result.error or "")


@pytest.mark.parametrize(("content", "reason"), [
    ("not json", "is not valid UTF-8 JSON"),
    ("[]", "holds no checkpoint"),
    ('[{"size": 1}]', "entry 1 is malformed: origin"),
])
def test_a_malformed_anchor_file(bundle: pathlib.Path, tmp_path: pathlib.Path, content: str,
                                 reason: str) -> None:
    held = tmp_path / "held.json"
    held.write_text(content)
    result = verifier.verify_bundle(bundle, held)
    assert not result.ok and reason in (result.error or ""), result
    assert not verifier.verify_bundle(bundle, tmp_path / "absent.json").ok


def test_cli_with_an_anchor(bundle: pathlib.Path, tmp_path: pathlib.Path,
                            key: Ed25519PrivateKey) -> None:
    held = anchor_file(tmp_path / "held.json", key, 50)
    proc = subprocess.run([sys.executable, "verifier.py", str(bundle), "--anchor", str(held)],
                          cwd=bundle, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "anchored on 1 checkpoint(s) held outside, the latest at size 50" in proc.stdout
    held = anchor_file(tmp_path / "held.json", Ed25519PrivateKey.generate(), 50)
    proc = subprocess.run([sys.executable, "verifier.py", str(bundle), "--anchor", str(held)],
                          cwd=bundle, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout.startswith("BROKEN"), proc.stdout
    proc = subprocess.run([sys.executable, "verifier.py", str(bundle), "--nonsense"],
                          cwd=bundle, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "usage" in proc.stderr


# --- what a line binds ---------------------------------------------------------------------
def test_the_event_digest_tells_types_apart() -> None:
    from datetime import date, timedelta, timezone
    from decimal import Decimal
    from uuid import UUID

    from projections.audit_record import event_digest

    def digest(**state: Any) -> str:
        return event_digest(position=7, originator_id="u", version=1, class_version=1,
                            state=state)

    when = datetime(2024, 12, 31, 17, 0, tzinfo=UTC)
    uid = UUID("12345678-1234-5678-1234-567812345678")
    variants = [digest(v=x) for x in (
        date(2025, 1, 1), "2025-01-01", uid, str(uid), 1, 1.0, True, "1", Decimal("1"),
        when, when.astimezone(timezone(timedelta(hours=7))), ["a", "b"], {"a", "b"},
        {"k": None}, {"k": "None"}, b"ab", "6162")]
    assert len(set(variants)) == len(variants)
    assert digest(v={"a", "b", "c"}) == digest(v={"c", "b", "a"})  # sets in a fixed order
    assert digest(v=1, originator_id="x", originator_version=9) == digest(v=1)  # columns
    assert digest(v=1) != event_digest(position=8, originator_id="u", version=1,
                                       class_version=1, state={"v": 1})


def test_line_version_1_is_the_line_before_version_2() -> None:
    from projections.audit_record import V2_FIELDS, build_record

    state = {"timestamp": SIGNED_AT, "actor": {"user_id": "u1", "user_name": "Hằng"},
             "name": "BHXH tỉnh Hà Tĩnh", "token_hash": "ab" * 32}
    kwargs = {"position": 3, "topic": "thidua:Unit.Registered", "originator_id": "o",
              "version": 1, "class_version": 1, "state": state}
    old, new = build_record(**kwargs, line_version=1), build_record(**kwargs)
    assert set(new) - set(old) == set(V2_FIELDS) and new["line_version"] == 2
    assert {k: v for k, v in new.items() if k not in V2_FIELDS} == old
    assert "token_hash" not in canonical_line(new).decode()
    changed = build_record(**{**kwargs, "state": {**state, "token_hash": "cd" * 32}})
    assert changed["event_sha256"] != new["event_sha256"]


# -- the fast canonical form equals RFC 8785 ------------------------------------------------
from hypothesis import given as _given  # noqa: E402
from hypothesis import settings as _settings  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

_scalars = (_st.none() | _st.booleans() | _st.integers(-(2**60), 2**60)
            | _st.text(_st.characters(exclude_categories=("Cs",)), max_size=20))
_json = _st.recursive(_scalars, lambda inner: _st.lists(inner, max_size=5) | _st.dictionaries(
    _st.text(_st.characters(exclude_categories=("Cs",)), max_size=8), inner, max_size=5),
    max_leaves=30)


@_given(_st.dictionaries(_st.text(_st.characters(exclude_categories=("Cs",)), max_size=8),
                         _json, max_size=8))
@_settings(max_examples=400, deadline=None)
def test_fast_canonical_line_equals_rfc8785(record):
    import rfc8785

    try:
        expected = rfc8785.dumps(record)
    except rfc8785.IntegerDomainError:  # beyond 2**53: refused by both
        with pytest.raises(rfc8785.IntegerDomainError):
            auditchain.canonical_line(record)
        return
    assert auditchain.canonical_line(record) == expected


def test_canonical_line_vietnamese_and_control_characters():
    import rfc8785

    record = {"tóm_tắt": "Phiếu chấm điểm đã gửi\n\t\u0001\u2028\"\\", "ẞ": 2**53 - 1,
              "𝔸": "outside the BMP", "\ue000": "private use", "n": [True, None, -5]}
    assert auditchain.canonical_line(record) == rfc8785.dumps(record)


# -- the verifier's fast path decides exactly as its full parse ----------------------------------

MUTATIONS = [
    (b'\\"', b"\\u0022"),  # the same JSON, not the export's serialisation
    (b'\\"', b'"'),  # a bare quote
    (b"\\n", b"\n"),  # a raw line feed inside the string
    (b"\\n", b"\\u000a"),
    (b"\\\\", b"\\/"),
    (b"HS-", b"HS\\u002d"),
    (b"HS-", b"HS\x01"),  # a raw control character
    (b"HS-", b"HS\xc3"),  # not UTF-8
    (b"HS-", b"HS\xed\xa0\x80"),  # an encoded surrogate
    (b"HS-", b"HS\\ud800"),  # an escaped lone surrogate
    (b"HS-", "HS\u2028\u00e9\U0001f600".encode()),  # allowed as they are
    (b'","hash":"', b'", "hash":"'),
    (b'{"position":', b'{"position": '),
    (b'{"position":', b'{"position":0'),
    (b'"}\n', b'" }\n'),
    (b'"}\n', b'"}\r\n'),
    (b'"}\n', b'"}'),
    (b'"}\n', b'"'),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_path_gives_the_full_parse_result(data: st.DataObject) -> None:
    """Any change to a line gets the same Result (error, line, position, lines, head) as the
    verifier gets when every line goes through its full parse."""
    from unittest import mock

    with tempfile.TemporaryDirectory() as tmp:
        directory = write_bundle(pathlib.Path(tmp), Ed25519PrivateKey.generate())
        path = directory / "audit.jsonl"
        rows = path.read_bytes().splitlines(keepends=True)
        k = data.draw(st.integers(0, len(rows) - 1))
        raw = rows[k]
        kind = data.draw(st.sampled_from(["mutation", "byte", "insert", "delete", "hash"]))
        if kind == "mutation":
            old, new = data.draw(st.sampled_from([m for m in MUTATIONS if m[0] in raw]))
            raw = raw.replace(old, new, 1)
        elif kind == "hash":
            at = len(raw) - 67 + data.draw(st.integers(0, 63))
            byte = data.draw(st.sampled_from([b"A", b"g", b" ", b"0", b"f"]))
            raw = raw[:at] + byte + raw[at + 1:]
        else:
            at = data.draw(st.integers(0, len(raw) - 1))
            byte = bytes([data.draw(st.integers(0, 255))])
            raw = {"byte": raw[:at] + byte + raw[at + 1:], "insert": raw[:at] + byte + raw[at:],
                   "delete": raw[:at] + raw[at + 1:]}[kind]
        rows[k] = raw
        path.write_bytes(b"".join(rows))
        fast = verifier.verify_bundle(directory)
        with mock.patch.object(verifier, "_line_bytes", lambda raw, prefix: None):
            full = verifier.verify_bundle(directory)
        assert fast == full


def test_fast_path_takes_the_usual_and_escaped_lines() -> None:
    for p in (1, 2):  # reason with a quote and a line feed (escaped twice), and without
        raw = export_line(p, LINES[p - 1], ENTRIES[p - 1])
        assert verifier._line_bytes(raw, b'{"position":%d,"line":"' % p) == LINES[p - 1]
    assert b"\\\\n" in export_line(2, LINES[1], ENTRIES[1])


# -- the CSV export: the same bytes as csv.writer over the neutralised cells -------------------

def csv_reference(rows: list[dict[str, Any]]) -> bytes:
    """The CSV export as first written: csv.writer, ``neutralise`` on every cell of ``flat``."""
    import csv
    import io

    from projections.export import BOM, HEADERS, flat, neutralise

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    text.write(BOM)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([neutralise(v) for v in flat(row)])
    return text.getvalue().encode("utf-8")


_cell_text = st.text(st.sampled_from(list('=+-@\t\r\n",; \'aZ0é\u1ec7\u2028\x00\x7f\U0001f600')),
                     max_size=6)
_cell = (_cell_text | st.none() | st.booleans() | st.integers(-(2**70), 2**70)
         | st.floats(allow_nan=False) | st.lists(st.integers(), max_size=2)
         | st.dictionaries(st.text(max_size=2), st.integers(), max_size=2))
_plain = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)


def _audit_record(draw: Any) -> dict[str, Any]:
    keys = ["position", "time", "topic", "object_type", "object_id", "version", "summary_vi",
            "summary_en", "request_id", "source_address", "reason"]
    record: dict[str, Any] = {k: draw(_cell) for k in keys}
    record["actor"] = {k: draw(_cell) for k in ("user_id", "name", "role")}
    record["unit"] = {"code": draw(_cell), "id": None}
    record["data"] = draw(st.recursive(
        _cell, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_plain, inner,
                                                                            max_size=3),
        max_leaves=8))
    for key in ("seq", "year", "hash"):  # overridden by the row's own
        if draw(st.booleans()):
            record[key] = draw(_cell)
    return record


@st.composite
def audit_rows(draw: Any) -> list[dict[str, Any]]:
    rows = []
    for seq in range(1, draw(st.integers(0, 4)) + 1):
        text = json.dumps(_audit_record(draw), ensure_ascii=draw(st.booleans()),
                          sort_keys=draw(st.booleans()),
                          separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])))
        text = draw(st.sampled_from(["", " ", "\n"])) + text + draw(st.sampled_from(["", " "]))
        rows.append({"seq": seq, "position": seq, "year": draw(st.integers(2020, 2030)),
                     "line": text.encode(), "entry": bytes(draw(st.binary(min_size=32,
                                                                          max_size=32)))})
    return rows


@settings(max_examples=300, deadline=None)
@given(rows=audit_rows())
def test_csv_export_bytes_are_csv_writer_bytes(rows: list[dict[str, Any]]) -> None:
    from projections.export import csv_chunks

    assert b"".join(csv_chunks(rows)) == csv_reference(rows)


def test_csv_export_of_many_rows_and_odd_lines() -> None:
    from projections.export import CHUNK, csv_chunks

    def line(p: int) -> bytes:
        r = record(p)
        r.update(unit={"code": f"P{p % 9:02d}", "id": None}, topic="thidua:ScoreSheet.Sent",
                 data={"scores": {f"C{i:02d}": f"{(p + i) % 5}.25" for i in range(p % 20)}})
        return auditchain.canonical_line(r)

    rows = [{"seq": p, "position": p, "year": 2025, "line": line(p), "entry": ENTRIES[p % N]}
            for p in range(1, 600)]
    chunks = list(csv_chunks(rows))
    assert len(chunks) > 2 and all(len(c) >= CHUNK for c in chunks[:-1])
    assert b"".join(chunks) == csv_reference(rows)
    odd = (b"[1]", b'"x"', b'{"actor": 1}', b'{"unit": "x"}', b"{", b'{"a": 1} x',
           "\ufeff{}".encode(), b"\xff{}", LINES[0])
    for raw in odd:
        row = {"seq": 1, "position": 1, "year": 2025, "line": raw, "entry": ENTRIES[0]}
        with pytest.raises(Exception) as expected:
            csv_reference([row])
        with pytest.raises(expected.type):
            b"".join(csv_chunks([row]))


@_given(_st.integers(0, 2**63), _st.text(_st.characters(exclude_categories=("Cs",))),
        _st.binary(min_size=32, max_size=32))
@_settings(max_examples=400, deadline=None)
def test_export_line_is_the_json_dumps_form(position, text, entry):
    """The export line is written without json.dumps, and is exactly what it writes: control
    characters, quotes, backslashes, NFD and astral text included."""
    obj = {"position": position, "line": text, "hash": entry.hex()}
    expected = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    assert export_line(position, text.encode("utf-8"), entry) == expected


# hostile text: control characters, DEL, line and paragraph separators, quotes, backslashes,
# combining marks (NFD), astral characters, private use, and the BMP's last code points
_hostile_char = _st.sampled_from(list('\x00\x01\x08\t\n\x0b\x0c\r\x1b\x1f "\\/\x7f\x80\xa0'
                                      'e\u0301\u0323a\u0306\u2028\u2029\ud7ff\ue000\ufeff\uffff'
                                      '\U0001f600\U00010000\U0010ffffĐđươ')) | _st.characters(
    exclude_categories=("Cs",))
_hostile_text = _st.text(_hostile_char, max_size=12)
_hostile_scalar = (_st.none() | _st.booleans() | _hostile_text
                   | _st.integers(-(2**53) + 1, 2**53 - 1)
                   | _st.sampled_from([0, -1, 2**53 - 1, -(2**53) + 1, 2**31, -(2**63)]))
_hostile_json = _st.recursive(
    _hostile_scalar,
    lambda inner: _st.lists(inner, max_size=4) | _st.tuples(inner, inner)
    | _st.dictionaries(_hostile_text, inner, max_size=4),
    max_leaves=40)


@_given(_st.dictionaries(_hostile_text, _hostile_json, max_size=8))
@_settings(max_examples=600, deadline=None)
def test_canonical_line_of_hostile_values_is_rfc8785(record):
    import rfc8785

    try:
        expected = rfc8785.dumps(record)
    except rfc8785.IntegerDomainError:  # -(2**63): refused by both
        with pytest.raises(rfc8785.IntegerDomainError):
            auditchain.canonical_line(record)
        return
    assert auditchain.canonical_line(record) == expected


@_given(_hostile_json, _st.floats() | _st.sampled_from([1e300, 5e-324, -0.0, 2.0**53]))
@_settings(max_examples=200, deadline=None)
def test_canonical_line_refuses_floats_anywhere(value, number):
    with pytest.raises(TypeError):
        auditchain.canonical_line({"a": value, "z": [value, {"f": number}]})


def test_canonical_line_of_str_and_int_subclasses_and_unknown_types():
    import enum
    import uuid as uuid_module

    import rfc8785

    class Name(str):
        pass

    class Level(enum.IntEnum):
        HIGH = 3

    record = {Name("k"): Name("Nguyễn"), "n": Level.HIGH, "t": (1, Name("x"))}
    assert auditchain.canonical_line(record) == rfc8785.dumps(
        {"k": "Nguyễn", "n": 3, "t": [1, "x"]})
    for odd in (datetime(2025, 1, 1, tzinfo=UTC), uuid_module.UUID(int=1), b"x", {1, 2}):
        with pytest.raises(TypeError):
            auditchain.canonical_line({"a": [odd]})
    deep: Any = "x"
    for _ in range(400):  # deeper than orjson writes: the standard library's path
        deep = [deep]
    assert auditchain.canonical_line({"d": deep}) == rfc8785.dumps({"d": deep})


def test_csv_export_of_long_numbers_and_digit_runs() -> None:
    """Integers beyond 64 bits (which orjson would read as floats), and long digit runs inside
    texts, give the CSV that csv.writer gives of json.loads' record."""
    from projections.export import csv_chunks

    rows = []
    for seq, data in enumerate([{"n": 123456789012345678901234567890}, {"n": -(2**64) - 1},
                                {"n": 2**63, "m": -(2**63)}, {"t": "0" * 40},
                                {"t": "9" * 18, "n": 10**18}, {"l": [10**30, "x"]}], 1):
        r = record(seq)
        r.update(unit={"code": "P01", "id": None}, topic="thidua:ScoreSheet.Sent", data=data)
        text = json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        rows.append({"seq": seq, "position": seq, "year": 2025, "line": text.encode(),
                     "entry": ENTRIES[seq]})
    assert b"".join(csv_chunks(rows)) == csv_reference(rows)
