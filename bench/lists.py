"""The list pages side by side in one process: in-process ms per request (medians), this process's CPU
ms, the queries each page makes, and child search's p95 over the bench's realistic queries.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.lists [--requests 100]

Workers and managers are the generated `gen.*` users, the data officer `bench.officer` (bench_users).
Reads only: the queue shows whatever records the bench database holds."""

import argparse
import json
import os
import statistics
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import search  # noqa: E402
from bench.common import bench_users, percentile, timed  # noqa: E402


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def targets(users: dict, n_users: int = 10) -> dict:
    from closewell.accounts.models import Role, User
    from closewell.closures.models import ClosureRecord

    generated = [u for u in users.values() if u.username.startswith("gen.")]
    workers = sorted((u for u in generated if u.role == Role.SOCIAL_WORKER), key=lambda u: u.pk)
    managers = sorted((u for u in generated if u.role == Role.TEAM_MANAGER), key=lambda u: u.pk)
    # Managers and workers with records in the queue first (the bench database may hold a few).
    authors = set(ClosureRecord.objects.values_list("author_id", flat=True))
    teams = set(ClosureRecord.objects.values_list("episode__team_id", flat=True))
    with_queue = set(User.objects.filter(managed_teams__in=teams).values_list("pk", flat=True))
    workers_q = sorted(workers, key=lambda u: (u.pk not in authors, u.pk))[:n_users]
    managers_q = sorted(managers, key=lambda u: (u.pk not in with_queue, u.pk))[:n_users]
    step = max(1, len(workers) // n_users)
    officer = _client(users["bench.officer"])
    return {
        "hello": [(_client(workers[0]), "/bench/hello/")],
        "my_cases": [(_client(w), "/cases/") for w in workers[::step][:n_users]],
        "team_cases": [(_client(m), "/team/") for m in managers[:n_users]],
        "queue_manager": [(_client(m), "/closures/") for m in managers_q],
        "queue_worker": [(_client(w), "/closures/") for w in workers_q],
        "search": [(officer, f"/search/?q={q}") for q in search.queries(50)],
    }


def queries(client: Client, url: str) -> int:
    _get(client, url)
    with override_settings(AUDIT_SEAL_SECONDS=10**9), CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx.captured_queries)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100, help="requests a page, over 4 rounds")
    parser.add_argument("--search", type=int, default=200, help="search queries for the p95")
    parser.add_argument("--pages", nargs="*", default=None)
    args = parser.parse_args(argv)
    users = bench_users()
    found = targets(users)
    if args.pages:
        found = {k: v for k, v in found.items() if k in args.pages or k == "hello"}
    for page in found.values():
        for client, url in page:
            _get(client, url)
    timings = {key: [] for key in found}
    cpu = {key: [] for key in found}
    rounds = 4
    for _ in range(rounds):
        for key, page in found.items():
            it = iter(range(10**9))
            measured = timed(
                lambda page=page, it=it: _get(*page[next(it) % len(page)]), args.requests // rounds
            )
            timings[key] += measured
            cpu[key] += measured.cpu
    out = {"engine": connection.vendor, "pages": {}}
    hello = statistics.median(timings["hello"])
    for key in found:
        out["pages"][key] = {
            "ms_p50": round(statistics.median(timings[key]), 2),
            "cpu_p50": round(statistics.median(cpu[key]), 2),
            "vs_hello": round(hello / statistics.median(timings[key]), 3),
            "queries": queries(*found[key][0]),
        }
    if args.search:
        officer = users["bench.officer"]
        client = _client(officer)
        texts = search.queries(args.search)
        for text in texts[:5]:
            client.get("/search/", {"q": text})
        page_ms = []
        for text in texts:
            page_ms += timed(lambda text=text: _get(client, f"/search/?q={text}"), 1)
        out["search"] = {
            "page_p50": round(statistics.median(page_ms), 2),
            "page_p95": round(percentile(page_ms, 95), 2),
            "slowest": sorted(zip(page_ms, texts, strict=True), reverse=True)[:5],
        }
    return out


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout, indent=1)
    print()
