"""Views of elections of group heads, terms of office and covenants (projection "elections").

Secret ballots: a ``BallotCast`` event fills only ``election_turnout`` (who voted for which
seat; its sealed choice is never copied), and ``BallotsCounted`` fills ``election_ballots``
(anonymous ballots). No row anywhere holds a voter and a choice together.
"""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from projections.base import BatchProjection, handles
from projections.registry import ViewContradiction


class ElectionsProjection(BatchProjection):
    name = "elections"

    # -- rules ---------------------------------------------------------------------------------
    @handles("thidua:ElectionRuleSet.Set", "thidua:ElectionRuleSet.Revised")
    def rules_set(self, curs: Any, e: Any, position: int) -> None:
        if hasattr(e, "year"):
            year = int(e.year)
        else:
            curs.execute("SELECT year FROM election_rule_sets WHERE rule_set_id = %s LIMIT 1",
                         (e.originator_id,))
            year = int(curs.fetchone()["year"])
        curs.execute("INSERT INTO election_rule_sets (year, version, rule_set_id, rules, reason,"
                     " set_at, position) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                     (year, e.originator_version, e.originator_id, Jsonb(e.rules), e.reason,
                      e.timestamp, position))

    # -- elections -----------------------------------------------------------------------------
    def _touch(self, curs: Any, e: Any, position: int, **changes: Any) -> None:
        sets = "".join(f", {k} = %s" for k in changes)
        curs.execute(f"UPDATE elections SET version = %s, position = %s{sets} WHERE id = %s",
                     (e.originator_version, position, *changes.values(), e.originator_id))

    @handles("thidua:Election.Opened")
    def election_opened(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO elections (id, group_id, year, term, round, meeting_date, place, "
            "status, members, present, rules, rules_version, opened_at, version, position) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,'open',%s,%s,%s,%s,%s,%s,%s)",
            (e.originator_id, e.group_id, e.year, e.term, e.round_no, e.meeting_date, e.place,
             e.members, e.present, Jsonb(e.rules), e.rules_version, e.timestamp,
             e.originator_version, position))

    @handles("thidua:Election.CandidatePutForward")
    def candidate_put_forward(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO election_candidates (election_id, seat, unit_id, ordinal, "
                     "put_at) VALUES (%s, %s, %s, (SELECT count(*) + 1 FROM "
                     "election_candidates WHERE election_id = %s AND seat = %s), %s)",
                     (e.originator_id, e.seat, e.unit_id, e.originator_id, e.seat,
                      e.timestamp))
        self._touch(curs, e, position)

    @handles("thidua:Election.BallotCast")
    def ballot_cast(self, curs: Any, e: Any, position: int) -> None:
        # who voted, for which seat: nothing of the choice
        curs.execute("INSERT INTO election_turnout (election_id, seat, voter_id) "
                     "VALUES (%s, %s, %s)", (e.originator_id, e.seat, e.voter))
        self._touch(curs, e, position)

    @handles("thidua:Election.BallotsCounted")
    def ballots_counted(self, curs: Any, e: Any, position: int) -> None:
        curs.executemany("INSERT INTO election_ballots (election_id, ballot_no, seat, "
                         "candidate_id) VALUES (%s, %s, %s, %s)",
                         [(e.originator_id, b["ballot_no"], b["seat"], b["candidate"])
                          for b in e.ballots])
        self._touch(curs, e, position)

    @handles("thidua:Election.ResultDeclared")
    def result_declared(self, curs: Any, e: Any, position: int) -> None:
        r = e.result
        self._touch(curs, e, position, status="declared", declared_at=e.declared_at,
                    outcome=r["outcome"], quorum=Jsonb(r["quorum"]), seats=Jsonb(r["seats"]))

    @handles("thidua:Election.Annulled")
    def election_annulled(self, curs: Any, e: Any, position: int) -> None:
        self._touch(curs, e, position, status="annulled", annulled_at=e.timestamp,
                    annul_reason=e.reason, outcome="annulled")

    # -- terms of office -------------------------------------------------------------------------
    @handles("thidua:GroupOffice.Created")
    def office_created(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO group_offices (id, group_id, year) VALUES (%s, %s, %s)",
                     (e.originator_id, e.group_id, e.year))

    @handles("thidua:GroupOffice.OfficeTaken")
    def office_taken(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("SELECT group_id FROM group_offices WHERE id = %s", (e.originator_id,))
        gid = curs.fetchone()["group_id"]
        for h in e.holders:
            curs.execute("UPDATE group_office_terms SET ended = %s WHERE group_id = %s AND "
                         "seat = %s AND ended IS NULL", (e.took_office, gid, h["seat"]))
            curs.execute("INSERT INTO group_office_terms (group_id, seat, unit_id, term, "
                         "took_office, election_id) VALUES (%s, %s, %s, %s, %s, %s)",
                         (gid, h["seat"], h["unit_id"], e.term, e.took_office, e.election_id))

    @handles("thidua:GroupOffice.ActingDesignated")
    def acting_designated(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("SELECT group_id FROM group_offices WHERE id = %s", (e.originator_id,))
        gid = curs.fetchone()["group_id"]
        curs.execute("SELECT term FROM group_office_terms WHERE group_id = %s AND seat = %s "
                     "AND ended IS NULL AND NOT acting", (gid, e.seat))
        held = curs.fetchone()
        if held is None:  # the aggregate designates only in a seat someone was elected to
            raise ViewContradiction(f"ActingDesignated for seat {e.seat} of office "
                             f"{e.originator_id}, which has no elected holder in the view")
        curs.execute("UPDATE group_office_terms SET ended = %s WHERE group_id = %s AND "
                     "seat = %s AND ended IS NULL AND acting", (e.timestamp, gid, e.seat))
        curs.execute("INSERT INTO group_office_terms (group_id, seat, unit_id, term, "
                     "took_office, election_id, acting, effective, reason) VALUES "
                     "(%s, %s, %s, %s, %s, NULL, true, %s, %s)",
                     (gid, e.seat, e.unit_id, held["term"], e.timestamp, e.effective,
                      e.reason))

    # -- covenants -------------------------------------------------------------------------------
    def _cov(self, curs: Any, e: Any, position: int, **changes: Any) -> None:
        sets = "".join(f", {k} = %s" for k in changes)
        curs.execute(f"UPDATE covenants SET version = %s, position = %s{sets} WHERE id = %s",
                     (e.originator_version, position, *changes.values(), e.originator_id))

    @handles("thidua:Covenant.Launched")
    def covenant_launched(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO covenants (id, group_id, year, title, launched_on, targets, "
                     "revision, launched_at, version, position) VALUES "
                     "(%s,%s,%s,%s,%s,%s,1,%s,%s,%s)",
                     (e.originator_id, e.group_id, e.year, e.title, e.launched_on,
                      Jsonb(e.targets), e.timestamp, e.originator_version, position))
        curs.execute("INSERT INTO covenant_revisions (covenant_id, revision, title, targets, "
                     "reason, recorded_at) VALUES (%s, 1, %s, %s, NULL, %s)",
                     (e.originator_id, e.title, Jsonb(e.targets), e.timestamp))

    @handles("thidua:Covenant.Amended")
    def covenant_amended(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("SELECT revision FROM covenants WHERE id = %s", (e.originator_id,))
        revision = int(curs.fetchone()["revision"]) + 1
        self._cov(curs, e, position, title=e.title, targets=Jsonb(e.targets), revision=revision)
        curs.execute("INSERT INTO covenant_revisions (covenant_id, revision, title, targets, "
                     "reason, recorded_at) VALUES (%s, %s, %s, %s, %s, %s)",
                     (e.originator_id, revision, e.title, Jsonb(e.targets), e.reason,
                      e.timestamp))

    @handles("thidua:Covenant.Signed")
    def covenant_signed(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO covenant_signatures (covenant_id, unit_id, signed_on, "
                     "revision, signed_at) VALUES (%s, %s, %s, %s, %s)",
                     (e.originator_id, e.unit_id, e.signed_on, e.revision, e.timestamp))
        self._cov(curs, e, position)

    @handles("thidua:Covenant.TargetsRegistered")
    def targets_registered(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO covenant_registrations (covenant_id, unit_id, revision, "
                     "targets, reason, registered_at) VALUES (%s, %s, %s, %s, %s, %s)",
                     (e.originator_id, e.unit_id, e.revision, Jsonb(e.targets), e.reason,
                      e.timestamp))
        self._cov(curs, e, position)

    @handles("thidua:Covenant.FindingRecorded")
    def finding_recorded(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO covenant_findings (covenant_id, finding_no, unit_id, "
                     "inspected_on, target, assessment, summary, revision, recorded_at, "
                     "inspection) VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s, %s)",
                     (e.originator_id, e.finding_no, e.unit_id, e.inspected_on, e.target,
                      e.assessment, e.summary, e.timestamp,
                      getattr(e, "inspection", None)))  # findings stored before: none
        self._cov(curs, e, position)

    @handles("thidua:Covenant.FindingAmended")
    def finding_amended(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE covenant_findings SET assessment = %s, summary = %s, "
                     "revision = revision + 1, reason = %s, amended_at = %s "
                     "WHERE covenant_id = %s AND finding_no = %s",
                     (e.assessment, e.summary, e.reason, e.timestamp, e.originator_id,
                      e.finding_no))
        self._cov(curs, e, position)
