"""Schemas of users and tokens."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.kernel.actor import ROLES
from domain.users.cases import MAX_TOKEN_DAYS
from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema


class UserQueryArgsSchema(PageArgsSchema):
    role = ma.fields.String(validate=validate.OneOf(ROLES))
    unit = ma.fields.String()


class UserRegisterSchema(StrictSchema):
    username = ma.fields.String(required=True, validate=validate.Length(min=3, max=64),
                                metadata={"example": "nguyen.van.a"})
    full_name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200),
                                 metadata={"example": "Nguyễn Văn A"})
    roles = ma.fields.List(ma.fields.String(validate=validate.OneOf(ROLES)), required=True,
                           validate=validate.Length(min=1, max=len(ROLES)))
    unit_code = ma.fields.String(load_default=None, allow_none=True, metadata={
        "description": "The unit the user acts for; none for a user holding only roles that "
                       "act for no unit of their own (admin, auditor, inspector, leader: a "
                       "leader in charge, a deputy general director, belongs to no unit)."})
    assigned_unit_codes = ma.fields.List(ma.fields.String(), load_default=list,
                                         validate=validate.Length(max=100),
                                         metadata={"description": "For a leader: the central "
                                                   "units whose sheets and nominations they "
                                                   "approve."})


class RoleSchema(StrictSchema):
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))


class ReasonArgsSchema(StrictSchema):
    reason = ma.fields.String(load_default=None, validate=validate.Length(max=1000))


class AccountReasonSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"description": "Why the account is disabled or "
                                        "enabled (recorded with the event).",
                                        "example": "Chuyển công tác khác."})


class TransferSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, validate=fields.CODE_LENGTH,
                                 metadata={"description": "The unit the user acts for from "
                                           "the effective date (active then and today).",
                                           "example": "P01"})
    effective = ma.fields.Date(required=True, metadata={
        "description": "The day the transfer takes effect: not after today, not before the "
                       "user's last transfer.", "example": "2025-07-01"})
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"description": "Why (the decision), recorded with the "
                                        "event.", "example": "Quyết định điều chuyển số "
                                        "12/QĐ-BHXH ngày 30/6/2025."})


class TransferWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    version = ma.fields.Integer()
    username = ma.fields.String()
    roles = ma.fields.List(ma.fields.String())
    disabled = ma.fields.Boolean()
    unit_code = ma.fields.String()
    effective = ma.fields.String()


class AssignedUnitsSchema(StrictSchema):
    unit_codes = ma.fields.List(ma.fields.String(), required=True,
                                validate=validate.Length(max=100))


class UserSchema(ma.Schema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    full_name = ma.fields.String()
    roles = ma.fields.List(ma.fields.String())
    unit_code = ma.fields.String(allow_none=True)
    assigned_unit_codes = ma.fields.List(ma.fields.String())
    disabled = ma.fields.Boolean()
    version = ma.fields.Integer()


class UserPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(UserSchema))


class UserWriteSchema(ma.Schema):
    position = ma.fields.Integer()
    version = ma.fields.Integer()
    username = ma.fields.String()
    roles = ma.fields.List(ma.fields.String())
    disabled = ma.fields.Boolean()


class TokenIssueSchema(StrictSchema):
    label = ma.fields.String(load_default="", validate=validate.Length(max=100))
    days = fields.number(1, MAX_TOKEN_DAYS, load_default=90)


class TokenIssuedSchema(ma.Schema):
    id = ma.fields.String()
    token = ma.fields.String(metadata={"description": "The secret: shown this once only."})
    expires_at = fields.Moment()
    position = ma.fields.Integer()
    note = ma.fields.String(metadata={"description": "Only in a replay (same Idempotency-Key): "
                                      "the secret is not repeated, and why."})


class TokenQueryArgsSchema(PageArgsSchema):
    username = ma.fields.String()


class TokenSchema(ma.Schema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    label = ma.fields.String()
    issued_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True)


class TokenPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(TokenSchema))


class TokenRevokedSchema(ma.Schema):
    id = ma.fields.String()
    position = ma.fields.Integer()
