"""The lists and the case pages: server time through Django's test Client with signed-in workers,
managers and a data officer, SQL queries for a 5- and a 500-contact case, and each page's throughput
against /bench/hello/ (the full middleware, signed in), whose own throughput is compared with a bare
Django "hello" (no middleware, no database), all interleaved in one run."""

import statistics

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from . import search
from .common import Timings, closure_records, open_episodes, sized_cases, summary, timed

# The pages measured against hello: (key, label). Lists first, then one case and its records.
PAGES = {
    "my_cases": "My cases (a worker)",
    "team_cases": "Team cases (a manager)",
    "search": "Search by name (data officer, whole caseload)",
    "queue": "Closure Records queue (a manager)",
    "case": "Case page",
    "record": "Closure Record page (the worker's task list)",
}


class Clients:
    """One logged-in test Client per worker, so every request is the allocated worker's own."""

    def __init__(self):
        self.by_user = {}

    def __call__(self, user) -> Client:
        if user.pk not in self.by_user:
            client = Client()
            client.force_login(user)
            self.by_user[user.pk] = client
        return self.by_user[user.pk]


def _get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def _loop(targets, n: int) -> list[float]:
    """n GETs spread over the (client, url) targets; each target once first to warm up."""
    for client, url in targets:
        _get(client, url)
    i = iter(range(n))
    return timed(lambda: _get(*targets[next(i) % len(targets)]), n)


def _queries(client: Client, url: str) -> int:
    """The page's own queries: the audit sealer, which runs after a commit at most every few seconds
    per process (audit.services), is held off so its batch does not land in one page's count."""
    _get(client, url)
    with override_settings(AUDIT_SEAL_SECONDS=10**9), CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx.captured_queries)


def bare_client() -> Client:
    """A Client whose handler loads no middleware: the floor for /bench/hello/ itself."""
    client = Client()
    with override_settings(MIDDLEWARE=[]):
        _get(client, "/bench/bare/")  # the handler loads its (empty) middleware on the first request
    return client


def run(*, requests: int = 200, cases: int = 40, officer=None) -> dict:
    from closewell.accounts.models import User

    clients = Clients()
    sized = sized_cases()
    episodes = [e for e in open_episodes(cases + 2) if e.pk not in {s.pk for s in sized.values()}][:cases]
    records = closure_records(episodes[: max(1, cases // 2)])
    sized_records = dict(zip(sized, closure_records(list(sized.values())), strict=True))
    managers = list(
        User.objects.filter(managed_teams__in={e.team_id for e in episodes}).distinct().order_by("pk")[:10]
    )
    workers = list({e.worker_id: e.worker for e in episodes}.values())[:10]

    targets = {
        "my_cases": [(clients(w), "/cases/") for w in workers],
        "team_cases": [(clients(m), "/team/") for m in managers],
        "search": [(clients(officer), f"/search/?q={q}") for q in search.queries(50)] if officer else [],
        "queue": [(clients(m), "/closures/") for m in managers],
        "case": [(clients(e.worker), f"/children/{e.child_id}/") for e in episodes],
        "record": [(clients(r.episode.worker), f"/closures/{r.pk}/") for r in records],
    }
    targets = {key: found for key, found in targets.items() if found}
    hello_targets = [(clients(episodes[0].worker), "/bench/hello/")]
    bare_targets = [(bare_client(), "/bench/bare/")]

    # Interleave them all so that background load on the machine affects them alike.
    hello, bare = Timings(), Timings()
    timings = {key: Timings() for key in targets}
    rounds = 4
    for _ in range(rounds):
        bare += _loop(bare_targets, max(1, requests // rounds))
        hello += _loop(hello_targets, max(1, requests // rounds))
        for key, found in targets.items():
            timings[key] += _loop(found, max(1, requests // rounds))

    queries = {}
    for size, episode in sized.items():
        client = clients(episode.worker)
        queries[("case", size)] = _queries(client, f"/children/{episode.child_id}/")
        queries[("record", size)] = _queries(client, f"/closures/{sized_records[size].pk}/")

    hello_mean = statistics.fmean(hello)
    out = {
        "bare": summary(bare),
        "hello": {**summary(hello), "throughput_vs_bare": statistics.fmean(bare) / hello_mean},
        "cases_sampled": len(targets["case"]),
        "records_sampled": len(targets["record"]),
    }
    for key, measured in timings.items():
        out[key] = {
            **summary(measured),
            "label": PAGES[key],
            "throughput_vs_hello": hello_mean / statistics.fmean(measured),
        }
    for key in ("case", "record"):
        out[key].update(queries_5=queries[(key, 5)], queries_500=queries[(key, 500)])
    return out
