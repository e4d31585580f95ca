"""Users, their roles, and bearer tokens (admin)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from domain.kernel.errors import NotFound
from projections import queries
from web.extensions.auth import actor, may
from web.extensions.common import WaitArgsSchema, read, services, wait_for, written
from web.extensions.idempotency import shows_secret
from web.resources.users.schemas import (
    AccountReasonSchema,
    AssignedUnitsSchema,
    ReasonArgsSchema,
    RoleSchema,
    TokenIssuedSchema,
    TokenIssueSchema,
    TokenPageSchema,
    TokenQueryArgsSchema,
    TokenRevokedSchema,
    TransferSchema,
    TransferWrittenSchema,
    UserPageSchema,
    UserQueryArgsSchema,
    UserRegisterSchema,
    UserSchema,
    UserWriteSchema,
)

blp = Blueprint("users", __name__, url_prefix="/users", description="Người dùng and roles.")
tokens = Blueprint("tokens", __name__, url_prefix="/tokens",
                   description="Bearer tokens: random, hashed at rest, shown once.")


@blp.route("")
class Users(MethodView):
    @may("user.read")
    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, UserPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Users, filtered by role or unit."""
        wait_for(args)
        return read(queries.list_users, role=args.get("role"), unit=args.get("unit"),
                    page=args["page"], size=args["page_size"])

    @blp.arguments(UserRegisterSchema)
    @blp.response(201, UserWriteSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Register a user acting for one unit (a leader, admin, auditor or inspector: for
        none of their own)."""
        return written(services().app.register_user(actor(), **body))


@blp.route("/<username>")
class UserDetail(MethodView):
    @may("user.read")
    @blp.arguments(WaitArgsSchema, location="query")
    @blp.response(200, UserSchema)
    def get(self, args: dict[str, Any], username: str) -> Any:
        """One user."""
        wait_for(args)
        page = read(queries.list_users, role=None, unit=None, page=1, size=1,
                    username=username)
        if not page["items"]:
            raise NotFound(f"There is no user '{username}'.", field="username", rule="exists")
        return page["items"][0]


@blp.route("/<username>/roles", methods=["POST"])
@blp.arguments(RoleSchema)
@blp.response(200, UserWriteSchema)
def grant(body: dict[str, Any], username: str) -> Any:
    """Grant a role."""
    return written(services().app.grant_role(actor(), username, body["role"]))


@blp.route("/<username>/roles/<role>", methods=["DELETE"])
@blp.arguments(ReasonArgsSchema, location="query")
@blp.response(200, UserWriteSchema)
def revoke(args: dict[str, Any], username: str, role: str) -> Any:
    """Revoke a role."""
    return written(services().app.revoke_role(actor(), username, role, args["reason"]))


@blp.route("/<username>/assigned-units", methods=["PUT"])
@blp.arguments(AssignedUnitsSchema)
@blp.response(200, UserWriteSchema)
def assign(body: dict[str, Any], username: str) -> Any:
    """Set the central units a leader in charge approves."""
    return written(services().app.assign_units(actor(), username, body["unit_codes"]))


@blp.route("/<username>/transfer", methods=["POST"])
@blp.arguments(TransferSchema)
@blp.response(200, TransferWrittenSchema)
def transfer(body: dict[str, Any], username: str) -> Any:
    """Transfer a user to another unit (điều chuyển) from an effective date, with the
    reason: from then the user acts for that unit; its roles stay. Nobody transfers
    themselves."""
    return written(services().app.transfer_user(
        actor(), username, unit_code=body["unit_code"], effective=body["effective"].isoformat(),
        reason=body["reason"]))


@blp.route("/<username>/disable", methods=["POST"])
@blp.arguments(AccountReasonSchema)
@blp.response(200, UserWriteSchema)
def disable(body: dict[str, Any], username: str) -> Any:
    """Disable a user (khóa): every token of theirs stops at once, and for good; nobody
    disables themselves."""
    return written(services().app.disable_user(actor(), username, body["reason"]))


@blp.route("/<username>/enable", methods=["POST"])
@blp.arguments(AccountReasonSchema)
@blp.response(200, UserWriteSchema)
def enable(body: dict[str, Any], username: str) -> Any:
    """Enable a disabled user again; the tokens issued before the disable stay refused, so
    the user needs a new one."""
    return written(services().app.enable_user(actor(), username, body["reason"]))


@blp.route("/<username>/tokens", methods=["POST"])
@blp.arguments(TokenIssueSchema)
@blp.response(201, TokenIssuedSchema)
def issue(body: dict[str, Any], username: str) -> Any:
    """Issue a token; the secret is in this answer only (never cached, never stored: a retry
    with the same Idempotency-Key gets the rest of the answer and a note instead)."""
    done = services().app.issue_token(actor(), username, **body)
    token = done.view
    shows_secret("token", note=f"The secret was shown once, in the first answer to this "
                 f"request, and is not kept; if it was lost, revoke token {token['id']} and "
                 "issue another.")
    return {"id": token["id"], "token": token["secret"], "expires_at": token["expires_at"],
            "position": done.position}


@tokens.route("")
class Tokens(MethodView):
    @may("user.read")
    @tokens.arguments(TokenQueryArgsSchema, location="query")
    @tokens.response(200, TokenPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Tokens (never their secrets)."""
        wait_for(args)
        return read(queries.list_tokens, username=args.get("username"), page=args["page"],
                    size=args["page_size"])


@tokens.route("/<uuid:token_id>", methods=["DELETE"])
@tokens.arguments(ReasonArgsSchema, location="query")
@tokens.response(200, TokenRevokedSchema)
def revoke_token(args: dict[str, Any], token_id: Any) -> Any:
    """Revoke a token at once."""
    return written(services().app.revoke_token(actor(), str(token_id), args["reason"]))
