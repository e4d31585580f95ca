"""Every use case of the annual evaluation, as one mixin of the Application."""

from __future__ import annotations

from domain.evaluation.cycle_cases import EvaluationCycleCases
from domain.evaluation.decision_cases import EvaluationDecisionCases
from domain.evaluation.group_cases import EvaluationGroupCases
from domain.evaluation.nomination_cases import EvaluationNominationCases
from domain.evaluation.sheet_cases import EvaluationSheetCases
from domain.evaluation.submission_cases import EvaluationSubmissionCases


class EvaluationCases(EvaluationCycleCases, EvaluationSheetCases, EvaluationNominationCases,
                      EvaluationSubmissionCases, EvaluationDecisionCases, EvaluationGroupCases):
    """Đánh giá, xếp loại hằng năm: every use case of the annual evaluation."""
