"""Views of a province's evaluation of its district offices: rule sets, cycles with their
offices, comparable groups, the sheets expected, extensions and tasks; nominations and the
district cluster heads' summaries. The sheets are in the evaluation views (eval_sheets): a
district sheet is a score sheet, and its moves are recorded there."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from projections.base import BatchProjection, handles
from projections.registry import ViewContradiction

P = "thidua:"


class DistrictProjection(BatchProjection):
    name = "district"

    @staticmethod
    def _changed(curs: Any, what: str, e: Any) -> None:
        """An update that found nothing to change: the view lacks what the record holds."""
        if curs.rowcount == 0:
            raise ViewContradiction(f"{what} {e.originator_id} (version "
                                    f"{e.originator_version}) is not in the view")

    # -- rule sets -------------------------------------------------------------------------
    @handles(P + "DistrictRuleSet.Published")
    def ruleset_published(self, curs: Any, e: Any, position: int) -> None:
        c = e.content
        curs.execute("INSERT INTO dist_rulesets (id, province_id, province_code, code, version,"
                     " name, content, note, published_at, position) VALUES (%s,%s,%s,%s,%s,%s,"
                     "%s,%s,%s,%s)", (e.originator_id, e.province_id, e.province_code,
                                      c["code"], e.originator_version, c["name"], Jsonb(c),
                                      e.note, e.timestamp, position))

    @handles(P + "DistrictRuleSet.Revised")
    def ruleset_revised(self, curs: Any, e: Any, position: int) -> None:
        c = e.content
        curs.execute("INSERT INTO dist_rulesets (id, province_id, province_code, code, version,"
                     " name, content, note, published_at, position) SELECT id, province_id, "
                     "province_code, code, %s, %s, %s, %s, %s, %s FROM dist_rulesets WHERE "
                     "id = %s AND version = 1", (e.originator_version, c["name"], Jsonb(c),
                                                 e.note, e.timestamp, position,
                                                 e.originator_id))
        self._changed(curs, "district rule set", e)

    # -- cycles ----------------------------------------------------------------------------
    @handles(P + "DistrictCycle.Opened")
    def cycle_opened(self, curs: Any, e: Any, position: int) -> None:
        y, p = e.year, e.province_id
        curs.execute(
            "INSERT INTO dist_cycles (year, province_id, id, province_code, province_name, "
            "state, ruleset, rules, deadline, reference_date, history, version, position) "
            "VALUES (%s,%s,%s,%s,%s,'open',%s,%s,%s,%s,%s,%s,%s)",
            (y, p, e.originator_id, e.province_code, e.province_name, Jsonb(e.ruleset),
             Jsonb(e.rules), e.deadline, e.reference_date,
             Jsonb([{"state": "open", "at": e.at}]), e.originator_version, position))
        self._who_takes_part(curs, y, p, e)

    @staticmethod
    def _who_takes_part(curs: Any, y: int, p: str, e: Any) -> None:
        """The offices, comparable groups and sheets expected an Opened or Amended event
        gives the cycle."""
        group_of = {m: g["code"] for g in e.comparable_groups for m in g["members"]}
        code_of = {u["id"]: u["code"] for u in e.units}
        curs.executemany("INSERT INTO dist_cycle_units (year, province_id, unit_id, code, "
                         "name, group_code) VALUES (%s,%s,%s,%s,%s,%s)",
                         [(y, p, u["id"], u["code"], u["name"], group_of.get(u["id"], "district"))
                          for u in e.units])
        curs.executemany("INSERT INTO dist_comparable_groups (year, province_id, code, name, "
                         "description, members) VALUES (%s,%s,%s,%s,%s,%s)",
                         [(y, p, g["code"], g["name"], g["description"],
                           Jsonb(sorted(code_of[m] for m in g["members"])))
                          for g in e.comparable_groups])
        pairs = [("self", u["id"], u["id"]) for u in e.units] + \
            [("province_to_district", p, u["id"]) for u in e.units]
        curs.executemany("INSERT INTO dist_expected (year, province_id, kind, scorer_id, "
                         "subject_id) VALUES (%s,%s,%s,%s,%s)",
                         [(y, p, *pair) for pair in pairs])

    @handles(P + "DistrictCycle.Amended")
    def cycle_amended(self, curs: Any, e: Any, position: int) -> None:
        """The amended offices, comparable groups and tasks replace the cycle's, whole."""
        y, p = e.year, e.province_id
        curs.execute("UPDATE dist_cycles SET amendments = amendments || %s WHERE id = %s",
                     (Jsonb([{"reason": e.reason, "at": e.at, "added": e.added,
                              "removed": e.removed}]), e.originator_id))
        self._changed(curs, "district cycle", e)
        for table in ("dist_cycle_units", "dist_comparable_groups", "dist_expected",
                      "dist_tasks"):
            curs.execute(f"DELETE FROM {table} WHERE year = %s AND province_id = %s", (y, p))
        self._who_takes_part(curs, y, p, e)
        for t in e.tasks:
            self._task(curs, e, t, t["at"], position)
        self._cycle(curs, e, position)

    @handles(P + "DistrictCycle.FirstSheetSent")
    def first_sheet_sent(self, curs: Any, e: Any, position: int) -> None:
        self._cycle(curs, e, position, first_sent={"sheet_id": e.sheet_id,
                                                   "scorer_code": e.scorer_code, "at": e.at})

    def _cycle(self, curs: Any, e: Any, position: int, state: str | None = None,
               entry: dict[str, Any] | None = None, **cols: Any) -> None:
        sets = (", state=%s, history=history || %s" if state else "") + \
            "".join(f", {k}=%s" for k in cols)
        moved = (state, Jsonb([entry])) if state else ()
        curs.execute(f"UPDATE dist_cycles SET version=%s, position=%s{sets} WHERE id=%s",
                     (e.originator_version, position, *moved,
                      *[Jsonb(v) for v in cols.values()], e.originator_id))
        self._changed(curs, "district cycle", e)

    @handles(P + "DistrictCycle.TaskAssigned")
    def task_assigned(self, curs: Any, e: Any, position: int) -> None:
        self._task(curs, e, e.task, e.at, position)
        self._cycle(curs, e, position)

    def _task(self, curs: Any, e: Any, t: dict[str, Any], at: str, position: int) -> None:
        """A task of the cycle, its offices named by their codes in the cycle."""
        curs.execute(
            "INSERT INTO dist_tasks (year, province_id, code, name, criterion, assigned_on, "
            "target, unit_of_measure, units, assigned_at, position) SELECT c.year, "
            "c.province_id, %s, %s, %s, %s, %s, %s, (SELECT coalesce(jsonb_agg(u.code ORDER "
            "BY u.code), '[]') FROM dist_cycle_units u WHERE u.year = c.year AND "
            "u.province_id = c.province_id AND u.unit_id = ANY(%s::uuid[])), %s, %s FROM "
            "dist_cycles c WHERE c.id = %s",
            (t["code"], t["name"], t["criterion"], t["assigned_on"], t["target"],
             t["unit_of_measure"], t["units"], at, position, e.originator_id))
        self._changed(curs, "district cycle", e)

    @handles(P + "DistrictCycle.ExtensionGranted")
    def extension(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO dist_extensions (year, province_id, unit_id, unit_code, until,"
                     " reason, granted_at, position) SELECT year, province_id, %s, %s, %s, %s, "
                     "%s, %s FROM dist_cycles WHERE id=%s ON CONFLICT (year, province_id, "
                     "unit_id) DO UPDATE SET until=EXCLUDED.until, reason=EXCLUDED.reason, "
                     "granted_at=EXCLUDED.granted_at, position=EXCLUDED.position",
                     (e.unit_id, e.unit_code, e.until, e.reason, e.at, position,
                      e.originator_id))
        self._changed(curs, "district cycle", e)
        self._cycle(curs, e, position)

    @handles(P + "DistrictCycle.Closed")
    def closed(self, curs: Any, e: Any, position: int) -> None:
        self._cycle(curs, e, position, "closed", {"state": "closed", "at": e.at})

    @handles(P + "DistrictCycle.ReviewBegun")
    def review_begun(self, curs: Any, e: Any, position: int) -> None:
        self._cycle(curs, e, position, "under_review",
                    {"state": "under_review", "at": e.at, "meeting": e.meeting},
                    compiled=e.table)

    @handles(P + "DistrictCycle.Decided")
    def decided(self, curs: Any, e: Any, position: int) -> None:
        self._cycle(curs, e, position, "decided", {"state": "decided", "at": e.at},
                    decision=e.decision)
        for n in e.decision["nominations"]:
            curs.execute("UPDATE dist_nominations SET outcome=%s, position=%s WHERE id=%s",
                         (n["outcome"], position, n["id"]))
            self._changed(curs, "district nomination", e)

    # -- nominations and summaries -----------------------------------------------------------
    @handles(P + "DistrictNomination.Submitted")
    def nominated(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO dist_nominations (id, year, province_id, province_code, proposer_id, "
            "proposer_code, subject_id, subject_code, basis, justification, state, late, "
            "version, updated_at, position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'submitted',"
            "%s,%s,%s,%s)",
            (e.originator_id, e.year, e.province_id, e.province_code, e.proposer_id,
             e.proposer_code, e.subject_id, e.subject_code, e.basis, e.justification, e.late,
             e.originator_version, e.at, position))

    @handles(P + "DistrictNomination.Withdrawn")
    def withdrawn(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE dist_nominations SET state='withdrawn', version=%s, updated_at=%s,"
                     " position=%s WHERE id=%s",
                     (e.originator_version, e.at, position, e.originator_id))
        self._changed(curs, "district nomination", e)

    @handles(P + "DistrictNomination.Resubmitted")
    def renominated(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE dist_nominations SET state='submitted', justification=%s, late=%s,"
                     " version=%s, updated_at=%s, position=%s WHERE id=%s",
                     (e.justification, e.late, e.originator_version, e.at, position,
                      e.originator_id))
        self._changed(curs, "district nomination", e)

    @handles(P + "DistrictClusterSummary.Sent")
    def summary_sent(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO dist_summaries (id, year, province_id, group_id, group_code, head_id, "
            "head_code, members, rows, average, not_sent, late, sends, version, sent_at, "
            "position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,1,%s,%s,%s)",
            (e.originator_id, e.year, e.province_id, e.group_id, e.group_code, e.head_id,
             e.head_code, Jsonb(e.members), Jsonb(e.rows), e.average, Jsonb(e.not_sent),
             e.late, e.originator_version, e.at, position))

    @handles(P + "DistrictClusterSummary.Resent")
    def summary_resent(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE dist_summaries SET head_id=%s, head_code=%s, members=%s, rows=%s, "
                     "average=%s, not_sent=%s, late=%s, sends=sends+1, version=%s, sent_at=%s, "
                     "position=%s WHERE id=%s",
                     (e.head_id, e.head_code, Jsonb(e.members), Jsonb(e.rows), e.average,
                      Jsonb(e.not_sent), e.late, e.originator_version, e.at, position,
                      e.originator_id))
        self._changed(curs, "district cluster summary", e)
