"""Views of the groups' own documents (projection "group_documents"): the operating rules
of each group line, version by version, and each group's plan of the year."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from projections.base import BatchProjection, handles
from projections.registry import ViewContradiction

P = "thidua:"


def _file(file: dict[str, str] | None) -> tuple[str | None, str | None, str | None]:
    if not file:
        return None, None, None
    return file["name"], file["reference"], file["sha256"]


class GroupDocumentsProjection(BatchProjection):
    name = "group_documents"

    # -- the operating rules -------------------------------------------------------------------
    def _touch(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("UPDATE group_regulations SET version = %s, position = %s WHERE id = %s",
                     (e.originator_version, position, e.originator_id))

    def _version(self, curs: Any, e: Any, position: int, **changes: Any) -> None:
        sets = ", ".join(f"{k} = %s" for k in changes)
        curs.execute(f"UPDATE group_regulation_versions SET {sets} WHERE regulation_id = %s "
                     "AND version = %s AND status = 'draft'",
                     (*changes.values(), e.originator_id, e.version_no))
        if curs.rowcount != 1:
            raise ViewContradiction(f"{type(e).__name__} of version {e.version_no} of the "
                                    f"rules {e.originator_id}, not a draft in the view")
        self._touch(curs, e, position)

    @handles(P + "GroupRegulation.Created")
    def created(self, curs: Any, e: Any, position: int) -> None:
        curs.execute("INSERT INTO group_regulations (id, group_id, year, version, position) "
                     "VALUES (%s, %s, %s, %s, %s)",
                     (e.originator_id, e.group_id, e.year, e.originator_version, position))

    @handles(P + "GroupRegulation.Drafted")
    def drafted(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO group_regulation_versions (regulation_id, version, group_id, year, "
            "kind, title, text, file_name, file_reference, file_sha256, drafted_on, "
            "drafted_at, amends, reason, status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, %s, %s, %s, 'draft')",
            (e.originator_id, e.version_no, e.group_id, e.year, e.kind, e.title, e.text,
             *_file(e.file), e.drafted_on, e.timestamp, e.amends, e.reason))
        self._touch(curs, e, position)

    @handles(P + "GroupRegulation.Withdrawn")
    def withdrawn(self, curs: Any, e: Any, position: int) -> None:
        self._version(curs, e, position, status="withdrawn", withdrawn_reason=e.reason,
                      withdrawn_at=e.timestamp)

    @handles(P + "GroupRegulation.Adopted")
    def adopted(self, curs: Any, e: Any, position: int) -> None:
        self._version(curs, e, position, status="adopted", meeting_date=e.meeting_date,
                      place=e.place, effective=e.effective, members=e.members,
                      present=e.present, adopters=e.adopters,
                      adoption_rules=Jsonb({**e.rules, "version": e.rules_version}),
                      adopted_at=e.timestamp)

    # -- the year's plan -----------------------------------------------------------------------
    def _plan(self, curs: Any, e: Any, position: int, revision: int,
              reason: str | None) -> None:
        content = {"title": e.title, "issued_on": e.issued_on, "text": e.text, "file": e.file,
                   "activities": e.activities, "milestones": e.milestones,
                   "inspections": e.inspections}
        curs.execute("INSERT INTO group_plan_revisions (plan_id, revision, content, reason, "
                     "recorded_at) VALUES (%s, %s, %s, %s, %s)",
                     (e.originator_id, revision, Jsonb(content), reason, e.timestamp))
        curs.execute("DELETE FROM group_plan_inspections WHERE plan_id = %s", (e.originator_id,))
        if e.inspections:
            curs.executemany(
                "INSERT INTO group_plan_inspections (plan_id, code, members, from_date, "
                "until_date, inspectors, note) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(e.originator_id, n["code"], n["members"], n["from"], n["until"],
                  n["inspectors"], n.get("note")) for n in e.inspections])

    @handles(P + "GroupPlan.Issued")
    def plan_issued(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "INSERT INTO group_plans (id, group_id, year, revision, title, issued_on, text, "
            "file_name, file_reference, file_sha256, activities, milestones, issued_at, "
            "version, position) VALUES (%s, %s, %s, 1, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s)",
            (e.originator_id, e.group_id, e.year, e.title, e.issued_on, e.text, *_file(e.file),
             Jsonb(e.activities), Jsonb(e.milestones), e.timestamp, e.originator_version,
             position))
        self._plan(curs, e, position, 1, None)

    @handles(P + "GroupPlan.Revised")
    def plan_revised(self, curs: Any, e: Any, position: int) -> None:
        curs.execute(
            "UPDATE group_plans SET revision = %s, title = %s, issued_on = %s, text = %s, "
            "file_name = %s, file_reference = %s, file_sha256 = %s, activities = %s, "
            "milestones = %s, version = %s, position = %s WHERE id = %s",
            (e.revision, e.title, e.issued_on, e.text, *_file(e.file), Jsonb(e.activities),
             Jsonb(e.milestones), e.originator_version, position, e.originator_id))
        self._plan(curs, e, position, e.revision, e.reason)
