"""make bench: a caseload per engine, every measurement, one table (docs/benchmarks.md) and the load
test (docs/load.md).

    python -m bench.run [--children 100000] [--databases sqlite postgres] [--no-load]

Each engine has its own bench database, never the project's: var/bench/closewell-bench.sqlite3 and
the PostgreSQL database closewell_bench (BENCH_POSTGRES_URL), created here when absent and reused
when it already holds the caseload (generating 100,000 children takes 10-20 minutes). Measurements
run in subprocesses, one engine at a time, so each sees its own DATABASE_URL.

PostgreSQL runs as production does: sessions in Redis when Redis answers at REDIS_URL (default
redis://127.0.0.1:6379/9, a database number of the bench's own), else in the database, as SQLite always
has them (the embedded default). Page throughput is measured over HTTP with wrk (bench.throughput),
when wrk is installed.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

from . import census, report, ssd, throughput
from .load.profiles import PROFILES

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PY = sys.executable
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/closewell_bench")
LOCUST = os.environ.get("BENCH_LOCUST", str(ROOT / ".venv-bench" / "bin" / "locust"))
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
FORBIDDEN_DBS = {"test", "closewell", "postgres", "template0", "template1"}


def log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --- Databases ---------------------------------------------------------------------------------------


def db_url(engine: str, name: str = "closewell-bench") -> str:
    if engine == "sqlite":
        return f"sqlite:///{VAR / (name + '.sqlite3')}"
    parts = urlsplit(POSTGRES_URL)
    base = parts.path.lstrip("/")
    db = base if name == "closewell-bench" else f"{base}_{name.split('-')[-1]}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def _pg_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if name in FORBIDDEN_DBS or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"Refusing to use the database {name!r} for benchmarks.")
    return name


def create_db(url: str, *, fresh: bool) -> None:
    """A bench database that exists (dropped first when fresh). Never the project's or the tests'."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        if path.resolve().parent != VAR.resolve():
            raise SystemExit(f"Refusing to use {path} for benchmarks.")
        VAR.mkdir(parents=True, exist_ok=True)
        if fresh and path.exists():
            path.unlink()
        return
    import psycopg

    name = _pg_name(url)
    if fresh:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        _pg_admin(url, f'CREATE DATABASE "{name}"')
    except psycopg.errors.DuplicateDatabase:
        pass


def drop_db(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{_pg_name(url)}" WITH (FORCE)')


@cache
def redis_answers(url: str = REDIS_URL) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except (redis.RedisError, OSError):
        log(f"Redis does not answer at {url}: PostgreSQL runs with sessions in the database")
        return False


def env_for(url: str) -> dict:
    """A bench process's environment: its database, and on PostgreSQL production's sessions in Redis
    (when Redis answers); SQLite keeps the embedded default, sessions in the database."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if url.startswith("postgres") and redis_answers():
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(env: dict, *args: str, capture: bool = True) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=capture, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-4000:]}")
    return result.stdout or ""


def generated_children(env: dict) -> int:
    code = (
        "import django; django.setup(); from closewell.cases.models import Child; "
        "print(Child.objects.filter(la_child_id__startswith='GEN').count())"
    )
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def ensure_caseload(
    engine: str, children: int, *, fresh: bool, name: str = "closewell-bench"
) -> tuple[dict, int, float | None]:
    url = db_url(engine, name)
    create_db(url, fresh=fresh)
    env = env_for(url)
    manage(env, "migrate", "--noinput", "-v0")
    have = generated_children(env)
    seconds = None
    if have < children:
        log(f"{engine}: generating {children - have:,} children (holds {have:,})")
        start = time.monotonic()
        manage(
            env,
            "generate_caseload",
            "--children",
            str(children - have),
            "--seed",
            str(have + 1),
            capture=False,
        )
        seconds = time.monotonic() - start
        have = generated_children(env)
    else:
        log(f"{engine}: reusing {have:,} generated children")
    if engine == "postgres":
        # Bulk inserts leave the planner's statistics far behind (autovacuum lags on a busy machine):
        # without this it hash-joins whole tables for a 20-row prefetch. A live database is analysed.
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE")
    return env, have, seconds


# --- Measurements ------------------------------------------------------------------------------------


def measure(env: dict, args, *extra: str) -> dict:
    result = subprocess.run(
        [
            PY,
            "-m",
            "bench.measure",
            "--requests",
            str(args.requests),
            "--cases",
            str(args.cases),
            "--pdf-runs",
            str(args.pdf_runs),
            "--advice-runs",
            str(args.advice_runs),
            "--http-seconds",
            str(args.http_seconds),
            "--http-rounds",
            str(args.http_rounds),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench.measure failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def audit_appends(env: dict) -> dict:
    """Events per second from 1 and 8 connections, sealed design and the old shared lock (bench.audit)."""
    result = subprocess.run(
        [PY, "-m", "bench.audit"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"bench.audit failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def ssd_import(engine: str, args) -> dict:
    folder = ssd.ensure_extract(
        VAR / f"ssd-extract-{args.ssd_children}", args.ssd_children, env_for(db_url(engine))
    )
    scratch = db_url(engine, "ssd-scratch")
    create_db(scratch, fresh=True)
    env = env_for(scratch)
    try:
        manage(env, "migrate", "--noinput", "-v0")
        return ssd.run(folder=folder, env=env)
    finally:
        drop_db(scratch)


def _database_ms(env: dict) -> float:
    """PostgreSQL's own time executing statements in the bench database so far (pg_stat_database)."""
    import psycopg

    url = env["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT active_time FROM pg_stat_database WHERE datname = %s", (urlsplit(url).path.lstrip("/"),)
        ).fetchone()
    return float(row[0] or 0)


def load_profiles(engine: str, env: dict, children: int, args) -> dict:
    """A council's day for each profile (bench.load.profiles): its own caseload, its users, realistic
    think times. The large profile uses the main bench caseload when it is that size."""
    out = {}
    for name in args.profiles:
        profile = PROFILES[name]
        if profile["children"] == children:
            profile_env, have = env, children
        else:
            profile_env, have, _ = ensure_caseload(
                engine, profile["children"], fresh=args.fresh, name=f"closewell-bench-{name}"
            )
        log(f"{engine}: load test, {name} council: {profile['users']} users for {args.duration}s")
        out[name] = {
            **load(engine, profile_env, args, users=profile["users"], think=profile["think"], tag=name),
            "children": have,
            "profile": name,
        }
    return out


def spawn_rate(users: int, args) -> int:
    """People signing in per second: at least --spawn-rate, and fast enough that everyone is signed in
    within the first quarter of the run (1,000 people at 5 a second would take 200 s)."""
    return max(args.spawn_rate, -(-users // max(1, args.duration // 4)))


def load(engine: str, env: dict, args, *, users: int, think: tuple[float, float], tag: str) -> dict:
    """gunicorn on loopback against the bench database, with production's config/gunicorn.py (the app
    and the advice dictionaries loaded before the workers fork) and env's sessions (Redis on
    PostgreSQL, env_for); locust headless for a bounded time. Everyone signs in within the first
    quarter (spawn_rate); the figures, and the database's own time, count from the moment the last
    person has signed in: the locustfile resets locust's statistics then and leaves a mark."""
    plan = VAR / f"load-plan-{engine}-{tag}.json"
    subprocess.run(
        [PY, "-m", "bench.load.plan", str(plan)], cwd=ROOT, env=env, check=True, capture_output=True
    )
    workers = args.gunicorn_workers or (2 * (os.cpu_count() or 1) + 1)
    prefix = VAR / f"locust-{engine}-{tag}"
    mark = VAR / f"locust-{engine}-{tag}.signed-in"
    mark.unlink(missing_ok=True)
    with throughput.gunicorn(env, workers=workers, log=VAR / f"gunicorn-{engine}.log") as base:
        database_from = _database_ms(env)
        started = time.monotonic()
        signed_in_after = None
        swarm = subprocess.Popen(
            [
                LOCUST,
                "-f",
                str(ROOT / "bench" / "load" / "locustfile.py"),
                "--headless",
                "-H",
                base,
                "-u",
                str(users),
                "-r",
                str(spawn_rate(users, args)),
                "-t",
                f"{args.duration}s",
                "--csv",
                str(prefix),
                "--only-summary",
                # Locust's own reset, once every person is spawned; the locustfile resets again
                # when the last one has signed in (a sign-in takes a moment after the spawn).
                "--reset-stats",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "BENCH_LOAD_PLAN": str(plan),
                "BENCH_THINK_MIN": str(think[0]),
                "BENCH_THINK_MAX": str(think[1]),
                "BENCH_SIGNED_IN_MARK": str(mark),
            },
        )
        while swarm.poll() is None:
            if signed_in_after is None and mark.exists():
                database_from = _database_ms(env)
                signed_in_after = time.monotonic() - started
            time.sleep(0.2)
        database_ms = _database_ms(env) - database_from
    if signed_in_after is None:
        log(f"{engine}: load test {tag}: not everyone had signed in when it ended; counted from the start")
    return {
        **report.locust_stats(Path(f"{prefix}_stats.csv")),
        "users": users,
        "think": list(think),
        "duration": args.duration,
        "gunicorn_workers": workers,
        "spawn_rate": spawn_rate(users, args),
        "signed_in_after": signed_in_after,
        "sessions": "Redis (REDIS_URL)" if env.get("REDIS_URL") else "the database",
        "database_ms": database_ms,
    }


# --- The machine ---------------------------------------------------------------------------------------


def machine(engines: list[str]) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except OSError:
        mem_kb = 0
    info = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    code = "import django; print(django.get_version())"
    info["django"] = subprocess.run(
        [PY, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    if "postgres" in engines:
        import psycopg

        with psycopg.connect(db_url("postgres")) as conn:
            info["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
    return info


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--fresh", action="store_true", help="Drop the bench databases and generate again.")
    parser.add_argument("--requests", type=int, default=200, help="Requests per page measured in process.")
    parser.add_argument(
        "--http-seconds",
        type=float,
        default=5,
        help="Each page's wrk run over HTTP, a round (0 skips HTTP).",
    )
    parser.add_argument("--http-rounds", type=int, default=3, help="Interleaved rounds of wrk runs.")
    parser.add_argument("--cases", type=int, default=40, help="Cases sampled across the caseload.")
    parser.add_argument("--pdf-runs", type=int, default=20)
    parser.add_argument("--advice-runs", type=int, default=50)
    parser.add_argument("--ssd-children", type=int, default=2000, help="Children in the SSD extract.")
    parser.add_argument("--no-load", action="store_true", help="Skip the locust load test.")
    parser.add_argument(
        "--search-children",
        type=int,
        default=PROFILES["large"]["children"],
        help="Child search is measured again at this size (the large preset) when --children differs; "
        "0 skips it.",
    )
    parser.add_argument(
        "--profiles", nargs="*", default=list(PROFILES), choices=list(PROFILES), help="Load test profiles."
    )
    parser.add_argument("--spawn-rate", type=int, default=5)
    parser.add_argument(
        "--duration",
        type=int,
        default=180,
        help="Seconds of load test a profile (everyone signs in during the first quarter).",
    )
    parser.add_argument("--gunicorn-workers", type=int, default=0)
    parser.add_argument("--docs", default=str(ROOT / "docs"), help="Where benchmarks.md and load.md go.")
    parser.add_argument(
        "--load-only", action="store_true", help="Only the load test, into var/bench/results.json."
    )
    parser.add_argument(
        "--report-only", action="store_true", help="Write the docs again from var/bench/results.json."
    )
    args = parser.parse_args(argv)
    if args.report_only:
        write_docs(json.loads((VAR / "results.json").read_text()), Path(args.docs))
        return
    if args.load_only:
        # The load test again (its profiles, on PostgreSQL) into the last run's results, the rest kept.
        results = json.loads((VAR / "results.json").read_text())
        results["load_machine"] = machine(["postgres"])
        env, children, _ = ensure_caseload("postgres", args.children, fresh=False)
        engine = results["engines"].setdefault("postgres", {"children": children})
        engine.setdefault("load", {}).update(load_profiles("postgres", env, children, args))
        (VAR / "results.json").write_text(json.dumps(results, indent=2, default=str))
        write_docs(results, Path(args.docs))
        return

    results = {"requested_children": args.children, "engines": {}}
    results["machine"] = machine(args.databases) if "postgres" not in args.databases else None
    for engine in args.databases:
        env, children, gen_seconds = ensure_caseload(engine, args.children, fresh=args.fresh)
        if results["machine"] is None:
            results["machine"] = machine(args.databases)
        r = {"children": children, "generate_seconds": gen_seconds}
        log(
            f"{engine}: pages (in process and over HTTP), search, PDF, advice; sessions in "
            + ("Redis" if env.get("REDIS_URL") else "the database")
        )
        r.update(measure(env, args))
        if "skipped" in r.get("http", {}):
            log(f"{engine}: page throughput over HTTP not measured: {r['http']['skipped']}")
        if args.search_children and args.search_children != children:
            # Search time grows with the caseload: the target is at a large council's size.
            large_env, have, _ = ensure_caseload(
                engine, args.search_children, fresh=args.fresh, name="closewell-bench-large"
            )
            log(f"{engine}: child search at {have:,} children")
            r["search_large"] = {**measure(large_env, args, "--search-only")["search"], "children": have}
        log(f"{engine}: CIN census export")
        r["census"] = census.run(env=env, output=VAR / f"census-{engine}.xml")
        log(f"{engine}: SSD import")
        r["ssd"] = ssd_import(engine, args)
        if engine == "postgres":  # SQLite has one writer at a time, whatever the design
            log(f"{engine}: audit appends from 1 and 8 connections")
            r["audit"] = audit_appends(env)
        if engine == "postgres" and not args.no_load and shutil.which(LOCUST):
            r["load"] = load_profiles(engine, env, children, args)
        results["engines"][engine] = r
        (VAR / "results.json").write_text(json.dumps(results, indent=2, default=str))
    write_docs(results, Path(args.docs))


def write_docs(results: dict, docs: Path) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    table = report.benchmarks_md(results)
    (docs / "benchmarks.md").write_text(table)
    print(table)
    if any("load" in r for r in results["engines"].values()):
        (docs / "load.md").write_text(report.load_md(results))
        print(report.load_md(results))


if __name__ == "__main__":
    main()
