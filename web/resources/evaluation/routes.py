"""The annual evaluation: rule sets, the year's cycle, its views (scoreboard, progress, the
compiled table and its exports), the council review and the decision."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.evaluation.cycle import hanoi_today, opened_after_deadline
from domain.evaluation.ruleset import extension_limit_days, sample_ruleset
from domain.kernel.errors import NotFound
from projections import queries_evaluation as q
from web.extensions.auth import actor
from web.extensions.common import WaitArgsSchema, may, read, services, wait_for, written
from web.extensions.download import attachment
from web.resources.evaluation import export
from web.resources.evaluation.schemas import (
    AmendmentInSchema,
    AmendmentWrittenSchema,
    CloseInSchema,
    CycleOpenSchema,
    CycleSchema,
    CycleWrittenSchema,
    DecisionInSchema,
    DecisionWrittenSchema,
    ExtensionInSchema,
    ExtensionWrittenSchema,
    LevelArgsSchema,
    ProgressSchema,
    ReviewInSchema,
    ReviewWrittenSchema,
    RuleSetDetailSchema,
    RuleSetInSchema,
    RuleSetPageSchema,
    RuleSetQueryArgsSchema,
    RuleSetVersionArgsSchema,
    RuleSetWrittenSchema,
    SampleArgsSchema,
    ScoreboardSchema,
    TableSchema,
)

rulesets = Blueprint("evaluation_rulesets", __name__, url_prefix="/evaluation/rulesets",
                     description="Bộ tiêu chí: versioned scoring schemes, levels, quotas, "
                                 "deadlines and their legal basis.")
# the compiled table's file, as an office files it
TABLE_NAME = "Bảng tổng hợp đánh giá, xếp loại năm {year}.{ext}"
cycles = Blueprint("evaluation_cycles", __name__, url_prefix="/evaluation/cycles",
                   description="A year's evaluation: open → closed → under council review → "
                               "decided; extensions, scoreboard, progress, compiled table.")


def wait(args: dict[str, Any]) -> None:
    wait_for(args, "evaluation")


def _found(value: Any, what: str, field: str) -> Any:
    if value is None:
        raise NotFound(f"There is no {what}.", field=field, rule="exists")
    return value


# -- rule sets ----------------------------------------------------------------------------
@rulesets.route("")
class RuleSets(MethodView):
    @rulesets.arguments(RuleSetQueryArgsSchema, location="query")
    @rulesets.response(200, RuleSetPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Rule sets and every version of each."""
        may("registry.read")
        wait(args)
        return read(q.list_rulesets, code=args.get("code"), page=args["page"],
                    size=args["page_size"])

    @rulesets.arguments(RuleSetInSchema)
    @rulesets.response(201, RuleSetWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Publish a rule set, or the next version of it (standing office). Old versions
        stay readable; a cycle keeps the version it was opened with."""
        return written(services().app.publish_ruleset(actor(), **body))


@rulesets.route("/sample")
class SampleRuleSet(MethodView):
    @rulesets.arguments(SampleArgsSchema, location="query")
    @rulesets.response(200, RuleSetDetailSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The defaults of domain.md §5 as a rule set to publish (or n equal criteria)."""
        may("registry.read")
        content = sample_ruleset(args.get("criteria"))
        return {"code": content["code"], "name": content["name"], "content": content}


@rulesets.route("/<code>")
class RuleSetDetail(MethodView):
    @rulesets.arguments(RuleSetVersionArgsSchema, location="query")
    @rulesets.response(200, RuleSetDetailSchema)
    def get(self, args: dict[str, Any], code: str) -> Any:
        """One version of a rule set (default: the latest), with its whole content."""
        may("registry.read")
        wait(args)
        return _found(read(q.ruleset_version, code=code, version=args.get("version")),
                      f"rule set {code} (of that version)", "code")


# -- cycles -------------------------------------------------------------------------------
@cycles.route("")
class Cycles(MethodView):
    @cycles.arguments(CycleOpenSchema)
    @cycles.response(201, CycleWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Open a year's cycle with a rule set version and who scores whom (standing office)."""
        for day in ("deadline", "reference_date"):
            if body[day] is not None:
                body[day] = body[day].isoformat()
        return written(services().app.open_cycle(actor(), **body))


@cycles.route("/<int:year>")
class CycleDetail(MethodView):
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, CycleSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The cycle: state and its history, rule set, units, who scores whom, extensions."""
        may("registry.read")
        wait(args)
        cycle = _found(read(q.cycle_detail, year=year), f"evaluation cycle for {year}", "year")
        return {**cycle, "extension_limit_days": extension_limit_days(cycle["rules"]),
                "opened_after_deadline": opened_after_deadline(
                    cycle["deadline"].isoformat(), cycle["history"][0]["at"])}


@cycles.route("/<int:year>/amendments", methods=["POST"])
@cycles.arguments(AmendmentInSchema)
@cycles.response(201, AmendmentWrittenSchema)
def amend_cycle(body: dict[str, Any], year: int) -> Any:
    """Amend the cycle's units, monitors, organisation scorers or field units, with the
    reason (standing office), until its first sheet is sent. Each list given replaces the
    cycle's; the whole is checked again on the cycle's reference date."""
    return written(services().app.amend_cycle(actor(), year=year, **body))


@cycles.route("/<int:year>/extensions", methods=["POST"])
@cycles.arguments(ExtensionInSchema)
@cycles.response(201, ExtensionWrittenSchema)
def grant_extension(body: dict[str, Any], year: int) -> Any:
    """Extend the deadline for one unit (standing office), with the reason."""
    return written(services().app.grant_extension(
        actor(), year=year, unit_code=body["unit_code"], until=body["until"].isoformat(),
        reason=body["reason"]))


@cycles.route("/<int:year>/close", methods=["POST"])
@cycles.arguments(CloseInSchema)
@cycles.response(200, CycleWrittenSchema)
def close_cycle(body: dict[str, Any], year: int) -> Any:
    """Close the cycle for submissions."""
    return written(services().app.close_cycle(actor(), year=year, reason=body["reason"]))


@cycles.route("/<int:year>/review", methods=["POST"])
@cycles.arguments(ReviewInSchema)
@cycles.response(200, ReviewWrittenSchema)
def begin_review(body: dict[str, Any], year: int) -> Any:
    """Compile everything sent and put the table before the council's meeting."""
    return written(services().app.begin_review(
        actor(), year=year, meeting_date=body["meeting_date"].isoformat(), note=body["note"]))


@cycles.route("/<int:year>/decision", methods=["POST"])
@cycles.arguments(DecisionInSchema)
@cycles.response(201, DecisionWrittenSchema)
def record_decision(body: dict[str, Any], year: int) -> Any:
    """Record the General Director's decision: number, date, signer, levels, outstanding."""
    return written(services().app.record_decision(
        actor(), year=year, number=body["number"], signed_on=body["signed_on"].isoformat(),
        signer=body["signer"], outstanding=body["outstanding"], levels=body["levels"],
        reason=body["reason"], titles=body["titles"]))


@cycles.route("/<int:year>/scoreboard")
class Scoreboard(MethodView):
    @cycles.arguments(LevelArgsSchema, location="query")
    @cycles.response(200, ScoreboardSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """Every unit with its sheets and their states, the averages of each kind of score it
        received (latest sent revisions), nominations, lateness, proposed and decided level."""
        may("registry.read")
        wait(args)
        return _found(read(q.scoreboard, year=year, level=args.get("level")),
                      f"evaluation cycle for {year}", "year")


@cycles.route("/<int:year>/progress")
class Progress(MethodView):
    @cycles.arguments(LevelArgsSchema, location="query")
    @cycles.response(200, ProgressSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """Who has not submitted, approved or sent, and the days left to each deadline."""
        may("registry.read")
        wait(args)
        today = hanoi_today(services().app.now())
        return _found(read(q.progress, year=year, today=today, level=args.get("level")),
                      f"evaluation cycle for {year}", "year")


def _table(year: int) -> dict[str, Any]:
    """The compiled table, each row naming its unit's successor if it ended during the
    cycle (the recorded table is as the council saw it; the successor is read beside it)."""
    cycle = _found(read(q.compiled, year=year), f"evaluation cycle for {year}", "year")
    levels = cycle["rules"]["levels"]  # the cycle's rule set names its own levels
    ended = read(q.ended_units, year=year)
    if cycle["compiled"] is not None:
        return {"year": year, "state": cycle["state"], "provisional": False,
                "rows": q.with_successors(cycle["compiled"], ended),
                "decision": cycle["decision"], "levels": levels}
    rows = services().app.compiled_table(year)
    return {"year": year, "state": cycle["state"], "provisional": True,
            "rows": q.with_successors(rows, ended), "decision": None, "levels": levels}


@cycles.route("/<int:year>/table")
class CompiledTable(MethodView):
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, TableSchema)
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The compiled table: as recorded at the review, or (provisional) as it stands now."""
        may("registry.read")
        wait(args)
        return _table(year)


@cycles.route("/<int:year>/table.csv")
class CompiledTableCsv(MethodView):
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, {"type": "string", "format": "binary"}, content_type="text/csv")
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The compiled table as CSV (UTF-8 with BOM, Vietnamese headers)."""
        may("registry.read")
        wait(args)
        t = _table(year)
        return Response(export.to_csv(export.rows_of(t["rows"], t["decision"], t["levels"])),
                        mimetype="text/csv", headers={  # Flask adds the charset
                            "Content-Disposition": attachment(TABLE_NAME.format(year=year,
                                                                                ext="csv"))})


@cycles.route("/<int:year>/table.xlsx")
class CompiledTableXlsx(MethodView):
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, {"type": "string", "format": "binary"}, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    def get(self, args: dict[str, Any], year: int) -> Any:
        """The compiled table as XLSX (Vietnamese headers; text cells never formulas)."""
        may("registry.read")
        wait(args)
        t = _table(year)
        return Response(export.to_xlsx(export.rows_of(t["rows"], t["decision"], t["levels"]),
                                       f"Đánh giá {year}"),
                        mimetype="application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet", headers={
                            "Content-Disposition": attachment(TABLE_NAME.format(year=year,
                                                                                ext="xlsx"))})
