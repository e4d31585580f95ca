"""Use cases of covenants (giao ước thi đua): launched and amended by the group's head, signed
and answered with targets by its members, inspected by the head.

Who may: ``covenant.launch``, ``finding.record`` — the secretariat of the sitting head or
deputy; ``covenant.sign``, ``target.register`` — a member unit, for itself.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.covenants.covenant import (
    Covenant,
    check_assessment,
    check_targets,
    check_text,
    covenant_id,
)
from domain.group_documents.plan import GroupPlan, plan_id
from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done
from domain.lookups import Lookups


class CovenantCases(Lookups):
    """Giao ước thi đua: launch, amend, sign, register targets, record findings."""

    def covenant(self, covenant_id_: str) -> Covenant:
        cid = str(parse_uuid(covenant_id_, "covenant_id"))
        return self.load(Covenant, UUID(cid), what=f"covenant {cid}", field="covenant_id")

    # -- covenants -----------------------------------------------------------------------------
    def _covenant_members(self, cov: Covenant) -> frozenset[str]:
        """The member units of the covenant's group in its year."""
        group = self.group_year(cov.year).groups.get(cov.group_id)
        return frozenset(group["members"]) if group else frozenset()

    def launch_covenant(self, actor: Actor, *, group_id: str, year: int, title: str,
                        launched_on: str, targets: list[dict[str, Any]],
                        ) -> Done:
        """Phát động thi đua: the head launches the year's covenant with named targets."""
        check_year(year)
        title = check_text(title, "title", 300)
        day = parse_date(launched_on, "launched_on")
        if day.year not in (year - 1, year):
            raise InvalidInput(f"The covenant of {year} is launched in {year - 1} or {year}.",
                               field="launched_on", rule="launched_in_year")
        checked = check_targets(targets)
        group = self.group_in_year(group_id, year)
        gid = group["id"]

        def work() -> tuple[dict[str, Any], list[Any]]:
            if self.exists(covenant_id(gid)):
                raise RuleViolation(f"{group['code']} already has its covenant for {year}; "
                                    "amend it instead.", field="group_id",
                                    rule="one_covenant_per_year")
            cov = Covenant(group_id=gid, year=year, title=title,
                           launched_on=day.isoformat(), targets=checked)
            return self.covenant_summary(cov), [cov]

        return self.act(actor, "covenant.launch", work,
                        group_head_units=self.head_powers(actor, "covenant.launch", gid,
                                                          year))

    def amend_covenant(self, actor: Actor, covenant_id_: str, *, reason: str,
                       targets: list[dict[str, Any]] | None = None, title: str | None = None,
                       version: int | None = None) -> Done:
        reason = check_text(reason, "reason")
        checked = check_targets(targets) if targets is not None else None
        new_title = check_text(title, "title", 300) if title is not None else None
        cov_ = self.covenant(covenant_id_)
        heads = self.head_powers(actor, "covenant.launch", cov_.group_id, cov_.year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            self.check_version(cov, version, "covenant")
            cov.amend(targets=checked, title=new_title, reason=reason)
            return self.covenant_summary(cov), [cov]

        return self.act(actor, "covenant.launch", work, group_head_units=heads,
                        reason=reason)

    def sign_covenant(self, actor: Actor, covenant_id_: str, *,
                      signed_on: str | None = None) -> Done:
        """A member unit signs the covenant (ký giao ước), once."""
        unit = actor.unit_id
        day = parse_date(signed_on, "signed_on") if signed_on else None

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            on = day or self.now().date()
            cov.sign(unit, on, self._covenant_members(cov))
            return {"covenant_id": str(cov.id), "unit_code": actor.unit_code,
                    "signed_on": on.isoformat(), "revision": cov.revision,
                    "signed": len(cov.signatures)}, [cov]

        return self.act(actor, "covenant.sign", work, unit_id=unit)

    def register_targets(self, actor: Actor, covenant_id_: str, *,
                         targets: list[dict[str, Any]],
                         reason: str | None = None) -> Done:
        """Đăng ký chỉ tiêu: the acting member's own value for covenant targets. A second
        registration is an amendment and needs a reason."""
        unit = actor.unit_id
        if reason is not None:
            reason = check_text(reason, "reason")

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            out = cov.register_targets(unit, targets, reason, self._covenant_members(cov))
            return {"covenant_id": str(cov.id), "unit_code": actor.unit_code,
                    "revision": cov.registered[str(unit)]["revision"], "targets": out}, [cov]

        return self.act(actor, "target.register", work, unit_id=unit, reason=reason)

    def record_finding(self, actor: Actor, covenant_id_: str, *, member_code: str,
                       inspected_on: str, summary: str, assessment: str,
                       target: str | None = None, inspection: str | None = None) -> Done:
        """Kiểm tra, giám sát: the head records what an inspection of a member found;
        ``inspection``: the code of the inspection of the group's plan it came from."""
        summary = check_text(summary, "summary", 4000)
        check_assessment(assessment)
        day = parse_date(inspected_on, "inspected_on")
        if inspection is not None:
            inspection = check_text(inspection, "inspection", 32)
        cov_ = self.covenant(covenant_id_)
        heads = self.head_powers(actor, "finding.record", cov_.group_id, cov_.year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            member = self.unit(member_code, "member_code")
            planned = self._planned_inspection(cov, inspection) if inspection else None
            no = cov.record_finding(str(member.id), member.code, day, target, assessment,
                                    summary, self._covenant_members(cov), planned)
            return {"covenant_id": str(cov.id), "finding_no": no, "member_code": member.code,
                    "inspected_on": day.isoformat(), "target": target,
                    "assessment": assessment, "summary": summary, "revision": 1,
                    "inspection": inspection}, [cov]

        return self.act(actor, "finding.record", work, group_head_units=heads)

    def _planned_inspection(self, cov: Covenant, code: str) -> dict[str, Any]:
        """The inspection ``code`` of the plan of the covenant's group and year."""
        plan = self.find(GroupPlan, plan_id(cov.group_id))
        found = plan.inspection(code) if plan is not None else None
        if found is None:
            where = "the group has no plan for the year" if plan is None else \
                f"its plan lists {', '.join(n['code'] for n in plan.inspections) or 'none'}"
            raise RuleViolation(f"There is no inspection {code} in the group's {cov.year} "
                                f"plan ({where}).", field="inspection",
                                rule="inspection_in_plan")
        return dict(found)

    def amend_finding(self, actor: Actor, covenant_id_: str, finding_no: int, *, reason: str,
                      summary: str | None = None,
                      assessment: str | None = None) -> Done:
        reason = check_text(reason, "reason")
        if summary is not None:
            summary = check_text(summary, "summary", 4000)
        cov_ = self.covenant(covenant_id_)
        heads = self.head_powers(actor, "finding.record", cov_.group_id, cov_.year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            f = cov.amend_finding(finding_no, reason, summary, assessment)
            return {"covenant_id": str(cov.id), "finding_no": finding_no,
                    "member_code": self.unit_code_of(f["unit_id"]),
                    "inspected_on": f["inspected_on"], "target": f["target"],
                    "assessment": f["assessment"], "summary": f["summary"],
                    "revision": f["revision"], "inspection": f.get("inspection")}, [cov]

        return self.act(actor, "finding.record", work, group_head_units=heads,
                        reason=reason)

    def covenant_summary(self, cov: Covenant) -> dict[str, Any]:
        return {"id": str(cov.id), "group_id": cov.group_id, "year": cov.year,
                "title": cov.title, "launched_on": cov.launched_on, "targets": cov.targets,
                "revision": cov.revision, "signed": len(cov.signatures),
                "version": cov.version}
