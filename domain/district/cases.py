"""Every use case of a province's evaluation of its district offices, as one mixin of the
Application."""

from __future__ import annotations

from domain.district.cycle_cases import DistrictCycleCases
from domain.district.decision_cases import DistrictDecisionCases
from domain.district.sheet_cases import DistrictSheetCases
from domain.district.submission_cases import DistrictSubmissionCases


class DistrictCases(DistrictCycleCases, DistrictSheetCases, DistrictSubmissionCases,
                    DistrictDecisionCases):
    """Đánh giá, xếp loại BHXH cấp huyện của BHXH tỉnh: every use case of it."""
