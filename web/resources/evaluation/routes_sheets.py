"""Score sheets (phiếu chấm điểm): write, submit, approve, return, send, correct; read."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries_evaluation as q
from web.extensions.auth import actor, deferred, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.resources.evaluation.schemas_items import (
    SheetDetailSchema,
    SheetPageSchema,
    SheetQueryArgsSchema,
    SheetReasonSchema,
    SheetStepSchema,
    SheetWriteSchema,
    SheetWrittenSchema,
)

sheets = Blueprint("evaluation_sheets", __name__, url_prefix="/evaluation/sheets",
                   description="Phiếu chấm điểm: draft → submitted → approved (central units, by "
                               "the leader in charge) → sent; returned with a reason and "
                               "revised; a sent sheet is corrected by a new revision.")


@sheets.route("")
class Sheets(MethodView):
    @may("registry.read")
    @sheets.arguments(SheetQueryArgsSchema, location="query")
    @sheets.response(200, SheetPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Sheets by year, kind, scorer, subject or state."""
        wait_for(args, "evaluation")
        return read(q.list_sheets, year=args.get("year"), kind=args.get("kind"),
                    scorer=args.get("scorer"), subject=args.get("subject"),
                    state=args.get("state"), page=args["page"], size=args["page_size"])

    @deferred
    @sheets.arguments(SheetWriteSchema)
    @sheets.response(200, SheetWrittenSchema)
    def put(self, body: dict[str, Any]) -> Any:
        """Write the scores of your unit's sheet (created on first write). Every score is
        checked against the cycle's rule set; the total and the level are computed."""
        return written(services().app.write_sheet(actor(), **body))


@sheets.route("/<uuid:sheet_id>")
class SheetDetail(MethodView):
    @may("registry.read")
    @sheets.arguments(WaitArgsSchema, location="query")
    @sheets.response(200, SheetDetailSchema)
    def get(self, args: dict[str, Any], sheet_id: Any) -> Any:
        """A sheet with every revision and every move (who, when, why)."""
        wait_for(args, "evaluation")
        found = read(q.sheet_detail, sid=str(sheet_id))
        if found is None:
            raise NotFound("There is no such score sheet.", field="sheet_id", rule="exists")
        return found


def _step(name: str, doc: str, schema: Any) -> None:
    def view(body: dict[str, Any], sheet_id: Any) -> Any:
        return written(getattr(services().app, f"{name}_sheet")(actor(), str(sheet_id),
                                                                **body))

    view.__name__ = f"{name}_sheet"
    view.__doc__ = doc
    path = {"correct": "corrections"}.get(name, name)
    sheets.route(f"/<uuid:sheet_id>/{path}", methods=["POST"])(
        deferred(sheets.arguments(schema)(sheets.response(200, SheetWrittenSchema)(view))))


_step("submit", "Submit the sheet: no criterion may be missing. After the deadline only with "
      "an extension, and it is marked late.", SheetStepSchema)
_step("approve", "Approve a central unit's submitted sheet (its leader in charge; not the "
      "submitter).", SheetStepSchema)
_step("return", "Return a submitted or approved sheet with the reason (leader in charge or "
      "standing office).", SheetReasonSchema)
_step("send", "Send the sheet: approved, or submitted when the scorer is a province.",
      SheetStepSchema)
_step("correct", "Open the next revision of a sent sheet, with the reason; the sent revision "
      "stays visible and counts until the new one is sent.", SheetReasonSchema)
