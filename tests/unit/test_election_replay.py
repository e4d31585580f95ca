"""Election events stored before the rules moved into Election, GroupOffice and
ElectionRuleSet still read and replay: the same topics and attributes, the same state.

tests/support/data/election_events_55553ee.json holds every event of a small history as the
store held it (topic, originator, version, the transcoded state), recorded by commit 55553ee:
the rules of two years (set, revised), a round annulled after a ballot, a round declared by
secret ballot, the head's unit dissolved and an acting head designated, a round by open
ballot; and each election aggregate's state as that code rebuilt it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.elections.election import Election, ElectionRuleSet
from domain.elections.office import GroupOffice
from domain.kernel.base import ThiduaAggregate
from domain.kernel.errors import RuleViolation
from tests.support.core import ROOT
from tests.support.memory import memory_thidua

RECORDED = json.loads((Path(__file__).parents[1] / "support" / "data" /
                       "election_events_55553ee.json").read_text(encoding="utf-8"))


def stored() -> list[StoredEvent]:
    return [StoredEvent(originator_id=UUID(e["originator_id"]),
                        originator_version=e["originator_version"], topic=e["topic"],
                        state=e["state"].encode("utf-8")) for e in RECORDED["events"]]


def state_of(aggregate: Any) -> Any:
    """What the recording kept of an aggregate: its attributes, as JSON would write them."""
    return json.loads(json.dumps(dict(sorted(vars(aggregate).items())), default=str))


@pytest.fixture
def app() -> Iterator[Any]:
    app = memory_thidua()
    yield app
    app.close()


def declared_topics(cls: type) -> set[str]:
    """The topics of the events an aggregate class declares (its @event methods)."""
    return {get_topic(v) for name, v in vars(cls).items()
            if isinstance(v, type) and issubclass(v, ThiduaAggregate.Event)
            and name not in ("Event", "Created")}


def test_the_recording_holds_every_election_event_and_each_is_still_declared():
    recorded = {e["topic"] for e in RECORDED["events"]
                if e["topic"].startswith(("thidua:Election", "thidua:GroupOffice"))}
    declared = set().union(*(declared_topics(c) for c in (Election, GroupOffice,
                                                           ElectionRuleSet)))
    declared.add("thidua:GroupOffice.Created")
    assert len(declared) == 13
    assert recorded == declared


def test_stored_events_replay_into_the_state_the_old_code_built(app):
    aggregates: dict[UUID, Any] = {}
    for s in stored():
        event = app.mapper.to_domain_event(s)
        aggregates[s.originator_id] = event.mutate(aggregates.get(s.originator_id))
    expected = RECORDED["aggregates"]
    assert len(expected) == 6
    for oid, want in expected.items():
        got = aggregates[UUID(oid)]
        assert type(got).__name__ == want["class"]
        assert got.version == want["version"]
        assert state_of(got) == want["state"], want["class"]


def test_the_new_rules_work_on_the_old_record(app):
    """The recorded store, loaded whole, answers the new use cases: the office's line
    carries its head into rotation, a closed round refuses a ballot, the rules revise."""
    app.recorder.insert_events(stored())
    (g2026,) = [g for g in app.group_year(2026).groups.values()]
    e3 = next(oid for oid, a in RECORDED["aggregates"].items()
              if a["class"] == "Election" and a["state"]["year"] == 2026)
    closed = app.election(e3)
    assert closed.status == "declared" and closed.winners()
    with pytest.raises(RuleViolation) as e:
        app.put_forward(ROOT, e3, unit_code="B", seat="head")
    assert e.value.rule == "election_open"
    # D was elected head for 2027 by the open ballot; its line's next round rotates
    assert app.head_units(g2026["id"], 2026, None) == (str(app.unit("D").id),
                                                        str(app.unit("C").id))
    g2027 = app.form_group(ROOT, year=2027, kind="block", code="K1", name="Khối 1",
                           members=["B", "C", "D"]).view["id"]
    round_ = app.open_election(ROOT, group_id=g2027, year=2027, meeting_date="2027-12-17",
                               place="Huế", present=["B", "C", "D"]).view
    assert round_["round"] == 1 and round_["term"] == 2028
    with pytest.raises(RuleViolation) as e:
        app.put_forward(ROOT, round_["id"], unit_code="D", seat="head")
    assert e.value.rule == "rotation_head_not_repeated"
    revised = app.set_election_rules(ROOT, year=2026, rules={"quorum": "1/2"},
                                     reason="Sửa", version=1).view
    assert revised["version"] == 2 and revised["rules"]["secret_ballot"] is False
