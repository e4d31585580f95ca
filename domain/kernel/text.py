"""Text the record can keep (văn bản): every text is NFC, and holds no character that cannot
be stored, or that would hide or disguise what a reader sees.

Refused everywhere (rule ``text_characters``):

- control characters: C0 (U+0000–U+001F) but tab and line feed, DEL, C1 (U+0080–U+009F).
  NUL cannot be stored in PostgreSQL text at all; the others are invisible or act on
  terminals and spreadsheets;
- lone surrogates (U+D800–U+DFFF): not characters; UTF-8 cannot encode them;
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
  reorder what is displayed, so a name can read differently from what is stored;
- non-characters (U+FDD0–U+FDEF and the last two code points of every plane): reserved by
  Unicode for a program's internal use, never for interchange;
- zero-width space, word joiner, zero-width no-break space (U+200B, U+2060, U+FEFF): invisible,
  they make two different names look alike;
- line and paragraph separators (U+2028, U+2029) outside a multi-line field.

Tab and line feed are kept only in multi-line fields (:data:`MULTILINE_FIELDS`: reasons,
notes, justifications...), where CR LF, a lone CR and U+2028/U+2029 become a line feed.
:func:`storable` is the last line, run by the aggregate base on every event's arguments.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from domain.kernel.errors import InvalidInput

RULE = "text_characters"

# Free-text fields, by the last part of their name: tab and line feed are allowed there.
MULTILINE_FIELDS = frozenset({
    "reason", "reasons", "justification", "description", "note", "notes", "summary",
    "assessment", "finding", "findings", "comment", "comments", "remarks", "details",
})

_PLANE_ENDS = "".join(chr((plane << 16) | 0xFFFE) + chr((plane << 16) | 0xFFFF)
                      for plane in range(17))
_KINDS: tuple[tuple[str, str], ...] = (
    ("a control character", "\x00-\x08\x0b-\x1f\x7f-\x9f"),
    ("a lone surrogate, which is not a character", "\ud800-\udfff"),
    ("a bidirectional control, which reorders what is shown", "\u202a-\u202e\u2066-\u2069"),
    ("a non-character", "\ufdd0-\ufdef" + _PLANE_ENDS),
    ("an invisible character", "\u200b\u2060\ufeff"),
)
_KIND_RES = tuple((name, re.compile(f"[{chars}]")) for name, chars in _KINDS)
_NEVER = "".join(chars for _, chars in _KINDS)
# What no text may hold (the base's last line: tab and line feed pass, the boundary that
# knows the field decides on them).
_UNKEPT = re.compile(f"[{_NEVER}\u2028\u2029]")
# What a single-line field may not hold, and what a multi-line one may not.
_SINGLE_LINE = re.compile(f"[{_NEVER}\t\n\u2028\u2029]")
_MULTI_LINE = re.compile(f"[{_NEVER}]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TRAILING_INDEX = re.compile(r"(\[[^\]]*\])+$")


def is_multiline(field: str) -> bool:
    """Whether the field (a name or a path such as ``targets[0].note``) is free text that
    may hold tabs and line breaks."""
    last = _TRAILING_INDEX.sub("", field).rpartition(".")[2].lower()
    return last in MULTILINE_FIELDS or last.endswith(("_reason", "_note", "_notes",
                                                      "_description"))


def shown(text: str) -> str:
    """``text`` with every character it may not hold written as ``\\uXXXX``: safe to put in a
    message, a log or an error's field name."""
    return _SINGLE_LINE.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def describe(char: str) -> str:
    """What the character is, in words: 'U+0000 (a control character)'."""
    code = f"U+{ord(char):04X}"
    if char in "\t\n":
        return f"{code} (a tab or line break: only free-text fields such as reasons and " \
               "notes hold them)"
    if char in "\u2028\u2029":
        return f"{code} (a line or paragraph separator)"
    for name, pattern in _KIND_RES:
        if pattern.fullmatch(char):
            return f"{code} ({name})"
    return code


def normalise(text: str, *, multiline: bool = False) -> str:
    """NFC; in a multi-line field, every line break as a line feed."""
    if multiline and ("\r" in text or "\u2028" in text or "\u2029" in text):
        text = _LINE_BREAKS.sub("\n", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` (already normalised) cannot be kept in such a field, or None."""
    if text.isprintable():  # the common case: nothing refused can be in it
        return None
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    if found is None:
        return None
    return f"{describe(found.group())} at character {found.start() + 1} cannot be kept; " \
           "remove it."


def error(errors: dict[str, list[str]]) -> InvalidInput:
    """The refusal naming every field whose text cannot be kept."""
    fields = list(errors)
    if len(fields) == 1:
        message = f"{fields[0]}: {errors[fields[0]][0]}"
    else:
        message = f"{len(fields)} fields hold characters that cannot be kept: " \
                  f"{', '.join(fields)}."
    return InvalidInput(message, field=fields[0], errors=errors, rule=RULE)


def clean(text: str, field: str, *, multiline: bool | None = None) -> str:
    """``text`` normalised (NFC, line breaks), or InvalidInput naming ``field`` if it holds a
    character no such field keeps. ``multiline`` defaults to :func:`is_multiline`."""
    if multiline is None:
        multiline = is_multiline(field)
    text = normalise(text, multiline=multiline)
    why = problem(text, multiline=multiline)
    if why is not None:
        raise error({shown(field): [why]})
    return text


def join(path: str, key: Any) -> str:
    """The path of ``key`` inside ``path``: ``clusters[0].name``, ``scale["a b"]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = str(key)
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f'{path}["{shown(key)}"]'


def storable(value: Any, path: str = "") -> Any:
    """``value`` with every text in it (strings, dict keys, inside lists and dicts) in NFC;
    InvalidInput naming the path of the first text no field may keep. What the aggregate
    base runs on every event's arguments, so no path can store such a text."""
    try:
        return _storable(value)
    except _Unkept as e:
        where = path
        for key in reversed(e.keys):
            where = join(where, key)
        raise error({shown(where or "text"): [e.why]}) from None


class _Unkept(Exception):
    """A text no field keeps; ``keys`` is its path, innermost first (built only then)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why
        self.keys: list[Any] = []


def _storable(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return _kept(value)
    if kind is dict:
        changed = False
        pairs = []
        for key, item in value.items():
            try:
                new_key = _kept(key) if type(key) is str else key
                new_item = _storable(item)
            except _Unkept as e:
                e.keys.append(key)
                raise
            changed = changed or new_key is not key or new_item is not item
            pairs.append((new_key, new_item))
        return dict(pairs) if changed else value
    if kind is list or kind is tuple:
        items = []
        for i, item in enumerate(value):
            try:
                items.append(_storable(item))
            except _Unkept as e:
                e.keys.append(i)
                raise
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return items if kind is list else tuple(items)
    return value


def _kept(text: str) -> str:
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # no control, format, surrogate, separator or unassigned code
        return text
    found = _UNKEPT.search(text)
    if found is None:
        return text
    raise _Unkept(f"{describe(found.group())} at character {found.start() + 1} cannot be "
                  "kept; remove it.")
