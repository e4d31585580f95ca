"""Completes the OpenAPI document: every operation's error answers and its security."""

from __future__ import annotations

from typing import Any

from web.extensions.auth import PUBLIC_ENDPOINTS

ERRORS = {
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


def complete(api: Any) -> None:
    """Document the error answers every operation can give, and mark the public ones."""
    assert PUBLIC_ENDPOINTS  # the same list the auth hook uses
    spec = api.spec
    for path, operations in spec._paths.items():  # noqa: SLF001 - apispec keeps no other handle
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
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
