"""The group's own documents (letter 4268 A.II.1.1, 1.3): its operating rules (Quy chế hoạt
động), drafted by the head and adopted by the members at a meeting, and the year's
programme and plan with the progress plan of targets and the inspection plan."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries_elections as qe
from projections import queries_group_documents as q
from web.extensions.auth import actor
from web.extensions.common import WaitArgsSchema, may, read, services, wait_for, written
from web.resources.group_documents.schemas import (
    PlanDetailSchema,
    PlanInSchema,
    PlanPageSchema,
    PlanQueryArgsSchema,
    PlanReviseSchema,
    PlanWrittenSchema,
    RegulationArgsSchema,
    RegulationSchema,
    RegulationWrittenSchema,
    RulesAdoptInSchema,
    RulesDraftInSchema,
    RulesWithdrawInSchema,
)

regulations = Blueprint("group_regulations", __name__, url_prefix="/groups",
                        description="Quy chế hoạt động: the group's operating rules, drafted "
                                    "by its head and adopted by its members at a meeting, "
                                    "version by version.")
plans = Blueprint("group_plans", __name__, url_prefix="/group-plans",
                  description="Chương trình, kế hoạch hoạt động năm: the group's programme "
                              "and plan, the progress plan of the covenant's targets and the "
                              "inspection plan.")


def wait(args: dict[str, Any]) -> None:
    """Read-your-writes across the registry and the group documents' views (and the
    covenants' findings, which the plan's inspections count)."""
    wait_for(dict(args), "registry")
    wait_for(dict(args), "elections")
    wait_for(args, "group_documents")


def _file(body: dict[str, Any]) -> dict[str, Any]:
    return {"text": body["text"], "file": body["file"]}


# -- the operating rules ----------------------------------------------------------------------
@regulations.route("/<uuid:group_id>/regulation")
class Regulation(MethodView):
    @regulations.arguments(RegulationArgsSchema, location="query")
    @regulations.response(200, RegulationSchema)
    def get(self, args: dict[str, Any], group_id: Any) -> Any:
        """The operating rules of the group's line: every version with its text or file,
        how and when the members adopted it, and the versions in force on a day."""
        may("registry.read")
        on = args.pop("on", None)
        wait(args)
        gid = str(group_id)
        year = read(qe.group_year_of, gid=gid)
        if year is None:
            raise NotFound("There is no such group.", field="group_id", rule="exists")
        app = services().app
        found = read(q.regulation, rid=str(app.line_regulation_id(gid, year)),
                     day=on or app.now().date())
        if found is None:
            raise NotFound("The group has no operating rules drafted yet.", field="group_id",
                           rule="exists")
        return found


@regulations.route("/<uuid:group_id>/regulation/drafts", methods=["POST"])
@regulations.arguments(RulesDraftInSchema)
@regulations.response(201, RegulationWrittenSchema)
def draft(body: dict[str, Any], group_id: Any) -> Any:
    """Draft the group's rules, or an amendment of the rules in force (the secretariat of the
    sitting head or deputy): its text or a reference to its file with the file's SHA-256.
    One draft waits at a time."""
    return written(services().app.draft_group_rules(
        actor(), group_id=str(group_id), year=body["year"], kind=body["kind"],
        title=body["title"], drafted_on=body["drafted_on"].isoformat(), reason=body["reason"],
        **_file(body)))


@regulations.route("/<uuid:group_id>/regulation/drafts/<int:version>/withdrawal",
                   methods=["POST"])
@regulations.arguments(RulesWithdrawInSchema)
@regulations.response(201, RegulationWrittenSchema)
def withdraw(body: dict[str, Any], group_id: Any, version: int) -> Any:
    """Withdraw a draft the members have not adopted, with a reason."""
    return written(services().app.withdraw_group_rules(
        actor(), group_id=str(group_id), year=body["year"], version=version,
        reason=body["reason"]))


@regulations.route("/<uuid:group_id>/regulation/adoptions", methods=["POST"])
@regulations.arguments(RulesAdoptInSchema)
@regulations.response(201, RegulationWrittenSchema)
def adopt(body: dict[str, Any], group_id: Any) -> Any:
    """Record the members' adoption of the draft at their meeting: who was present, who
    adopted it. The meeting meets the quorum of the year's election rules and those in
    favour are more than their majority of those present; otherwise nothing is recorded."""
    effective = body["effective"]
    return written(services().app.adopt_group_rules(
        actor(), group_id=str(group_id), year=body["year"], version=body["version"],
        meeting_date=body["meeting_date"].isoformat(), place=body["place"],
        present=body["present"], adopters=body["adopters"],
        effective=effective.isoformat() if effective else None))


# -- the year's plan ---------------------------------------------------------------------------
@plans.route("")
class Plans(MethodView):
    @plans.arguments(PlanQueryArgsSchema, location="query")
    @plans.response(200, PlanPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The groups' plans, by year or group."""
        may("registry.read")
        wait(args)
        gid = args.get("group_id")
        return read(q.list_plans, year=args.get("year"), group_id=str(gid) if gid else None,
                    page=args["page"], size=args["page_size"])

    @plans.arguments(PlanInSchema)
    @plans.response(201, PlanWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Issue the group's programme and plan of the year (the secretariat of the sitting
        head or deputy): activities, the progress plan of the covenant's targets, the
        inspection plan."""
        return written(services().app.issue_group_plan(
            actor(), group_id=str(body["group_id"]), year=body["year"], title=body["title"],
            issued_on=body["issued_on"].isoformat(), activities=body["activities"],
            milestones=body["milestones"], inspections=body["inspections"], **_file(body)))


@plans.route("/<uuid:plan_id>")
class PlanDetail(MethodView):
    @plans.arguments(WaitArgsSchema, location="query")
    @plans.response(200, PlanDetailSchema)
    def get(self, args: dict[str, Any], plan_id: Any) -> Any:
        """A plan as it stands, its inspections with the findings that came from each, and
        every revision's reason."""
        may("registry.read")
        wait(args)
        found = read(q.plan_detail, pid=str(plan_id))
        if found is None:
            raise NotFound("There is no such plan.", field="plan_id", rule="exists")
        return found


@plans.route("/<uuid:plan_id>/revisions", methods=["POST"])
@plans.arguments(PlanReviseSchema)
@plans.response(201, PlanWrittenSchema)
def revise(body: dict[str, Any], plan_id: Any) -> Any:
    """Revise the whole plan, with the reason; every inspection a finding came from stays."""
    return written(services().app.revise_group_plan(
        actor(), str(plan_id), reason=body["reason"], title=body["title"],
        issued_on=body["issued_on"].isoformat(), activities=body["activities"],
        milestones=body["milestones"], inspections=body["inspections"],
        version=body["version"], **_file(body)))
