"""The rights of domain.md §1 as one table: role × act × whose unit.

Every use case asks :func:`authorise` before it acts, whatever the path (API, CLI, import),
so the table below is the whole truth about who may do what. The README prints it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.kernel.actor import Actor
from domain.kernel.errors import NotAuthorised

ANY = "any unit"
OWN = "own unit"
ASSIGNED = "assigned units"
GROUP_HEAD = "own group (head unit)"
# The province that organises a group: its district clusters (4268 A.I.5), as the standing
# office organises the blocks and provincial clusters (docs/decisions.md).
ORGANISER = "own district clusters (province)"

# The roles that act for no unit of their own: a user holding only these needs no unit code
# (the others act for the user's unit, and so stop acting when it ends:
# UseCases.check_unit_in_life). A leader in charge (a deputy general director) belongs to no
# unit: they act for the central units assigned to them.
UNITLESS_ROLES = ("admin", "auditor", "inspector", "leader")

# act -> {role: scope}
RIGHTS: dict[str, dict[str, str]] = {
    # organisation registry (domain.md §2)
    "unit.manage": {"standing_office": ANY},
    "group.manage": {"standing_office": ANY},
    "membership.import": {"standing_office": ANY},
    "district_partition.publish": {"standing_office": ANY, "unit_head": OWN, "officer": OWN},
    # users and tokens
    "user.manage": {"admin": ANY},
    "token.manage": {"admin": ANY},
    # elections and covenants (§3–4)
    "election.run": {"group_secretariat": GROUP_HEAD, "standing_office": ANY,
                     "unit_head": ORGANISER, "officer": ORGANISER},
    "office.designate": {"standing_office": ANY},
    "ballot.cast": {"unit_head": OWN, "officer": OWN},
    "covenant.launch": {"group_secretariat": GROUP_HEAD},
    "covenant.sign": {"unit_head": OWN, "officer": OWN},
    "target.register": {"unit_head": OWN, "officer": OWN},
    "finding.record": {"group_secretariat": GROUP_HEAD},
    # the group's annual judging (bình xét thi đua) and its own documents (4268 A.II.1)
    "judging.run": {"group_secretariat": GROUP_HEAD, "standing_office": ANY,
                    "unit_head": ORGANISER, "officer": ORGANISER},
    "judging.vote": {"unit_head": OWN, "officer": OWN},
    "group_rules.write": {"group_secretariat": GROUP_HEAD},
    "group_plan.write": {"group_secretariat": GROUP_HEAD},
    # annual evaluation (§5)
    "cycle.manage": {"standing_office": ANY},
    "sheet.write": {"officer": OWN, "unit_head": OWN},
    "sheet.approve": {"leader": ASSIGNED},
    "sheet.return": {"leader": ASSIGNED, "standing_office": ANY},
    "sheet.send": {"unit_head": OWN, "officer": OWN},
    "nomination.write": {"unit_head": OWN, "officer": OWN},
    "nomination.approve": {"leader": ASSIGNED},
    "nomination.return": {"leader": ASSIGNED, "standing_office": ANY},
    "field_report.write": {"unit_head": OWN, "officer": OWN},
    "summary.send": {"group_secretariat": GROUP_HEAD},
    "decision.record": {"standing_office": ANY},
    # a province's evaluation of its district offices (4268 A.I.5; docs/decisions.md)
    "district.manage": {"unit_head": OWN, "officer": OWN},
    "district_sheet.return": {"unit_head": OWN, "officer": OWN},
    "district_decision.record": {"unit_head": OWN},
    # reading
    "registry.read": {r: ANY for r in ("officer", "unit_head", "group_secretariat", "leader",
                                       "standing_office", "auditor", "inspector", "admin")},
    "user.read": {"admin": ANY, "standing_office": ANY, "auditor": ANY, "inspector": ANY},
    "audit.read": {"auditor": ANY, "inspector": ANY, "standing_office": ANY},
    "audit.export": {"auditor": ANY, "inspector": ANY, "standing_office": ANY},
}


class GroupPowers(tuple[str, ...]):
    """Who holds powers over a group: the head units (the tuple itself, as before: the
    sitting head and deputy, or the unit acting in a vacant seat) and ``organisers``, the
    unit that organises the group (a district cluster's province). The GROUP_HEAD scope
    reads the first, ORGANISER the second."""

    organisers: tuple[str, ...]

    def __new__(cls, heads: Iterable[str] = (), organisers: Iterable[str] = ()) -> Any:
        powers = super().__new__(cls, tuple(heads))
        powers.organisers = tuple(organisers)
        return powers


def authorise(actor: Actor, act: str, *, unit_id: str | None = None,
              group_head_units: Iterable[str] = ()) -> Actor:
    """Return the actor bound to the first role that allows ``act`` for ``unit_id``,
    or raise :class:`NotAuthorised` saying why. ``group_head_units`` may be a
    :class:`GroupPowers`, naming the group's organisers too."""
    allowed = RIGHTS[act]
    heads = set(group_head_units)
    organisers = set(getattr(group_head_units, "organisers", ()))
    for role in actor.roles:
        scope = allowed.get(role)
        if scope is None:
            continue
        if (scope == ANY
                or (scope == OWN and unit_id is not None and unit_id == actor.unit_id)
                or (scope == ASSIGNED and unit_id is not None and unit_id in actor.assigned_units)
                or (scope == GROUP_HEAD and actor.unit_id is not None and actor.unit_id in heads)
                or (scope == ORGANISER and actor.unit_id is not None
                    and actor.unit_id in organisers)):
            return actor.acting_as(role)
    roles = ", ".join(f"{r} ({s})" for r, s in allowed.items())
    if not actor.roles:
        reason = (f"'{act}' needs one of the roles: {roles}; you hold no role, so you may "
                  "neither read nor act.")
    elif not any(r in allowed for r in actor.roles):
        reason = f"'{act}' needs one of the roles: {roles}; you hold {', '.join(actor.roles)}."
    else:
        scopes = ", ".join(sorted(set(allowed.values())))
        reason = (f"'{act}' is allowed to your role only for {scopes}; this is not your "
                  "unit's to do.")
    raise NotAuthorised(reason, rule=act)
