"""Groups (Khối, Cụm), their members, district partitions and membership lists."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import InvalidInput, NotFound
from domain.kernel.result import Done
from projections import queries
from web.extensions.auth import actor
from web.extensions.common import may, read, services, wait_for, written
from web.resources.groups.schemas import (
    GroupDetailArgsSchema,
    GroupDetailSchema,
    GroupFormSchema,
    GroupPageSchema,
    GroupQueryArgsSchema,
    GroupWriteSchema,
    MemberRemoveSchema,
    MembersAddSchema,
    MembershipDecisionPageSchema,
    MembershipListFileSchema,
    MembershipListFormSchema,
    MembershipListWrittenSchema,
    MembershipQueryArgsSchema,
    PartitionPageSchema,
    PartitionPublishSchema,
    PartitionQueryArgsSchema,
    PartitionWriteSchema,
)

blp = Blueprint("groups", __name__, url_prefix="/groups",
                description="Khối thi đua, Cụm thi đua and Cụm thi đua cấp huyện, per year.")
partitions = Blueprint("partitions", __name__, url_prefix="/district-partitions",
                       description="A province's district offices split into f(N) clusters.")
lists = Blueprint("membership_lists", __name__, url_prefix="/membership-lists",
                  description="Danh sách ban hành kèm theo: a whole membership list as one "
                              "recorded decision.")


def iso(body: dict[str, Any]) -> dict[str, Any]:
    """The body with its effective date as the use cases take it (ISO text or None)."""
    day = body.get("effective")
    return {**body, "effective": day.isoformat() if day else None}


def group_written(done: Done) -> dict[str, Any]:
    """A group's write answer: its members counted."""
    return {**written(done), "members": len(done.view["members"])}


@blp.route("")
class Groups(MethodView):
    @blp.arguments(GroupQueryArgsSchema, location="query")
    @blp.response(200, GroupPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Groups, filtered by year, kind, province or member."""
        may("registry.read")
        wait_for(args)
        return read(queries.list_groups, year=args.get("year"), kind=args.get("kind"),
                    province=args.get("province"), member=args.get("member"),
                    on=args.get("on"), page=args["page"], size=args["page_size"])

    @blp.arguments(GroupFormSchema)
    @blp.response(201, GroupWriteSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Form a block or a provincial cluster for a year, with its members (from
        ``effective``)."""
        return group_written(services().app.form_group(actor(), **iso(body)))


@blp.route("/<uuid:group_id>")
class GroupDetail(MethodView):
    @blp.arguments(GroupDetailArgsSchema, location="query")
    @blp.response(200, GroupDetailSchema)
    def get(self, args: dict[str, Any], group_id: Any) -> Any:
        """A group with its memberships in time, members under the names they had then."""
        may("registry.read")
        wait_for(args)
        group = read(queries.group_detail, gid=str(group_id), on=args.get("on"))
        if group is None:
            raise NotFound("There is no such group.", field="group_id", rule="exists")
        return group


@blp.route("/<uuid:group_id>/members", methods=["POST"])
@blp.arguments(MembersAddSchema)
@blp.response(200, GroupWriteSchema)
def add_members(body: dict[str, Any], group_id: Any) -> Any:
    """Add member units to a block or provincial cluster, from ``effective`` to the end of the
    year."""
    return group_written(services().app.add_members(actor(), group=str(group_id), **iso(body)))


@blp.route("/<uuid:group_id>/members/<code>", methods=["DELETE"])
@blp.arguments(MemberRemoveSchema)
@blp.response(200, GroupWriteSchema)
def remove_member(body: dict[str, Any], group_id: Any, code: str) -> Any:
    """End a membership from ``effective`` on, with a reason."""
    return group_written(services().app.remove_member(actor(), group=str(group_id),
                                                      member=code, **iso(body)))


@partitions.route("")
class Partitions(MethodView):
    @partitions.arguments(PartitionQueryArgsSchema, location="query")
    @partitions.response(200, PartitionPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Published district partitions with their clusters."""
        may("registry.read")
        wait_for(args)
        return read(queries.list_partitions, year=args.get("year"),
                    province=args.get("province"), page=args["page"], size=args["page_size"])

    @partitions.arguments(PartitionPublishSchema)
    @partitions.response(201, PartitionWriteSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Publish a province's district partition for a year, as one act (rule f(N))."""
        decision = body["decision"]
        done = services().app.publish_partition(
            actor(), year=body["year"], province_code=body["province_code"],
            clusters=body["clusters"],
            effective=body["effective"].isoformat() if body["effective"] else None,
            scale=body["scale"], reason=body["reason"],
            decision={"number": decision["number"], "date": decision["date"].isoformat()}
            if decision else None)
        partition = done.view
        return {"position": done.position, "district_count": partition["district_count"],
                "cluster_count": len(partition["clusters"]), "effective": partition["effective"]}


@lists.route("")
class MembershipLists(MethodView):
    @lists.arguments(MembershipQueryArgsSchema, location="query")
    @lists.response(200, MembershipDecisionPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Membership lists applied, as recorded decisions."""
        may("registry.read")
        wait_for(args)
        return read(queries.list_membership_decisions, year=args.get("year"),
                    page=args["page"], size=args["page_size"])

    @lists.arguments(MembershipListFormSchema, location="form")
    @lists.arguments(MembershipListFileSchema, location="files")
    @lists.response(201, MembershipListWrittenSchema)
    @lists.alt_response(200, schema=MembershipListWrittenSchema,
                        description="The same list was applied before (already_applied): "
                                    "nothing is recorded twice.")
    def post(self, form: dict[str, Any], files: dict[str, Any]) -> Any:
        """Import a CSV or XLSX list as one decision: every row applies, or none. The same
        list sent again (same document, effective day and memberships) answers 200 with
        already_applied and records nothing."""
        upload = files["file"]
        if not hasattr(upload, "read"):
            raise InvalidInput("Send the list as a file part named 'file'.", field="file",
                               rule="file_part")
        # The stream, not its bytes: the domain reads it only once the right is granted.
        done = services().app.import_membership_list(
            actor(), year=form["year"], content=upload.stream,
            filename=upload.filename or "", document_number=form["document_number"],
            document_date=form["document_date"].isoformat(),
            effective=form["effective"].isoformat() if form["effective"] else None)
        if done.view.get("already_applied"):
            return {**done.view, "position": None}, 200
        return written(done)
