"""Every use case of elections, as one mixin of the Application: the year's rules
(rule_cases), a round from meeting to result (round_cases), and the office between
elections (office_cases)."""

from __future__ import annotations

from domain.elections.office_cases import OfficeCases
from domain.elections.round_cases import ElectionRoundCases
from domain.elections.rule_cases import ElectionRuleCases


class ElectionCases(ElectionRuleCases, ElectionRoundCases, OfficeCases):
    """Bầu Khối trưởng / Cụm trưởng: the year's rules, the rounds, the acting holders."""
