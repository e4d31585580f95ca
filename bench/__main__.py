"""`make bench`: thidua measured beside a reference in the same run, on each server.

    python -m bench [--scale 1|10] [--servers embedded,tcp] [--clients 16] [--workdir DIR [--reuse]]

Each server (the embedded PostgreSQL, and the one at --tcp-url over TCP when it answers) gets
a synthetic national year generated through the real domain, then: the rebuild of every view
beside a plain read + decode of the events; the audit export (JSONL, CSV) beside COPY; the
offline verification beside sha256sum; as-of reads; the ingest over HTTP (gunicorn 4×4, 16
clients writing and submitting sheets) beside a same-stack floor (bench/floor.py: Flask +
marshmallow + psycopg doing one token lookup and one committed row per request, same gunicorn
settings, clients and requests) and beside raw single-row commits; and the deadline day (every
sheet of a national cycle written, submitted, approved where needed and sent by the same
clients). Results: a table on the terminal and a JSON file under bench/results/. Durability
settings are never touched.
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
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.sql import SQL, Identifier

from bench import load, raw
from bench.raw import percentiles

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TCP_URL = "postgresql://postgres@127.0.0.1:5432/test"
# thidua ÷ its reference, at least (or, for CEILINGS, scale 10 ÷ scale 1, at most)
TARGETS = {"ingest": 0.70, "rebuild": 0.25, "export_csv": 0.40, "export_jsonl": 0.50,
           "verify": 0.50, "memory": 1.2, "as_of": 1.1}
CEILINGS = {"memory", "as_of"}
EPILOG = """\
Scale 1 is measured always; --scale 10 also generates ten years (about 50 minutes on 2
cores, per server) and compares peak memory and as-of latency with scale 1. With --workdir
DIR the embedded server and its databases are kept in DIR; --reuse then measures the ten
years generated there earlier with the same seed (the scale-1 database, which the ingest and
the deadline day write into, is always generated afresh). On the TCP server every database
is made fresh and dropped at the end.

Targets: ingest ÷ floor ≥ 0.70; rebuild ÷ read+decode ≥ 0.25; CSV export ÷ COPY ≥ 0.40;
JSONL export ÷ COPY ≥ 0.50; verification ÷ sha256sum ≥ 0.50; peak RSS scale 10 ÷ scale 1
≤ 1.2; as-of p50 scale 10 ÷ scale 1 ≤ 1.1.
"""


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


def build(url: str, workdir: Path, scale: int, seed: int,
          provinces: int | None = None) -> dict[str, Any]:
    from domain.sample.generator import generate

    services = services_for(url, workdir)
    try:
        say(f"scale {scale}: generating {scale} year(s) through the domain")
        started = time.perf_counter()
        counts = generate(services.app, years=scale, seed=seed, provinces=provinces,
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
def measure_ingest(url: str, workdir: Path, clients: int, per_client: int,
                   floor_db: str) -> dict[str, Any]:
    """A real server (gunicorn) and `clients` concurrent clients writing and submitting score
    sheets; then the same-stack floor (bench/floor.py) under the same gunicorn settings, with
    the same clients, bodies and tokens; then as many single-row transactions by as many
    threads."""
    from bench import floor
    from bench.ingest import ingest_setup, one_submission

    services = services_for(url, workdir)
    try:
        say("  preparing a fresh cycle and one token per scoring unit")
        work = ingest_setup(services.app, clients * per_client)
    finally:
        services.close()
    with load.gunicorn("web:create_app()", thidua_env(url, workdir),
                       workdir / "gunicorn.log") as base:
        thidua = load.drive(base, work, clients, one_submission)
    say(f"  floor: the same {len(work)} submissions to a Flask + marshmallow + psycopg service")
    floor.prepare(floor_db, {(w["token"], w["unit"]) for w in work})
    with load.gunicorn("bench.floor:create_app()", {"FLOOR_DATABASE_URL": floor_db},
                       workdir / "gunicorn-floor.log") as base:
        same_stack = load.drive(base, work, clients, one_submission)
    writes = thidua["requests_ok"]
    say(f"  raw: {writes} single-row transactions by {clients} threads")
    return {"ingest": thidua, "ingest_floor": same_stack,
            "ingest_raw": raw.single_row_transactions(url, writes, clients)}


def thidua_env(url: str, workdir: Path) -> dict[str, str]:
    return {"DATABASE_URL": url, "THIDUA_DATA_DIR": str(workdir),
            "THIDUA_POOL_SIZE": "4", "THIDUA_POOL_OVERFLOW": "4"}


def measure_deadline(url: str, workdir: Path, clients: int, like: int) -> dict[str, Any]:
    """Every sheet of a national cycle written, submitted, approved where needed and sent, by
    `clients` clients against gunicorn: seconds to the last one."""
    from bench.deadline import deadline_setup, one_sheet

    services = services_for(url, workdir)
    try:
        say("  deadline day: a fresh cycle, an officer per scoring unit, leaders in charge")
        setup = deadline_setup(services.app, like)
    finally:
        services.close()
    work = setup.pop("work")
    say(f"  deadline day: {len(work)} sheets by {clients} clients")
    with load.gunicorn("web:create_app()", thidua_env(url, workdir),
                       workdir / "gunicorn-deadline.log") as base:
        result = load.drive(base, work, clients, one_sheet)
    return {"deadline": {**setup, **result}}


# -- report -------------------------------------------------------------------------------------
def met(key: str, ratio: float) -> bool:
    return ratio <= TARGETS[key] if key in CEILINGS else ratio >= TARGETS[key]


def ratios(part: dict[str, Any]) -> list[tuple[str, str, str, float | None, str | None]]:
    """(measure, thidua, reference, ratio, target key) rows of one server."""
    rows: list[tuple[str, str, str, float | None, str | None]] = []
    s1 = part["scale_1"]

    def row(name: str, ours: float, ref: float, key: str | None, fmt: str = "{:.0f}") -> None:
        rows.append((name, fmt.format(ours), fmt.format(ref), ours / ref if ref else None, key))

    if "ingest" in s1:
        ours = s1["ingest"]["per_second"]
        row("ingest ÷ floor (writes/s)", ours, s1["ingest_floor"]["per_second"], "ingest")
        row("ingest ÷ raw single-row commits/s", ours, s1["ingest_raw"]["per_second"], None)
    if "deadline" in s1:
        d = s1["deadline"]
        rows.append((f"deadline day: {d['sheets']} sheets (s)", f"{d['seconds']:.1f}", "-",
                     None, None))
    row("rebuild ÷ read+decode (events/s)", s1["rebuild"]["per_second"],
        s1["rebuild_raw"]["per_second"], "rebuild")
    row("audit export CSV ÷ COPY (rows/s)", s1["export_csv"]["per_second"],
        s1["export_raw"]["per_second"], "export_csv")
    row("audit export JSONL ÷ COPY (rows/s)", s1["export_jsonl"]["per_second"],
        s1["export_raw"]["per_second"], "export_jsonl")
    row("verification ÷ sha256sum (lines/s)", s1["verify"]["per_second"],
        s1["verify_raw"]["per_second"], "verify")
    s10 = part.get("scale_10")
    if s10 is None:
        rows.append(("peak RSS scale 10 ÷ scale 1", "-", "-", None, "memory"))
        rows.append(("as-of p50 scale 10 ÷ scale 1", "-", "-", None, "as_of"))
        return rows
    for task in ("rebuild", "export_jsonl", "export_csv", "verify"):
        row(f"peak RSS {task} s10 ÷ s1 (MiB)", s10[task]["peak_mib"], s1[task]["peak_mib"],
            "memory")
    for what in ("group", "sheet"):
        row(f"as-of p50 {what} s10 ÷ s1 (ms)", s10["as_of"][what]["p50_ms"],
            s1["as_of"][what]["p50_ms"], "as_of", "{:.2f}")
    return rows


def target_text(key: str | None) -> str:
    if key is None:
        return "-"
    return f"{'≤' if key in CEILINGS else '≥'} {TARGETS[key]:.2f}"


def print_report(r: dict[str, Any]) -> None:
    print("\nthidua benchmark", r["date"], "commit", r["commit"][:10])
    m = r["machine"]
    print(f"machine: {m['cpus']} cpus, {m['memory_gib']} GiB, Python {m['python']}")
    for server, part in r["servers"].items():
        print(f"\n== {server}: PostgreSQL {part['postgres']} ({part['where']})")
        for key in sorted(k for k in part if k.startswith("scale_")):
            print(f"{key}: {part[key]['events']} events, generated in "
                  f"{part[key]['generate_seconds']:.0f}s")
        print(f"{'measure':38} {'thidua':>9} {'reference':>10} {'ratio':>7} {'target':>7}  met")
        for name, ours, ref, ratio, key in ratios(part):
            shown = "-" if ratio is None else f"{ratio:.3f}"
            ok = "-" if ratio is None or key is None else ("yes" if met(key, ratio) else "no")
            print(f"{name:38} {ours:>9} {ref:>10} {shown:>7} {target_text(key):>7}  {ok}")
        s1 = part["scale_1"]
        if "ingest" in s1:
            i, f = s1["ingest"], s1["ingest_floor"]
            print(f"  ingest: {i['items_per_second']:.0f} submissions/s (write + submit), "
                  f"p50 {i['item_p50_ms']:.1f} ms, p99 {i['item_p99_ms']:.1f} ms, "
                  f"{i['failures']} failures; floor {f['items_per_second']:.0f}/s, "
                  f"p50 {f['item_p50_ms']:.1f} ms, p99 {f['item_p99_ms']:.1f} ms, "
                  f"{f['failures']} failures")
        if "deadline" in s1:
            d = s1["deadline"]
            print(f"  deadline day: {d['items_done']}/{d['sheets']} sheets sent in "
                  f"{d['seconds']:.1f}s ({d['requests']} requests, {d['per_second']:.0f}/s); "
                  f"request p50 {d['p50_ms']:.1f} ms, p99 {d['p99_ms']:.1f} ms; sheet p50 "
                  f"{d['item_p50_ms']:.0f} ms, p99 {d['item_p99_ms']:.0f} ms; "
                  f"{d['failures']} failures {d['failure_statuses']}, {d['retries']} retries")
        print("  peak RSS (MiB), scale 1: " + ", ".join(
            f"{t} {s1[t]['peak_mib']:.0f}" for t in ("rebuild", "export_jsonl", "export_csv",
                                                    "verify")))
        print("  as-of p50 (ms), scale 1: " + ", ".join(
            f"{w} {s1['as_of'][w]['p50_ms']:.2f}" for w in ("group", "sheet")))


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"platform": platform.platform(), "python": platform.python_version(),
            "cpus": os.cpu_count(), "memory_gib": round(memory, 1)}


def postgres_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]


def answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    return out.stdout.strip() or "unknown"


# -- one server ---------------------------------------------------------------------------------
def measure_server(kind: str, url: str, workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Every measure on one server. On the embedded server (private to this run) the databases
    have fixed names, so --reuse can find a ten-year store again; on the TCP server (shared)
    they have names of their own and are dropped at the end."""
    prefix = "thidua_bench" if kind == "embedded" else f"thidua_bench_{os.getpid()}"
    part: dict[str, Any] = {"postgres": postgres_version(url),
                            "where": "embedded, unix socket" if kind == "embedded"
                            else f"{conninfo_to_dict(url).get('host', '?')} over TCP"}
    made: list[str] = []
    try:
        for scale in sorted({1, args.scale}):
            name = f"{prefix}_s{scale}"
            earlier = (generated_earlier(url, name, scale, args.seed)
                       if args.reuse and scale != 1 and kind == "embedded" else None)
            if earlier is not None:
                say(f"{kind} scale {scale}: reusing the {earlier['events']} events generated "
                    "earlier")
                db, scaled = database_for(url, name), earlier
                scaled["reused"] = True
            else:
                db = fresh_database(url, name)
                made.append(name)
                scaled = build(db, workdir, scale, args.seed, args.provinces)
                if scale != 1:
                    mark_generated(db, scale, args.seed, scaled)
            say(f"{kind} scale {scale}: measuring")
            scaled.update(measure_store(db, workdir))
            scaled["as_of"] = as_of_latency(db, workdir)
            if scale == 1:
                floor_db = fresh_database(url, f"{prefix}_floor")
                made.append(f"{prefix}_floor")
                scaled.update(measure_ingest(db, workdir, args.clients, args.per_client,
                                             floor_db))
                scaled.update(measure_deadline(db, workdir, args.clients,
                                               int(scaled["counts"]["first_year"])))
            part[f"scale_{scale}"] = scaled
    finally:
        if kind != "embedded":
            with psycopg.connect(url, autocommit=True) as conn:
                for name in made:
                    conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                                 .format(Identifier(name)))
    part["ratios"] = [{"measure": n, "thidua": a, "reference": b,
                       "ratio": None if x is None else round(x, 4),
                       "target": target_text(k), "met": None if x is None or k is None
                       else met(k, x)} for n, a, b, x, k in ratios(part)]
    return part


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    parser.add_argument("--scale", type=int, default=1, choices=(1, 10),
                        help="1: one generated year; 10: also ten years, for memory and as-of")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--clients", type=int, default=16,
                        help="concurrent HTTP clients (ingest, floor, deadline day)")
    parser.add_argument("--per-client", type=int, default=40,
                        help="ingest submissions per client")
    parser.add_argument("--servers", default=None,
                        help="embedded, tcp or embedded,tcp (default: both when the TCP "
                             "server answers, else embedded)")
    parser.add_argument("--tcp-url", default=None,
                        help="the TCP server (fresh databases are made there and dropped "
                             f"after; default: $DATABASE_URL, else {TCP_URL})")
    parser.add_argument("--provinces", type=int, default=None,
                        help="generate only this many provinces: a quick look at the bench "
                             "itself, figures not comparable (default: all 63)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the embedded server and its databases here")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the ten years generated earlier in --workdir "
                             "(embedded only)")
    args = parser.parse_args()
    if args.reuse and args.workdir is None:
        parser.error("--reuse needs --workdir (where the earlier run kept its databases)")
    args.tcp_url = args.tcp_url or os.environ.get("DATABASE_URL") or TCP_URL
    if args.servers is None:
        servers = ["embedded", "tcp"] if answers(args.tcp_url) else ["embedded"]
    else:
        servers = [s.strip() for s in args.servers.split(",") if s.strip()]
        if not servers or set(servers) - {"embedded", "tcp"}:
            parser.error("--servers is embedded, tcp or embedded,tcp")
        if "tcp" in servers and not answers(args.tcp_url):
            parser.error(f"the TCP server does not answer at {args.tcp_url}")
    keep = args.workdir is not None
    workdir = args.workdir.resolve() if keep else Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                              "commit": commit(), "machine": machine(), "seed": args.seed,
                              "clients": args.clients, "provinces": args.provinces or "all",
                              "gunicorn": f"{load.WORKERS}x"
                              f"{load.THREADS}", "servers": {}}
    try:
        for kind in servers:
            if kind == "embedded":
                from web.database import embedded_server

                server = embedded_server(workdir / "pg")
                try:
                    report["servers"][kind] = measure_server(kind, str(server.get_uri()),
                                                             workdir, args)
                finally:
                    if not keep:
                        server.cleanup()
            else:
                report["servers"][kind] = measure_server(kind, args.tcp_url, workdir, args)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{report['date'][:10]}-scale{args.scale}-{report['commit'][:7]}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    print_report(report)
    print(f"\nresults: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
