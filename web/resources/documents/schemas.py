"""Query arguments of the documents: the letterhead's parts an office may set."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from web.extensions.common import WaitArgsSchema


class LetterheadArgsSchema(WaitArgsSchema):
    superior = ma.fields.String(
        validate=validate.Length(max=200), load_default=None,
        metadata={"description": "The superior agency above the issuer (cơ quan chủ quản). "
                  "Default: BỘ TÀI CHÍNH for a decision signed from 1 March 2025, none before; "
                  "'-' for none."})
    place = ma.fields.String(validate=validate.Length(min=1, max=100), load_default=None,
                             metadata={"description": "Place of the date line (Hà Nội)."})


class PlaceArgsSchema(WaitArgsSchema):
    place = ma.fields.String(validate=validate.Length(min=1, max=100), load_default=None,
                             metadata={"description": "Place of the date line (the head "
                                       "unit's town); left for the office to write if not "
                                       "given."})


class DistrictLetterheadArgsSchema(WaitArgsSchema):
    superior = ma.fields.String(
        validate=validate.Length(max=200), load_default=None,
        metadata={"description": "The agency above the province (cơ quan cấp trên). Default: "
                  "BẢO HIỂM XÃ HỘI VIỆT NAM; '-' for none."})
    place = ma.fields.String(validate=validate.Length(min=1, max=100), load_default=None,
                             metadata={"description": "Place of the date line. Default: the "
                                       "province's name (Nghệ An)."})
