"""Views of the organisation registry: units with their history, groups and members per
year, district partitions, membership decisions, users and tokens."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from projections.base import BatchProjection, handles


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
        curs.execute("INSERT INTO unit_periods (unit_id, start_date, name, parent_id) "
                     "VALUES (%s,%s,%s,%s)", (e.originator_id, e.effective, e.name, e.parent_id))

    def _new_period(self, curs: Any, e: Any, position: int, **change: Any) -> None:
        curs.execute("SELECT start_date, name, parent_id FROM unit_periods WHERE unit_id=%s "
                     "AND end_date IS NULL", (e.originator_id,))
        current = curs.fetchone()
        row = {"name": current["name"], "parent_id": current["parent_id"], **change}
        if current["start_date"].isoformat() == e.effective:
            # a later change of the same day amends the record that starts that day
            curs.execute("UPDATE unit_periods SET name=%s, parent_id=%s WHERE unit_id=%s AND "
                         "start_date=%s", (row["name"], row["parent_id"], e.originator_id,
                                           e.effective))
        else:
            curs.execute("UPDATE unit_periods SET end_date=%s WHERE unit_id=%s AND "
                         "end_date IS NULL", (e.effective, e.originator_id))
            curs.execute("INSERT INTO unit_periods (unit_id, start_date, name, parent_id) "
                         "VALUES (%s,%s,%s,%s)",
                         (e.originator_id, e.effective, row["name"], row["parent_id"]))
        curs.execute("UPDATE units SET name=%s, parent_id=%s, version=%s, updated_at=%s, "
                     "position=%s WHERE id=%s",
                     (row["name"], row["parent_id"], e.originator_version, e.timestamp,
                      position, e.originator_id))

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

    def _add(self, curs: Any, gid: str, year: int, kind: str, members: list[str],
             position: int) -> None:
        curs.executemany("INSERT INTO group_members (group_id, unit_id, year, kind, "
                         "since_position) VALUES (%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                         [(gid, m, year, kind, position) for m in members])

    @handles("thidua:GroupYear.MembersAdded")
    def members_added(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("SELECT year, kind FROM groups WHERE id=%s", (e.group_id,))
        group = curs.fetchone()
        self._add(curs, e.group_id, group["year"], group["kind"], e.members, position)
        self._year(curs, e)

    @handles("thidua:GroupYear.MemberRemoved")
    def member_removed(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("DELETE FROM group_members WHERE group_id=%s AND unit_id=%s",
                     (e.group_id, e.unit_id))
        self._year(curs, e)

    def _replace_clusters(self, curs: Any, year: int, province_id: str,
                          clusters: list[dict[str, Any]], position: int) -> None:
        curs.execute("DELETE FROM group_members WHERE group_id IN (SELECT id FROM groups WHERE "
                     "year=%s AND kind='district_cluster' AND province_id=%s)",
                     (year, province_id))
        curs.execute("DELETE FROM groups WHERE year=%s AND kind='district_cluster' AND "
                     "province_id=%s", (year, province_id))
        for c in clusters:
            curs.execute("INSERT INTO groups (id, year, kind, code, name, province_id, position) "
                         "VALUES (%s,%s,'district_cluster',%s,%s,%s,%s)",
                         (c["id"], year, c["code"], c["name"], province_id, position))
            self._add(curs, c["id"], year, "district_cluster", c["members"], position)

    def _partition_row(self, curs: Any, year: int, p: dict[str, Any], scale: dict[str, Any],
                       decision: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO district_partitions (year, province_id, effective, district_count, "
            "cluster_count, scale, decision, position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) "
            "ON CONFLICT (year, province_id) DO UPDATE SET effective=EXCLUDED.effective, "
            "district_count=EXCLUDED.district_count, cluster_count=EXCLUDED.cluster_count, "
            "scale=EXCLUDED.scale, decision=EXCLUDED.decision, position=EXCLUDED.position",
            (year, p["province_id"], p["effective"], p["district_count"], len(p["clusters"]),
             Jsonb(scale), Jsonb(decision) if decision is not None else None, position))

    @handles("thidua:GroupYear.DistrictPartitionPublished")
    def partition_published(self, curs: Any, e: Any, position: int) -> None:
        year = self._year_of(curs, e)
        self._replace_clusters(curs, year, e.province_id, e.clusters, position)
        self._partition_row(curs, year, {"province_id": e.province_id, "effective": e.effective,
                                         "district_count": e.district_count,
                                         "clusters": e.clusters}, e.scale, e.decision, position)
        self._year(curs, e)

    @handles("thidua:GroupYear.MembershipListImported")
    def list_imported(self, curs: Any, e: Any, position: int) -> None:
        year = self._year_of(curs, e)
        # empty every named group first, so a unit moving between two of them never
        # meets itself in the one-group-per-kind index
        curs.execute("DELETE FROM group_members WHERE group_id = ANY(%s)",
                     ([g["id"] for g in e.groups],))
        for g in e.groups:
            curs.execute("INSERT INTO groups (id, year, kind, code, name, province_id, position) "
                         "VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET "
                         "name=EXCLUDED.name, position=EXCLUDED.position",
                         (g["id"], year, g["kind"], g["code"], g["name"], g["province_id"],
                          position))
            self._add(curs, g["id"], year, g["kind"], g["members"], position)
        for p in e.partitions:
            self._replace_clusters(curs, year, p["province_id"], p["clusters"], position)
            self._partition_row(curs, year, p, {}, e.decision, position)
        d = e.decision
        curs.execute("INSERT INTO membership_decisions (position, year, document_number, "
                     "document_date, filename, rows, groups, recorded_at) VALUES "
                     "(%s,%s,%s,%s,%s,%s,%s,%s)",
                     (position, year, d["document_number"], d["document_date"], d.get("filename"),
                      d["rows"], len(e.groups) + sum(len(p["clusters"]) for p in e.partitions),
                      e.timestamp))
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
