"""Schemas of the group's own documents: its operating rules (Quy chế hoạt động) and the
year's programme and plan (chương trình, kế hoạch) with the inspection plan."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from domain.group_documents.content import TEXT_MAX
from domain.group_documents.regulation import KINDS
from web.extensions import fields
from web.extensions.common import (
    FullMatch,
    PageArgsSchema,
    PageSchema,
    StrictSchema,
    WaitArgsSchema,
)
from web.resources.covenants.schemas import DECIMAL

GROUP_ID_EXAMPLE = "e2731467-6a5e-5099-a344-9efe25e63a44"
PLAN_ID_EXAMPLE = "40c91534-aa41-5ffe-875f-d70d2fb9637b"
CODE = {"validate": fields.CODE_LENGTH}
SHA256 = FullMatch(r"^[0-9a-fA-F]{64}$", error="The SHA-256 of the file: 64 hexadecimal "
                                               "digits.")
REASON = {"validate": validate.Length(min=1, max=1000)}
NOTE = ma.fields.String(load_default=None, validate=validate.Length(min=1, max=2000),
                        metadata={"example": "Đoàn gồm đại diện Cụm trưởng, Cụm phó"})


class DocumentFileSchema(StrictSchema):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=255),
                            metadata={"example": "quy-che-hoat-dong-cum-1.pdf"})
    reference = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                                 metadata={"example": "Văn bản số 12/QC-CTĐ1, lưu tại Văn thư "
                                           "BHXH tỉnh P01", "description": "Where the file is "
                                           "kept: a URL or a record number."})
    sha256 = ma.fields.String(required=True, validate=SHA256, metadata={
        "example": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "description": "SHA-256 of the file's bytes (sha256sum), so whoever fetches it can "
        "tell it is the one recorded."})


TEXT = ma.fields.String(
    load_default=None, allow_none=True, validate=validate.Length(min=1, max=TEXT_MAX),
    metadata={"multiline": True, "example": "Điều 1. Phạm vi điều chỉnh…",
              "description": "The document's text (line breaks kept). Give the text, the "
              "file, or both."})
FILE = ma.fields.Nested(DocumentFileSchema, load_default=None, allow_none=True, metadata={
    "description": "A reference to the document's file, with its SHA-256."})


# -- the operating rules -----------------------------------------------------------------------
class RulesDraftInSchema(StrictSchema):
    year = fields.year(required=True, metadata={"description": "The year of the group "
                                                "(group_id is that year's group)."})
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "example": "rules", "description": "rules: a whole text (the first, or one replacing "
        "the rules in force); amendment: sửa đổi, bổ sung of the rules in force."})
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                             metadata={"example": "Quy chế hoạt động Cụm thi đua số 1"})
    drafted_on = ma.fields.Date(required=True, metadata={"example": "2025-01-10"})
    text = TEXT
    file = FILE
    reason = ma.fields.String(load_default=None, **REASON,  # type: ignore[arg-type]
                              metadata={"description": "Needed once rules are in force."})


class RulesWithdrawInSchema(StrictSchema):
    year = fields.year(required=True)
    reason = ma.fields.String(required=True, **REASON,  # type: ignore[arg-type]
                              metadata={"example": "Chưa thống nhất, soạn lại"})


class RulesAdoptInSchema(StrictSchema):
    year = fields.year(required=True, metadata={"description": "The year of the meeting's "
                                                "group: its members adopt."})
    version = fields.number(1, 100_000, required=True, metadata={"example": 1})
    meeting_date = ma.fields.Date(required=True, metadata={"example": "2025-01-20"})
    place = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                             metadata={"example": "BHXH tỉnh P01"})
    present = ma.fields.List(ma.fields.String(**CODE), required=True,  # type: ignore[arg-type]
                             validate=validate.Length(min=1, max=500), metadata={
                                 "example": ["P01", "P02", "P03", "P04"],
                                 "description": "The member units present at the meeting."})
    adopters = ma.fields.List(ma.fields.String(**CODE), required=True,  # type: ignore[arg-type]
                              validate=validate.Length(min=1, max=500), metadata={
                                  "example": ["P01", "P02", "P03"],
                                  "description": "The members present who voted to adopt."})
    effective = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "example": "2025-02-01", "description": "From when it holds (default: the "
        "meeting's day)."})


class RulesAdoptionBriefSchema(ma.Schema):
    meeting_date = ma.fields.String()
    effective = ma.fields.String()
    present = ma.fields.Integer()
    adopters = ma.fields.Integer()
    members = ma.fields.Integer()


class RulesVersionBriefSchema(ma.Schema):
    version = ma.fields.Integer(metadata={"example": 1})
    kind = ma.fields.String(metadata={"example": "rules"})
    title = ma.fields.String()
    status = ma.fields.String(metadata={"example": "adopted",
                                        "description": "draft, adopted or withdrawn"})
    drafted_on = ma.fields.String()
    amends = ma.fields.Integer(allow_none=True)
    file = ma.fields.Nested(DocumentFileSchema, allow_none=True)
    adopted = ma.fields.Nested(RulesAdoptionBriefSchema, allow_none=True)


class RegulationWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    id = ma.fields.String()
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    code = ma.fields.String(metadata={"example": "C1"})
    versions = ma.fields.List(ma.fields.Nested(RulesVersionBriefSchema))
    version = ma.fields.Integer()


class RulesAdoptionSchema(ma.Schema):
    meeting_date = ma.fields.Date()
    place = ma.fields.String()
    effective = ma.fields.Date()
    members = ma.fields.Integer(metadata={"description": "Members of the group that year."})
    present = ma.fields.List(ma.fields.String(), metadata={"example": ["P01", "P02"]})
    adopters = ma.fields.List(ma.fields.String(), metadata={"example": ["P01"]})
    rules = ma.fields.Dict(metadata={"description": "The quorum and majority applied, and "
                                     "the version of the year's election rules they are."})
    adopted_at = ma.fields.DateTime()


class RulesVersionSchema(ma.Schema):
    version = ma.fields.Integer(metadata={"example": 1})
    kind = ma.fields.String(metadata={"example": "rules"})
    title = ma.fields.String()
    text = ma.fields.String(allow_none=True)
    file = ma.fields.Nested(DocumentFileSchema, allow_none=True)
    year = ma.fields.Integer()
    drafted_on = ma.fields.Date()
    drafted_at = ma.fields.DateTime()
    amends = ma.fields.Integer(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"example": "adopted"})
    withdrawn_reason = ma.fields.String(allow_none=True)
    withdrawn_at = ma.fields.DateTime(allow_none=True)
    adoption = ma.fields.Nested(RulesAdoptionSchema, allow_none=True)


class RegulationSchema(ma.Schema):
    id = ma.fields.String()
    group_id = ma.fields.String(metadata={"description": "The first group of the line."})
    group_code = ma.fields.String(allow_none=True)
    group_name = ma.fields.String(allow_none=True)
    year = ma.fields.Integer(metadata={"description": "The year of the line's first group."})
    on = ma.fields.Date()
    in_force = ma.fields.List(ma.fields.Integer(), metadata={
        "example": [1, 3], "description": "The versions in force on the day: the last whole "
        "text adopted by then and its amendments."})
    versions = ma.fields.List(ma.fields.Nested(RulesVersionSchema))
    version = ma.fields.Integer()


class RegulationArgsSchema(WaitArgsSchema):
    on = ma.fields.Date(metadata={"description": "The day the rules in force are read on "
                                  "(default: today)."})


# -- the year's plan ---------------------------------------------------------------------------
class PlanActivitySchema(StrictSchema):
    code = ma.fields.String(required=True, validate=validate.Length(min=1, max=32),
                            metadata={"example": "HD1"})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                            metadata={"example": "Hội nghị sơ kết 6 tháng"})
    due = ma.fields.Date(required=True, metadata={"example": "2025-07-15"})
    note = NOTE


class PlanMilestoneSchema(StrictSchema):
    target = ma.fields.String(required=True, validate=validate.Length(min=1, max=32),
                              metadata={"example": "THU_BHXH", "description": "A target of "
                                        "the year's covenant."})
    due = ma.fields.Date(required=True, metadata={"example": "2025-06-30"})
    value = ma.fields.String(required=True, **DECIMAL,  # type: ignore[arg-type]
                             metadata={"example": "50", "description": "What the target "
                                       "should have reached by then."})
    note = NOTE


class PlanInspectionSchema(StrictSchema):
    code = ma.fields.String(required=True, validate=validate.Length(min=1, max=32),
                            metadata={"example": "KT1"})
    members = ma.fields.List(ma.fields.String(**CODE), required=True,  # type: ignore[arg-type]
                             validate=validate.Length(min=1, max=500), metadata={
                                 "example": ["P02", "P03"], "description": "The member units "
                                 "inspected."})
    from_ = ma.fields.Date(required=True, data_key="from", metadata={"example": "2025-09-01"})
    until = ma.fields.Date(required=True, metadata={"example": "2025-09-30"})
    inspectors = ma.fields.List(ma.fields.String(**CODE),  # type: ignore[arg-type]
                                required=True, validate=validate.Length(min=1, max=20),
                                metadata={"example": ["P01"], "description": "By whom: the "
                                          "units whose staff inspect."})
    note = NOTE

    @ma.post_load
    def named_from(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["from"] = data.pop("from_")
        return data


class PlanInSchema(StrictSchema):
    group_id = ma.fields.UUID(required=True, metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year(required=True)
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                             metadata={"example": "Chương trình, kế hoạch hoạt động năm 2025 "
                                       "của Cụm thi đua số 1"})
    issued_on = ma.fields.Date(required=True, metadata={"example": "2025-01-20"})
    text = TEXT
    file = FILE
    activities = ma.fields.List(ma.fields.Nested(PlanActivitySchema), load_default=list,
                                validate=validate.Length(max=200))
    milestones = ma.fields.List(ma.fields.Nested(PlanMilestoneSchema), load_default=list,
                                validate=validate.Length(max=500), metadata={
                                    "description": "The progress plan of the covenant's "
                                    "targets (launch the covenant first)."})
    inspections = ma.fields.List(ma.fields.Nested(PlanInspectionSchema), load_default=list,
                                 validate=validate.Length(max=200), metadata={
                                     "description": "The inspection plan: which members, "
                                     "when, by whom."})


class PlanReviseSchema(StrictSchema):
    reason = ma.fields.String(required=True, **REASON,  # type: ignore[arg-type]
                              metadata={"example": "Bổ sung đợt kiểm tra quý IV"})
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                             metadata={"example": "Chương trình, kế hoạch hoạt động năm 2025 "
                                       "của Cụm thi đua số 1 (sửa đổi)"})
    issued_on = ma.fields.Date(required=True, metadata={"example": "2025-01-20"})
    text = TEXT
    file = FILE
    activities = ma.fields.List(ma.fields.Nested(PlanActivitySchema), load_default=list,
                                validate=validate.Length(max=200))
    milestones = ma.fields.List(ma.fields.Nested(PlanMilestoneSchema), load_default=list,
                                validate=validate.Length(max=500))
    inspections = ma.fields.List(ma.fields.Nested(PlanInspectionSchema), load_default=list,
                                 validate=validate.Length(max=200), metadata={
                                     "description": "Every inspection a finding came from "
                                     "stays, with its member and the finding's day."})
    version = fields.version()


class PlanWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    id = ma.fields.String(metadata={"example": PLAN_ID_EXAMPLE})
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    code = ma.fields.String(metadata={"example": "C1"})
    year = ma.fields.Integer(metadata={"example": 2025})
    revision = ma.fields.Integer(metadata={"example": 1})
    title = ma.fields.String()
    issued_on = ma.fields.String()
    file = ma.fields.Nested(DocumentFileSchema, allow_none=True)
    activities = ma.fields.Integer(metadata={"description": "How many."})
    milestones = ma.fields.Integer(metadata={"description": "How many."})
    inspections = ma.fields.List(ma.fields.String(), metadata={"example": ["KT1"]})
    version = ma.fields.Integer()


class PlanActivityOutSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    due = ma.fields.String()
    note = ma.fields.String(allow_none=True)


class PlanMilestoneOutSchema(ma.Schema):
    target = ma.fields.String()
    due = ma.fields.String()
    value = ma.fields.String()
    note = ma.fields.String(allow_none=True)


class PlanInspectionOutSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "KT1"})
    members = ma.fields.List(ma.fields.String())
    from_ = ma.fields.Date(data_key="from", attribute="from")
    until = ma.fields.Date()
    inspectors = ma.fields.List(ma.fields.String())
    note = ma.fields.String(allow_none=True)
    findings = ma.fields.List(ma.fields.Integer(), metadata={
        "description": "The numbers of the covenant's findings from this inspection."})


class PlanRevisionSchema(ma.Schema):
    revision = ma.fields.Integer()
    reason = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime()


class PlanSchema(ma.Schema):
    id = ma.fields.String(metadata={"example": PLAN_ID_EXAMPLE})
    group_id = ma.fields.String()
    group_code = ma.fields.String(allow_none=True)
    group_name = ma.fields.String(allow_none=True)
    year = ma.fields.Integer()
    revision = ma.fields.Integer()
    title = ma.fields.String()
    issued_on = ma.fields.Date()
    text = ma.fields.String(allow_none=True)
    file = ma.fields.Nested(DocumentFileSchema, allow_none=True)
    activities = ma.fields.List(ma.fields.Nested(PlanActivityOutSchema))
    milestones = ma.fields.List(ma.fields.Nested(PlanMilestoneOutSchema))
    inspections = ma.fields.List(ma.fields.Nested(PlanInspectionOutSchema))
    issued_at = ma.fields.DateTime()
    version = ma.fields.Integer()


class PlanDetailSchema(PlanSchema):
    revisions = ma.fields.List(ma.fields.Nested(PlanRevisionSchema))


class PlanQueryArgsSchema(PageArgsSchema):
    group_id = ma.fields.UUID(metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year()


class PlanPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(PlanSchema))
