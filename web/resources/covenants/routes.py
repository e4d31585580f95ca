"""Covenants (giao ước thi đua): launched by the group's head, signed by each member once,
members' own targets (đăng ký chỉ tiêu), and inspection findings (kiểm tra, giám sát)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries_elections as q
from web.extensions.auth import actor
from web.extensions.common import WaitArgsSchema, may, read, services, written
from web.resources.covenants.schemas import (
    CovenantAmendSchema,
    CovenantDetailSchema,
    CovenantLaunchSchema,
    CovenantPageSchema,
    CovenantQueryArgsSchema,
    CovenantWrittenSchema,
    FindingAmendSchema,
    FindingInSchema,
    FindingListSchema,
    FindingQueryArgsSchema,
    FindingSchema,
    RegisteredWrittenSchema,
    RegisterSchema,
    RegistrationListSchema,
    RegistrationQueryArgsSchema,
    SignaturesSchema,
    SignedWrittenSchema,
    SignSchema,
)
from web.resources.elections.routes import wait

blp = Blueprint("covenants", __name__, url_prefix="/covenants",
                description="Giao ước thi đua: the head's covenant of targets, members' "
                            "signatures and own targets, and inspection findings.")


def _exists(covenant_id: Any) -> dict[str, Any]:
    found = read(q.covenant_detail, cid=str(covenant_id))
    if found is None:
        raise NotFound("There is no such covenant.", field="covenant_id", rule="exists")
    return found  # type: ignore[no-any-return]


@blp.route("")
class Covenants(MethodView):
    @blp.arguments(CovenantQueryArgsSchema, location="query")
    @blp.response(200, CovenantPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Covenants, by group or year, with how many members have signed."""
        may("registry.read")
        wait(args)
        gid = args.get("group_id")
        return read(q.list_covenants, group_id=str(gid) if gid else None,
                    year=args.get("year"), page=args["page"], size=args["page_size"])

    @blp.arguments(CovenantLaunchSchema)
    @blp.response(201, CovenantWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Launch the year's covenant (phát động thi đua) — the secretariat of the sitting
        head (or deputy) of the group."""
        return written(services().app.launch_covenant(
            actor(), group_id=str(body["group_id"]), year=body["year"], title=body["title"],
            launched_on=body["launched_on"].isoformat(), targets=body["targets"]))


@blp.route("/<uuid:covenant_id>")
class CovenantDetail(MethodView):
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, CovenantDetailSchema)
    def get(self, args: dict[str, Any], covenant_id: Any) -> Any:
        """A covenant with its targets and every revision."""
        may("registry.read")
        wait(args)
        return _exists(covenant_id)


@blp.route("/<uuid:covenant_id>/amendments", methods=["POST"])
@blp.arguments(CovenantAmendSchema)
@blp.response(201, CovenantWrittenSchema)
def amend(body: dict[str, Any], covenant_id: Any) -> Any:
    """Amend the covenant's targets or title, with a reason (a new revision)."""
    return written(services().app.amend_covenant(actor(), str(covenant_id), **body))


@blp.route("/<uuid:covenant_id>/signatures")
class Signatures(MethodView):
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, SignaturesSchema)
    def get(self, args: dict[str, Any], covenant_id: Any) -> Any:
        """Who has signed (date, revision) and who has not."""
        may("registry.read")
        wait(args)
        found = read(q.signatures, cid=str(covenant_id))
        if found is None:
            raise NotFound("There is no such covenant.", field="covenant_id", rule="exists")
        return found

    @blp.arguments(SignSchema)
    @blp.response(201, SignedWrittenSchema)
    def post(self, body: dict[str, Any], covenant_id: Any) -> Any:
        """Sign the covenant for your unit (once)."""
        day = body["signed_on"]
        return written(services().app.sign_covenant(
            actor(), str(covenant_id), signed_on=day.isoformat() if day else None))


@blp.route("/<uuid:covenant_id>/targets")
class Targets(MethodView):
    @blp.arguments(RegistrationQueryArgsSchema, location="query")
    @blp.response(200, RegistrationListSchema)
    def get(self, args: dict[str, Any], covenant_id: Any) -> Any:
        """Each member's registered targets (the current revision, or every one)."""
        may("registry.read")
        unit, history = args.pop("unit", None), args.pop("history")
        wait(args)
        _exists(covenant_id)
        return {"items": read(q.registrations, cid=str(covenant_id), unit=unit,
                              history=history)}

    @blp.arguments(RegisterSchema)
    @blp.response(201, RegisteredWrittenSchema)
    def post(self, body: dict[str, Any], covenant_id: Any) -> Any:
        """Register your unit's own targets (đăng ký chỉ tiêu). A new registration amends
        the last one and needs a reason."""
        targets = [{k: v for k, v in t.items() if v is not None} for t in body["targets"]]
        return written(services().app.register_targets(
            actor(), str(covenant_id), targets=targets, reason=body["reason"]))


@blp.route("/<uuid:covenant_id>/findings")
class Findings(MethodView):
    @blp.arguments(FindingQueryArgsSchema, location="query")
    @blp.response(200, FindingListSchema)
    def get(self, args: dict[str, Any], covenant_id: Any) -> Any:
        """Inspection findings, by member."""
        may("registry.read")
        member = args.pop("member", None)
        wait(args)
        _exists(covenant_id)
        return {"items": read(q.findings, cid=str(covenant_id), unit=member)}

    @blp.arguments(FindingInSchema)
    @blp.response(201, FindingSchema)
    def post(self, body: dict[str, Any], covenant_id: Any) -> Any:
        """Record what an inspection of a member found (the head's secretariat)."""
        return written(services().app.record_finding(
            actor(), str(covenant_id), member_code=body["member_code"],
            inspected_on=body["inspected_on"].isoformat(), summary=body["summary"],
            assessment=body["assessment"], target=body["target"],
            inspection=body["inspection"]))


@blp.route("/<uuid:covenant_id>/findings/<int:finding_no>/amendments", methods=["POST"])
@blp.arguments(FindingAmendSchema)
@blp.response(201, FindingSchema)
def amend_finding(body: dict[str, Any], covenant_id: Any, finding_no: int) -> Any:
    """Amend a finding's assessment or summary, with a reason."""
    return written(services().app.amend_finding(actor(), str(covenant_id), finding_no,
                                                **body))
