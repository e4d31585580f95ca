"""The one eventsourcing Application of thidua: one ordered log for the whole domain."""

from __future__ import annotations

from domain.cases import UseCases
from domain.election_cases import ElectionCases
from domain.evaluation_cases import EvaluationCases
from domain.organisation import OrganisationCases
from domain.user_cases import UserCases


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
