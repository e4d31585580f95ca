"""Schemas of a province's evaluation of its district offices: its rule sets, its cycle,
the decision and the views (the sheets, nominations and summaries: schemas_items.py)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from domain.district.ruleset import sample_district_ruleset
from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema, WaitArgsSchema
from web.resources.evaluation.schemas import CODE, LAST_DAY, TitleAwardedSchema, WarningSchema

SAMPLE = sample_district_ruleset()
PROVINCE: dict[str, Any] = {"required": True, **CODE, "metadata": {
    "example": "P40", "description": "The province (BHXH tỉnh) whose district offices are "
                                     "evaluated."}}


# -- rule sets ----------------------------------------------------------------------------
class DistrictRuleSetInSchema(StrictSchema):
    province_code = ma.fields.String(**PROVINCE)
    content = ma.fields.Dict(required=True, metadata={
        "example": SAMPLE, "description": "As the sector's rule set (criteria, levels, quota, "
        "deadline, legal_basis), with, per criterion, what it scores (source: professional, "
        "key_task or unplanned_task) and its quantified target if any (measure: unit, "
        "target); basis: {\"district\": [\"province_to_district\"]}, the kinds of sheet a "
        "district office's score rests on (its self score when none is sent)."})
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=1000))
    version = fields.version()


class DistrictRuleSetWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    province_code = ma.fields.String()
    code = ma.fields.String()
    version = ma.fields.Integer()
    criteria = ma.fields.Integer()
    note = ma.fields.String(allow_none=True)


class DistrictRuleSetQueryArgsSchema(PageArgsSchema):
    province = ma.fields.String(**CODE)
    code = ma.fields.String(**CODE)


class DistrictRuleSetSchema(ma.Schema):
    province_code = ma.fields.String()
    code = ma.fields.String()
    version = ma.fields.Integer()
    name = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    published_at = ma.fields.DateTime()
    criteria = ma.fields.Integer()
    position = ma.fields.Integer()


class DistrictRuleSetPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(DistrictRuleSetSchema))


class DistrictRuleSetVersionArgsSchema(WaitArgsSchema):
    version = fields.version(lowest=1, metadata={"description": "Default: the latest."})


class DistrictSampleArgsSchema(StrictSchema):
    """No parameters."""


class DistrictRuleSetDetailSchema(ma.Schema):
    province_code = ma.fields.String()
    code = ma.fields.String()
    version = ma.fields.Integer()
    name = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    published_at = ma.fields.DateTime()
    content = ma.fields.Dict()


# -- cycles -------------------------------------------------------------------------------
class DistrictComparableGroupInSchema(StrictSchema):
    code = ma.fields.String(required=True, **CODE, metadata={"example": "N1"})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                            metadata={"example": "Nhóm 1 - quy mô thu lớn"})
    description = ma.fields.String(load_default=None, allow_none=True,
                                   validate=validate.Length(max=2000), metadata={
                                       "example": "Số thu BHXH, BHYT, BHTN trên 1.000 tỷ "
                                                  "đồng/năm; địa bàn đô thị."})
    members = ma.fields.List(ma.fields.String(**CODE), required=True,
                             validate=validate.Length(min=1, max=500),
                             metadata={"example": ["P40D01", "P40D03"]})


class DistrictCycleOpenSchema(StrictSchema):
    year = fields.year(required=True)
    province_code = ma.fields.String(**PROVINCE)
    ruleset_code = ma.fields.String(required=True, **CODE, metadata={"example": "TCHUYEN"})
    ruleset_version = fields.version(lowest=1, metadata={"description": "Default: the latest."})
    deadline = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Default: the rule set's (day and month of the following year)."})
    reference_date = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "The day of the year the cycle counts its offices on: each must be a "
                       "district office of the province active that day. Default: the rule "
                       "set's reference_day, else 31 December."})
    units = ma.fields.List(ma.fields.String(**CODE), load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=500), metadata={
                               "description": "Default: every district office of the "
                                              "province active on the reference date."})
    comparable_groups = ma.fields.List(
        ma.fields.Nested(DistrictComparableGroupInSchema), load_default=list,
        validate=validate.Length(max=50), metadata={
            "description": "Nhóm tương đồng: offices alike in the kind and volume of their "
                           "work, ranked and capped (the quota) within their group. When any "
                           "is given, every office is in exactly one; none: the offices are "
                           "compared all together."})


class DistrictCycleWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    state = ma.fields.String()
    ruleset = ma.fields.Dict(metadata={"description": "province, code, version."})
    deadline = ma.fields.String()
    last_day = ma.fields.String(metadata=LAST_DAY)
    reference_date = ma.fields.String()
    units = ma.fields.Integer()
    comparable_groups = ma.fields.Integer()
    tasks = ma.fields.Integer()
    sheets_expected = ma.fields.Integer()
    version = ma.fields.Integer()
    warnings = ma.fields.List(ma.fields.Nested(WarningSchema), metadata={
        "description": "On opening: what the province should know though the cycle opened, "
                       "e.g. that its deadline had already passed "
                       "(cycle_opened_before_deadline): every submission then needs the "
                       "province's extension."})


class DistrictCycleQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    province = ma.fields.String(**CODE)
    state = ma.fields.String(validate=validate.OneOf(
        ["open", "closed", "under_review", "decided"]))


class DistrictCycleListItemSchema(ma.Schema):
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    province_name = ma.fields.String()
    state = ma.fields.String()
    ruleset = ma.fields.Dict()
    deadline = ma.fields.Date()
    reference_date = ma.fields.Date()
    compiled = ma.fields.Boolean()
    units = ma.fields.Integer()
    version = ma.fields.Integer()
    position = ma.fields.Integer()


class DistrictCyclePageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(DistrictCycleListItemSchema))


class DistrictCycleSchema(DistrictCycleListItemSchema):
    rules = ma.fields.Dict()
    decision = ma.fields.Dict(allow_none=True)
    history = ma.fields.List(ma.fields.Dict())
    units = ma.fields.List(ma.fields.Dict(), metadata={  # type: ignore[assignment]
        "description": "Each office: code, name (on the reference date), comparable_group."})
    comparable_groups = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each group: code, name, description, members (codes)."})
    tasks = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "The unplanned tasks assigned: code, name, criterion, assigned_on, "
                       "target, unit_of_measure, units (codes)."})
    extensions = ma.fields.List(ma.fields.Dict())
    sheets_expected = ma.fields.Integer()
    amendments = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each amendment: reason, at, offices added and removed."})
    first_sent = ma.fields.Dict(allow_none=True, metadata={
        "description": "The first sheet sent (sheet_id, scorer_code, at): from then the "
                       "cycle can no longer be amended."})
    deadline_included = ma.fields.Boolean(metadata={
        "description": "Whether a submission on the deadline's day itself is in time."})
    last_day = ma.fields.Date(metadata=LAST_DAY)
    opened_after_deadline = ma.fields.Boolean(metadata={
        "description": "Whether the cycle was opened once its deadline had passed (every "
                       "submission then needs the province's extension)."})
    extension_limit_days = ma.fields.Integer(metadata={
        "description": "How many days past the deadline an extension may run (the rule "
                       "set's, default 30)."})


class TaskInSchema(StrictSchema):
    code = ma.fields.String(required=True, **CODE, metadata={"example": "DX01"})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=500),
                            metadata={"example": "Rà soát, cấp mã số BHXH cho người dân vùng "
                                                 "lũ"})
    criterion = ma.fields.String(required=True, **CODE, metadata={
        "example": "T07", "description": "The criterion of the cycle's rule set that scores "
                                         "unplanned tasks, under which this one is scored."})
    assigned_on = ma.fields.Date(required=True, metadata={"example": "2026-09-15"})
    units = ma.fields.List(ma.fields.String(**CODE), load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=500), metadata={
                               "description": "The offices it is assigned to. Default: every "
                                              "office of the cycle."})
    target = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=100), metadata={"example": "100"})
    unit_of_measure = ma.fields.String(load_default=None, allow_none=True,
                                       validate=validate.Length(max=50),
                                       metadata={"example": "%"})


class TaskWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    code = ma.fields.String()
    name = ma.fields.String()
    criterion = ma.fields.String()
    assigned_on = ma.fields.String()
    target = ma.fields.String(allow_none=True)
    unit_of_measure = ma.fields.String(allow_none=True)
    units = ma.fields.List(ma.fields.String())
    tasks = ma.fields.Integer(metadata={"description": "Tasks assigned in the cycle so far."})
    version = ma.fields.Integer()


class DistrictExtensionInSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, **CODE, metadata={"example": "P40D05"})
    until = ma.fields.Date(required=True, metadata={"example": "2027-01-20"})
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Công văn xin gia hạn số 15/BHXH"})


class DistrictExtensionWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    unit_code = ma.fields.String()
    until = ma.fields.String()
    reason = ma.fields.String()
    version = ma.fields.Integer()


class DistrictCloseInSchema(StrictSchema):
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=1000))


class DistrictReviewInSchema(StrictSchema):
    meeting_date = ma.fields.Date(required=True, metadata={"example": "2027-01-15"})
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=5000))


class DistrictReviewWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    state = ma.fields.String()
    units = ma.fields.Integer()
    version = ma.fields.Integer()


class DistrictDecisionInSchema(StrictSchema):
    number = ma.fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"example": "45/QĐ-BHXH"})
    signed_on = ma.fields.Date(required=True, metadata={"example": "2027-01-25"})
    signer = ma.fields.String(required=True, validate=validate.Length(min=1, max=200),
                              metadata={"example": "Giám đốc BHXH tỉnh Nguyễn Văn B"})
    outstanding = ma.fields.List(ma.fields.String(**CODE), load_default=list,
                                 validate=validate.Length(max=500),
                                 metadata={"example": ["P40D01"]})
    levels = ma.fields.Dict(keys=ma.fields.String(**CODE), values=ma.fields.String(
        validate=fields.CODE_LENGTH), load_default=None, allow_none=True,
        metadata={"description": "Office code → level, where the decision departs from the "
                  "proposed level (needs a reason)."})
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=5000))
    titles = ma.fields.List(ma.fields.Nested(TitleAwardedSchema), load_default=None,
                            allow_none=True, validate=validate.Length(max=500), metadata={
                                "description": "The titles awarded on the judging proposals "
                                "of the province's district clusters (GET /judging-proposals"
                                "?province=...): each to an office its cluster proposed for "
                                "it, rated in this decision at a level the title accepts. "
                                "Given (even empty), every such proposal is awarded or not; "
                                "left out, they stay pending.",
                                "example": [{"unit_code": "P40D01", "title": "commendation"}]})


class DistrictDecisionWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    state = ma.fields.String()
    number = ma.fields.String()
    signed_on = ma.fields.String()
    signer = ma.fields.String()
    outstanding = ma.fields.List(ma.fields.String())
    levels = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each office: code, comparable_group, proposed_level, level."})
    titles = ma.fields.List(ma.fields.Nested(TitleAwardedSchema), metadata={
        "description": "The titles awarded (only when the decision named them)."})
    version = ma.fields.Integer()


class DistrictTableSchema(ma.Schema):
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    state = ma.fields.String()
    provisional = ma.fields.Boolean(metadata={"description": "True before the review: "
                                              "computed now, not yet recorded."})
    rows = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each office: self_score, received (province_to_district: average, "
                       "count, expected), score and score_basis, comparable_group, "
                       "cluster_code, nominations (self, province, peer, total), tasks, "
                       "late, implied_level, proposed_level (the quota applied per "
                       "comparable group), quota_applied, outstanding_candidate."})
    decision = ma.fields.Dict(allow_none=True)
    levels = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "The levels of the cycle's rule set, highest first."})


class DistrictScoreboardSchema(ma.Schema):
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    state = ma.fields.String()
    deadline = ma.fields.Date()
    today = ma.fields.Date()
    compiled = ma.fields.Boolean()
    province_late = ma.fields.Integer(metadata={
        "description": "How many of the province's own sheets were late."})
    decision = ma.fields.Dict(allow_none=True)
    units = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each office: its deadline and days left, its self sheet and the "
                       "province's sheet (state, score sent), nominations, lateness, score, "
                       "proposed and decided level."})
