"""Schemas of covenants (giao ước thi đua), signatures, registered targets and findings."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.covenants.covenant import ASSESSMENTS, DIRECTIONS
from web.extensions import fields
from web.extensions.common import (
    FullMatch,
    PageArgsSchema,
    PageSchema,
    StrictSchema,
    WaitArgsSchema,
)

GROUP_ID_EXAMPLE = "e2731467-6a5e-5099-a344-9efe25e63a44"
COVENANT_ID_EXAMPLE = "5b0e4a53-8f0e-5c52-9b8e-0f5c1c3f6a21"
DECIMAL = {"validate": FullMatch(r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$",
                                 error="A decimal number as a string, like \"98.5\".")}
REASON = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                          metadata={"example": "Điều chỉnh theo Nghị quyết của Cụm"})


class TargetInSchema(StrictSchema):
    code = ma.fields.String(required=True, validate=fields.CODE_LENGTH,
                            metadata={"example": "THU_BHXH"})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                            metadata={"example": "Tỷ lệ thu BHXH so với kế hoạch"})
    unit_of_measure = ma.fields.String(required=True, validate=validate.Length(min=1, max=50),
                                       metadata={"example": "%"})
    target = ma.fields.String(required=True, **DECIMAL,  # type: ignore[arg-type]
                              metadata={"example": "100"})
    direction = ma.fields.String(required=True, validate=validate.OneOf(DIRECTIONS),
                                 metadata={"example": "at_least"})


class TargetOutSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "THU_BHXH"})
    name = ma.fields.String(metadata={"example": "Tỷ lệ thu BHXH so với kế hoạch"})
    unit_of_measure = ma.fields.String(metadata={"example": "%"})
    target = ma.fields.String(metadata={"example": "100"})
    direction = ma.fields.String(metadata={"example": "at_least"})


TARGETS = {"validate": validate.Length(min=1, max=200)}


class CovenantLaunchSchema(StrictSchema):
    group_id = ma.fields.UUID(required=True, metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year(required=True)
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                             metadata={"example": "Giao ước thi đua năm 2025 Cụm thi đua số 1"})
    launched_on = ma.fields.Date(required=True, metadata={"example": "2025-01-15"})
    targets = ma.fields.List(ma.fields.Nested(TargetInSchema), required=True,
                             **TARGETS)  # type: ignore[arg-type]


class CovenantAmendSchema(StrictSchema):
    reason = REASON
    title = ma.fields.String(load_default=None, validate=validate.Length(min=1, max=300))
    targets = ma.fields.List(ma.fields.Nested(TargetInSchema), load_default=None,
                             **TARGETS)  # type: ignore[arg-type]
    version = fields.version()


class CovenantQueryArgsSchema(PageArgsSchema):
    group_id = ma.fields.UUID(metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year()


class CovenantSchema(ma.Schema):
    id = ma.fields.String(metadata={"example": COVENANT_ID_EXAMPLE})
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    group_code = ma.fields.String(metadata={"example": "C1"})
    year = ma.fields.Integer(metadata={"example": 2025})
    title = ma.fields.String()
    launched_on = ma.fields.String(metadata={"example": "2025-01-15"})
    revision = ma.fields.Integer(metadata={"example": 1})
    signed = ma.fields.Integer(metadata={"example": 6})
    members = ma.fields.Integer(metadata={"example": 7})


class CovenantPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(CovenantSchema))


class RevisionSchema(ma.Schema):
    revision = ma.fields.Integer()
    title = ma.fields.String()
    targets = ma.fields.List(ma.fields.Nested(TargetOutSchema))
    reason = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime()


class CovenantDetailSchema(CovenantSchema):
    targets = ma.fields.List(ma.fields.Nested(TargetOutSchema))
    version = ma.fields.Integer()
    findings = ma.fields.Integer()
    revisions = ma.fields.List(ma.fields.Nested(RevisionSchema))


class CovenantWrittenSchema(ma.Schema):
    position = ma.fields.Integer(metadata={"example": 1234})
    id = ma.fields.String(metadata={"example": COVENANT_ID_EXAMPLE})
    group_id = ma.fields.String()
    year = ma.fields.Integer()
    title = ma.fields.String()
    launched_on = ma.fields.String()
    targets = ma.fields.List(ma.fields.Nested(TargetOutSchema))
    revision = ma.fields.Integer()
    signed = ma.fields.Integer()
    version = ma.fields.Integer()


# -- signatures --------------------------------------------------------------------------------
class SignSchema(StrictSchema):
    signed_on = ma.fields.Date(load_default=None, allow_none=True,
                               metadata={"example": "2025-01-20",
                                         "description": "Default: today."})


class SignedWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    covenant_id = ma.fields.String(metadata={"example": COVENANT_ID_EXAMPLE})
    unit_code = ma.fields.String(metadata={"example": "P01"})
    signed_on = ma.fields.String(metadata={"example": "2025-01-20"})
    revision = ma.fields.Integer(metadata={"example": 1})
    signed = ma.fields.Integer(metadata={"example": 3})


class SignatureSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String()
    signed_on = ma.fields.Date(allow_none=True)
    revision = ma.fields.Integer(allow_none=True)
    signed_at = ma.fields.DateTime(allow_none=True)


class UnsignedSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P07"})
    unit_name = ma.fields.String()


class SignaturesSchema(ma.Schema):
    covenant_id = ma.fields.String()
    members = ma.fields.Integer(metadata={"example": 7})
    all_signed = ma.fields.Boolean(metadata={"example": False})
    signed = ma.fields.List(ma.fields.Nested(SignatureSchema))
    not_signed = ma.fields.List(ma.fields.Nested(UnsignedSchema))


# -- registered targets ------------------------------------------------------------------------
class RegisteredTargetInSchema(StrictSchema):
    target = ma.fields.String(required=True, validate=fields.CODE_LENGTH,
                              metadata={"example": "THU_BHXH"})
    value = ma.fields.String(required=True, **DECIMAL,  # type: ignore[arg-type]
                             metadata={"example": "101.5"})
    note = ma.fields.String(load_default=None, validate=validate.Length(min=1, max=1000),
                            metadata={"example": "Phấn đấu vượt kế hoạch"})


class RegisteredTargetOutSchema(ma.Schema):
    target = ma.fields.String(metadata={"example": "THU_BHXH"})
    value = ma.fields.String(metadata={"example": "101.5"})
    note = ma.fields.String()


class RegisterSchema(StrictSchema):
    targets = ma.fields.List(ma.fields.Nested(RegisteredTargetInSchema), required=True,
                             **TARGETS)  # type: ignore[arg-type]
    reason = ma.fields.String(load_default=None, validate=validate.Length(min=1, max=1000),
                              metadata={"description": "Needed when amending a registration."})


class RegisteredWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    covenant_id = ma.fields.String()
    unit_code = ma.fields.String(metadata={"example": "P01"})
    revision = ma.fields.Integer(metadata={"example": 1})
    targets = ma.fields.List(ma.fields.Nested(RegisteredTargetOutSchema))


class RegistrationSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String()
    revision = ma.fields.Integer()
    targets = ma.fields.List(ma.fields.Nested(RegisteredTargetOutSchema))
    reason = ma.fields.String(allow_none=True)
    registered_at = ma.fields.DateTime()


class RegistrationQueryArgsSchema(WaitArgsSchema):
    unit = ma.fields.String(metadata={"example": "P01", "description": "One member's code."})
    history = ma.fields.Boolean(load_default=False,
                                metadata={"description": "Every revision, not just the last."})


class RegistrationListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RegistrationSchema))


# -- findings ----------------------------------------------------------------------------------
class FindingInSchema(StrictSchema):
    member_code = ma.fields.String(required=True, validate=fields.CODE_LENGTH,
                                   metadata={"example": "P02"})
    inspected_on = ma.fields.Date(required=True, metadata={"example": "2025-06-10"})
    target = ma.fields.String(load_default=None, validate=fields.CODE_LENGTH,
                              metadata={"example": "THU_BHXH"})
    assessment = ma.fields.String(required=True, validate=validate.OneOf(ASSESSMENTS),
                                  metadata={"example": "partly_kept"})
    summary = ma.fields.String(required=True, validate=validate.Length(min=1, max=4000),
                               metadata={"example": "Tỷ lệ thu đạt 96% kế hoạch 6 tháng."})
    inspection = ma.fields.String(load_default=None, validate=fields.CODE_LENGTH, metadata={
        "example": "KT1", "description": "The code of the inspection of the group's plan "
        "of the year the finding came from (kế hoạch kiểm tra): it must inspect the member, "
        "and inspected_on fall within its days."})


class FindingAmendSchema(StrictSchema):
    reason = REASON
    assessment = ma.fields.String(load_default=None, validate=validate.OneOf(ASSESSMENTS))
    summary = ma.fields.String(load_default=None, validate=validate.Length(min=1, max=4000))


class FindingSchema(ma.Schema):
    position = ma.fields.Integer()
    covenant_id = ma.fields.String()
    finding_no = ma.fields.Integer(metadata={"example": 1})
    member_code = ma.fields.String(metadata={"example": "P02"})
    inspected_on = ma.fields.String(metadata={"example": "2025-06-10"})
    target = ma.fields.String(allow_none=True, metadata={"example": "THU_BHXH"})
    assessment = ma.fields.String(metadata={"example": "partly_kept"})
    summary = ma.fields.String()
    revision = ma.fields.Integer(metadata={"example": 1})
    reason = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime()
    amended_at = ma.fields.DateTime(allow_none=True)
    inspection = ma.fields.String(allow_none=True, metadata={
        "example": "KT1", "description": "The inspection of the group's plan the finding "
        "came from (none: not named)."})


class FindingQueryArgsSchema(WaitArgsSchema):
    member = ma.fields.String(metadata={"example": "P02"})


class FindingListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FindingSchema))
