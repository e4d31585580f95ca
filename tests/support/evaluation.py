"""The evaluation tests' organisation, cycle and independent figures (shared by the rights
and separation-of-duties tests)."""

from __future__ import annotations

import random
import zlib
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.evaluation.ruleset import sample_ruleset
from domain.organisation.groups import group_id
from tests.support.core import ROOT

YEAR = 2024
RULES = sample_ruleset()
CENTRAL = ["VTDKT", "VTCCB", "VP", "BTHU", "TTCNTT", "TTTT"]
PROVINCES = ["P01", "P02", "P03", "P04", "P05"]
CLUSTERS = {"C1": ["P01", "P02", "P03"], "C2": ["P04", "P05"]}
MONITORING = {"BTHU": "Thu BHXH, BHYT, BHTN", "VTCCB": "Tổ chức cán bộ; kỷ luật, kỷ cương",
              "TTCNTT": "Ứng dụng công nghệ thông tin"}
ORGANISATION = {"VTCCB": ["BTHU", "TTCNTT", "VP", "VTDKT"], "VP": ["TTTT", "VTCCB"]}
FIELD_UNITS = [(1, "BTHU", "Kết quả thực hiện kế hoạch thu; nợ BHXH, BHYT, BHTN"),
               (4, "VTCCB", "Danh sách tập thể, cá nhân vi phạm bị xử lý kỷ luật"),
               (8, "TTCNTT", "Kết quả ứng dụng công nghệ thông tin")]
LEADERS = {"leader1": ["VTCCB", "VP", "VTDKT"], "leader2": ["BTHU", "TTCNTT", "TTTT"]}
TOP, HIGH = {"P01", "BTHU"}, {"P02", "P04", "TTCNTT"}
CENT = Decimal("0.01")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def officer(code: str) -> str:
    return f"o.{code.lower()}"


def leader_of(code: str) -> str:
    return next(name for name, units in LEADERS.items() if code in units)


def expected_pairs() -> list[tuple[str, str, str]]:
    pairs = [("self", u, u) for u in CENTRAL + PROVINCES]
    pairs += [("central_to_province", m, p) for m in MONITORING for p in PROVINCES]
    pairs += [("organisation_to_central", o, s) for o, subs in ORGANISATION.items()
              for s in subs]
    pairs += [("province_to_central", p, m) for p in PROVINCES for m in MONITORING]
    return pairs


def scores_for(kind: str, scorer: str, subject: str, salt: str = "") -> dict[str, str]:
    """Deterministic scores: the TOP units score best, then the HIGH ones, then the rest."""
    rnd = random.Random(zlib.crc32(f"{kind}|{scorer}|{subject}|{salt}".encode()))
    low, high = (98, 100) if subject in TOP else (93, 96) if subject in HIGH else (60, 85)
    out = {}
    for c in RULES["criteria"]:
        top = Decimal(c["max"])
        if c["kind"] == "base":
            value = (top * rnd.randint(low, high) / 100 * 2).to_integral_value(ROUND_HALF_UP) / 2
            out[c["code"]] = str(min(value, top))
        elif c["kind"] == "bonus":
            out[c["code"]] = rnd.choice(["4", "4.5", "5"] if subject in TOP
                                       else ["0"] if subject in HIGH else ["0", "0.5"])
        else:
            out[c["code"]] = rnd.choice(["0"] if subject in TOP | HIGH else ["0", "0.5", "1"])
    return out


# -- the independent arithmetic --------------------------------------------------------------
def total_of(scores: dict[str, str]) -> Decimal:
    kinds = {c["code"]: c["kind"] for c in RULES["criteria"]}
    t = sum((-Decimal(v) if kinds[k] == "minus" else Decimal(v)) for k, v in scores.items())
    return max(Decimal(t), Decimal(0))


def mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def level(score: Decimal | None) -> str | None:
    if score is None:
        return None
    return next(name for name, low in (("excellent", 90), ("good", 70), ("complete", 50),
                                       ("incomplete", 0)) if score >= low)


def s2(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


class Year:
    """The test's own record of what was sent, to compute the expected figures."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.counted: dict[tuple[str, str, str], dict[str, str]] = {}
        self.ids: dict[tuple[str, str, str], str] = {}

    def ok(self, response: Any, status: int = 200) -> dict[str, Any]:
        body = response.get_json()
        assert response.status_code == status, body
        return body  # type: ignore[no-any-return]

    def write(self, kind: str, scorer: str, subject: str, scores: dict[str, str] | None = None,
              who: str | None = None) -> dict[str, Any]:
        body = self.ok(self.api.put("/evaluation/sheets", who or officer(scorer), json={
            "year": YEAR, "kind": kind, "subject_code": subject,
            "scores": scores or scores_for(kind, scorer, subject)}))
        self.ids[(kind, scorer, subject)] = body["id"]
        return body

    def step(self, pair: tuple[str, str, str], step: str, who: str | None = None,
             status: int = 200, **json: Any) -> dict[str, Any]:
        who = who or (leader_of(pair[1]) if step == "approve" else officer(pair[1]))
        return self.ok(self.api.post(f"/evaluation/sheets/{self.ids[pair]}/{step}", who,
                                     json=json), status)

    def through(self, kind: str, scorer: str, subject: str,
                scores: dict[str, str] | None = None) -> None:
        """Write, submit, approve (a central scorer) and send one sheet."""
        pair = (kind, scorer, subject)
        scores = scores or scores_for(kind, scorer, subject)
        self.write(kind, scorer, subject, scores)
        self.step(pair, "submit")
        if scorer in CENTRAL:
            self.step(pair, "approve")
        sent = self.step(pair, "send")
        assert sent["state"] == "sent" and sent["total"] == s2(total_of(scores))
        self.counted[pair] = scores


def build_organisation(api: Any) -> None:
    app = api.services.app
    for code in CENTRAL[1:]:
        app.register_unit(ROOT, code=code, name=f"Đơn vị {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    for code in PROVINCES:
        app.register_unit(ROOT, code=code, name=f"BHXH tỉnh {code}", level="province",
                          parent_code=None, effective="2020-01-01")
    app.form_group(ROOT, year=YEAR, kind="block", code="K1", name="Khối 1",
                   members=["BTHU", "TTCNTT", "TTTT"])
    app.form_group(ROOT, year=YEAR, kind="block", code="K2", name="Khối 2",
                   members=["VTCCB", "VP", "VTDKT"])
    for code, members in CLUSTERS.items():
        app.form_group(ROOT, year=YEAR, kind="provincial_cluster", code=code,
                       name=f"Cụm thi đua {code}", members=members)
    for code in CENTRAL + PROVINCES:
        api.user(officer(code), ["officer"], code)
    for name, units in LEADERS.items():
        api.user(name, ["leader"], "VTDKT", assigned=units)
    api.user("sec.p01", ["group_secretariat"], "P01")
    api.user("sec.p02", ["group_secretariat"], "P02")
    api.user("sec.p04", ["group_secretariat"], "P04")


def open_cycle(api: Any, rules: dict[str, Any] | None = None,
               **changes: Any) -> dict[str, Any]:
    """Publish ``rules`` (the sample's by default) and open the year's cycle on it with the
    module's who-scores-whom; ``changes`` replace fields of the cycle's request."""
    rules = rules or RULES
    r = api.post("/evaluation/rulesets", json={"content": rules, "note": "Mặc định QĐ 1779"})
    assert r.status_code == 201, r.get_json()
    r = api.post("/evaluation/cycles", json={
        "year": YEAR, "ruleset_code": rules["code"], "standing_office_code": "VTDKT",
        "monitoring": [{"unit_code": c, "field": f} for c, f in MONITORING.items()],
        "organisation_scoring": [{"unit_code": c, "subjects": s}
                                 for c, s in ORGANISATION.items()],
        "field_units": [{"item": i, "unit_code": c, "topic": t} for i, c, t in FIELD_UNITS],
        **changes})
    assert r.status_code == 201, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


# The sample scheme with the monitors' fields (monitor_fields): each of MONITORING's units
# scores provinces on its own criteria; C03 is the field of two (BTHU and TTCNTT).
FIELDS = {"BTHU": ["C01", "C02", "C03", "C04", "B01"],
          "VTCCB": ["C05", "C06", "C07", "C08", "C10", "M01"],
          "TTCNTT": ["C03", "C09"]}


def fields_rules(code: str = "QD1779LV") -> dict[str, Any]:
    return {**RULES, "code": code, "monitor_fields": FIELDS}


# Scores each monitor sends for a province under FIELDS, and what they combine to by hand:
# C03 is the mean of 9 and 8.25 = 8.625, rounded half up to 8.63; then
# 27 + 18.5 + 8.63 + 8 (BTHU's base) + 4.5 + 5 + 4 + 3.5 + 5 (VTCCB's) + 4 (TTCNTT's C09)
# = 88.13, + 2 (bonus B01) - 1.5 (minus M01) = 88.63.
FIELD_SCORES = {"BTHU": {"C01": "27", "C02": "18.5", "C03": "9", "C04": "8", "B01": "2"},
                "VTCCB": {"C05": "4.5", "C06": "5", "C07": "4", "C08": "3.5", "C10": "5",
                          "M01": "1.5"},
                "TTCNTT": {"C03": "8.25", "C09": "4"}}
FIELD_COMBINED = "88.63"


def elect_head(api: Any, cluster: str, head: str) -> None:
    members = CLUSTERS[cluster]
    r = api.post("/elections", json={"group_id": group_id(YEAR, "provincial_cluster", cluster),
                                     "year": YEAR, "meeting_date": "2024-12-15",
                                     "place": f"BHXH tỉnh {head}", "present": members})
    assert r.status_code == 201, r.get_json()
    eid = r.get_json()["id"]
    r = api.post(f"/elections/{eid}/candidates", json={"unit_code": head, "seat": "head"})
    assert r.status_code == 201, r.get_json()
    for m in members:
        r = api.post(f"/elections/{eid}/ballots", officer(m),
                     json={"seat": "head", "candidate_code": head})
        assert r.status_code in (200, 201), r.get_json()
    r = api.post(f"/elections/{eid}/result", json={})
    assert r.status_code in (200, 201), r.get_json()
    assert r.get_json()["outcome"] == "elected"
