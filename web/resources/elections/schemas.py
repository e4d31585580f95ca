"""Schemas of elections of group heads, the year's election rules and a group's state."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.elections.rules import SEATS
from web.extensions import fields
from web.extensions.common import (
    FullMatch,
    PageArgsSchema,
    PageSchema,
    SourceSchema,
    StrictSchema,
    WaitArgsSchema,
)

GROUP_ID_EXAMPLE = "e2731467-6a5e-5099-a344-9efe25e63a44"
ELECTION_ID_EXAMPLE = "1bea7d63-6031-54dc-a050-4f9f2124cce2"
CODE = {"validate": fields.CODE_LENGTH}
SEAT = ma.fields.String(required=True, validate=validate.OneOf(SEATS),
                        metadata={"example": "head",
                                  "description": "head (Khối trưởng / Cụm trưởng) or deputy "
                                                 "(Khối phó / Cụm phó)."})
FRACTION = {"validate": FullMatch(r"^[0-9]{1,4}/[0-9]{1,4}$",
                                  error="A fraction written like 2/3.")}


# -- rules -------------------------------------------------------------------------------------
class RulesSchema(ma.Schema):
    quorum = ma.fields.String(metadata={"example": "2/3", "description":
                                        "Members present ≥ quorum × members."})
    majority = ma.fields.String(metadata={"example": "1/2", "description":
                                          "A winner's votes > majority × ballots cast."})
    secret_ballot = ma.fields.Boolean(metadata={"example": True})
    rotation = ma.fields.Boolean(metadata={"example": True, "description":
                                           "The previous term's head cannot be head again."})
    head_deputy_distinct = ma.fields.Boolean(metadata={"example": True})
    next_term_months = ma.fields.List(ma.fields.Integer(), metadata={
        "example": [12], "description": "Months of the year before in which a summary "
        "meeting elects for this year's group."})
    deputy_acts_for_vacant_head = ma.fields.Boolean(metadata={
        "example": False, "description": "Whether the deputy acts as head, without a "
        "designation, while the head's seat is vacant."})


class RulesSetSchema(StrictSchema):
    quorum = ma.fields.String(**FRACTION, metadata={"example": "2/3"})  # type: ignore[arg-type]
    majority = ma.fields.String(**FRACTION, metadata={"example": "1/2"})  # type: ignore[arg-type]
    secret_ballot = ma.fields.Boolean(metadata={"example": True})
    rotation = ma.fields.Boolean(metadata={"example": True})
    head_deputy_distinct = ma.fields.Boolean(metadata={"example": True})
    next_term_months = ma.fields.List(
        ma.fields.Integer(validate=validate.Range(min=1, max=12)),
        validate=validate.Length(max=12), metadata={
            "example": [12], "description": "Months of the year before in which a summary "
            "meeting elects for this year's group (default: December)."})
    deputy_acts_for_vacant_head = ma.fields.Boolean(metadata={"example": False})
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Quy chế Khối thi đua 2025"})
    version = fields.version()


class RuleVersionSchema(ma.Schema):
    version = ma.fields.Integer()
    rules = ma.fields.Nested(RulesSchema)
    reason = ma.fields.String(allow_none=True)
    set_at = ma.fields.DateTime()


class RulesOutSchema(ma.Schema):
    year = ma.fields.Integer(metadata={"example": 2024})
    version = ma.fields.Integer(metadata={"description": "0: the defaults, never set."})
    rules = ma.fields.Nested(RulesSchema)
    sources = ma.fields.List(ma.fields.Nested(SourceSchema), metadata={
        "description": "Each rule with whose it is (only in the read)."})
    versions = ma.fields.List(ma.fields.Nested(RuleVersionSchema))
    position = ma.fields.Integer()


# -- elections ---------------------------------------------------------------------------------
class ElectionOpenSchema(StrictSchema):
    group_id = ma.fields.UUID(required=True, metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year(required=True)
    meeting_date = ma.fields.Date(required=True, metadata={
        "example": "2024-12-20", "description": "The group's annual summary meeting: in the "
        "group's year or early the next (electing for the next term), or in December of the "
        "year before (the election rules' next_term_months), electing for this group's own "
        "term."})
    place = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                             metadata={"example": "BHXH thành phố Hà Nội"})
    present = ma.fields.List(ma.fields.String(**CODE), required=True,  # type: ignore[arg-type]
                             validate=validate.Length(min=1, max=500),
                             metadata={"example": ["P01", "P02", "P03"],
                                       "description": "Codes of the member units present."})
    term = fields.year(load_default=None, allow_none=True, metadata={
        "example": 2025, "description": "The term elected (default: the next year; for a "
        "meeting of the year before, the group's own year)."})
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Vòng 2: vòng 1 không đạt quá bán"})


class ElectionQueryArgsSchema(PageArgsSchema):
    group_id = ma.fields.UUID(metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year()
    status = ma.fields.String(validate=validate.OneOf(["open", "declared", "annulled"]))


class VoteCountSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P01"})
    votes = ma.fields.Integer(metadata={"example": 5})


class SeatResultSchema(ma.Schema):
    status = ma.fields.String(metadata={"example": "elected", "description":
                                        "elected, tie, no_majority, no_ballots, "
                                        "no_candidates or no_quorum"})
    ballots = ma.fields.Integer(metadata={"example": 7})
    winner = ma.fields.String(allow_none=True, metadata={"example": "P01"})
    votes = ma.fields.List(ma.fields.Nested(VoteCountSchema))
    tied = ma.fields.List(ma.fields.String())


class SeatsSchema(ma.Schema):
    head = ma.fields.Nested(SeatResultSchema)
    deputy = ma.fields.Nested(SeatResultSchema)


class QuorumSchema(ma.Schema):
    members = ma.fields.Integer(metadata={"example": 9})
    present = ma.fields.Integer(metadata={"example": 8})
    required = ma.fields.String(metadata={"example": "2/3"})
    met = ma.fields.Boolean(metadata={"example": True})


class SeatCountSchema(ma.Schema):
    head = ma.fields.Integer(metadata={"example": 7})
    deputy = ma.fields.Integer(metadata={"example": 7})


class ElectionSchema(ma.Schema):
    id = ma.fields.String(metadata={"example": ELECTION_ID_EXAMPLE})
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    year = ma.fields.Integer(metadata={"example": 2024})
    term = ma.fields.Integer(metadata={"example": 2025})
    round = ma.fields.Integer(metadata={"example": 1})
    meeting_date = ma.fields.String(metadata={"example": "2024-12-20"})
    place = ma.fields.String(metadata={"example": "BHXH thành phố Hà Nội"})
    status = ma.fields.String(metadata={"example": "declared"})
    members = ma.fields.Integer(metadata={"example": 9})
    rules = ma.fields.Nested(RulesSchema)
    rules_version = ma.fields.Integer(metadata={"example": 0})
    outcome = ma.fields.String(allow_none=True, metadata={
        "example": "elected",
        "description": "elected, partly_elected, failed, no_quorum or annulled"})
    quorum = ma.fields.Nested(QuorumSchema, allow_none=True)
    seats = ma.fields.Nested(SeatsSchema, allow_none=True)
    declared_at = fields.Moment(allow_none=True)
    annul_reason = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()


class ElectionWrittenSchema(ElectionSchema):
    position = ma.fields.Integer(metadata={"example": 1234})
    present = ma.fields.Integer(metadata={"example": 8})
    ballots_cast = ma.fields.Nested(SeatCountSchema)


class CandidateSchema(ma.Schema):
    seat = ma.fields.String(metadata={"example": "head"})
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String(metadata={"example": "BHXH thành phố Hà Nội"})
    ordinal = ma.fields.Integer(metadata={"example": 1})
    put_at = ma.fields.DateTime()


class SeatTurnoutSchema(ma.Schema):
    ballots = ma.fields.Integer(metadata={"example": 7})
    voted = ma.fields.List(ma.fields.String(), metadata={
        "example": ["P01", "P02"], "description": "Who voted (never how)."})


class TurnoutSchema(ma.Schema):
    head = ma.fields.Nested(SeatTurnoutSchema)
    deputy = ma.fields.Nested(SeatTurnoutSchema)


class ElectionDetailSchema(ElectionSchema):
    present = ma.fields.List(ma.fields.String(), metadata={"example": ["P01", "P02"]})
    opened_at = ma.fields.DateTime()
    annulled_at = ma.fields.DateTime(allow_none=True)
    candidates = ma.fields.List(ma.fields.Nested(CandidateSchema))
    turnout = ma.fields.Nested(TurnoutSchema)


class ElectionListItemSchema(ElectionSchema):
    present = ma.fields.List(ma.fields.String())


class ElectionPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(ElectionListItemSchema))


class CandidateInSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, **CODE,  # type: ignore[arg-type]
                                 metadata={"example": "P01"})
    seat = SEAT


class CandidateWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    election_id = ma.fields.String(metadata={"example": ELECTION_ID_EXAMPLE})
    seat = ma.fields.String(metadata={"example": "head"})
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String()
    candidates = ma.fields.Integer(metadata={"example": 2})


class CandidateListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CandidateSchema))


class BallotInSchema(StrictSchema):
    seat = SEAT
    candidate_code = ma.fields.String(required=True, **CODE,  # type: ignore[arg-type]
                                      metadata={"example": "P01"})


class BallotWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    election_id = ma.fields.String(metadata={"example": ELECTION_ID_EXAMPLE})
    seat = ma.fields.String(metadata={"example": "head"})
    recorded = ma.fields.Boolean(metadata={"example": True})
    ballots_cast = ma.fields.Integer(metadata={"example": 3})


class CountedBallotSchema(ma.Schema):
    ballot_no = ma.fields.String(metadata={"example": "0b9c4e1d2a7f6e35"})
    seat = ma.fields.String(metadata={"example": "head"})
    candidate_code = ma.fields.String(metadata={"example": "P01"})


class BallotsOutSchema(ma.Schema):
    election_id = ma.fields.String()
    status = ma.fields.String()
    turnout = ma.fields.Nested(TurnoutSchema)
    counted = ma.fields.List(ma.fields.Nested(CountedBallotSchema), metadata={
        "description": "After declaration: the anonymous ballots in random order."})


class AnnulSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Triệu tập thiếu thành viên"})


class ResultInSchema(StrictSchema):
    """No fields: the result is counted from the ballots."""


# -- group state -------------------------------------------------------------------------------
class StateArgsSchema(WaitArgsSchema):
    year = fields.year()


class ActingSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P02"})
    unit_name = ma.fields.String()
    effective = ma.fields.String(metadata={"example": "2025-07-01"})
    reason = ma.fields.String(metadata={"example": "Đơn vị Cụm trưởng hợp nhất từ 01/7/2025"})
    automatic = ma.fields.Boolean(metadata={
        "example": False, "description": "The deputy acting by the election rules "
        "(deputy_acts_for_vacant_head), without a designation."})


class TermHolderSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String(metadata={"example": "BHXH thành phố Hà Nội"})
    term = ma.fields.Integer(metadata={"example": 2025})
    took_office = ma.fields.DateTime()


class HolderSchema(TermHolderSchema):
    status = ma.fields.String(metadata={
        "example": "sitting", "description": "sitting: the elected holder is in office; "
        "vacant: the holder's unit ended (vacant_since) and nobody acts; acting: a unit "
        "acts in the seat (see acting)."})
    vacant_since = ma.fields.Date(allow_none=True, metadata={"example": None})
    acting = ma.fields.Nested(ActingSchema, allow_none=True)


class ActingInSchema(StrictSchema):
    year = fields.year(required=True, metadata={"description": "The year of the group."})
    seat = ma.fields.String(load_default="head", validate=validate.OneOf(SEATS),
                            metadata={"example": "head"})
    unit_code = ma.fields.String(required=True, **CODE,  # type: ignore[arg-type]
                                 metadata={"example": "P02"})
    effective = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "example": "2025-07-01", "description": "From when it acts (default: today); on or "
        "after the day the seat fell vacant."})
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Giới thiệu Cụm trưởng tạm thời đến kỳ "
                                                   "bầu chọn"})


class OfficeSeatSchema(ma.Schema):
    status = ma.fields.String(metadata={"example": "acting"})
    unit_code = ma.fields.String(metadata={"example": "P01", "description": "The elected "
                                           "holder."})
    term = ma.fields.Integer(metadata={"example": 2025})
    vacant_since = ma.fields.String(allow_none=True, metadata={"example": "2025-07-01"})
    acting = ma.fields.Nested(ActingSchema, allow_none=True)


class OfficeWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    year = ma.fields.Integer(metadata={"example": 2025})
    code = ma.fields.String(metadata={"example": "C1"})
    on = ma.fields.String(metadata={"example": "2025-07-01"})
    head = ma.fields.Nested(OfficeSeatSchema, allow_none=True)
    deputy = ma.fields.Nested(OfficeSeatSchema, allow_none=True)
    version = ma.fields.Integer()


class LineEntrySchema(ma.Schema):
    year = ma.fields.Integer(metadata={"example": 2024})
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})


class TermSchema(TermHolderSchema):
    seat = ma.fields.String(metadata={"example": "head"})
    ended = ma.fields.DateTime(allow_none=True)
    election_id = ma.fields.String(allow_none=True, metadata={
        "description": "The election that elected the holder (none for a designation)."})
    acting = ma.fields.Boolean(metadata={"description": "A designation to act in a vacant "
                                         "seat (giới thiệu), not an election."})
    effective = ma.fields.Date(allow_none=True)
    reason = ma.fields.String(allow_none=True)


class HistorySchema(ma.Schema):
    id = ma.fields.String()
    round = ma.fields.Integer()
    term = ma.fields.Integer()
    meeting_date = ma.fields.String()
    place = ma.fields.String()
    status = ma.fields.String()
    outcome = ma.fields.String(allow_none=True)
    quorum = ma.fields.Nested(QuorumSchema, allow_none=True)
    seats = ma.fields.Nested(SeatsSchema, allow_none=True)
    turnout = ma.fields.Nested(SeatCountSchema)
    declared_at = fields.Moment(allow_none=True)
    annul_reason = ma.fields.String(allow_none=True)


class CovenantStatusSchema(ma.Schema):
    id = ma.fields.String()
    title = ma.fields.String()
    launched_on = ma.fields.String()
    revision = ma.fields.Integer()
    members = ma.fields.Integer()
    signed = ma.fields.Integer()
    not_signed = ma.fields.List(ma.fields.String())
    findings = ma.fields.Integer()


class StateMemberSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "P01"})
    name = ma.fields.String()


class GroupStateSchema(ma.Schema):
    id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    year = ma.fields.Integer(metadata={"example": 2024})
    kind = ma.fields.String(metadata={"example": "provincial_cluster"})
    code = ma.fields.String(metadata={"example": "C1"})
    name = ma.fields.String(metadata={"example": "Cụm thi đua số 1"})
    province_code = ma.fields.String(allow_none=True)
    members = ma.fields.List(ma.fields.Nested(StateMemberSchema))
    head = ma.fields.Nested(HolderSchema, allow_none=True)
    deputy = ma.fields.Nested(HolderSchema, allow_none=True)
    terms = ma.fields.List(ma.fields.Nested(TermSchema))
    elections = ma.fields.List(ma.fields.Nested(HistorySchema))
    covenant = ma.fields.Nested(CovenantStatusSchema, allow_none=True)
    line = ma.fields.List(ma.fields.Nested(LineEntrySchema), metadata={
        "description": "The group and the groups it continues, newest first: one office "
        "(head, deputy, terms) serves them all."})
