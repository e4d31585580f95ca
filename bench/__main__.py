"""`make bench`: a synthetic national year through the real domain, and thidua measured beside
the raw limits of its own database, each pair in the same run.

    python -m bench [--scale 1|10] [--seed 1] [--clients 16] [--workdir DIR [--reuse]]

Scale 1 is measured always; `--scale 10` also generates ten years in a second database and
compares memory and as-of latency between the two. Results: a table on the terminal and a
JSON file under bench/results/. Durability settings are never touched.

Generating ten years takes about half an hour. With `--workdir DIR` the embedded server and
the generated databases are kept in DIR; `--reuse` then measures a database generated earlier
with the same scale and seed instead of generating it again (the scale-1 database, which the
ingest run writes into, is always generated afresh).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import requests
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.sql import SQL, Identifier

from bench import raw
from bench.raw import percentiles

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGETS = {"ingest": 0.20, "rebuild": 0.25, "export": 0.30, "verify": 0.25, "memory": 1.2}


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- databases ---------------------------------------------------------------------------------
def server_url(workdir: Path) -> tuple[str, Any]:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], None
    from web.database import embedded_server

    server = embedded_server(workdir / "pg")
    return str(server.get_uri()), server


def fresh_database(url: str, name: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    return database_for(url, name)


def services_for(url: str, workdir: Path) -> Any:
    from web.bootstrap import bootstrap
    from web.settings import Settings

    settings = Settings(database_url=url, data_dir=workdir, pool_size=4, pool_overflow=4,
                        signing_key=workdir / "signing-key.pem")
    return bootstrap(settings, url=url, start_projections=False)


def child(*args: str) -> dict[str, Any]:
    """Run a measured task in its own process (so its peak memory is its own)."""
    out = subprocess.run([sys.executable, "-m", "bench.tasks", *args], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"bench.tasks {args[0]} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# -- one scale ----------------------------------------------------------------------------------
MARKER = "bench_generation"


def generated_earlier(url: str, name: str, scale: int, seed: int) -> dict[str, Any] | None:
    """What an earlier run generated in database ``name``, if it finished with these
    settings; None otherwise."""
    try:
        with psycopg.connect(database_for(url, name)) as conn:
            row = conn.execute(SQL("SELECT part FROM public.{} WHERE scale = %s AND seed = %s")
                               .format(Identifier(MARKER)), (scale, seed)).fetchone()
    except psycopg.Error:
        return None
    return dict(row[0]) if row else None


def mark_generated(url: str, scale: int, seed: int, part: dict[str, Any]) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(SQL("CREATE TABLE public.{} (scale int, seed int, part jsonb)")
                     .format(Identifier(MARKER)))
        conn.execute(SQL("INSERT INTO public.{} VALUES (%s, %s, %s)").format(Identifier(MARKER)),
                     (scale, seed, json.dumps(part, default=str)))


def database_for(url: str, name: str) -> str:
    info = conninfo_to_dict(url)
    info["dbname"] = name
    return make_conninfo("", **info)


def build(url: str, workdir: Path, scale: int, seed: int) -> dict[str, Any]:
    from domain.sample.generator import generate

    services = services_for(url, workdir)
    try:
        say(f"scale {scale}: generating {scale} year(s) through the domain")
        started = time.perf_counter()
        counts = generate(services.app, years=scale, seed=seed,
                          progress=lambda m: say(f"  {m}"))
        generated = time.perf_counter() - started
        say(f"scale {scale}: {counts.get('events')} events in {generated:.0f}s; projecting")
        started = time.perf_counter()
        services.runner.catch_up()
        projected = time.perf_counter() - started
        return {"counts": counts, "generate_seconds": generated,
                "live_catch_up_seconds": projected, "events": services.runner.head()}
    finally:
        services.close()


def measure_store(url: str, workdir: Path) -> dict[str, Any]:
    """Rebuild, export, verify: each in its own process, each beside its raw limit."""
    from domain.application import Thidua
    from web.database import eventsourcing_env, with_search_path

    result: dict[str, Any] = {}
    say("  rebuild of every view from an empty schema")
    result["rebuild"] = child("rebuild", url)
    app = Thidua(env=eventsourcing_env(url, pool_size=2, pool_overflow=2))
    try:
        result["rebuild_raw"] = raw.read_and_decode(app)
    finally:
        app.close()
    say("  audit export (JSONL, CSV)")
    views = with_search_path(url, "views")
    for kind in ("jsonl", "csv"):
        result[f"export_{kind}"] = child("export", url, kind, str(workdir / f"audit.{kind}"))
    result["export_raw"] = raw.copy_out(views, "SELECT * FROM views.audit_entries")
    say("  verification of the JSONL bundle")
    bundle = workdir / "bundle"
    shutil.rmtree(bundle, ignore_errors=True)
    write_bundle(url, workdir, bundle)
    result["verify"] = child("verify", str(bundle))
    result["verify_raw"] = raw.sha256sum(bundle / "audit.jsonl")
    return result


def write_bundle(url: str, workdir: Path, bundle: Path) -> None:
    from projections.audit_checkpoints import Signer
    from projections.export import write_bundle as write
    from web.database import with_search_path

    signer = Signer(workdir / "signing-key.pem", "bench.thidua")
    with psycopg.connect(with_search_path(url, "views")) as conn:
        write(conn, signer, bundle)


def as_of_latency(url: str, workdir: Path, samples: int = 200) -> dict[str, Any]:
    from domain.store import history
    from web.database import with_search_path

    services = services_for(url, workdir)
    rnd = random.Random(7)
    try:
        app = services.app
        head = services.runner.head()
        with psycopg.connect(with_search_path(url, "views")) as conn:
            # The first year's busiest sheet and largest group: at scale 10 the oldest state,
            # with nine years of events recorded after it.
            sheet = conn.execute("SELECT id, year FROM eval_sheets ORDER BY year, version DESC, "
                                 "id LIMIT 1").fetchone()
            assert sheet is not None, "the generated year has score sheets"
            group = conn.execute("SELECT g.id, g.year FROM groups g JOIN group_members m ON "
                                 "m.group_id = g.id WHERE g.year = %s GROUP BY g.id, g.year "
                                 "ORDER BY count(*) DESC, g.id LIMIT 1", (sheet[1],)).fetchone()
            assert group is not None, "the sheet's year has groups"
            born = conn.execute("SELECT min(notification_id) FROM public.thidua_events WHERE "
                                "originator_id = %s", (sheet[0],)).fetchone()
        first = int(born[0]) if born and born[0] else 1
        timings: dict[str, list[float]] = {"group": [], "sheet": []}
        for _ in range(samples):
            # a moment when both existed (the year's groups are formed before its sheets)
            position = rnd.randint(first, head)
            started = time.perf_counter()
            found_group = history.group_at(app, group[1], str(group[0]), position)
            timings["group"].append(time.perf_counter() - started)
            started = time.perf_counter()
            found_sheet = history.state_at(app, str(sheet[0]), position)
            timings["sheet"].append(time.perf_counter() - started)
            if found_group is None or found_sheet is None:
                raise RuntimeError(f"as-of read found nothing at position {position}")
        return {k: percentiles(v) for k, v in timings.items()}
    finally:
        services.close()


# -- ingest over HTTP ---------------------------------------------------------------------------
def measure_ingest(url: str, workdir: Path, clients: int, per_client: int) -> dict[str, Any]:
    """A real server (gunicorn) and `clients` concurrent clients writing and submitting score
    sheets, beside the same number of single-row transactions by as many threads."""
    from bench.ingest import ingest_setup

    services = services_for(url, workdir)
    try:
        say("  preparing a fresh cycle and one token per scoring unit")
        work = ingest_setup(services.app, clients * per_client)
    finally:
        services.close()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "THIDUA_DATA_DIR": str(workdir),
           "THIDUA_POOL_SIZE": "4", "THIDUA_POOL_OVERFLOW": "4"}
    log = (workdir / "gunicorn.log").open("wb")
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "-w", "4", "--threads", "4", "-b",
                               f"127.0.0.1:{port}", "web:create_app()"], cwd=ROOT, env=env,
                              stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/health")
        latencies: list[float] = []
        failures: list[int] = []
        lock = threading.Lock()
        barrier = threading.Barrier(clients + 1)
        queues = [work[i::clients] for i in range(clients)]

        def client(items: list[dict[str, Any]]) -> None:
            session = requests.Session()
            mine, bad = [], []
            barrier.wait()
            for item in items:
                headers = {"Authorization": f"Bearer {item['token']}"}
                started = time.perf_counter()
                r = session.put(base + "/evaluation/sheets", json=item["body"], headers=headers,
                                timeout=60)
                if r.status_code >= 300:
                    bad.append(r.status_code)
                    continue
                s = session.post(f"{base}/evaluation/sheets/{r.json()['id']}/submit", json={},
                                 headers=headers, timeout=60)
                mine.append(time.perf_counter() - started)
                if s.status_code >= 300:
                    bad.append(s.status_code)
            with lock:
                latencies.extend(mine)
                failures.extend(bad)

        threads = [threading.Thread(target=client, args=(q,)) for q in queues]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    submissions = len(latencies)
    writes = 2 * submissions
    thidua = {"submissions": submissions, "write_requests": writes, "failures": len(failures),
              "failure_statuses": sorted(set(failures)), "seconds": elapsed,
              "submissions_per_second": submissions / elapsed,
              "per_second": writes / elapsed, **percentiles(latencies)}
    say(f"  raw: {writes} single-row transactions by {clients} threads")
    return {"ingest": thidua, "ingest_raw": raw.single_row_transactions(url, writes, clients)}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise TimeoutError(url)


# -- report -------------------------------------------------------------------------------------
def ratios(r: dict[str, Any]) -> list[tuple[str, str, str, float, float]]:
    """(measure, thidua, raw limit, ratio, target) rows."""
    rows = []
    s1 = r["scale_1"]
    if "ingest" in s1:
        rows.append(("1 ingest over HTTP (writes/s)", f"{s1['ingest']['per_second']:.0f}",
                     f"{s1['ingest_raw']['per_second']:.0f}",
                     s1["ingest"]["per_second"] / s1["ingest_raw"]["per_second"],
                     TARGETS["ingest"]))
    rows.append(("2 rebuild of every view (events/s)", f"{s1['rebuild']['per_second']:.0f}",
                 f"{s1['rebuild_raw']['per_second']:.0f}",
                 s1["rebuild"]["per_second"] / s1["rebuild_raw"]["per_second"],
                 TARGETS["rebuild"]))
    for kind in ("jsonl", "csv"):
        rows.append((f"3 audit export {kind.upper()} (rows/s)",
                     f"{s1[f'export_{kind}']['per_second']:.0f}",
                     f"{s1['export_raw']['per_second']:.0f}",
                     s1[f"export_{kind}"]["per_second"] / s1["export_raw"]["per_second"],
                     TARGETS["export"]))
    rows.append(("4 verification (lines/s)", f"{s1['verify']['per_second']:.0f}",
                 f"{s1['verify_raw']['per_second']:.0f}",
                 s1["verify"]["per_second"] / s1["verify_raw"]["per_second"],
                 TARGETS["verify"]))
    return rows


def print_report(r: dict[str, Any]) -> None:
    print("\nthidua benchmark", r["date"], "commit", r["commit"][:10])
    print(f"machine: {r['machine']['cpus']} cpus, {r['machine']['memory_gib']} GiB, "
          f"PostgreSQL {r['machine']['postgres']}")
    for key in sorted(k for k in r if k.startswith("scale_")):
        print(f"{key}: {r[key]['events']} events, generated in "
              f"{r[key]['generate_seconds']:.0f}s")
    print(f"\n{'measure':40} {'thidua':>10} {'raw limit':>10} {'ratio':>7} {'target':>7}")
    for name, ours, limit, ratio, target in ratios(r):
        mark = "met" if ratio >= target else "MISSED"
        print(f"{name:40} {ours:>10} {limit:>10} {ratio:>7.1%} {target:>6.0%}  {mark}")
    s1 = r["scale_1"]
    if "ingest" in s1:
        i = s1["ingest"]
        print(f"  ingest: {i['submissions_per_second']:.0f} submissions/s (write + submit), "
              f"p50 {i['p50_ms']:.1f} ms, p99 {i['p99_ms']:.1f} ms, {i['failures']} failures")
    print("\npeak RSS (MiB)        scale 1" + ("      scale 10   ratio" if "scale_10" in r
                                              else ""))
    for task in ("rebuild", "export_jsonl", "export_csv", "verify"):
        line = f"  {task:18} {s1[task]['peak_mib']:>8.0f}"
        if "scale_10" in r:
            big = r["scale_10"][task]["peak_mib"]
            line += f"   {big:>8.0f}   {big / s1[task]['peak_mib']:.2f} (target ≤ 1.2)"
        print(line)
    print("\nas-of p50 (ms)        scale 1" + ("      scale 10" if "scale_10" in r else ""))
    for what in ("group", "sheet"):
        line = f"  {what:18} {s1['as_of'][what]['p50_ms']:>8.2f}"
        if "scale_10" in r:
            line += f"   {r['scale_10']['as_of'][what]['p50_ms']:>8.2f}"
        print(line)


def machine(url: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"platform": platform.platform(), "python": platform.python_version(),
            "cpus": os.cpu_count(), "memory_gib": round(memory, 1), "postgres": version,
            "database": "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded"}


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    return out.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", type=int, default=1, choices=(1, 10))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=40)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the server and generated databases here")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database generated earlier in --workdir")
    args = parser.parse_args()
    if args.reuse and args.workdir is None:
        parser.error("--reuse needs --workdir (where the earlier run kept its databases)")
    keep = args.workdir is not None
    workdir = args.workdir.resolve() if keep else Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url, server = server_url(workdir)
    report: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                              "commit": commit(), "machine": machine(url), "seed": args.seed}
    try:
        for scale in sorted({1, args.scale}):
            name = f"thidua_bench_s{scale}"
            earlier = (generated_earlier(url, name, scale, args.seed)
                       if args.reuse and scale != 1 else None)
            if earlier is not None:
                say(f"scale {scale}: reusing the {earlier['events']} events generated earlier")
                db, part = database_for(url, name), earlier
                part["reused"] = True
            else:
                db = fresh_database(url, name)
                part = build(db, workdir, scale, args.seed)
                if scale != 1:
                    mark_generated(db, scale, args.seed, part)
            say(f"scale {scale}: measuring")
            part.update(measure_store(db, workdir))
            part["as_of"] = as_of_latency(db, workdir)
            if scale == 1:
                part.update(measure_ingest(db, workdir, args.clients, args.per_client))
            report[f"scale_{scale}"] = part
    finally:
        if server is not None:
            server.cleanup()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report["ratios"] = [{"measure": n, "thidua": a, "raw": b, "ratio": round(x, 4),
                         "target": t, "met": x >= t} for n, a, b, x, t in ratios(report)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{report['date'][:10]}-scale{args.scale}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    print_report(report)
    print(f"\nresults: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
