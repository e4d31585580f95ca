"""Every text of a request, checked and normalised before its schema reads it.

:class:`web.extensions.common.StrictSchema` runs :func:`clean_input` on the raw body or query
(keys and values, nested objects and lists included), so a refusal names the field by its path
(``clusters[0].name``) with the rule ``text_characters``, and every text reaches the
schema's validators and the domain in NFC. Whether a field is multi-line (tab and line feed
allowed) is ``metadata={"multiline": ...}`` on the field, or else
:func:`domain.kernel.text.is_multiline` of its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma

from domain.kernel import text


def clean_input(schema: ma.Schema, data: Any) -> Any:
    """``data`` with its texts normalised; InvalidInput naming every field that holds a
    character it cannot keep. Anything but a mapping is left to the schema to refuse."""
    if not isinstance(data, Mapping):
        return data
    errors: dict[str, list[str]] = {}
    cleaned = _object(schema, data, "", errors)
    if errors:
        raise text.error(errors)
    return cleaned


def _fields(schema: ma.Schema) -> dict[str, ma.fields.Field]:
    return {f.data_key or name: f for name, f in schema.fields.items() if not f.dump_only}


def _object(schema: ma.Schema | None, data: Mapping[str, Any], path: str,
            errors: dict[str, list[str]]) -> dict[Any, Any]:
    fields = _fields(schema) if schema is not None else {}
    out: dict[Any, Any] = {}
    for key, value in data.items():
        where = text.join(path, key)
        if isinstance(key, str):
            key = _text(key, where, False, errors)
        field = fields.get(key) if isinstance(key, str) else None
        out[key] = _value(field, value, where, str(key), errors)
    return out


def _value(field: ma.fields.Field | None, value: Any, path: str, name: str,
           errors: dict[str, list[str]]) -> Any:
    if isinstance(value, str):
        multiline = field.metadata.get("multiline") if field is not None else None
        return _text(value, path, text.is_multiline(name) if multiline is None else multiline,
                     errors)
    if isinstance(value, Mapping):
        if isinstance(field, ma.fields.Nested) and isinstance(field.schema, ma.Schema):
            return _object(field.schema, value, path, errors)
        if isinstance(field, ma.fields.Dict):
            inner = field.value_field
            out: dict[Any, Any] = {}
            for key, item in value.items():
                where = text.join(path, key)
                if isinstance(key, str):
                    key = _text(key, where, False, errors)
                named = name if text.is_multiline(name) else str(key)
                out[key] = _value(inner, item, where, named, errors)
            return out
        return _object(None, value, path, errors)
    if isinstance(value, list | tuple):
        inner = field.inner if isinstance(field, ma.fields.List) else field \
            if isinstance(field, ma.fields.Nested) else None
        return [_value(inner, item, text.join(path, i), name, errors)
                for i, item in enumerate(value)]
    return value


def _text(value: str, path: str, multiline: bool, errors: dict[str, list[str]]) -> str:
    value = text.normalise(value, multiline=multiline)
    why = text.problem(value, multiline=multiline)
    if why is not None:
        errors.setdefault(text.shown(path), []).append(why)
    return value
