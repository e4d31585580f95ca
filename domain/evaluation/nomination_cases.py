"""Use cases of nominations (đề xuất "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"):
submit, withdraw, and, for a central unit's, the approval of its leader in charge (or a
return with the reason) before it counts (the 2023 letter, 1.a: "Các nội dung về chấm điểm
thi đua, đánh giá, xếp loại đề nghị có phê duyệt của Lãnh đạo BHXH Việt Nam phụ trách đơn vị
trước khi gửi tổng hợp").

Who may (domain/kernel/rights.py): the proposer's officer or head submits and withdraws
(``nomination.write``); the leader in charge of a central proposer approves
(``nomination.approve``); that leader or the standing office returns (``nomination.return``).
"""

from __future__ import annotations

from typing import Any

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.items import Nomination
from domain.evaluation.rules import OUTSTANDING, check_text
from domain.evaluation.ruleset import separation_of_duties
from domain.evaluation.scoring import needs_leader_approval
from domain.kernel.actor import Actor
from domain.kernel.errors import RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done


def nomination_view(n: Nomination) -> dict[str, Any]:
    """A nomination as every answer about it shows it (the view's list says the same)."""
    return {"id": str(n.id), "year": n.year, "proposer_code": n.proposer_code,
            "subject_code": n.subject_code, "basis": n.basis, "state": n.state,
            "late": n.late, "justification": n.justification,
            "needs_approval": n.needs_approval, "approved_by": n.approved_by,
            "returns": list(n.returns), "stands": n.stands, "version": n.version}


class EvaluationNominationCases(EvaluationLookups):
    """Đề xuất đơn vị "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"."""

    def nominate(self, actor: Actor, *, year: int, subject_code: str, justification: str,
                 proposer_code: str | None = None) -> Done:
        """Nominate a unit for the outstanding title: a unit itself, a scoring unit a unit
        it scores, a province a monitoring central unit (domain.md §5). A central unit's
        nomination then waits for its leader in charge's approval."""
        justification = check_text(justification, "justification", 5000)
        proposer = self.acting_unit(actor, proposer_code, "proposer_code")
        subject = self.unit(subject_code, "subject_code")
        pid, sid = str(proposer.id), str(subject.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_open("nominations")
            cycle.check_in_cycle(pid, proposer.code, "proposer_code")
            cycle.check_in_cycle(sid, subject.code, "subject_code")
            if pid == sid:
                basis = "self"
            elif cycle.scores(pid, sid):
                basis = ("province" if cycle.level(pid) == "province"
                         and cycle.level(sid) == "central" else "scorer")
            else:
                raise RuleViolation(
                    f"{proposer.code} cannot nominate {subject.code} for '{OUTSTANDING}': a "
                    "unit nominates itself, a unit it scores, or (a province) a monitoring "
                    "central unit.", field="subject_code", rule="nomination_who")
            late = cycle.judge(pid, self.now(), proposer.code)
            now = self.now().isoformat()
            nomination = self.find(Nomination, Nomination.create_id(year, pid, sid))
            if nomination is None:
                nomination = Nomination(
                    year=year, proposer_id=pid, proposer_code=proposer.code, subject_id=sid,
                    subject_code=subject.code, basis=basis, justification=justification,
                    late=late, at=now,
                    needs_approval=needs_leader_approval(str(cycle.level(pid))))
            else:
                nomination.resubmit(justification=justification, late=late, at=now)
            return nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.write", work, unit_id=pid)

    def nomination(self, nomination_id: Any) -> Nomination:
        return self.load(Nomination, parse_uuid(nomination_id, "nomination_id"),
                         what=f"nomination {nomination_id}", field="nomination_id")

    def withdraw_nomination(self, actor: Actor, nomination_id: Any, *,
                            reason: str) -> Done:
        reason = check_text(reason, "reason")
        nomination = self.nomination(nomination_id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            self.cycle(nomination.year).check_open("withdrawals")
            nomination.withdraw(reason=reason, at=self.now().isoformat())
            return nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.write", work, unit_id=nomination.proposer_id,
                        reason=reason)

    def approve_nomination(self, actor: Actor, nomination_id: Any, *,
                           version: int | None = None) -> Done:
        """The leader in charge approves a central unit's submitted nomination; never one
        who submitted it (the cycle's separation of duties, as for sheets)."""
        nomination = self.nomination(nomination_id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            self.check_version(nomination, version, "nomination")
            cycle = self.cycle(nomination.year, readonly=True)
            cycle.check_open("approvals")
            nomination.approve(by=actor.user_id, at=self.now().isoformat(),
                               separate=separation_of_duties(cycle.rules)["approve"])
            return nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.approve", work, unit_id=nomination.proposer_id)

    def return_nomination(self, actor: Actor, nomination_id: Any, *, reason: str,
                          version: int | None = None) -> Done:
        """Return a submitted or approved nomination to its proposer, with the reason."""
        reason = check_text(reason, "reason")
        nomination = self.nomination(nomination_id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            self.check_version(nomination, version, "nomination")
            cycle = self.cycle(nomination.year, readonly=True)
            cycle.check_open("returns")
            nomination.return_(reason=reason, by=actor.user_id, at=self.now().isoformat(),
                               separate=separation_of_duties(cycle.rules)["return"])
            return nomination_view(nomination), [nomination]

        return self.act(actor, "nomination.return", work, unit_id=nomination.proposer_id,
                        reason=reason)
