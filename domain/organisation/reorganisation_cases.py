"""Use case of a reorganisation (quyết định sắp xếp, tổ chức lại): one recorded decision
whose changes of units apply in their order, all on its effective date, whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.result import Done
from domain.organisation.reorganisation import (
    Reorganisation,
    RowErrors,
    check_changes,
    check_header,
    decision_act,
    read_change_file,
    reorganisation_id,
)
from domain.organisation.unit_cases import UnitCases, UnitChanges
from domain.organisation.units import Unit, unit_id

ENDING = ("merge", "split", "dissolve", "relevel")
Progress = Callable[[int, int], None]  # (rows applied, rows)


class ReorganisationCases(UnitCases):
    """A decision of many unit changes, recorded with every unit it changes in one save."""

    def reorganise(self, actor: Actor, *, number: str, signed: str, issuer: str, basis: str,
                   effective: str, changes: list[dict[str, Any]],
                   progress: Progress | None = None) -> Done:
        """Apply the decision's ``changes`` (rows, see domain/organisation/reorganisation.py)
        in their order on ``effective``: every row applies, or none; each bad row is named
        ``changes[i].<field>`` with its rule. ``progress(rows applied, rows)`` is told as
        they are."""
        return self._reorganise(actor, number, signed, issuer, basis, effective,
                                lambda: changes, progress)

    def reorganise_file(self, actor: Actor, *, content: bytes | IO[bytes], filename: str,
                        number: str, signed: str, issuer: str, basis: str,
                        effective: str, progress: Progress | None = None) -> Done:
        """:meth:`reorganise` with the changes in a CSV or XLSX file, read (within its
        bounds) only once the right to reorganise is granted."""
        return self._reorganise(actor, number, signed, issuer, basis, effective,
                                lambda: read_change_file(content, filename), progress)

    def _reorganise(self, actor: Actor, number: Any, signed: Any, issuer: Any, basis: Any,
                    effective: Any, source: Callable[[], Any],
                    progress: Progress | None = None) -> Done:
        def work() -> tuple[dict[str, Any], list[Any]]:
            errors = RowErrors()
            header = check_header(number, signed, issuer, basis, effective, errors)
            checked = check_changes(source(), errors)
            if len(header) < 5 or not checked:
                raise errors.refusal()
            rid = reorganisation_id(header["number"], header["issuer"])
            if self.exists(rid):
                raise RuleViolation(f"Decision {header['number']} of {header['issuer']} is "
                                    "already recorded; a decision is recorded once.",
                                    field="number", rule="decision_recorded_once")
            # rows of a wrong shape are named already; the others are applied all the same,
            # so that one answer names every bad row
            units = self._apply(checked, header["effective"], decision_act(header), errors,
                                progress)
            rows = [r for r in checked if r is not None]
            decision = Reorganisation(
                number=header["number"], signed=header["signed"], issuer=header["issuer"],
                basis=header["basis"], effective=header["effective"], changes=rows,
                units=[u.code for u in units])
            view = {"id": str(decision.id), **header, "change_count": len(rows),
                    "unit_count": len(units)}
            return view, [decision, *units]

        return self.act(actor, "unit.manage", work)

    def _apply(self, rows: list[dict[str, Any] | None], eff: str, act: dict[str, str],
               errors: RowErrors, progress: Progress | None = None) -> list[Unit]:
        """The units the rows change, changed; or the refusal naming every bad row."""
        changes = UnitChanges(self, act)
        ended: dict[str, int] = {}  # unit id -> the row that ended it or changed its level
        receivers: list[tuple[str, str]] = []  # (field, unit id) of merger and split targets
        given = [r for r in rows if r is not None]
        named = {unit_id(r[k]) for r in given for k in ("code", "parent_code", "into_code")
                 if k in r}
        named |= {unit_id(c) for r in given for c in r.get("into_codes", ())}
        with self.prefetched(*named):
            for i, row in enumerate(rows):
                if progress is not None:
                    progress(i, len(rows))
                if row is None:
                    continue
                prefix = f"changes[{i}]"
                try:
                    unit = self._reorganisation_step(changes, row, eff)
                except (InvalidInput, RuleViolation, NotFound) as e:
                    errors.add_error(prefix, e, tuple(row))
                    continue
                if row["change"] in ENDING:
                    ended[str(unit.id)] = i
                if row["change"] == "merge":
                    receivers.append((f"{prefix}.into_code", str(unit_id(row["into_code"]))))
                for j, part in enumerate(row.get("into_codes", ())):
                    receivers.append((f"{prefix}.into_codes[{j}]", str(unit_id(part))))
            if progress is not None:
                progress(len(rows), len(rows))
        # At the end of the decision, whatever the order of its rows: no district office is
        # left under a province that ended, and what ended went to units that remain.
        for uid, i in ended.items():
            unit = changes.units[uid]
            if not unit.active or unit.level != "province":
                try:
                    unit.check_districts_settled(eff, changes.code_of)
                except RuleViolation as e:
                    errors.add_error(f"changes[{i}]", e)
        for field, uid in receivers:
            target = changes.units[uid]
            if not target.active:
                errors.add(field, f"{target.code} itself ends ({target.end_status}) by this "
                           "decision; a merger or a split goes to units that remain.",
                           "successor_remains")
        if errors:
            raise errors.refusal()
        return changes.touched

    @staticmethod
    def _reorganisation_step(changes: UnitChanges, row: dict[str, Any], eff: str) -> Unit:
        kind, code = row["change"], row["code"]
        if kind == "register":
            return changes.register(code, row["name"], row["level"], row.get("parent_code"),
                                    eff)
        if kind == "rename":
            return changes.rename(code, row["name"], eff)
        if kind == "move":
            return changes.move(code, row["parent_code"], eff)
        if kind == "merge":
            return changes.merge(code, row["into_code"], eff, settled_now=False)
        if kind == "split":
            return changes.split(code, row["into_codes"], eff)
        if kind == "dissolve":
            return changes.dissolve(code, eff, settled_now=False)
        return changes.relevel(code, row["level"], row.get("parent_code"), eff)
