"""Schemas of the audit trail, its exports, checkpoints, denied attempts and as-of reads."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from web.extensions import fields
from web.extensions.common import PageArgsSchema, PageSchema, StrictSchema, WaitArgsSchema
from web.resources.groups.schemas import GroupDetailSchema


def _filters() -> dict[str, ma.fields.Field]:
    """Filters shared by the timeline and the exports (fresh field objects each time)."""
    return {
        "unit": ma.fields.String(validate=fields.CODE_LENGTH,
                                 metadata={"description": "Unit code: events by or about it."}),
        "group": ma.fields.UUID(metadata={"description": "Group id: events about the group."}),
        "actor": ma.fields.String(validate=validate.Length(min=1, max=100),
                                  metadata={"description": "User name (or id) who acted."}),
        "kind": ma.fields.String(validate=validate.Length(min=1, max=200),
                                 metadata={"description": "Kind of act: an object type "
                                           "('ScoreSheet'), an event ('ScoreSheet.Submitted') "
                                           "or a full topic."}),
        **_times(),
    }


def _times() -> dict[str, ma.fields.Field]:
    return {
        "since": ma.fields.AwareDateTime(metadata={"description": "From this time (inclusive)."}),
        "until": ma.fields.AwareDateTime(metadata={"description": "Before this time."}),
    }


TimelineArgsSchema = PageArgsSchema.from_dict(_filters(), name="TimelineArgsSchema")


class _ExportArgsSchema(WaitArgsSchema):
    format = ma.fields.String(load_default="jsonl",
                              validate=validate.OneOf(["jsonl", "csv", "xlsx"]))
    year = fields.year()


ExportArgsSchema = _ExportArgsSchema.from_dict(_filters(), name="ExportArgsSchema")


class EntrySchema(ma.Schema):
    seq = ma.fields.Integer(metadata={"description": "Position in the audit chain."})
    position = ma.fields.Integer(metadata={"description": "Position of the event in the log."})
    year = ma.fields.Integer()
    event_id = ma.fields.String()
    time = ma.fields.String()
    topic = ma.fields.String()
    action = ma.fields.String()
    object_type = ma.fields.String()
    object_id = ma.fields.String()
    version = ma.fields.Integer()
    class_version = ma.fields.Integer()
    actor = ma.fields.Dict()
    unit = ma.fields.Dict()
    request_id = ma.fields.String(allow_none=True)
    source_address = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    summary_vi = ma.fields.String()
    summary_en = ma.fields.String()
    data = ma.fields.Dict()
    hash = ma.fields.String(metadata={"description": "The chain entry, hex."})
    units = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Dict(),
        metadata={"description": "Every unit the entry mentions, by id: its code and the name "
                  "it had on the day the event was recorded (not part of the signed line)."})


class TimelinePageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(EntrySchema))


class CheckpointSchema(ma.Schema):
    origin = ma.fields.String()
    size = ma.fields.Integer()
    head = ma.fields.String()
    signature = ma.fields.String()
    key_id = ma.fields.String()
    signed_at = ma.fields.String()
    reason = ma.fields.String()


class CheckpointListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CheckpointSchema))
    size = ma.fields.Integer(metadata={"description": "Entries in the trail now."})
    head = ma.fields.String()
    public_key = ma.fields.String(metadata={"description": "Ed25519 public key (PEM)."})
    key_id = ma.fields.String()


class CheckpointArgsSchema(StrictSchema):
    force = ma.fields.Boolean(load_default=False,
                              metadata={"description": "Sign even if the latest checkpoint "
                                        "already covers the head."})


class _DeniedArgsSchema(PageArgsSchema):
    source = ma.fields.String(validate=validate.Length(min=1, max=100))


DeniedArgsSchema = _DeniedArgsSchema.from_dict(_times(), name="DeniedArgsSchema")


class DeniedSchema(ma.Schema):
    seq = ma.fields.Integer()
    time = ma.fields.String()
    status = ma.fields.Integer()
    rule = ma.fields.String(allow_none=True)
    message = ma.fields.String()
    method = ma.fields.String()
    path = ma.fields.String()
    endpoint = ma.fields.String(allow_none=True)
    user_id = ma.fields.String(allow_none=True)
    user_name = ma.fields.String(allow_none=True)
    roles = ma.fields.List(ma.fields.String())
    unit_code = ma.fields.String(allow_none=True)
    token_id = ma.fields.String(allow_none=True)
    request_id = ma.fields.String(allow_none=True)
    source_address = ma.fields.String(allow_none=True)
    user_agent = ma.fields.String(allow_none=True)
    count = ma.fields.Integer(metadata={"description": "A count row (rule denied_count): how "
                                        "many refusals of its minute and address were only "
                                        "counted, over the cap."})
    minute = ma.fields.String(metadata={"description": "A count row: the minute it counts."})
    hash = ma.fields.String()


class DeniedPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(DeniedSchema))
    not_recorded = ma.fields.Integer(metadata={"description": "Refusals only counted: over "
                                               "the per-minute cap."})


class AsOfArgsSchema(WaitArgsSchema):
    as_of = ma.fields.String(required=True, validate=validate.Length(min=1, max=40),
                             metadata={"description": "A position in the log, or an ISO time "
                                       "(without an offset: Vietnam time; a bare date: the end "
                                       "of that day).", "example": "2024-06-30T17:00:00+07:00"})


class GroupAsOfSchema(GroupDetailSchema):
    as_of_position = ma.fields.Integer(metadata={"description": "The last position included."})


class RecordAsOfSchema(ma.Schema):
    id = ma.fields.String()
    type = ma.fields.String(metadata={"description": "The kind of record ('ScoreSheet'...)."})
    version = ma.fields.Integer()
    as_of_position = ma.fields.Integer()
    state = ma.fields.Dict(metadata={"description": "The record's attributes at that moment."})
