"""Whose each default of the year's election rules is (domain/kernel/provenance.py): what
letter 4268/BHXH-TĐKT says, and what thidua chose where it is silent (docs/decisions.md,
"Whose defaults")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.elections.rules import ElectionRules
from domain.kernel.provenance import LETTERS, OURS, Default, marked

_D = ElectionRules()
DEFAULTS: tuple[Default, ...] = (
    Default("quorum", _D.quorum, OURS, "domain.md §3: at least 2/3 of the members present; "
            "letter 4268 names no quorum."),
    Default("majority", _D.majority, OURS, "domain.md §3: more than half of the ballots "
            "cast; letter 4268 names no majority."),
    Default("secret_ballot", _D.secret_ballot, OURS, "domain.md §3; letter 4268 says "
            "'bầu chọn', not how."),
    Default("rotation", _D.rotation, LETTERS, "Letter 4268, A.I.1–2: 'bầu chọn, giới thiệu "
            "luân phiên'; that the previous term's head is not head again is our reading."),
    Default("head_deputy_distinct", _D.head_deputy_distinct, LETTERS, "Letter 4268, A.I.1–2: "
            "a head and a deputy, each the head of a member unit."),
    Default("next_term_months", list(_D.next_term_months), OURS, "docs/decisions.md, 'A "
            "December meeting may elect for the next year's group'."),
    Default("deputy_acts_for_vacant_head", _D.deputy_acts_for_vacant_head, OURS,
            "docs/decisions.md, 'A head's unit that ends leaves the seat vacant'."),
)


def rule_sources(rules: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each election rule, with whose it is."""
    return marked(rules, DEFAULTS)
