"""A province's evaluation of its district offices (4268 A.I.5): its rule sets, its cycle of
a year (open → closed → under review → decided), the unplanned tasks it assigns, extensions,
the scoreboard, the compiled table, the review and its director's decision."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.district.ruleset import sample_district_ruleset
from domain.evaluation.cycle import hanoi_today, opened_after_deadline
from domain.evaluation.rules import deadline_included, last_day
from domain.evaluation.ruleset import extension_limit_days
from domain.kernel.errors import NotFound
from projections import queries_district as q
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.extensions.download import attachment
from web.resources.district import export as district_export
from web.resources.district.schemas import (
    DistrictCloseInSchema,
    DistrictCycleOpenSchema,
    DistrictCyclePageSchema,
    DistrictCycleQueryArgsSchema,
    DistrictCycleSchema,
    DistrictCycleWrittenSchema,
    DistrictDecisionInSchema,
    DistrictDecisionWrittenSchema,
    DistrictExtensionInSchema,
    DistrictExtensionWrittenSchema,
    DistrictReviewInSchema,
    DistrictReviewWrittenSchema,
    DistrictRuleSetDetailSchema,
    DistrictRuleSetInSchema,
    DistrictRuleSetPageSchema,
    DistrictRuleSetQueryArgsSchema,
    DistrictRuleSetVersionArgsSchema,
    DistrictRuleSetWrittenSchema,
    DistrictSampleArgsSchema,
    DistrictScoreboardSchema,
    DistrictTableSchema,
    TaskInSchema,
    TaskWrittenSchema,
)
from web.resources.district.schemas_amend import (
    DistrictAmendmentInSchema,
    DistrictAmendmentWrittenSchema,
)
from web.resources.evaluation import export

rulesets = Blueprint("district_rulesets", __name__, url_prefix="/district-evaluation/rulesets",
                     description="Tiêu chí thi đua của BHXH tỉnh đối với BHXH cấp huyện: a "
                                 "province's versioned criteria for its district offices.")
cycles = Blueprint("district_cycles", __name__, url_prefix="/district-evaluation/cycles",
                   description="A province's evaluation of its district offices for a year: "
                               "open → closed → under review → decided; comparable groups, "
                               "unplanned tasks, extensions, scoreboard, compiled table, the "
                               "decision its director signs.")


def wait(args: dict[str, Any]) -> None:
    """Read-your-writes over both views a district read joins: the district views and the
    score sheets (evaluation views)."""
    wait_for(dict(args), "evaluation")
    wait_for(args, "district")


def found(value: Any, what: str, field: str = "year") -> Any:
    if value is None:
        raise NotFound(f"There is no {what}.", field=field, rule="exists")
    return value


def _cycle_name(province_code: str, year: int) -> str:
    return f"evaluation of the district offices of {province_code} for {year}"


# -- rule sets ----------------------------------------------------------------------------
@rulesets.route("")
class DistrictRuleSets(MethodView):
    @may("registry.read")
    @rulesets.arguments(DistrictRuleSetQueryArgsSchema, location="query")
    @rulesets.response(200, DistrictRuleSetPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The provinces' rule sets for their district offices, every version of each."""
        wait(args)
        return read(q.list_rulesets, province=args.get("province"), code=args.get("code"),
                    page=args["page"], size=args["page_size"])

    @rulesets.arguments(DistrictRuleSetInSchema)
    @rulesets.response(201, DistrictRuleSetWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Publish your province's rule set for its district offices, or its next version
        (the province's officers and director). Old versions stay readable; a cycle keeps
        the version it was opened with."""
        return written(services().app.publish_district_ruleset(actor(), **body))


@rulesets.route("/sample")
class DistrictSampleRuleSet(MethodView):
    @may("registry.read")
    @rulesets.arguments(DistrictSampleArgsSchema, location="query")
    @rulesets.response(200, DistrictRuleSetDetailSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """A SAMPLE of criteria for BHXH cơ sở to start from (illustrative wording, not a
        province's own): publish it under your province, changed as you need."""
        content = sample_district_ruleset()
        return {"code": content["code"], "name": content["name"], "content": content}


@rulesets.route("/<string:province_code>/<string:code>")
class DistrictRuleSetDetail(MethodView):
    @may("registry.read")
    @rulesets.arguments(DistrictRuleSetVersionArgsSchema, location="query")
    @rulesets.response(200, DistrictRuleSetDetailSchema)
    def get(self, args: dict[str, Any], province_code: str, code: str) -> Any:
        """One version of a province's rule set (default: the latest), whole."""
        wait(args)
        return found(read(q.ruleset_version, province=province_code, code=code,
                          version=args.get("version")),
                     f"rule set {code} of {province_code} (of that version)", "code")


# -- cycles -------------------------------------------------------------------------------
@cycles.route("")
class DistrictCycles(MethodView):
    @may("registry.read")
    @cycles.arguments(DistrictCycleQueryArgsSchema, location="query")
    @cycles.response(200, DistrictCyclePageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The provinces' cycles, by year, province or state."""
        wait(args)
        return read(q.list_cycles, year=args.get("year"), province=args.get("province"),
                    state=args.get("state"), page=args["page"], size=args["page_size"])

    @cycles.arguments(DistrictCycleOpenSchema)
    @cycles.response(201, DistrictCycleWrittenSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Open your province's evaluation of its district offices for a year, with a
        version of its rule set and its comparable groups (the province's officers and
        director, for their own province only)."""
        for day in ("deadline", "reference_date"):
            if body[day] is not None:
                body[day] = body[day].isoformat()
        return written(services().app.open_district_cycle(actor(), **body))


@cycles.route("/<string:province_code>/<int:year>")
class DistrictCycleDetail(MethodView):
    @may("registry.read")
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, DistrictCycleSchema)
    def get(self, args: dict[str, Any], province_code: str, year: int) -> Any:
        """The cycle: state and history, rule set, offices and comparable groups, tasks,
        extensions, amendments, the decision; its deadline's last day in time and whether it
        was opened after it."""
        wait(args)
        cycle = found(read(q.cycle_detail, year=year, province=province_code),
                      _cycle_name(province_code, year))
        rules = cycle["rules"]
        return {**cycle, "deadline_included": deadline_included(rules),
                "last_day": last_day(rules, cycle["deadline"]),
                "extension_limit_days": extension_limit_days(rules),
                "opened_after_deadline": opened_after_deadline(
                    cycle["deadline"].isoformat(), cycle["history"][0]["at"])}


@cycles.route("/<string:province_code>/<int:year>/amendments", methods=["POST"])
@cycles.arguments(DistrictAmendmentInSchema)
@cycles.response(201, DistrictAmendmentWrittenSchema)
def amend_cycle(body: dict[str, Any], province_code: str, year: int) -> Any:
    """Amend the cycle's district offices, comparable groups or unplanned tasks, with the
    reason (the province's officers and director), until its first sheet is sent. Each list
    given replaces the cycle's; the whole is checked again on the cycle's reference date."""
    return written(services().app.amend_district_cycle(
        actor(), year=year, province_code=province_code, **body))


@cycles.route("/<string:province_code>/<int:year>/tasks", methods=["POST"])
@cycles.arguments(TaskInSchema)
@cycles.response(201, TaskWrittenSchema)
def assign_task(body: dict[str, Any], province_code: str, year: int) -> Any:
    """Record an unplanned task (nhiệm vụ đột xuất) the province assigns, under a criterion
    of the cycle's rule set that scores unplanned tasks."""
    body["assigned_on"] = body["assigned_on"].isoformat()
    return written(services().app.assign_district_task(
        actor(), year=year, province_code=province_code, **body))


@cycles.route("/<string:province_code>/<int:year>/extensions", methods=["POST"])
@cycles.arguments(DistrictExtensionInSchema)
@cycles.response(201, DistrictExtensionWrittenSchema)
def grant_extension(body: dict[str, Any], province_code: str, year: int) -> Any:
    """Extend the deadline for one unit of the cycle, with the reason (the province)."""
    return written(services().app.grant_district_extension(
        actor(), year=year, province_code=province_code, unit_code=body["unit_code"],
        until=body["until"].isoformat(), reason=body["reason"]))


@cycles.route("/<string:province_code>/<int:year>/close", methods=["POST"])
@cycles.arguments(DistrictCloseInSchema)
@cycles.response(200, DistrictCycleWrittenSchema)
def close_cycle(body: dict[str, Any], province_code: str, year: int) -> Any:
    """Close the cycle for submissions (the province)."""
    return written(services().app.close_district_cycle(
        actor(), year=year, province_code=province_code, reason=body["reason"]))


@cycles.route("/<string:province_code>/<int:year>/review", methods=["POST"])
@cycles.arguments(DistrictReviewInSchema)
@cycles.response(200, DistrictReviewWrittenSchema)
def begin_review(body: dict[str, Any], province_code: str, year: int) -> Any:
    """Compile everything sent and record the table the province reviews (the cycle must be
    closed)."""
    return written(services().app.begin_district_review(
        actor(), year=year, province_code=province_code,
        meeting_date=body["meeting_date"].isoformat(), note=body["note"]))


@cycles.route("/<string:province_code>/<int:year>/decision", methods=["POST"])
@cycles.arguments(DistrictDecisionInSchema)
@cycles.response(201, DistrictDecisionWrittenSchema)
def record_decision(body: dict[str, Any], province_code: str, year: int) -> Any:
    """Record the decision the province's director signs: number, date, signer, each
    office's level, the outstanding offices, and the titles awarded on its district
    clusters' judging proposals (the province's unit head)."""
    return written(services().app.record_district_decision(
        actor(), year=year, province_code=province_code, number=body["number"],
        signed_on=body["signed_on"].isoformat(), signer=body["signer"],
        outstanding=body["outstanding"], levels=body["levels"], reason=body["reason"],
        titles=body["titles"]))


@cycles.route("/<string:province_code>/<int:year>/scoreboard")
class DistrictScoreboard(MethodView):
    @may("registry.read")
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, DistrictScoreboardSchema)
    def get(self, args: dict[str, Any], province_code: str, year: int) -> Any:
        """Every office: its deadline and days left, its self sheet and the province's sheet
        of it, nominations, lateness, proposed and decided level."""
        wait(args)
        today = hanoi_today(services().app.now())
        return found(read(q.scoreboard, year=year, province=province_code, today=today),
                     _cycle_name(province_code, year))


def _table(year: int, province_code: str) -> dict[str, Any]:
    """The compiled table: as recorded at the review, or (provisional) as it stands now."""
    cycle = found(read(q.compiled, year=year, province=province_code),
                  _cycle_name(province_code, year))
    recorded = cycle["table"] is not None
    rows = cycle["table"] if recorded else \
        services().app.district_table(year, province_code)
    return {"year": year, "province_code": province_code, "state": cycle["state"],
            "provisional": not recorded, "rows": rows, "decision": cycle["decision"],
            "levels": cycle["rules"]["levels"], "group_names": cycle["group_names"]}


@cycles.route("/<string:province_code>/<int:year>/table")
class DistrictTable(MethodView):
    @may("registry.read")
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, DistrictTableSchema)
    def get(self, args: dict[str, Any], province_code: str, year: int) -> Any:
        """The compiled table: as recorded at the review, or (provisional) as it stands now."""
        wait(args)
        return _table(year, province_code)


# the compiled table's file, as a province files it
TABLE_NAME = "Bảng tổng hợp đánh giá, xếp loại BHXH cấp huyện năm {year} - {province}.{ext}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(year: int, province_code: str) -> list[list[Any]]:
    t = _table(year, province_code)
    return district_export.rows_of(t["rows"], t["decision"], t["levels"], t["group_names"])


@cycles.route("/<string:province_code>/<int:year>/table.csv")
class DistrictTableCsv(MethodView):
    @may("registry.read")
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, {"type": "string", "format": "binary"}, content_type="text/csv")
    def get(self, args: dict[str, Any], province_code: str, year: int) -> Any:
        """The compiled table as CSV (UTF-8 with BOM, Vietnamese headers and words, as the
        sector's table)."""
        wait(args)
        name = TABLE_NAME.format(year=year, province=province_code, ext="csv")
        return Response(export.to_csv(_cells(year, province_code), district_export.HEADERS),
                        mimetype="text/csv", headers={"Content-Disposition": attachment(name)})


@cycles.route("/<string:province_code>/<int:year>/table.xlsx")
class DistrictTableXlsx(MethodView):
    @may("registry.read")
    @cycles.arguments(WaitArgsSchema, location="query")
    @cycles.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
    def get(self, args: dict[str, Any], province_code: str, year: int) -> Any:
        """The compiled table as XLSX (Vietnamese headers; scores as numbers, text cells
        never formulas)."""
        wait(args)
        name = TABLE_NAME.format(year=year, province=province_code, ext="xlsx")
        data = export.to_xlsx(_cells(year, province_code), f"{province_code} {year}",
                              district_export.HEADERS, district_export.NUMERIC)
        return Response(data, mimetype=XLSX, headers={"Content-Disposition": attachment(name)})
