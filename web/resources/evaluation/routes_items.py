"""Nominations (đề xuất), field reports (cung cấp thông tin) and provincial cluster
summaries (tổng hợp của Cụm trưởng)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from projections import queries_evaluation as q
from web.extensions.auth import actor, may
from web.extensions.common import read, services, wait_for, written
from web.resources.evaluation.schemas_items import (
    FieldReportInSchema,
    FieldReportPageSchema,
    FieldReportQueryArgsSchema,
    FieldReportWrittenSchema,
    NominationInSchema,
    NominationPageSchema,
    NominationQueryArgsSchema,
    NominationReturnSchema,
    NominationSchema,
    NominationStepSchema,
    SummaryInSchema,
    SummaryPageSchema,
    SummaryQueryArgsSchema,
    SummarySchema,
    WithdrawInSchema,
)

nominations = Blueprint("evaluation_nominations", __name__,
                        url_prefix="/evaluation/nominations",
                        description="Đề xuất 'Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi "
                                    "trội': by a unit for itself, by a scoring unit, by a "
                                    "province for a monitoring central unit; a central "
                                    "unit's, once its leader in charge approves it.")
field_reports = Blueprint("evaluation_field_reports", __name__,
                          url_prefix="/evaluation/field-reports",
                          description="Cung cấp thông tin: a central unit's figures, lists "
                                      "and assessment of a province (the appendix's fields, "
                                      "or beyond them) or of a central unit.")
summaries = Blueprint("evaluation_summaries", __name__,
                      url_prefix="/evaluation/cluster-summaries",
                      description="The provincial cluster head's summary: per monitoring "
                                  "central unit, the members' average score and nominations.")


@nominations.route("")
class Nominations(MethodView):
    @may("registry.read")
    @nominations.arguments(NominationQueryArgsSchema, location="query")
    @nominations.response(200, NominationPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Nominations by year, proposer, subject or state (with the decision's outcome)."""
        wait_for(args, "evaluation")
        return read(q.list_nominations, year=args.get("year"), proposer=args.get("proposer"),
                    subject=args.get("subject"), state=args.get("state"), page=args["page"],
                    size=args["page_size"])

    @nominations.arguments(NominationInSchema)
    @nominations.response(201, NominationSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Nominate a unit (your own unit as proposer), with the justification."""
        return written(services().app.nominate(actor(), **body))


@nominations.route("/<uuid:nomination_id>/withdraw", methods=["POST"])
@nominations.arguments(WithdrawInSchema)
@nominations.response(200, NominationSchema)
def withdraw(body: dict[str, Any], nomination_id: Any) -> Any:
    """Withdraw your unit's nomination, with the reason."""
    return written(services().app.withdraw_nomination(actor(), str(nomination_id),
                                                      reason=body["reason"]))


@nominations.route("/<uuid:nomination_id>/approve", methods=["POST"])
@nominations.arguments(NominationStepSchema)
@nominations.response(200, NominationSchema)
def approve(body: dict[str, Any], nomination_id: Any) -> Any:
    """Approve a central unit's submitted nomination (its leader in charge; not one who
    submitted it): until then it does not count."""
    return written(services().app.approve_nomination(actor(), str(nomination_id), **body))


@nominations.route("/<uuid:nomination_id>/return", methods=["POST"])
@nominations.arguments(NominationReturnSchema)
@nominations.response(200, NominationSchema)
def return_(body: dict[str, Any], nomination_id: Any) -> Any:
    """Return a submitted or approved nomination to its proposer with the reason (the
    leader in charge or the standing office); it counts no more until submitted again."""
    return written(services().app.return_nomination(actor(), str(nomination_id), **body))


@field_reports.route("")
class FieldReports(MethodView):
    @may("registry.read")
    @field_reports.arguments(FieldReportQueryArgsSchema, location="query")
    @field_reports.response(200, FieldReportPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Field reports by year, province or reporting unit."""
        wait_for(args, "evaluation")
        return read(q.list_field_reports, year=args.get("year"),
                    province=args.get("province"), subject=args.get("subject"),
                    reporter=args.get("reporter"), page=args["page"], size=args["page_size"])

    @field_reports.arguments(FieldReportInSchema)
    @field_reports.response(201, FieldReportWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Submit your unit's report on a unit of the cycle (again, with a reason, to replace
        it): a province, or a central unit where your appendix item concerns them."""
        return written(services().app.submit_field_report(actor(), **body))


@summaries.route("")
class Summaries(MethodView):
    @may("registry.read")
    @summaries.arguments(SummaryQueryArgsSchema, location="query")
    @summaries.response(200, SummaryPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Cluster summaries with the sheets (and revisions) each used and who had not sent."""
        wait_for(args, "evaluation")
        return read(q.list_summaries, year=args.get("year"), page=args["page"],
                    size=args["page_size"])

    @summaries.arguments(SummaryInSchema)
    @summaries.response(201, SummarySchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Compute and send the cluster's summary from its members' sent sheets (the
        secretariat of the cluster's elected head or deputy)."""
        return written(services().app.send_cluster_summary(
            actor(), year=body["year"], group_id=str(body["group_id"])))
