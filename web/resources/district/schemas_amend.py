"""Schemas of a district cycle's amendments (until its first sheet is sent, as the sector's
cycle is amended) and of what the cycle's reads add for its deadline and amendments."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from web.extensions import fields
from web.extensions.common import StrictSchema
from web.resources.district.schemas import DistrictComparableGroupInSchema, TaskInSchema
from web.resources.evaluation.schemas import CODE


class DistrictAmendmentInSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=2000),
                              metadata={"example": "BHXH cơ sở P40D19 sáp nhập vào P40D17 "
                                                   "từ 15/12/2026 (Quyết định số 88/QĐ-BHXH)."})
    units = ma.fields.List(ma.fields.String(**CODE), load_default=None,
                           validate=validate.Length(min=1, max=500), metadata={
                               "description": "The cycle's district offices (replaces them): "
                                              "each a district office of the province active "
                                              "on the cycle's reference date."})
    comparable_groups = ma.fields.List(
        ma.fields.Nested(DistrictComparableGroupInSchema), load_default=None,
        validate=validate.Length(max=50), metadata={
            "description": "The comparable groups (replaces them; [] declares none): when any "
                           "is given, every office of the amended cycle is in exactly one."})
    tasks = ma.fields.List(ma.fields.Nested(TaskInSchema), load_default=None,
                           validate=validate.Length(max=200), metadata={
                               "description": "The unplanned tasks (replaces them; [] for "
                                              "none). A task left as it was keeps the moment "
                                              "it was assigned."})
    version = fields.version()


class DistrictAmendmentWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    amendment = ma.fields.Integer(metadata={"description": "The amendment's number (1, 2…)."})
    reason = ma.fields.String()
    added = ma.fields.List(ma.fields.String(), metadata={"description": "Offices added."})
    removed = ma.fields.List(ma.fields.String(), metadata={"description": "Offices removed."})
    at = ma.fields.String()
    state = ma.fields.String()
    ruleset = ma.fields.Dict(metadata={"description": "province, code, version."})
    deadline = ma.fields.String()
    last_day = ma.fields.String()
    reference_date = ma.fields.String()
    units = ma.fields.Integer()
    comparable_groups = ma.fields.Integer()
    tasks = ma.fields.Integer()
    sheets_expected = ma.fields.Integer()
    version = ma.fields.Integer()
