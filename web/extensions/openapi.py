"""Completes the OpenAPI document: every operation's error answers and its security."""

from __future__ import annotations

from typing import Any

from web.extensions.auth import PUBLIC_ENDPOINTS

ERRORS = {
    "400": "The address is not UTF-8 text or holds a control character (url_text), or the "
           "body is not well-formed JSON (request_syntax).",
    "401": "No valid token: missing, unknown, revoked or expired.",
    "403": "Your role or unit does not give the right to this act (the reason says which).",
    "404": "The thing named does not exist.",
    "409": "It changed since you read it (current_version says to what), or it was already "
           "applied.",
    "413": "The request body is too large.",
    "422": "A field is missing, unknown, of the wrong kind, or breaks a rule (named).",
    "503": "The database is unavailable or the views are behind; retry after Retry-After.",
}
PUBLIC_PATHS = {"/health", "/health/ready"}
EXAMPLE = {"code": 422, "status": "Unprocessable Entity",
           "message": "Thanh Hóa has N = 25 active district offices on 2024-01-01; letter "
                      "4268/BHXH-TĐKT (A.I.5) requires f(25) = 5 district cluster(s), not 4.",
           "errors": {"clusters": ["expected 5 clusters for N = 25"]},
           "rule": "district_cluster_count"}


# What the before_request hook in web/errors.py refuses in an address, said in the document.
URL_TEXT = "^[^\\u0000-\\u001f\\u007f-\\u009f\\ufffd]*$"


def url_text_pattern(operation: dict[str, Any]) -> None:
    """A path or query parameter is text without control characters: say so, so that a
    client (or a fuzzer) knows the 400 for one is the document's rule."""
    for p in operation.get("parameters", []):
        schema = p.get("schema", {})
        if p.get("in") in ("path", "query") and schema.get("type") == "string" and not (
                {"pattern", "enum", "format"} & set(schema)):
            schema["pattern"] = URL_TEXT


def form_into_body(spec: Any, operation: dict[str, Any]) -> None:
    """flask-smorest documents form fields as Swagger 2's ``in: formData`` parameters, which
    OpenAPI 3 does not have: they are parts of the multipart/form-data body, beside the
    file, and that is where the parser reads them."""
    params = operation.get("parameters", [])
    form = [p for p in params if p.get("in") == "formData"]
    if not form:
        return
    operation["parameters"] = [p for p in params if p.get("in") != "formData"]
    body = operation.setdefault("requestBody", {"required": True, "content": {}})
    media = body["content"].setdefault("multipart/form-data", {})
    schema = media.get("schema", {})
    if "$ref" in schema:  # the file part's own schema, to merge with the form fields
        schema = spec.components.schemas[schema["$ref"].rsplit("/", 1)[-1]]
    properties = dict(schema.get("properties", {}))
    required = list(schema.get("required", []))
    for p in form:
        properties[p["name"]] = {**p["schema"], **({"description": p["description"]}
                                                    if "description" in p else {})}
        if p.get("required"):
            required.append(p["name"])
    media["schema"] = {"type": "object", "properties": properties, "required": required}


def complete(api: Any) -> None:
    """Document the error answers every operation can give, and mark the public ones."""
    assert PUBLIC_ENDPOINTS  # the same list the auth hook uses
    spec = api.spec
    for path, operations in spec._paths.items():  # noqa: SLF001 - apispec keeps no other handle
        url_text_pattern(operations)  # the path's own parameters
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            form_into_body(spec, operation)
            url_text_pattern(operation)
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status == "401" and path in PUBLIC_PATHS:
                    continue
                responses.setdefault(status, {
                    "description": description,
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"},
                        "examples": {"error": {"$ref": "#/components/examples/ErrorExample"}},
                    }}})
            if path in PUBLIC_PATHS:
                operation["security"] = []
    spec.components.example("ErrorExample", {"value": EXAMPLE})
