"""Elections of group heads (bầu Khối trưởng / Cụm trưởng), the year's election rules, and
the state of a group (its head and deputy, election history and covenant)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.elections.sources import rule_sources
from domain.kernel.errors import NotFound
from projections import queries_elections as q
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.resources.elections.schemas import (
    ActingInSchema,
    AnnulSchema,
    BallotInSchema,
    BallotsOutSchema,
    BallotWrittenSchema,
    CandidateInSchema,
    CandidateListSchema,
    CandidateWrittenSchema,
    ElectionDetailSchema,
    ElectionOpenSchema,
    ElectionPageSchema,
    ElectionQueryArgsSchema,
    ElectionSchema,
    ElectionWrittenSchema,
    GroupStateSchema,
    OfficeWrittenSchema,
    ResultInSchema,
    RulesOutSchema,
    RulesSetSchema,
    StateArgsSchema,
)

blp = Blueprint("elections", __name__, url_prefix="/elections",
                description="Bầu Khối trưởng / Cụm trưởng and Khối phó / Cụm phó at a group's "
                            "annual summary: candidates, secret ballots, the declared result.")
rules_blp = Blueprint("election_rules", __name__, url_prefix="/election-rules",
                      description="The year's election rules (quorum, majority, secret ballot, "
                                  "rotation), versioned; set by the standing office.")
state_blp = Blueprint("group_state", __name__, url_prefix="/groups",
                      description="A group's state: members, head and deputy, election history "
                                  "and covenant status.")


def wait(args: dict[str, Any]) -> None:
    """Read-your-writes across the registry (units, groups) and the elections views."""
    wait_for(dict(args), "registry")
    wait_for(args, "elections")


def _detail(election_id: Any) -> dict[str, Any]:
    found = read(q.election_detail, eid=str(election_id))
    if found is None:
        raise NotFound("There is no such election.", field="election_id", rule="exists")
    return found  # type: ignore[no-any-return]


# -- rules -------------------------------------------------------------------------------------
@rules_blp.route("/<int:year>")
class ElectionRulesOfYear(MethodView):
    @may("registry.read")
    @rules_blp.arguments(WaitArgsSchema, location="query")
    @rules_blp.response(200, RulesOutSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The year's current election rules (version 0: the defaults) and every version."""
        wait(args)
        rules, version = services().app.election_rules(year)
        return {"year": year, "version": version, "rules": rules.to_dict(),
                "sources": rule_sources(rules.to_dict()),
                "versions": read(q.rule_versions, year=year)}

    @rules_blp.arguments(RulesSetSchema)
    @rules_blp.response(200, RulesOutSchema)
    def put(self, body: dict[str, Any], year: int) -> Any:
        """Set a new version of the year's election rules; fields not sent keep their value.
        Elections already opened keep the version they were opened with."""
        reason, version = body.pop("reason"), body.pop("version")
        return written(services().app.set_election_rules(
            actor(), year=year, rules=body, reason=reason, version=version))


# -- elections ---------------------------------------------------------------------------------
@blp.route("")
class Elections(MethodView):
    @may("registry.read")
    @blp.arguments(ElectionQueryArgsSchema, location="query")
    @blp.response(200, ElectionPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Elections, by group, year or status."""
        wait(args)
        gid = args.get("group_id")
        return read(q.list_elections, group_id=str(gid) if gid else None,
                    year=args.get("year"), status=args.get("status"), page=args["page"],
                    size=args["page_size"])

    @blp.arguments(ElectionOpenSchema)
    @blp.response(201, ElectionWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Open a round at the group's annual summary meeting (standing office, or the
        secretariat of the sitting head or deputy)."""
        return written(services().app.open_election(
            actor(), group_id=str(body["group_id"]), year=body["year"],
            meeting_date=body["meeting_date"].isoformat(), place=body["place"],
            present=body["present"], term=body["term"], reason=body["reason"]))


@blp.route("/<uuid:election_id>")
class ElectionDetail(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, ElectionDetailSchema)
    def get(self, args: dict[str, Any], election_id: Any) -> Any:
        """An election: meeting, rules, candidates, turnout (who voted, never how) and, once
        declared, the votes per candidate."""
        wait(args)
        return _detail(election_id)


@blp.route("/<uuid:election_id>/candidates")
class Candidates(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, CandidateListSchema)
    def get(self, args: dict[str, Any], election_id: Any) -> Any:
        """Candidates, by seat, in the order they were put forward."""
        wait(args)
        _detail(election_id)
        return {"items": read(q.candidates, eid=str(election_id))}

    @blp.arguments(CandidateInSchema)
    @blp.response(201, CandidateWrittenSchema)
    def post(self, body: dict[str, Any], election_id: Any) -> Any:
        """Put a member unit forward for head or deputy (rotation and 'head and deputy are
        different units' are checked here)."""
        return written(services().app.put_forward(actor(), str(election_id), **body))


@blp.route("/<uuid:election_id>/ballots")
class Ballots(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, BallotsOutSchema)
    def get(self, args: dict[str, Any], election_id: Any) -> Any:
        """Who voted for each seat (never how); after declaration, the counted ballots,
        anonymous and in random order."""
        wait(args)
        detail = _detail(election_id)
        eid = str(election_id)
        return {"election_id": eid, "status": detail["status"],
                "turnout": read(q.turnout, eid=eid),
                "counted": read(q.counted_ballots, eid=eid)}

    @blp.arguments(BallotInSchema)
    @blp.response(201, BallotWrittenSchema)
    def post(self, body: dict[str, Any], election_id: Any) -> Any:
        """Cast your unit's ballot for one seat. The voter is the unit of your token; the
        answer never repeats the choice."""
        return written(services().app.cast_ballot(actor(), str(election_id), **body))


@blp.route("/<uuid:election_id>/result")
class Result(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, ElectionSchema)
    def get(self, args: dict[str, Any], election_id: Any) -> Any:
        """The declared result: outcome, quorum, and votes per candidate for each seat."""
        wait(args)
        return _detail(election_id)

    @blp.arguments(ResultInSchema)
    @blp.response(201, ElectionWrittenSchema)
    def post(self, body: dict[str, Any], election_id: Any) -> Any:
        """Count and declare. The winners take office at once. A failed quorum, a tie or a
        failed majority is declared as the outcome (then open a new round)."""
        return written(services().app.declare_result(actor(), str(election_id)))


@blp.route("/<uuid:election_id>/annulment", methods=["POST"])
@blp.arguments(AnnulSchema)
@blp.response(201, ElectionWrittenSchema)
def annul(body: dict[str, Any], election_id: Any) -> Any:
    """Annul an open election, with a reason."""
    return written(services().app.annul_election(actor(), str(election_id), **body))


# -- group state -------------------------------------------------------------------------------
@state_blp.route("/<uuid:group_id>/state")
class GroupState(MethodView):
    @may("registry.read")
    @state_blp.arguments(StateArgsSchema, location="query")
    @state_blp.response(200, GroupStateSchema)
    def get(self, args: dict[str, Any], group_id: Any) -> Any:
        """Members, head and deputy with the moment they took office, election history
        (outcomes and counts, never who voted for whom) and the covenant's status."""
        year = args.pop("year", None)
        wait(args)
        gid = str(group_id)
        found = read(q.group_year_of, gid=gid)
        if found is None or (year is not None and found != year):
            raise NotFound("There is no such group" + (f" in {year}." if year else "."),
                           field="group_id", rule="exists")
        app = services().app
        # the office of the group's line (every year of it), from the record itself
        office = app.group_office(gid, found)
        state = read(q.group_state, gid=gid, office_id=str(office.id) if office else None,
                     day=app.now().date())
        if state is None:
            raise NotFound("There is no such group.", field="group_id", rule="exists")
        state["line"] = [{"year": y, "group_id": g} for y, g in app.group_line(gid, found)]
        return state


@state_blp.route("/<uuid:group_id>/acting", methods=["POST"])
@state_blp.arguments(ActingInSchema)
@state_blp.response(201, OfficeWrittenSchema)
def designate_acting(body: dict[str, Any], group_id: Any) -> Any:
    """Designate a member unit to act in a seat left vacant when its holder's unit ended
    (giới thiệu), until the next election (standing office)."""
    effective = body.pop("effective")
    return written(services().app.designate_acting(
        actor(), group_id=str(group_id), effective=effective.isoformat() if effective else None,
        **body))
