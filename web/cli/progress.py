"""Progress of the long commands (replay, audit export and verify, sample year, imports), on
stderr only, so a script reading stdout never sees it: a bar (click's) when stderr is a
terminal, nothing when it is not, unless asked (``--progress``): then a plain line at every
tenth of the way, which a log file keeps readably. ``--no-progress`` silences it anywhere."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any, TextIO, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def progress_option(command: F) -> F:
    """``--progress/--no-progress``: show progress on stderr (default: when it is a
    terminal)."""
    return click.option("--progress/--no-progress", "progress", default=None,
                        help="Show progress on stderr (default: only when stderr is a "
                             "terminal).")(command)


class Progress:
    """A callable ``progress(done, total)`` (``advance(n)`` for steps) that draws the
    progress of one task of a command, or nothing."""

    def __init__(self, label: str, shown: bool | None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.shown = self.terminal if shown is None else shown
        self.label = label
        self.done = 0
        self.total = 0
        self.bar: Any = None
        self.tenth = -1

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __call__(self, done: int, total: int) -> None:
        """The task is at ``done`` of ``total`` (the total may grow as it goes)."""
        self.done, self.total = max(done, 0), max(total, done, 1)
        if not self.shown:
            return
        if self.terminal:
            if self.bar is None:
                self.bar = click.progressbar(length=self.total, label=self.label,
                                             file=self.stream, show_pos=True)
                self.bar.__enter__()
            self.bar.length = self.total
            self.bar.update(self.done - self.bar.pos)
            return
        tenth = self.done * 10 // self.total
        if tenth > self.tenth:
            self.tenth = tenth
            click.echo(f"{self.label}: {self.done:,}/{self.total:,} ({tenth * 10}%)",
                       file=self.stream)

    def advance(self, steps: int) -> None:
        """``steps`` more of a task whose total was given."""
        self(self.done + steps, self.total)

    def start(self, total: int) -> Progress:
        """Begin at 0 of ``total``."""
        self(0, total)
        return self

    def note(self, message: str) -> None:
        """A line of words beside the progress (a stage begun), never inside the bar."""
        if self.bar is not None:
            self.stream.write("\r\x1b[K")
        click.echo(message, file=self.stream)
        if self.bar is not None:
            self.bar._last_line = None  # drawn again below the line, at the next step
            self.bar.render_progress()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
