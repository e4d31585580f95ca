"""The comparable groups (nhóm tương đồng) of the sector's cycle: the quota caps the
excellent level within each; none declared, within each level."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries_evaluation as q
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.resources.evaluation.schemas_groups import (
    ComparableGroupsInSchema,
    ComparableGroupsSchema,
    ComparableGroupsWrittenSchema,
)

groups = Blueprint("evaluation_comparable_groups", __name__, url_prefix="/evaluation/cycles",
                   description="Nhóm tương đồng of a year's cycle: units alike in the kind and "
                               "volume of their work, capped together by the quota.")


@groups.route("/<int:year>/comparable-groups")
class ComparableGroups(MethodView):
    @may("registry.read")
    @groups.arguments(WaitArgsSchema, location="query")
    @groups.response(200, ComparableGroupsSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The cycle's comparable groups; ``by_level`` when it declares none (central units
        compared together, provinces together)."""
        wait_for(args, "evaluation")
        found = read(q.comparable_groups, year=year)
        if found is None:
            raise NotFound(f"There is no evaluation cycle for {year}.", field="year",
                           rule="exists")
        return found

    @groups.arguments(ComparableGroupsInSchema)
    @groups.response(201, ComparableGroupsWrittenSchema)
    def post(self, body: dict[str, Any], year: int) -> Any:
        """Declare (or replace) the cycle's comparable groups with the reason (standing
        office), until its first sheet is sent: every unit in exactly one, a group of one
        level. An empty list goes back to comparing by level."""
        return written(services().app.declare_comparable_groups(actor(), year=year, **body))
