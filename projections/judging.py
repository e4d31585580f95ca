"""Views of the groups' annual judging (projection "judging"), and of what the decisions
awarded on its proposals: the council's on the blocks' and provincial clusters', a
province's on its district clusters'.

Secret ballots: a ``BallotCast`` event fills only ``judging_turnout`` (who voted for which
title; its sealed marks are never copied), and ``BallotsCounted`` fills ``judging_ballots``
(anonymous ballots). No row anywhere holds a voter and a choice together.
"""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from projections.base import BatchProjection, handles
from projections.registry import ViewContradiction

P = "thidua:"


class JudgingProjection(BatchProjection):
    name = "judging"

    # -- rules ---------------------------------------------------------------------------------
    @handles(P + "JudgingRuleSet.Set", P + "JudgingRuleSet.Revised")
    def rules_set(self, curs: Any, e: Any, position: int) -> None:
        if hasattr(e, "year"):
            year = int(e.year)
        else:
            curs.execute("SELECT year FROM judging_rule_sets WHERE rule_set_id = %s LIMIT 1",
                         (e.originator_id,))
            year = int(curs.fetchone()["year"])
        curs.execute("INSERT INTO judging_rule_sets (year, version, rule_set_id, rules, reason,"
                     " set_at, position) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                     (year, e.originator_version, e.originator_id, Jsonb(e.rules), e.reason,
                      e.timestamp, position))

    # -- judgings ------------------------------------------------------------------------------
    def _touch(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE judgings SET version = %s, position = %s WHERE id = %s",
                     (e.originator_version, position, e.originator_id))

    def _round(self, curs: Any, e: Any, position: int, **changes: Any) -> None:
        sets = ", ".join(f"{k} = %s" for k in changes)
        curs.execute(f"UPDATE judging_rounds SET {sets} WHERE judging_id = %s AND round = %s",
                     (*changes.values(), e.originator_id, e.round_no))
        if curs.rowcount != 1:
            raise ViewContradiction(f"{type(e).__name__} of round {e.round_no} of judging "
                                    f"{e.originator_id}, which the view does not hold")
        self._touch(curs, e, position)

    @handles(P + "Judging.Created")
    def created(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO judgings (id, group_id, year, rounds, version, position) "
                     "VALUES (%s, %s, %s, 0, %s, %s)",
                     (e.originator_id, e.group_id, e.year, e.originator_version, position))

    @handles(P + "Judging.RoundOpened")
    def round_opened(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE judgings SET rounds = %s WHERE id = %s RETURNING year",
                     (e.round_no, e.originator_id))
        year = curs.fetchone()["year"]
        curs.execute(
            "INSERT INTO judging_rounds (judging_id, round, year, meeting_date, place, status, "
            "members, present, rules, rules_version, places, reason, opened_at) VALUES "
            "(%s, %s, %s, %s, %s, 'open', %s, %s, %s, %s, %s, %s, %s)",
            (e.originator_id, e.round_no, year, e.meeting_date, e.place, e.members, e.present,
             Jsonb(e.rules), e.rules_version, Jsonb(e.places), e.reason, e.timestamp))
        self._touch(curs, e, position)

    @handles(P + "Judging.CandidatePutForward")
    def candidate(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO judging_candidates (judging_id, round, title, unit_id, "
                     "ordinal, put_at) VALUES (%s, %s, %s, %s, (SELECT count(*) + 1 FROM "
                     "judging_candidates WHERE judging_id = %s AND round = %s AND title = %s),"
                     " %s)", (e.originator_id, e.round_no, e.title, e.unit_id,
                              e.originator_id, e.round_no, e.title, e.timestamp))
        self._touch(curs, e, position)

    @handles(P + "Judging.BallotCast")
    def ballot_cast(self, curs: Any, e: Any, position: int) -> None:
        # who voted, for which title: nothing of the marks
        curs.execute("INSERT INTO judging_turnout (judging_id, round, title, voter_id) "
                     "VALUES (%s, %s, %s, %s)", (e.originator_id, e.round_no, e.title, e.voter))
        self._touch(curs, e, position)

    @handles(P + "Judging.BallotsCounted")
    def ballots_counted(self, curs: Any, e: Any, position: int) -> None:
        curs.executemany("INSERT INTO judging_ballots (judging_id, round, ballot_no, title, "
                         "marks) VALUES (%s, %s, %s, %s, %s)",
                         [(e.originator_id, e.round_no, b["ballot_no"], b["title"],
                           list(b["marks"])) for b in e.ballots])
        self._touch(curs, e, position)

    @handles(P + "Judging.ResultDeclared")
    def declared(self, curs: Any, e: Any, position: int) -> None:
        r = e.result
        self._round(curs, e, position, status="declared", declared_at=e.declared_at,
                    outcome=r["outcome"], quorum=Jsonb(r["quorum"]), titles=Jsonb(r["titles"]))
        curs.execute("SELECT group_id, year FROM judgings WHERE id = %s", (e.originator_id,))
        j = curs.fetchone()
        rows = [(e.originator_id, j["year"], j["group_id"], title, unit, e.round_no,
                 t["votes"][unit]) for title, t in r["titles"].items() for unit in t["proposed"]]
        if rows:
            curs.executemany("INSERT INTO judging_proposals (judging_id, year, group_id, title, "
                             "unit_id, round, votes) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)

    @handles(P + "Judging.RoundAnnulled")
    def annulled(self, curs: Any, e: Any, position: int) -> None:
        self._round(curs, e, position, status="annulled", annulled_at=e.timestamp,
                    annul_reason=e.reason, outcome="annulled")

    # -- the decisions: the council's, and a province's on its district offices -----------------
    @handles(P + "EvaluationCycle.Decided", P + "DistrictCycle.Decided")
    def decided(self, curs: Any, e: Any, position: int) -> None:
        """The titles the decision awarded on the proposals it rules on (a decision naming
        none leaves them undecided)."""
        for p in e.decision.get("proposals", ()):
            curs.execute("UPDATE judging_proposals SET outcome = %s, decision_number = %s, "
                         "decided_at = %s WHERE judging_id = %s AND title = %s AND unit_id = %s",
                         (p["outcome"], e.decision["number"], e.timestamp, p["judging_id"],
                          p["title"], p["unit_id"]))
            if curs.rowcount != 1:
                raise ViewContradiction(f"The decision {e.decision['number']} rules on a "
                                        f"proposal of {p['code']} for '{p['title']}' that the "
                                        "view does not hold")
