"""A deterministic synthetic national year (or several) through the real domain use cases.

``generate(app, years=1, first_year=2024, seed=1)`` fills a :class:`domain.application.Thidua`
with what a year of thi đua at BHXH Việt Nam records: the SAMPLE organisation (63 provinces,
703 district offices, 24 central units) loaded if the store is empty, users with their roles,
then for each year the blocks, provincial clusters and district partitions; an election with
ballots in every group (rotation respected from the second year on); a covenant per group with
signatures, registered targets and inspection findings; the evaluation cycle with a
20-criterion rule set; every kind of score sheet, drafted in several saves, submitted,
approved by the leader in charge (central scorers), some returned and revised, some sent
sheets corrected, a few submitted late under an extension; nominations, field reports from
the 11 field units, each provincial cluster head's summary, the council's review and the
General Director's decision.

Every choice comes from ``random.Random(seed)``, so one seed gives the same events in the
same order (their recorded timestamps aside). The acts of a year are played on a simulated
calendar (``app.clock`` set for each act, restored at the end), interleaved as officers would
do them: a year runs from mid-February (groups, elections, covenants) to the decision early
in February of the next year.

Measured on the 2-core development machine (embedded PostgreSQL, seed 1, no projections
running in the same process):

- scale 1 (one year, 63 provinces): 32,039 events in 217 s: 1,583 for the organisation
  (790 units, the first year's groups), 1,714 users, then the year: 131 election rounds in
  the 126 groups with 1,503
  ballots, 126 covenants with 790 signatures, 2,253 score sheets in 14,908 saves, 87 returns,
  43 corrections, 55 late submissions, 106 nominations, 693 field reports, 8 summaries and the
  decision.
- each further year: about 28,900 events in about 205 s (60,898 events for two years in
  497 s). Scale 10 is therefore about 292,000 events in about 35 minutes.

Almost all of that time is the domain's own, about 7 ms per event: each use case replays the
aggregates it loads (3-4 per act, no snapshots or cache) and commits its own transaction, and
every connection taken from the event store's pool is pinged first (``POSTGRES_PRE_PING`` in
``web.database.eventsourcing_env``): with the ping off the same year takes about 40% less time.
"""

from __future__ import annotations

import functools
import heapq
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.evaluation.cycle import VIETNAM
from domain.evaluation.ruleset import sample_ruleset
from domain.evaluation.sheets import sheet_id
from domain.kernel.actor import Actor
from domain.organisation.groups import group_id
from domain.organisation.units import unit_id
from domain.sample import organisation as org
from domain.sample.evaluation import CRITERIA, open_sample_cycle, sample_cycle_setup
from domain.sample.loader import load_sample, record_decisions
from domain.sample.years import groups_of_year, world_of_year
from domain.users.accounts import user_id

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân", "Hải")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Yến")
TARGETS = [  # (code, name, unit of measure, direction, typical value)
    ("THU", "Tỷ lệ hoàn thành kế hoạch thu BHXH, BHYT, BHTN", "%", "at_least", 100),
    ("NO", "Tỷ lệ nợ đọng trên tổng số phải thu", "%", "at_most", 2),
    ("BHYT", "Tỷ lệ dân số tham gia BHYT", "%", "at_least", 93),
    ("BHXHTN", "Số người tham gia BHXH tự nguyện tăng thêm", "người", "at_least", 1500),
    ("VSSID", "Số người cài đặt và sử dụng VssID", "người", "at_least", 50000),
    ("HSDT", "Tỷ lệ hồ sơ giải quyết qua dịch vụ công trực tuyến", "%", "at_least", 90),
    ("TRE", "Số hồ sơ giải quyết trễ hạn", "hồ sơ", "at_most", 10),
    ("KN", "Tỷ lệ đơn thư khiếu nại, tố cáo được giải quyết đúng hạn", "%", "at_least", 100),
    ("TT", "Số tin, bài tuyên truyền về chính sách BHXH, BHYT", "tin, bài", "at_least", 120),
    ("DT", "Số lượt công chức, viên chức được đào tạo, bồi dưỡng", "lượt", "at_least", 60),
]
FIGURES = {  # field report item -> figure names
    1: ("ke_hoach_thu_trieu_dong", "da_thu_trieu_dong", "ty_le_hoan_thanh", "no_bhxh_trieu_dong"),
    2: ("ho_so_giai_quyet", "ho_so_tre_han", "don_thu"),
    3: ("chi_kcb_trieu_dong", "du_toan_trieu_dong", "ty_le_su_dung"),
    4: ("tap_the_bi_ky_luat", "ca_nhan_bi_ky_luat"),
    5: ("cuoc_thanh_tra", "don_vi_sai_pham", "so_tien_thu_hoi_trieu_dong"),
    6: ("cuoc_kiem_toan", "kien_nghi", "kien_nghi_da_thuc_hien"),
    7: ("tin_bai", "su_co_truyen_thong"),
    8: ("diem_ung_dung_cntt", "giao_dich_dien_tu"),
    9: ("dang_ky_vssid", "phe_duyet_vssid", "ty_le_dan_so"),
    10: ("nhiem_vu_duoc_giao", "nhiem_vu_hoan_thanh", "nhiem_vu_tre_han"),
    11: ("to_chuc_dang_hoan_thanh_xuat_sac", "dang_vien_khong_hoan_thanh"),
}
RETURN_REASONS = ("Điểm tiêu chí chưa khớp với báo cáo kết quả thực hiện nhiệm vụ.",
                  "Thiếu minh chứng cho điểm thưởng; đề nghị rà soát lại.",
                  "Chấm điểm vượt so với kết quả kiểm tra thực tế.")
CORRECTION_REASONS = ("Điều chỉnh theo số liệu quyết toán thu năm.",
                      "Cập nhật kết quả thanh tra, kiểm tra cuối năm.",
                      "Sửa sai sót khi nhập điểm tiêu chí.")


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


class _Calendar:
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


class Generator:
    def __init__(self, app: Any, *, seed: int, provinces: int | None,
                 say: Callable[[str], None]) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.say = say
        self.limit = provinces
        self.counts = Counts()
        self.cal = _Calendar(moment(date(2000, 1, 1)))
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

    # -- the organisation --------------------------------------------------------------------
    def organisation(self, first_year: int) -> None:
        chosen = org.PROVINCES[:self.limit] if self.limit else org.PROVINCES
        later = first_year > org.SAMPLE_YEAR
        if self.app.recorder.max_notification_id() in (None, 0):
            if later and self.limit:
                raise ValueError(f"The {first_year} sample stands on the 2025 reorganisation, "
                                 "which needs every province: leave out --provinces.")
            self.fresh = True
            self.say("organisation: central units, provinces, district offices")
            self.cal.now = moment(date(first_year - 1, 11, 1) if later
                                  else date(first_year, 1, 2), 8)
            loaded = load_sample(self.app, self.admin, year=org.SAMPLE_YEAR,
                                 provinces=self.limit, progress=lambda m: None)
            self.counts.units += loaded["central"] + loaded["provinces"] + loaded["districts"]
            self.counts.groups += loaded["blocks"] + sum(
                1 for _, _, m in org.PROVINCIAL_CLUSTERS
                if any(p in {c for c, _, _ in chosen} for p in m)) + sum(
                org.district_cluster_count(n) for _, _, n in chosen)
            if later:
                self.say("organisation: the 2025 decisions")
                self.counts.extra["unit_changes"] = record_decisions(self.app, self.admin)
        self.limited = {c for c, _, _ in chosen if self.app.exists(unit_id(c))}
        self.on_year(first_year)

    def on_year(self, year: int) -> list[str]:
        """The units of ``year`` (domain.sample.years): who the year's acts are about. Returns
        the codes new since the last year (to be staffed)."""
        world = world_of_year(year)
        before = set(getattr(self, "known", set()))
        _NAMES.update({o.code: o.name for o in world.offices.values()})
        if year <= org.SAMPLE_YEAR:
            self.provinces = [c for c, _, _ in org.PROVINCES if c in self.limited]
        else:  # the provinces of the year; with a limit, those the chosen 2024 ones became
            live = {o.code for o in world.active("province")}
            if self.limit:
                live &= {world.successor(c) for c in self.limited}
            self.provinces = sorted(live)
        self.centrals = [o.code for o in world.active("central")]
        self.districts = {p: [o.code for o in world.districts_of(p)] for p in self.provinces}
        self.known = {*self.centrals, *self.provinces,
                      *(d for p in self.provinces for d in self.districts[p])}
        self.standing_office = sample_cycle_setup(year)["standing_office_code"]
        return sorted(self.known - before) if before else []

    def people(self, first_year: int) -> None:
        self.say("users")
        self.cal.now = max(self.cal.now, moment(self.staffed_on(first_year), 8))
        self.user(f"thuongtruc.{self.standing_office.lower()}", ["standing_office"],
                  self.standing_office)
        self.user("kiemtoan.noibo", ["auditor"], None)
        self.user("thanhtra.kiemtra", ["inspector"], None)
        leaders = 5
        self.leader_of: dict[str, str] = {}
        for i in range(leaders):
            mine = self.centrals[i::leaders]
            name = f"pho.tgd{i + 1}"
            held = set(self.user(name, ["leader"], "VP", assigned=mine).assigned_units)
            for c in self.centrals:  # as registered (a user of an earlier year keeps hers)
                if c in held or str(unit_id(c)) in held:
                    self.leader_of[c] = name
        self.staff([*self.centrals, *self.provinces,
                    *(d for p in self.provinces for d in self.districts[p])])

    def staff(self, codes: list[str]) -> None:
        """An officer and a unit head for each unit."""
        for code in codes:
            self.user(f"cb.{code.lower()}", ["officer"], code)
            self.user(f"ld.{code.lower()}", ["unit_head"], code)

    def groups(self, year: int) -> None:
        """The year's blocks, provincial clusters and district partitions (formed again each
        year after the first: membership is per year), on the units of that year."""
        existing = self.app.group_year(year).groups
        if existing:  # formed before (by the sample loader or by hand): take them as they are
            ids = {m for g in existing.values() if g["kind"] == "provincial_cluster"
                   for m in g["members"]}
            candidates = (org.PROVINCES if year <= org.SAMPLE_YEAR else
                          [(c, "", 0) for c in self.provinces])
            adopt = [c for c, _, _ in candidates if str(unit_id(c)) in ids]
            new = [c for c in adopt if c not in self.provinces]
            if new:
                self.limited |= set(new)
                self.on_year(year)
                self.staff([*new, *(d for p in new for d in self.districts[p])])
            return
        self.say(f"{year}: blocks, provincial clusters, district partitions")
        formed = (date(year - 1, 11, 25) if self.first_on_new_structure(year)
                  else date(year, 2, 12))
        self.cal.now = max(self.cal.now, moment(formed, 8))
        planned = groups_of_year(year, provinces=set(self.provinces))
        for kind, listed in (("block", planned.blocks),
                             ("provincial_cluster", planned.provincial_clusters)):
            for code, name, members in listed:
                self.app.form_group(self.office, year=year, kind=kind, code=code, name=name,
                                    members=members)
                self.counts.groups += 1
        for p in self.provinces:
            clusters = [dict(c, members=list(c["members"])) for c in planned.partitions[p]]
            if len(clusters) > 1 and self.rng.random() < 0.15:  # the province's own choice
                i = self.rng.randrange(len(clusters) - 1)
                if len(clusters[i]["members"]) > 1:
                    clusters[i + 1]["members"].insert(0, clusters[i]["members"].pop())
            self.cal.now += timedelta(minutes=7)
            self.app.publish_partition(
                self.head_of(p), year=year, province_code=p, clusters=clusters,
                scale={"district_offices": len(self.districts[p]),
                       "thu_ty_dong": str(self.rng.randint(800, 40000))},
                decision={"number": f"{self.rng.randint(10, 999)}/QĐ-BHXH",
                          "date": f"{year}-02-10"})
            self.counts.groups += len(clusters)

    def year_groups(self, year: int) -> list[dict[str, Any]]:
        codes = {str(unit_id(c)): c for c in [*self.centrals, *self.provinces,
                                              *(d for p in self.provinces
                                                for d in self.districts[p])]}
        out = []
        for g in self.app.group_year(year).groups.values():
            members = [codes[m] for m in g["members"] if m in codes]
            if members:
                out.append({**g, "codes": members})
        return out

    # -- elections and covenants -------------------------------------------------------------
    def staffed_on(self, year: int) -> date:
        """When the year's users are registered: early January, or before the December
        meeting that elects the first heads on a new structure."""
        return date(year - 1, 11, 20) if self.first_on_new_structure(year) else date(year, 1, 5)

    def first_on_new_structure(self, year: int) -> bool:
        """The year's groups are the first after the reorganisation (no groups the year
        before): their heads are elected at a December meeting of the year before."""
        return year > org.SAMPLE_YEAR and not self.app.group_year(year - 1).groups

    def elections(self, year: int, groups: list[dict[str, Any]]) -> None:
        start = date(year - 1, 12, 1) if self.first_on_new_structure(year) else date(year, 2, 15)
        for g in groups:
            office = self.app.group_office(g["id"], year)
            held = [t for t in (office.terms if office else [])
                    if t["seat"] == "head" and t["term"] == year]
            if held:  # elected for the year already (the sample's 2026 meeting): no new round
                chief = org_code(str(held[-1]["unit_id"]), g["codes"])
                self.previous_heads[(g["kind"], g["code"], g["province_id"])] = chief
                day = start + timedelta(days=self.rng.randrange(12))
                self.cal.at(moment(day, 9), self.covenant, year, g, chief)
                continue
            span = 12 if g["kind"] != "district_cluster" else 30
            day = start + timedelta(days=self.rng.randrange(span))
            self.cal.at(moment(day, 8 + self.rng.random() * 6),
                        self.election, year, g, 1)

    def election(self, year: int, g: dict[str, Any], round_no: int,
                 tied: list[str] | None = None) -> None:
        r = self.rng
        key = (g["kind"], g["code"], g["province_id"])
        members = g["codes"]
        if key not in self.previous_heads and year > 1995:
            prev = self.app.group_office(group_id(year - 1, *key), year - 1)
            held = prev.last_head_before(year) if prev else None
            if held:
                self.previous_heads[key] = org_code(held, members)
        previous = self.previous_heads.get(key)
        present = list(members)
        n = len(members)
        absent = r.choice((0, 0, 0, 1, 1, 2)) if n >= 6 else (r.choice((0, 0, 0, 1))
                                                                if n >= 3 else 0)
        for _ in range(absent):
            present.remove(r.choice(present))
        place = (f"Hội trường {org_name(members[0])}" if g["kind"] != "district_cluster"
                 else f"Trụ sở {org_name(members[0])}")
        e = self.app.open_election(self.office, group_id=g["id"], year=year,
                                   meeting_date=self.cal.now.date().isoformat(),
                                   place=place, present=present, term=year).view
        self.counts.elections += 1
        eid = e["id"]
        if tied is None:
            eligible = [c for c in members if c != previous]
            heads = r.sample(eligible, min(len(eligible), r.choice((1, 2, 2, 3))))
            others = [c for c in members if c not in heads]
            deputies = r.sample(others, min(len(others), r.choice((1, 1, 2)))) if others else []
        else:
            heads, deputies = tied, []
        for seat, cands in (("head", heads), ("deputy", deputies)):
            for c in cands:
                self.app.put_forward(self.office, eid, unit_code=c, seat=seat)
        tie = (tied is None and len(heads) >= 2 and len(present) >= 4
               and len(present) % 2 == 0 and r.random() < 0.06)
        choices = {"head": self.votes(heads, len(present), tie),
                   "deputy": self.votes(deputies, len(present), False)}
        for i, voter in enumerate(present):
            for seat in ("head", "deputy"):
                if choices[seat]:
                    self.app.cast_ballot(self.head_of(voter), eid, seat=seat,
                                         candidate_code=choices[seat][i])
                    self.counts.ballots += 1
        result = self.app.declare_result(self.office, eid).view
        winners = {s: v["winner"] for s, v in result["seats"].items() if v["winner"]}
        if "head" in winners:
            self.previous_heads[key] = winners["head"]
        if tie:
            self.cal.at(self.cal.now + timedelta(days=1, hours=r.random() * 3),
                        lambda: self.election(year, g, round_no + 1, tied=heads))
            return
        chief = winners.get("head") or winners.get("deputy")
        if chief is None:
            raise RuntimeError(f"no head elected in {g['code']} {year}: {result}")
        launch = max(self.cal.now + timedelta(days=r.randint(5, 20), hours=r.random() * 4),
                     moment(date(year, 1, 5), 9))  # a covenant of the year, in the year
        self.cal.at(launch, lambda: self.covenant(year, g, chief))

    def votes(self, candidates: list[str], voters: int, tie: bool) -> list[str]:
        """Who each present unit votes for: a clear winner (or, for a tie, two halves)."""
        if not candidates:
            return []
        r = self.rng
        if tie:
            votes = [candidates[0]] * (voters // 2) + [candidates[1]] * (voters // 2)
        else:
            favourite = r.choice(candidates)
            others = [c for c in candidates if c != favourite]
            away = r.randint(0, (voters - 1) // 2) if others else 0
            votes = [favourite] * (voters - away) + [r.choice(others) for _ in range(away)]
        r.shuffle(votes)
        return votes

    def covenant(self, year: int, g: dict[str, Any], chief: str) -> None:
        r = self.rng
        picked = r.sample(TARGETS, r.randint(4, 8))
        targets = [{"code": c, "name": n, "unit_of_measure": u, "direction": d,
                    "target": str(v)} for c, n, u, d, v in picked]
        cov = self.app.launch_covenant(
            self.secretariat(chief), group_id=g["id"], year=year,
            title=f"Giao ước thi đua năm {year} - {g['name']}",
            launched_on=self.cal.now.date().isoformat(), targets=targets).view
        self.counts.covenants += 1
        cid = cov["id"]
        for m in g["codes"]:
            signed = self.cal.now + timedelta(days=r.randint(1, 20), hours=r.random() * 6)
            self.cal.at(signed, self.sign, cid, m, picked)
        for _ in range(r.choice((1, 1, 2))):
            day = date(year, r.randint(6, 10), r.randint(1, 28))
            self.cal.at(moment(day, 9 + r.random() * 6),
                        lambda: self.finding(cid, chief, g["codes"], picked))
        if r.random() < 0.05:
            self.cal.at(self.cal.now + timedelta(days=r.randint(60, 120)),
                        lambda: self.amend_covenant(cid, chief, targets))

    def sign(self, cid: str, member: str, picked: list[tuple[str, str, str, str, int]]) -> None:
        r = self.rng
        self.app.sign_covenant(self.head_of(member), cid,
                               signed_on=self.cal.now.date().isoformat())
        self.counts.signatures += 1
        values = [{"target": c, "value": str(round(v * r.uniform(0.95, 1.15), 1))}
                  for c, _, _, _, v in picked]
        self.cal.at(self.cal.now + timedelta(days=r.randint(0, 10), hours=r.random() * 4),
                    lambda: self.app.register_targets(self.officer(member), cid,
                                                      targets=values))
        if r.random() < 0.05:
            amended = [dict(v, value=str(round(float(v["value"]) * 1.05, 1))) for v in values]
            self.cal.at(moment(date(self.cal.now.year, 7, r.randint(1, 28)), 10),
                        lambda: self.app.register_targets(
                            self.officer(member), cid, targets=amended,
                            reason="Điều chỉnh chỉ tiêu theo kế hoạch giao bổ sung giữa năm."))

    def finding(self, cid: str, chief: str, members: list[str],
                picked: list[tuple[str, str, str, str, int]]) -> None:
        r = self.rng
        member = r.choice(members)
        assessment = r.choice(("kept", "kept", "kept", "partly_kept", "not_kept"))
        target = r.choice(picked)
        self.app.record_finding(
            self.secretariat(chief), cid, member_code=member,
            inspected_on=self.cal.now.date().isoformat(), assessment=assessment,
            target=target[0], summary=f"Kiểm tra việc thực hiện chỉ tiêu '{target[1]}' tại "
                                      f"{org_name(member)}: {ASSESS[assessment]}.")
        self.counts.findings += 1

    def amend_covenant(self, cid: str, chief: str, targets: list[dict[str, str]]) -> None:
        raised = [dict(t, target=str(int(Decimal(t["target"]) + 1))) if t["direction"] ==
                  "at_least" else t for t in targets]
        self.app.amend_covenant(self.secretariat(chief), cid, targets=raised,
                                reason="Nâng chỉ tiêu theo Nghị quyết giữa năm của Ngành.")

    # -- the evaluation ----------------------------------------------------------------------
    def evaluation(self, year: int) -> None:
        self.cal.at(moment(date(year, 11, 15), 9), lambda: self.open_cycle(year))

    def open_cycle(self, year: int) -> None:
        r = self.rng
        if self.app.exists(cycle_key(year)):  # opened with the sample (make run): take it
            c = self.app.cycle(year)
            cycle = self.app.cycle_summary(c)
        else:
            cycle = open_sample_cycle(self.app, self.office, year=year, criteria=CRITERIA)
            c = self.app.cycle(year)
        self.criteria = [(x["code"], int(Decimal(x["max"]))) for x in c.rules["criteria"]]
        self.deadline = date.fromisoformat(c.deadline)
        units = {uid: u["code"] for uid, u in c.units.items()}
        provinces = [units[p] for p in c.provinces()]
        monitors = [m["code"] for m in c.monitoring]
        quality = {code: min(0.99, max(0.45, r.gauss(0.84, 0.07))) for code in units.values()}
        late = r.sample(provinces, max(1, len(provinces) // 20)) if provinces else []
        late_central = r.choice(monitors)
        self.cal.at(moment(self.deadline - timedelta(days=2), 10),
                    lambda: self.extensions(year, [*late, late_central]))
        pairs = [(k, units[s], units[t]) for k, s, t in c.pairs()]
        self.counts.sheets += len(pairs)
        self.counts.revisions += len(pairs)
        for kind, scorer, subject in pairs:
            is_late = scorer in late or (scorer == late_central and kind == "self")
            bias = 0.03 if kind == "self" else r.gauss(0, 0.02)
            self.plan_sheet(year, kind, scorer, subject, quality[subject] + bias, is_late)
        for f in c.field_units:
            for p in provinces:
                day = date(year, 12, 1) + timedelta(days=r.randrange(35))
                self.cal.at(moment(day, 8 + r.random() * 9),
                            self.field_report, year, f, p)
        self.plan_nominations(year, c, units, provinces, monitors, quality)
        groups = [g for g in self.app.group_year(year).groups.values()
                  if g["kind"] == "provincial_cluster"]
        for g in groups:
            self.cal.at(moment(self.deadline - timedelta(days=1), 9 + r.random() * 6),
                        self.summary, year, g, late)
        self.cal.at(moment(self.deadline + timedelta(days=11), 9), lambda: self.decide(year))
        self.say(f"{year}: cycle opened ({cycle['sheets_expected']} sheets expected)")

    def extensions(self, year: int, codes: list[str]) -> None:
        for code in codes:
            self.app.grant_extension(self.office, year=year, unit_code=code,
                                     until=(self.deadline + timedelta(days=10)).isoformat(),
                                     reason=f"{org_name(code)} đề nghị gia hạn do tổ chức "
                                            "hội nghị tổng kết muộn.")
            self.counts.extensions += 1

    def plan_sheet(self, year: int, kind: str, scorer: str, subject: str, quality: float,
                   late: bool) -> None:
        r = self.rng
        if late:
            start = moment(self.deadline - timedelta(days=r.randint(2, 6)), 8 + r.random() * 8)
        else:
            start = moment(date(year, 11, 20) + timedelta(days=r.randrange(20)),
                           8 + r.random() * 9)
        scores = {c: quarter(m * (quality + r.gauss(0, 0.05)), m) for c, m in self.criteria}
        codes = [c for c, _ in self.criteria]
        saves = r.randint(3, 10)
        cuts = sorted(r.sample(range(1, len(codes)), saves - 1)) + [len(codes)]
        sid = str(sheet_id(year, kind, str(unit_id(scorer)), str(unit_id(subject))))
        job = {"year": year, "kind": kind, "scorer": scorer, "subject": subject, "id": sid,
               "scores": scores, "late": late, "central": scorer in self.centrals}
        t = start
        for i, cut in enumerate(cuts):
            partial = {c: scores[c] for c in codes[:cut]}
            if i and r.random() < 0.2:  # a second look at an earlier criterion
                c = r.choice(codes[:cuts[i - 1]])
                partial[c] = quarter(float(partial[c]) - 0.25, dict(self.criteria)[c])
                scores[c] = partial[c]
            self.cal.at(t, self.write, job, partial)
            t += timedelta(hours=(2 + r.random() * 30) if not late else 1 + r.random() * 8)
        if late:
            t = max(t, moment(self.deadline + timedelta(days=1), 8 + r.random() * 40))
        self.cal.at(t, lambda: self.submit(job))

    def write(self, job: dict[str, Any], scores: dict[str, str]) -> None:
        self.app.write_sheet(self.officer(job["scorer"]), year=job["year"], kind=job["kind"],
                             subject_code=job["subject"], scores=scores)
        self.counts.saves += 1

    def submit(self, job: dict[str, Any]) -> None:
        r = self.rng
        view = self.app.submit_sheet(self.officer(job["scorer"]), job["id"]).view
        if view["late"]:
            self.counts.late_submissions += 1
        later = self.cal.now + timedelta(hours=1 + r.random() * (40 if not job["late"] else 8))
        if job["central"]:
            self.cal.at(later, lambda: self.review(job, self.leader_for(job["scorer"])))
        elif r.random() < 0.03 and not job["late"] and not job.get("returned"):
            self.cal.at(later, lambda: self.give_back(job, self.office))
        else:
            self.cal.at(later, lambda: self.send(job))

    def review(self, job: dict[str, Any], leader: Actor) -> None:
        r = self.rng
        if r.random() < 0.05 and not job["late"] and not job.get("returned"):
            self.give_back(job, leader)
            return
        self.app.approve_sheet(leader, job["id"])
        self.cal.at(self.cal.now + timedelta(hours=1 + r.random() * 20), lambda: self.send(job))

    def give_back(self, job: dict[str, Any], by: Actor) -> None:
        r = self.rng
        self.app.return_sheet(by, job["id"], reason=r.choice(RETURN_REASONS))
        self.counts.returns += 1
        job["returned"] = True
        self.revise(job, self.cal.now + timedelta(hours=4 + r.random() * 20))

    def revise(self, job: dict[str, Any], when: datetime) -> None:
        """Lower one score, then submit again."""
        r = self.rng
        code, top = r.choice(self.criteria)
        job["scores"] = dict(job["scores"], **{code: quarter(
            float(job["scores"][code]) - r.choice((0.25, 0.5, 1.0)), top)})
        self.cal.at(when, lambda: self.write(job, job["scores"]))
        self.cal.at(when + timedelta(hours=1 + r.random() * 4), lambda: self.submit(job))

    def send(self, job: dict[str, Any]) -> None:
        r = self.rng
        self.app.send_sheet(self.head_of(job["scorer"]), job["id"])
        fix = self.cal.now + timedelta(days=r.randint(2, 5), hours=r.random() * 6)
        if (not job["late"] and not job.get("corrected") and r.random() < 0.02
                and fix < moment(self.deadline - timedelta(days=3))):
            job["corrected"] = True
            self.cal.at(fix, lambda: self.correct(job))

    def correct(self, job: dict[str, Any]) -> None:
        self.app.correct_sheet(self.officer(job["scorer"]), job["id"],
                               reason=self.rng.choice(CORRECTION_REASONS))
        self.counts.corrections += 1
        self.counts.revisions += 1
        self.revise(job, self.cal.now + timedelta(hours=2))

    def field_report(self, year: int, f: dict[str, Any], province: str) -> None:
        r = self.rng
        figures = {n: str(r.randint(0, 5000)) for n in FIGURES.get(f["item"], ("so_lieu",))}
        lists = {"don_vi_can_luu_y": [{"don_vi": org_name(d), "noi_dung": "Chậm tiến độ"}
                                      for d in r.sample(self.districts.get(province, []),
                                                        min(r.randint(0, 3), len(
                                                            self.districts.get(province, []))))]}
        reporter = self.officer(f["code"])
        assessment = r.choice(("Hoàn thành tốt các chỉ tiêu được giao.",
                               "Hoàn thành kế hoạch; còn một số tồn tại cần khắc phục.",
                               "Chưa hoàn thành một số chỉ tiêu; đề nghị tập trung chỉ đạo."))
        self.app.submit_field_report(reporter, year=year, province_code=province,
                                     figures=figures, lists=lists, assessment=assessment)
        self.counts.field_reports += 1
        again = self.cal.now + timedelta(days=r.randint(1, 4))
        if r.random() < 0.05 and again < moment(self.deadline):
            figures = dict(figures)
            name = next(iter(figures))
            figures[name] = str(int(figures[name]) + r.randint(1, 50))
            self.cal.at(again, lambda: self.app.submit_field_report(
                self.officer(f["code"]), year=year, province_code=province, figures=figures,
                lists=lists, assessment=assessment,
                reason="Cập nhật số liệu chính thức cuối năm."))

    def plan_nominations(self, year: int, c: Any, units: dict[str, str], provinces: list[str],
                         monitors: list[str], quality: dict[str, float]) -> None:
        r = self.rng
        wishes: list[tuple[str, str, str]] = []
        for code in units.values():
            if quality[code] > 0.9 and r.random() < 0.6:
                wishes.append((code, code, "Đơn vị tự đề xuất: hoàn thành vượt mức các chỉ "
                                           "tiêu, nhiệm vụ được giao trong năm."))
        for m in monitors:
            best = sorted(provinces, key=lambda p: -quality[p])[:r.randint(1, 3)]
            wishes += [(m, p, f"Dẫn đầu trong lĩnh vực do {m} theo dõi.") for p in best]
        for o in c.organisation_scoring:
            subjects = [units[s] for s in o["subjects"]]
            if subjects:
                wishes.append((o["code"], max(subjects, key=lambda s: quality[s]),
                               "Thành tích nổi bật trong công tác tham mưu."))
        for p in provinces:
            for m in r.sample(monitors, r.choice((0, 1, 1, 2))):
                wishes.append((p, m, "Hướng dẫn, hỗ trợ kịp thời, hiệu quả cho BHXH tỉnh."))
        for proposer, subject, why in wishes:
            day = date(year, 12, 10) + timedelta(days=r.randrange(25))
            self.cal.at(moment(day, 8 + r.random() * 9),
                        self.nominate, year, proposer, subject, why)

    def nominate(self, year: int, proposer: str, subject: str, why: str) -> None:
        view = self.app.nominate(self.officer(proposer), year=year, subject_code=subject,
                                 justification=why).view
        self.counts.nominations += 1
        if self.rng.random() < 0.05:
            self.cal.at(self.cal.now + timedelta(days=1), lambda: self.app.withdraw_nomination(
                self.officer(proposer), view["id"],
                reason="Rút đề xuất sau khi rà soát lại thành tích."))

    def summary(self, year: int, g: dict[str, Any], late: list[str]) -> None:
        heads = self.app.head_units(g["id"], year)  # the head first, then the deputy
        chief = org_code(heads[0], self.provinces)
        view = self.app.send_cluster_summary(self.secretariat(chief), year=year,
                                             group_id=g["id"]).view
        self.counts.summaries += 1
        if view["not_sent"]:  # late members: the head sends again under an extension
            if chief not in late:
                self.extensions(year, [chief])
            self.cal.at(moment(self.deadline + timedelta(days=9), 10), lambda: (
                self.app.send_cluster_summary(self.secretariat(chief), year=year,
                                              group_id=g["id"])))

    def decide(self, year: int) -> None:
        r = self.rng
        self.app.close_cycle(self.office, year=year)
        self.cal.now += timedelta(days=6)
        self.app.begin_review(self.office, year=year,
                              meeting_date=self.cal.now.date().isoformat(),
                              note="Phiên họp Hội đồng Thi đua - Khen thưởng ngành xét đánh "
                                   "giá, xếp loại năm.")
        table = self.app.cycle(year).compiled or []
        candidates = [row["code"] for row in table if row["outstanding_candidate"]]
        outstanding = sorted(r.sample(candidates, (len(candidates) + 1) // 2))
        self.cal.now += timedelta(days=8)
        self.app.record_decision(self.office, year=year,
                                 number=f"{r.randint(100, 400)}/QĐ-BHXH",
                                 signed_on=self.cal.now.date().isoformat(),
                                 signer="Tổng Giám đốc BHXH Việt Nam", outstanding=outstanding)
        self.counts.decisions += 1

    def untouched(self, year: int) -> bool:
        """The year's cycle is open, on base criteria only, and holds no sheet yet (as the
        sample opens it): the generator can run the year on it."""
        c = self.app.cycle(year)
        if c.state != "open" or any(x.get("kind") != "base" for x in c.rules["criteria"]):
            return False
        return not any(self.app.exists(sheet_id(year, k, s, t)) for k, s, t in c.pairs())

    # -- a year ------------------------------------------------------------------------------
    def year(self, year: int) -> None:
        if self.app.exists(cycle_key(year)) and not self.untouched(year):
            raise ValueError(f"The {year} evaluation cycle has begun already; generate another "
                             "year.")
        new = self.on_year(year)
        if new:
            self.cal.now = max(self.cal.now, moment(self.staffed_on(year), 8))
            self.staff(new)
        self.groups(year)
        groups = self.year_groups(year)
        self.say(f"{year}: elections, covenants, then the evaluation ({len(groups)} groups)")
        self.elections(year, groups)
        self.evaluation(year)
        started = time.perf_counter()
        self.cal.run()
        self.say(f"{year}: done in {time.perf_counter() - started:.0f} s")


ASSESS = {"kept": "thực hiện đúng giao ước", "partly_kept": "thực hiện một phần giao ước",
          "not_kept": "chưa thực hiện giao ước"}
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


def cycle_key(year: int) -> Any:
    from domain.evaluation.cycle import cycle_id

    return cycle_id(year)


def generate(app: Any, *, years: int = 1, first_year: int = 2024, seed: int = 1,
             provinces: int | None = None,
             progress: Callable[[str], None] | None = None,
             steps: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Fill ``app`` (a :class:`domain.application.Thidua`) with ``years`` national years
    through the real use cases; return what was written. ``provinces`` limits the sample
    organisation to its first N provinces (for tests); it applies when the organisation is
    loaded and when a year's groups are formed. ``progress`` is told each stage in words,
    ``steps(acts done, acts done and planned)`` as the simulated calendar runs."""
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    before = int(app.recorder.max_notification_id() or 0)
    gen = Generator(app, seed=seed, provinces=provinces, say=say)
    if steps is not None:
        gen.cal.tick = steps
    had_clock = "clock" in vars(app)
    old_clock = vars(app).get("clock")
    app.clock = lambda: gen.cal.now
    try:
        gen.organisation(first_year)
        gen.people(first_year)
        for y in range(first_year, first_year + years):
            gen.year(y)
    finally:
        if had_clock:
            app.clock = old_clock
        else:
            del app.clock
    after = int(app.recorder.max_notification_id() or 0)
    c = gen.counts
    return {"events": after - before, "years": years, "first_year": first_year, "seed": seed,
            "seconds": round(time.perf_counter() - started, 1),
            "counts": {k: v for k, v in vars(c).items() if k != "extra"}}
