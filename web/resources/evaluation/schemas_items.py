"""Schemas of score sheets, nominations, field reports and cluster summaries."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.evaluation.rules import SHEET_KINDS
from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema
from web.resources.evaluation.schemas import CODE, SCORES, TEXT, Score


# -- sheets -------------------------------------------------------------------------------
class SheetWriteSchema(StrictSchema):
    year = fields.year(required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(SHEET_KINDS),
                            metadata={"example": "province_to_central"})
    subject_code = ma.fields.String(required=True, **CODE, metadata={"example": "BTHU"})
    scorer_code = ma.fields.String(load_default=None, allow_none=True, **CODE,
                                   metadata={"description": "Default: your unit."})
    scores = SCORES
    version = fields.version()


class SheetStepSchema(StrictSchema):
    version = fields.version()


class SheetReasonSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Điểm tiêu chí C02 chưa có minh chứng."})
    version = fields.version()


class SheetFieldsSchema(ma.Schema):
    """What every answer about a score sheet holds."""

    id = ma.fields.String()
    year = ma.fields.Integer()
    kind = ma.fields.String()
    scorer_code = ma.fields.String()
    subject_code = ma.fields.String()
    needs_approval = ma.fields.Boolean(metadata={
        "description": "A central unit's sheet: its leader in charge approves it before it "
                       "is sent."})
    revision = ma.fields.Integer(metadata={"description": "The current revision."})
    state = ma.fields.String()
    total = ma.fields.String(allow_none=True)
    level = ma.fields.String(allow_none=True)
    late = ma.fields.Boolean()
    version = ma.fields.Integer()
    sent_revision = ma.fields.Integer(allow_none=True, metadata={
        "description": "The latest sent revision: the one that counts."})
    sent_total = ma.fields.String(allow_none=True)
    sent_level = ma.fields.String(allow_none=True)
    sent_late = ma.fields.Boolean(allow_none=True)


class SheetRuleSetSchema(ma.Schema):
    code = ma.fields.String()
    version = ma.fields.Integer()


class SheetReturnSchema(ma.Schema):
    """A return of the revision to its unit (trả lại), with the reason."""

    reason = ma.fields.String()
    by = ma.fields.String(metadata={"description": "The user id of the one who returned it."})
    at = fields.Moment()


class SheetRevisionSchema(ma.Schema):
    """One revision of a sheet; a sent revision never changes (a correction is the next)."""

    revision = ma.fields.Integer()
    state = ma.fields.String()
    scores = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), metadata={
        "description": "Criterion code → points, as decimal text."})
    total = ma.fields.String(allow_none=True)
    level = ma.fields.String(allow_none=True)
    late = ma.fields.Boolean()
    reason = ma.fields.String(allow_none=True, metadata={
        "description": "Why the correction that opened this revision was made."})
    submitted_by = ma.fields.String(allow_none=True)
    approved_by = ma.fields.String(allow_none=True)
    returns = ma.fields.List(ma.fields.Nested(SheetReturnSchema))
    started_at = fields.Moment()
    submitted_at = fields.Moment(allow_none=True)
    sent_at = fields.Moment(allow_none=True)
    written_by = ma.fields.List(ma.fields.String(), metadata={
        "description": "The users who wrote its scores, in order (separation of duties)."})
    submitters = ma.fields.List(ma.fields.String())
    corrected_by = ma.fields.String(allow_none=True)


class SheetMoveSchema(ma.Schema):
    """One step of a sheet: who, in which role, when, why."""

    position = ma.fields.Integer()
    revision = ma.fields.Integer()
    step = ma.fields.String(metadata={"description": "started, written, submitted, approved, "
                                                     "returned, sent or correction_opened."})
    at = fields.Moment()
    user_id = ma.fields.String(allow_none=True)
    user_name = ma.fields.String(allow_none=True)
    role = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)


class SheetRecordSchema(SheetFieldsSchema):
    """A sheet with its rule set and every revision: the write's answer and the read's."""

    ruleset = ma.fields.Nested(SheetRuleSetSchema)
    revisions = ma.fields.List(ma.fields.Nested(SheetRevisionSchema))


class SheetWrittenSchema(SheetRecordSchema):
    position = ma.fields.Integer()


class SheetQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    kind = ma.fields.String(validate=validate.OneOf(SHEET_KINDS))
    scorer = ma.fields.String(**CODE)
    subject = ma.fields.String(**CODE)
    state = ma.fields.String(validate=validate.OneOf(
        ["draft", "submitted", "approved", "sent", "returned", "revised"]))


class SheetSchema(SheetFieldsSchema):
    updated_at = ma.fields.DateTime()


class SheetPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(SheetSchema))


class SheetDetailSchema(SheetRecordSchema):
    updated_at = ma.fields.DateTime()
    moves = ma.fields.List(ma.fields.Nested(SheetMoveSchema))


# -- nominations, field reports, summaries --------------------------------------------------
class NominationInSchema(StrictSchema):
    year = fields.year(required=True)
    subject_code = ma.fields.String(required=True, **CODE, metadata={"example": "P01"})
    proposer_code = ma.fields.String(load_default=None, allow_none=True, **CODE,
                                     metadata={"description": "Default: your unit."})
    justification = ma.fields.String(required=True, **TEXT, metadata={
        "example": "Hoàn thành vượt kế hoạch thu 105%; dẫn đầu cả nước về VssID."})


class NominationSchema(ma.Schema):
    position = ma.fields.Integer()
    id = ma.fields.String()
    year = ma.fields.Integer()
    proposer_code = ma.fields.String()
    subject_code = ma.fields.String()
    basis = ma.fields.String(metadata={"description": "self, scorer or province."})
    justification = ma.fields.String()
    state = ma.fields.String(metadata={"description": "submitted, approved (by the leader in "
                                       "charge of a central proposer), returned or "
                                       "withdrawn."})
    late = ma.fields.Boolean()
    needs_approval = ma.fields.Boolean(metadata={
        "description": "A central unit's nomination: its leader in charge approves it before "
                       "it counts (the 2023 letter, 1.a)."})
    approved_by = ma.fields.String(allow_none=True, metadata={
        "description": "The user id of the leader who approved it."})
    returns = ma.fields.List(ma.fields.Nested(SheetReturnSchema), metadata={
        "description": "Each return to the proposer: reason, by, at."})
    stands = ma.fields.Boolean(metadata={
        "description": "Whether it counts now: submitted, and approved where it needs it."})
    outcome = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    updated_at = ma.fields.DateTime()


class NominationPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(NominationSchema))


class NominationQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    proposer = ma.fields.String(**CODE)
    subject = ma.fields.String(**CODE)
    state = ma.fields.String(validate=validate.OneOf(["submitted", "withdrawn"]))


class WithdrawInSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000))


class NominationStepSchema(StrictSchema):
    version = fields.version()


class NominationReturnSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Chưa nêu rõ thành tích nổi trội so với "
                                        "các đơn vị cùng khối."})
    version = fields.version()


class FieldReportInSchema(StrictSchema):
    year = fields.year(required=True)
    subject_code = ma.fields.String(load_default=None, allow_none=True, **CODE, metadata={
        "example": "P01", "description": "The unit reported on: a province (in your "
        "appendix item's field, or beyond the appendix), or a central unit where your item "
        "concerns the whole sector (the cycle's field_units[].about)."})
    province_code = ma.fields.String(load_default=None, allow_none=True, **CODE, metadata={
        "description": "The older name of subject_code (reports were on provinces only); "
                       "give one of the two."})
    reporter_code = ma.fields.String(load_default=None, allow_none=True, **CODE)
    figures = ma.fields.Dict(keys=ma.fields.String(), values=Score(), load_default=dict,
                             metadata={"example": {"ke_hoach_thu_ty_dong": "51234.5",
                                                   "ty_le_hoan_thanh_pct": "101.20",
                                                   "no_bhxh_ty_dong": "812"}})
    lists = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.Dict()),
                           load_default=dict, metadata={"example": {"don_vi_no_dong": [
                               {"ten": "Công ty TNHH A", "so_tien": "1.2 tỷ"}]}})
    assessment = ma.fields.String(required=True, validate=validate.Length(min=1, max=10000),
                                  metadata={"example": "Hoàn thành vượt kế hoạch thu."})
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=1000),
                              metadata={"description": "Needed to submit a report again."})


class FieldReportWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    id = ma.fields.String()
    year = ma.fields.Integer()
    reporter_code = ma.fields.String()
    subject_code = ma.fields.String(metadata={"description": "The unit reported on."})
    subject_level = ma.fields.String(metadata={"description": "province or central."})
    province_code = ma.fields.String(metadata={"description": "The same as subject_code "
                                               "(its older name)."})
    item = ma.fields.Integer(allow_none=True, metadata={
        "description": "The appendix item; null for information beyond the appendix "
                       "(\"nếu có\")."})
    late = ma.fields.Boolean()
    submissions = ma.fields.Integer()
    version = ma.fields.Integer()


class FieldReportSchema(FieldReportWrittenSchema):
    figures = ma.fields.Dict()
    lists = ma.fields.Dict()
    assessment = ma.fields.String()
    updated_at = ma.fields.DateTime()


class FieldReportPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(FieldReportSchema))


class FieldReportQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    subject = ma.fields.String(**CODE, metadata={"description": "The unit reported on."})
    province = ma.fields.String(**CODE, metadata={"description": "The older name of "
                                                  "subject."})
    reporter = ma.fields.String(**CODE)


class SummaryInSchema(StrictSchema):
    year = fields.year(required=True)
    group_id = ma.fields.UUID(required=True, metadata={
        "example": "e2731467-6a5e-5099-a344-9efe25e63a44",
        "description": "The provincial cluster (Cụm thi đua) of the year."})


class SummarySchema(ma.Schema):
    position = ma.fields.Integer()
    id = ma.fields.String()
    year = ma.fields.Integer()
    group_id = ma.fields.String()
    group_code = ma.fields.String()
    head_code = ma.fields.String()
    members = ma.fields.List(ma.fields.String())
    rows = ma.fields.List(ma.fields.Dict())
    not_sent = ma.fields.List(ma.fields.Dict())
    late = ma.fields.Boolean()
    sends = ma.fields.Integer()
    version = ma.fields.Integer()
    sent_at = ma.fields.DateTime()


class SummaryPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(SummarySchema))


class SummaryQueryArgsSchema(PageArgsSchema):
    year = fields.year()
