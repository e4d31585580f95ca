"""Schemas of the sheets of a province's district cycle, the nominations of its district
offices and the district cluster heads' summaries."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.district.ruleset import DISTRICT_SHEET_KINDS
from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema
from web.resources.district.schemas import PROVINCE
from web.resources.evaluation.schemas import CODE, SCORES, TEXT
from web.resources.evaluation.schemas_items import (
    SheetFieldsSchema,
    SheetMoveSchema,
    SheetRevisionSchema,
)


# -- sheets -------------------------------------------------------------------------------
class DistrictSheetWriteSchema(StrictSchema):
    year = fields.year(required=True)
    province_code = ma.fields.String(**PROVINCE)
    kind = ma.fields.String(required=True, validate=validate.OneOf(DISTRICT_SHEET_KINDS),
                            metadata={"example": "self", "description": "self (a district "
                                      "office of itself) or province_to_district (the "
                                      "province of one of its offices)."})
    subject_code = ma.fields.String(required=True, **CODE, metadata={"example": "P40D01"})
    scorer_code = ma.fields.String(load_default=None, allow_none=True, **CODE,
                                   metadata={"description": "Default: your unit."})
    scores = SCORES
    version = fields.version()


class DistrictSheetRuleSetSchema(ma.Schema):
    province = ma.fields.String(metadata={"description": "The province whose rule set it is."})
    code = ma.fields.String()
    version = ma.fields.Integer()


class DistrictSheetRecordSchema(SheetFieldsSchema):
    ruleset = ma.fields.Nested(DistrictSheetRuleSetSchema)
    revisions = ma.fields.List(ma.fields.Nested(SheetRevisionSchema))


class DistrictSheetWrittenSchema(DistrictSheetRecordSchema):
    position = ma.fields.Integer()


class DistrictSheetDetailSchema(DistrictSheetRecordSchema):
    updated_at = ma.fields.DateTime()
    moves = ma.fields.List(ma.fields.Nested(SheetMoveSchema))


class DistrictSheetQueryArgsSchema(PageArgsSchema):
    year = fields.year(required=True)
    province = ma.fields.String(required=True, **CODE)
    kind = ma.fields.String(validate=validate.OneOf(DISTRICT_SHEET_KINDS))
    scorer = ma.fields.String(**CODE)
    subject = ma.fields.String(**CODE)
    state = ma.fields.String(validate=validate.OneOf(
        ["not_started", "draft", "submitted", "sent", "returned", "revised"]))


class DistrictSheetListItemSchema(SheetFieldsSchema):
    id = ma.fields.String(allow_none=True, metadata={"description": "None: not started."})
    updated_at = ma.fields.DateTime(allow_none=True)


class DistrictSheetPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(DistrictSheetListItemSchema))


class DistrictSheetStepSchema(StrictSchema):
    version = fields.version()


class DistrictSheetReasonSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Điểm tiêu chí T01 chưa khớp số liệu thu."})
    version = fields.version()


# -- nominations and district cluster summaries ---------------------------------------------
class DistrictNominationInSchema(StrictSchema):
    year = fields.year(required=True)
    province_code = ma.fields.String(**PROVINCE)
    subject_code = ma.fields.String(required=True, **CODE, metadata={"example": "P40D01"})
    proposer_code = ma.fields.String(load_default=None, allow_none=True, **CODE,
                                     metadata={"description": "Default: your unit."})
    justification = ma.fields.String(required=True, **TEXT, metadata={
        "example": "Thu vượt kế hoạch 108%; dẫn đầu tỉnh về phát triển người tham gia."})


class DistrictNominationSchema(ma.Schema):
    position = ma.fields.Integer()
    id = ma.fields.String()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    proposer_code = ma.fields.String()
    subject_code = ma.fields.String()
    basis = ma.fields.String(metadata={"description": "self, province or peer (a fellow "
                                                      "member of the district cluster)."})
    justification = ma.fields.String()
    state = ma.fields.String()
    late = ma.fields.Boolean()
    outcome = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    updated_at = ma.fields.DateTime()


class DistrictNominationPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(DistrictNominationSchema))


class DistrictNominationQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    province = ma.fields.String(**CODE)
    proposer = ma.fields.String(**CODE)
    subject = ma.fields.String(**CODE)
    state = ma.fields.String(validate=validate.OneOf(["submitted", "withdrawn"]))


class DistrictWithdrawInSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000))


class DistrictSummaryInSchema(StrictSchema):
    year = fields.year(required=True)
    group_id = ma.fields.UUID(required=True, metadata={
        "example": "e2731467-6a5e-5099-a344-9efe25e63a44",
        "description": "The district cluster (Cụm thi đua cấp huyện) of the year."})


class DistrictSummarySchema(ma.Schema):
    position = ma.fields.Integer()
    id = ma.fields.String()
    year = ma.fields.Integer()
    province_code = ma.fields.String()
    group_id = ma.fields.String()
    group_code = ma.fields.String()
    head_code = ma.fields.String()
    members = ma.fields.List(ma.fields.String())
    rows = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Each member: code, self (sheet_id, revision, total of its sent self "
                       "sheet, or null), nominations and nominators (fellow members "
                       "nominating it)."})
    average = ma.fields.String(allow_none=True, metadata={
        "description": "The members' average self score (sent sheets)."})
    not_sent = ma.fields.List(ma.fields.Dict())
    late = ma.fields.Boolean()
    sends = ma.fields.Integer()
    version = ma.fields.Integer()
    sent_at = ma.fields.DateTime()


class DistrictSummaryPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(DistrictSummarySchema))


class DistrictSummaryQueryArgsSchema(PageArgsSchema):
    year = fields.year()
    province = ma.fields.String(**CODE)
