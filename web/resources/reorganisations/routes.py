"""Reorganisations: one recorded decision changing many units, whole or not at all."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import InvalidInput, NotFound
from projections import queries_reorganisations as queries
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.resources.reorganisations.schemas import (
    ReorganisationDetailSchema,
    ReorganisationFormSchema,
    ReorganisationPageSchema,
    ReorganisationQueryArgsSchema,
    ReorganisationSchema,
    ReorganisationUploadSchema,
    ReorganisationWrittenSchema,
)

blp = Blueprint("reorganisations", __name__, url_prefix="/reorganisations",
                description="Quyết định sắp xếp, tổ chức lại: many unit changes as one "
                            "recorded decision.")

BODY = {"required": True, "content": {
    "application/json": {"schema": ReorganisationSchema},
    "multipart/form-data": {"schema": ReorganisationUploadSchema},
}}


def _flat(messages: Any, path: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as ``changes[3]`` paths."""
    if isinstance(messages, list):
        return {path or "body": [str(m) for m in messages]}
    out: dict[str, list[str]] = {}
    for key, value in messages.items():
        where = f"{path}[{key}]" if isinstance(key, int) or str(key).isdigit() else \
            f"{path}.{key}" if path else str(key)
        out.update(_flat(value, where))
    return out


def _load(schema: ma.Schema, data: Any) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ma.ValidationError as e:
        errors = _flat(e.messages)
        raise InvalidInput(f"The request is not a decision: {', '.join(errors)}.",
                           errors=errors, rule="schema") from None
    return loaded


def _header(body: dict[str, Any]) -> dict[str, Any]:
    return {"number": body["number"], "signed": body["signed"].isoformat(),
            "issuer": body["issuer"], "basis": body["basis"],
            "effective": body["effective"].isoformat()}


@blp.route("")
class Reorganisations(MethodView):
    @may("registry.read")
    @blp.arguments(ReorganisationQueryArgsSchema, location="query")
    @blp.response(200, ReorganisationPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Recorded reorganisations, by effective date."""
        wait_for(args)
        return read(queries.list_reorganisations, effective_from=args.get("effective_from"),
                    effective_to=args.get("effective_to"), issuer=args.get("issuer"),
                    page=args["page"], size=args["page_size"])

    @blp.doc(requestBody=BODY)
    @blp.response(201, ReorganisationWrittenSchema)
    def post(self) -> Any:
        """Record a reorganisation (standing office): JSON, or a CSV/XLSX file with the
        header as form fields. Every change applies, or none; each bad row is named."""
        app = services().app
        if request.mimetype == "multipart/form-data":
            form = _load(ReorganisationFormSchema(), request.form.to_dict(flat=True))
            upload = request.files.get("file")
            if upload is None or len(request.files) != 1:
                raise InvalidInput("Send the decision's changes as one file part named "
                                   "'file'.", field="file", rule="file_part")
            # The stream, not its bytes: the domain reads it only once the right is granted.
            return written(app.reorganise_file(actor(), content=upload.stream,
                                               filename=upload.filename or "",
                                               **_header(form)))
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise InvalidInput("Send the decision as a JSON object.", field="body",
                               rule="json_object")
        loaded = _load(ReorganisationSchema(), body)
        return written(app.reorganise(actor(), changes=loaded["changes"], **_header(loaded)))


@blp.route("/<uuid:rid>")
class ReorganisationDetail(MethodView):
    @may("registry.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, ReorganisationDetailSchema)
    def get(self, args: dict[str, Any], rid: Any) -> Any:
        """A recorded reorganisation with its changes in their order."""
        wait_for(args)
        found = read(queries.reorganisation_detail, rid=str(rid))
        if found is None:
            raise NotFound("There is no such reorganisation.", field="rid", rule="exists")
        return found
