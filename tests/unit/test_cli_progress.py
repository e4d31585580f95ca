"""Progress of the long commands (web/cli/progress.py), without a database: a bar on a
terminal, plain lines at every tenth when asked off a terminal, nothing otherwise; and the
sample generator telling its acts as they run."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from domain.sample.generator import _Calendar
from web.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(progress: Progress, total: int) -> None:
    with progress as bar:
        bar.start(total)
        for _ in range(total):
            bar.advance(1)


def test_off_a_terminal_nothing_unless_asked():
    quiet = io.StringIO()
    run(Progress("rebuilding", None, quiet), 50)
    assert quiet.getvalue() == ""
    asked = io.StringIO()
    run(Progress("rebuilding", True, asked), 50)
    lines = asked.getvalue().splitlines()
    assert lines[0] == "rebuilding: 0/50 (0%)" and lines[-1] == "rebuilding: 50/50 (100%)"
    assert len(lines) == 11  # one at every tenth, never more
    assert all("\r" not in line and "\x1b" not in line for line in lines)


def test_on_a_terminal_a_bar_unless_refused():
    screen = Terminal()
    run(Progress("exporting", None, screen), 30)
    drawn = screen.getvalue()
    assert "exporting" in drawn and "30/30" in drawn and "\r" in drawn
    refused = Terminal()
    run(Progress("exporting", False, refused), 30)
    assert refused.getvalue() == ""


def test_a_total_that_grows_and_a_note_beside_the_bar():
    screen = Terminal()
    with Progress("acts", None, screen) as bar:
        bar(1, 10)
        bar.note("  2024: elections")
        bar(15, 40)  # more acts were planned meanwhile
    drawn = screen.getvalue()
    assert "  2024: elections\n" in drawn and "15/40" in drawn
    asked = io.StringIO()
    with Progress("acts", True, asked) as bar:
        bar.note("  stage one")
        bar(5, 10)
    assert asked.getvalue().splitlines() == ["  stage one", "acts: 5/10 (50%)"]


def test_the_generators_calendar_tells_its_acts():
    told: list[tuple[int, int]] = []
    cal = _Calendar(datetime(2024, 1, 2, tzinfo=UTC))
    cal.tick = lambda done, planned: told.append((done, planned))
    cal.at(datetime(2024, 1, 3, tzinfo=UTC), lambda: cal.at(datetime(2024, 1, 5, tzinfo=UTC),
                                                             lambda: None))
    cal.at(datetime(2024, 1, 4, tzinfo=UTC), lambda: None)
    cal.run()
    assert told == [(1, 3), (2, 3), (3, 3)]
