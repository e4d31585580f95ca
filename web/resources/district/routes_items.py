"""The sheets of a province's district cycle (write, submit, return, send, correct; read),
the nominations of its district offices and the district cluster heads' summaries."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries_district as q
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, written
from web.resources.district.routes import wait
from web.resources.district.schemas_items import (
    DistrictNominationInSchema,
    DistrictNominationPageSchema,
    DistrictNominationQueryArgsSchema,
    DistrictNominationSchema,
    DistrictSheetDetailSchema,
    DistrictSheetPageSchema,
    DistrictSheetQueryArgsSchema,
    DistrictSheetReasonSchema,
    DistrictSheetStepSchema,
    DistrictSheetWriteSchema,
    DistrictSheetWrittenSchema,
    DistrictSummaryInSchema,
    DistrictSummaryPageSchema,
    DistrictSummaryQueryArgsSchema,
    DistrictSummarySchema,
    DistrictWithdrawInSchema,
)

sheets = Blueprint("district_sheets", __name__, url_prefix="/district-evaluation/sheets",
                   description="Phiếu chấm điểm of a district cycle: each district office's "
                               "self sheet and the province's sheet on each of its offices; "
                               "draft → submitted → sent, returned by the province with a "
                               "reason and revised; a sent sheet is corrected by a new "
                               "revision.")
nominations = Blueprint("district_nominations", __name__,
                        url_prefix="/district-evaluation/nominations",
                        description="Đề xuất 'Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi "
                                    "trội' of a district office: by itself, by its province, "
                                    "or by a fellow member of its district cluster.")
summaries = Blueprint("district_summaries", __name__,
                      url_prefix="/district-evaluation/cluster-summaries",
                      description="The district cluster head's summary to its province: per "
                                  "member office, its self score and the members nominating "
                                  "it.")


# -- sheets -------------------------------------------------------------------------------
@sheets.route("")
class DistrictSheets(MethodView):
    @may("registry.read")
    @sheets.arguments(DistrictSheetQueryArgsSchema, location="query")
    @sheets.response(200, DistrictSheetPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The sheets a province's cycle expects, by kind, scorer, subject or state (one not
        yet written is 'not_started', with no id)."""
        wait(args)
        return read(q.list_sheets, year=args["year"], province=args["province"],
                    kind=args.get("kind"), scorer=args.get("scorer"),
                    subject=args.get("subject"), state=args.get("state"), page=args["page"],
                    size=args["page_size"])

    @sheets.arguments(DistrictSheetWriteSchema)
    @sheets.response(200, DistrictSheetWrittenSchema)
    def put(self, body: dict[str, Any]) -> Any:
        """Write the scores of your unit's sheet in a province's cycle (created on first
        write): a district office's self sheet, or the province's sheet on one of its
        offices. Every score is checked against the cycle's rule set; the total and the
        level are computed."""
        return written(services().app.write_district_sheet(actor(), **body))


@sheets.route("/<uuid:sheet_id>")
class DistrictSheetDetail(MethodView):
    @may("registry.read")
    @sheets.arguments(WaitArgsSchema, location="query")
    @sheets.response(200, DistrictSheetDetailSchema)
    def get(self, args: dict[str, Any], sheet_id: Any) -> Any:
        """A district sheet with every revision and every move (who, when, why)."""
        wait(args)
        sheet = read(q.sheet_detail, sid=str(sheet_id))
        if sheet is None:
            raise NotFound("There is no such sheet of a district cycle.", field="sheet_id",
                           rule="exists")
        return sheet


def _step(name: str, doc: str, schema: Any) -> None:
    def view(body: dict[str, Any], sheet_id: Any) -> Any:
        use_case = getattr(services().app, f"{name}_district_sheet")
        return written(use_case(actor(), str(sheet_id), **body))

    view.__name__ = f"{name}_district_sheet"
    view.__doc__ = doc
    path = {"correct": "corrections"}.get(name, name)
    sheets.route(f"/<uuid:sheet_id>/{path}", methods=["POST"])(
        sheets.arguments(schema)(sheets.response(200, DistrictSheetWrittenSchema)(view)))


_step("submit", "Submit the sheet: no criterion may be missing. After the deadline only with "
      "the province's extension, and it is marked late.", DistrictSheetStepSchema)
_step("return", "Return a submitted sheet of your province's cycle with the reason (the "
      "province's officers and director; never one who wrote, submitted or corrected it).",
      DistrictSheetReasonSchema)
_step("send", "Send a submitted sheet to the province's compilation (no leader's approval: "
      "that is a central unit's).", DistrictSheetStepSchema)
_step("correct", "Open the next revision of a sent sheet, with the reason; the sent revision "
      "stays visible and counts until the new one is sent.", DistrictSheetReasonSchema)


# -- nominations ----------------------------------------------------------------------------
@nominations.route("")
class DistrictNominations(MethodView):
    @may("registry.read")
    @nominations.arguments(DistrictNominationQueryArgsSchema, location="query")
    @nominations.response(200, DistrictNominationPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Nominations of district offices, with the province decision's outcome."""
        wait(args)
        return read(q.list_nominations, year=args.get("year"), province=args.get("province"),
                    proposer=args.get("proposer"), subject=args.get("subject"),
                    state=args.get("state"), page=args["page"], size=args["page_size"])

    @nominations.arguments(DistrictNominationInSchema)
    @nominations.response(201, DistrictNominationSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Nominate a district office of a province's cycle (your unit as proposer: the
        office itself, its province, or a fellow member of its district cluster)."""
        return written(services().app.nominate_district(actor(), **body))


@nominations.route("/<uuid:nomination_id>/withdraw", methods=["POST"])
@nominations.arguments(DistrictWithdrawInSchema)
@nominations.response(200, DistrictNominationSchema)
def withdraw(body: dict[str, Any], nomination_id: Any) -> Any:
    """Withdraw your unit's nomination, with the reason (it may be submitted again)."""
    return written(services().app.withdraw_district_nomination(
        actor(), str(nomination_id), reason=body["reason"]))


# -- district cluster summaries ---------------------------------------------------------------
@summaries.route("")
class DistrictSummaries(MethodView):
    @may("registry.read")
    @summaries.arguments(DistrictSummaryQueryArgsSchema, location="query")
    @summaries.response(200, DistrictSummaryPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The district cluster heads' summaries, by year and province."""
        wait(args)
        return read(q.list_summaries, year=args.get("year"), province=args.get("province"),
                    page=args["page"], size=args["page_size"])

    @summaries.arguments(DistrictSummaryInSchema)
    @summaries.response(201, DistrictSummarySchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Send the district cluster's summary to its province (the secretariat of the
        cluster's sitting head or deputy), computed from the members' sent self sheets and
        their nominations of each other; sending again replaces it."""
        return written(services().app.send_district_summary(
            actor(), year=body["year"], group_id=str(body["group_id"])))
