"""The groups' annual judging (bình xét thi đua): the year's rules, the rounds at the
summary meeting, candidates per title, secret ballots, the declared proposals, and what the
council's decision awarded on them."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries_judging as q
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.resources.judging.schemas import (
    JudgingAnnulSchema,
    JudgingBallotInSchema,
    JudgingBallotsArgsSchema,
    JudgingBallotsOutSchema,
    JudgingBallotWrittenSchema,
    JudgingCandidateInSchema,
    JudgingCandidateWrittenSchema,
    JudgingDetailSchema,
    JudgingOpenSchema,
    JudgingPageSchema,
    JudgingProposalArgsSchema,
    JudgingProposalListSchema,
    JudgingQueryArgsSchema,
    JudgingResultInSchema,
    JudgingRulesOutSchema,
    JudgingRulesSetSchema,
    JudgingWrittenSchema,
)

blp = Blueprint("judgings", __name__, url_prefix="/judgings",
                description="Bình xét thi đua: at its annual summary a group's members judge "
                            "each other and acclaim, by secret ballot, the units proposed for "
                            "the emulation flag and for certificates of merit (a district "
                            "cluster: for its province's titles; its province runs it too).")
rules_blp = Blueprint("judging_rules", __name__, url_prefix="/judging-rules",
                      description="The year's judging rules (titles and their quotas, quorum, "
                                  "majority), versioned; set by the standing office.")
proposals_blp = Blueprint("judging_proposals", __name__, url_prefix="/judging-proposals",
                          description="What the groups' judgings proposed, and what the "
                                      "decisions awarded on each: the council's on the "
                                      "blocks' and provincial clusters', a province's on its "
                                      "district clusters'.")


def wait(args: dict[str, Any]) -> None:
    """Read-your-writes across the registry (units, groups) and the judging views."""
    wait_for(dict(args), "registry")
    wait_for(args, "judging")


def _detail(judging_id: Any) -> dict[str, Any]:
    found = read(q.judging_detail, jid=str(judging_id))
    if found is None:
        raise NotFound("There is no such judging.", field="judging_id", rule="exists")
    return found  # type: ignore[no-any-return]


# -- rules -------------------------------------------------------------------------------------
@rules_blp.route("/<int:year>")
class JudgingRulesOfYear(MethodView):
    @may("registry.read")
    @rules_blp.arguments(WaitArgsSchema, location="query")
    @rules_blp.response(200, JudgingRulesOutSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The year's current judging rules (version 0: the defaults) and every version."""
        wait(args)
        rules, version = services().app.judging_rules(year)
        return {"year": year, "version": version, "rules": rules.to_dict(),
                "versions": read(q.rule_versions, year=year)}

    @rules_blp.arguments(JudgingRulesSetSchema)
    @rules_blp.response(200, JudgingRulesOutSchema)
    def put(self, body: dict[str, Any], year: int) -> Any:
        """Set a new version of the year's judging rules; fields not sent keep their value
        (``titles`` and ``district_titles``, when sent, are each the whole list). Rounds
        already opened keep theirs."""
        reason, version = body.pop("reason"), body.pop("version")
        return written(services().app.set_judging_rules(
            actor(), year=year, rules=body, reason=reason, version=version))


# -- judgings ----------------------------------------------------------------------------------
@blp.route("")
class Judgings(MethodView):
    @may("registry.read")
    @blp.arguments(JudgingQueryArgsSchema, location="query")
    @blp.response(200, JudgingPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Judgings, by year or group, with their last round and proposals."""
        wait(args)
        gid = args.get("group_id")
        return read(q.list_judgings, year=args.get("year"), group_id=str(gid) if gid else None,
                    page=args["page"], size=args["page_size"])

    @blp.arguments(JudgingOpenSchema)
    @blp.response(201, JudgingWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Open a round of the group's judging at its annual summary meeting (standing
        office, the secretariat of the sitting head or deputy, or a district cluster's
        province). A round after the first needs a reason and judges the places still left;
        a district cluster judges for its province's titles (district_titles)."""
        return written(services().app.open_judging(
            actor(), group_id=str(body["group_id"]), year=body["year"],
            meeting_date=body["meeting_date"].isoformat(), place=body["place"],
            present=body["present"], reason=body["reason"]))


@blp.route("/<uuid:judging_id>")
class JudgingDetail(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, JudgingDetailSchema)
    def get(self, args: dict[str, Any], judging_id: Any) -> Any:
        """A judging: every round (meeting, rules, places, candidates, turnout — who voted,
        never how — and once declared the votes per candidate) and the proposals."""
        wait(args)
        return _detail(judging_id)


@blp.route("/<uuid:judging_id>/candidates", methods=["POST"])
@blp.arguments(JudgingCandidateInSchema)
@blp.response(201, JudgingCandidateWrittenSchema)
def put_forward(body: dict[str, Any], judging_id: Any) -> Any:
    """Put a member unit forward for a title of the open round, before that title's first
    ballot."""
    return written(services().app.judging_candidate(actor(), str(judging_id), **body))


@blp.route("/<uuid:judging_id>/ballots")
class Ballots(MethodView):
    @may("registry.read")
    @blp.arguments(JudgingBallotsArgsSchema, location="query")
    @blp.response(200, JudgingBallotsOutSchema)
    def get(self, args: dict[str, Any], judging_id: Any) -> Any:
        """Who voted for each title of a round (never how); after its declaration, the
        counted ballots, anonymous and in random order."""
        round_no = args.pop("round", None)
        wait(args)
        detail = _detail(judging_id)
        rounds = {r["round"]: r for r in detail["rounds"]}
        rnd = rounds.get(round_no or detail["rounds"][-1]["round"]) if rounds else None
        if rnd is None:
            raise NotFound("There is no such round of this judging.", field="round",
                           rule="exists")
        jid = str(judging_id)
        return {"judging_id": jid, "round": rnd["round"], "status": rnd["status"],
                "turnout": rnd["turnout"],
                "counted": read(q.counted_ballots, jid=jid, round_no=rnd["round"])}

    @blp.arguments(JudgingBallotInSchema)
    @blp.response(201, JudgingBallotWrittenSchema)
    def post(self, body: dict[str, Any], judging_id: Any) -> Any:
        """Cast your unit's secret ballot for one title: the candidates it marks. The voter
        is the unit of your token; the answer never repeats the marks."""
        return written(services().app.cast_judging_ballot(actor(), str(judging_id), **body))


@blp.route("/<uuid:judging_id>/result", methods=["POST"])
@blp.arguments(JudgingResultInSchema)
@blp.response(201, JudgingWrittenSchema)
def declare(body: dict[str, Any], judging_id: Any) -> Any:
    """Count and declare the open round: each title's proposals within its places. A failed
    quorum, a tie or a failed majority is declared as the outcome (then open a new round)."""
    return written(services().app.declare_judging(actor(), str(judging_id)))


@blp.route("/<uuid:judging_id>/annulment", methods=["POST"])
@blp.arguments(JudgingAnnulSchema)
@blp.response(201, JudgingWrittenSchema)
def annul(body: dict[str, Any], judging_id: Any) -> Any:
    """Annul the open round, with a reason; its ballots are never opened."""
    return written(services().app.annul_judging(actor(), str(judging_id), **body))


# -- proposals ---------------------------------------------------------------------------------
@proposals_blp.route("")
class Proposals(MethodView):
    @may("registry.read")
    @proposals_blp.arguments(JudgingProposalArgsSchema, location="query")
    @proposals_blp.response(200, JudgingProposalListSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The year's proposals of every group, by title, outcome or deciding province: what
        the decisions award titles on (``pending`` until they do) — the council's for the
        blocks and provincial clusters, each province's for its district clusters
        (``decided_by``)."""
        year, title, outcome = args.pop("year"), args.pop("title", None), \
            args.pop("outcome", None)
        province = args.pop("province", None)
        wait(args)
        return {"items": read(q.proposals, year=year, title=title, outcome=outcome,
                              province=province)}
