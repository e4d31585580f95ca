"""Where the time goes, for the measures that miss their targets: a pyinstrument profile of
the rebuild of every view, and of score-sheet submissions through the Flask app.

    python -m bench.profile [--provinces 8]

Writes bench/results/profile-rebuild.txt and bench/results/profile-ingest.txt.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg.sql import SQL, Identifier
from pyinstrument import Profiler

from bench.__main__ import RESULTS, fresh_database, say, server_url, services_for


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--provinces", type=int, default=8)
    parser.add_argument("--submissions", type=int, default=150)
    args = parser.parse_args()
    from bench.ingest import ingest_setup
    from domain.sample.generator import generate
    from projections.runner import Runner
    from web.app import create_app
    from web.bootstrap import build_projections
    from web.database import migrate

    workdir = Path(tempfile.mkdtemp(prefix="thidua-profile-"))
    url, server = server_url(workdir)
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        db = fresh_database(url, "thidua_profile")
        services = services_for(db, workdir)
        say(f"generating a year of {args.provinces} provinces")
        generate(services.app, years=1, provinces=args.provinces)
        services.runner.catch_up()

        schema = f"profile_{uuid.uuid4().hex[:8]}"
        migrate(db, schema)
        projections = build_projections(db, schema)
        runner = Runner(services.app, list(projections.values()), batch_size=1000)
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            runner.catch_up()
        say(f"rebuild: {runner.head()} events in {time.perf_counter() - started:.1f}s")
        (RESULTS / "profile-rebuild.txt").write_text(profiler.output_text(color=False),
                                                     encoding="utf-8")
        for p in projections.values():
            p.view.datastore.close()
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(schema)))

        work = ingest_setup(services.app, args.submissions)
        app = create_app(services.settings, services)
        client = app.test_client()
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for item in work:
                headers = {"Authorization": f"Bearer {item['token']}"}
                r = client.put("/evaluation/sheets", json=item["body"], headers=headers)
                client.post(f"/evaluation/sheets/{r.get_json()['id']}/submit", json={},
                            headers=headers)
        say(f"ingest: {len(work)} submissions in {time.perf_counter() - started:.1f}s "
            "(one client, in process)")
        (RESULTS / "profile-ingest.txt").write_text(profiler.output_text(color=False),
                                                    encoding="utf-8")
        services.close()
    finally:
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    main()
