"""The authorization matrix, endpoint by endpoint (issue 6): every write operation of the
app's own OpenAPI document × every role × the acting user's own unit / another unit.

The expected answer comes from ``domain.kernel.rights.RIGHTS`` alone: each endpoint names its act,
and the role's scope for that act decides (ANY: both; OWN: own unit only; ASSIGNED: a leader
whose assigned units include the target; GROUP_HEAD: the secretariat of the group's sitting
head unit, and no other member's; ORGANISER: the province of a district cluster, for that
cluster only: never for the block whose elections the matrix runs). A denial is a 403 naming
the rule with a reason, writes no event and is recorded in ``denied_attempts``; an allowed
request is built on state where it succeeds (2xx), and its event records the token's user,
role and unit.

"Own unit" is the unit the request is about: the scorer of a sheet, the proposer of a
nomination, the voter or signer, the province partitioned, the head unit of the group, the
unit renamed; for a leader, the unit is among its assigned units. "Other unit" is the same
request by a user of the same role acting for (or assigned) a different unit. Where an act
concerns no unit (a rule set, a cycle, a checkpoint), the two columns are the same request by
users of two different units, and only an ANY scope allows it.

The state is built once for the module, on its own database; each allowed case takes fresh
objects (a new sheet, a new unit, a new election round) so that it succeeds.
"""

from __future__ import annotations

import io
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

import web.resources.audit as audit_web
from domain.elections.rules import SEATS
from domain.evaluation import report_workbook, sheet_workbook
from domain.evaluation.ruleset import sample_ruleset
from domain.judging.judging import Judging, judging_id
from domain.kernel.actor import ROLES, Actor
from domain.kernel.rights import ANY, ASSIGNED, GROUP_HEAD, ORGANISER, OWN, RIGHTS
from domain.organisation.groups import group_id
from domain.organisation.units import unit_id
from projections.audit_denied import record_denied
from tests.support.core import ROOT
from tests.support.core import with_db as _with_db
from tests.support.district import DISTRICT_RULES, district_scores
from tests.support.workbooks import fill_report, fill_scores
from web.app import create_app
from web.bootstrap import bootstrap
from web.resources.evaluation import workbooks
from web.settings import Settings

YEAR = 2024
RULES = sample_ruleset()
CENTRAL = [f"TW{i:02d}" for i in range(1, 13)]  # đơn vị trực thuộc
PROVINCES = [f"T{i:02d}" for i in range(1, 9)]  # BHXH tỉnh
K1 = CENTRAL[:6]  # a block: TW01 head, TW02 deputy; its covenant; its election rounds
K2 = CENTRAL[6:]  # a block: TW07 head, no covenant yet
CL1 = PROVINCES[:4]  # a provincial cluster: T01 head, T02 deputy
CL2 = PROVINCES[4:]
MONITORS = ["TW01", "TW02"]  # monitor provinces; also the field-information units
DISTRICTS = ["T01H1", "T01H2", "T01H3"]  # T01's district offices (f(3) = 1 cluster)
T05_OFFICES = [f"T05H{i}" for i in range(1, 21)]  # T05's: the district sheets' pool
# (province, year) of the district cycles the matrix opens, but YEAR's (open in the setup)
DISTRICT_SLOTS = [(p, y) for p in ("T01", "T05") for y in range(2020, 2031) if y != YEAR]
WRITES = ("post", "put", "patch", "delete")
UNLIMITED = 10**9  # every refusal of the matrix is recorded (the caps are tested elsewhere)


def uid(code: str) -> str:
    return str(unit_id(code))


def actor_for(code: str, role: str = "officer") -> Actor:
    """An actor of the setup (not a user of the matrix) acting for ``code``."""
    return Actor(user_id=f"setup:{role}:{code}", user_name=f"setup.{code.lower()}",
                 roles=(role,), unit_id=uid(code), unit_code=code, source="test")


def full_scores() -> dict[str, str]:
    return {c["code"]: (c["max"] if c["kind"] == "base" else "0") for c in RULES["criteria"]}


@dataclass
class Call:
    """One request of the matrix, and the unit its user acts for."""

    unit: str
    method: str
    path: str
    json: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    form: dict[str, Any] | None = None


@dataclass
class World:
    """The module's state: the app, the users (made on demand per role and unit), and the
    pools from which allowed cases take fresh objects."""

    services: Any
    client: Any
    tokens: dict[str, str] = field(default_factory=dict)
    counter: int = 0
    year: int = 2030  # years of the small cycles and lists, one each
    used: set[Any] = field(default_factory=set)
    fixtures: dict[str, Any] = field(default_factory=dict)

    @property
    def app(self) -> Any:
        return self.services.app

    def n(self) -> int:
        self.counter += 1
        return self.counter

    def new_year(self) -> int:
        self.year += 1
        assert self.year <= 2100
        return self.year

    def head(self) -> int:
        return int(self.services.runner.head())

    # -- users -----------------------------------------------------------------------------
    def user(self, role: str, unit: str) -> str:
        """The user holding only ``role``, acting for ``unit`` (a leader: assigned ``unit``,
        acting for the leadership's own unit)."""
        name = f"{role.replace('_', '-')}.{unit.lower()}"
        if name not in self.tokens:
            assigned = [unit] if role == "leader" and self.app.unit(unit).level == "central" \
                else []
            self.app.register_user(ROOT, username=name, full_name=name, roles=[role],
                                   unit_code="LD" if role == "leader" else unit,
                                   assigned_unit_codes=assigned)
            secret = self.app.issue_token(ROOT, name, label="matrix").view["secret"]
            self.tokens[name] = secret
        return name

    def send(self, call: Call, username: str, extra: dict[str, Any] | None = None) -> Any:
        """Send ``call`` as ``username``; ``extra`` fields go where the call's input goes
        (the JSON body, else the form, else the query string)."""
        extra = extra or {}
        kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {self.tokens[username]}"}}
        if call.form is not None:
            kwargs["data"] = {**{k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v
                                 for k, v in call.form.items()},
                              **{k: str(v) for k, v in extra.items()}}
            kwargs["content_type"] = "multipart/form-data"
        elif call.json is not None:
            kwargs["json"] = {**call.json, **extra}
        if call.query is not None or (extra and call.form is None and call.json is None):
            kwargs["query_string"] = {**(call.query or {}),
                                      **({k: str(v) for k, v in extra.items()}
                                         if call.form is None and call.json is None else {})}
        return getattr(self.client, call.method)(call.path, **kwargs)

    def take(self, pool: list[Any], tag: str) -> Any:
        """The next item of ``pool`` not yet taken under ``tag``."""
        for item in pool:
            if (tag, item) not in self.used:
                self.used.add((tag, item))
                return item
        raise AssertionError(f"the pool '{tag}' is exhausted; make it larger")

    def fixture(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.fixtures:
            self.fixtures[key] = make()
        return self.fixtures[key]

    # -- units -----------------------------------------------------------------------------
    def unit(self, prefix: str, level: str = "central", parent: str | None = None) -> str:
        code = f"{prefix}{self.n()}"
        self.app.register_unit(ROOT, code=code, name=f"Đơn vị {code}", level=level,
                               parent_code=parent, effective="2020-01-01")
        return code

    # -- elections of K1 -----------------------------------------------------------------------
    def k1(self) -> str:
        return str(group_id(YEAR, "block", "K1"))

    def election(self, *, new: bool = False, no_ballots: bool = False) -> Any:
        """K1's open round (opened by the standing office if none), or a new one."""
        office = self.app.group_office(self.k1(), YEAR)
        eid = office.open_election if office else None
        if eid is not None:
            el = self.app.election(eid)
            if new or (no_ballots and any(el.ballots[s] for s in SEATS)):
                self.app.annul_election(ROOT, eid, reason="Vòng mới của ma trận quyền.")
                eid = None
        if eid is None:
            opened = self.app.open_election(ROOT, group_id=self.k1(), year=YEAR,
                                            meeting_date="2024-12-15", place="Hà Nội",
                                            present=K1).view
            eid = opened["id"]
        return self.app.election(eid)

    def ballot_ready(self) -> tuple[Any, str]:
        """An open round with a head candidate; and a member that has not voted for head."""
        el = self.election()
        voted = set(el.ballots["head"])
        free = [c for c in K1 if uid(c) not in voted]
        if not free:
            el = self.election(new=True)
            free = list(K1)
        if not el.candidates["head"]:
            self.app.put_forward(ROOT, str(el.id), unit_code="TW03", seat="head")
            el = self.app.election(str(el.id))
        return el, free[0]

    # -- the covenant of K1 ----------------------------------------------------------------------
    def covenant(self) -> Any:
        return self.app.covenant(self.fixtures["covenant"])

    # -- evaluation ------------------------------------------------------------------------------
    def pairs(self, level: str) -> list[tuple[str, str, str]]:
        """The 2024 cycle's sheets whose scorer is of ``level``."""
        if level == "central":
            return ([("self", c, c) for c in CENTRAL]
                    + [("central_to_province", m, p) for m in MONITORS for p in PROVINCES])
        return ([("self", p, p) for p in PROVINCES]
                + [("province_to_central", p, m) for p in PROVINCES for m in MONITORS])

    def sheet(self, level: str, state: str) -> tuple[str, str]:
        """A fresh sheet of a ``level`` scorer brought to ``state``: (id, scorer code)."""
        kind, scorer, subject = self.take(self.pairs(level), "sheet")
        who = actor_for(scorer)
        written = self.app.write_sheet(who, year=YEAR, kind=kind, subject_code=subject,
                                       scores=full_scores()).view
        sid = written["id"]
        steps = {"draft": [], "submitted": ["submit"], "approved": ["submit", "approve"],
                 "sent": ["submit", "approve", "send"]}[state]
        leader = Actor(user_id="setup:leader", user_name="setup.leader",
                       roles=("leader",), unit_id=uid("LD"), unit_code="LD",
                       assigned_units=(uid(scorer),), source="test")
        for step in steps:
            if step == "approve":
                if level == "central":  # a province's sheet is sent without approval
                    self.app.approve_sheet(leader, sid)
            else:
                getattr(self.app, f"{step}_sheet")(who, sid)
        return sid, scorer

    def cycle_year(self, state: str) -> int:
        """A fresh small cycle of another year, brought to ``state``."""
        year = self.new_year()
        self.app.open_cycle(ROOT, year=year, ruleset_code=RULES["code"],
                            units=["TW01", "TW02", "T01"], monitoring=[],
                            organisation_scoring=[])
        if state in ("closed", "under_review"):
            self.app.close_cycle(ROOT, year=year)
        if state == "under_review":
            self.app.begin_review(ROOT, year=year, meeting_date=f"{year + 1}-01-20")
        return year


    # -- a province's evaluation of its district offices (T01's) ------------------------------
    def district_cycle(self, state: str) -> tuple[str, int]:
        """A fresh district cycle, brought to ``state`` by its province's officer: (province,
        year). A cycle is a province's year, so T01 and T05 (whose offices exist from 2020)
        give them without using up the years of the sector's cycles."""
        province, year = self.take(DISTRICT_SLOTS, "district-cycle")
        who = actor_for(province)
        self.app.open_district_cycle(who, year=year, province_code=province,
                                     ruleset_code=DISTRICT_RULES["code"])
        if state in ("closed", "under_review"):
            self.app.close_district_cycle(who, year=year, province_code=province)
        if state == "under_review":
            self.app.begin_district_review(who, year=year, province_code=province,
                                           meeting_date=f"{year + 1}-01-15")
        return province, year

    def district_sheet(self, kind: str, state: str) -> tuple[str, str]:
        """A fresh sheet of T05's YEAR district cycle brought to ``state``: (id, scorer)."""
        _, scorer, subject = self.take(district_pairs(kind), "district-sheet")
        who = actor_for(scorer)
        sid = self.app.write_district_sheet(who, year=YEAR, province_code="T05", kind=kind,
                                            subject_code=subject,
                                            scores=district_scores()).view["id"]
        for step in {"draft": [], "submitted": ["submit"],
                     "sent": ["submit", "send"]}[state]:
            getattr(self.app, f"{step}_district_sheet")(who, sid)
        return sid, scorer


def district_pairs(kind: str) -> list[tuple[str, str, str]]:
    """The sheets of T05's YEAR district cycle of ``kind``."""
    if kind == "self":
        return [("self", o, o) for o in T05_OFFICES]
    return [("province_to_district", "T05", o) for o in T05_OFFICES]


def other_than(code: str, *candidates: str) -> str:
    return next(c for c in candidates if c != code)


# -- what each endpoint is about ------------------------------------------------------------------
# A builder gets (world, own, fresh) and returns the call: ``own`` picks the unit the user acts
# for; ``fresh`` (the rights table expects the call to be allowed) asks for new objects so that
# the call succeeds. A denied call is built on the module's standing fixtures.
Builder = Callable[[World, bool, bool], Call]


def home(own: bool) -> str:
    """The user's unit where the act concerns no unit."""
    return "VTDKT" if own else "TW12"


def b_unit_register(w: World, own: bool, fresh: bool) -> Call:
    code = f"XN{w.n()}"
    return Call(home(own), "post", "/units", {"code": code, "name": f"Đơn vị {code}",
                                              "level": "central", "effective": "2024-01-01"})


def b_unit_rename(w: World, own: bool, fresh: bool) -> Call:
    code = w.unit("XR") if fresh else w.fixture("rename", lambda: w.unit("XR"))
    return Call(code if own else "TW12", "post", f"/units/{code}/rename",
                {"name": f"Đơn vị {code} (tên mới)", "effective": "2024-07-01"})


def b_unit_move(w: World, own: bool, fresh: bool) -> Call:
    code = (w.unit("XD", "district", "PX1") if fresh
            else w.fixture("move", lambda: w.unit("XD", "district", "PX1")))
    return Call(code if own else "TW12", "post", f"/units/{code}/move",
                {"parent_code": "PX2", "effective": "2024-07-01"})


def b_unit_merge(w: World, own: bool, fresh: bool) -> Call:
    code = w.unit("XM") if fresh else w.fixture("merge", lambda: w.unit("XM"))
    return Call(code if own else "TW12", "post", f"/units/{code}/merge",
                {"into_code": "XMT", "effective": "2024-07-01"})


def b_unit_dissolve(w: World, own: bool, fresh: bool) -> Call:
    code = w.unit("XS") if fresh else w.fixture("dissolve", lambda: w.unit("XS"))
    return Call(code if own else "TW12", "post", f"/units/{code}/dissolve",
                {"effective": "2024-07-01"})


def b_reorganise(w: World, own: bool, fresh: bool) -> Call:
    n = w.n()
    return Call(home(own), "post", "/reorganisations", {
        "number": f"{n}/QĐ-BHXH", "signed": "2024-06-20", "issuer": "BHXH Việt Nam",
        "basis": "Điều lệ", "effective": "2024-07-01",
        "changes": [{"change": "register", "code": f"XO{n}", "name": f"Đơn vị XO{n}",
                     "level": "central"}]})


def b_group_form(w: World, own: bool, fresh: bool) -> Call:
    return Call(home(own), "post", "/groups", {"year": YEAR, "kind": "block",
                                               "code": f"KG{w.n()}", "name": "Khối mới"})


def km() -> str:
    return str(group_id(YEAR, "block", "KM"))


def b_group_add(w: World, own: bool, fresh: bool) -> Call:
    code = w.unit("XK") if fresh else w.fixture("add", lambda: w.unit("XK"))
    return Call(code if own else "TW12", "post", f"/groups/{km()}/members",
                {"year": YEAR, "members": [code]})


def b_group_remove(w: World, own: bool, fresh: bool) -> Call:
    def member() -> str:
        code = w.unit("XK")
        w.app.add_members(ROOT, year=YEAR, group=km(), members=[code])
        return code

    code = member() if fresh else w.fixture("remove", member)
    return Call(code if own else "TW12", "delete", f"/groups/{km()}/members/{code}",
                {"year": YEAR, "reason": "Đơn vị chuyển khối."})


def b_partition(w: World, own: bool, fresh: bool) -> Call:
    return Call("T01" if own else "T02", "post", "/district-partitions", {
        "year": YEAR, "province_code": "T01",
        "clusters": [{"code": "HC1", "name": "Cụm huyện 1", "members": DISTRICTS}],
        "decision": {"number": f"{w.n()}/QĐ-BHXH", "date": "2024-01-05"}})


def b_membership_list(w: World, own: bool, fresh: bool) -> Call:
    year = w.new_year()
    content = ("kind,group_code,group_name,unit_code\n"
               "block,KL1,Khối L1,TW01\nblock,KL1,Khối L1,TW02\n").encode()
    return Call(home(own), "post", "/membership-lists", form={
        "year": str(year), "document_number": f"{year}/QĐ-BHXH",
        "document_date": f"{year}-01-05", "file": (content, "danh-sach.csv")})


def b_election_rules(w: World, own: bool, fresh: bool) -> Call:
    quorum = "3/4" if w.n() % 2 else "2/3"
    return Call("TW01" if own else "TW03", "put", f"/election-rules/{YEAR + 2}",
                {"quorum": quorum, "reason": "Điều chỉnh theo hướng dẫn mới."})


def group_head_unit(own: bool) -> str:
    """K1's head unit, or a member that is neither head nor deputy."""
    return "TW01" if own else "TW03"


def b_election_open(w: World, own: bool, fresh: bool) -> Call:
    office = w.app.group_office(w.k1(), YEAR)
    if office.open_election is not None:
        w.app.annul_election(ROOT, office.open_election, reason="Mở lại vòng bầu.")
    return Call(group_head_unit(own), "post", "/elections", {
        "group_id": w.k1(), "year": YEAR, "meeting_date": "2024-12-15", "place": "Hà Nội",
        "present": K1})


def b_candidate(w: World, own: bool, fresh: bool) -> Call:
    el = w.election(no_ballots=True)
    free = [c for c in K1[2:] if uid(c) not in el.candidates["head"]]
    if not free:
        el, free = w.election(new=True), K1[2:]
    return Call(group_head_unit(own), "post", f"/elections/{el.id}/candidates",
                {"unit_code": free[0], "seat": "head"})


def b_ballot(w: World, own: bool, fresh: bool) -> Call:
    el, voter = w.ballot_ready()
    candidate = next(c for c in K1 if uid(c) in el.candidates["head"])
    return Call(voter if own else "TW07", "post", f"/elections/{el.id}/ballots",
                {"seat": "head", "candidate_code": candidate})


def b_result(w: World, own: bool, fresh: bool) -> Call:
    # a new round with no candidate: declaring it elects nobody, so TW01 stays head
    el = w.election(new=True) if fresh else w.election()
    return Call(group_head_unit(own), "post", f"/elections/{el.id}/result", {})


def b_annul(w: World, own: bool, fresh: bool) -> Call:
    el = w.election()
    return Call(group_head_unit(own), "post", f"/elections/{el.id}/annulment",
                {"reason": "Sai sót trong danh sách có mặt."})


TARGETS = [{"code": "THU_BHXH", "name": "Tỷ lệ thu BHXH so với kế hoạch",
            "unit_of_measure": "%", "target": "100", "direction": "at_least"}]


def b_covenant_launch(w: World, own: bool, fresh: bool) -> Call:
    return Call("TW07" if own else "TW09", "post", "/covenants", {
        "group_id": str(group_id(YEAR, "block", "K2")), "year": YEAR,
        "title": "Giao ước thi đua năm 2024", "launched_on": "2024-01-15",
        "targets": TARGETS})


def b_covenant_amend(w: World, own: bool, fresh: bool) -> Call:
    return Call(group_head_unit(own), "post", f"/covenants/{w.fixtures['covenant']}/amendments",
                {"reason": "Bổ sung tên gọi.", "title": f"Giao ước thi đua 2024 (lần {w.n()})"})


def b_covenant_sign(w: World, own: bool, fresh: bool) -> Call:
    signed = set(w.covenant().signatures)
    unit = next(c for c in K1[1:] if uid(c) not in signed)
    return Call(unit if own else "TW07", "post", f"/covenants/{w.fixtures['covenant']}/signatures",
                {"signed_on": "2024-01-20"})


def b_covenant_targets(w: World, own: bool, fresh: bool) -> Call:
    registered = set(w.covenant().registered)
    unit = next(c for c in K1[1:] if uid(c) not in registered)
    return Call(unit if own else "TW07", "post", f"/covenants/{w.fixtures['covenant']}/targets",
                {"targets": [{"target": "THU_BHXH", "value": "101.5"}]})


def b_finding(w: World, own: bool, fresh: bool) -> Call:
    return Call(group_head_unit(own), "post", f"/covenants/{w.fixtures['covenant']}/findings",
                {"member_code": "TW04", "inspected_on": "2024-09-10", "assessment": "kept",
                 "summary": "Thực hiện đúng cam kết."})


def b_finding_amend(w: World, own: bool, fresh: bool) -> Call:
    return Call(group_head_unit(own), "post",
                f"/covenants/{w.fixtures['covenant']}/findings/1/amendments",
                {"reason": "Bổ sung biên bản.", "summary": f"Biên bản số {w.n()}."})


def b_ruleset(w: World, own: bool, fresh: bool) -> Call:
    code = f"RS{w.n()}"
    return Call(home(own), "post", "/evaluation/rulesets",
                {"content": {**RULES, "code": code}, "note": "Bộ tiêu chí thử."})


def b_cycle_open(w: World, own: bool, fresh: bool) -> Call:
    return Call(home(own), "post", "/evaluation/cycles", {
        "year": w.new_year(), "ruleset_code": RULES["code"], "units": ["TW01", "T01"],
        "monitoring": [], "organisation_scoring": []})


def b_extension(w: World, own: bool, fresh: bool) -> Call:
    unit = w.take(CENTRAL + PROVINCES, "extension") if fresh else "TW12"
    return Call(unit if own else other_than(unit, "TW11", "TW10"), "post",
                f"/evaluation/cycles/{YEAR}/extensions",
                {"unit_code": unit, "until": "2025-01-20", "reason": "Sự cố hệ thống."})


def b_cycle_close(w: World, own: bool, fresh: bool) -> Call:
    year = w.cycle_year("open") if fresh else w.fixture("close", lambda: w.cycle_year("open"))
    return Call(home(own), "post", f"/evaluation/cycles/{year}/close", {"reason": "Hết hạn."})


def b_cycle_amend(w: World, own: bool, fresh: bool) -> Call:
    year = w.cycle_year("open") if fresh else w.fixture("amend", lambda: w.cycle_year("open"))
    return Call(home(own), "post", f"/evaluation/cycles/{year}/amendments",
                {"reason": "TW02 không tham gia.", "units": ["TW01", "T01"]})


def b_comparable_groups(w: World, own: bool, fresh: bool) -> Call:
    year = (w.cycle_year("open") if fresh
            else w.fixture("comparable", lambda: w.cycle_year("open")))
    return Call(home(own), "post", f"/evaluation/cycles/{year}/comparable-groups", {
        "reason": "Phân nhóm theo quy mô.", "groups": [
            {"code": "G1", "name": "Đơn vị trực thuộc", "members": ["TW01", "TW02"]},
            {"code": "G2", "name": "BHXH tỉnh", "members": ["T01"]}]})


def b_review(w: World, own: bool, fresh: bool) -> Call:
    year = (w.cycle_year("closed") if fresh
            else w.fixture("review", lambda: w.cycle_year("closed")))
    return Call(home(own), "post", f"/evaluation/cycles/{year}/review",
                {"meeting_date": f"{year + 1}-01-20"})


def b_decision(w: World, own: bool, fresh: bool) -> Call:
    year = (w.cycle_year("under_review") if fresh
            else w.fixture("decision", lambda: w.cycle_year("under_review")))
    return Call(home(own), "post", f"/evaluation/cycles/{year}/decision",
                {"number": f"{w.n()}/QĐ-BHXH", "signed_on": f"{year + 1}-02-05",
                 "signer": "Tổng Giám đốc"})


def another(code: str) -> str:
    """A unit of the same level as ``code`` (a central unit or a province), not ``code``."""
    return other_than(code, "TW11", "TW10") if code in CENTRAL else other_than(code, "T08",
                                                                                 "T07")


def b_sheet_write(w: World, own: bool, fresh: bool) -> Call:
    kind, scorer, subject = (w.take(w.pairs("central"), "sheet") if fresh
                             else ("self", "TW12", "TW12"))
    return Call(scorer if own else another(scorer), "put", "/evaluation/sheets", {
        "year": YEAR, "kind": kind, "subject_code": subject, "scorer_code": scorer,
        "scores": full_scores()})


def sheet_step(step: str, level: str, state: str, body: dict[str, Any] | None = None
               ) -> Builder:
    def build(w: World, own: bool, fresh: bool) -> Call:
        sid, scorer = (w.sheet(level, state) if fresh
                       else w.fixture(f"sheet:{step}", lambda: w.sheet(level, state)))
        return Call(scorer if own else another(scorer), "post", f"/evaluation/sheets/{sid}/{step}",
                    dict(body or {}))

    return build


def b_nominate(w: World, own: bool, fresh: bool) -> Call:
    unit = w.take(CENTRAL + PROVINCES, "nomination") if fresh else "TW12"
    return Call(unit if own else another(unit), "post",
                "/evaluation/nominations", {
                    "year": YEAR, "subject_code": unit, "proposer_code": unit,
                    "justification": "Kết quả nổi trội trong năm."})


def b_withdraw(w: World, own: bool, fresh: bool) -> Call:
    def nominated() -> tuple[str, str]:
        unit = w.take(CENTRAL + PROVINCES, "nomination")
        made = w.app.nominate(actor_for(unit), year=YEAR, subject_code=unit,
                              justification="Đề xuất của đơn vị.").view
        return made["id"], unit

    nid, unit = nominated() if fresh else w.fixture("withdraw", nominated)
    return Call(unit if own else another(unit), "post",
                f"/evaluation/nominations/{nid}/withdraw", {"reason": "Rút đề xuất."})


def nomination_step(step: str, body: dict[str, Any] | None = None) -> Builder:
    """A monitoring unit's nomination of a province: a central unit's, which its leader in
    charge approves (or returns) before it counts."""
    def build(w: World, own: bool, fresh: bool) -> Call:
        def nominated() -> tuple[str, str]:
            proposer, subject = w.take([(m, p) for m in MONITORS for p in PROVINCES],
                                       "central-nomination")
            made = w.app.nominate(actor_for(proposer), year=YEAR, subject_code=subject,
                                  justification="Dẫn đầu lĩnh vực theo dõi.").view
            return made["id"], proposer

        nid, proposer = nominated() if fresh else w.fixture(f"nomination:{step}", nominated)
        return Call(proposer if own else another(proposer), "post",
                    f"/evaluation/nominations/{nid}/{step}", dict(body or {}))

    return build


def b_field_report(w: World, own: bool, fresh: bool) -> Call:
    reporter, province = (w.take([(m, p) for m in MONITORS for p in PROVINCES], "report")
                          if fresh else ("TW01", "T08"))
    return Call(reporter if own else other_than(reporter, *MONITORS), "post",
                "/evaluation/field-reports", {
                    "year": YEAR, "province_code": province, "reporter_code": reporter,
                    "figures": {"ke_hoach_thu": "1000", "da_thu": "1010"}, "lists": {},
                    "assessment": "Hoàn thành kế hoạch thu."})


def b_score_workbook(w: World, own: bool, fresh: bool) -> Call:
    """The scorer's workbook as made now, a fresh sheet's block filled in."""
    kind, scorer, subject = (w.take(w.pairs("central"), "sheet") if fresh
                             else ("self", "TW12", "TW12"))
    data = workbooks.score_workbook(sheet_workbook.layout(w.app.score_workbook(YEAR, scorer)))
    if fresh:
        data = fill_scores(data, {(kind, subject): {c: float(v) for c, v in
                                                    full_scores().items()}})
    return Call(scorer if own else another(scorer), "post",
                f"/evaluation/workbooks/{YEAR}/sheets/{scorer}.xlsx",
                form={"file": (data, "bang-cham-diem.xlsx")})


def b_report_workbook(w: World, own: bool, fresh: bool) -> Call:
    """The field unit's workbook as made now, a fresh province's block filled in."""
    reporter, province = (w.take([(m, p) for m in MONITORS for p in PROVINCES], "report")
                          if fresh else ("TW01", "T08"))
    data = workbooks.report_workbook_xlsx(report_workbook.layout(
        w.app.report_workbook(YEAR, reporter)))
    if fresh:
        data = fill_report(data, province, assessment="Hoàn thành kế hoạch thu.",
                           figures={"ke_hoach_thu": 1000})
    return Call(reporter if own else other_than(reporter, *MONITORS), "post",
                f"/evaluation/workbooks/{YEAR}/field-reports/{reporter}.xlsx",
                form={"file": (data, "cung-cap-thong-tin.xlsx")})


def b_district_workbook(w: World, own: bool, fresh: bool) -> Call:
    """T05's workbook of its YEAR district cycle as made now, a fresh office's block filled
    in (T05 owes its sheet of each of its offices)."""
    data = workbooks.score_workbook(sheet_workbook.layout(
        w.app.district_score_workbook(YEAR, "T05", "T05")))
    if fresh:
        _, _, office = w.take(district_pairs("province_to_district"), "district-sheet")
        data = fill_scores(data, {("province_to_district", office): {
            c: float(v) for c, v in district_scores().items()}})
    return Call("T05" if own else "T02", "post",
                f"/district-evaluation/workbooks/T05/{YEAR}/sheets/T05.xlsx",
                form={"file": (data, "bang-cham-diem.xlsx")})


def b_summary(w: World, own: bool, fresh: bool) -> Call:
    return Call("T01" if own else "T03", "post", "/evaluation/cluster-summaries",
                {"year": YEAR, "group_id": str(group_id(YEAR, "provincial_cluster", "CL1"))})


def vacant_block(w: World) -> tuple[str, int, list[str]]:
    """A block of its own year whose elected head's unit has ended (its seat vacant)."""
    year = w.new_year()
    units = [w.unit("XV") for _ in range(3)]
    gid = w.app.form_group(ROOT, year=year, kind="block", code="KV", name="Khối trống",
                           members=units).view["id"]
    eid = w.app.open_election(ROOT, group_id=gid, year=year, meeting_date=f"{year}-12-15",
                              place="Hà Nội", present=units).view["id"]
    w.app.put_forward(ROOT, eid, unit_code=units[0], seat="head")
    for u in units:
        w.app.cast_ballot(actor_for(u), eid, seat="head", candidate_code=units[0])
    w.app.declare_result(ROOT, eid)
    w.app.dissolve_unit(ROOT, units[0], effective=f"{year + 1}-03-01")
    return gid, year, units


def b_acting(w: World, own: bool, fresh: bool) -> Call:
    gid, year, units = w.fixture("vacant-block", lambda: vacant_block(w))
    # each allowed call designates the other member than the one acting now
    acting = w.fixtures.get("vacant-acting", units[2])
    chosen = units[1] if acting == units[2] else units[2]
    if fresh:
        w.fixtures["vacant-acting"] = chosen
    return Call(home(own), "post", f"/groups/{gid}/acting", {
        "year": year, "unit_code": chosen, "effective": f"{year + 1}-03-02",
        "reason": "Giới thiệu Khối trưởng tạm thời."})


# -- the group's judging and its own documents (K1, run by TW01) -----------------------------------
def judging_round(w: World, *, new: bool = False) -> Any:
    """K1's judging with an open round (opened by the standing office if none), or a new
    round."""
    gid = w.k1()
    judging = w.app.find(Judging, judging_id(gid))
    rnd = judging.open_round if judging else None
    if rnd is not None and new:
        w.app.annul_judging(ROOT, str(judging.id), reason="Vòng mới của ma trận quyền.")
        rnd = None
    if rnd is None:
        opened = w.app.open_judging(ROOT, group_id=gid, year=YEAR, meeting_date="2024-12-15",
                                    place="Hà Nội", present=K1, reason="Vòng của ma trận.")
        judging = w.app.judging(opened.view["id"])
    return judging


def b_judging_rules(w: World, own: bool, fresh: bool) -> Call:
    quorum = "3/4" if w.n() % 2 else "2/3"
    return Call("TW01" if own else "TW03", "put", f"/judging-rules/{YEAR + 2}",
                {"quorum": quorum, "reason": "Điều chỉnh theo hướng dẫn mới."})


def b_judging_open(w: World, own: bool, fresh: bool) -> Call:
    judging = w.app.find(Judging, judging_id(w.k1()))
    if judging is not None and judging.open_round is not None:
        w.app.annul_judging(ROOT, str(judging.id), reason="Mở lại vòng bình xét.")
    return Call(group_head_unit(own), "post", "/judgings", {
        "group_id": w.k1(), "year": YEAR, "meeting_date": "2024-12-15", "place": "Hà Nội",
        "present": K1, "reason": "Vòng bình xét của ma trận."})


def b_judging_candidate(w: World, own: bool, fresh: bool) -> Call:
    judging = judging_round(w)
    rnd = judging.open_round
    standing = {u for c in rnd["candidates"].values() for u in c}
    free = [c for c in K1 if uid(c) not in standing]
    if not free or rnd["ballots"]["certificate"]:
        judging, free = judging_round(w, new=True), list(K1)
    return Call(group_head_unit(own), "post", f"/judgings/{judging.id}/candidates",
                {"unit_code": free[0], "title": "certificate"})


def b_judging_ballot(w: World, own: bool, fresh: bool) -> Call:
    judging = judging_round(w)
    rnd = judging.open_round
    if not rnd["candidates"]["flag"]:
        standing = {u for c in rnd["candidates"].values() for u in c}
        free = [c for c in K1 if uid(c) not in standing]
        if not free:
            judging, free = judging_round(w, new=True), list(K1)
        w.app.judging_candidate(ROOT, str(judging.id), unit_code=free[0], title="flag")
        judging = w.app.judging(str(judging.id))
    voters = [c for c in K1 if uid(c) not in judging.open_round["ballots"]["flag"]]
    if not voters:
        judging, voters = judging_round(w, new=True), list(K1)
        w.app.judging_candidate(ROOT, str(judging.id), unit_code="TW03", title="flag")
        judging = w.app.judging(str(judging.id))
    marked = w.app.unit_code_of(judging.open_round["candidates"]["flag"][0])
    return Call(voters[0] if own else "TW07", "post", f"/judgings/{judging.id}/ballots",
                {"title": "flag", "marks": [marked]})


def b_judging_result(w: World, own: bool, fresh: bool) -> Call:
    # a new round with no candidate: declaring it proposes nobody, so places stay
    judging = judging_round(w, new=fresh)
    return Call(group_head_unit(own), "post", f"/judgings/{judging.id}/result", {})


def b_judging_annul(w: World, own: bool, fresh: bool) -> Call:
    judging = judging_round(w)
    return Call(group_head_unit(own), "post", f"/judgings/{judging.id}/annulment",
                {"reason": "Sai sót trong danh sách có mặt."})


def pending_rules(w: World, *, withdraw: bool = False) -> int:
    """K1's pending draft of its rules (drafted by TW01's secretariat if none); with
    ``withdraw``, none: the pending one is withdrawn. Returns its version (0: none)."""
    head = actor_for("TW01", "group_secretariat")
    reg = w.app.group_regulation(w.k1(), YEAR)
    pending = reg.pending if reg else None
    if withdraw:
        if pending is not None:
            w.app.withdraw_group_rules(head, group_id=w.k1(), year=YEAR,
                                       version=pending["version"], reason="Soạn lại.")
        return 0
    if pending is None:
        made = w.app.draft_group_rules(head, group_id=w.k1(), year=YEAR, kind="rules",
                                       title="Quy chế hoạt động Khối K1",
                                       drafted_on="2024-01-10", text="Điều 1.",
                                       reason="Bản thay thế.")
        return int(made.view["versions"][-1]["version"])
    return int(pending["version"])


def b_rules_draft(w: World, own: bool, fresh: bool) -> Call:
    if fresh:
        pending_rules(w, withdraw=True)
    return Call(group_head_unit(own), "post", f"/groups/{w.k1()}/regulation/drafts", {
        "year": YEAR, "kind": "rules", "title": f"Quy chế hoạt động Khối K1 (bản {w.n()})",
        "drafted_on": "2024-01-10", "text": "Điều 1. Phạm vi điều chỉnh.",
        "reason": "Soạn theo hướng dẫn mới."})


def b_rules_withdraw(w: World, own: bool, fresh: bool) -> Call:
    version = pending_rules(w) if fresh else 1
    return Call(group_head_unit(own), "post",
                f"/groups/{w.k1()}/regulation/drafts/{version}/withdrawal",
                {"year": YEAR, "reason": "Chưa thống nhất."})


def b_rules_adopt(w: World, own: bool, fresh: bool) -> Call:
    version = pending_rules(w) if fresh else 1
    return Call(group_head_unit(own), "post", f"/groups/{w.k1()}/regulation/adoptions", {
        "year": YEAR, "version": version, "meeting_date": "2024-01-20", "place": "Hà Nội",
        "present": K1, "adopters": K1})


def plan_group(w: World) -> tuple[str, int]:
    """A block of its own year (TW01–TW03) headed by TW01: a plan of its own to issue."""
    year = w.new_year()
    gid = w.app.form_group(ROOT, year=year, kind="block", code="KP", name="Khối kế hoạch",
                           members=["TW01", "TW02", "TW03"]).view["id"]
    if not w.app.head_units(gid, year):
        eid = w.app.open_election(ROOT, group_id=gid, year=year, meeting_date=f"{year}-01-05",
                                  place="Hà Nội", present=["TW01", "TW02", "TW03"],
                                  term=year).view["id"]
        w.app.put_forward(ROOT, eid, unit_code="TW01", seat="head")
        for u in ("TW01", "TW02", "TW03"):
            w.app.cast_ballot(actor_for(u), eid, seat="head", candidate_code="TW01")
        w.app.declare_result(ROOT, eid)
    return gid, year


def plan_body(year: int, n: int) -> dict[str, Any]:
    return {"title": f"Kế hoạch hoạt động năm {year} (bản {n})", "issued_on": f"{year}-01-20",
            "text": "Chương trình công tác của Khối.",
            "inspections": [{"code": "KT1", "members": ["TW02"], "from": f"{year}-09-01",
                             "until": f"{year}-09-30", "inspectors": ["TW01"]}]}


def b_plan_issue(w: World, own: bool, fresh: bool) -> Call:
    gid, year = plan_group(w) if fresh else w.fixture("plan-group", lambda: plan_group(w))
    return Call(group_head_unit(own), "post", "/group-plans",
                {"group_id": gid, "year": year, **plan_body(year, w.n())})


def b_plan_revise(w: World, own: bool, fresh: bool) -> Call:
    def issued() -> tuple[str, int]:
        gid, year = plan_group(w)
        made = w.app.issue_group_plan(actor_for("TW01", "group_secretariat"), group_id=gid,
                                      year=year, **plan_body(year, 0)).view
        return str(made["id"]), year

    pid, year = w.fixture("plan", issued)
    return Call(group_head_unit(own), "post", f"/group-plans/{pid}/revisions",
                {"reason": "Điều chỉnh kế hoạch.", **plan_body(year, w.n())})


def target_user(w: World, roles: list[str], fresh: bool, key: str) -> str:
    def make() -> str:
        name = f"target.{w.n()}"
        w.app.register_user(ROOT, username=name, full_name="Người dùng đích", roles=roles,
                            unit_code="LD" if roles == ["leader"] else "TW05")
        return name

    return make() if fresh else w.fixture(key, make)


def user_unit(own: bool) -> str:
    """The target users act for TW05 (a leader: for LD); admins act for it or not."""
    return "TW05" if own else "TW06"


def b_user_register(w: World, own: bool, fresh: bool) -> Call:
    return Call(user_unit(own), "post", "/users", {
        "username": f"new.{w.n()}", "full_name": "Cán bộ mới", "roles": ["officer"],
        "unit_code": "TW05"})


def b_role_grant(w: World, own: bool, fresh: bool) -> Call:
    name = target_user(w, ["officer"], fresh, "grant")
    return Call(user_unit(own), "post", f"/users/{name}/roles", {"role": "unit_head"})


def b_role_revoke(w: World, own: bool, fresh: bool) -> Call:
    name = target_user(w, ["officer", "unit_head"], fresh, "revoke")
    return Call(user_unit(own), "delete", f"/users/{name}/roles/unit_head",
                query={"reason": "Thôi giữ chức vụ."})


def b_assign(w: World, own: bool, fresh: bool) -> Call:
    name = target_user(w, ["leader"], fresh, "assign")
    return Call(user_unit(own), "put", f"/users/{name}/assigned-units",
                {"unit_codes": ["TW05", "TW06"]})


def b_user_disable(w: World, own: bool, fresh: bool) -> Call:
    name = target_user(w, ["officer"], fresh, "disable")
    return Call(user_unit(own), "post", f"/users/{name}/disable", {"reason": "Nghỉ việc."})


def b_user_transfer(w: World, own: bool, fresh: bool) -> Call:
    name = target_user(w, ["officer"], fresh, "transfer")
    return Call(user_unit(own), "post", f"/users/{name}/transfer",
                {"unit_code": "TW06", "effective": "2024-12-01", "reason": "Điều chuyển."})


def b_user_enable(w: World, own: bool, fresh: bool) -> Call:
    def disabled() -> str:
        name = target_user(w, ["officer"], True, "enable")
        w.app.disable_user(ROOT, name, reason="Tạm khóa.")
        return name

    name = disabled() if fresh else w.fixture("enable", disabled)
    return Call(user_unit(own), "post", f"/users/{name}/enable", {"reason": "Đi làm lại."})


def b_token_issue(w: World, own: bool, fresh: bool) -> Call:
    name = target_user(w, ["officer"], False, "token")
    return Call(user_unit(own), "post", f"/users/{name}/tokens", {"label": "máy trạm"})


def b_token_revoke(w: World, own: bool, fresh: bool) -> Call:
    def issued() -> str:
        token = w.app.issue_token(ROOT, target_user(w, ["officer"], False, "token")).view
        return str(token["id"])

    tid = issued() if fresh else w.fixture("revoke-token", issued)
    return Call(user_unit(own), "delete", f"/tokens/{tid}", query={"reason": "Mất máy."})


def b_checkpoint(w: World, own: bool, fresh: bool) -> Call:
    return Call(home(own), "post", "/audit/checkpoints", query={"force": "true"})


def province_unit(own: bool) -> str:
    """T01 (whose district offices the district cases concern), or another province."""
    return "T01" if own else "T02"


def b_district_ruleset(w: World, own: bool, fresh: bool) -> Call:
    return Call(province_unit(own), "post", "/district-evaluation/rulesets", {
        "province_code": "T01", "content": {**DISTRICT_RULES, "code": f"TC{w.n()}"}})


def b_district_cycle_open(w: World, own: bool, fresh: bool) -> Call:
    # a refused call never reaches the year, which has its cycle already
    province, year = w.take(DISTRICT_SLOTS, "district-cycle") if fresh else ("T01", YEAR)
    return Call(province if own else "T02", "post", "/district-evaluation/cycles", {
        "year": year, "province_code": province, "ruleset_code": DISTRICT_RULES["code"]})


def district_step(step: str, state: str, body: dict[str, Any] | None = None) -> Builder:
    def build(w: World, own: bool, fresh: bool) -> Call:
        province, year = (w.district_cycle(state) if fresh
                          else w.fixture(f"district:{step}", lambda: w.district_cycle(state)))
        return Call(province if own else "T02", "post",
                    f"/district-evaluation/cycles/{province}/{year}/{step}", dict(body or {}))

    return build


def b_district_amend(w: World, own: bool, fresh: bool) -> Call:
    """An open cycle's amendment: its offices in one comparable group."""
    province, year = (w.district_cycle("open") if fresh
                      else w.fixture("district:amendments", lambda: w.district_cycle("open")))
    offices = DISTRICTS if province == "T01" else T05_OFFICES
    return Call(province if own else "T02", "post",
                f"/district-evaluation/cycles/{province}/{year}/amendments", {
                    "reason": "Phân nhóm tương đồng.",
                    "comparable_groups": [{"code": "G1", "name": "Cả tỉnh",
                                           "members": offices}]})


def b_district_task(w: World, own: bool, fresh: bool) -> Call:
    return Call(province_unit(own), "post", f"/district-evaluation/cycles/T01/{YEAR}/tasks", {
        "code": f"DX{w.n()}", "name": "Nhiệm vụ đột xuất", "criterion": "T07",
        "assigned_on": "2024-09-15"})


def b_district_extension(w: World, own: bool, fresh: bool) -> Call:
    return Call(province_unit(own), "post",
                f"/district-evaluation/cycles/T01/{YEAR}/extensions",
                {"unit_code": "T01H2", "until": "2025-01-20", "reason": "Sự cố hệ thống."})


def b_district_sheet_write(w: World, own: bool, fresh: bool) -> Call:
    _, scorer, subject = (w.take(district_pairs("self"), "district-sheet") if fresh
                          else ("self", "T05H20", "T05H20"))
    return Call(scorer if own else other_than(scorer, "T05H8", "T05H7"), "put",
                "/district-evaluation/sheets", {
                    "year": YEAR, "province_code": "T05", "kind": "self",
                    "subject_code": subject, "scorer_code": scorer,
                    "scores": district_scores()})


def district_sheet_step(step: str, kind: str, state: str, body: dict[str, Any] | None = None,
                        by_province: bool = False) -> Builder:
    def build(w: World, own: bool, fresh: bool) -> Call:
        sid, scorer = (w.district_sheet(kind, state) if fresh else
                       w.fixture(f"district-sheet:{step}", lambda: w.district_sheet(kind, state)))
        if by_province:
            unit = "T05" if own else "T02"
        else:
            unit = scorer if own else other_than(scorer, "T05H8", "T02")
        return Call(unit, "post", f"/district-evaluation/sheets/{sid}/{step}", dict(body or {}))

    return build


def district_nomination(w: World) -> tuple[str, str]:
    """A fresh (proposer, subject) of T05's YEAR cycle: an office of itself, or T05 of it."""
    return w.take([(o, o) for o in T05_OFFICES] + [("T05", o) for o in T05_OFFICES],
                  "district-nomination")


def b_district_nominate(w: World, own: bool, fresh: bool) -> Call:
    proposer, subject = district_nomination(w) if fresh else ("T05H20", "T05H20")
    return Call(proposer if own else other_than(proposer, "T05H8", "T05H7"), "post",
                "/district-evaluation/nominations", {
                    "year": YEAR, "province_code": "T05", "subject_code": subject,
                    "proposer_code": proposer, "justification": "Kết quả nổi trội trong năm."})


def b_district_withdraw(w: World, own: bool, fresh: bool) -> Call:
    def nominated() -> tuple[str, str]:
        proposer, subject = district_nomination(w)
        made = w.app.nominate_district(actor_for(proposer), year=YEAR, province_code="T05",
                                       subject_code=subject,
                                       justification="Đề xuất của đơn vị.").view
        return str(made["id"]), proposer

    nid, proposer = nominated() if fresh else w.fixture("district-withdraw", nominated)
    return Call(proposer if own else other_than(proposer, "T05H8", "T05H7"), "post",
                f"/district-evaluation/nominations/{nid}/withdraw", {"reason": "Rút đề xuất."})


def b_district_summary(w: World, own: bool, fresh: bool) -> Call:
    return Call("T01H1" if own else "T01H3", "post", "/district-evaluation/cluster-summaries",
                {"year": YEAR, "group_id": district_cluster()})


def district_cluster() -> str:
    return str(group_id(YEAR, "district_cluster", "HC1", uid("T01")))


@dataclass(frozen=True)
class Entry:
    act: str
    build: Builder
    # GROUP_HEAD applies only where the request names a group (the year's election rules
    # belong to no group: docs/decisions.md, "The election rules are the year's").
    names_group: bool = True
    # rules an object-level refusal may name instead of the act (the unit is not a member)
    object_rules: tuple[str, ...] = ()
    writes_events: bool = True
    # ORGANISER applies only where the request names a district cluster of the user's
    # province (the matrix's elections are of a block: docs/decisions.md)
    organised: bool = False


MATRIX: dict[tuple[str, str], Entry] = {
    ("post", "/units"): Entry("unit.manage", b_unit_register),
    ("post", "/units/{code}/rename"): Entry("unit.manage", b_unit_rename),
    ("post", "/units/{code}/move"): Entry("unit.manage", b_unit_move),
    ("post", "/units/{code}/merge"): Entry("unit.manage", b_unit_merge),
    ("post", "/units/{code}/dissolve"): Entry("unit.manage", b_unit_dissolve),
    ("post", "/reorganisations"): Entry("unit.manage", b_reorganise),
    ("post", "/groups"): Entry("group.manage", b_group_form),
    ("post", "/groups/{group_id}/members"): Entry("group.manage", b_group_add),
    ("delete", "/groups/{group_id}/members/{code}"): Entry("group.manage", b_group_remove),
    ("post", "/district-partitions"): Entry("district_partition.publish", b_partition),
    ("post", "/membership-lists"): Entry("membership.import", b_membership_list),
    ("put", "/election-rules/{year}"): Entry("election.run", b_election_rules,
                                             names_group=False),
    ("post", "/elections"): Entry("election.run", b_election_open),
    ("post", "/elections/{election_id}/candidates"): Entry("election.run", b_candidate),
    ("post", "/elections/{election_id}/ballots"): Entry("ballot.cast", b_ballot,
                                                         object_rules=("voter_is_member",)),
    ("post", "/elections/{election_id}/result"): Entry("election.run", b_result),
    ("post", "/elections/{election_id}/annulment"): Entry("election.run", b_annul),
    ("post", "/groups/{group_id}/acting"): Entry("office.designate", b_acting),
    ("post", "/covenants"): Entry("covenant.launch", b_covenant_launch),
    ("post", "/covenants/{covenant_id}/amendments"): Entry("covenant.launch", b_covenant_amend),
    ("post", "/covenants/{covenant_id}/signatures"): Entry("covenant.sign", b_covenant_sign,
                                                           object_rules=("signer_is_member",)),
    ("post", "/covenants/{covenant_id}/targets"): Entry(
        "target.register", b_covenant_targets, object_rules=("registrant_is_member",)),
    ("post", "/covenants/{covenant_id}/findings"): Entry("finding.record", b_finding),
    ("post", "/covenants/{covenant_id}/findings/{finding_no}/amendments"): Entry(
        "finding.record", b_finding_amend),
    ("put", "/judging-rules/{year}"): Entry("judging.run", b_judging_rules, names_group=False),
    ("post", "/judgings"): Entry("judging.run", b_judging_open),
    ("post", "/judgings/{judging_id}/candidates"): Entry("judging.run", b_judging_candidate),
    ("post", "/judgings/{judging_id}/ballots"): Entry("judging.vote", b_judging_ballot,
                                                       object_rules=("voter_is_member",)),
    ("post", "/judgings/{judging_id}/result"): Entry("judging.run", b_judging_result),
    ("post", "/judgings/{judging_id}/annulment"): Entry("judging.run", b_judging_annul),
    ("post", "/groups/{group_id}/regulation/drafts"): Entry("group_rules.write", b_rules_draft),
    ("post", "/groups/{group_id}/regulation/drafts/{version}/withdrawal"): Entry(
        "group_rules.write", b_rules_withdraw),
    ("post", "/groups/{group_id}/regulation/adoptions"): Entry("group_rules.write",
                                                               b_rules_adopt),
    ("post", "/group-plans"): Entry("group_plan.write", b_plan_issue),
    ("post", "/group-plans/{plan_id}/revisions"): Entry("group_plan.write", b_plan_revise),
    ("post", "/evaluation/rulesets"): Entry("cycle.manage", b_ruleset),
    ("post", "/evaluation/cycles"): Entry("cycle.manage", b_cycle_open),
    ("post", "/evaluation/cycles/{year}/extensions"): Entry("cycle.manage", b_extension),
    ("post", "/evaluation/cycles/{year}/close"): Entry("cycle.manage", b_cycle_close),
    ("post", "/evaluation/cycles/{year}/amendments"): Entry("cycle.manage", b_cycle_amend),
    ("post", "/evaluation/cycles/{year}/comparable-groups"): Entry("cycle.manage",
                                                                   b_comparable_groups),
    ("post", "/evaluation/cycles/{year}/review"): Entry("cycle.manage", b_review),
    ("post", "/evaluation/cycles/{year}/decision"): Entry("decision.record", b_decision),
    ("put", "/evaluation/sheets"): Entry("sheet.write", b_sheet_write),
    ("post", "/evaluation/sheets/{sheet_id}/submit"): Entry(
        "sheet.write", sheet_step("submit", "central", "draft")),
    ("post", "/evaluation/sheets/{sheet_id}/approve"): Entry(
        "sheet.approve", sheet_step("approve", "central", "submitted")),
    ("post", "/evaluation/sheets/{sheet_id}/return"): Entry(
        "sheet.return", sheet_step("return", "central", "submitted",
                                   {"reason": "Thiếu minh chứng tiêu chí C02."})),
    ("post", "/evaluation/sheets/{sheet_id}/send"): Entry(
        "sheet.send", sheet_step("send", "province", "submitted")),
    ("post", "/evaluation/sheets/{sheet_id}/corrections"): Entry(
        "sheet.write", sheet_step("corrections", "province", "sent",
                                  {"reason": "Cập nhật số liệu quý IV."})),
    ("post", "/evaluation/nominations"): Entry("nomination.write", b_nominate),
    ("post", "/evaluation/nominations/{nomination_id}/withdraw"): Entry("nomination.write",
                                                                        b_withdraw),
    ("post", "/evaluation/nominations/{nomination_id}/approve"): Entry(
        "nomination.approve", nomination_step("approve")),
    ("post", "/evaluation/nominations/{nomination_id}/return"): Entry(
        "nomination.return", nomination_step("return", {"reason": "Chưa nêu thành tích."})),
    ("post", "/evaluation/field-reports"): Entry("field_report.write", b_field_report),
    ("post", "/evaluation/cluster-summaries"): Entry("summary.send", b_summary),
    ("post", "/district-evaluation/rulesets"): Entry("district.manage", b_district_ruleset),
    ("post", "/district-evaluation/cycles"): Entry("district.manage", b_district_cycle_open),
    ("post", "/district-evaluation/cycles/{province_code}/{year}/tasks"): Entry(
        "district.manage", b_district_task),
    ("post", "/district-evaluation/cycles/{province_code}/{year}/extensions"): Entry(
        "district.manage", b_district_extension),
    ("post", "/district-evaluation/cycles/{province_code}/{year}/amendments"): Entry(
        "district.manage", b_district_amend),
    ("post", "/district-evaluation/cycles/{province_code}/{year}/close"): Entry(
        "district.manage", district_step("close", "open", {"reason": "Hết hạn."})),
    ("post", "/district-evaluation/cycles/{province_code}/{year}/review"): Entry(
        "district.manage", district_step("review", "closed", {"meeting_date": "2031-01-15"})),
    ("post", "/district-evaluation/cycles/{province_code}/{year}/decision"): Entry(
        "district_decision.record", district_step("decision", "under_review", {
            "number": "45/QĐ-BHXH", "signed_on": "2031-01-25",
            "signer": "Giám đốc BHXH tỉnh"})),
    ("put", "/district-evaluation/sheets"): Entry("sheet.write", b_district_sheet_write),
    ("post", "/district-evaluation/sheets/{sheet_id}/submit"): Entry(
        "sheet.write", district_sheet_step("submit", "self", "draft")),
    ("post", "/district-evaluation/sheets/{sheet_id}/send"): Entry(
        "sheet.send", district_sheet_step("send", "province_to_district", "submitted")),
    ("post", "/district-evaluation/sheets/{sheet_id}/return"): Entry(
        "district_sheet.return", district_sheet_step(
            "return", "self", "submitted", {"reason": "Thiếu minh chứng tiêu chí T01."},
            by_province=True)),
    ("post", "/district-evaluation/sheets/{sheet_id}/corrections"): Entry(
        "sheet.write", district_sheet_step("corrections", "self", "sent",
                                           {"reason": "Cập nhật số liệu quý IV."})),
    ("post", "/district-evaluation/nominations"): Entry("nomination.write",
                                                        b_district_nominate),
    ("post", "/district-evaluation/nominations/{nomination_id}/withdraw"): Entry(
        "nomination.write", b_district_withdraw),
    ("post", "/district-evaluation/cluster-summaries"): Entry("summary.send",
                                                              b_district_summary),
    ("post", "/evaluation/workbooks/{year}/sheets/{code}.xlsx"): Entry("sheet.write",
                                                                       b_score_workbook),
    ("post", "/evaluation/workbooks/{year}/field-reports/{code}.xlsx"): Entry(
        "field_report.write", b_report_workbook),
    ("post", "/district-evaluation/workbooks/{province_code}/{year}/sheets/{code}.xlsx"): Entry(
        "sheet.write", b_district_workbook),
    ("post", "/users"): Entry("user.manage", b_user_register),
    ("post", "/users/{username}/roles"): Entry("user.manage", b_role_grant),
    ("delete", "/users/{username}/roles/{role}"): Entry("user.manage", b_role_revoke),
    ("put", "/users/{username}/assigned-units"): Entry("user.manage", b_assign),
    ("post", "/users/{username}/disable"): Entry("user.manage", b_user_disable),
    ("post", "/users/{username}/transfer"): Entry("user.manage", b_user_transfer),
    ("post", "/users/{username}/enable"): Entry("user.manage", b_user_enable),
    ("post", "/users/{username}/tokens"): Entry("token.manage", b_token_issue),
    ("delete", "/tokens/{token_id}"): Entry("token.manage", b_token_revoke),
    ("post", "/audit/checkpoints"): Entry("audit.export", b_checkpoint, writes_events=False),
}


def expected(entry: Entry, role: str, own: bool) -> bool:
    """Allowed or not, from the rights table alone."""
    scope = RIGHTS[entry.act].get(role)
    if scope is None:
        return False
    if scope == ANY:
        return True
    if scope == GROUP_HEAD:
        return own and entry.names_group
    if scope == ORGANISER:
        return own and entry.organised
    assert scope in (OWN, ASSIGNED), scope
    return own


CASES = [(op, role, own) for op in MATRIX for role in ROLES for own in (True, False)]


def case_id(case: tuple[tuple[str, str], str, bool]) -> str:
    (method, path), role, own = case
    return f"{method.upper()} {path} {role} {'own' if own else 'other'}"


# -- the module's database and state ------------------------------------------------------------
@pytest.fixture(scope="module")
def world(server_url: str, template_db: str) -> Iterator[World]:
    name = f"thidua_rm_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {} TEMPLATE {}").format(Identifier(name),
                                                                  Identifier(template_db)))
    url = _with_db(server_url, name)
    with tempfile.TemporaryDirectory(prefix="thidua-rm-") as tmp:
        settings = Settings(database_url=url, data_dir=Path(tmp), pool_size=3, pool_overflow=5,
                            signing_key=Path(tmp) / "signing-key.pem")
        services = bootstrap(settings, start_projections=True)
        flask_app = create_app(settings, services)
        flask_app.config["TESTING"] = True
        w = World(services=services, client=flask_app.test_client())
        try:
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(audit_web, "record_denied",
                           partial(record_denied, per_source=UNLIMITED, all_sources=UNLIMITED))
                build(w)
                yield w
        finally:
            services.close()
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))


def elect(app: Any, gid: str, members: list[str], head: str, deputy: str) -> None:
    opened = app.open_election(ROOT, group_id=gid, year=YEAR, meeting_date="2024-12-15",
                               place="Hà Nội", present=members).view
    eid = opened["id"]
    app.put_forward(ROOT, eid, unit_code=head, seat="head")
    app.put_forward(ROOT, eid, unit_code=deputy, seat="deputy")
    for m in members:
        app.cast_ballot(actor_for(m), eid, seat="head", candidate_code=head)
        app.cast_ballot(actor_for(m), eid, seat="deputy", candidate_code=deputy)
    result = app.declare_result(ROOT, eid).view
    assert result["outcome"] == "elected", result


def build(w: World) -> None:
    app = w.app
    app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    for code in ["VTDKT", "LD", "XMT", *CENTRAL]:
        app.register_unit(ROOT, code=code, name=f"Đơn vị {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    for code in [*PROVINCES, "PX1", "PX2"]:
        app.register_unit(ROOT, code=code, name=f"BHXH tỉnh {code}", level="province",
                          parent_code=None, effective="2020-01-01")
    for code in DISTRICTS:
        app.register_unit(ROOT, code=code, name=f"BHXH huyện {code}", level="district",
                          parent_code="T01", effective="2020-01-01")
    for code, members in (("K1", K1), ("K2", K2), ("KM", [])):
        app.form_group(ROOT, year=YEAR, kind="block", code=code, name=f"Khối {code}",
                       members=members)
    for code, members in (("CL1", CL1), ("CL2", CL2)):
        app.form_group(ROOT, year=YEAR, kind="provincial_cluster", code=code,
                       name=f"Cụm {code}", members=members)
    elect(app, w.k1(), K1, "TW01", "TW02")
    elect(app, str(group_id(YEAR, "block", "K2")), K2, "TW07", "TW08")
    elect(app, str(group_id(YEAR, "provincial_cluster", "CL1")), CL1, "T01", "T02")
    cov = app.launch_covenant(actor_for("TW01", "group_secretariat"), group_id=w.k1(),
                              year=YEAR, title="Giao ước thi đua Khối K1 năm 2024",
                              launched_on="2024-01-15", targets=TARGETS).view
    w.fixtures["covenant"] = cov["id"]
    app.record_finding(actor_for("TW01", "group_secretariat"), cov["id"], member_code="TW03",
                       inspected_on="2024-09-01", summary="Đạt yêu cầu.", assessment="kept")
    app.publish_ruleset(ROOT, content=RULES, note="Mặc định QĐ 1779")
    app.open_cycle(ROOT, year=YEAR, ruleset_code=RULES["code"], units=CENTRAL + PROVINCES,
                   monitoring=[{"unit_code": m, "field": f"Lĩnh vực {m}"} for m in MONITORS],
                   organisation_scoring=[],
                   field_units=[{"item": i + 1, "unit_code": m, "topic": f"Thông tin {m}"}
                                for i, m in enumerate(MONITORS)])
    # the standing fixture sheets of the PUT endpoint's refusals
    w.used.add(("sheet", ("self", "TW12", "TW12")))
    # T01's evaluation of its district offices: its rule set, its partition (one cluster,
    # T01H1 head and T01H2 deputy, elected at T01's call) and its YEAR cycle
    app.publish_partition(ROOT, year=YEAR, province_code="T01", clusters=[
        {"code": "HC1", "name": "Cụm huyện 1", "members": DISTRICTS}])
    t01 = actor_for("T01")
    app.publish_district_ruleset(t01, province_code="T01", content=DISTRICT_RULES)
    opened = app.open_election(t01, group_id=district_cluster(), year=YEAR,
                               meeting_date="2024-01-10", place="BHXH tỉnh T01",
                               present=DISTRICTS).view["id"]
    app.put_forward(t01, opened, unit_code="T01H1", seat="head")
    app.put_forward(t01, opened, unit_code="T01H2", seat="deputy")
    for m in DISTRICTS:
        app.cast_ballot(actor_for(m), opened, seat="head", candidate_code="T01H1")
        app.cast_ballot(actor_for(m), opened, seat="deputy", candidate_code="T01H2")
    assert app.declare_result(t01, opened).view["outcome"] == "elected"
    app.open_district_cycle(t01, year=YEAR, province_code="T01",
                            ruleset_code=DISTRICT_RULES["code"])
    # T05's YEAR cycle: the pool of district sheets and nominations (twenty offices)
    for code in T05_OFFICES:
        app.register_unit(ROOT, code=code, name=f"BHXH cơ sở {code}", level="district",
                          parent_code="T05", effective="2020-01-01")
    t05 = actor_for("T05")
    app.publish_district_ruleset(t05, province_code="T05", content=DISTRICT_RULES)
    app.open_district_cycle(t05, year=YEAR, province_code="T05",
                            ruleset_code=DISTRICT_RULES["code"])
    w.used.add(("district-sheet", ("self", "T05H20", "T05H20")))
    w.used.add(("district-nomination", ("T05H20", "T05H20")))


# -- checks --------------------------------------------------------------------------------------
def last_denied(w: World) -> tuple[Any, ...] | None:
    with w.services.reads.connection() as conn:
        return conn.execute("SELECT status, user_name, path FROM denied_attempts "
                            "ORDER BY seq DESC LIMIT 1").fetchone()


def last_actor(w: World) -> dict[str, Any]:
    """The actor recorded on the last event of the store."""
    app = w.app
    notification = app.recorder.select_notifications(start=w.head(), limit=1)[0]
    return dict(app.mapper.to_domain_event(notification).actor)


def denied_count(w: World) -> int:
    with w.services.reads.connection() as conn:
        row = conn.execute("SELECT count(*) FROM denied_attempts").fetchone()
    return int(row[0]) if row else 0


def assert_denied(w: World, call: Call, username: str, response: Any, act: str,
                  may_name: tuple[str, ...], head: int, recorded: int) -> None:
    body = response.get_json()
    assert response.status_code == 403, body
    assert body["code"] == 403 and body["status"] == "Forbidden", body
    assert body["rule"] in (act, *may_name), body
    assert body["message"].strip(), body
    if body["rule"] == act:
        assert f"'{act}'" in body["message"], body
    assert w.head() == head, "a refused request wrote an event"
    assert denied_count(w) == recorded + 1, "the refusal was not recorded"
    assert last_denied(w) == (403, username, call.path)


@pytest.mark.parametrize(("op", "role", "own"), CASES, ids=[case_id(c) for c in CASES])
def test_the_rights_matrix(world: World, op: tuple[str, str], role: str, own: bool) -> None:
    entry = MATRIX[op]
    allowed = expected(entry, role, own)
    call = entry.build(world, own, allowed)
    assert call.method == op[0]
    username = world.user(role, call.unit)
    head, recorded = world.head(), denied_count(world)
    response = world.send(call, username)
    if allowed:
        assert 200 <= response.status_code < 300, (response.status_code, response.get_json())
        assert denied_count(world) == recorded
        if entry.writes_events:
            assert world.head() > head, "an allowed write recorded no event"
            recorded_by = last_actor(world)
            assert recorded_by["user_name"] == username and recorded_by["role"] == role
            assert recorded_by["unit_code"] == ("LD" if role == "leader" else call.unit)
        else:
            assert world.head() == head, f"{op} is not meant to write an event"
    else:
        may_name = entry.object_rules if role in RIGHTS[entry.act] else ()
        assert_denied(world, call, username, response, entry.act, may_name, head, recorded)


def test_every_write_endpoint_of_the_openapi_document_is_in_the_matrix(world: World) -> None:
    spec = world.client.get("/openapi.json").get_json()
    operations = {(method, path) for path, item in spec["paths"].items()
                  for method in item if method in WRITES}
    assert operations, "the OpenAPI document lists no write operation"
    assert sorted(operations - set(MATRIX)) == [], "write endpoints without a matrix entry"
    assert sorted(set(MATRIX) - operations) == [], "matrix entries for no endpoint"
    assert {e.act for e in MATRIX.values()} <= set(RIGHTS)
    assert len(CASES) == len(operations) * len(ROLES) * 2


def test_auditors_and_inspectors_never_write(world: World) -> None:
    """Every write endpoint refuses them, for any unit; the one they may call (signing a
    checkpoint of the audit trail, ``audit.export``) records no event."""
    for role in ("auditor", "inspector"):
        writable = [act for act, allowed in RIGHTS.items() if role in allowed]
        assert set(writable) <= {"registry.read", "user.read", "audit.read", "audit.export"}
        for op, entry in MATRIX.items():
            for own in (True, False):
                call = entry.build(world, own, False)
                username = world.user(role, call.unit)
                head, recorded = world.head(), denied_count(world)
                response = world.send(call, username)
                assert world.head() == head, (op, role, "wrote an event")
                if op == ("post", "/audit/checkpoints"):
                    assert response.status_code == 201, response.get_json()
                else:
                    assert_denied(world, call, username, response, entry.act, (), head,
                                  recorded)


def test_nobody_approves_their_own_submission(world: World) -> None:
    """A user who is both the unit's officer and its leader in charge submits; approving
    that submission is refused, nothing is written; another leader in charge approves."""
    app = world.app
    kind, scorer, subject = world.take(world.pairs("central"), "sheet")
    name = f"dual.{scorer.lower()}"
    app.register_user(ROOT, username=name, full_name="Kiêm nhiệm", roles=["officer", "leader"],
                      unit_code=scorer, assigned_unit_codes=[scorer])
    secret = app.issue_token(ROOT, name, label="matrix").view["secret"]
    world.tokens[name] = secret
    written = world.send(Call(scorer, "put", "/evaluation/sheets", {
        "year": YEAR, "kind": kind, "subject_code": subject, "scores": full_scores()}), name)
    assert written.status_code == 200, written.get_json()
    sid = written.get_json()["id"]
    submitted = world.send(Call(scorer, "post", f"/evaluation/sheets/{sid}/submit", {}), name)
    assert submitted.status_code == 200, submitted.get_json()
    head = world.head()
    refused = world.send(Call(scorer, "post", f"/evaluation/sheets/{sid}/approve", {}), name)
    body = refused.get_json()
    assert refused.status_code == 422 and body["rule"] == "approver_not_submitter", body
    assert world.head() == head
    assert app.sheet(sid).current["state"] == "submitted"
    approved = world.send(Call(scorer, "post", f"/evaluation/sheets/{sid}/approve", {}),
                          world.user("leader", scorer))
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"


ACTOR_FIELDS = {"actor": {"user_id": "someone", "roles": ["standing_office"]},
                "user_id": "someone-else", "unit_id": uid("TW12"), "acting_unit": "TW12"}


def allowed_case(entry: Entry) -> tuple[str, bool]:
    return next((role, own) for role in ROLES for own in (True, False)
                if expected(entry, role, own))


def test_the_body_never_decides_who_acts(world: World) -> None:
    """Mass assignment: a field naming the actor or the acting unit is refused (422, naming
    the field) on every write endpoint, in its body (or its form or query string where it
    takes no JSON), and nothing is written; a unit code of another unit in the fields that
    name the acting user's own unit is a 403, never an act for that unit."""
    for op, entry in MATRIX.items():
        role, own = allowed_case(entry)
        call = entry.build(world, own, True)
        username = world.user(role, call.unit)
        head = world.head()
        response = world.send(call, username, extra=ACTOR_FIELDS)
        body = response.get_json()
        # in a body, a form or a query string, unknown fields are refused alike
        assert response.status_code == 422, (op, body)
        assert set(ACTOR_FIELDS) <= set(body["errors"]), (op, body)
        assert world.head() == head, (op, "wrote an event")
    for path, field_name, payload in (
            ("/evaluation/nominations", "proposer_code",
             {"year": YEAR, "subject_code": "TW12", "justification": "x"}),
            ("/evaluation/field-reports", "reporter_code",
             {"year": YEAR, "province_code": "T08", "assessment": "x"}),
            ("/evaluation/sheets", "scorer_code",
             {"year": YEAR, "kind": "self", "subject_code": "TW12", "scores": {}}),
    ):
        for unit in ("TW12", "TW01"):
            call = Call("TW02", "put" if path.endswith("sheets") else "post", path,
                        {**payload, field_name: unit})
            username = world.user("officer", "TW02")
            head, recorded = world.head(), denied_count(world)
            response = world.send(call, username)
            assert_denied(world, call, username, response,
                          {"proposer_code": "nomination.write",
                           "reporter_code": "field_report.write",
                           "scorer_code": "sheet.write"}[field_name], (), head, recorded)


def test_a_group_is_run_by_the_secretariat_of_its_own_sitting_head(world: World) -> None:
    """GROUP_HEAD, unit by unit: the secretariat of K1's head (TW01) and of its deputy (TW02:
    docs/decisions.md, 'the secretariat of the sitting head (or deputy)') record a finding;
    the secretariat of a plain member (TW03) and of another group's head (TW07, head of K2)
    are refused."""
    path = f"/covenants/{world.fixtures['covenant']}/findings"
    body = {"member_code": "TW05", "inspected_on": "2024-10-01", "assessment": "kept",
            "summary": "Kiểm tra định kỳ."}
    for unit, allowed in (("TW01", True), ("TW02", True), ("TW03", False), ("TW07", False)):
        call = Call(unit, "post", path, body)
        username = world.user("group_secretariat", unit)
        head, recorded = world.head(), denied_count(world)
        response = world.send(call, username)
        if allowed:
            assert response.status_code == 201, response.get_json()
            assert last_actor(world)["unit_code"] == unit
        else:
            assert_denied(world, call, username, response, "finding.record", (), head,
                          recorded)
