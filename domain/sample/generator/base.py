"""What every phase of the generator shares: the simulated calendar, the counts, the people
who act (each request with an id of its own) and the names of the units. The phases
(organisation, elections, evaluation) subclass :class:`GeneratorBase`, never each other."""

from __future__ import annotations

import functools
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.evaluation.cycle import VIETNAM
from domain.evaluation.ruleset import sample_ruleset
from domain.kernel.actor import Actor
from domain.organisation.units import unit_id
from domain.sample import organisation as org
from domain.sample.evaluation import CRITERIA
from domain.users.accounts import user_id

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân", "Hải")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Yến")


@dataclass
class Counts:
    units: int = 0
    users: int = 0
    groups: int = 0
    elections: int = 0
    ballots: int = 0
    covenants: int = 0
    signatures: int = 0
    findings: int = 0
    sheets: int = 0
    saves: int = 0
    revisions: int = 0
    returns: int = 0
    corrections: int = 0
    late_submissions: int = 0
    extensions: int = 0
    nominations: int = 0
    field_reports: int = 0
    summaries: int = 0
    decisions: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class Calendar:
    """Acts to run at simulated moments, in time order (ties: the order they were planned)."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self._heap: list[tuple[datetime, int, Callable[[], Any]]] = []
        self._seq = 0
        self.done = 0
        # told (acts run, acts run and planned) as the acts run: a command's progress
        self.tick: Callable[[int, int], None] = lambda _done, _planned: None

    def at(self, when: datetime, act: Callable[..., Any], *args: Any) -> None:
        bound: Callable[[], Any] = functools.partial(act, *args)
        heapq.heappush(self._heap, (max(when, self.now), self._seq, bound))
        self._seq += 1

    def run(self) -> None:
        while self._heap:
            when, _, act = heapq.heappop(self._heap)
            self.now = when
            act()
            self.done += 1
            self.tick(self.done, self.done + len(self._heap))


def moment(day: date, hour: float = 9.0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM) + timedelta(hours=hour)


def quarter(value: float, top: int) -> str:
    """A score rounded to a quarter point, within 0..top."""
    q = Decimal(max(0, min(round(value * 4), top * 4))) / 4
    return str(q.normalize()) if q != q.to_integral_value() else str(int(q))


_NAMES: dict[str, str] = {}


def org_name(code: str) -> str:
    if not _NAMES:  # the names of the latest year the generator moved to (on_year)
        _NAMES.update(org.CENTRAL_UNITS)
        _NAMES.update((c, n) for c, n, _ in org.PROVINCES)
        for c, _, _ in org.PROVINCES:
            _NAMES.update(org.district_offices(c))
    return _NAMES.get(code, code)


def org_code(uid: str, members: list[str]) -> str:
    return next((c for c in members if str(unit_id(c)) == uid), uid)


class GeneratorBase:
    """The generator's state and its people; the phases add what they do."""

    # the units of the year the generator is on (OrganisationPhase.on_year)
    limited: set[str]
    provinces: list[str]
    centrals: list[str]
    districts: dict[str, list[str]]
    known: set[str]
    standing_office: str
    leader_of: dict[str, str]
    deadline: date  # the open cycle's (EvaluationPhase.open_cycle)

    def __init__(self, app: Any, *, seed: int, provinces: int | None,
                 say: Callable[[str], None]) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.say = say
        self.limit = provinces
        self.counts = Counts()
        self.cal = Calendar(moment(date(2000, 1, 1)))
        self.actors: dict[str, Actor] = {}
        self.criteria = [(c["code"], int(Decimal(c["max"])))
                         for c in sample_ruleset(CRITERIA)["criteria"]]
        self.previous_heads: dict[tuple[str, str, str | None], str] = {}
        self.secretariats: dict[str, Actor] = {}
        self.fresh = False  # an empty store: nothing to look up before registering
        self.admin = Actor(user_id="generator", user_name="generator",
                           roles=("admin", "standing_office"), unit_id=None, source="cli")

    # -- people ----------------------------------------------------------------------------
    def name(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def user(self, username: str, roles: list[str], unit_code: str | None,
             assigned: list[str] | None = None) -> Actor:
        full_name = self.name()
        if self.fresh or not self.app.exists(user_id(username)):
            self.app.register_user(self.admin, username=username, full_name=full_name,
                                   roles=roles, unit_code=unit_code,
                                   assigned_unit_codes=assigned or [])
            self.counts.users += 1
        u = self.app.user(username)
        n = len(self.actors) + 1
        actor = Actor(user_id=str(u.id), user_name=u.username, roles=tuple(u.roles),
                      unit_id=u.unit_id, unit_code=u.unit_code,
                      source=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                      assigned_units=tuple(u.assigned_units))
        self.actors[username] = actor
        return actor

    def act(self, actor: Actor) -> Actor:
        """The actor of one request: a request id of its own."""
        return replace(actor, request_id=f"{self.rng.getrandbits(64):016x}")

    def officer(self, code: str) -> Actor:
        return self.act(self.actors[f"cb.{code.lower()}"])

    def head_of(self, code: str) -> Actor:
        return self.act(self.actors[f"ld.{code.lower()}"])

    def secretariat(self, code: str) -> Actor:
        if code not in self.secretariats:
            self.secretariats[code] = self.user(f"tt.{code.lower()}", ["group_secretariat"], code)
        return self.act(self.secretariats[code])

    @property
    def office(self) -> Actor:
        return self.act(self.actors[f"thuongtruc.{self.standing_office.lower()}"])

    def leader_for(self, code: str) -> Actor:
        return self.act(self.actors[self.leader_of[code]])

    # -- the structure's calendar ------------------------------------------------------------
    def staffed_on(self, year: int) -> date:
        """When the year's users are registered: early January, or before the December
        meeting that elects the first heads on a new structure."""
        return date(year - 1, 11, 20) if self.first_on_new_structure(year) else date(year, 1, 5)

    def first_on_new_structure(self, year: int) -> bool:
        """The year's groups are the first after the reorganisation (no groups the year
        before): their heads are elected at a December meeting of the year before."""
        return year > org.SAMPLE_YEAR and not self.app.group_year(year - 1).groups
