"""The generator's elections and covenants: a round in every group at its summary meeting
(rotation respected, now and then a tie and a second round), then the head's covenant with
its signatures, registered targets and inspection findings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.organisation.groups import group_id
from domain.sample.generator.base import GeneratorBase, moment, org_code, org_name

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
ASSESS = {"kept": "thực hiện đúng giao ước", "partly_kept": "thực hiện một phần giao ước",
          "not_kept": "chưa thực hiện giao ước"}


class ElectionPhase(GeneratorBase):
    """Elections of the groups' heads, and covenants."""

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
