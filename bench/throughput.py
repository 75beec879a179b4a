"""Page throughput over HTTP, as issue 22 measured it: wrk (2 threads, 8 connections) against gunicorn
started with config/gunicorn.py and 4 workers, each page's requests a second against /bench/hello/ (the
full middleware, signed in), and hello's against a bare Django hello (bench.settings_bare: no middleware,
no database) served by a second gunicorn with the same config, all in interleaved rounds.

Runs inside Django (bench.settings) on the bench database: the users are signed in here, so their
sessions are real server-side ones (in the database, or in Redis with REDIS_URL, as the servers have
them), and wrk sends their cookies, rotating over several (path, cookie) pairs a page. Any answer that
is not 2xx stops the bench: a redirect to the sign-in page would make a fast, fake page.

    DATABASE_URL=postgres://…/closewell_bench_average REDIS_URL=redis://127.0.0.1:6379/9 \\
        python -m bench.throughput --seconds 5 --rounds 3
"""

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
THREADS, CONNECTIONS, WORKERS = 2, 8, 4
BARE = "bare"


def wrk_path() -> str | None:
    """wrk from BENCH_WRK or the PATH (Debian's package installs /usr/bin/wrk); None when absent."""
    return os.environ.get("BENCH_WRK") or shutil.which("wrk")


# --- wrk: its script and its output (pure) ------------------------------------------------------------


def _lua_string(text: str) -> str:
    if not text.isascii() or not text.isprintable():
        raise ValueError(f"not a plain ASCII path or cookie: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lua_script(pairs: list[tuple[str, str]]) -> str:
    """A wrk script that sends GETs rotating over (path, cookie) pairs (each thread starting at its
    own place) and, when the run is done, prints one line `BENCH {json}`: requests, duration, wrk's
    latency percentiles, socket errors and the answers that were not 2xx (wrk itself counts only
    4xx and 5xx, so a redirect to the sign-in page would pass unseen)."""
    if not pairs:
        raise ValueError("no (path, cookie) pairs")
    rows = "\n".join(f"  {{{_lua_string(path)}, {_lua_string(cookie)}}}," for path, cookie in pairs)
    return f"""-- Written by bench/throughput.py for one page.
local targets = {{
{rows}
}}
local threads = {{}}
local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  formatted = {{}}
  for n, target in ipairs(targets) do
    local headers = {{}}
    if target[2] ~= "" then headers["Cookie"] = target[2] end
    formatted[n] = wrk.format("GET", target[1], headers)
  end
  i = id % #formatted
  non_2xx = 0
  non_2xx_status = 0
end

function request()
  i = i % #formatted + 1
  return formatted[i]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    non_2xx_status = status
  end
end

function done(summary, latency, requests)
  local bad, status = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non_2xx")
    if thread:get("non_2xx_status") ~= 0 then status = thread:get("non_2xx_status") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {{"requests": %.0f, "duration_us": %.0f, "non_2xx": %.0f, "non_2xx_status": %.0f, ' ..
    '"errors": {{"connect": %.0f, "read": %.0f, "write": %.0f, "timeout": %.0f}}, ' ..
    '"latency_us": {{"p50": %.0f, "p90": %.0f, "p99": %.0f, "mean": %.0f, "max": %.0f}}}}\\n',
    summary.requests, summary.duration, bad, status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def parse_wrk(output: str) -> dict:
    """The figures of one wrk run from its output (the script's BENCH line), with requests a second."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            run = json.loads(line.removeprefix("BENCH "))
            run["rps"] = run["requests"] / (run["duration_us"] / 1e6) if run["duration_us"] else 0.0
            return run
    raise ValueError(f"no BENCH line in wrk's output:\n{output[-2000:]}")


def summarise(runs: list[dict]) -> dict:
    """One page's rounds: requests a second over all of them (requests / seconds), each round's rate,
    the median of the rounds' latency percentiles in ms, and the non-2xx answers and socket errors."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    errors = {kind: sum(r["errors"][kind] for r in runs) for kind in runs[0]["errors"]}
    return {
        "rps": requests / seconds if seconds else 0.0,
        "rounds_rps": [round(r["rps"], 1) for r in runs],
        "requests": requests,
        "seconds": seconds,
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "errors": errors,
        "latency_ms": {
            q: statistics.median(r["latency_us"][q] for r in runs) / 1000 for q in ("p50", "p90", "p99")
        },
    }


def ratios(pages: dict) -> dict:
    """Each page's rate as a share of hello's, and hello's as a share of the bare hello's."""
    hello = pages["hello"]["rps"]
    out = {key: p["rps"] / hello for key, p in pages.items() if key not in ("hello", BARE) and hello}
    if BARE in pages and pages[BARE]["rps"]:
        out["hello_vs_bare"] = hello / pages[BARE]["rps"]
    return out


def non_2xx_error(key: str, run: dict) -> str | None:
    """The message that stops the bench when a page answered anything but 2xx, else None."""
    if not run["non_2xx"]:
        return None
    return (
        f"{key}: {run['non_2xx']:,} of {run['requests']:,} answers were not 2xx (the last "
        f"{run['non_2xx_status']}): a redirect to the sign-in page or an error page is not the page"
    )


# --- The servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(base: str, path: str, cookie: str = "", timeout: float = 30) -> int:
    """The status of one GET, redirects not followed."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(
    env: dict, *, workers: int, log: Path, ready: str = "/healthz", timeout: int = 120
) -> Iterator[str]:
    """gunicorn on a free loopback port with production's config/gunicorn.py (the app preloaded, the
    advice dictionaries loaded before the workers fork), the settings and database env names; yields
    its base URL once `ready` answers, and stops it (SIGTERM) afterwards."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                str(ROOT / "config" / "gunicorn.py"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                str(timeout),
                "--log-level",
                "warning",
                # The default control socket is one path per user, shared with any other gunicorn here.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    get(base, ready, timeout=5)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"gunicorn did not start; its log: {log}") from None
                    time.sleep(0.5)
            yield base
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def server_env(settings_module: str) -> dict:
    """This process's environment for a server: its settings module, and this process's own database,
    Redis and secret key, so the sessions made here are the ones the server reads."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "PYTHONPATH": str(ROOT)}
    env["SECRET_KEY"] = settings.SECRET_KEY
    env["DATABASE_URL"] = database_url(connection.settings_dict)
    env.pop("REDIS_URL", None)
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    return env


def database_url(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def sessions_label() -> str:
    """Where this process's sessions live (and with them the servers')."""
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache" and settings.REDIS_URL:
        return "Redis (REDIS_URL)"
    return "the database"


# --- The measurement ------------------------------------------------------------------------------------


def wrk(base: str, pairs: list[tuple[str, str]], seconds: float, *, wrk_bin: str) -> dict:
    """One wrk run of `seconds` over the pairs."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(pairs))
    try:
        result = subprocess.run(
            [
                wrk_bin,
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(script.name)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return parse_wrk(result.stdout)


def check(base: str, key: str, pairs: list[tuple[str, str]]) -> None:
    """Every (path, cookie) pair once before timing: anything but 200 names the path that gave it."""
    for path, cookie in pairs:
        status = get(base, path, cookie)
        if status != 200:
            raise RuntimeError(f"{key}: GET {path} answered {status}, not 200 (signed in: {bool(cookie)})")


def run(
    targets: dict[str, list[tuple[object, str]]],
    cookie: Callable[[object], str],
    *,
    seconds: float = 5,
    rounds: int = 3,
    workers: int = WORKERS,
    log_dir: Path = VAR,
) -> dict:
    """Requests a second of /bench/bare/ (on a server with no middleware), /bench/hello/ and every page
    of `targets` (key: [(user, path)]; "hello" among them), in `rounds` interleaved rounds of `seconds`
    each, with the cookie(user) of each pair. Returns the figures, or why they were not measured."""
    wrk_bin = wrk_path()
    rounds = max(1, rounds)
    config = {
        "wrk": f"-t{THREADS} -c{CONNECTIONS}",
        "seconds": seconds,
        "rounds": rounds,
        "gunicorn_workers": workers,
        "sessions": sessions_label(),
    }
    if not wrk_bin:
        return {"config": config, "skipped": "wrk is not installed (Debian: apt-get install wrk)"}
    pairs = {key: [(path, cookie(user)) for user, path in found] for key, found in targets.items()}
    order = [BARE, "hello", *(key for key in pairs if key != "hello")]
    runs = {key: [] for key in order}
    with (
        gunicorn(
            server_env("bench.settings_bare"),
            workers=workers,
            log=log_dir / "gunicorn-bare.log",
            ready="/bench/bare/",
        ) as bare,
        gunicorn(server_env("bench.settings"), workers=workers, log=log_dir / "gunicorn-pages.log") as full,
    ):
        pairs[BARE] = [("/bench/bare/", "")]
        base = {key: bare if key == BARE else full for key in order}
        for key in order:
            check(base[key], key, pairs[key])
        for _ in range(rounds):
            for key in order:
                measured = wrk(base[key], pairs[key], seconds, wrk_bin=wrk_bin)
                if error := non_2xx_error(key, measured):
                    raise RuntimeError(error)
                runs[key].append(measured)
    pages = {key: {**summarise(found), "pairs": len(pairs[key])} for key, found in runs.items()}
    return {"config": config, "pages": pages, "ratios": ratios(pages)}


def main(argv=None) -> dict:
    """This module alone, on DATABASE_URL's bench database: `python -m bench.throughput`."""
    # An entry point of its own: Django is set up here, and only then are the models imported.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from . import pages
    from .common import bench_users

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5, help="Each page's wrk run, a round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args(argv)
    clients = pages.Clients()
    found = pages.targets(cases=args.cases, officer=bench_users()["bench.officer"])
    return run(found, session_cookie(clients), seconds=args.seconds, rounds=args.rounds, workers=args.workers)


def session_cookie(clients) -> Callable[[object], str]:
    """The Cookie header of a user's signed-in test Client (pages.Clients): its server-side session."""

    def cookie(user) -> str:
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={clients(user).cookies[name].value}"

    return cookie


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout, indent=2)
