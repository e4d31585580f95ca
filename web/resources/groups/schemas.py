"""Schemas of groups (Khối, Cụm), district partitions and membership lists."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.organisation.groups import GROUP_KINDS
from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema, WaitArgsSchema

CODES = ma.fields.List(ma.fields.String(validate=fields.CODE_LENGTH),
                       validate=validate.Length(max=2000))


class GroupQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    kind = ma.fields.String(validate=validate.OneOf(GROUP_KINDS))
    province = ma.fields.String(metadata={"description": "Province code (district clusters)."})
    member = ma.fields.String(metadata={"description": "Groups that hold this unit code."})
    on = ma.fields.Date(metadata={"description": "Count (and match) members on this day; by "
                                  "default, anyone who is a member at some time in the year."})


class GroupDetailArgsSchema(WaitArgsSchema):
    on = ma.fields.Date(metadata={"description": "Only the memberships of this day, named as "
                                  "on it; by default every membership of the year, each member "
                                  "named as on the last day of its membership."})


class GroupFormSchema(StrictSchema):
    year = fields.year(required=True)
    kind = ma.fields.String(required=True,
                            validate=validate.OneOf(["block", "provincial_cluster"]),
                            metadata={"description": "District clusters are formed by a "
                                      "district partition."})
    code = ma.fields.String(required=True, validate=fields.CODE_LENGTH,
                            metadata={"example": "K1"})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                            metadata={"example": "Khối thi đua số 1"})
    members = ma.fields.List(ma.fields.String(validate=fields.CODE_LENGTH),
                             load_default=list, validate=validate.Length(max=2000))
    version = fields.version(metadata={"description": "Version of the year's group register."})
    effective = ma.fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "First day of the members' "
                                         "membership (default 1 January of the year)."})
    continues = ma.fields.String(load_default=None, allow_none=True,
                                 validate=fields.CODE_LENGTH, metadata={
                                     "example": "C1", "description": "The code of the "
                                     "previous year's group this one carries on (default: "
                                     "the one with the same code); its head and deputy keep "
                                     "their office."})


class MembersAddSchema(StrictSchema):
    year = fields.year(required=True)
    members = ma.fields.List(ma.fields.String(validate=fields.CODE_LENGTH),
                             required=True, validate=validate.Length(min=1, max=2000))
    version = fields.version()
    effective = ma.fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "First day of their membership, to "
                                         "the end of the year (default 1 January)."})


class MemberRemoveSchema(StrictSchema):
    year = fields.year(required=True)
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000))
    version = fields.version()
    effective = ma.fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "First day the unit is no longer a "
                                         "member (default 1 January: as if it never was "
                                         "that year)."})


class MemberSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String(metadata={"description": "The unit's name then: on the last day of "
                                      "this membership in the year (or on the day asked)."})
    level = ma.fields.String()
    effective_from = ma.fields.Date(metadata={"description": "First day of the membership."})
    effective_until = ma.fields.Date(allow_none=True, metadata={
        "description": "First day it no longer holds; null: to the end of the year."})


class GroupSchema(ma.Schema):
    id = ma.fields.UUID()
    year = ma.fields.Integer()
    kind = ma.fields.String()
    code = ma.fields.String()
    name = ma.fields.String()
    province_code = ma.fields.String(allow_none=True)
    member_count = ma.fields.Integer()


class GroupDetailSchema(GroupSchema):
    members = ma.fields.List(ma.fields.Nested(MemberSchema))
    version = ma.fields.Integer(allow_none=True)


class GroupPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(GroupSchema))


class GroupWriteSchema(ma.Schema):
    position = ma.fields.Integer()
    version = ma.fields.Integer()
    id = ma.fields.String()
    code = ma.fields.String()
    kind = ma.fields.String()
    members = ma.fields.Integer()


class ClusterInSchema(StrictSchema):
    code = ma.fields.String(required=True, validate=fields.CODE_LENGTH)
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300))
    members = ma.fields.List(ma.fields.String(validate=fields.CODE_LENGTH),
                             required=True, validate=validate.Length(min=1, max=500))


class DecisionSchema(StrictSchema):
    number = ma.fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"example": "123/QĐ-BHXH"})
    date = ma.fields.Date(required=True)


class PartitionPublishSchema(StrictSchema):
    year = fields.year(required=True)
    province_code = ma.fields.String(required=True, validate=fields.CODE_LENGTH)
    effective = ma.fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "Day from which these clusters hold, "
                                         "and on which N is counted (default 1 January of the "
                                         "year). Before it the earlier partition stands; one "
                                         "published again for the same day replaces it."})
    clusters = ma.fields.List(ma.fields.Nested(ClusterInSchema), required=True,
                              validate=validate.Length(min=1, max=50))
    scale = ma.fields.Dict(keys=ma.fields.String(validate=validate.Length(max=100)),
                           values=ma.fields.Raw(), load_default=dict,
                           validate=validate.Length(max=200),
                           metadata={"description": "Scale figures the province gives (revenue, "
                                     "spending...): recorded, never used to compute the split."})
    decision = ma.fields.Nested(DecisionSchema, load_default=None, allow_none=True)
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=1000))


class PartitionQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    province = ma.fields.String()


class ClusterOutSchema(ma.Schema):
    id = ma.fields.String()
    code = ma.fields.String()
    name = ma.fields.String()
    members = ma.fields.List(ma.fields.String())


class PartitionSchema(ma.Schema):
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    province_name = ma.fields.String()
    effective = ma.fields.Date()
    district_count = ma.fields.Integer()
    cluster_count = ma.fields.Integer()
    scale = ma.fields.Dict()
    decision = ma.fields.Dict(allow_none=True)
    position = ma.fields.Integer()
    clusters = ma.fields.List(ma.fields.Nested(ClusterOutSchema))


class PartitionPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(PartitionSchema))


class PartitionWriteSchema(ma.Schema):
    position = ma.fields.Integer()
    district_count = ma.fields.Integer()
    cluster_count = ma.fields.Integer()
    effective = ma.fields.String()


class MembershipListFormSchema(StrictSchema):
    year = fields.year(required=True)
    document_number = ma.fields.String(required=True, validate=validate.Length(min=1, max=100),
                                       metadata={"example": "4268/BHXH-TĐKT"})
    document_date = ma.fields.Date(required=True, metadata={"example": "2021-12-22"})
    effective = ma.fields.Date(load_default=None, metadata={
        "description": "Day from which the list re-forms the groups it names, units counted on "
                       "it (default 1 January of the year)."})


class MembershipListFileSchema(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                                  "description": "CSV (UTF-8) or XLSX list."})


class MembershipDecisionSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    document_number = ma.fields.String()
    document_date = ma.fields.Date()
    effective = ma.fields.Date()
    filename = ma.fields.String(allow_none=True)
    rows = ma.fields.Integer()
    groups = ma.fields.Integer()
    recorded_at = ma.fields.DateTime()


class MembershipListWrittenSchema(ma.Schema):
    position = ma.fields.Integer(allow_none=True, metadata={
        "description": "Position of the decision's event; null when the list was already "
                       "applied (nothing was recorded)."})
    year = ma.fields.Integer()
    document_number = ma.fields.String()
    document_date = ma.fields.String()
    effective = ma.fields.String()
    filename = ma.fields.String()
    rows = ma.fields.Integer()
    groups = ma.fields.Integer()
    already_applied = ma.fields.Boolean(metadata={
        "description": "True (with 200) when this very list (same document number and date, "
                       "same effective day, same memberships) was applied before: nothing is "
                       "recorded twice."})


class MembershipDecisionPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(MembershipDecisionSchema))


class MembershipQueryArgsSchema(PageArgsSchema):
    year = fields.year()
