"""Use case of a group's office (chức danh Khối trưởng / Cụm trưởng) between elections: the
standing office designates a unit to act in a seat left vacant (giới thiệu)."""

from __future__ import annotations

from typing import Any

from domain.covenants.covenant import check_text
from domain.elections.base import ElectionLookups
from domain.elections.rules import check_seat
from domain.kernel.actor import Actor
from domain.kernel.dates import parse_date
from domain.kernel.errors import RuleViolation
from domain.kernel.result import Done


class OfficeCases(ElectionLookups):
    """Acting holders of a vacant seat, until the line's next election."""

    def designate_acting(self, actor: Actor, *, group_id: str, year: int, unit_code: str,
                         reason: str, seat: str = "head",
                         effective: str | None = None) -> Done:
        """The standing office designates a member unit of the group to act in a seat left
        vacant when its holder's unit ended (merged, dissolved), until the line's next
        election (letter 4268 A.I.1, "giới thiệu"). ``effective`` defaults to today."""
        seat = check_seat(seat)
        reason = check_text(reason, "reason")
        day = parse_date(effective, "effective") if effective else self.now().date()
        group = self.group_in_year(group_id, year)
        gid = group["id"]

        def work() -> tuple[dict[str, Any], list[Any]]:
            office = self.group_office(gid, year)
            if office is None:
                raise RuleViolation(f"{group['code']} has never elected a head: there is no "
                                    "vacant seat to act in; hold an election.", field="seat",
                                    rule="seat_vacant")
            unit = self.unit(unit_code, "unit_code")
            held = office.sitting(seat)
            office.designate_acting(
                seat=seat, unit_id=str(unit.id), unit_code=unit.code, group_id=gid,
                effective=day.isoformat(), reason=reason,
                holder_ended=self.unit_ended(str(held["unit_id"])) if held else None,
                is_member=str(unit.id) in (
                    self.group_year(year).members_on(gid, day.isoformat())
                    if day.year == year else group["members"]),
                active_on_effective=unit.period_on(day) is not None)
            return self.office_summary(office, group, year, day), [office]

        return self.act(actor, "office.designate", work, reason=reason)
