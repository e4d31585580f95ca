"""Every use case of the organisation registry, as one mixin of the Application."""

from __future__ import annotations

from domain.organisation.group_cases import GroupCases
from domain.organisation.list_cases import MembershipListCases
from domain.organisation.reorganisation_cases import ReorganisationCases
from domain.organisation.unit_cases import UnitCases


class OrganisationCases(ReorganisationCases, UnitCases, GroupCases, MembershipListCases):
    """Đơn vị, Khối, Cụm: registering units and publishing who is in which group."""
