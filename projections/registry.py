"""Views of the organisation registry: units with their history, groups and members per
year, district partitions, membership decisions, users and tokens."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from projections.base import BatchProjection, handles


class ViewContradiction(Exception):
    """The record and the view disagree: the view stops here (stalled) rather than hide it."""


class RegistryProjection(BatchProjection):
    name = "registry"

    # -- units ---------------------------------------------------------------------------
    @handles("thidua:Unit.Registered")
    def unit_registered(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO units (id, code, level, name, parent_id, started, version, updated_at,"
            " position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (e.originator_id, e.code, e.level, e.name, e.parent_id, e.effective,
             e.originator_version, e.timestamp, position))
        curs.execute("INSERT INTO unit_periods (unit_id, start_date, name, parent_id, level) "
                     "VALUES (%s,%s,%s,%s,%s)",
                     (e.originator_id, e.effective, e.name, e.parent_id, e.level))

    def _new_period(self, curs: Any, e: Any, position: int, **change: Any) -> None:
        curs.execute("SELECT start_date, name, parent_id, level FROM unit_periods WHERE "
                     "unit_id=%s AND end_date IS NULL", (e.originator_id,))
        current = curs.fetchone()
        row = {"name": current["name"], "parent_id": current["parent_id"],
               "level": current["level"], **change}
        if current["start_date"].isoformat() == e.effective:
            # a later change of the same day amends the record that starts that day
            curs.execute("UPDATE unit_periods SET name=%s, parent_id=%s, level=%s WHERE "
                         "unit_id=%s AND start_date=%s",
                         (row["name"], row["parent_id"], row["level"], e.originator_id,
                          e.effective))
        else:
            curs.execute("UPDATE unit_periods SET end_date=%s WHERE unit_id=%s AND "
                         "end_date IS NULL", (e.effective, e.originator_id))
            curs.execute("INSERT INTO unit_periods (unit_id, start_date, name, parent_id, "
                         "level) VALUES (%s,%s,%s,%s,%s)",
                         (e.originator_id, e.effective, row["name"], row["parent_id"],
                          row["level"]))
        curs.execute("UPDATE units SET name=%s, parent_id=%s, level=%s, version=%s, "
                     "updated_at=%s, position=%s WHERE id=%s",
                     (row["name"], row["parent_id"], row["level"], e.originator_version,
                      e.timestamp, position, e.originator_id))

    @handles("thidua:Unit.Renamed")
    def unit_renamed(self, curs: Any, e: Any, position: int) -> None:
        self._new_period(curs, e, position, name=e.name)

    @handles("thidua:Unit.Moved")
    def unit_moved(self, curs: Any, e: Any, position: int) -> None:
        self._new_period(curs, e, position, parent_id=e.parent_id)

    def _ended(self, curs: Any, e: Any, position: int, status: str, into: Any = None) -> None:
        curs.execute("UPDATE unit_periods SET end_date=%s WHERE unit_id=%s AND end_date IS NULL",
                     (e.effective, e.originator_id))
        curs.execute("UPDATE units SET ended=%s, end_status=%s, merged_into=%s, version=%s, "
                     "updated_at=%s, position=%s WHERE id=%s",
                     (e.effective, status, into, e.originator_version, e.timestamp, position,
                      e.originator_id))

    @handles("thidua:Unit.Merged")
    def unit_merged(self, curs: Any, e: Any, position: int) -> None:
        self._ended(curs, e, position, "merged", e.target_id)

    @handles("thidua:Unit.Dissolved")
    def unit_dissolved(self, curs: Any, e: Any, position: int) -> None:
        self._ended(curs, e, position, "dissolved")

    @handles("thidua:Unit.Split")
    def unit_split(self, curs: Any, e: Any, position: int) -> None:
        self._ended(curs, e, position, "split")

    @handles("thidua:Unit.Relevelled")
    def unit_relevelled(self, curs: Any, e: Any, position: int) -> None:
        self._new_period(curs, e, position, level=e.level, parent_id=e.parent_id)

    @handles("thidua:Reorganisation.Recorded")
    def reorganisation_recorded(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO reorganisations (id, number, signed, issuer, basis, effective, changes,"
            " change_count, units, actor, recorded_at, position) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (e.originator_id, e.number, e.signed, e.issuer, e.basis, e.effective,
             Jsonb(e.changes), len(e.changes), list(e.units), Jsonb(e.actor), e.timestamp,
             position))

    @handles("thidua:Unit.DistrictAttached", "thidua:Unit.DistrictDetached")
    def unit_version(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE units SET version=%s, updated_at=%s, position=%s WHERE id=%s",
                     (e.originator_version, e.timestamp, position, e.originator_id))

    # -- groups --------------------------------------------------------------------------
    def _year(self, curs: Any, e: Any) -> None:
        curs.execute("INSERT INTO group_years (year, version) VALUES (%s,%s) ON CONFLICT (year) "
                     "DO UPDATE SET version=EXCLUDED.version",
                     (self._year_of(curs, e), e.originator_version))

    @staticmethod
    def _year_of(curs: Any, e: Any) -> int:
        if hasattr(e, "year"):
            return int(e.year)
        curs.execute("SELECT year FROM group_years_ids WHERE id=%s", (e.originator_id,))
        return int(curs.fetchone()["year"])

    @handles("thidua:GroupYear.Opened")
    def year_opened(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO group_years_ids (id, year) VALUES (%s,%s)",
                     (e.originator_id, e.year))
        self._year(curs, e)

    @handles("thidua:GroupYear.GroupFormed")
    def group_formed(self, curs: Any, e: Any, position: int) -> None:
        year = self._year_of(curs, e)
        curs.execute("INSERT INTO groups (id, year, kind, code, name, province_id, position) "
                     "VALUES (%s,%s,%s,%s,%s,%s,%s)",
                     (e.group_id, year, e.kind, e.code, e.name, e.province_id, position))
        self._year(curs, e)

    # Memberships in time (domain.organisation.spans): the same two steps as the aggregate,
    # each checking that the view holds what the record says it holds. A membership that
    # would share a day with another of its kind, or an ending with nothing to end, is a
    # contradiction between the record and the view: the handler raises, the runner marks
    # the view stalled and /health names it. Nothing is dropped quietly.
    def _end(self, curs: Any, gids: list[str], uid: str | None, day: str) -> int:
        """End memberships of ``gids`` (of ``uid`` alone, unless None) from ``day`` on;
        return how many rows were dropped or cut."""
        unit = "" if uid is None else " AND unit_id = %(uid)s"
        args = {"gids": gids, "uid": uid, "day": day}
        curs.execute("DELETE FROM group_members WHERE group_id = ANY(%(gids)s) AND "
                     f"effective_from >= %(day)s{unit}", args)
        dropped = int(curs.rowcount)
        curs.execute("UPDATE group_members SET effective_until = %(day)s WHERE group_id = "
                     "ANY(%(gids)s) AND effective_from < %(day)s AND (effective_until IS NULL "
                     f"OR effective_until > %(day)s){unit}", args)
        return dropped + int(curs.rowcount)

    def _start(self, curs: Any, gid: str, year: int, kind: str, uid: str, day: str,
               until: str | None, position: int) -> None:
        curs.execute(
            "SELECT g.code, g.province_id, m.effective_from, m.effective_until FROM "
            "group_members m JOIN groups g ON g.id = m.group_id WHERE m.year = %(year)s AND "
            "m.kind = %(kind)s AND m.unit_id = %(uid)s AND (m.effective_until IS NULL OR "
            "m.effective_until > %(day)s) AND (%(until)s::date IS NULL OR m.effective_from < "
            "%(until)s::date) ORDER BY m.effective_from LIMIT 1",
            {"year": year, "kind": kind, "uid": uid, "day": day, "until": until})
        held = curs.fetchone()
        if held is not None:
            raise ViewContradiction(
                f"unit {uid} would be in two {kind} groups of {year} at once: in {held['code']} "
                f"from {held['effective_from']} until {held['effective_until'] or 'year end'} "
                f"and in group {gid} from {day} until {until or 'year end'}")
        curs.execute("UPDATE group_members SET effective_until = %s WHERE group_id = %s AND "
                     "unit_id = %s AND effective_until = %s", (until, gid, uid, day))
        if curs.rowcount == 0:
            curs.execute("INSERT INTO group_members (group_id, unit_id, year, kind, "
                         "since_position, effective_from, effective_until) VALUES "
                         "(%s,%s,%s,%s,%s,%s,%s)", (gid, uid, year, kind, position, day, until))

    @staticmethod
    def _day(e: Any, year: int) -> str:
        """The day a change takes effect: 1 January when the event names none."""
        return str(getattr(e, "effective", None) or f"{year}-01-01")

    @handles("thidua:GroupYear.MembersAdded")
    def members_added(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("SELECT year, kind FROM groups WHERE id=%s", (e.group_id,))
        group = curs.fetchone()
        if group is None:
            raise ViewContradiction(f"members added to group {e.group_id}, which the view "
                                    "does not hold")
        day = self._day(e, group["year"])
        for m in e.members:
            self._start(curs, e.group_id, group["year"], group["kind"], m, day, None, position)
        self._year(curs, e)

    @handles("thidua:GroupYear.MemberRemoved")
    def member_removed(self, curs: Any, e: Any, position: int) -> None:
        year = self._year_of(curs, e)
        day = self._day(e, year)
        if self._end(curs, [e.group_id], e.unit_id, day) == 0:
            raise ViewContradiction(f"unit {e.unit_id} removed from group {e.group_id} from "
                                    f"{day}, but the view holds no membership of it then")
        self._year(curs, e)

    def _group_row(self, curs: Any, gid: str, year: int, kind: str, code: str, name: str,
                   province_id: str | None, position: int) -> None:
        """A group named again by a re-formation: its name is the latest."""
        curs.execute("UPDATE groups SET name=%s, position=%s WHERE id=%s AND year=%s AND "
                     "kind=%s AND code=%s", (name, position, gid, year, kind, code))
        if curs.rowcount == 0:
            curs.execute("INSERT INTO groups (id, year, kind, code, name, province_id, "
                         "position) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                         (gid, year, kind, code, name, province_id, position))

    def _end_elsewhere(self, curs: Any, e: Any) -> None:
        for end in getattr(e, "ends", None) or []:
            if self._end(curs, [end["group_id"]], end["unit_id"], end["day"]) == 0:
                raise ViewContradiction(
                    f"the record ends unit {end['unit_id']}'s membership of group "
                    f"{end['group_id']} on {end['day']}, but the view holds none then")

    def _reform_clusters(self, curs: Any, year: int, province_id: str, day: str,
                         clusters: list[dict[str, Any]], position: int) -> None:
        curs.execute("SELECT id FROM groups WHERE year=%s AND kind='district_cluster' AND "
                     "province_id=%s", (year, province_id))
        self._end(curs, [r["id"] for r in curs.fetchall()], None, day)
        for c in clusters:
            self._group_row(curs, c["id"], year, "district_cluster", c["code"], c["name"],
                            province_id, position)
            until = c.get("until") or {}
            for m in c["members"]:
                self._start(curs, c["id"], year, "district_cluster", m, day, until.get(m),
                            position)
        curs.execute("DELETE FROM groups g WHERE year=%s AND kind='district_cluster' AND "
                     "province_id=%s AND NOT EXISTS (SELECT 1 FROM group_members m WHERE "
                     "m.group_id = g.id)", (year, province_id))

    def _partition_row(self, curs: Any, year: int, p: dict[str, Any], scale: dict[str, Any],
                       decision: Any, position: int) -> None:
        """A partition effective on a day replaces the one of that day and any later one
        (as in the aggregate)."""
        curs.execute("DELETE FROM district_partitions WHERE year=%s AND province_id=%s AND "
                     "effective >= %s", (year, p["province_id"], p["effective"]))
        curs.execute(
            "INSERT INTO district_partitions (year, province_id, effective, district_count, "
            "cluster_count, scale, decision, position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
            (year, p["province_id"], p["effective"], p["district_count"], len(p["clusters"]),
             Jsonb(scale), Jsonb(decision) if decision is not None else None, position))

    @handles("thidua:GroupYear.DistrictPartitionPublished")
    def partition_published(self, curs: Any, e: Any, position: int) -> None:
        year = self._year_of(curs, e)
        self._end_elsewhere(curs, e)
        self._reform_clusters(curs, year, e.province_id, e.effective, e.clusters, position)
        self._partition_row(curs, year, {"province_id": e.province_id, "effective": e.effective,
                                         "district_count": e.district_count,
                                         "clusters": e.clusters}, e.scale, e.decision, position)
        self._year(curs, e)

    @handles("thidua:GroupYear.MembershipListImported")
    def list_imported(self, curs: Any, e: Any, position: int) -> None:
        year = self._year_of(curs, e)
        day = self._day(e, year)
        self._end_elsewhere(curs, e)
        named = [g for g in e.groups if g["kind"] != "district_cluster"]
        for g in named:
            self._group_row(curs, g["id"], year, g["kind"], g["code"], g["name"],
                            g["province_id"], position)
        # every named group is re-formed from the day before any joins, so a unit moving
        # between two of them never meets itself
        self._end(curs, [g["id"] for g in named], None, day)
        for g in named:
            for m in g["members"]:
                self._start(curs, g["id"], year, g["kind"], m, day, None, position)
        for p in e.partitions:
            self._reform_clusters(curs, year, p["province_id"], p["effective"], p["clusters"],
                                  position)
            self._partition_row(curs, year, p, {}, e.decision, position)
        d = e.decision
        curs.execute("INSERT INTO membership_decisions (position, year, document_number, "
                     "document_date, filename, rows, groups, recorded_at, effective) VALUES "
                     "(%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                     (position, year, d["document_number"], d["document_date"], d.get("filename"),
                      d["rows"], len(e.groups) + sum(len(p["clusters"]) for p in e.partitions),
                      e.timestamp, day))
        self._year(curs, e)

    # -- users and tokens ----------------------------------------------------------------
    @handles("thidua:User.Registered")
    def user_registered(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO users (id, username, full_name, roles, unit_id, assigned_units,"
                     " disabled, version) VALUES (%s,%s,%s,%s,%s,%s,false,%s)",
                     (e.originator_id, e.username, e.full_name, e.roles, e.unit_id,
                      e.assigned_units, e.originator_version))

    @handles("thidua:User.RoleGranted")
    def role_granted(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE users SET roles=array_append(roles, %s), version=%s WHERE id=%s",
                     (e.role, e.originator_version, e.originator_id))

    @handles("thidua:User.RoleRevoked")
    def role_revoked(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE users SET roles=array_remove(roles, %s), version=%s WHERE id=%s",
                     (e.role, e.originator_version, e.originator_id))

    @handles("thidua:User.UnitsAssigned")
    def units_assigned(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE users SET assigned_units=%s, version=%s WHERE id=%s",
                     (e.assigned_units, e.originator_version, e.originator_id))

    @handles("thidua:User.Transferred")
    def user_transferred(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE users SET unit_id=%s, version=%s WHERE id=%s",
                     (e.unit_id, e.originator_version, e.originator_id))

    @handles("thidua:User.Disabled")
    def user_disabled(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE users SET disabled=true, version=%s WHERE id=%s",
                     (e.originator_version, e.originator_id))

    @handles("thidua:User.Enabled")
    def user_enabled(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE users SET disabled=false, version=%s WHERE id=%s",
                     (e.originator_version, e.originator_id))

    @handles("thidua:ApiToken.Issued")
    def token_issued(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO tokens (id, user_id, label, issued_at, expires_at) "
                     "VALUES (%s,%s,%s,%s,%s)",
                     (e.originator_id, e.user_id, e.label, e.timestamp, e.expires_at))

    @handles("thidua:ApiToken.Revoked")
    def token_revoked(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE tokens SET revoked_at=%s WHERE id=%s",
                     (e.timestamp, e.originator_id))
