"""Schemas of units (đơn vị)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from domain.organisation.units import LEVELS
from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema

CODE = {"validate": fields.CODE_LENGTH,
        "metadata": {"description": "Unit code: A–Z, 0–9, '_', '.', '-'.", "example": "P01"}}


class ActSchema(StrictSchema):
    """The legal act a change follows (văn bản): number, date signed, issuer, legal basis."""

    number = ma.fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"example": "391/QĐ-BTC"})
    signed = ma.fields.Date(required=True, metadata={"example": "2025-02-26"})
    issuer = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                              metadata={"example": "Bộ Tài chính"})
    basis = ma.fields.String(load_default=None, validate=validate.Length(max=2000),
                             metadata={"example": "Nghị định 29/2025/NĐ-CP"})


def act_field() -> Any:
    return ma.fields.Nested(ActSchema, load_default=None, allow_none=True, metadata={
        "description": "The legal act of the change (optional): number, signed, issuer, "
                       "basis."})


class ActReadSchema(ma.Schema):
    number = ma.fields.String()
    signed = ma.fields.String()
    issuer = ma.fields.String()
    basis = ma.fields.String()
    decision_id = ma.fields.String(metadata={"description": "The recorded reorganisation "
                                             "that made the change, if one did."})


class UnitChangeSchema(ma.Schema):
    version = ma.fields.Integer()
    change = ma.fields.String(metadata={"description": "registered, renamed, moved, merged, "
                                        "split, dissolved, relevelled, district_attached, "
                                        "district_detached"})
    effective = ma.fields.String()
    recorded_at = ma.fields.DateTime()
    act = ma.fields.Nested(ActReadSchema, allow_none=True)
    name = ma.fields.String()
    level = ma.fields.String()
    parent_code = ma.fields.String(allow_none=True)
    into_code = ma.fields.String()
    into_codes = ma.fields.List(ma.fields.String())
    district_code = ma.fields.String()


class UnitQueryArgsSchema(PageArgsSchema):
    date = ma.fields.Date(metadata={"description": "Units that existed on this day, under the "
                                    "names they had (default: today)."})
    level = ma.fields.String(validate=validate.OneOf(LEVELS))
    parent = ma.fields.String(metadata={"description": "Code of the province (for districts)."})
    code = ma.fields.String()


class UnitRegisterSchema(StrictSchema):
    code = ma.fields.String(required=True, **CODE)  # type: ignore[arg-type]
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                            metadata={"example": "BHXH thành phố Hà Nội"})
    level = ma.fields.String(required=True, validate=validate.OneOf(LEVELS))
    parent_code = ma.fields.String(load_default=None, allow_none=True,
                                   metadata={"description": "Province of a district office."})
    effective = ma.fields.Date(required=True, metadata={"example": "2020-01-01"})
    act = act_field()


class VersionedSchema(StrictSchema):
    version = fields.version(lowest=1)
    effective = ma.fields.Date(required=True)
    act = act_field()


class RenameSchema(VersionedSchema):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300))


class MoveSchema(VersionedSchema):
    parent_code = ma.fields.String(required=True, **CODE)  # type: ignore[arg-type]


class MergeSchema(VersionedSchema):
    into_code = ma.fields.String(required=True, **CODE)  # type: ignore[arg-type]


class DissolveSchema(VersionedSchema):
    pass


class PeriodSchema(ma.Schema):
    start = ma.fields.Date()
    end = ma.fields.Date(allow_none=True)
    name = ma.fields.String()
    level = ma.fields.String()
    parent_code = ma.fields.String(allow_none=True)


class UnitOnDateSchema(ma.Schema):
    """A unit as it was on the day asked for: nothing recorded after that day."""

    id = ma.fields.UUID()
    code = ma.fields.String()
    level = ma.fields.String()
    name = ma.fields.String(metadata={"description": "The name it had that day."})
    parent_code = ma.fields.String(allow_none=True,
                                   metadata={"description": "Its province that day."})
    started = ma.fields.Date()


class UnitSchema(UnitOnDateSchema):
    ended = ma.fields.Date(allow_none=True)
    end_status = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()


class UnitDetailSchema(UnitSchema):
    merged_into = ma.fields.String(allow_none=True)
    history = ma.fields.List(ma.fields.Nested(PeriodSchema))
    changes = ma.fields.List(ma.fields.Nested(UnitChangeSchema), metadata={
        "description": "Every recorded change of the unit, in order, with its legal act."})


class UnitPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(UnitOnDateSchema))


class UnitWriteSchema(ma.Schema):
    position = ma.fields.Integer()
    version = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()
    active = ma.fields.Boolean()
