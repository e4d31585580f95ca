"""Use cases of the group's own documents (letter 4268 A.II.1.1, 1.3): its operating rules
(Quy chế hoạt động), drafted by the head and adopted by the members at a meeting, and the
year's programme and plan with the progress plan of targets and the inspection plan.

Who may: ``group_rules.write``, ``group_plan.write`` — the secretariat of the group's
sitting head or deputy.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from domain.covenants.covenant import Covenant, covenant_id
from domain.elections.election import ElectionRuleSet, election_rules_id
from domain.elections.rules import ElectionRules
from domain.group_documents.content import check_content, check_line
from domain.group_documents.plan import GroupPlan, check_plan, plan_id
from domain.group_documents.regulation import GroupRegulation, regulation_id
from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done
from domain.kernel.text import clean
from domain.lookups import Lookups


def check_reason(reason: Any, field: str = "reason") -> str:
    value = clean(reason, field, multiline=True) if isinstance(reason, str) else reason
    if not isinstance(value, str) or not value.strip() or len(value) > 1000:
        raise InvalidInput(f"{field} is 1–1000 characters and not blank.", field=field,
                           rule="text_length")
    return value.strip()


def check_unit_list(codes: Any, field: str) -> list[str]:
    if not isinstance(codes, list) or not codes or len(codes) > 500:
        raise InvalidInput(f"List the units of {field} by code (1–500).", field=field,
                           rule=f"{field}_not_empty")
    dupes = sorted(str(c) for c, n in Counter(codes).items() if n > 1)
    if dupes:
        raise InvalidInput(f"Listed more than once: {', '.join(dupes)}.", field=field,
                           rule=f"{field}_once")
    return codes


class GroupDocumentCases(Lookups):
    """Quy chế hoạt động and chương trình, kế hoạch of a group."""

    # -- the operating rules (Quy chế hoạt động) -------------------------------------------------
    def line_regulation_id(self, group_id: str, year: int) -> Any:
        """The rules of the group's line: the record of the earliest group of the line that
        has one, or the one its first group will open (as the line's office does)."""
        line = self.group_line(group_id, year)
        for _, gid in reversed(line):
            if self.exists(regulation_id(gid)):
                return regulation_id(gid)
        return regulation_id(line[-1][1])

    def group_regulation(self, group_id: str, year: int) -> GroupRegulation | None:
        rid = self.line_regulation_id(group_id, year)
        if not self.exists(rid):
            return None
        return self.load(GroupRegulation, rid, what="group rules", field="group_id")

    def meeting_rules(self, year: int) -> tuple[dict[str, Any], int]:
        """The quorum and majority of the members' meetings of the year: the year's election
        rules' (docs/decisions.md, "What adopting the group's rules requires")."""
        rid = election_rules_id(year)
        if not self.exists(rid):
            rules, version = ElectionRules(), 0
        else:
            rs = self.load(ElectionRuleSet, rid, what="election rules", field="year",
                           readonly=True)
            rules, version = ElectionRules.stored(rs.current["rules"]), \
                int(rs.current["version"])
        return {"quorum": rules.quorum, "majority": rules.majority}, version

    def draft_group_rules(self, actor: Actor, *, group_id: str, year: int, kind: str,
                          title: str, drafted_on: str, text: str | None = None,
                          file: dict[str, Any] | None = None,
                          reason: str | None = None) -> Done:
        """The head drafts the group's rules, or an amendment of the rules in force."""
        check_year(year)
        title = check_line(title, "title", 300)
        day = parse_date(drafted_on, "drafted_on")
        text, checked = check_content(text, file)
        if reason is not None:
            reason = check_reason(reason)
        group = self.group_in_year(group_id, year)
        gid = group["id"]
        heads = self.head_powers(actor, "group_rules.write", gid, year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            rid = self.line_regulation_id(gid, year)
            if self.exists(rid):
                reg = self.load(GroupRegulation, rid, what="group rules", field="group_id")
            else:  # the line's first rules: its record opens with its first group
                first_year, first_group = self.group_line(gid, year)[-1]
                reg = GroupRegulation(group_id=first_group, year=first_year)
            reg.draft(kind=kind, title=title, text=text, file=checked,
                      drafted_on=day.isoformat(), group_id=gid, year=year, reason=reason)
            return self.regulation_summary(reg, group), [reg]

        return self.act(actor, "group_rules.write", work, group_head_units=heads,
                        reason=reason)

    def withdraw_group_rules(self, actor: Actor, *, group_id: str, year: int, version: int,
                             reason: str) -> Done:
        """The head withdraws a draft the members have not adopted."""
        reason = check_reason(reason)
        group = self.group_in_year(group_id, year)
        heads = self.head_powers(actor, "group_rules.write", group["id"], year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            reg = self._regulation_or_refuse(group, year)
            reg.withdraw(version, reason)
            return self.regulation_summary(reg, group), [reg]

        return self.act(actor, "group_rules.write", work, group_head_units=heads,
                        reason=reason)

    def adopt_group_rules(self, actor: Actor, *, group_id: str, year: int, version: int,
                          meeting_date: str, place: str, present: list[str],
                          adopters: list[str], effective: str | None = None) -> Done:
        """Record the members' adoption of a draft at their meeting: who was present, who
        adopted it, the day, and from when it holds (default: the meeting's day)."""
        check_year(year)
        meeting = parse_date(meeting_date, "meeting_date")
        since = parse_date(effective, "effective") if effective else meeting
        place = check_line(place, "place", 300)
        check_unit_list(present, "present")
        check_unit_list(adopters, "adopters")
        group = self.group_in_year(group_id, year)
        heads = self.head_powers(actor, "group_rules.write", group["id"], year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            reg = self._regulation_or_refuse(group, year)
            labels: dict[str, str] = {}
            ids = {f: [self._unit_id(c, f"{f}[{i}]", labels) for i, c in enumerate(codes)]
                   for f, codes in (("present", present), ("adopters", adopters))}
            rules, rules_version = self.meeting_rules(year)
            reg.adopt(version, meeting_date=meeting.isoformat(), place=place,
                      effective=since.isoformat(), group_id=group["id"], year=year,
                      members=list(group["members"]), present=ids["present"],
                      adopters=ids["adopters"], rules=rules, rules_version=rules_version,
                      labels=labels)
            return self.regulation_summary(reg, group), [reg]

        return self.act(actor, "group_rules.write", work, group_head_units=heads)

    def _regulation_or_refuse(self, group: dict[str, Any], year: int) -> GroupRegulation:
        reg = self.group_regulation(group["id"], year)
        if reg is None:
            raise RuleViolation(f"{group['code']} has no rules drafted yet.", field="version",
                                rule="version_exists")
        return reg

    def _unit_id(self, code: str, field: str, labels: dict[str, str]) -> str:
        unit = self.unit(code, field)
        labels[str(unit.id)] = unit.code
        return str(unit.id)

    def regulation_summary(self, reg: GroupRegulation, group: dict[str, Any]
                           ) -> dict[str, Any]:
        """What a write answers: the versions without their text."""
        return {"id": str(reg.id), "group_id": group["id"], "code": group["code"],
                "versions": [{"version": v["version"], "kind": v["kind"],
                              "title": v["title"], "status": v["status"],
                              "drafted_on": v["drafted_on"], "amends": v["amends"],
                              "file": v["file"],
                              "adopted": None if v["adoption"] is None else {
                                  "meeting_date": v["adoption"]["meeting_date"],
                                  "effective": v["adoption"]["effective"],
                                  "present": len(v["adoption"]["present"]),
                                  "adopters": len(v["adoption"]["adopters"]),
                                  "members": len(v["adoption"]["members"])}}
                             for v in reg.versions],
                "version": reg.version}

    # -- the year's programme and plan ------------------------------------------------------------
    def group_plan(self, plan_id_: str) -> GroupPlan:
        pid = str(parse_uuid(plan_id_, "plan_id"))
        return self.load(GroupPlan, UUID(pid), what=f"group plan {pid}", field="plan_id")

    def _plan_inputs(self, raw: dict[str, Any], year: int, group: dict[str, Any]
                     ) -> tuple[dict[str, Any], dict[str, str], list[str] | None]:
        labels: dict[str, str] = {}
        parts = check_plan(raw, year=year,
                           resolve=lambda code, field: self._unit_id(code, field, labels))
        cov = self.find(Covenant, covenant_id(group["id"]))
        return parts, labels, cov.target_codes if cov is not None else None

    def issue_group_plan(self, actor: Actor, *, group_id: str, year: int, title: str,
                         issued_on: str, text: str | None = None,
                         file: dict[str, Any] | None = None,
                         activities: list[dict[str, Any]] | None = None,
                         milestones: list[dict[str, Any]] | None = None,
                         inspections: list[dict[str, Any]] | None = None) -> Done:
        """The head issues the group's programme and plan of the year."""
        check_year(year)
        title = check_line(title, "title", 300)
        day = parse_date(issued_on, "issued_on")
        text, checked = check_content(text, file)
        raw = {"activities": activities, "milestones": milestones, "inspections": inspections}
        group = self.group_in_year(group_id, year)
        gid = group["id"]
        heads = self.head_powers(actor, "group_plan.write", gid, year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            if self.exists(plan_id(gid)):
                raise RuleViolation(f"{group['code']} already has its {year} plan; revise it "
                                    "instead.", field="group_id", rule="one_plan_per_year")
            parts, labels, targets = self._plan_inputs(raw, year, group)
            plan = GroupPlan.issue(group_id=gid, year=year, title=title, issued_on=day,
                                   text=text, file=checked, parts=parts,
                                   members=group["members"], targets=targets, labels=labels)
            return self.plan_summary(plan, group), [plan]

        return self.act(actor, "group_plan.write", work, group_head_units=heads)

    def revise_group_plan(self, actor: Actor, plan_id_: str, *, reason: str, title: str,
                          issued_on: str, text: str | None = None,
                          file: dict[str, Any] | None = None,
                          activities: list[dict[str, Any]] | None = None,
                          milestones: list[dict[str, Any]] | None = None,
                          inspections: list[dict[str, Any]] | None = None,
                          version: int | None = None) -> Done:
        """A new revision of the whole plan, with the reason."""
        reason = check_reason(reason)
        title = check_line(title, "title", 300)
        day = parse_date(issued_on, "issued_on")
        text, checked = check_content(text, file)
        raw = {"activities": activities, "milestones": milestones, "inspections": inspections}
        found = self.group_plan(plan_id_)
        group = self.group_in_year(found.group_id, found.year)
        heads = self.head_powers(actor, "group_plan.write", found.group_id, found.year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            plan = self.group_plan(plan_id_)
            self.check_version(plan, version, "plan")
            parts, labels, targets = self._plan_inputs(raw, plan.year, group)
            cov = self.find(Covenant, covenant_id(plan.group_id))
            findings = cov.inspected() if cov is not None else []
            for f in findings:
                labels.setdefault(f["unit_id"], self.unit_code_of(f["unit_id"]) or "")
            plan.revise(title=title, issued_on=day, text=text, file=checked, parts=parts,
                        reason=reason, members=group["members"], targets=targets,
                        labels=labels, findings=findings)
            return self.plan_summary(plan, group), [plan]

        return self.act(actor, "group_plan.write", work, group_head_units=heads,
                        reason=reason)

    def plan_summary(self, plan: GroupPlan, group: dict[str, Any]) -> dict[str, Any]:
        return {"id": str(plan.id), "group_id": plan.group_id, "code": group["code"],
                "year": plan.year, "revision": plan.revision, "title": plan.title,
                "issued_on": plan.issued_on, "file": plan.file,
                "activities": len(plan.activities), "milestones": len(plan.milestones),
                "inspections": [n["code"] for n in plan.inspections], "version": plan.version}
