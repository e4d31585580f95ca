"""Schemas and helpers every resource shares: paging, waiting for a position, results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import marshmallow as ma
from flask import current_app
from marshmallow import validate

from domain.kernel.result import Done
from web.extensions import fields
from web.extensions.errors import ViewsBehind
from web.extensions.text_input import clean_input

if TYPE_CHECKING:
    from web.bootstrap import Services


class StrictSchema(ma.Schema):
    """Unknown fields are refused (422 naming them); every text is NFC and holds no
    character it cannot keep (422 naming the field, rule ``text_characters``)."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def keep_text(self, data: Any, **kwargs: Any) -> Any:
        return clean_input(self, data)


class FullMatch(validate.Regexp):
    """``validate.Regexp`` on the whole value (``re.match`` with ``$`` lets "2/3\\n" through)."""

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


class WaitArgsSchema(StrictSchema):
    wait_for = fields.position(metadata={"description": "Event position returned by a write; "
                                         "the read waits until the views include it."})


class PageArgsSchema(WaitArgsSchema):
    page = fields.number(1, 1_000_000, load_default=1,
                         metadata={"description": "Page number, from 1."})
    page_size = fields.number(1, 1_000_000, load_default=50,
                              metadata={"description": "Items per page (at most "
                                        "THIDUA_MAX_PAGE_SIZE, 500 unless configured)."})

    @ma.validates("page_size")
    def within_the_page_limit(self, value: int, **kwargs: Any) -> None:
        limit = services().settings.max_page_size
        if value > limit:
            raise ma.ValidationError(f"A page holds at most {limit} items "
                                     "(THIDUA_MAX_PAGE_SIZE).")


class WriteResultSchema(ma.Schema):
    position = ma.fields.Integer(metadata={"description": "Position of the last event written."})
    version = ma.fields.Integer(metadata={"description": "New version of the changed record."})


class SourceSchema(ma.Schema):
    """Whose a setting of a rule set is: the letters', ours (thidua's default where they are
    silent: docs/decisions.md, "Whose defaults"), or the rule set's own value."""

    setting = ma.fields.String(metadata={"example": "quota.share_percent"})
    value = ma.fields.Raw(allow_none=True)
    default = ma.fields.Raw(allow_none=True)
    source = ma.fields.String(metadata={
        "description": "letters (the letters say it), ours (thidua's default where they are "
                       "silent) or set (the rule set's own value)."})
    default_source = ma.fields.String(metadata={"description": "Whose the default is."})
    note = ma.fields.String(metadata={"description": "Where the letters say it, or where "
                                      "our choice is argued."})


class PageSchema(ma.Schema):
    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    total = ma.fields.Integer()


def written(done: Done) -> dict[str, Any]:
    """A write's answer: the record's view, its version after the act (from what the act
    saved, never from a load after it) and the position of the last event written."""
    return {**done.view, "version": done.version, "position": done.position}


def services() -> Services:
    """The application's services (web/bootstrap.py), typed so a route's misspelt use case
    or keyword is a type error."""
    found: Services = current_app.extensions["thidua"]
    return found


def wait_for(args: dict[str, Any], projection: str = "registry") -> None:
    """Read-your-writes: block until the views hold the position the client wrote."""
    position = args.pop("wait_for", None)
    if not position:
        return
    from projections.base import wait_for as wait

    s = services()
    head = s.runner.head()
    if position > head:
        from domain.kernel.errors import InvalidInput

        raise InvalidInput(f"No event has position {position} yet (the last is {head}).",
                           field="wait_for", rule="position_exists")
    view = s.projections[projection].view
    if not wait(view, s.app.name, position, s.settings.wait_timeout):
        raise ViewsBehind(f"The views have not reached position {position} yet; retry.",
                          rule="views_reached_position")


def read(fn: Any, **kwargs: Any) -> Any:
    with services().reads.connection() as conn:
        return fn(conn, **kwargs)
