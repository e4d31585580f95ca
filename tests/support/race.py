"""Two requests racing for one record: each in its own thread, held at its save until the
others reach theirs, so that all load the same versions and the store decides."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def race(api: Any, calls: dict[str, Callable[[Any], Any]]) -> dict[str, tuple[int, Any]]:
    """Send each call (given a test client of its own) at once; return each one's (status,
    JSON body) by name."""
    app = api.services.app
    real, gate = app.commit, threading.Barrier(len(calls), timeout=30)

    def commit(*aggregates: Any) -> int:
        if threading.current_thread().name in calls:
            gate.wait()
        return real(*aggregates)  # type: ignore[no-any-return]

    answers: dict[str, tuple[int, Any]] = {}

    def run(name: str) -> None:
        r = calls[name](api.client.application.test_client())
        answers[name] = (r.status_code, r.get_json())

    app.commit = commit
    try:
        threads = [threading.Thread(target=run, args=(n,), name=n) for n in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        app.commit = real
    assert set(answers) == set(calls), answers
    return answers
