"""Schemas of reorganisations (quyết định sắp xếp, tổ chức lại)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema

ROWS = ("Changes in their order, all on the effective date, each an object with 'change' and "
        "its fields: register {code, name, level, parent_code (district)}; rename {code, "
        "name}; move {code, parent_code}; merge {code, into_code}; split {code, into_codes: "
        "[...]}; dissolve {code}; relevel {code, level, parent_code (district)}.")
EXAMPLE_ROWS = [
    {"change": "register", "code": "TQ", "name": "BHXH tỉnh Tuyên Quang (mới)",
     "level": "province"},
    {"change": "move", "code": "HGD01", "parent_code": "TQ"},
    {"change": "merge", "code": "HG", "into_code": "TQ"},
]


class ReorganisationHeaderSchema(StrictSchema):
    number = ma.fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"description": "The decision's number.",
                                        "example": "1234/QĐ-BHXH"})
    signed = ma.fields.Date(required=True, metadata={"description": "The day it was signed.",
                                                     "example": "2025-06-20"})
    issuer = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                              metadata={"example": "BHXH Việt Nam"})
    basis = ma.fields.String(required=True, validate=validate.Length(min=1, max=2000),
                             metadata={"description": "Its legal basis.",
                                       "example": "Nghị quyết 202/2025/QH15"})
    effective = ma.fields.Date(required=True, metadata={
        "description": "The day every change takes effect.", "example": "2025-07-01"})


class ReorganisationSchema(ReorganisationHeaderSchema):
    changes = ma.fields.List(ma.fields.Dict(), required=True,
                             validate=validate.Length(min=1, max=20_000),
                             metadata={"description": ROWS, "example": EXAMPLE_ROWS})


class ReorganisationFormSchema(ReorganisationHeaderSchema):
    """The header as form fields, beside the file."""


class ReorganisationFileSchema(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "CSV (UTF-8) or XLSX: columns change, code, name, level, parent_code, "
                       "into_code (a split lists its parts separated by ';')."})


class ReorganisationUploadSchema(ReorganisationFormSchema, ReorganisationFileSchema):
    """The multipart body, as documented."""


class ReorganisationQueryArgsSchema(PageArgsSchema):
    effective_from = ma.fields.Date(metadata={"description": "Decisions effective on or after."})
    effective_to = ma.fields.Date(metadata={"description": "Decisions effective on or before."})
    issuer = ma.fields.String(validate=validate.Length(min=1, max=300))


class ReorganisationSummarySchema(ma.Schema):
    id = ma.fields.UUID()
    number = ma.fields.String()
    signed = ma.fields.Date()
    issuer = ma.fields.String()
    basis = ma.fields.String()
    effective = ma.fields.Date()
    change_count = ma.fields.Integer()
    unit_count = ma.fields.Integer()
    recorded_at = fields.Moment()
    position = ma.fields.Integer()


class ReorganisationDetailSchema(ReorganisationSummarySchema):
    changes = ma.fields.List(ma.fields.Dict(), metadata={"description": ROWS})
    units = ma.fields.List(ma.fields.String(), metadata={
        "description": "Codes of the units the decision changed, in the order first changed."})


class ReorganisationPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(ReorganisationSummarySchema))


class ReorganisationWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    version = ma.fields.Integer()
    id = ma.fields.UUID()
    number = ma.fields.String()
    signed = ma.fields.String()
    issuer = ma.fields.String()
    basis = ma.fields.String()
    effective = ma.fields.String()
    change_count = ma.fields.Integer()
    unit_count = ma.fields.Integer()
