"""The audit trail: a year's timeline, streamed exports, checkpoints, denied attempts, and
records as they were at a moment (as_of)."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from domain.store import history
from projections import queries_audit
from projections.audit_checkpoints import checkpoints
from projections.audit_record import jsonable
from projections.export import WRITERS
from web.extensions import exports
from web.extensions.auth import actor, may
from web.extensions.common import read, services, wait_for
from web.extensions.download import attachment
from web.extensions.errors import ErrorSchema
from web.resources.audit.schemas import (
    AsOfArgsSchema,
    CheckpointArgsSchema,
    CheckpointListSchema,
    CheckpointSchema,
    DeniedArgsSchema,
    DeniedPageSchema,
    ExportArgsSchema,
    GroupAsOfSchema,
    RecordAsOfSchema,
    TimelineArgsSchema,
    TimelinePageSchema,
)

blp = Blueprint("audit", __name__, url_prefix="/audit",
                description="Nhật ký kiểm toán: the tamper-evident trail of every event, its "
                            "signed checkpoints, exports for inspectors, and replay.")

FILTERS = ("unit", "actor", "kind", "since", "until")


def _filters(args: dict[str, Any]) -> dict[str, Any]:
    found = {k: args[k] for k in FILTERS if args.get(k) is not None}
    if args.get("group") is not None:
        found["group"] = str(args["group"])
    return found


def signer() -> Any:
    return services().extra["audit_signer"]


def trail_at_head() -> None:
    """Wait until the trail holds every event written so far (what a checkpoint signs)."""
    wait_for({"wait_for": services().runner.head()}, "audit")


@blp.route("/timeline/<int:year>")
class Timeline(MethodView):
    @may("audit.read")
    @blp.arguments(TimelineArgsSchema, location="query")
    @blp.response(200, TimelinePageSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The year's events in log order, paged; filter by unit, group, actor, kind of act."""
        wait_for(args, "audit")
        return read(queries_audit.timeline, year=year, page=args["page"],
                    size=args["page_size"], **_filters(args))


@blp.route("/events")
class Events(MethodView):
    @may("audit.export")
    @blp.arguments(ExportArgsSchema, location="query")
    @blp.response(200, description="A stream of audit entries as JSONL (the exact stored lines "
                  "and hashes), CSV (UTF-8 with BOM) or XLSX.",
                  content_type="application/x-ndjson")
    @blp.alt_response(429, schema=ErrorSchema, description="Too many exports at once on this "
                      "server, or for this user; retry after Retry-After seconds.")
    def get(self, args: dict[str, Any]) -> Any:
        """Export audit entries (filters: year, unit, group, actor, kind, time range),
        streamed. A checkpoint covering the trail is signed first."""
        args.pop("wait_for", None)
        s = services()
        release = s.export_slots.take(actor().user_id)
        if release is None:
            return exports.too_many(s.export_slots)
        write, mimetype, ext = WRITERS[args["format"]]
        filters = {**_filters(args), "year": args.get("year")}
        try:
            trail_at_head()
            with s.exports.connection() as conn:  # released before the first byte is sent
                cp = signer().checkpoint(conn, "export")
                file, size = exports.spool(write(queries_audit.iter_entries(conn, **filters)))
        except BaseException:
            release()
            raise
        name = f"audit-{args.get('year') or 'all'}.{ext}"
        return exports.spooled_response(
            file, size, release, request.environ, s.settings.export_write_timeout,
            mimetype=mimetype, headers={
                "Content-Disposition": attachment(name),
                "X-Audit-Checkpoint-Size": str(cp["size"]),
                "X-Audit-Checkpoint-Head": cp["head"], "Cache-Control": "no-store"})


@blp.route("/checkpoints")
class Checkpoints(MethodView):
    @may("audit.read")
    @blp.response(200, CheckpointListSchema)
    def get(self) -> Any:
        """Signed checkpoints, the trail's current size and head, and the public key."""
        sig = signer()
        with services().reads.connection() as conn:
            head = queries_audit.head(conn)
            items = checkpoints(conn)
        return {"items": items, **head, "public_key": sig.public_key_pem().decode("ascii"),
                "key_id": sig.key_id}

    @may("audit.export")
    @blp.arguments(CheckpointArgsSchema, location="query")
    @blp.response(201, CheckpointSchema)
    def post(self, args: dict[str, Any]) -> Any:
        """Sign a checkpoint of the trail now (or return the latest if it covers the head)."""
        trail_at_head()
        with services().reads.connection() as conn:
            return signer().checkpoint(conn, "on_demand", force=args["force"])


@blp.route("/public-key", methods=["GET"])
@may("audit.read")
@blp.response(200, description="Ed25519 public key (PEM) that signs the checkpoints.",
              content_type="application/x-pem-file")
def public_key() -> Any:
    """The public key inspectors verify checkpoints with."""
    return Response(signer().public_key_pem(), mimetype="application/x-pem-file")


@blp.route("/denied")
class Denied(MethodView):
    @may("audit.read")
    @blp.arguments(DeniedArgsSchema, location="query")
    @blp.response(200, DeniedPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Refused requests (401, 403), newest first: who tried what, when, from where."""
        args.pop("wait_for", None)
        from web.resources.audit import count_denied

        count_denied()  # past minutes' count rows first
        return read(queries_audit.denied, page=args["page"], size=args["page_size"],
                    source=args.get("source"), since=args.get("since"),
                    until=args.get("until"))


@blp.route("/as-of/groups/<uuid:group_id>")
class GroupAsOf(MethodView):
    @may("registry.read")
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.response(200, GroupAsOfSchema)
    def get(self, args: dict[str, Any], group_id: Any) -> Any:
        """A group with its members as it stood at a position or time, from the events."""
        app = services().app
        position = history.resolve_as_of(app, args["as_of"])
        wait_for({"wait_for": position}, "audit")  # the trail locates the group's year
        year = read(queries_audit.group_year, group_id=str(group_id))
        group = history.group_at(app, year, str(group_id), position) if year else None
        if group is None:
            raise NotFound("There was no such group at that moment.", field="group_id",
                           rule="exists")
        return group


def record_as_of(record_id: Any, as_of: str, cls: Any = None, what: str = "record") -> Any:
    app = services().app
    position = history.resolve_as_of(app, as_of)
    found = history.state_at(app, str(record_id), position, cls)
    if found is None:
        raise NotFound(f"There was no such {what} at that moment.", field="record_id",
                       rule="exists")
    return {**found, "state": jsonable(found["state"])}


@blp.route("/as-of/records/<uuid:record_id>")
class RecordAsOf(MethodView):
    @may("audit.read")
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.response(200, RecordAsOfSchema)
    def get(self, args: dict[str, Any], record_id: Any) -> Any:
        """Any record (score sheet, election, covenant, cycle and its decision...) as it
        stood at a position or time, rebuilt from its events."""
        return record_as_of(record_id, args["as_of"])


@blp.route("/as-of/score-sheets/<uuid:sheet_id>")
class ScoreSheetAsOf(MethodView):
    @may("audit.read")
    @blp.arguments(AsOfArgsSchema, location="query")
    @blp.response(200, RecordAsOfSchema)
    def get(self, args: dict[str, Any], sheet_id: Any) -> Any:
        """A score sheet (phiếu chấm điểm) with its revisions as it stood at a moment."""
        from domain.evaluation.sheets import ScoreSheet

        return record_as_of(sheet_id, args["as_of"], ScoreSheet, "score sheet")
