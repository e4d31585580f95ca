"""The evaluation rule set (bộ tiêu chí chấm điểm, xếp loại): its defaults (domain.md §5), the
SAMPLE scheme, and the check a rule set passes before it is published."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import event

from domain.evaluation.rules import CODE, CRITERION_KINDS, SHEET_KINDS, parse_score
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.text import clean

DEFAULT_LEVELS: list[dict[str, str]] = [
    {"code": "excellent", "name": "Hoàn thành xuất sắc nhiệm vụ", "min": "90"},
    {"code": "good", "name": "Hoàn thành tốt nhiệm vụ", "min": "70"},
    {"code": "complete", "name": "Hoàn thành nhiệm vụ", "min": "50"},
    {"code": "incomplete", "name": "Không hoàn thành nhiệm vụ", "min": "0"},
]
DEFAULT_LEGAL_BASIS: list[dict[str, str]] = [
    {"number": "1779/QĐ-BHXH", "date": "2021-12-31",
     "title": "Quy định về đánh giá và xếp loại thực hiện chi tiền thưởng, chi bổ sung thu "
              "nhập đối với đơn vị, công chức, viên chức, người lao động"},
    {"number": "1686/QĐ-BHXH", "date": "2023-11-24",
     "title": "Sửa đổi, bổ sung một số điều; đơn vị Hoàn thành xuất sắc nhiệm vụ, có thành "
              "tích nổi trội"},
]
# The excellent level capped at 20% of a comparable group (never fewer than one unit), and the
# deadline of 10 January of the following year: the defaults of domain.md §5, written here only.
DEFAULT_QUOTA: dict[str, Any] = {"level": "excellent", "share_percent": "20", "minimum": 1}
DEFAULT_DEADLINE: dict[str, int] = {"month": 1, "day": 10}
DEFAULT_TOTAL_POINTS = "100"
# Which received scores make a unit's assessed score, by the unit's level.
DEFAULT_BASIS: dict[str, list[str]] = {
    "province": ["central_to_province"],
    "central": ["organisation_to_central", "province_to_central"],
}

# Separation of duties on score sheets (the letters are silent): whether a user who wrote,
# submitted or corrected a sheet is refused its approval and its return (docs/decisions.md).
DEFAULT_SEPARATION: dict[str, bool] = {"approve": True, "return": True}

# Deadlines (the letters are silent on both; ours, docs/decisions.md): an extension runs at
# most this many days past the deadline; a cycle opened after its deadline is opened with a
# warning ("warn") or refused ("refuse").
DEFAULT_EXTENSION_LIMIT_DAYS = 30
LATE_OPENING = ("warn", "refuse")
DEFAULT_LATE_OPENING = "warn"

# SAMPLE scheme in the spirit of QĐ 1779 (illustrative wording, not the official annex):
# (code, group, name, kind, maximum)
_SAMPLE_CRITERIA: list[tuple[str, str, str, str, str]] = [
    ("C01", "I. Thực hiện nhiệm vụ chuyên môn",
     "Thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm", "base", "30"),
    ("C02", "I. Thực hiện nhiệm vụ chuyên môn",
     "Chất lượng, tiến độ thực hiện nhiệm vụ chuyên môn", "base", "20"),
    ("C03", "I. Thực hiện nhiệm vụ chuyên môn", "Cải cách hành chính, chuyển đổi số",
     "base", "10"),
    ("C04", "I. Thực hiện nhiệm vụ chuyên môn", "Phối hợp công tác với các đơn vị",
     "base", "10"),
    ("C05", "II. Chỉ đạo, điều hành, tổ chức bộ máy",
     "Chỉ đạo, điều hành; xây dựng và thực hiện quy chế làm việc", "base", "5"),
    ("C06", "II. Chỉ đạo, điều hành, tổ chức bộ máy",
     "Kỷ luật, kỷ cương hành chính; phòng, chống tham nhũng, lãng phí", "base", "5"),
    ("C07", "II. Chỉ đạo, điều hành, tổ chức bộ máy",
     "Công tác tổ chức cán bộ, đào tạo, bồi dưỡng", "base", "5"),
    ("C08", "II. Chỉ đạo, điều hành, tổ chức bộ máy",
     "Thực hành tiết kiệm; quản lý tài chính, tài sản", "base", "5"),
    ("C09", "III. Thi đua, khen thưởng, đoàn thể",
     "Tổ chức phong trào thi đua, công tác khen thưởng", "base", "5"),
    ("C10", "III. Thi đua, khen thưởng, đoàn thể", "Công tác Đảng, đoàn thể; văn hoá công sở",
     "base", "5"),
    ("B01", "IV. Điểm thưởng",
     "Sáng kiến, thành tích nổi bật được cấp có thẩm quyền ghi nhận", "bonus", "5"),
    ("M01", "V. Điểm trừ", "Vi phạm, sai sót bị cấp có thẩm quyền phát hiện, xử lý",
     "minus", "10"),
]


def sample_ruleset(criteria: int | None = None) -> dict[str, Any]:
    """The defaults of domain.md §5 as a rule set. ``criteria=n`` gives instead a scheme of
    n base criteria sharing the 100 points (the count is data, e.g. 20 for the benchmark)."""
    if criteria is None:
        rows = [{"code": c, "group": g, "name": n, "kind": k, "max": m}
                for c, g, n, k, m in _SAMPLE_CRITERIA]
    else:
        share, extra = divmod(100, criteria)
        rows = [{"code": f"C{i + 1:02d}", "group": "I. Tiêu chí chấm điểm",
                 "name": f"Tiêu chí số {i + 1}", "kind": "base",
                 "max": str(share + (1 if i < extra else 0))} for i in range(criteria)]
    return {
        "code": "QD1779", "name": "Bộ tiêu chí đánh giá, xếp loại đơn vị hằng năm",
        "total_points": DEFAULT_TOTAL_POINTS, "criteria": rows,
        "levels": [dict(x) for x in DEFAULT_LEVELS], "quota": dict(DEFAULT_QUOTA),
        "deadline": dict(DEFAULT_DEADLINE),
        "basis": {k: list(v) for k, v in DEFAULT_BASIS.items()},
        "legal_basis": [dict(x) for x in DEFAULT_LEGAL_BASIS],
        "separation_of_duties": dict(DEFAULT_SEPARATION),
        "extension_limit_days": DEFAULT_EXTENSION_LIMIT_DAYS,
        "late_opening": DEFAULT_LATE_OPENING,
    }


def extension_limit_days(rules: Mapping[str, Any]) -> int:
    """How many days past the deadline an extension may run (the default where the rule set
    says nothing, as rule sets published before the setting)."""
    given = rules.get("extension_limit_days")
    return DEFAULT_EXTENSION_LIMIT_DAYS if given is None else int(given)


def late_opening(rules: Mapping[str, Any]) -> str:
    """Whether a cycle opened after its deadline is opened with a warning or refused."""
    return str(rules.get("late_opening") or DEFAULT_LATE_OPENING)


def separation_of_duties(rules: Mapping[str, Any]) -> dict[str, bool]:
    """A cycle's separation of duties: its rule set's, the defaults where it says nothing
    (rule sets published before the setting existed)."""
    given = rules.get("separation_of_duties") or {}
    return {act: bool(given.get(act, on)) for act, on in DEFAULT_SEPARATION.items()}


# -- checking a rule set -----------------------------------------------------------------------
def _text(data: Mapping[str, Any], key: str, field: str, limit: int = 500) -> str:
    value = data.get(key)
    value = clean(value, field) if isinstance(value, str) else value
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"'{key}' is text of 1–{limit} characters.", field=field,
                           rule="text_required")
    return value.strip()


def _points(value: Any, field: str, positive: bool = True) -> str:
    points = parse_score(value, field)
    if positive and points <= 0:
        raise InvalidInput("Points must be more than 0.", field=field, rule="points_positive")
    return str(points)


def check_ruleset(content: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a rule set's content; return it normalised (every number a string)."""
    if not isinstance(content, Mapping):
        raise InvalidInput("A rule set is an object.", field="content", rule="object")
    total = Decimal(_points(content.get("total_points", DEFAULT_TOTAL_POINTS), "total_points"))
    criteria = content.get("criteria")
    if not isinstance(criteria, list) or not 1 <= len(criteria) <= 200:
        raise InvalidInput("A rule set has 1–200 criteria.", field="criteria",
                           rule="criteria_count")
    rows, seen, base = [], set(), Decimal(0)
    for i, c in enumerate(criteria):
        where = f"criteria[{i}]"
        if not isinstance(c, Mapping):
            raise InvalidInput("A criterion is an object.", field=where, rule="object")
        code = c.get("code")
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise InvalidInput("A criterion code is 1–32 capital letters, digits, '_', '.', "
                               "'-'.", field=f"{where}.code", rule="code_format")
        if code in seen:
            raise InvalidInput(f"Criterion code {code} appears twice.", field=f"{where}.code",
                               rule="unique_criterion_code")
        seen.add(code)
        kind = c.get("kind", "base")
        if kind not in CRITERION_KINDS:
            raise InvalidInput(f"A criterion kind is one of {', '.join(CRITERION_KINDS)}.",
                               field=f"{where}.kind", rule="known_criterion_kind")
        points = _points(c.get("max"), f"{where}.max")
        if kind == "base":
            base += Decimal(points)
        rows.append({"code": code, "group": _text(c, "group", f"{where}.group"),
                     "name": _text(c, "name", f"{where}.name"), "kind": kind, "max": points})
    if base != total:
        raise InvalidInput(f"The base criteria add up to {base} points, not the rule set's "
                           f"total of {total}.", field="criteria", rule="base_points_total")
    extra: dict[str, Any] = {} if content.get("reference_day") is None else {
        "reference_day": _day_month(content["reference_day"], "reference_day",
                                    "The reference day is a day and month of the year, e.g. "
                                    "{\"month\": 12, \"day\": 31}.")}
    extra.update(_deadline_settings(content))
    return {
        **extra,
        "code": _code(content), "name": _text(content, "name", "name"),
        "total_points": str(total), "criteria": rows, "levels": _levels(content.get("levels")),
        "quota": _quota(content.get("quota")), "deadline": _deadline(content.get("deadline")),
        "basis": _basis(content.get("basis", DEFAULT_BASIS)),
        "legal_basis": _legal(content.get("legal_basis")),
        "separation_of_duties": _separation(content.get("separation_of_duties")),
    }


def _code(content: Mapping[str, Any]) -> str:
    code = content.get("code")
    if not isinstance(code, str) or not CODE.fullmatch(code):
        raise InvalidInput("A rule set code is 1–32 capital letters, digits, '_', '.', '-'.",
                           field="code", rule="code_format")
    return code


def _levels(levels: Any) -> list[dict[str, str]]:
    if not isinstance(levels, list) or not 2 <= len(levels) <= 10:
        raise InvalidInput("A rule set has 2–10 classification levels.", field="levels",
                           rule="levels_count")
    out: list[dict[str, str]] = []
    for i, lv in enumerate(levels):
        where = f"levels[{i}]"
        if not isinstance(lv, Mapping):
            raise InvalidInput("A level is an object.", field=where, rule="object")
        low = parse_score(lv.get("min"), f"{where}.min")
        if out and low >= Decimal(out[-1]["min"]):
            raise InvalidInput("Levels go from the highest threshold down, each lower than the "
                               "one before.", field=f"{where}.min", rule="levels_descending")
        out.append({"code": _text(lv, "code", f"{where}.code", 32),
                    "name": _text(lv, "name", f"{where}.name"), "min": str(low)})
    if Decimal(out[-1]["min"]) != 0:
        raise InvalidInput("The lowest level starts at 0 so that every total has a level.",
                           field=f"levels[{len(out) - 1}].min", rule="lowest_level_zero")
    if "excellent" not in {lv["code"] for lv in out}:
        raise InvalidInput("One level must be 'excellent' (Hoàn thành xuất sắc nhiệm vụ).",
                           field="levels", rule="excellent_level")
    return out


def _quota(quota: Any) -> dict[str, Any]:
    quota = quota or DEFAULT_QUOTA
    if not isinstance(quota, Mapping):
        raise InvalidInput("The quota is an object.", field="quota", rule="object")
    share = parse_score(quota.get("share_percent"), "quota.share_percent")
    if share > 100:
        raise InvalidInput("A share is at most 100 percent.", field="quota.share_percent",
                           rule="share_range")
    minimum = quota.get("minimum", 0)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= 1000:
        raise InvalidInput("The minimum is a whole number 0–1000.", field="quota.minimum",
                           rule="minimum_range")
    return {"level": str(quota.get("level", DEFAULT_QUOTA["level"])),
            "share_percent": str(share), "minimum": minimum}


def _deadline(deadline: Any) -> dict[str, int]:
    return _day_month(deadline or DEFAULT_DEADLINE, "deadline",
                      "The deadline is a day and month of the following year, e.g. "
                      "{\"month\": 1, \"day\": 10}.")


def _day_month(value: Any, field: str, message: str) -> dict[str, int]:
    """A day and month (of no year in particular: 29 February is refused)."""
    try:
        date(2001, int(value["month"]), int(value["day"]))
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(message, field=field, rule=f"{field}_format") from None
    return {"month": int(value["month"]), "day": int(value["day"])}


def _basis(basis: Any) -> dict[str, list[str]]:
    if not isinstance(basis, Mapping) or set(basis) - {"central", "province"}:
        raise InvalidInput("The basis maps 'central' and 'province' to lists of sheet kinds.",
                           field="basis", rule="basis_format")
    out = {}
    for level, kinds in basis.items():
        if not isinstance(kinds, list) or any(k not in SHEET_KINDS[1:] for k in kinds):
            raise InvalidInput(f"Kinds received are {', '.join(SHEET_KINDS[1:])}.",
                               field=f"basis.{level}", rule="known_sheet_kind")
        out[str(level)] = list(kinds)
    return out


def _legal(legal: Any) -> list[dict[str, str]]:
    if not isinstance(legal, list) or not 1 <= len(legal) <= 20:
        raise InvalidInput("A rule set names its legal basis: 1–20 documents.",
                           field="legal_basis", rule="legal_basis_required")
    out = []
    for i, doc in enumerate(legal):
        where = f"legal_basis[{i}]"
        if not isinstance(doc, Mapping):
            raise InvalidInput("A document is an object.", field=where, rule="object")
        out.append({"number": _text(doc, "number", f"{where}.number", 100),
                    "date": parse_date(str(doc.get("date")), f"{where}.date").isoformat(),
                    "title": _text(doc, "title", f"{where}.title", 1000)})
    return out




def _deadline_settings(content: Mapping[str, Any]) -> dict[str, Any]:
    """``extension_limit_days`` (0–366) and ``late_opening`` (warn, refuse), kept only when
    given: a rule set that names neither reads the defaults."""
    out: dict[str, Any] = {}
    limit = content.get("extension_limit_days")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= 366:
            raise InvalidInput("extension_limit_days is a whole number of days, 0–366: how "
                               "long past the deadline an extension may run.",
                               field="extension_limit_days", rule="extension_limit_format")
        out["extension_limit_days"] = limit
    opening = content.get("late_opening")
    if opening is not None:
        if opening not in LATE_OPENING:
            raise InvalidInput("late_opening is 'warn' (a cycle opened after its deadline opens "
                               "with a warning) or 'refuse' (it is refused).",
                               field="late_opening", rule="late_opening_format")
        out["late_opening"] = opening
    return out


def _separation(value: Any) -> dict[str, bool]:
    if value is None:
        return dict(DEFAULT_SEPARATION)
    if not isinstance(value, Mapping) or set(value) - set(DEFAULT_SEPARATION) or any(
            not isinstance(v, bool) for v in value.values()):
        raise InvalidInput("separation_of_duties maps 'approve' and 'return' to true or "
                           "false: whether the one who wrote, submitted or corrected a sheet "
                           "is refused that act.", field="separation_of_duties",
                           rule="separation_format")
    return {act: value.get(act, on) for act, on in DEFAULT_SEPARATION.items()}



class RuleSet(ThiduaAggregate):
    """Bộ tiêu chí: every version kept; a change is a new version, old ones stay readable."""

    TOPIC = "thidua:RuleSet"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:RuleSet.Event"

    @staticmethod
    def create_id(code: str) -> Any:
        return stable_id("evaluation_ruleset", code)

    @event("Published", topic="thidua:RuleSet.Published")
    def __init__(self, code: str, content: dict[str, Any], note: str | None) -> None:
        self.code = code
        self.versions: list[dict[str, Any]] = []
        self._add(content, note)

    def _add(self, content: dict[str, Any], note: str | None) -> None:
        self.versions.append({"version": len(self.versions) + 1, "content": content,
                              "note": note})

    @event("Revised", topic="thidua:RuleSet.Revised")
    def revise(self, content: dict[str, Any], note: str | None) -> None:
        self._add(content, note)

    def check_changed(self, content: dict[str, Any]) -> None:
        if content == self.versions[-1]["content"]:
            raise RuleViolation(f"Rule set {self.code} version {len(self.versions)} already "
                                "says exactly this.", field="content", rule="ruleset_unchanged")

    def version_of(self, number: int | None) -> dict[str, Any]:
        if number is None:
            return self.versions[-1]
        if not 1 <= number <= len(self.versions):
            raise NotFound(f"Rule set {self.code} has versions 1–{len(self.versions)}.",
                           field="ruleset_version", rule="exists")
        return self.versions[number - 1]
