"""Use cases of covenants (giao ước thi đua): launched and amended by the group's head, signed
and answered with targets by its members, inspected by the head.

Who may: ``covenant.launch``, ``finding.record`` — the secretariat of the sitting head or
deputy; ``covenant.sign``, ``target.register`` — a member unit, for itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.covenants.covenant import (
    ASSESSMENTS,
    Covenant,
    check_decimal,
    check_targets,
    check_text,
    covenant_id,
)
from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, NotFound, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done
from domain.lookups import Lookups


class CovenantCases(Lookups):
    """Giao ước thi đua: launch, amend, sign, register targets, record findings."""

    def covenant(self, covenant_id_: str) -> Covenant:
        cid = str(parse_uuid(covenant_id_, "covenant_id"))
        return self.load(Covenant, UUID(cid), what=f"covenant {cid}", field="covenant_id")

    # -- covenants -----------------------------------------------------------------------------
    def _covenant_heads(self, cov: Covenant) -> tuple[str, ...]:
        return self.head_units(cov.group_id, cov.year)

    def _is_covenant_member(self, cov: Covenant, unit_id: str | None) -> bool:
        group = self.group_year(cov.year).groups.get(cov.group_id)
        return bool(group and unit_id in group["members"])

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
                        group_head_units=self.head_units(gid, year))

    def amend_covenant(self, actor: Actor, covenant_id_: str, *, reason: str,
                       targets: list[dict[str, Any]] | None = None, title: str | None = None,
                       version: int | None = None) -> Done:
        reason = check_text(reason, "reason")
        checked = check_targets(targets) if targets is not None else None
        new_title = check_text(title, "title", 300) if title is not None else None
        if checked is None and new_title is None:
            raise InvalidInput("An amendment changes the targets or the title.",
                               field="targets", rule="amendment_changes_something")
        heads = self._covenant_heads(self.covenant(covenant_id_))

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            self.check_version(cov, version, "covenant")
            cov.amend(targets=checked if checked is not None else cov.targets,
                      title=new_title or cov.title, reason=reason)
            return self.covenant_summary(cov), [cov]

        return self.act(actor, "covenant.launch", work, group_head_units=heads,
                        reason=reason)

    def sign_covenant(self, actor: Actor, covenant_id_: str, *,
                      signed_on: str | None = None) -> Done:
        """A member unit signs the covenant (ký giao ước), once."""
        unit = actor.unit_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            if not self._is_covenant_member(cov, unit):
                raise NotAuthorised("Only member units of the group sign its covenant.",
                                    field="covenant_id", rule="signer_is_member")
            if unit in cov.signatures:
                raise Conflict(f"Your unit signed this covenant on "
                               f"{cov.signatures[str(unit)]['signed_on']}; a member signs once.",
                               field="covenant_id", rule="sign_once")
            day = parse_date(signed_on, "signed_on") if signed_on else self.now().date()
            if day < date.fromisoformat(cov.launched_on):
                raise RuleViolation(f"The covenant was launched on {cov.launched_on}; it cannot "
                                    "be signed before.", field="signed_on",
                                    rule="signed_after_launch")
            cov.sign(unit_id=str(unit), signed_on=day.isoformat(), revision=cov.revision)
            return {"covenant_id": str(cov.id), "unit_code": actor.unit_code,
                    "signed_on": day.isoformat(), "revision": cov.revision,
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
        if not isinstance(targets, list) or not targets or len(targets) > 200:
            raise InvalidInput("Register 1–200 targets.", field="targets",
                               rule="targets_count")

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            if not self._is_covenant_member(cov, unit):
                raise NotAuthorised("Only member units of the group register targets under "
                                    "its covenant.", field="covenant_id",
                                    rule="registrant_is_member")
            known = cov.target_codes
            seen: set[str] = set()
            out = []
            for i, t in enumerate(targets):
                if not isinstance(t, dict):
                    raise InvalidInput("A registered target is an object with target and "
                                       "value.", field=f"targets[{i}]", rule="target_object")
                code = t.get("target")
                if code not in known:
                    raise RuleViolation(f"'{code}' is not a target of this covenant (targets: "
                                        f"{', '.join(known)}).", field=f"targets[{i}].target",
                                        rule="known_target")
                if code in seen:
                    raise InvalidInput(f"Target {code} is listed twice.",
                                       field=f"targets[{i}].target", rule="target_once")
                seen.add(code)
                entry = {"target": code, "value": check_decimal(t.get("value"),
                                                                f"targets[{i}].value")}
                note = t.get("note")
                if note is not None:
                    entry["note"] = check_text(note, f"targets[{i}].note")
                out.append(entry)
            previous = cov.registered.get(str(unit))
            if previous is not None and reason is None:
                raise RuleViolation("Your unit has registered its targets already; a change is "
                                    "an amendment and needs a reason.", field="reason",
                                    rule="amendment_needs_reason")
            revision = previous["revision"] + 1 if previous else 1
            cov.register_targets(unit_id=str(unit), targets=out, revision=revision,
                                 reason=reason)
            return {"covenant_id": str(cov.id), "unit_code": actor.unit_code,
                    "revision": revision, "targets": out}, [cov]

        return self.act(actor, "target.register", work, unit_id=unit, reason=reason)

    def record_finding(self, actor: Actor, covenant_id_: str, *, member_code: str,
                       inspected_on: str, summary: str, assessment: str,
                       target: str | None = None) -> Done:
        """Kiểm tra, giám sát: the head records what an inspection of a member found."""
        summary = check_text(summary, "summary", 4000)
        if assessment not in ASSESSMENTS:
            raise InvalidInput(f"Assessment is one of {', '.join(ASSESSMENTS)}.",
                               field="assessment", rule="known_assessment")
        day = parse_date(inspected_on, "inspected_on")
        heads = self._covenant_heads(self.covenant(covenant_id_))

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            member = self.unit(member_code, "member_code")
            if not self._is_covenant_member(cov, str(member.id)):
                raise RuleViolation(f"{member.code} is not a member of the group.",
                                    field="member_code", rule="finding_on_member")
            if target is not None and target not in cov.target_codes:
                raise RuleViolation(f"'{target}' is not a target of this covenant.",
                                    field="target", rule="known_target")
            if day < date.fromisoformat(cov.launched_on):
                raise RuleViolation(f"The covenant was launched on {cov.launched_on}; an "
                                    "inspection under it comes after.", field="inspected_on",
                                    rule="inspected_after_launch")
            no = len(cov.findings) + 1
            cov.record_finding(finding_no=no, unit_id=str(member.id),
                               inspected_on=day.isoformat(), target=target,
                               assessment=assessment, summary=summary)
            return {"covenant_id": str(cov.id), "finding_no": no, "member_code": member.code,
                    "inspected_on": day.isoformat(), "target": target,
                    "assessment": assessment, "summary": summary, "revision": 1}, [cov]

        return self.act(actor, "finding.record", work, group_head_units=heads)

    def amend_finding(self, actor: Actor, covenant_id_: str, finding_no: int, *, reason: str,
                      summary: str | None = None,
                      assessment: str | None = None) -> Done:
        reason = check_text(reason, "reason")
        if summary is None and assessment is None:
            raise InvalidInput("An amendment changes the summary or the assessment.",
                               field="summary", rule="amendment_changes_something")
        if summary is not None:
            summary = check_text(summary, "summary", 4000)
        if assessment is not None and assessment not in ASSESSMENTS:
            raise InvalidInput(f"Assessment is one of {', '.join(ASSESSMENTS)}.",
                               field="assessment", rule="known_assessment")
        heads = self._covenant_heads(self.covenant(covenant_id_))

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            if not 1 <= finding_no <= len(cov.findings):
                raise NotFound(f"There is no finding {finding_no} under this covenant.",
                               field="finding_no", rule="exists")
            f = cov.findings[finding_no - 1]
            cov.amend_finding(finding_no=finding_no, assessment=assessment or f["assessment"],
                              summary=summary or f["summary"], reason=reason)
            f = cov.findings[finding_no - 1]
            return {"covenant_id": str(cov.id), "finding_no": finding_no,
                    "member_code": self.unit_code_of(f["unit_id"]),
                    "inspected_on": f["inspected_on"], "target": f["target"],
                    "assessment": f["assessment"], "summary": f["summary"],
                    "revision": f["revision"]}, [cov]

        return self.act(actor, "finding.record", work, group_head_units=heads,
                        reason=reason)

    def covenant_summary(self, cov: Covenant) -> dict[str, Any]:
        return {"id": str(cov.id), "group_id": cov.group_id, "year": cov.year,
                "title": cov.title, "launched_on": cov.launched_on, "targets": cov.targets,
                "revision": cov.revision, "signed": len(cov.signatures),
                "version": cov.version}
