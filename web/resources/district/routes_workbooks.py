"""The sheets of a province's district cycle as a workbook, as the sector's are: a BHXH cơ
sở's self sheet, or the province's sheets of its offices, downloaded as one XLSX, filled in,
uploaded to the same address; every changed sheet is written as a draft in one act, or
nothing, each bad cell named."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.evaluation import sheet_workbook
from web.extensions.auth import actor, may
from web.extensions.common import services, written
from web.resources.district.routes import wait
from web.resources.evaluation import workbooks as xlsx
from web.resources.evaluation.routes_workbooks import BINARY, download, upload_file
from web.resources.evaluation.schemas_workbooks import (
    DistrictScoreWorkbookWrittenSchema,
    WorkbookArgsSchema,
    WorkbookFileSchema,
    WorkbookFormSchema,
)

workbooks = Blueprint("district_workbooks", __name__,
                      url_prefix="/district-evaluation/workbooks",
                      description="Bảng chấm điểm of a province's district cycle as an Excel "
                                  "workbook: download, fill in, upload to the same address.")
NAME = "Bảng chấm điểm BHXH cơ sở năm {year} - {code}.xlsx"


@workbooks.route("/<string:province_code>/<int:year>/sheets/<code>.xlsx")
class DistrictScoreWorkbook(MethodView):
    @may("registry.read")
    @workbooks.arguments(WorkbookArgsSchema, location="query")
    @workbooks.response(200, BINARY, content_type=xlsx.XLSX)
    def get(self, args: dict[str, Any], province_code: str, year: int, code: str) -> Any:
        """Bảng chấm điểm of the province's district cycle: every sheet unit ``code`` owes
        in it (a BHXH cơ sở its self sheet; the province its sheet of each office), a block
        each, as the sector's workbook (criteria, the current draft's scores, score cells
        validated to their range), its header naming the cycle's province."""
        wait(args)
        content = services().app.district_score_workbook(year, province_code, code)
        data = xlsx.score_workbook(sheet_workbook.layout(content))
        return download(data, NAME.format(year=year, code=content["scorer"]["code"]))

    @workbooks.arguments(WorkbookFormSchema, location="form")
    @workbooks.arguments(WorkbookFileSchema, location="files")
    @workbooks.response(200, DistrictScoreWorkbookWrittenSchema)
    @workbooks.alt_response(409, description="A sheet changed since the workbook was made.")
    def post(self, form: dict[str, Any], files: dict[str, Any], province_code: str, year: int,
             code: str) -> Any:
        """Upload the filled workbook: every changed sheet is written as a draft of the
        province's cycle in one act (the unit's officer or head); a sheet no longer a draft
        is never changed; submit and send each sheet afterwards under
        /district-evaluation/sheets. Refused whole: 422 names every bad cell (`errors`, its
        rule in `rules`), a workbook of another cycle (`workbook_cycle`); 409, a sheet
        changed since the workbook was made."""
        stream, name = upload_file(files)
        return written(services().app.write_district_score_workbook(
            actor(), year=year, province_code=province_code, scorer_code=code,
            content=stream, filename=name))
