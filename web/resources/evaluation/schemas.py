"""Schemas of the annual evaluation: rule sets, cycles, sheets, nominations, field reports,
cluster summaries, the decision and the views."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from domain.evaluation.ruleset import sample_ruleset
from web.extensions import fields
from web.extensions.common import (
    PageArgsSchema,
    PageSchema,
    SourceSchema,
    StrictSchema,
    WaitArgsSchema,
)

CODE: dict[str, Any] = {"validate": fields.CODE_LENGTH}
TEXT: dict[str, Any] = {"validate": validate.Length(min=1, max=5000)}
SAMPLE = sample_ruleset()


class Score(ma.fields.Field):
    """A score as a string ('8.5') or a JSON number; kept as its decimal text."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ma.ValidationError("A score is a decimal: '8.5' or 8.5.")
        return repr(value) if isinstance(value, float) else str(value)


SCORES = ma.fields.Dict(keys=ma.fields.String(validate=fields.CODE_LENGTH),
                        values=Score(), validate=validate.Length(max=200), required=True,
                        metadata={"example": {"C01": "28", "C02": "18.5", "B01": "2",
                                              "M01": "0"},
                                  "description": "Criterion code → points (at most two "
                                                 "decimals). Totals are computed."})


# -- rule sets ----------------------------------------------------------------------------
class RuleSetInSchema(StrictSchema):
    content = ma.fields.Dict(required=True, metadata={
        "example": SAMPLE, "description": "Criteria (code, group, name, kind base|bonus|minus, "
        "max), levels (code, name, min; highest first), quota, deadline (month, day of the "
        "following year; included: whether a submission on that day is in time), basis, "
        "legal_basis (documents: number, date, issuer, title); optional: reference_day, "
        "separation_of_duties, monitor_fields (monitoring unit code → the criteria of its "
        "field: it scores provinces on those only), extension_limit_days (how many days past "
        "the deadline an extension may run; default 30), late_opening ('warn': a cycle "
        "opened after its deadline opens with a warning, the default; 'refuse': it is "
        "refused). Defaults that are ours, not the letters', are marked in a version's read "
        "(sources)."})
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=1000))
    version = fields.version()


class RuleSetWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    code = ma.fields.String()
    version = ma.fields.Integer()
    criteria = ma.fields.Integer()
    note = ma.fields.String(allow_none=True)


class RuleSetQueryArgsSchema(PageArgsSchema):
    code = ma.fields.String(**CODE)


class RuleSetSchema(ma.Schema):
    code = ma.fields.String()
    version = ma.fields.Integer()
    name = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    published_at = ma.fields.DateTime()
    criteria = ma.fields.Integer()
    position = ma.fields.Integer()


class RuleSetPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(RuleSetSchema))


class RuleSetVersionArgsSchema(WaitArgsSchema):
    version = fields.version(lowest=1, metadata={"description": "Default: the latest."})


class LegalDocumentSchema(ma.Schema):
    """A document a rule set rests on (căn cứ pháp lý), as the decision document cites it."""

    number = ma.fields.String(metadata={"example": "1779/QĐ-BHXH"})
    date = ma.fields.String(metadata={"example": "2021-12-31", "description": "The day it "
                                      "was signed (YYYY-MM-DD)."})
    issuer = ma.fields.String(allow_none=True, metadata={
        "example": "Tổng Giám đốc BHXH Việt Nam", "description": "Null where not named."})
    title = ma.fields.String()


class RuleSetDetailSchema(ma.Schema):
    code = ma.fields.String()
    version = ma.fields.Integer()
    name = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    published_at = ma.fields.DateTime()
    content = ma.fields.Dict()
    legal_basis = ma.fields.List(ma.fields.Nested(LegalDocumentSchema), metadata={
        "description": "The documents the rule set rests on (its content's legal_basis)."})
    sources = ma.fields.List(ma.fields.Nested(SourceSchema), metadata={
        "description": "Each setting with whose it is: the letters', ours, or the rule "
                       "set's own."})


class SampleArgsSchema(StrictSchema):
    criteria = fields.number(1, 100, metadata={"description": "A scheme of n equal criteria."})


# -- cycles -------------------------------------------------------------------------------
class MonitoringInSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, **CODE, metadata={"example": "BTHU"})
    field = ma.fields.String(required=True, validate=validate.Length(min=1, max=500),
                             metadata={"example": "Thu BHXH, BHYT, BHTN"})


class OrganisationInSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, **CODE, metadata={"example": "VTCCB"})
    subjects = ma.fields.List(ma.fields.String(**CODE), required=True,
                              validate=validate.Length(min=1, max=500),
                              metadata={"example": ["BTHU", "TTCNTT"]})


class FieldUnitInSchema(StrictSchema):
    item = fields.number(1, 50, required=True, metadata={"example": 1})
    unit_code = ma.fields.String(required=True, **CODE, metadata={"example": "BTHU"})
    topic = ma.fields.String(required=True, validate=validate.Length(min=1, max=2000),
                             metadata={"example": "Kết quả thực hiện kế hoạch thu; nợ BHXH"})
    about = ma.fields.List(ma.fields.String(validate=validate.OneOf(["province", "central"])),
                           load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=2), metadata={
                               "example": ["province", "central"],
                               "description": "The levels of the units the item reports "
                               "on. Default: provinces; add central for facts of the whole "
                               "sector (discipline cases, media incidents, Party "
                               "organisation ratings)."})


class CycleOpenSchema(StrictSchema):
    year = fields.year(required=True)
    ruleset_code = ma.fields.String(required=True, **CODE, metadata={"example": "QD1779"})
    ruleset_version = fields.version(lowest=1, metadata={"description": "Default: the latest."})
    deadline = ma.fields.Date(load_default=None, allow_none=True,
                              metadata={"description": "Default: the rule set's (10 January "
                                        "of the following year)."})
    reference_date = ma.fields.Date(
        load_default=None, allow_none=True,
        metadata={"description": "The day of the year the cycle counts its units on: every "
                  "unit, monitor, scorer and field unit must be active on it. Default: the "
                  "rule set's reference_day, else 31 December of the year.",
                  "example": "2026-12-31"})
    units = ma.fields.List(ma.fields.String(**CODE), load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=2000),
                           metadata={"description": "Default: the members of the year's blocks "
                                     "and provincial clusters active on the reference date."})
    monitoring = ma.fields.List(ma.fields.Nested(MonitoringInSchema), required=True,
                                validate=validate.Length(max=100))
    organisation_scoring = ma.fields.List(ma.fields.Nested(OrganisationInSchema),
                                          required=True, validate=validate.Length(max=20))
    field_units = ma.fields.List(ma.fields.Nested(FieldUnitInSchema), load_default=list,
                                 validate=validate.Length(max=50))
    standing_office_code = ma.fields.String(load_default=None, allow_none=True, **CODE,
                                            metadata={"example": "VTDKT"})


class AmendmentInSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=2000),
                              metadata={"example": "BHXH tỉnh P03 đã hợp nhất vào P01 từ "
                                        "01/7/2025 (Công văn số 123/BHXH-TĐKT)."})
    units = ma.fields.List(ma.fields.String(**CODE), load_default=None,
                           validate=validate.Length(min=1, max=2000),
                           metadata={"description": "The cycle's units (replaces them)."})
    monitoring = ma.fields.List(ma.fields.Nested(MonitoringInSchema), load_default=None,
                                validate=validate.Length(max=100))
    organisation_scoring = ma.fields.List(ma.fields.Nested(OrganisationInSchema),
                                          load_default=None, validate=validate.Length(max=20))
    field_units = ma.fields.List(ma.fields.Nested(FieldUnitInSchema), load_default=None,
                                 validate=validate.Length(max=50))
    version = fields.version()


class AmendmentWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    amendment = ma.fields.Integer(metadata={"description": "The amendment's number (1, 2…)."})
    reason = ma.fields.String()
    added = ma.fields.List(ma.fields.String(), metadata={"description": "Units added."})
    removed = ma.fields.List(ma.fields.String(), metadata={"description": "Units removed."})
    at = ma.fields.String()
    reference_date = ma.fields.String()
    state = ma.fields.String()
    ruleset = ma.fields.Dict()
    deadline = ma.fields.String()
    units = ma.fields.Integer()
    sheets_expected = ma.fields.Integer()
    version = ma.fields.Integer()


LAST_DAY = {"description": "The last day a submission is in time: the deadline, or the day "
                           "before it where the rule set reads 'trước ngày' as excluding "
                           "the day (deadline.included false)."}


class WarningSchema(ma.Schema):
    rule = ma.fields.String(metadata={"description": "The rule the warning is about."})
    field = ma.fields.String(metadata={"description": "The field it concerns."})
    message = ma.fields.String(metadata={"description": "What the office should know."})


class CycleWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    reference_date = ma.fields.String()
    state = ma.fields.String()
    ruleset = ma.fields.Dict()
    deadline = ma.fields.String()
    last_day = ma.fields.String(metadata=LAST_DAY)
    units = ma.fields.Integer()
    sheets_expected = ma.fields.Integer()
    version = ma.fields.Integer()
    warnings = ma.fields.List(ma.fields.Nested(WarningSchema), metadata={
        "description": "On opening: what the office should know though the cycle opened, "
                       "e.g. that its deadline had already passed "
                       "(cycle_opened_before_deadline)."})


class CycleSchema(ma.Schema):
    year = ma.fields.Integer()
    id = ma.fields.String()
    state = ma.fields.String()
    ruleset_code = ma.fields.String()
    ruleset_version = ma.fields.Integer()
    rules = ma.fields.Dict()
    deadline = ma.fields.Date()
    deadline_included = ma.fields.Boolean(metadata={
        "description": "Whether a submission on the deadline's day itself is in time."})
    last_day = ma.fields.Date(metadata=LAST_DAY)
    legal_basis = ma.fields.List(ma.fields.Nested(LegalDocumentSchema))
    sources = ma.fields.List(ma.fields.Nested(SourceSchema), metadata={
        "description": "Each setting of the cycle's rules with whose it is."})
    reference_date = ma.fields.Date()
    amendments = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each amendment: reason, at, units added and removed."})
    first_sent = ma.fields.Dict(allow_none=True, metadata={
        "description": "The first sheet sent (sheet_id, scorer_code, at): from then the "
                       "cycle can no longer be amended."})
    history = ma.fields.List(ma.fields.Dict())
    compiled = ma.fields.Boolean()
    decision = ma.fields.Dict(allow_none=True)
    version = ma.fields.Integer()
    position = ma.fields.Integer()
    units = ma.fields.List(ma.fields.Dict())
    monitoring = ma.fields.List(ma.fields.Dict())
    organisation_scoring = ma.fields.List(ma.fields.Dict())
    field_units = ma.fields.List(ma.fields.Dict())
    extensions = ma.fields.List(ma.fields.Dict())
    sheets_expected = ma.fields.Integer()
    opened_after_deadline = ma.fields.Boolean(metadata={
        "description": "Whether the cycle was opened once its deadline had passed (every "
                       "submission then needs an extension)."})
    extension_limit_days = ma.fields.Integer(metadata={
        "description": "How many days past the deadline an extension may run (the rule "
                       "set's, default 30)."})


class ExtensionInSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, **CODE, metadata={"example": "P02"})
    until = ma.fields.Date(required=True, metadata={"example": "2025-01-20"})
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Công văn xin gia hạn số 15/BHXH"})


class ExtensionWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    unit_code = ma.fields.String()
    until = ma.fields.String()
    reason = ma.fields.String()
    version = ma.fields.Integer()


class CloseInSchema(StrictSchema):
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=1000))


class ReviewInSchema(StrictSchema):
    meeting_date = ma.fields.Date(required=True, metadata={"example": "2025-01-20"})
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=5000))


class ReviewWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    state = ma.fields.String()
    units = ma.fields.Integer()
    version = ma.fields.Integer()


class TitleAwardedSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, **CODE,  # type: ignore[arg-type]
                                 metadata={"example": "P01"})
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=32),
                             metadata={"example": "flag", "description": "A title of the "
                                       "judging's rules (flag, certificate by default)."})


class DecisionInSchema(StrictSchema):
    number = ma.fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"example": "125/QĐ-BHXH"})
    signed_on = ma.fields.Date(required=True, metadata={"example": "2025-02-05"})
    signer = ma.fields.String(required=True, validate=validate.Length(min=1, max=200),
                              metadata={"example": "Tổng Giám đốc Nguyễn Thế Mạnh"})
    outstanding = ma.fields.List(ma.fields.String(**CODE), load_default=list,
                                 validate=validate.Length(max=500),
                                 metadata={"example": ["P01"]})
    levels = ma.fields.Dict(keys=ma.fields.String(**CODE), values=ma.fields.String(
        validate=fields.CODE_LENGTH), load_default=None, allow_none=True,
        metadata={"description": "Unit code → level, where the decision departs from the "
                  "proposed level (needs a reason)."})
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=5000))
    titles = ma.fields.List(ma.fields.Nested(TitleAwardedSchema), load_default=None,
                            allow_none=True, validate=validate.Length(max=1000), metadata={
                                "description": "The emulation titles awarded on the "
                                "judging proposals of the year's blocks and provincial "
                                "clusters (GET /judging-proposals): each to a unit its group "
                                "proposed for it, rated at a level the title accepts. Given "
                                "(even empty), every such proposal is awarded or not; left "
                                "out, they stay pending. A district cluster's proposals are "
                                "its province's to award (title_proposed)."})


class DecisionWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    year = ma.fields.Integer()
    state = ma.fields.String()
    number = ma.fields.String()
    signed_on = ma.fields.String()
    signer = ma.fields.String()
    outstanding = ma.fields.List(ma.fields.String())
    titles = ma.fields.List(ma.fields.Nested(TitleAwardedSchema), metadata={
        "description": "The titles awarded (only when the decision named them)."})
    version = ma.fields.Integer()


class LevelArgsSchema(WaitArgsSchema):
    level = ma.fields.String(validate=validate.OneOf(["central", "province"]))


class LevelSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    min = ma.fields.String(metadata={"description": "The lowest total of the level."})


class TableSchema(ma.Schema):
    year = ma.fields.Integer()
    state = ma.fields.String()
    provisional = ma.fields.Boolean(metadata={"description": "True before the review: "
                                              "computed now, not yet recorded."})
    rows = ma.fields.List(ma.fields.Dict())
    decision = ma.fields.Dict(allow_none=True)
    monitor_fields = ma.fields.Dict(allow_none=True, metadata={
        "description": "The rule set's fields of the monitoring units (unit code → "
                       "criteria), or null: where given, a province's score from them is "
                       "the fields combined (received.central_to_province.method "
                       "'fields'), not the average of their totals."})
    levels = ma.fields.List(ma.fields.Nested(LevelSchema), metadata={
        "description": "The levels of the cycle's rule set, highest first: what the rows' "
                       "level codes mean."})


class ScoreboardSchema(ma.Schema):
    year = ma.fields.Integer()
    state = ma.fields.String()
    compiled = ma.fields.Boolean()
    decision = ma.fields.Dict(allow_none=True)
    units = ma.fields.List(ma.fields.Dict())


class ProgressSchema(ma.Schema):
    year = ma.fields.Integer()
    state = ma.fields.String()
    deadline = ma.fields.Date()
    last_day = ma.fields.Date(metadata=LAST_DAY)
    today = ma.fields.Date()
    days_left = ma.fields.Integer(metadata={"description": "Days from today to the last day "
                                            "in time."})
    complete = ma.fields.Integer()
    units = ma.fields.List(ma.fields.Dict())
    summaries = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each provincial cluster: whether its head has sent the summary."})
    field_reports = ma.fields.Dict(metadata={"description": "Field reports: expected (each "
                                             "appendix item on each province), sent (of "
                                             "those) and beyond (on central units, or "
                                             "beyond the appendix)."})
