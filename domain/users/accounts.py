"""Users (người dùng), their roles, and bearer tokens. Tokens are stored only as hashes."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.kernel.actor import ROLES
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")  # the whole name: fullmatch
TOKEN_PREFIX = "thd_"


def user_id(username: str) -> Any:
    return stable_id("user", username)


def check_username(username: str) -> str:
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        raise InvalidInput("A username is 3–64 characters: lower-case letters, digits, '.', "
                           "'_' or '-'.", field="username", rule="username_format")
    return username


def check_role(role: str, field: str = "role") -> str:
    if role not in ROLES:
        raise InvalidInput(f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.", field=field,
                           rule="known_role")
    return role


def new_token_secret() -> str:
    """256 random bits, URL-safe; shown once to the holder."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_id(hashed: str) -> Any:
    return stable_id("token", hashed)


class User(ThiduaAggregate):
    """Người dùng: a person who acts for exactly one unit, in one or more roles."""

    TOPIC = "thidua:User"
    # A snapshot taken before users counted their disables reads as never disabled.
    token_generation: int = 0
    # Since when the user acts for its unit (None: since it was registered), and the units it
    # acted for before, in order (a snapshot taken before transfers reads as none).
    unit_since: str | None = None
    former_units: tuple[dict[str, Any], ...] = ()

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:User.Event"

    @staticmethod
    def create_id(username: str) -> Any:
        return user_id(username)

    @event("Registered", topic="thidua:User.Registered")
    def __init__(self, username: str, full_name: str, roles: list[str], unit_id: str | None,
                 unit_code: str | None, assigned_units: list[str]) -> None:
        self.username = username
        self.full_name = full_name
        self.roles = list(roles)
        self.unit_id = unit_id
        self.unit_code = unit_code
        self.assigned_units = list(assigned_units)
        self.disabled = False
        self.token_generation = 0  # how many times the user was disabled

    # -- guards ----------------------------------------------------------------------------
    def check_not_self(self, by: str, act: str) -> None:
        """Nobody administers their own account (docs/decisions.md, 'Nobody administers
        themselves'): ``by`` is the acting user's id."""
        if by == str(self.id):
            raise NotAuthorised(f"Nobody {act} their own account: another administrator (or "
                                "the console operator) does it.", field="username",
                                rule="not_own_account")

    def check_enabled(self) -> None:
        if self.disabled:
            raise RuleViolation(f"{self.username} is disabled: a disabled user gets no token.",
                                field="username", rule="user_enabled")

    # -- commands ----------------------------------------------------------------------------
    def grant(self, role: str, by: str) -> None:
        self.check_not_self(by, "grants roles to")
        if role in self.roles:
            raise RuleViolation(f"{self.username} already holds the role {role}.", field="role",
                                rule="role_already_held")
        self._granted(role=role)

    @event("RoleGranted", topic="thidua:User.RoleGranted")
    def _granted(self, role: str) -> None:
        self.roles.append(role)

    def revoke(self, role: str, by: str) -> None:
        self.check_not_self(by, "revokes roles of")
        if role not in self.roles:
            raise RuleViolation(f"{self.username} does not hold the role {role}.", field="role",
                                rule="role_not_held")
        self._revoked(role=role)

    @event("RoleRevoked", topic="thidua:User.RoleRevoked")
    def _revoked(self, role: str) -> None:
        self.roles.remove(role)

    def assign_units(self, assigned_units: list[str], by: str) -> None:
        self.check_not_self(by, "assigns units to")
        self._units_assigned(assigned_units=assigned_units)

    @event("UnitsAssigned", topic="thidua:User.UnitsAssigned")
    def _units_assigned(self, assigned_units: list[str]) -> None:
        self.assigned_units = list(assigned_units)

    def transfer(self, unit_id: str, unit_code: str, effective: str, reason: str, by: str,
                 today: str) -> None:
        """Điều chuyển: the user acts for another unit from ``effective`` (not after today:
        a transfer is recorded once it has taken effect). Its roles stay as they are."""
        self.check_not_self(by, "transfers")
        if self.disabled:
            raise RuleViolation(f"{self.username} is disabled: enable the account before it "
                                "is transferred.", field="username", rule="user_enabled")
        if unit_id == self.unit_id:
            raise RuleViolation(f"{self.username} already acts for {unit_code}.",
                                field="unit_code", rule="unit_unchanged")
        if effective > today:
            raise RuleViolation(f"A transfer is recorded once it takes effect: {effective} is "
                                f"after today ({today}).", field="effective",
                                rule="transfer_in_effect")
        if self.unit_since and effective < self.unit_since:
            raise RuleViolation(f"{self.username} acts for {self.unit_code} since "
                                f"{self.unit_since}; a transfer takes effect on or after it.",
                                field="effective", rule="effective_after_last_transfer")
        self._transferred(unit_id=unit_id, unit_code=unit_code, effective=effective,
                          reason=reason, from_unit_id=self.unit_id,
                          from_unit_code=self.unit_code)

    @event("Transferred", topic="thidua:User.Transferred")
    def _transferred(self, unit_id: str, unit_code: str, effective: str, reason: str,
                     from_unit_id: str | None, from_unit_code: str | None) -> None:
        self.former_units = (*self.former_units, {
            "unit_id": from_unit_id, "unit_code": from_unit_code, "since": self.unit_since,
            "until": effective})
        self.unit_id = unit_id
        self.unit_code = unit_code
        self.unit_since = effective

    def disable(self, by: str) -> None:
        """Khóa: every token of the user stops at once, and stays stopped if the user is
        enabled again (a token issued before the last disable is refused)."""
        self.check_not_self(by, "disables")
        if self.disabled:
            raise RuleViolation(f"{self.username} is already disabled.", field="username",
                                rule="user_already_disabled")
        self._disabled()

    @event("Disabled", topic="thidua:User.Disabled")
    def _disabled(self) -> None:
        self.disabled = True
        self.token_generation = self.token_generation + 1

    def enable(self, by: str) -> None:
        self.check_not_self(by, "enables")
        if not self.disabled:
            raise RuleViolation(f"{self.username} is not disabled.", field="username",
                                rule="user_already_enabled")
        self._enabled()

    @event("Enabled", topic="thidua:User.Enabled")
    def _enabled(self) -> None:
        self.disabled = False


class ApiToken(ThiduaAggregate):
    """A bearer token. Its id derives from the hash of the secret, so a request finds it
    straight in the event store; the secret itself is never stored."""

    TOPIC = "thidua:ApiToken"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:ApiToken.Event"

    @staticmethod
    def create_id(token_hash: str) -> Any:
        return token_id(token_hash)

    @event("Issued", topic="thidua:ApiToken.Issued")
    def __init__(self, token_hash: str, user_id: str, label: str, expires_at: str,
                 generation: int = 0) -> None:
        self.token_hash = token_hash
        self.user_id = user_id
        self.label = label
        self.expires_at = expires_at
        self.generation = generation  # the user's token_generation when it was issued
        self.revoked = False

    def valid_at(self, now: datetime) -> bool:
        return not self.revoked and now < datetime.fromisoformat(self.expires_at)

    def revoke(self) -> None:
        if self.revoked:
            raise RuleViolation("The token is already revoked.", field="token",
                                rule="token_already_revoked")
        self._revoked()

    @event("Revoked", topic="thidua:ApiToken.Revoked")
    def _revoked(self) -> None:
        self.revoked = True
