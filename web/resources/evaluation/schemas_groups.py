"""Schemas of the sector's cycle's comparable groups (nhóm tương đồng)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from web.extensions import fields
from web.extensions.common import StrictSchema
from web.resources.evaluation.schemas import CODE


class ComparableGroupInSchema(StrictSchema):
    code = ma.fields.String(required=True, **CODE, metadata={"example": "TINH1"})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                            metadata={"example": "BHXH tỉnh có số thu trên 20.000 tỷ đồng"})
    description = ma.fields.String(load_default=None, allow_none=True,
                                   validate=validate.Length(max=2000))
    members = ma.fields.List(ma.fields.String(**CODE), required=True,
                             validate=validate.Length(min=1, max=2000),
                             metadata={"example": ["P01", "P79"]})


class ComparableGroupsInSchema(StrictSchema):
    groups = ma.fields.List(ma.fields.Nested(ComparableGroupInSchema), required=True,
                            validate=validate.Length(max=100), metadata={
                                "description": "Every unit of the cycle in exactly one group, "
                                               "each group of one level; [] goes back to "
                                               "comparing by level."})
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=2000),
                              metadata={"example": "Phân nhóm theo quy mô thu, chi năm 2026."})
    version = fields.version()


class ComparableGroupSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    members = ma.fields.List(ma.fields.String(), metadata={"description": "Unit codes."})


class ComparableGroupsSchema(ma.Schema):
    year = ma.fields.Integer()
    by_level = ma.fields.Boolean(metadata={
        "description": "True when the cycle declares no group: the quota caps central units "
                       "together and provinces together."})
    comparable_groups = ma.fields.List(ma.fields.Nested(ComparableGroupSchema))


class ComparableGroupsWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    reason = ma.fields.String()
    comparable_groups = ma.fields.List(ma.fields.Nested(ComparableGroupSchema))
    version = ma.fields.Integer()
