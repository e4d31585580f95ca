"""A deterministic synthetic national year (or several) through the real domain use cases.

``generate(app, years=1, first_year=2024, seed=1)`` fills a :class:`domain.application.Thidua`
with what a year of thi đua at BHXH Việt Nam records: the SAMPLE organisation (63 provinces,
703 district offices, 24 central units) loaded if the store is empty, users with their roles,
then for each year the blocks, provincial clusters and district partitions; an election with
ballots in every group (rotation respected from the second year on); a covenant per group with
signatures, registered targets and inspection findings; the evaluation cycle with a
20-criterion rule set; every kind of score sheet, drafted in several saves, submitted,
approved by the leader in charge (central scorers), some returned and revised, some sent
sheets corrected, a few submitted late under an extension; nominations, field reports from
the 11 field units, each provincial cluster head's summary, the council's review and the
General Director's decision.

Every choice comes from ``random.Random(seed)``, so one seed gives the same events in the
same order (their recorded timestamps aside). The acts of a year are played on a simulated
calendar (``app.clock`` set for each act, restored at the end), interleaved as officers would
do them: a year runs from mid-February (groups, elections, covenants) to the decision early
in February of the next year.

Measured on the 2-core development machine (embedded PostgreSQL, seed 1, no projections
running in the same process):

- scale 1 (one year, 63 provinces): 32,039 events in 217 s: 1,583 for the organisation
  (790 units, the first year's groups), 1,714 users, then the year: 131 election rounds in
  the 126 groups with 1,503
  ballots, 126 covenants with 790 signatures, 2,253 score sheets in 14,908 saves, 87 returns,
  43 corrections, 55 late submissions, 106 nominations, 693 field reports, 8 summaries and the
  decision.
- each further year: about 28,900 events in about 205 s (60,898 events for two years in
  497 s). Scale 10 is therefore about 292,000 events in about 35 minutes.

Almost all of that time is the domain's own, about 7 ms per event: each use case replays the
aggregates it loads (3-4 per act, no snapshots or cache) and commits its own transaction, and
every connection taken from the event store's pool is pinged first (``POSTGRES_PRE_PING`` in
``web.database.eventsourcing_env``): with the ping off the same year takes about 40% less time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from domain.sample.generator.base import moment
from domain.sample.generator.elections import ElectionPhase
from domain.sample.generator.evaluation import EvaluationPhase, cycle_key
from domain.sample.generator.organisation import OrganisationPhase


class Generator(OrganisationPhase, ElectionPhase, EvaluationPhase):
    """A deterministic national year (or several), phase by phase."""

    def year(self, year: int) -> None:
        """One year: its units and users, groups, elections and covenants, evaluation."""
        if self.app.exists(cycle_key(year)) and not self.untouched(year):
            raise ValueError(f"The {year} evaluation cycle has begun already; generate another "
                             "year.")
        new = self.on_year(year)
        if new:
            self.cal.now = max(self.cal.now, moment(self.staffed_on(year), 8))
            self.staff(new)
        self.groups(year)
        groups = self.year_groups(year)
        self.say(f"{year}: elections, covenants, then the evaluation ({len(groups)} groups)")
        self.elections(year, groups)
        self.evaluation(year)
        started = time.perf_counter()
        self.cal.run()
        self.say(f"{year}: done in {time.perf_counter() - started:.0f} s")


def generate(app: Any, *, years: int = 1, first_year: int = 2024, seed: int = 1,
             provinces: int | None = None,
             progress: Callable[[str], None] | None = None,
             steps: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Fill ``app`` (a :class:`domain.application.Thidua`) with ``years`` national years
    through the real use cases; return what was written. ``provinces`` limits the sample
    organisation to its first N provinces (for tests); it applies when the organisation is
    loaded and when a year's groups are formed. ``progress`` is told each stage in words,
    ``steps(acts done, acts done and planned)`` as the simulated calendar runs."""
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    before = int(app.recorder.max_notification_id() or 0)
    gen = Generator(app, seed=seed, provinces=provinces, say=say)
    if steps is not None:
        gen.cal.tick = steps
    had_clock = "clock" in vars(app)
    old_clock = vars(app).get("clock")
    app.clock = lambda: gen.cal.now
    try:
        gen.organisation(first_year)
        gen.people(first_year)
        for y in range(first_year, first_year + years):
            gen.year(y)
    finally:
        if had_clock:
            app.clock = old_clock
        else:
            del app.clock
    after = int(app.recorder.max_notification_id() or 0)
    c = gen.counts
    return {"events": after - before, "years": years, "first_year": first_year, "seed": seed,
            "seconds": round(time.perf_counter() - started, 1),
            "counts": {k: v for k, v in vars(c).items() if k != "extra"}}
