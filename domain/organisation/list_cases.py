"""Use case of a membership list (Danh sách ban hành kèm theo): one recorded decision, applied
whole or not at all."""

from __future__ import annotations

from typing import IO, Any

from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.result import Done
from domain.kernel.text import clean
from domain.organisation import spans
from domain.organisation.groups import (
    check_effective,
    check_member,
    group_id,
    unit_facts,
)
from domain.organisation.membership_list import list_fingerprint, parse_membership_list
from domain.organisation.partition_cases import PartitionCases, check_partition_province
from domain.organisation.units import Unit, unit_id


class MembershipListCases(PartitionCases):
    """The attached list of a year's groups, imported as one decision."""

    # -- membership list ---------------------------------------------------------------------
    def import_membership_list(self, actor: Actor, *, year: int, content: bytes | IO[bytes],
                               filename: str, document_number: str, document_date: str,
                               effective: str | None = None) -> Done:
        """Apply a Danh sách ban hành kèm theo as one recorded decision: all of it or none.
        The groups it names are re-formed from ``effective`` (default 1 January), units are
        counted on that day. The file is read only once the right to import is granted."""
        check_year(year)
        day = check_effective(year, effective)
        if isinstance(document_number, str):
            document_number = clean(document_number, "document_number")
        if not document_number or not document_number.strip():
            raise InvalidInput("The decision's document number is required.",
                               field="document_number", rule="required")
        doc_date = parse_date(document_date, "document_date").isoformat()

        def work() -> tuple[dict[str, Any], list[Any]]:
            rows = parse_membership_list(content, filename)  # after authorise, in act()
            years = self.group_year(year)
            number = document_number.strip()
            if years.list_applied(_fingerprint(year, number, doc_date, day, rows)):
                # the same list again (a second upload, a retry): nothing is recorded twice
                return {"document_number": number, "document_date": doc_date,
                        "filename": filename, "rows": len(rows), "year": year,
                        "effective": day, "groups": len({(r.kind, r.group_code,
                                                          r.province_code) for r in rows}),
                        "already_applied": True}, []
            errors: dict[str, list[str]] = {}
            groups: dict[tuple[str, str, str | None], dict[str, Any]] = {}
            provinces: dict[str, Unit] = {}
            for r in rows:
                label = f"row {r.row}"
                try:
                    province_id = None
                    if r.kind == "district_cluster":
                        assert r.province_code is not None
                        if r.province_code not in provinces:
                            provinces[r.province_code] = self.unit(r.province_code,
                                                                   "province_code")
                            check_partition_province(provinces[r.province_code], day,
                                                     "province_code")
                        province_id = str(provinces[r.province_code].id)
                    f = unit_facts(self.unit(r.unit_code, "unit_code"), day)
                    check_member(r.kind, province_id, f, "unit_code")
                except (InvalidInput, NotFound, RuleViolation) as e:
                    errors.setdefault(label, []).append(e.message)
                    continue
                key = (r.kind, r.group_code, province_id)
                g = groups.setdefault(key, {
                    "id": group_id(year, r.kind, r.group_code, province_id), "kind": r.kind,
                    "code": r.group_code, "name": r.group_name, "province_id": province_id,
                    "members": [], "rows": []})
                if f.id in g["members"]:
                    errors.setdefault(label, []).append(
                        f"{r.unit_code} is listed twice in {r.group_code}")
                    continue
                g["members"].append(f.id)
                g["rows"].append((r.row, f.id, f.code))
            # a unit in at most one group of each kind at any moment, inside the list and
            # against the year's groups the list does not re-form
            placed: dict[tuple[str, str], str] = {}
            named = {g["id"] for g in groups.values()}
            for g in groups.values():
                for row, uid, code in g["rows"]:
                    other = placed.get((g["kind"], uid))
                    if other and other != g["code"]:
                        errors.setdefault(f"row {row}", []).append(
                            f"{code} is already listed in {other}; a unit is in at most one "
                            f"{g['kind']} at any moment")
                    placed[(g["kind"], uid)] = g["code"]
                    if g["kind"] == "district_cluster":
                        continue  # checked with the province's partition
                    found = spans.clash(years.spans, years.of_kind(g["kind"]), uid, day,
                                        ignore=named)
                    if found is not None:
                        held = years.groups[found["group_id"]]
                        until = f" until {found['until']}" if found["until"] else ""
                        errors.setdefault(f"row {row}", []).append(
                            f"{code} is a member of {held['code']} from {found['from']}"
                            f"{until}, a group this list does not re-form")
            partitions = []
            ends: list[dict[str, Any]] = []
            for pcode, province in provinces.items():
                clusters = [g for g in groups.values()
                            if g["kind"] == "district_cluster"
                            and g["province_id"] == str(province.id)]
                try:
                    built = self._partition(
                        years, province,
                        [{"code": g["code"], "name": g["name"],
                          "members": [code for _, _, code in g["rows"]]} for g in clusters],
                        day, "clusters")
                except (InvalidInput, RuleViolation, NotFound) as e:
                    errors.setdefault(f"province {pcode}", []).append(e.message)
                    continue
                partitions.append({"province_id": str(province.id), "effective": day,
                                   "district_count": built["district_count"],
                                   "clusters": built["clusters"]})
                ends.extend(built["ends"])
            if errors:
                raise InvalidInput(f"{len(errors)} row(s) of the list are wrong; nothing was "
                                   "applied.", errors=errors, rule="list_rows")
            decision = {"document_number": number, "document_date": doc_date,
                        "filename": filename, "rows": len(rows)}
            plain = [{k: v for k, v in g.items() if k != "rows"} for g in groups.values()
                     if g["kind"] != "district_cluster"]
            labels = {uid: code for g in groups.values() for _, uid, code in g["rows"]}
            years.import_list(decision=decision, groups=plain, partitions=partitions,
                              effective=None if day == years.first_day else day,
                              ends=ends or None, labels=labels)
            summary = {**decision, "groups": len(groups), "year": year, "effective": day}
            return summary, [years]

        return self.act(actor, "membership.import", work)


def _fingerprint(year: int, number: str, document_date: str, day: str,
                 rows: list[Any]) -> str:
    """The list's :func:`list_fingerprint` from its rows, before any of them is checked (ids
    derive from codes), so that the list applied is known again whatever changed since."""
    def gid(r: Any) -> str:
        province = str(unit_id(r.province_code)) if r.kind == "district_cluster" else None
        return group_id(year, r.kind, r.group_code, province)

    return list_fingerprint(number, document_date, day,
                            [(gid(r), r.kind, r.group_name, str(unit_id(r.unit_code)))
                             for r in rows])
