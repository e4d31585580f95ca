"""The one eventsourcing Application of thidua: one ordered log for the whole domain."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.cases import UseCases
from domain.election_cases import ElectionCases
from domain.evaluation import EvaluationCycle
from domain.evaluation_cases import EvaluationCases
from domain.groups import GroupYear
from domain.organisation import OrganisationCases
from domain.units import Unit
from domain.user_cases import UserCases
from domain.users import User


class Thidua(  # one mixin of use cases per area, each in its own module
    OrganisationCases,
    ElectionCases,
    EvaluationCases,
    UserCases,
    UseCases,
):
    """Use cases: each loads aggregates, checks authority and rules, and saves them together."""

    # The library names an application after its class unless told; this name keys the
    # projections' tracking records and the environment prefix, so it never changes.
    name = "thidua"

    # Long-lived aggregates are loaded on most requests; a snapshot every N events keeps a
    # load to one snapshot and a few events (snapshots live beside the log, not in it).
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Unit: 10,
        GroupYear: 20,
        EvaluationCycle: 20,
        User: 10,
    }
