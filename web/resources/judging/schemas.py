"""Schemas of the groups' annual judging (bình xét thi đua) and the year's judging rules."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from web.extensions import fields
from web.extensions.common import (
    FullMatch,
    PageArgsSchema,
    PageSchema,
    StrictSchema,
    WaitArgsSchema,
)

GROUP_ID_EXAMPLE = "e2731467-6a5e-5099-a344-9efe25e63a44"
JUDGING_ID_EXAMPLE = "2e545c89-ea6c-5e3a-b209-2b4ac64fc5ec"
CODE = {"validate": fields.CODE_LENGTH}
FRACTION = {"validate": FullMatch(r"^[0-9]{1,4}/[0-9]{1,4}$",
                                  error="A fraction written like 2/3.")}
TITLE_CODE = ma.fields.String(required=True, validate=validate.Length(min=1, max=32), metadata={
    "example": "flag", "description": "A title of the round's rules: flag (Cờ thi đua) or "
    "certificate (Bằng khen) by default; commendation (Giấy khen) for a district cluster."})


# -- rules -------------------------------------------------------------------------------------
class JudgingTitleSchema(StrictSchema):
    code = ma.fields.String(required=True, validate=validate.Length(min=1, max=32),
                            metadata={"example": "flag", "description": "1–32 letters, digits "
                                      "or '_', starting with a letter."})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200),
                            metadata={"example": "Cờ thi đua của BHXH Việt Nam"})
    quota = fields.number(0, 100, required=True, metadata={
        "example": 1, "description": "How many units a group proposes for the title."})
    quota_share = ma.fields.String(load_default=None, allow_none=True,
                                   **FRACTION,  # type: ignore[arg-type]
                                   metadata={"example": None, "description": "A share of "
                                             "the group's members that caps the quota "
                                             "(rounded down), e.g. 1/5."})
    levels = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=32)),
                            load_default=list, validate=validate.Length(max=10), metadata={
                                "example": ["excellent"], "description": "The levels a unit "
                                "must be rated in the decision that awards the title (the "
                                "year's, or its province's for a district title); empty: "
                                "any."})


class JudgingRulesSchema(ma.Schema):
    quorum = ma.fields.String(metadata={"example": "2/3", "description":
                                        "Members present ≥ quorum × members."})
    majority = ma.fields.String(metadata={"example": "1/2", "description":
                                          "A unit is proposed with votes > majority × the "
                                          "base (majority_of)."})
    majority_of = ma.fields.String(metadata={
        "example": "cast", "description": "cast: the ballots cast for the title; members: "
        "the group's members."})
    titles = ma.fields.List(ma.fields.Nested(JudgingTitleSchema), metadata={
        "description": "The titles a block's or a provincial cluster's judging proposes for "
        "(the council's decision awards them)."})
    one_title_per_unit = ma.fields.Boolean(metadata={
        "example": True, "description": "A unit stands for, and is proposed for, one title "
        "a year."})
    district_titles = ma.fields.List(ma.fields.Nested(JudgingTitleSchema), metadata={
        "description": "The titles a district cluster's judging proposes for (its province's "
        "decision on its district offices awards them). Default ours: commendation (Giấy "
        "khen của Giám đốc BHXH tỉnh), 1 office, excellent."})


class JudgingRulesSetSchema(StrictSchema):
    quorum = ma.fields.String(**FRACTION, metadata={"example": "2/3"})  # type: ignore[arg-type]
    majority = ma.fields.String(**FRACTION, metadata={"example": "1/2"})  # type: ignore[arg-type]
    majority_of = ma.fields.String(validate=validate.OneOf(["cast", "members"]),
                                   metadata={"example": "cast"})
    titles = ma.fields.List(ma.fields.Nested(JudgingTitleSchema), validate=validate.Length(min=1,
                                                                                    max=10),
                            metadata={"description": "Every title, replacing the list."})
    one_title_per_unit = ma.fields.Boolean(metadata={"example": True})
    district_titles = ma.fields.List(
        ma.fields.Nested(JudgingTitleSchema), validate=validate.Length(min=1, max=10),
        metadata={"description": "Every title of the district clusters' judgings, replacing "
                  "the list (its codes differ from titles')."})
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Quy chế bình xét của Khối năm 2025"})
    version = fields.version()


class JudgingRuleVersionSchema(ma.Schema):
    version = ma.fields.Integer()
    rules = ma.fields.Nested(JudgingRulesSchema)
    reason = ma.fields.String(allow_none=True)
    set_at = ma.fields.DateTime()


class JudgingRulesOutSchema(ma.Schema):
    year = ma.fields.Integer(metadata={"example": 2024})
    version = ma.fields.Integer(metadata={"description": "0: the defaults, never set."})
    rules = ma.fields.Nested(JudgingRulesSchema)
    versions = ma.fields.List(ma.fields.Nested(JudgingRuleVersionSchema))
    reason = ma.fields.String(allow_none=True)
    position = ma.fields.Integer()


# -- rounds ------------------------------------------------------------------------------------
class JudgingOpenSchema(StrictSchema):
    group_id = ma.fields.UUID(required=True, metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year(required=True, metadata={"description": "The year judged."})
    meeting_date = ma.fields.Date(required=True, metadata={
        "example": "2024-12-20", "description": "The group's annual summary meeting, in the "
        "year or early the next."})
    place = ma.fields.String(required=True, validate=validate.Length(min=1, max=300),
                             metadata={"example": "BHXH thành phố Hà Nội"})
    present = ma.fields.List(ma.fields.String(**CODE), required=True,  # type: ignore[arg-type]
                             validate=validate.Length(min=1, max=500),
                             metadata={"example": ["P01", "P02", "P03"],
                                       "description": "Codes of the member units present."})
    reason = ma.fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(min=1, max=1000), metadata={
                                  "example": "Vòng 2: hai đơn vị bằng phiếu ở vị trí cuối",
                                  "description": "Needed for a round after the first."})


class JudgingQueryArgsSchema(PageArgsSchema):
    group_id = ma.fields.UUID(metadata={"example": GROUP_ID_EXAMPLE})
    year = fields.year()


class JudgingVoteCountSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P01"})
    votes = ma.fields.Integer(metadata={"example": 5})


class JudgingTitleResultSchema(ma.Schema):
    status = ma.fields.String(metadata={"example": "proposed", "description":
                                        "proposed, tie, no_majority, no_ballots, "
                                        "no_candidates or no_quorum"})
    ballots = ma.fields.Integer(metadata={"example": 7})
    places = ma.fields.Integer(metadata={"example": 1, "description": "Places this round "
                                         "could fill."})
    proposed = ma.fields.List(ma.fields.String(), metadata={"example": ["P01"]})
    votes = ma.fields.List(ma.fields.Nested(JudgingVoteCountSchema))
    tied = ma.fields.List(ma.fields.String(), metadata={
        "description": "Tied across the last place: none of them proposed."})


class JudgingQuorumSchema(ma.Schema):
    members = ma.fields.Integer(metadata={"example": 9})
    present = ma.fields.Integer(metadata={"example": 8})
    required = ma.fields.String(metadata={"example": "2/3"})
    met = ma.fields.Boolean(metadata={"example": True})


class JudgingProposalBriefSchema(ma.Schema):
    title = ma.fields.String(metadata={"example": "flag"})
    unit_code = ma.fields.String(metadata={"example": "P01"})
    round = ma.fields.Integer(metadata={"example": 1})
    votes = ma.fields.Integer(metadata={"example": 6})


class JudgingWrittenSchema(ma.Schema):
    position = ma.fields.Integer(metadata={"example": 1234})
    id = ma.fields.String(metadata={"example": JUDGING_ID_EXAMPLE})
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    year = ma.fields.Integer(metadata={"example": 2024})
    round = ma.fields.Integer(metadata={"example": 1})
    status = ma.fields.String(metadata={"example": "declared",
                                        "description": "open, declared or annulled"})
    meeting_date = ma.fields.String(metadata={"example": "2024-12-20"})
    place = ma.fields.String()
    members = ma.fields.Integer(metadata={"example": 9})
    present = ma.fields.Integer(metadata={"example": 8})
    rules_version = ma.fields.Integer(metadata={"example": 0})
    rules = ma.fields.Nested(JudgingRulesSchema)
    places = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), metadata={
        "example": {"flag": 1, "certificate": 2}, "description": "Each title's places left "
        "to fill in this round."})
    ballots_cast = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                  metadata={"example": {"flag": 8, "certificate": 8}})
    outcome = ma.fields.String(metadata={
        "example": "proposed",
        "description": "proposed, partly_proposed, failed or no_quorum"})
    quorum = ma.fields.Nested(JudgingQuorumSchema)
    titles = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(
        JudgingTitleResultSchema))
    declared_at = fields.Moment()
    annul_reason = ma.fields.String()
    proposals = ma.fields.List(ma.fields.Nested(JudgingProposalBriefSchema), metadata={
        "description": "What the declared rounds proposed so far."})
    version = ma.fields.Integer()


class JudgingCandidateInSchema(StrictSchema):
    unit_code = ma.fields.String(required=True, **CODE,  # type: ignore[arg-type]
                                 metadata={"example": "P01"})
    title = TITLE_CODE


class JudgingCandidateWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    judging_id = ma.fields.String(metadata={"example": JUDGING_ID_EXAMPLE})
    round = ma.fields.Integer(metadata={"example": 1})
    title = ma.fields.String(metadata={"example": "flag"})
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String()
    candidates = ma.fields.Integer(metadata={"example": 2})
    version = ma.fields.Integer()


class JudgingBallotInSchema(StrictSchema):
    title = TITLE_CODE
    marks = ma.fields.List(ma.fields.String(**CODE), required=True,  # type: ignore[arg-type]
                           validate=validate.Length(max=500), metadata={
                               "example": ["P01"], "description": "The candidates your unit "
                               "marks for the title, at most its places; [] is a blank "
                               "ballot."})


class JudgingBallotWrittenSchema(ma.Schema):
    position = ma.fields.Integer()
    judging_id = ma.fields.String(metadata={"example": JUDGING_ID_EXAMPLE})
    round = ma.fields.Integer(metadata={"example": 1})
    title = ma.fields.String(metadata={"example": "flag"})
    recorded = ma.fields.Boolean(metadata={"example": True})
    ballots_cast = ma.fields.Integer(metadata={"example": 3})


class JudgingResultInSchema(StrictSchema):
    """No fields: the result is counted from the ballots."""


class JudgingAnnulSchema(StrictSchema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000),
                              metadata={"example": "Danh sách có mặt ghi sai"})


# -- reads -------------------------------------------------------------------------------------
class JudgingCandidateSchema(ma.Schema):
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String()
    ordinal = ma.fields.Integer(metadata={"example": 1})


class JudgingTitleTurnoutSchema(ma.Schema):
    ballots = ma.fields.Integer(metadata={"example": 7})
    voted = ma.fields.List(ma.fields.String(), metadata={
        "example": ["P01", "P02"], "description": "Who voted, in code order (never how)."})


class JudgingRoundSchema(ma.Schema):
    round = ma.fields.Integer(metadata={"example": 1})
    meeting_date = ma.fields.Date()
    place = ma.fields.String()
    status = ma.fields.String(metadata={"example": "declared"})
    members = ma.fields.Integer()
    present = ma.fields.List(ma.fields.String(), metadata={"example": ["P01", "P02"]})
    rules = ma.fields.Nested(JudgingRulesSchema)
    rules_version = ma.fields.Integer()
    places = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    reason = ma.fields.String(allow_none=True)
    opened_at = ma.fields.DateTime()
    declared_at = ma.fields.DateTime(allow_none=True)
    annulled_at = ma.fields.DateTime(allow_none=True)
    annul_reason = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(allow_none=True)
    quorum = ma.fields.Nested(JudgingQuorumSchema, allow_none=True)
    titles = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(
        JudgingTitleResultSchema), allow_none=True)
    candidates = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(
        ma.fields.Nested(JudgingCandidateSchema)), metadata={"description": "By title, in the "
                                                      "order put forward."})
    turnout = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(
        JudgingTitleTurnoutSchema))


class JudgingProposalSchema(ma.Schema):
    judging_id = ma.fields.String(metadata={"example": JUDGING_ID_EXAMPLE})
    year = ma.fields.Integer(metadata={"example": 2024})
    group_code = ma.fields.String(metadata={"example": "C1"})
    group_kind = ma.fields.String(metadata={"example": "provincial_cluster"})
    title = ma.fields.String(metadata={"example": "flag"})
    unit_code = ma.fields.String(metadata={"example": "P01"})
    unit_name = ma.fields.String()
    round = ma.fields.Integer(metadata={"example": 1})
    votes = ma.fields.Integer(metadata={"example": 6})
    outcome = ma.fields.String(metadata={
        "example": "awarded", "description": "pending (no decision yet), awarded or "
        "not_awarded (by the decision that rules on it: decided_by)."})
    decision_number = ma.fields.String(allow_none=True, metadata={"example": "125/QĐ-BHXH"})
    decided_at = ma.fields.DateTime(allow_none=True)
    decided_by = ma.fields.String(allow_none=True, metadata={
        "example": None, "description": "Whose decision rules on the proposal: null for the "
        "council's (the General Director's evaluation decision, on a block's or a "
        "provincial cluster's proposals); a province's code for its district cluster's "
        "(the decision its director signs on its district offices)."})


class JudgingDetailSchema(ma.Schema):
    id = ma.fields.String(metadata={"example": JUDGING_ID_EXAMPLE})
    group_id = ma.fields.String(metadata={"example": GROUP_ID_EXAMPLE})
    group_code = ma.fields.String(allow_none=True, metadata={"example": "C1"})
    group_name = ma.fields.String(allow_none=True)
    group_kind = ma.fields.String(allow_none=True)
    year = ma.fields.Integer(metadata={"example": 2024})
    rounds = ma.fields.List(ma.fields.Nested(JudgingRoundSchema))
    proposals = ma.fields.List(ma.fields.Nested(JudgingProposalSchema))
    version = ma.fields.Integer()


class JudgingListItemSchema(ma.Schema):
    id = ma.fields.String(metadata={"example": JUDGING_ID_EXAMPLE})
    group_id = ma.fields.String()
    group_code = ma.fields.String(allow_none=True)
    group_name = ma.fields.String(allow_none=True)
    group_kind = ma.fields.String(allow_none=True)
    year = ma.fields.Integer()
    rounds = ma.fields.Integer()
    status = ma.fields.String(allow_none=True, metadata={"description": "The last round's."})
    outcome = ma.fields.String(allow_none=True)
    proposals = ma.fields.List(ma.fields.Nested(JudgingProposalSchema))
    version = ma.fields.Integer()


class JudgingPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(JudgingListItemSchema))


class JudgingBallotsArgsSchema(WaitArgsSchema):
    round = fields.number(1, 1000, metadata={"description": "The round (default: the last)."})


class JudgingCountedBallotSchema(ma.Schema):
    ballot_no = ma.fields.String(metadata={"example": "0b9c4e1d2a7f6e35"})
    title = ma.fields.String(metadata={"example": "certificate"})
    marks = ma.fields.List(ma.fields.String(), metadata={"example": ["P03", "P05"]})


class JudgingBallotsOutSchema(ma.Schema):
    judging_id = ma.fields.String()
    round = ma.fields.Integer()
    status = ma.fields.String()
    turnout = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(
        JudgingTitleTurnoutSchema))
    counted = ma.fields.List(ma.fields.Nested(JudgingCountedBallotSchema), metadata={
        "description": "After declaration: the anonymous ballots in random order."})


class JudgingProposalArgsSchema(WaitArgsSchema):
    year = fields.year(required=True)
    title = ma.fields.String(validate=validate.Length(min=1, max=32))
    outcome = ma.fields.String(validate=validate.OneOf(["pending", "awarded", "not_awarded"]))
    province = ma.fields.String(**CODE, metadata={  # type: ignore[arg-type]
        "example": "P40", "description": "Only the proposals of this province's district "
        "clusters, which its decision on its district offices rules on."})


class JudgingProposalListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(JudgingProposalSchema))
