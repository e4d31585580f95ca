"""The one eventsourcing Application of thidua: one ordered log for the whole domain."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.covenants.cases import CovenantCases
from domain.district.cases import DistrictCases
from domain.district.cycle import DistrictCycle
from domain.district.workbook_cases import DistrictWorkbookCases
from domain.elections.cases import ElectionCases
from domain.evaluation.cases import EvaluationCases
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.workbook_cases import EvaluationWorkbookCases
from domain.group_documents.cases import GroupDocumentCases
from domain.judging.cases import JudgingCases
from domain.kernel.cases import UseCases
from domain.organisation.cases import OrganisationCases
from domain.organisation.groups import GroupYear
from domain.organisation.units import Unit
from domain.users.accounts import User
from domain.users.cases import UserCases


class Thidua(  # one mixin of use cases per area, each in its own module
    OrganisationCases,
    ElectionCases,
    CovenantCases,
    EvaluationCases,
    DistrictCases,
    EvaluationWorkbookCases,
    DistrictWorkbookCases,
    JudgingCases,
    GroupDocumentCases,
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
        DistrictCycle: 20,
        User: 10,
    }
