"""What every projection shares: a view on its own schema, handlers keyed by stable topic,
and one transaction for a batch of events together with its tracking record."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic
from psycopg import Connection
from psycopg.sql import SQL, Identifier

from projections import storable

Handler = Callable[[Any, Any, Any, int], None]


class ViewDatastore(PostgresDatastore):
    """A datastore whose connections look in the views schema first, and write every text
    and jsonb value storable (projections.storable: an old event's NUL cannot stall a
    view)."""

    def after_connect_func(self) -> Callable[[Connection[Any]], None]:
        base = super().after_connect_func()
        statement = SQL("SET search_path TO {}, public").format(Identifier(self.schema))

        def after_connect(conn: Connection[Any]) -> None:
            base(conn)
            storable.install(conn)
            conn.cursor().execute(statement)

        return after_connect


class View(PostgresTrackingRecorder):
    """A projection's tables (created by ``migrations/``) and its tracking record."""

    def position(self, application_name: str) -> int:
        return int(self.max_tracking_id(application_name) or 0)


def handles(*topics: str) -> Callable[[Handler], Handler]:
    """Mark a method as the handler of events with these (stable) topics."""

    def mark(func: Handler) -> Handler:
        func.__dict__.setdefault("_topics", []).extend(topics)
        return func

    return mark


class BatchProjection(Projection[View]):
    """A projection applied with an open cursor, so catching up can put many events in one
    transaction (tracking the last) and still be exactly-once."""

    handlers: ClassVar[dict[str, str]]
    # Send a batch's statements without waiting for each answer. Only for projections whose
    # handlers never read (fetch) while applying: a fetch inside a pipeline has been seen to
    # receive an earlier statement's result under load.
    pipelined: ClassVar[bool] = False
    _appended: dict[str, list[tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                for topic in getattr(value, "_topics", ()):
                    cls.handlers[topic] = attr
        cls.topics = tuple(sorted(cls.handlers))

    def apply(self, curs: Any, event: Any, position: int) -> None:
        name = self.handlers.get(get_topic(type(event)))
        if name is not None:
            getattr(self, name)(curs, event, position)

    def apply_batch(self, events: Sequence[tuple[Any, int]], tracking: Tracking) -> None:
        """Apply ``events`` and record ``tracking`` in one transaction (pipelined, see
        :attr:`pipelined`); an error anywhere rolls the whole batch back."""
        self._appended = {}
        with self.view.datastore.transaction(commit=True) as curs:
            with curs.connection.pipeline() if self.pipelined else nullcontext():
                for event, position in events:
                    self.apply(curs, event, position)
            for statement, rows in self._appended.items():
                with curs.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
            self.view._insert_tracking(curs, tracking)  # noqa: SLF001 (the library's own seam)
        self._appended = {}

    def append_row(self, copy_statement: str, row: tuple[Any, ...]) -> None:
        """Add ``row`` by ``copy_statement`` (COPY ... FROM STDIN) at the end of the batch, in
        the same transaction: for append-only tables that no handler reads while applying."""
        self._appended.setdefault(copy_statement, []).append(row)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """One event, one transaction: what the library's ProjectionRunner calls."""
        self.apply_batch([(domain_event, tracking.notification_id)], tracking)


def wait_for(view: View, application_name: str, position: int, timeout: float) -> bool:
    """Poll until the view has reached ``position``; False on timeout."""
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        if view.position(application_name) >= position:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
