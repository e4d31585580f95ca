"""Use cases of what reaches the province besides the sheets: nominations of its district
offices for the outstanding title, and the district cluster heads' summaries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.district.base import DistrictLookups
from domain.district.cycle import DistrictCycle
from domain.district.items import DistrictClusterSummary, DistrictNomination
from domain.evaluation.rules import OUTSTANDING, check_text, fmt, ratio
from domain.kernel.actor import Actor
from domain.kernel.errors import NotFound, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done


def nomination_view(n: DistrictNomination) -> dict[str, Any]:
    return {"id": str(n.id), "year": n.year, "province_code": n.province_code,
            "proposer_code": n.proposer_code, "subject_code": n.subject_code,
            "basis": n.basis, "state": n.state, "late": n.late,
            "justification": n.justification, "version": n.version}


class DistrictSubmissionCases(DistrictLookups):
    """Nominations of district offices and district cluster summaries."""

    def cluster_on(self, cycle: DistrictCycle, unit: str) -> str | None:
        """The district cluster of the province holding ``unit`` on the cycle's reference
        date (None if none)."""
        register = self.group_year(cycle.year)
        found = register.group_of("district_cluster", unit, cycle.reference_date)
        if found is None or register.groups[found]["province_id"] != cycle.province_id:
            return None
        return found

    def nominate_district(self, actor: Actor, *, year: int, province_code: str,
                          subject_code: str, justification: str,
                          proposer_code: str | None = None) -> Done:
        """Nominate a district office of the cycle for the outstanding title: the office
        itself, its province, or a fellow member of its district cluster (counted through
        the cluster head's summary)."""
        justification = check_text(justification, "justification", 5000)
        proposer = self.acting_unit(actor, proposer_code, "proposer_code")
        subject = self.unit(subject_code, "subject_code", readonly=True)
        province = self.province(province_code)
        pid, sid = str(proposer.id), str(subject.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code, readonly=True)
            cycle.check_open("nominations")
            if sid not in cycle.units:
                raise RuleViolation(f"{subject.code} does not take part in {cycle.label}.",
                                    field="subject_code", rule="unit_in_cycle")
            if pid == sid:
                basis = "self"
            elif pid == cycle.province_id:
                basis = "province"
            elif pid in cycle.units and self.cluster_on(cycle, pid) is not None and \
                    self.cluster_on(cycle, pid) == self.cluster_on(cycle, sid):
                basis = "peer"
            else:
                raise RuleViolation(
                    f"{proposer.code} cannot nominate {subject.code} for '{OUTSTANDING}' in "
                    f"{cycle.label}: an office nominates itself, its province nominates it, "
                    "or a fellow member of its district cluster does.",
                    field="subject_code", rule="nomination_who")
            late = cycle.judge(pid, self.now())
            now = self.now().isoformat()
            nomination = self.find(DistrictNomination,
                                   DistrictNomination.create_id(year, pid, sid))
            if nomination is None:
                nomination = DistrictNomination(
                    year=year, province_id=cycle.province_id, province_code=cycle.province_code,
                    proposer_id=pid, proposer_code=proposer.code, subject_id=sid,
                    subject_code=subject.code, basis=basis, justification=justification,
                    late=late, at=now)
            else:
                nomination.resubmit(justification=justification, late=late, at=now)
            return nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.write", work, unit_id=pid)

    def withdraw_district_nomination(self, actor: Actor, nomination_id: Any, *,
                                     reason: str) -> Done:
        reason = check_text(reason, "reason")
        nomination = self.load(DistrictNomination, parse_uuid(nomination_id, "nomination_id"),
                               what=f"nomination {nomination_id}", field="nomination_id")

        def work() -> tuple[dict[str, Any], list[Any]]:
            self.district_cycle(nomination.year, nomination.province_code,
                                readonly=True).check_open("withdrawals")
            nomination.withdraw(reason=reason, at=self.now().isoformat())
            return nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.write", work, unit_id=nomination.proposer_id,
                        reason=reason)

    # -- district cluster summaries ----------------------------------------------------------
    def send_district_summary(self, actor: Actor, *, year: int, group_id: str) -> Done:
        """The district cluster head's summary to its province, computed from the members'
        sent self sheets and their standing nominations of each other; records which sheets
        (and revisions) it used."""
        gid = str(parse_uuid(group_id, "group_id"))
        group = self.group_year(year).groups.get(gid)
        if group is None or group["kind"] != "district_cluster":
            raise NotFound(f"There is no district cluster {gid} in {year}.",
                           field="group_id", rule="exists")
        heads = self.head_units(gid, year)
        province = self.unit_code_of(group["province_id"]) or ""

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province, readonly=True)
            cycle.check_open("summaries")
            if not heads:
                raise RuleViolation(f"{group['code']} has no elected head yet.",
                                    field="group_id", rule="cluster_has_head")
            register = self.group_year(year)
            members = sorted((m for m in register.members_on(gid, cycle.reference_date)
                              if m in cycle.units), key=cycle.code_of)
            rows, average, not_sent = self._district_summary_rows(cycle, members)
            head = str(actor.unit_id)
            late = cycle.judge(head, self.now())
            args: dict[str, Any] = {
                "head_id": head, "head_code": self.unit_code_of(head) or head,
                "members": [cycle.code_of(m) for m in members], "rows": rows,
                "average": average, "not_sent": not_sent, "late": late,
                "at": self.now().isoformat()}
            summary = self.find(DistrictClusterSummary,
                                DistrictClusterSummary.create_id(year, gid))
            if summary is None:
                summary = DistrictClusterSummary(year=year, province_id=cycle.province_id,
                                                 group_id=gid, group_code=group["code"], **args)
            else:
                summary.resend(**args)
            return {"id": str(summary.id), "year": year, "province_code": cycle.province_code,
                    "group_code": group["code"], "head_code": summary.head_code,
                    "rows": rows, "average": average, "not_sent": not_sent, "late": late,
                    "sends": summary.sends, "version": summary.version}, [summary]

        return self.act(actor, "summary.send", work, group_head_units=heads)

    def _district_summary_rows(self, cycle: DistrictCycle, members: list[str]
                      ) -> tuple[list[dict[str, Any]], str | None, list[dict[str, str]]]:
        rows, not_sent, total, counted = [], [], Decimal(0), 0
        for m in members:
            sheet = self.find_sheet(cycle.year, "self", m, m)
            rev = sheet.sent if sheet is not None else None
            if rev is None:
                not_sent.append({"member_code": cycle.code_of(m),
                                 "state": sheet.current["state"] if sheet else "none"})
                used = None
            else:
                total += Decimal(rev["total"])
                counted += 1
                used = {"sheet_id": str(sheet.id), "revision": rev["revision"],  # type: ignore[union-attr]
                        "total": rev["total"]}
            nominators = [cycle.code_of(p) for p in members if p != m and (
                n := self.find(DistrictNomination, DistrictNomination.create_id(
                    cycle.year, p, m))) is not None and n.state == "submitted"]
            rows.append({"unit_id": m, "code": cycle.code_of(m), "self": used,
                         "nominations": len(nominators), "nominators": nominators})
        return rows, fmt(ratio(total, counted)), not_sent
