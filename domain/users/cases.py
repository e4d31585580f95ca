"""Use cases for users and tokens; and authentication of a bearer token."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.kernel.actor import Actor
from domain.kernel.cases import UseCases
from domain.kernel.dates import parse_date, vietnam_day
from domain.kernel.errors import InvalidInput, RuleViolation, Unauthenticated
from domain.kernel.result import Done
from domain.kernel.rights import UNITLESS_ROLES
from domain.kernel.text import clean
from domain.organisation.units import Unit
from domain.users.accounts import (
    TOKEN_PREFIX,
    ApiToken,
    User,
    check_role,
    check_username,
    new_token_secret,
    token_hash,
    token_id,
    user_id,
)

MAX_TOKEN_DAYS = 366


def check_reason(reason: Any) -> str:
    """Why an account is disabled or enabled: 1–1000 characters, stripped."""
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 1000:
        raise InvalidInput("Give the reason: 1–1000 characters.", field="reason",
                           rule="reason_required")
    return reason.strip()


def user_view(user: User) -> dict[str, Any]:
    """What a change of a user answers."""
    return {"username": user.username, "roles": list(user.roles), "disabled": user.disabled}


class UserCases(UseCases):
    """Người dùng and their bearer tokens."""

    def user(self, username: str) -> User:
        check_username(username)
        return self.load(User, user_id(username), what=f"user '{username}'", field="username")

    def register_user(self, actor: Actor, *, username: str, full_name: str,
                      roles: list[str], unit_code: str | None,
                      assigned_unit_codes: list[str] | None = None) -> Done:
        check_username(username)
        full_name = clean(full_name, "full_name", multiline=False) \
            if isinstance(full_name, str) else full_name
        if not full_name or not full_name.strip() or len(full_name) > 200:
            raise InvalidInput("The full name is 1–200 characters.", field="full_name",
                               rule="name_length")
        if not roles:
            raise InvalidInput("A user needs at least one role.", field="roles",
                               rule="roles_not_empty")
        for i, r in enumerate(roles):
            check_role(r, f"roles[{i}]")

        def work() -> tuple[dict[str, Any], list[Any]]:
            if self.exists(user_id(username)):
                raise RuleViolation(f"The username '{username}' is taken.", field="username",
                                    rule="unique_username")
            unit: Unit | None = self.unit(unit_code, "unit_code") if unit_code else None
            needs_unit = [r for r in roles if r not in UNITLESS_ROLES]
            if needs_unit and unit is None:
                raise InvalidInput(f"The role(s) {', '.join(needs_unit)} act for a unit: give "
                                   "unit_code.", field="unit_code", rule="role_needs_unit")
            assigned = self._assigned(assigned_unit_codes or [])
            user = User(username=username, full_name=full_name.strip(), roles=list(roles),
                        unit_id=str(unit.id) if unit else None,
                        unit_code=unit.code if unit else None, assigned_units=assigned)
            return user_view(user), [user]

        return self.act(actor, "user.manage", work)

    def _assigned(self, codes: list[str]) -> list[str]:
        ids = []
        for i, code in enumerate(codes):
            unit = self.unit(code, f"assigned_unit_codes[{i}]")
            if unit.level != "central":
                raise RuleViolation(f"A leader in charge is assigned central units; {code} is "
                                    f"{unit.level}.", field=f"assigned_unit_codes[{i}]",
                                    rule="leader_assigned_central")
            ids.append(str(unit.id))
        return ids

    def grant_role(self, actor: Actor, username: str, role: str) -> Done:
        check_role(role)

        def work() -> tuple[dict[str, Any], list[Any]]:
            user = self.user(username)
            user.grant(role, by=actor.user_id)
            return user_view(user), [user]

        return self.act(actor, "user.manage", work)

    def revoke_role(self, actor: Actor, username: str, role: str,
                    reason: str | None = None) -> Done:
        check_role(role)

        def work() -> tuple[dict[str, Any], list[Any]]:
            user = self.user(username)
            user.revoke(role, by=actor.user_id)
            return user_view(user), [user]

        return self.act(actor, "user.manage", work, reason=reason)

    def assign_units(self, actor: Actor, username: str,
                     unit_codes: list[str]) -> Done:
        def work() -> tuple[dict[str, Any], list[Any]]:
            user = self.user(username)
            user.assign_units(self._assigned(unit_codes), by=actor.user_id)
            return user_view(user), [user]

        return self.act(actor, "user.manage", work)

    def transfer_user(self, actor: Actor, username: str, *, unit_code: str, effective: str,
                      reason: str) -> Done:
        """Điều chuyển công tác: the user acts for ``unit_code`` from ``effective`` (a day
        not after today), with the reason. The unit must be active on that day and today."""
        reason = check_reason(reason)
        day = parse_date(effective, "effective")

        def work() -> tuple[dict[str, Any], list[Any]]:
            user = self.user(username)
            unit = self.unit(unit_code, "unit_code", readonly=True)
            today = vietnam_day(self.now())
            for when in sorted({day, today}):
                if unit.period_on(when) is None:
                    why = (f"it ended on {unit.ended} ({unit.end_status})" if unit.ended
                           and date.fromisoformat(unit.ended) <= when
                           else f"it begins on {unit.started}")
                    raise RuleViolation(f"{unit.code} is not active on {when.isoformat()}: "
                                        f"{why}. A user is transferred to an active unit.",
                                        field="unit_code", rule="unit_active")
            user.transfer(str(unit.id), unit.code, day.isoformat(), reason, by=actor.user_id,
                          today=today.isoformat())
            return {**user_view(user), "unit_code": unit.code,
                    "effective": day.isoformat()}, [user]

        return self.act(actor, "user.manage", work, reason=reason)

    def disable_user(self, actor: Actor, username: str, reason: str) -> Done:
        """Khóa người dùng: the user's tokens stop at once, and for good (a token issued
        before a disable is refused even after the user is enabled again)."""
        reason = check_reason(reason)

        def work() -> tuple[dict[str, Any], list[Any]]:
            user = self.user(username)
            user.disable(by=actor.user_id)
            return user_view(user), [user]

        return self.act(actor, "user.manage", work, reason=reason)

    def enable_user(self, actor: Actor, username: str, reason: str) -> Done:
        """Mở khóa: the user may be issued tokens again (its old ones stay refused)."""
        reason = check_reason(reason)

        def work() -> tuple[dict[str, Any], list[Any]]:
            user = self.user(username)
            user.enable(by=actor.user_id)
            return user_view(user), [user]

        return self.act(actor, "user.manage", work, reason=reason)

    def issue_token(self, actor: Actor, username: str, *, label: str = "",
                    days: int = 90) -> Done:
        """Issue a bearer token; the secret is in this answer's view (``secret``) once, and
        only its hash is kept."""
        if not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
            raise InvalidInput(f"A token lives 1–{MAX_TOKEN_DAYS} days.", field="days",
                               rule="token_lifetime")
        if len(label) > 100:
            raise InvalidInput("A label is at most 100 characters.", field="label",
                               rule="label_length")

        def work() -> tuple[dict[str, Any], list[Any]]:
            user = self.user(username)
            user.check_enabled()
            secret = new_token_secret()
            expires = self.now() + timedelta(days=days)
            token = ApiToken(token_hash=token_hash(secret), user_id=str(user.id), label=label,
                             expires_at=expires.isoformat(),
                             generation=user.token_generation)
            return {"id": str(token.id), "secret": secret,
                    "expires_at": token.expires_at}, [token]

        return self.act(actor, "token.manage", work)

    def token(self, tid: str) -> ApiToken:
        return self.load(ApiToken, tid, what=f"token '{tid}'", field="token_id")

    def revoke_token(self, actor: Actor, tid: str,
                     reason: str | None = None) -> Done:
        def work() -> tuple[dict[str, Any], list[Any]]:
            token = self.token(tid)
            token.revoke()
            return {"id": str(token.id)}, [token]

        return self.act(actor, "token.manage", work, reason=reason)

    def authenticate(self, secret: str, *, request_id: str | None = None,
                     source: str | None = None, defer: bool = False) -> Actor:
        """The actor behind a bearer token, or :class:`Unauthenticated` saying why.

        The token and its user are only read, so they come from the aggregate cache without
        a copy; the cache brings them up to date from the store first, so a revocation, a
        disabled user or a changed role counts at once, whichever process recorded it.

        With ``defer``, a token and user that this process has cached, and that pass every
        check as cached, give the actor at once, assumed (:meth:`assume`) to be still at
        their cached versions: they are read in the same query as the first load of the use
        case that follows, and nothing is saved unless they are unchanged. The caller must
        then ask :meth:`assumption_holds` before answering, and authenticate again from the
        store (and act again) when it does not hold."""
        if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            raise Unauthenticated("The token is not a thidua token.", rule="token_format")
        tid = token_id(token_hash(secret))
        # A token's user never changes: when the token is cached, its user is brought up to
        # date in the same query.
        known = self.cached(tid)
        if defer and isinstance(known, ApiToken):
            user = self.cached(UUID(known.user_id))
            if isinstance(user, User) and self._passes(known, user) is None:
                self.assume({tid: known.version, user.id: user.version})
                return self._actor(user, request_id, source)
        ids = [tid, UUID(known.user_id)] if isinstance(known, ApiToken) else [tid]
        with self.prefetched(*ids):
            try:
                token: Any = self.fetch(tid, readonly=True)
            except AggregateNotFoundError:
                raise Unauthenticated("Unknown token.", rule="token_known") from None
            if not isinstance(token, ApiToken):
                raise Unauthenticated("Unknown token.", rule="token_known")
            if token.revoked:
                raise Unauthenticated("The token was revoked.", rule="token_not_revoked")
            if not token.valid_at(self.now()):
                raise Unauthenticated("The token has expired.", rule="token_not_expired")
            user = self.fetch(UUID(token.user_id), readonly=True)
        if not isinstance(user, User):
            raise Unauthenticated("The token's user is disabled.", rule="user_enabled")
        refused = self._passes(token, user)
        if refused is not None:
            raise refused
        return self._actor(user, request_id, source)

    def _passes(self, token: ApiToken, user: User) -> Unauthenticated | None:
        """Why this token of this user is refused now, or None."""
        if token.revoked:
            return Unauthenticated("The token was revoked.", rule="token_not_revoked")
        if not token.valid_at(self.now()):
            return Unauthenticated("The token has expired.", rule="token_not_expired")
        if user.disabled:
            return Unauthenticated("The token's user is disabled.", rule="user_enabled")
        if token.generation < user.token_generation:
            return Unauthenticated("The token was issued before its user was disabled; the "
                                   "user needs a new token.", rule="token_after_disable")
        return None

    @staticmethod
    def _actor(user: User, request_id: str | None, source: str | None) -> Actor:
        return Actor(user_id=str(user.id), user_name=user.username, roles=tuple(user.roles),
                     unit_id=user.unit_id, unit_code=user.unit_code, request_id=request_id,
                     source=source, assigned_units=tuple(user.assigned_units))
