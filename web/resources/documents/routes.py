"""GET /documents/decisions/<year>.docx: the council's decision as the office signs it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound, RuleViolation
from projections import queries_evaluation as q
from web.extensions.auth import may
from web.extensions.common import services, wait_for
from web.extensions.download import attachment
from web.resources.documents.decision import letterhead_for, render
from web.resources.documents.schemas import LetterheadArgsSchema

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
blp = Blueprint("documents", __name__, url_prefix="/documents",
                description="The documents of the year (DOCX), generated from the record.")


def decided_cycle(year: int) -> tuple[dict[str, Any], int]:
    """The cycle's compiled table and decision, and the evaluation view's position they were
    read at (one snapshot: both in one repeatable-read transaction)."""
    s = services()
    with s.reads.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cycle = q.compiled(conn, year)
        row = conn.execute("SELECT max(notification_id) FROM evaluation_tracking WHERE "
                           "application_name = %s", (s.app.name,)).fetchone()
    if cycle is None:
        raise NotFound(f"There is no evaluation cycle for {year}.", field="year",
                       rule="exists")
    if cycle["decision"] is None:
        raise RuleViolation(f"The {year} cycle has no decision yet (it is {cycle['state']}); "
                            "the decision document is made from a recorded decision.",
                            field="year", rule="decision_recorded")
    return cycle, int(row[0] or 0) if row else 0


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
        return Response(data, mimetype=DOCX, headers={
            "Content-Disposition": attachment(name), "X-Log-Position": str(position)})
