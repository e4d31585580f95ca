"""Schemas of the evaluation's workbooks: the uploaded file, and what an upload wrote."""

from __future__ import annotations

import marshmallow as ma

from web.extensions.common import StrictSchema, WaitArgsSchema


class WorkbookArgsSchema(WaitArgsSchema):
    """The workbook is read from the record as it stands (``wait_for`` is accepted, as on
    every read)."""


class WorkbookFormSchema(StrictSchema):
    """An upload carries the file alone: any other form field is refused (who acts comes
    from the token, never from the request)."""


class WorkbookFileSchema(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "The workbook downloaded from the same address, filled in (XLSX)."})


class WrittenSheetSchema(ma.Schema):
    id = ma.fields.String()
    kind = ma.fields.String()
    subject_code = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "The sheet's version after the write."})
    revision = ma.fields.Integer()
    state = ma.fields.String()
    total = ma.fields.String(allow_none=True)
    level = ma.fields.String(allow_none=True)


class ScoreWorkbookWrittenSchema(ma.Schema):
    position = ma.fields.Integer(metadata={
        "description": "Position of the last event written (0 when nothing changed)."})
    version = ma.fields.Integer(allow_none=True, metadata={
        "description": "Version of the first sheet written (each sheet's is in written)."})
    year = ma.fields.Integer()
    scorer_code = ma.fields.String()
    sheets = ma.fields.Integer(metadata={"description": "Sheets (blocks) in the workbook."})
    unchanged = ma.fields.Integer(metadata={"description": "Blocks that change nothing."})
    written = ma.fields.List(ma.fields.Nested(WrittenSheetSchema), metadata={
        "description": "The sheets written as drafts, in one act."})


class WrittenReportSchema(ma.Schema):
    id = ma.fields.String()
    subject_code = ma.fields.String(metadata={"description": "The unit reported on."})
    subject_level = ma.fields.String(metadata={"description": "province or central."})
    province_code = ma.fields.String(metadata={
        "description": "subject_code under its older name (reports were on provinces only)."})
    item = ma.fields.Integer(allow_none=True, metadata={
        "description": "The appendix's item the report falls under; null beyond the appendix."})
    submissions = ma.fields.Integer()
    late = ma.fields.Boolean()
    version = ma.fields.Integer()


class ReportWorkbookWrittenSchema(ma.Schema):
    position = ma.fields.Integer(metadata={
        "description": "Position of the last event written (0 when nothing changed)."})
    version = ma.fields.Integer(allow_none=True)
    year = ma.fields.Integer()
    reporter_code = ma.fields.String()
    item = ma.fields.Integer(allow_none=True, metadata={
        "description": "The appendix's item of the unit; null for a unit outside the appendix "
                       "(it reports on provinces beyond it)."})
    reports = ma.fields.Integer(metadata={
        "description": "Blocks in the workbook (units reported on)."})
    unchanged = ma.fields.Integer(metadata={
        "description": "Blocks left empty or saying what was already sent."})
    written = ma.fields.List(ma.fields.Nested(WrittenReportSchema), metadata={
        "description": "The reports submitted (or submitted again), in one act."})


class DistrictScoreWorkbookWrittenSchema(ScoreWorkbookWrittenSchema):
    province_code = ma.fields.String(metadata={
        "description": "The province whose evaluation of its district offices the sheets "
                       "belong to."})
