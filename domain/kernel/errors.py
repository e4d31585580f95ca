"""Errors of the domain, as types. ``web/`` maps each to an HTTP status once."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a use case raises on purpose."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None,
                 errors: dict[str, Any] | None = None,
                 rules: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule
        self.errors: dict[str, Any] = dict(errors or {})
        # where one refusal names many fields (the rows of a decision): the rule of each
        self.rules: dict[str, str] = dict(rules or {})
        if field and field not in self.errors:
            self.errors[field] = [message]


class RuleViolation(DomainError):
    """A rule of the domain (quy định) refuses the act."""

    code = "rule_violation"


class InvalidInput(DomainError):
    """The input is malformed: a field is missing, of the wrong kind or out of range."""

    code = "invalid_input"


class TooLarge(InvalidInput):
    """The input passes a stated bound (a file that holds or expands to too much)."""

    code = "too_large"


class NotFound(DomainError):
    """The thing named does not exist (yet)."""

    code = "not_found"


class NotAuthorised(DomainError):
    """The acting user's role or unit does not give the right to this act."""

    code = "forbidden"


class Unauthenticated(DomainError):
    """No valid token: missing, unknown, revoked or expired."""

    code = "unauthenticated"


class Conflict(DomainError):
    """The object changed since the caller read it, or already exists."""

    code = "conflict"

    def __init__(self, message: str, *, current_version: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.current_version = current_version


class UnreadableRecord(DomainError):
    """A record's stored events cannot be decoded or applied: the event store was changed
    outside the application (a topic or a state edited in the database)."""

    code = "record_unreadable"

    def __init__(self, record_id: Any, cause: BaseException) -> None:
        super().__init__(
            f"The stored record {record_id} cannot be read: its events in the event store no "
            f"longer fit it ({type(cause).__name__}), so they were changed outside the "
            "application. Nothing was changed now. An operator can find the change with "
            "'flask audit verify --against-store'.",
            field="record", rule="stored_events_readable")
        self.record_id = str(record_id)
