"""Views of the annual evaluation: rule sets, cycles and who scores whom, score sheets with
every revision and move, nominations, field reports and cluster summaries. Who scores whom is
the domain's one statement of it (domain/evaluation/scoring.py), applied to the Opened event."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from domain.evaluation.draft import about
from domain.evaluation.scoring import ScoringPlan
from projections.base import BatchProjection, handles

P = "thidua:"
COPY_MOVES = ("COPY eval_sheet_moves (position, sheet_id, revision, step, at, user_id, "
              "user_name, role, reason) FROM STDIN")


class EvaluationProjection(BatchProjection):
    name = "evaluation"
    pipelined = True  # no handler here reads

    # -- rule sets -------------------------------------------------------------------------
    @handles(P + "RuleSet.Published", P + "RuleSet.Revised")
    def ruleset_version(self, curs: Any, e: Any, position: int) -> None:
        c = e.content
        curs.execute("INSERT INTO eval_rulesets (code, version, name, content, note, "
                     "published_at, position) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                     (c["code"], e.originator_version, c["name"], Jsonb(c), e.note,
                      e.timestamp, position))

    # -- cycles ----------------------------------------------------------------------------
    @handles(P + "EvaluationCycle.Opened")
    def cycle_opened(self, curs: Any, e: Any, position: int) -> None:
        y = e.year
        curs.execute(
            "INSERT INTO eval_cycles (year, id, state, ruleset_code, ruleset_version, rules, "
            "deadline, reference_date, standing_office, history, version, position) VALUES "
            "(%s,%s,'open',%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (y, e.originator_id, e.ruleset["code"], e.ruleset["version"], Jsonb(e.rules),
             e.deadline, getattr(e, "reference_date", None) or f"{y}-12-31",
             e.standing_office, Jsonb([{"state": "open", "at": e.at}]),
             e.originator_version, position))
        self._who_scores_whom(curs, y, e)

    @staticmethod
    def _who_scores_whom(curs: Any, y: int, e: Any) -> None:
        curs.executemany("INSERT INTO eval_cycle_units (year, unit_id, code, name, level) "
                         "VALUES (%s,%s,%s,%s,%s)",
                         [(y, u["id"], u["code"], u["name"], u["level"]) for u in e.units])
        curs.executemany("INSERT INTO eval_monitoring (year, unit_id, code, field) VALUES "
                         "(%s,%s,%s,%s)",
                         [(y, m["unit_id"], m["code"], m["field"]) for m in e.monitoring])
        curs.executemany("INSERT INTO eval_field_units (year, item, unit_id, code, topic, "
                         "about) VALUES (%s,%s,%s,%s,%s,%s)",
                         [(y, f["item"], f["unit_id"], f["code"], f["topic"], Jsonb(about(f)))
                          for f in e.field_units])
        plan = ScoringPlan.of(e.units, e.monitoring, e.organisation_scoring)
        curs.executemany("INSERT INTO eval_expected (year, kind, scorer_id, subject_id) "
                         "VALUES (%s,%s,%s,%s)", [(y, *pair) for pair in plan.pairs()])

    @handles(P + "EvaluationCycle.Amended")
    def cycle_amended(self, curs: Any, e: Any, position: int) -> None:
        """The amended lists replace the cycle's, whole."""
        y = e.year
        curs.execute("UPDATE eval_cycles SET amendments = amendments || %s, version=%s, "
                     "position=%s WHERE id=%s",
                     (Jsonb([{"reason": e.reason, "at": e.at, "added": e.added,
                              "removed": e.removed}]), e.originator_version, position,
                      e.originator_id))
        for table in ("eval_cycle_units", "eval_monitoring", "eval_field_units",
                      "eval_expected"):
            curs.execute(f"DELETE FROM {table} WHERE year = %s", (y,))
        self._who_scores_whom(curs, y, e)

    @handles(P + "EvaluationCycle.ComparableGroupsDeclared")
    def groups_declared(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_cycles SET comparable_groups=%s, version=%s, position=%s "
                     "WHERE id=%s", (Jsonb(e.groups), e.originator_version, position,
                                     e.originator_id))

    @handles(P + "EvaluationCycle.FirstSheetSent")
    def first_sheet_sent(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_cycles SET first_sent=%s, version=%s, position=%s WHERE id=%s",
                     (Jsonb({"sheet_id": e.sheet_id, "scorer_code": e.scorer_code,
                             "at": e.at}), e.originator_version, position, e.originator_id))

    def _cycle_move(self, curs: Any, e: Any, position: int, state: str,
                    entry: dict[str, Any], **cols: Any) -> None:
        sets = "".join(f", {k}=%s" for k in cols)
        curs.execute(f"UPDATE eval_cycles SET state=%s, history=history || %s, version=%s, "
                     f"position=%s{sets} WHERE id=%s",
                     (state, Jsonb([entry]), e.originator_version, position,
                      *[Jsonb(v) for v in cols.values()], e.originator_id))

    @handles(P + "EvaluationCycle.Closed")
    def cycle_closed(self, curs: Any, e: Any, position: int) -> None:
        self._cycle_move(curs, e, position, "closed", {"state": "closed", "at": e.at})

    @handles(P + "EvaluationCycle.ReviewBegun")
    def review_begun(self, curs: Any, e: Any, position: int) -> None:
        self._cycle_move(curs, e, position, "under_review",
                         {"state": "under_review", "at": e.at, "meeting": e.meeting},
                         compiled=e.table)

    @handles(P + "EvaluationCycle.Decided")
    def decided(self, curs: Any, e: Any, position: int) -> None:
        self._cycle_move(curs, e, position, "decided", {"state": "decided", "at": e.at},
                         decision=e.decision)
        curs.executemany("UPDATE eval_nominations SET outcome=%s, position=%s WHERE id=%s",
                         [(n["outcome"], position, n["id"]) for n in e.decision["nominations"]])

    @handles(P + "EvaluationCycle.ExtensionGranted")
    def extension(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO eval_extensions (year, unit_id, until, reason, granted_at, "
                     "position) SELECT year, %s, %s, %s, %s, %s FROM eval_cycles WHERE id=%s "
                     "ON CONFLICT (year, unit_id) DO UPDATE SET until=EXCLUDED.until, "
                     "reason=EXCLUDED.reason, granted_at=EXCLUDED.granted_at, "
                     "position=EXCLUDED.position",
                     (e.unit_id, e.until, e.reason, e.at, position, e.originator_id))
        curs.execute("UPDATE eval_cycles SET version=%s, position=%s WHERE id=%s",
                     (e.originator_version, position, e.originator_id))

    # -- score sheets ----------------------------------------------------------------------
    def _move(self, curs: Any, e: Any, position: int, revision: int, step: str) -> None:
        a = e.actor or {}
        self.append_row(COPY_MOVES, (position, e.originator_id, revision, step, e.at,
                                     a.get("user_id"), a.get("user_name"), a.get("role"),
                                     getattr(e, "reason", None)))

    def _sheet(self, curs: Any, e: Any, position: int, **cols: Any) -> None:
        sets = "".join(f", {k}=%s" for k in cols)
        curs.execute(f"UPDATE eval_sheets SET version=%s, updated_at=%s, position=%s{sets} "
                     "WHERE id=%s", (e.originator_version, e.at, position, *cols.values(),
                                     e.originator_id))

    def _revision_and_sheet(self, curs: Any, e: Any, position: int, revision: dict[str, Any],
                            sheet: dict[str, Any]) -> None:
        """The revision's columns and the sheet's in one statement."""
        rsets = ", ".join(f"{k}=%s" for k in revision)
        ssets = "".join(f", {k}=%s" for k in sheet)
        curs.execute(f"WITH r AS (UPDATE eval_sheet_revisions SET {rsets} WHERE sheet_id=%s "
                     f"AND revision=%s) UPDATE eval_sheets SET version=%s, updated_at=%s, "
                     f"position=%s{ssets} WHERE id=%s",
                     (*revision.values(), e.originator_id, e.revision, e.originator_version,
                      e.at, position, *sheet.values(), e.originator_id))

    def _revision(self, curs: Any, e: Any, **cols: Any) -> None:
        sets = ", ".join(f"{k}=%s" for k in cols)
        curs.execute(f"UPDATE eval_sheet_revisions SET {sets} WHERE sheet_id=%s AND "
                     "revision=%s", (*cols.values(), e.originator_id, e.revision))

    @handles(P + "ScoreSheet.Started")
    def sheet_started(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO eval_sheets (id, year, kind, scorer_id, scorer_code, subject_id, "
            "subject_code, needs_approval, revision, state, version, updated_at, position, "
            "ruleset) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,1,'draft',%s,%s,%s,%s)",
            (e.originator_id, e.year, e.kind, e.scorer_id, e.scorer_code, e.subject_id,
             e.subject_code, e.needs_approval, e.originator_version, e.at, position,
             Jsonb(e.ruleset)))
        curs.execute("INSERT INTO eval_sheet_revisions (sheet_id, revision, state, scores, "
                     "started_at) VALUES (%s,1,'draft','{}',%s)", (e.originator_id, e.at))
        self._move(curs, e, position, 1, "started")

    @handles(P + "ScoreSheet.ScoresWritten")
    def sheet_written(self, curs: Any, e: Any, position: int) -> None:
        self._revision_and_sheet(curs, e, position, {"scores": Jsonb(e.scores), "total": e.total,
                                                     "level": e.level, "state": e.state},
                                 {"state": e.state, "total": e.total, "level": e.level})
        self._move(curs, e, position, e.revision, "written")

    @handles(P + "ScoreSheet.Submitted")
    def sheet_submitted(self, curs: Any, e: Any, position: int) -> None:
        self._revision_and_sheet(curs, e, position, {"state": "submitted", "late": e.late,
                                                     "submitted_by": e.by, "submitted_at": e.at},
                                 {"state": "submitted", "late": e.late})
        self._move(curs, e, position, e.revision, "submitted")

    @handles(P + "ScoreSheet.Approved")
    def sheet_approved(self, curs: Any, e: Any, position: int) -> None:
        self._revision_and_sheet(curs, e, position, {"state": "approved", "approved_by": e.by},
                                 {"state": "approved"})
        self._move(curs, e, position, e.revision, "approved")

    @handles(P + "ScoreSheet.Returned")
    def sheet_returned(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_sheet_revisions SET state='returned', approved_by=NULL, "
                     "returns = returns || %s WHERE sheet_id=%s AND revision=%s",
                     (Jsonb([{"reason": e.reason, "by": e.by, "at": e.at}]), e.originator_id,
                      e.revision))
        self._sheet(curs, e, position, state="returned")
        self._move(curs, e, position, e.revision, "returned")

    @handles(P + "ScoreSheet.Sent")
    def sheet_sent(self, curs: Any, e: Any, position: int) -> None:
        self._revision(curs, e, state="sent", sent_at=e.at)
        curs.execute("UPDATE eval_sheets SET state='sent', sent_revision=revision, "
                     "sent_total=total, sent_level=level, sent_late=late, version=%s, "
                     "updated_at=%s, position=%s WHERE id=%s",
                     (e.originator_version, e.at, position, e.originator_id))
        self._move(curs, e, position, e.revision, "sent")

    @handles(P + "ScoreSheet.CorrectionOpened")
    def sheet_corrected(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO eval_sheet_revisions (sheet_id, revision, state, scores, "
                     "total, level, reason, started_at) VALUES (%s,%s,'draft',%s,%s,%s,%s,%s)",
                     (e.originator_id, e.revision, Jsonb(e.scores), e.total, e.level, e.reason,
                      e.at))
        self._sheet(curs, e, position, revision=e.revision, state="draft", total=e.total,
                    level=e.level, late=False)
        self._move(curs, e, position, e.revision, "correction_opened")

    # -- nominations, field reports, summaries -----------------------------------------------
    @handles(P + "Nomination.Submitted")
    def nominated(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO eval_nominations (id, year, proposer_id, proposer_code, subject_id, "
            "subject_code, basis, justification, state, late, needs_approval, version, "
            "updated_at, position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,'submitted',%s,%s,%s,%s,%s)",
            (e.originator_id, e.year, e.proposer_id, e.proposer_code, e.subject_id,
             e.subject_code, e.basis, e.justification, e.late,
             bool(getattr(e, "needs_approval", False)), e.originator_version, e.at, position))

    @handles(P + "Nomination.Withdrawn")
    def withdrawn(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_nominations SET state='withdrawn', version=%s, updated_at=%s, "
                     "position=%s WHERE id=%s",
                     (e.originator_version, e.at, position, e.originator_id))

    @handles(P + "Nomination.Resubmitted")
    def renominated(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_nominations SET state='submitted', justification=%s, late=%s,"
                     " approved_by=NULL, version=%s, updated_at=%s, position=%s WHERE id=%s",
                     (e.justification, e.late, e.originator_version, e.at, position,
                      e.originator_id))

    @handles(P + "Nomination.Approved")
    def nomination_approved(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_nominations SET state='approved', approved_by=%s, version=%s,"
                     " updated_at=%s, position=%s WHERE id=%s",
                     (e.by, e.originator_version, e.at, position, e.originator_id))

    @handles(P + "Nomination.Returned")
    def nomination_returned(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_nominations SET state='returned', approved_by=NULL, "
                     "returns = returns || %s, version=%s, updated_at=%s, position=%s "
                     "WHERE id=%s",
                     (Jsonb([{"reason": e.reason, "by": e.by, "at": e.at}]),
                      e.originator_version, e.at, position, e.originator_id))

    @handles(P + "FieldReport.Submitted")
    def reported(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO eval_field_reports (id, year, reporter_id, reporter_code, province_id,"
            " province_code, subject_level, item, figures, lists, assessment, late, "
            "submissions, version, updated_at, position) VALUES "
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,1,%s,%s,%s)",
            (e.originator_id, e.year, e.reporter_id, e.reporter_code, e.province_id,
             e.province_code, getattr(e, "subject_level", None) or "province", e.item,
             Jsonb(e.figures), Jsonb(e.lists), e.assessment, e.late, e.originator_version,
             e.at, position))

    @handles(P + "FieldReport.Resubmitted")
    def rereported(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE eval_field_reports SET figures=%s, lists=%s, assessment=%s, "
                     "late=%s, submissions=submissions+1, version=%s, updated_at=%s, "
                     "position=%s WHERE id=%s",
                     (Jsonb(e.figures), Jsonb(e.lists), e.assessment, e.late,
                      e.originator_version, e.at, position, e.originator_id))

    @handles(P + "ClusterSummary.Sent", P + "ClusterSummary.Resent")
    def summary_sent(self, curs: Any, e: Any, position: int) -> None:
        if e.originator_version == 1:
            curs.execute(
                "INSERT INTO eval_summaries (id, year, group_id, group_code, head_id, "
                "head_code, members, rows, not_sent, late, sends, version, sent_at, position) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,1,%s,%s,%s)",
                (e.originator_id, e.year, e.group_id, e.group_code, e.head_id, e.head_code,
                 Jsonb(e.members), Jsonb(e.rows), Jsonb(e.not_sent), e.late,
                 e.originator_version, e.at, position))
            return
        curs.execute("UPDATE eval_summaries SET head_id=%s, head_code=%s, members=%s, rows=%s, "
                      "not_sent=%s, late=%s, sends=sends+1, version=%s, sent_at=%s, "
                      "position=%s WHERE id=%s",
                      (e.head_id, e.head_code, Jsonb(e.members), Jsonb(e.rows),
                       Jsonb(e.not_sent), e.late, e.originator_version, e.at, position,
                       e.originator_id))
