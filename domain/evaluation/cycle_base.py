"""What a cycle of evaluation obeys, whoever runs it: the sector's cycle of a year
(EvaluationCycle) and a province's cycle of its district offices (DistrictCycle). Its deadline
is a day in Hanoi (the rule set's ``deadline.included``, ``late_opening`` and
``extension_limit_days``), a submission after it needs a running extension, it moves open →
closed → under review → decided, and who takes part may be amended only until its first sheet
is sent. Each cycle records its own events under its own topics; the rules are stated here
once, in each cycle's own words (:meth:`CycleRules.what`, :meth:`CycleRules.extender`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from domain.evaluation.rules import deadline_included, last_day
from domain.evaluation.ruleset import extension_limit_days, late_opening
from domain.kernel.errors import RuleViolation

# Deadlines are days in Vietnam: a day ends at midnight Hanoi time (UTC+7).
VIETNAM = timezone(timedelta(hours=7))
MOVES = {"closed": "open", "under_review": "closed", "decided": "under_review"}


def end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), VIETNAM)


def hanoi_today(now: datetime) -> date:
    return (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(VIETNAM).date()


def opened_after_deadline(deadline: str, at: str) -> bool:
    """Whether a cycle opened at ``at`` (ISO time) was opened once its deadline day had
    ended in Hanoi."""
    moment = datetime.fromisoformat(at)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment >= end_of_day(date.fromisoformat(deadline))


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


class CycleRules:
    """The rules every cycle keeps (a mixin of the cycle aggregates, holding no state of its
    own). The cycle names itself (:meth:`what`), whoever grants its extensions
    (:meth:`extender`), what an amendment may change (``AMENDABLE``), whether a unit takes
    part (:meth:`takes_part`) and a unit's code (``code_of``), and records its own
    ``_first_sheet_sent`` event."""

    year: int
    rules: dict[str, Any]
    deadline: str
    state: str
    history: list[dict[str, Any]]
    extensions: dict[str, dict[str, Any]]
    # The first sheet sent (its id, scorer and moment), after which who takes part is fixed;
    # and the amendments before it. Defaults for cycles stored before either existed.
    first_sent: dict[str, Any] | None = None
    amendments: tuple[dict[str, Any], ...] = ()
    AMENDABLE = "its units and who scores whom"

    # -- the cycle's words (each cycle says them its own way) ------------------------------
    def what(self) -> str:
        """The cycle in words, lower case: 'the 2026 evaluation'."""
        return f"the {self.year} evaluation"

    def extender(self) -> str:
        """Who grants the cycle's extensions, in words."""
        return "the standing office"

    def first_sheet_words(self) -> str:
        return f"{upper_first(self.what())}'s first sheet"

    def takes_part(self, unit_id: str) -> bool:
        raise NotImplementedError

    def code_of(self, unit_id: str, known: str | None = None) -> str:
        raise NotImplementedError

    def _first_sheet_sent(self, sheet_id: str, scorer_code: str, at: str) -> None:
        raise NotImplementedError  # the cycle's own event

    # -- states ------------------------------------------------------------------------------
    def check_open(self, what: str = "submissions") -> None:
        if self.state != "open":
            raise RuleViolation(f"{upper_first(self.what())} is "
                                f"{self.state.replace('_', ' ')}; it takes no more {what}.",
                                field="year", rule="cycle_open")

    def check_move(self, to: str) -> None:
        if self.state != MOVES[to]:
            raise RuleViolation(f"{upper_first(self.what())} is {self.state}; it moves to "
                                f"{to} only from {MOVES[to]}.", field="state",
                                rule="cycle_order")

    # -- the deadline --------------------------------------------------------------------------
    @staticmethod
    def check_opening(rules: dict[str, Any], year: int, deadline: str, at: str,
                      what: str | None = None) -> None:
        """A cycle opened after its deadline takes no submission without an extension: the
        rule set's ``late_opening`` says whether it is refused (or opened with a warning).
        ``what``: the cycle in words (default: the sector's of ``year``)."""
        if opened_after_deadline(deadline, at) and late_opening(rules) == "refuse":
            raise RuleViolation(
                f"The deadline of {what or f'the {year} evaluation'}, {deadline}, has passed: "
                "a cycle is opened before its deadline (the rule set's late_opening is "
                "'refuse'); give a later deadline.", field="deadline",
                rule="cycle_opened_before_deadline")

    def opening_warnings(self) -> list[dict[str, str]]:
        """What the cycle's opener is told: that the deadline had passed."""
        opened = str(self.history[0]["at"])
        if not opened_after_deadline(self.deadline, opened):
            return []
        limit = extension_limit_days(self.rules)
        return [{"rule": "cycle_opened_before_deadline", "field": "deadline",
                 "message": f"The deadline of {self.what()}, {self.deadline}, had passed when "
                            f"it was opened ({opened[:10]}): every submission needs "
                            f"{self.extender()}'s extension, which runs at most {limit} days "
                            "past the deadline (extension_limit_days)."}]

    @property
    def opened_late(self) -> bool:
        return opened_after_deadline(self.deadline, str(self.history[0]["at"]))

    @property
    def last_day(self) -> date:
        """The last day a submission is in time: the deadline itself, or the day before it
        when the rule set reads "trước ngày" as excluding the day (``deadline.included``)."""
        return last_day(self.rules, date.fromisoformat(self.deadline))

    def deadline_words(self) -> str:
        if deadline_included(self.rules):
            return f"the deadline of {self.deadline}"
        return f"the deadline (before {self.deadline}: the last day in time was {self.last_day})"

    def judge(self, unit_id: str, now: datetime, unit_code: str | None = None) -> bool:
        """Whether a submission by ``unit_id`` now is late; refuse it if late without an
        extension that still runs."""
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
        if now < end_of_day(self.last_day):
            return False
        ext = self.extensions.get(unit_id)
        if ext and now < end_of_day(date.fromisoformat(ext["until"])):
            return True
        extra = f"; its extension ran until {ext['until']}" if ext else ""
        raise RuleViolation(
            f"{self.deadline_words().capitalize()} has passed and "
            f"{self.code_of(unit_id, unit_code)} has no running extension from "
            f"{self.extender()}{extra}.", field="deadline", rule="deadline_passed")

    def check_extension(self, unit_id: str, unit_code: str, until: str) -> None:
        """An extension is for a unit of the cycle, while it is open, past the deadline and
        at most the rule set's ``extension_limit_days`` past it."""
        self.check_open("extensions")
        if not self.takes_part(unit_id):
            raise RuleViolation(f"{unit_code} does not take part in {self.what()}.",
                                field="unit_code", rule="unit_in_cycle")
        if date.fromisoformat(until) <= self.last_day:
            raise RuleViolation(f"An extension runs past {self.deadline_words()}.",
                                field="until", rule="extension_after_deadline")
        limit = extension_limit_days(self.rules)
        latest = date.fromisoformat(self.deadline) + timedelta(days=limit)
        if date.fromisoformat(until) > latest:
            raise RuleViolation(
                f"An extension runs at most {limit} days past the deadline of {self.deadline} "
                f"(the rule set's extension_limit_days): until {latest.isoformat()} at the "
                "latest.", field="until", rule="extension_within_limit")

    # -- amendments (before the first sheet is sent) ---------------------------------------
    def check_amendable(self) -> None:
        """Who takes part may change while the cycle is open and no sheet has been sent: a
        sent sheet was scored on the cycle as it stood."""
        self.check_open("amendments")
        if self.first_sent:
            raise RuleViolation(
                f"{self.first_sheet_words()} was sent on {self.first_sent['at'][:10]} (by "
                f"{self.first_sent['scorer_code']}); {self.AMENDABLE} can no longer be "
                "amended.", field="year", rule="amend_before_first_sheet")

    def note_sent(self, sheet_id: str, scorer_code: str, at: str) -> bool:
        """Record the first sheet sent (which fixes who takes part); False if one was
        already recorded (nothing changes)."""
        if self.first_sent:
            return False
        self._first_sheet_sent(sheet_id=sheet_id, scorer_code=scorer_code, at=at)
        return True
