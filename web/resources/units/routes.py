"""Units: register, rename, move, merge, dissolve; and which existed on a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.resources.units.schemas import (
    DissolveSchema,
    MergeSchema,
    MoveSchema,
    RenameSchema,
    UnitDetailSchema,
    UnitPageSchema,
    UnitQueryArgsSchema,
    UnitRegisterSchema,
    UnitWriteSchema,
)

blp = Blueprint("units", __name__, url_prefix="/units",
                description="Đơn vị: central units, provincial BHXH and district offices.")


@blp.route("")
class Units(MethodView):
    @may("registry.read")
    @blp.arguments(UnitQueryArgsSchema, location="query")
    @blp.response(200, UnitPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Units that existed on a date, with the names they had then."""
        wait_for(args)
        return read(queries.list_units, on=args.get("date") or date.today(),
                    level=args.get("level"), parent=args.get("parent"), code=args.get("code"),
                    page=args["page"], size=args["page_size"])

    @blp.arguments(UnitRegisterSchema)
    @blp.response(201, UnitWriteSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Register a unit (standing office)."""
        return written(services().app.register_unit(
            actor(), code=body["code"], name=body["name"], level=body["level"],
            parent_code=body["parent_code"], effective=body["effective"].isoformat(),
            act=_act(body)))


@blp.route("/<code>")
class UnitDetail(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, UnitDetailSchema)
    def get(self, args: dict[str, Any], code: str) -> Any:
        """A unit with its whole history of names and parents."""
        wait_for(args)
        unit = read(queries.unit_detail, code=code)
        if unit is None:
            raise NotFound(f"There is no unit with code '{code}'.", field="code", rule="exists")
        unit["changes"] = services().app.unit_changes(code)
        return unit


def _act(body: dict[str, Any]) -> dict[str, Any] | None:
    act = body.get("act")
    if act is None:
        return None
    return {**act, "signed": act["signed"].isoformat()}


def _change(method: str, body: dict[str, Any], code: str, **kwargs: Any) -> dict[str, Any]:
    return written(getattr(services().app, method)(
        actor(), code, effective=body["effective"].isoformat(), version=body["version"],
        act=_act(body), **kwargs))


@blp.route("/<code>/rename", methods=["POST"])
@blp.arguments(RenameSchema)
@blp.response(200, UnitWriteSchema)
def rename(body: dict[str, Any], code: str) -> Any:
    """Rename a unit from a date."""
    return _change("rename_unit", body, code, name=body["name"])


@blp.route("/<code>/move", methods=["POST"])
@blp.arguments(MoveSchema)
@blp.response(200, UnitWriteSchema)
def move(body: dict[str, Any], code: str) -> Any:
    """Move a district office to another province from a date."""
    return _change("move_unit", body, code, parent_code=body["parent_code"])


@blp.route("/<code>/merge", methods=["POST"])
@blp.arguments(MergeSchema)
@blp.response(200, UnitWriteSchema)
def merge(body: dict[str, Any], code: str) -> Any:
    """Merge a unit into another of the same level from a date."""
    return _change("merge_unit", body, code, into_code=body["into_code"])


@blp.route("/<code>/dissolve", methods=["POST"])
@blp.arguments(DissolveSchema)
@blp.response(200, UnitWriteSchema)
def dissolve(body: dict[str, Any], code: str) -> Any:
    """Dissolve a unit from a date."""
    return _change("dissolve_unit", body, code)
