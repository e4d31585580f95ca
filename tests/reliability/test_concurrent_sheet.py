"""N officers released together change the same score sheet: exactly one wins each version,
the others get 409 with the current version; versions stay contiguous; nothing is lost or
applied twice."""

import threading
from datetime import datetime

import pytest

from domain.sample.evaluation import open_sample_cycle
from domain.sample.loader import load_sample
from tests.support.core import ROOT, Api

pytestmark = pytest.mark.reliability
YEAR = 2024
WRITERS = 8
ROUNDS = 4


def test_concurrent_writers_of_one_sheet(client, services):
    app = services.app
    app.clock = lambda: datetime.fromisoformat("2024-12-01T09:00:00+07:00")
    load_sample(app, ROOT, year=YEAR, provinces=1)
    open_sample_cycle(app, ROOT, year=YEAR, criteria=20)
    api = Api(client, services)
    criteria = app.cycle(YEAR).rules["criteria"]
    api.user("officer.p01", ["officer"], "P01")

    def scores(writer: int, round_: int) -> dict[str, str]:
        return {c["code"]: "0" if c["kind"] != "base" else
                str(max(0, int(float(c["max"])) - (writer + round_) % 3)) for c in criteria}

    def put(client, version, writer, round_):
        body = {"year": YEAR, "kind": "self", "subject_code": "P01",
                "scores": scores(writer, round_)}
        if version is not None:
            body["version"] = version
        return client.put("/evaluation/sheets", json=body, headers=api.headers("officer.p01"))

    first = put(api.client, None, 0, -1)
    assert first.status_code in (200, 201), first.get_json()
    sheet_id, version = first.get_json()["id"], first.get_json()["version"]
    winners = []
    for round_ in range(ROUNDS):
        barrier = threading.Barrier(WRITERS)
        answers: dict[int, tuple[int, dict]] = {}

        def write(writer: int, round_: int, version: int, barrier: threading.Barrier,
                  answers: dict[int, tuple[int, dict]]) -> None:
            client = api.client.application.test_client()
            barrier.wait()
            r = put(client, version, writer, round_)
            answers[writer] = (r.status_code, r.get_json())

        threads = [threading.Thread(target=write, args=(w, round_, version, barrier, answers))
                   for w in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        won = [w for w, (status, _) in answers.items() if status in (200, 201)]
        lost = [body for status, body in answers.values() if status == 409]
        assert len(won) == 1, answers
        assert len(lost) == WRITERS - 1, answers
        assert all(b["current_version"] == version + 1 for b in lost), lost
        version = answers[won[0]][1]["version"]
        api.last_position = max(api.last_position, answers[won[0]][1]["position"])
        winners.append((won[0], round_))

    events = app.recorder.select_events(sheet_id)
    assert [e.originator_version for e in events] == list(range(1, version + 1))
    detail = api.get(f"/evaluation/sheets/{sheet_id}", "officer.p01").get_json()
    w, r = winners[-1]
    assert detail["version"] == version
    assert detail["revisions"][-1]["scores"] == scores(w, r), "the last winner's scores stand"
    expected_total = sum(int(v) for v in scores(w, r).values())
    assert float(detail["total"]) == expected_total
