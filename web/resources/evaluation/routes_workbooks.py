"""Score sheets and field reports as workbooks: download one XLSX prefilled with what a unit
owes, fill it in Excel, upload it to the same address; everything it changes is written in
one act, or nothing, each bad cell named ("F12": "P12, C07: 31 is above the maximum 30")."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.evaluation import report_workbook, sheet_workbook
from domain.kernel.errors import InvalidInput
from web.extensions.auth import actor, may
from web.extensions.common import services, wait_for, written
from web.extensions.download import attachment
from web.resources.evaluation import workbooks as xlsx
from web.resources.evaluation.schemas_workbooks import (
    ReportWorkbookWrittenSchema,
    ScoreWorkbookWrittenSchema,
    WorkbookArgsSchema,
    WorkbookFileSchema,
    WorkbookFormSchema,
)

blp = Blueprint("evaluation_workbooks", __name__, url_prefix="/evaluation/workbooks",
                description="Bảng chấm điểm and cung cấp thông tin as Excel workbooks: "
                            "download, fill in, upload to the same address.")
BINARY = {"type": "string", "format": "binary"}
SHEETS_NAME = "Bảng chấm điểm năm {year} - {code}.xlsx"
REPORTS_NAME = "Cung cấp thông tin năm {year} - {code}.xlsx"


def upload_file(files: dict[str, Any]) -> tuple[Any, str]:
    """The uploaded workbook's stream and file name (the form part ``file``)."""
    upload = files["file"]
    if not hasattr(upload, "read"):
        raise InvalidInput("Send the workbook as a file part named 'file'.", field="file",
                           rule="file_part")
    # the stream, not its bytes: the domain reads it only once the right is granted
    return upload.stream, upload.filename or ""


def download(data: bytes, name: str) -> Response:
    """A workbook as an attachment, under its Vietnamese name (with an ASCII fallback)."""
    return Response(data, mimetype=xlsx.XLSX, headers={"Content-Disposition": attachment(name)})


@blp.route("/<int:year>/sheets/<code>.xlsx")
class ScoreWorkbook(MethodView):
    @may("registry.read")
    @blp.arguments(WorkbookArgsSchema, location="query")
    @blp.response(200, BINARY, content_type=xlsx.XLSX)
    def get(self, args: dict[str, Any], year: int, code: str) -> Any:
        """Bảng chấm điểm: every sheet unit ``code`` owes in the year's cycle, a block each
        (criteria with their codes, names, kinds and maxima; the current draft's scores;
        score cells validated to their range), in Vietnamese."""
        wait_for(args, "evaluation")
        content = services().app.score_workbook(year, code)
        data = xlsx.score_workbook(sheet_workbook.layout(content))
        return download(data, SHEETS_NAME.format(year=year, code=content["scorer"]["code"]))

    @blp.arguments(WorkbookFormSchema, location="form")
    @blp.arguments(WorkbookFileSchema, location="files")
    @blp.response(200, ScoreWorkbookWrittenSchema)
    @blp.alt_response(409, description="A sheet changed since the workbook was made.")
    def post(self, form: dict[str, Any], files: dict[str, Any], year: int, code: str) -> Any:
        """Upload the filled workbook: every changed sheet is written as a draft in one act
        (the unit's officer or head). A sheet no longer a draft is never changed; submit
        each sheet afterwards as usual. The upload is refused whole: 422 names every bad
        cell by its reference in `errors` (its rule in `rules`); 409, a sheet changed since
        the workbook was made."""
        stream, name = upload_file(files)
        return written(services().app.write_score_workbook(
            actor(), year=year, scorer_code=code, content=stream, filename=name))


@blp.route("/<int:year>/field-reports/<code>.xlsx")
class ReportWorkbook(MethodView):
    @may("registry.read")
    @blp.arguments(WorkbookArgsSchema, location="query")
    @blp.response(200, BINARY, content_type=xlsx.XLSX)
    def get(self, args: dict[str, Any], year: int, code: str) -> Any:
        """Cung cấp thông tin: a block per unit central unit ``code`` may report on this
        year, as a field report may (the provinces; the central units too where its appendix
        item covers them; a unit outside the appendix, the provinces beyond it), with its
        assessment, figures and lists as sent so far, in Vietnamese."""
        wait_for(args, "evaluation")
        content = services().app.report_workbook(year, code)
        data = xlsx.report_workbook_xlsx(report_workbook.layout(content))
        return download(data, REPORTS_NAME.format(year=year,
                                                  code=content["reporter"]["code"]))

    @blp.arguments(WorkbookFormSchema, location="form")
    @blp.arguments(WorkbookFileSchema, location="files")
    @blp.response(200, ReportWorkbookWrittenSchema)
    @blp.alt_response(409, description="A report changed since the workbook was made.")
    def post(self, form: dict[str, Any], files: dict[str, Any], year: int, code: str) -> Any:
        """Upload the filled workbook: every new or changed report is submitted in one act
        (the unit's officer or head); after the deadline only with an extension, marked
        late. Refused whole: 422 names every bad cell; 409, a report changed since."""
        stream, name = upload_file(files)
        return written(services().app.write_report_workbook(
            actor(), year=year, reporter_code=code, content=stream, filename=name))
