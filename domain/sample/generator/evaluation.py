"""The generator's evaluation: the cycle with its rule set, every kind of score sheet
drafted in several saves, submitted, approved, returned, sent and corrected, extensions,
field reports, nominations, each provincial cluster head's summary, the council's review and
the General Director's decision."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.evaluation.sheets import sheet_id
from domain.kernel.actor import Actor
from domain.organisation.units import unit_id
from domain.sample.evaluation import CRITERIA, open_sample_cycle
from domain.sample.generator.base import GeneratorBase, moment, org_code, org_name, quarter

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


def cycle_key(year: int) -> Any:
    from domain.evaluation.cycle import cycle_id

    return cycle_id(year)


class EvaluationPhase(GeneratorBase):
    """The year's evaluation cycle, from its opening to the decision."""

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
        if view["needs_approval"]:  # a central unit's: its leader in charge approves it
            self.cal.at(self.cal.now + timedelta(hours=4), lambda: self.app.approve_nomination(
                self.leader_for(proposer), view["id"]))
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
