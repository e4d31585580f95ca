"""A reorganisation (quyết định sắp xếp, tổ chức lại): one recorded decision changing many
units, applied whole or not at all.

The decision names its legal act (number, date signed, issuer, legal basis) and the date its
changes take effect; its changes are rows, applied in their order, all on that date:

    {"change": "register", "code", "name", "level", "parent_code" (district only)}
    {"change": "rename",   "code", "name"}
    {"change": "move",     "code", "parent_code"}
    {"change": "merge",    "code", "into_code"}
    {"change": "split",    "code", "into_codes": [...]}
    {"change": "dissolve", "code"}
    {"change": "relevel",  "code", "level", "parent_code" (district only)}

A file (CSV or XLSX) has the columns change, code, name, level, parent_code, into_code (for a
split, into_code lists the parts separated by ';').
"""

from __future__ import annotations

import re
import unicodedata
from typing import IO, Any

from eventsourcing.domain import event

from domain.kernel import text
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.dates import parse_date
from domain.kernel.errors import DomainError, InvalidInput
from domain.kernel.tabular import Limits, read_table
from domain.organisation.units import LEVELS, check_code, check_name

# What each kind of change takes: required fields, then optional ones.
CHANGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "register": (("code", "name", "level"), ("parent_code",)),
    "rename": (("code", "name"), ()),
    "move": (("code", "parent_code"), ()),
    "merge": (("code", "into_code"), ()),
    "split": (("code", "into_codes"), ()),
    "dissolve": (("code",), ()),
    "relevel": (("code", "level"), ("parent_code",)),
}
COLUMNS = ("change", "code", "name", "level", "parent_code", "into_code")
# A national reorganisation is about 1,500 changes; a decision holds at most this many.
MAX_CHANGES = 20_000
# A header row and MAX_CHANGES rows of six columns.
LIMITS = Limits(rows=MAX_CHANGES + 1, columns=20, cell_chars=1_000)
HEADER_TEXTS = (("number", 100), ("issuer", 300), ("basis", 2000))


def decision_key(value: str) -> str:
    """A number or issuer as compared for "the same decision": NFC, case-folded, its runs
    of spaces as one, and without spaces around '/' and '-'."""
    value = unicodedata.normalize("NFC", value).casefold()
    value = re.sub(r"\s+", " ", value).strip()
    return re.sub(r"\s*([/-])\s*", r"\1", value)


def reorganisation_id(number: str, issuer: str) -> Any:
    return stable_id("reorganisation", decision_key(issuer), decision_key(number))


class RowErrors:
    """Every bad field of a decision, by path (``changes[3].into_code``), with its rule."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.rules: dict[str, str] = {}

    def add(self, field: str, message: str, rule: str | None) -> None:
        self.errors.setdefault(field, []).append(message)
        self.rules.setdefault(field, rule or "invalid")

    def add_error(self, prefix: str, e: DomainError, fields: tuple[str, ...] = ()) -> None:
        """``e`` raised for the row at ``prefix``: each field it names, inside the row."""
        named = e.errors or {e.field or "code": [e.message]}
        for field, messages in named.items():
            where = _in_row(prefix, str(field), fields)
            for message in messages if isinstance(messages, list) else [messages]:
                self.add(where, str(message), e.rule)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def refusal(self, what: str = "decision") -> InvalidInput:
        rows = sorted({re.sub(r"^(changes\[\d+\]).*$", r"\1", f) for f in self.errors})
        count = sum(1 for r in rows if r.startswith("changes["))
        rules = set(self.rules.values())
        rule = rules.pop() if len(rules) == 1 else "reorganisation_rows"
        where = f"{count} change(s)" if count else "the header"
        if count and len(rows) > count:
            where += " and the header"
        return InvalidInput(f"{where} of the {what} are wrong; nothing was applied. Each is "
                            "named in 'errors', with its rule in 'rules'.",
                            errors=self.errors, rules=self.rules, rule=rule)


def _in_row(prefix: str, field: str, fields: tuple[str, ...]) -> str:
    """Where a step's error lands in the row: a field of the row keeps its name (the
    'parent' of a move is its parent_code); anything else (the decision's date against the
    unit's record) is the row's unit."""
    field = text.shown(field)
    base = field.split("[", 1)[0].split(".", 1)[0]
    if base == "parent":
        return f"{prefix}.parent_code"
    if base in fields or base in ("into_codes", "into_code", "code"):
        return f"{prefix}.{field}"
    return f"{prefix}.code"


def check_header(number: Any, signed: Any, issuer: Any, basis: Any, effective: Any,
                 errors: RowErrors) -> dict[str, str]:
    """The decision's own fields, each checked; problems are added to ``errors``."""
    header: dict[str, str] = {}
    for key, value, most in (("number", number, 100), ("issuer", issuer, 300),
                             ("basis", basis, 2000)):
        try:
            if not isinstance(value, str):
                raise InvalidInput(f"The decision's {key} is required, as text.", field=key,
                                   rule="required")
            value = text.clean(value, key, multiline=False).strip()
            if not value or len(value) > most:
                raise InvalidInput(f"The decision's {key} is 1–{most} characters and not "
                                   "blank.", field=key, rule="text_length")
            header[key] = value
        except InvalidInput as e:
            errors.add_error("", e)
    for key, value in (("signed", signed), ("effective", effective)):
        try:
            if not isinstance(value, str):
                raise InvalidInput(f"The decision's {key} date is required (YYYY-MM-DD).",
                                   field=key, rule="required")
            header[key] = parse_date(value, key).isoformat()
        except InvalidInput as e:
            errors.add(key, e.message, e.rule)
    return header


def check_changes(changes: Any, errors: RowErrors) -> list[dict[str, Any] | None]:
    """The rows, each checked for its shape (the kind of change, its fields, codes, names,
    levels); problems are added to ``errors``, each at ``changes[i].<field>``, and such a row
    is None. The units the rows name are checked when they apply."""
    if not isinstance(changes, list) or not changes:
        errors.add("changes", "A decision lists one or more changes.", "changes_not_empty")
        return []
    if len(changes) > MAX_CHANGES:
        errors.add("changes", f"A decision holds at most {MAX_CHANGES:,} changes.",
                   "changes_count")
        return []
    rows: list[dict[str, Any] | None] = []
    for i, row in enumerate(changes):
        before = len(errors.errors)
        checked = check_change(row, f"changes[{i}]", errors)
        rows.append(checked if len(errors.errors) == before else None)
    return rows


def check_change(row: Any, prefix: str, errors: RowErrors) -> dict[str, Any]:
    if not isinstance(row, dict):
        errors.add(prefix, "A change is an object with 'change' and the fields it takes.",
                   "change_object")
        return {}
    row = {k: v for k, v in row.items() if v is not None and v != ""}
    kind = row.get("change")
    if not isinstance(kind, str) or kind.strip().lower() not in CHANGES:
        errors.add(f"{prefix}.change", f"The change must be one of {', '.join(CHANGES)}.",
                   "known_change")
        return {}
    kind = kind.strip().lower()
    required, optional = CHANGES[kind]
    out: dict[str, Any] = {"change": kind}
    for key in row:
        if key != "change" and key not in required + optional:
            shown = text.shown(str(key))
            errors.add(text.join(prefix, shown),
                       f"A {kind} takes {', '.join(required + optional)}; not {shown}.",
                       "change_fields")
    for key in required + optional:
        value = row.get(key)
        where = f"{prefix}.{key}"
        if value is None:
            if key in required:
                errors.add(where, f"A {kind} needs {key}.", "required")
            continue
        try:
            out[key] = _field(key, value, where)
        except InvalidInput as e:
            for field, messages in (e.errors or {where: [e.message]}).items():
                for m in messages:
                    errors.add(field if field.startswith(prefix) else where, m, e.rule)
    return out


def _field(key: str, value: Any, where: str) -> Any:
    if key in ("code", "parent_code", "into_code"):
        if not isinstance(value, str):
            raise InvalidInput("A unit code is text.", field=where, rule="code_format")
        return check_code(value.strip(), where)
    if key == "into_codes":
        if isinstance(value, str):
            value = [c for c in (p.strip() for p in value.split(";")) if c]
        if not isinstance(value, list) or not value:
            raise InvalidInput("The parts of a split are a list of unit codes.", field=where,
                               rule="split_two_parts")
        return [_field("code", c, f"{where}[{j}]") for j, c in enumerate(value)]
    if key == "name":
        if not isinstance(value, str):
            raise InvalidInput("A name is text.", field=where, rule="name_length")
        return check_name(value, where)
    if key == "level":
        if not isinstance(value, str) or value.strip().lower() not in LEVELS:
            raise InvalidInput(f"Level must be one of {', '.join(LEVELS)}.", field=where,
                               rule="known_level")
        return value.strip().lower()
    raise AssertionError(key)  # pragma: no cover - CHANGES names no other field


def read_change_file(content: bytes | IO[bytes], filename: str) -> list[dict[str, Any]]:
    """The rows of a CSV or XLSX decision file (within :data:`LIMITS`), as change objects:
    empty cells are absent, and a split's into_code becomes its into_codes. The header row
    names the columns (:data:`COLUMNS`), in any order."""
    table = read_table(content, filename, LIMITS)
    lines = [(n, r) for n, r in enumerate(table, start=1)
             if any(c not in (None, "") for c in r)]
    if not lines:
        raise InvalidInput("The file is empty.", field="file", rule="list_not_empty")
    _, header_cells = lines[0]
    header = [text.normalise(str(c or "")).strip().lower() for c in header_cells]
    missing = [c for c in ("change", "code") if c not in header]
    unknown = [text.shown(h) for h in header if h and h not in COLUMNS]
    if missing or unknown:
        raise InvalidInput(
            f"The first row names the columns {', '.join(COLUMNS)}"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else "") + ".",
            field="file", rule="change_columns")
    rows: list[dict[str, Any]] = []
    for _, cells in lines[1:]:
        row: dict[str, Any] = {}
        for i, name in enumerate(header):
            if not name or i >= len(cells) or cells[i] in (None, ""):
                continue
            value = cells[i]
            row[name] = value if isinstance(value, str) else str(value)
        if str(row.get("change", "")).strip().lower() == "split" and "into_code" in row:
            row["into_codes"] = row.pop("into_code")
        rows.append(row)
    return rows


class Reorganisation(ThiduaAggregate):
    """Quyết định sắp xếp, tổ chức lại: the decision and the changes it made, recorded in the
    same atomic save as every unit it changed (each of whose events names it in ``act``)."""

    TOPIC = "thidua:Reorganisation"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Reorganisation.Event"

    @staticmethod
    def create_id(number: str, issuer: str) -> Any:
        return reorganisation_id(number, issuer)

    @event("Recorded", topic="thidua:Reorganisation.Recorded")
    def __init__(self, number: str, signed: str, issuer: str, basis: str, effective: str,
                 changes: list[dict[str, Any]], units: list[str]) -> None:
        self.number = number
        self.signed = signed
        self.issuer = issuer
        self.basis = basis
        self.effective = effective
        self.changes = changes
        self.units = units  # codes of the units changed, in the order first changed



def decision_act(header: dict[str, str]) -> dict[str, str]:
    """What every unit event of the decision carries in ``act``."""
    return {"number": header["number"], "signed": header["signed"],
            "issuer": header["issuer"], "basis": header["basis"],
            "decision_id": str(reorganisation_id(header["number"], header["issuer"]))}
