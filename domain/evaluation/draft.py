"""A year's cycle as the standing office proposes it (CycleDraft): the deadline, the
reference date, the units taking part, who monitors provinces, whom the organisation scorers
score and the field-information units, each checked, in that order, before the cycle opens
(or before an amendment). Every unit named must be active on the cycle's reference date
(domain.md §5, §7)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Protocol

from domain.evaluation.fields import check_fields_in_cycle
from domain.evaluation.rules import check_text, deadline_of
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation

EVALUATED = ("central", "province")  # the levels a cycle evaluates
ABOUT = ("province",)  # the levels an appendix item reports on, unless the cycle says more
# The day a year's evaluation counts its units on, unless the rule set or the cycle names
# another (the letters are silent; docs/decisions.md "A cycle's reference date").
DEFAULT_REFERENCE_DAY: dict[str, int] = {"month": 12, "day": 31}


class UnitFacts(Protocol):
    """What a draft needs of a unit (domain.organisation.units.Unit has it)."""

    @property
    def id(self) -> Any: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def ended(self) -> str | None: ...
    @property
    def end_status(self) -> str | None: ...
    @property
    def started(self) -> str: ...
    def period_on(self, day: date) -> Mapping[str, Any] | None: ...


UnitOf = Callable[[Any, str], UnitFacts]  # (code, field) -> the unit, or NotFound naming field


def cycle_deadline(rules: Mapping[str, Any], year: int, given: str | None) -> date:
    """The deadline given, or the rule set's; always within December to the next year's end."""
    due = parse_date(given, "deadline") if given else deadline_of(rules, year)
    if not date(year, 12, 1) <= due <= date(year + 1, 12, 31):
        raise InvalidInput(f"The deadline of the {year} evaluation falls between "
                           f"1 December {year} and the end of {year + 1}.",
                           field="deadline", rule="deadline_range")
    return due


def reference_date(rules: Mapping[str, Any], year: int, given: str | None) -> date:
    """The day the cycle counts its units on: the date given, or the rule set's day and
    month of the year (``reference_day``), or 31 December; always inside the year."""
    if given:
        day = parse_date(given, "reference_date")
    else:
        d = rules.get("reference_day") or DEFAULT_REFERENCE_DAY
        day = date(year, int(d["month"]), int(d["day"]))
    if day.year != year:
        raise InvalidInput(f"The reference date of the {year} evaluation is a day of {year} "
                           f"(1 January to 31 December {year}), not {day.isoformat()}.",
                           field="reference_date", rule="reference_date_in_year")
    return day


def check_active_on(unit: UnitFacts, day: date, field: str) -> None:
    """Refuse a unit that does not exist on ``day``: ended (merged, dissolved) by then, or
    not yet begun."""
    if unit.period_on(day) is not None:
        return
    if unit.ended and date.fromisoformat(unit.ended) <= day:
        why = f"it ended on {unit.ended} ({unit.end_status})"
    else:
        why = f"it begins on {unit.started}"
    raise RuleViolation(f"{unit.code} is not active on {day.isoformat()}, the cycle's "
                        f"reference date: {why}. A cycle counts only the units active on "
                        "its reference date.", field=field, rule="unit_active_on_reference_date")


def name_on(unit: UnitFacts, day: date) -> str:
    period = unit.period_on(day)
    return str(period["name"]) if period else unit.name


def evaluated(unit_of: UnitOf, code: Any, field: str,
              levels: tuple[str, ...] = EVALUATED, on: date | None = None) -> UnitFacts:
    """The unit of ``code``, refused unless it is active ``on`` the reference date and of
    one of ``levels``."""
    unit = unit_of(code, field)
    if on is not None:
        check_active_on(unit, on, field)
    if unit.level not in levels:
        raise RuleViolation(f"{code} is a {unit.level} unit; here only "
                            f"{' or '.join(levels)} units take part.", field=field,
                            rule="evaluated_level")
    return unit


@dataclass(frozen=True)
class CycleDraft:
    """Everything a cycle's Opened event records but the moment, checked."""

    year: int
    ruleset: dict[str, Any]
    rules: dict[str, Any]
    deadline: str
    reference_date: str
    units: list[dict[str, Any]]
    monitoring: list[dict[str, Any]]
    organisation_scoring: list[dict[str, Any]]
    field_units: list[dict[str, Any]]
    standing_office: str | None

    @classmethod
    def build(cls, *, year: int, ruleset: dict[str, Any], rules: dict[str, Any],
              deadline: str | None, units: Sequence[Any], monitoring: Sequence[Any],
              organisation_scoring: Sequence[Any], field_units: Sequence[Any],
              standing_office_code: str | None, unit_of: UnitOf,
              reference: str | None = None) -> CycleDraft:
        """Check the standing office's input against the rules, loading units by code with
        ``unit_of``; the first rule broken is refused, naming its field. Each unit is taken
        as it is on the reference date (its name then)."""
        due = cycle_deadline(rules, year, deadline)
        ref = reference_date(rules, year, reference)
        taking = _taking(year, units, unit_of, ref)
        member = _Members(taking, unit_of, ref)
        watch = _monitoring(member, monitoring)
        check_fields_in_cycle(rules, watch)
        org = _organisation(member, organisation_scoring)
        fields = _field_units(member, field_units)
        office = evaluated(unit_of, standing_office_code, "standing_office_code",
                           ("central",), on=ref) if standing_office_code else None
        return cls(year=year, ruleset=ruleset, rules=rules, deadline=due.isoformat(),
                   reference_date=ref.isoformat(),
                   units=[{"id": str(u.id), "code": u.code, "name": name_on(u, ref),
                           "level": u.level} for u in taking.values()],
                   monitoring=watch, organisation_scoring=org, field_units=fields,
                   standing_office=str(office.id) if office else None)

    def opened(self) -> dict[str, Any]:
        """The Opened event's attributes (but ``at``): the draft's fields are named so."""
        return asdict(self)


def _taking(year: int, codes: Sequence[Any], unit_of: UnitOf,
            on: date) -> dict[Any, UnitFacts]:
    if not codes:
        raise RuleViolation(f"No unit takes part: form the {year} blocks and provincial "
                            "clusters first, or list the units.", field="units",
                            rule="cycle_has_units")
    if len(set(codes)) != len(codes):
        raise InvalidInput("A unit is listed twice.", field="units", rule="unit_once")
    return {c: evaluated(unit_of, c, f"units[{i}]", on=on) for i, c in enumerate(codes)}


@dataclass(frozen=True)
class _Members:
    """The units of the cycle, for the lists that must name one of them."""

    taking: Mapping[Any, UnitFacts]
    unit_of: UnitOf
    on: date

    def __call__(self, code: Any, field: str, level: str = "central") -> UnitFacts:
        if code not in self.taking:
            self._not_taking(code, field)
        unit = self.taking[code]
        if unit.level != level:
            raise RuleViolation(f"{code} must be a {level} unit here.", field=field,
                                rule="scorer_level")
        return unit

    def _not_taking(self, code: Any, field: str) -> None:
        """A unit that ended (or has not begun) by the reference date is named as such:
        that is why it cannot take part; any other is simply not in the list."""
        try:
            unit = self.unit_of(code, field) if isinstance(code, str) else None
        except (NotFound, InvalidInput):
            unit = None
        if unit is not None:
            check_active_on(unit, self.on, field)
        raise RuleViolation(f"{code} is not among the units of the cycle.", field=field,
                            rule="unit_in_cycle")


def _monitoring(member: _Members, given: Sequence[Any]) -> list[dict[str, Any]]:
    """The central units that monitor provinces, each once, with its field."""
    out, seen = [], set()
    for i, m in enumerate(given):
        u = member(m.get("unit_code"), f"monitoring[{i}].unit_code")
        if u.code in seen:
            raise InvalidInput(f"{u.code} is listed twice.", field=f"monitoring[{i}]",
                               rule="unit_once")
        seen.add(u.code)
        out.append({"unit_id": str(u.id), "code": u.code,
                    "field": check_text(m.get("field"), f"monitoring[{i}].field", 500)})
    return out


def _organisation(member: _Members, given: Sequence[Any]) -> list[dict[str, Any]]:
    """Whom Vụ Tổ chức cán bộ and Văn phòng score: each central unit by one scorer at most,
    never by itself."""
    out, scored = [], set()
    for i, o in enumerate(given):
        u = member(o.get("unit_code"), f"organisation_scoring[{i}].unit_code")
        subjects = []
        for j, code in enumerate(o.get("subjects") or []):
            where = f"organisation_scoring[{i}].subjects[{j}]"
            s = member(code, where)
            if s.code == u.code or s.code in scored:
                raise RuleViolation(f"{s.code} is scored by one organisation scorer, not by "
                                    "itself or twice.", field=where,
                                    rule="organisation_subject_once")
            scored.add(s.code)
            subjects.append(str(s.id))
        out.append({"unit_id": str(u.id), "code": u.code, "subjects": subjects})
    return out


def _field_units(member: _Members, given: Sequence[Any]) -> list[dict[str, Any]]:
    """The appendix's field-information units: distinct item numbers 1–50, each with the
    levels of the units its facts concern (``about``: provinces by default; central units
    too for facts of the whole sector)."""
    out, items = [], set()
    for i, f in enumerate(given):
        u = member(f.get("unit_code"), f"field_units[{i}].unit_code")
        item = f.get("item")
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 50 \
                or item in items:
            raise InvalidInput("Items are distinct numbers 1–50.",
                               field=f"field_units[{i}].item", rule="item_number")
        items.add(item)
        entry = {"item": item, "unit_id": str(u.id), "code": u.code,
                 "topic": check_text(f.get("topic"), f"field_units[{i}].topic", 2000)}
        levels = _about(f.get("about"), f"field_units[{i}].about")
        if levels != list(ABOUT):  # recorded only where it says more than the default
            entry["about"] = levels
        out.append(entry)
    return out


def _about(value: Any, field: str) -> list[str]:
    if value is None:
        return list(ABOUT)
    if not isinstance(value, list) or not value or len(set(value)) != len(value) or any(
            v not in EVALUATED for v in value):
        raise InvalidInput("about lists the levels whose units the item reports on: "
                           "'province', 'central' or both, each once.", field=field,
                           rule="field_about")
    return [level for level in ("province", "central") if level in value]


def about(field_unit: Mapping[str, Any]) -> list[str]:
    """The levels a cycle's field unit reports on (provinces, for a cycle opened before
    reports on central units existed)."""
    return list(field_unit.get("about") or ABOUT)
