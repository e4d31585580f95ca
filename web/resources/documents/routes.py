"""The documents of the year as the office signs them (DOCX): the council's decision, a
province's decision on its district offices, a group's election minutes, a provincial
cluster head's summary. Each is read from the views in one snapshot and states the log
position it was made from (text, properties, X-Log-Position)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound, RuleViolation
from projections import queries_district as qd
from projections import queries_documents as docs
from projections import queries_evaluation as q
from web.extensions.auth import may
from web.extensions.common import WaitArgsSchema, services, wait_for
from web.extensions.download import attachment
from web.resources.documents import district_decision, minutes, summary
from web.resources.documents.decision import letterhead_for, render
from web.resources.documents.schemas import (
    DistrictLetterheadArgsSchema,
    LetterheadArgsSchema,
    PlaceArgsSchema,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
blp = Blueprint("documents", __name__, url_prefix="/documents",
                description="The documents of the year (DOCX), generated from the record.")


def snapshot(view: str, read: Any, **kwargs: Any) -> tuple[Any, int]:
    """``read(conn, **kwargs)`` and the position ``view`` had reached, in one repeatable-read
    transaction: what the document says is the record up to that position."""
    s = services()
    with s.reads.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        found = read(conn, **kwargs)
        position = docs.tracked(conn, view, s.app.name)
    return found, position


def docx(data: bytes, name: str, position: int) -> Response:
    return Response(data, mimetype=DOCX, headers={
        "Content-Disposition": attachment(name), "X-Log-Position": str(position)})


def decided_cycle(year: int) -> tuple[dict[str, Any], int]:
    """The cycle's compiled table and decision, and the evaluation view's position they were
    read at (one snapshot)."""
    cycle, position = snapshot("evaluation", q.compiled, year=year)
    if cycle is None:
        raise NotFound(f"There is no evaluation cycle for {year}.", field="year",
                       rule="exists")
    if cycle["decision"] is None:
        raise RuleViolation(f"The {year} cycle has no decision yet (it is {cycle['state']}); "
                            "the decision document is made from a recorded decision.",
                            field="year", rule="decision_recorded")
    return cycle, position


@blp.route("/decisions/<int:year>.docx")
class DecisionDocument(MethodView):
    @may("registry.read")
    @blp.arguments(LetterheadArgsSchema, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=DOCX)
    @blp.alt_response(404, description="No cycle for the year")
    @blp.alt_response(409, description="The cycle has no decision yet")
    def get(self, args: dict[str, Any], year: int) -> Any:
        """Quyết định công nhận kết quả đánh giá, xếp loại, with its Danh sách kèm theo, in the
        format of Nghị định 30/2020/NĐ-CP (editable DOCX). It states the log position it was
        made from."""
        wait_for(args, "evaluation")
        cycle, position = decided_cycle(year)
        decision = cycle["decision"]
        head = letterhead_for(date.fromisoformat(decision["signed_on"]),
                              superior=args.get("superior"), place=args.get("place"))
        names = {lv["code"]: lv["name"] for lv in cycle["rules"]["levels"]}
        data = render(year=year, decision=decision, rows=cycle["compiled"] or [],
                      level_names=names, legal_basis=cycle["rules"].get("legal_basis") or [],
                      position=position, head=head)
        name = f"Quyết định công nhận kết quả đánh giá, xếp loại năm {year}.docx"
        return docx(data, name, position)


@blp.route("/district-decisions/<string:province_code>/<int:year>.docx")
class DistrictDecisionDocument(MethodView):
    @may("registry.read")
    @blp.arguments(DistrictLetterheadArgsSchema, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=DOCX)
    @blp.alt_response(404, description="No such district cycle")
    @blp.alt_response(422, description="The cycle has no decision yet")
    def get(self, args: dict[str, Any], province_code: str, year: int) -> Any:
        """Quyết định công nhận kết quả đánh giá, xếp loại BHXH cấp huyện (BHXH cơ sở) of a
        province, with its Danh sách kèm theo, in the format of Nghị định 30/2020/NĐ-CP
        (editable DOCX): the province's letterhead (BHXH Việt Nam above it by default:
        ``superior``), its director signing, the titles awarded on its district clusters'
        proposals. It states the log position it was made from."""
        wait_for(args, "district")
        cycle, position = snapshot("district", qd.compiled, year=year, province=province_code)
        if cycle is None:
            raise NotFound(f"There is no evaluation of the district offices of "
                           f"{province_code} for {year}.", field="year", rule="exists")
        if cycle["decision"] is None:
            raise RuleViolation(f"{province_code}'s {year} evaluation of its district offices "
                                f"has no decision yet (it is {cycle['state']}); the decision "
                                "document is made from a recorded decision.", field="year",
                                rule="decision_recorded")
        head = district_decision.letterhead_for(cycle["province_name"],
                                                superior=args.get("superior"),
                                                place=args.get("place"))
        data = district_decision.render(
            year=year, province_name=cycle["province_name"], decision=cycle["decision"],
            rows=cycle["table"] or [],
            level_names={lv["code"]: lv["name"] for lv in cycle["rules"]["levels"]},
            group_names=cycle["group_names"],
            legal_basis=cycle["rules"].get("legal_basis") or [], position=position, head=head)
        name = (f"Quyết định công nhận kết quả đánh giá, xếp loại BHXH cấp huyện năm {year} - "
                f"{province_code}.docx")
        return docx(data, name, position)


@blp.route("/elections/<uuid:election_id>.docx")
class ElectionMinutes(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=DOCX)
    @blp.alt_response(404, description="No such election")
    @blp.alt_response(422, description="The election is still open")
    def get(self, args: dict[str, Any], election_id: Any) -> Any:
        """Biên bản: a group's election at its summary meeting, in the format of Nghị định
        30/2020/NĐ-CP: the members present against the quorum, the rules, each seat's
        candidates with the votes each received, the winners (never who voted for whom).
        It states the log position it was made from."""
        wait_for(args, "elections")
        found, position = snapshot("elections", docs.election_minutes, eid=str(election_id))
        if found is None:
            raise NotFound("There is no such election.", field="election_id", rule="exists")
        if found["status"] == "open":
            raise RuleViolation("The election is still open: its minutes record a declared "
                                "result (or its annulment).", field="election_id",
                                rule="election_concluded")
        name = (f"Biên bản bầu {found['group_code']} năm {found['term']} "
                f"(vòng {found['round']}).docx")
        return docx(minutes.render(found, position), name, position)


@blp.route("/cluster-summaries/<int:year>/<uuid:group_id>.docx")
class ClusterSummaryDocument(MethodView):
    @may("registry.read")
    @blp.arguments(PlaceArgsSchema, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=DOCX)
    @blp.alt_response(404, description="The cluster has sent no summary for the year")
    def get(self, args: dict[str, Any], year: int, group_id: Any) -> Any:
        """Báo cáo tổng hợp của Cụm trưởng to the standing office, in the format of Nghị định
        30/2020/NĐ-CP: per monitoring central unit the sheets counted, their average and
        the members nominating it, as last sent (the summary's events); the sheets not
        sent. It states the log position it was made from."""
        wait_for(args, "evaluation")
        found, position = snapshot("evaluation", docs.cluster_summary, year=year,
                                   group_id=str(group_id))
        if found is None:
            raise NotFound(f"The cluster has sent no summary for {year}.", field="group_id",
                           rule="exists")
        name = f"Báo cáo tổng hợp {found['group_code']} năm {year}.docx"
        return docx(summary.render(found, position, args.get("place")), name, position)
