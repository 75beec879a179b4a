"""Case page and Closure Record page: server time through Django's test Client with logged-in
workers, SQL queries for a 5- and a 500-contact case, throughput against a bare "hello" view."""

import statistics

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .common import Timings, closure_records, open_episodes, sized_cases, summary, timed


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
    _get(client, url)
    with CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx.captured_queries)


def run(*, requests: int = 200, cases: int = 40) -> dict:
    clients = Clients()
    sized = sized_cases()
    episodes = [e for e in open_episodes(cases + 2) if e.pk not in {s.pk for s in sized.values()}][:cases]
    records = closure_records(episodes[: max(1, cases // 2)])
    sized_records = dict(zip(sized, closure_records(list(sized.values())), strict=True))

    case_targets = [(clients(e.worker), f"/children/{e.child_id}/") for e in episodes]
    record_targets = [(clients(r.episode.worker), f"/closures/{r.pk}/") for r in records]
    hello_targets = [(clients(episodes[0].worker), "/bench/hello/")]

    # Interleave the three so that background load on the machine affects them alike.
    hello, case, record = Timings(), Timings(), Timings()
    rounds = 4
    for _ in range(rounds):
        hello += _loop(hello_targets, max(1, requests // rounds))
        case += _loop(case_targets, max(1, requests // rounds))
        record += _loop(record_targets, max(1, requests // rounds))

    queries = {}
    for size, episode in sized.items():
        client = clients(episode.worker)
        queries[("case", size)] = _queries(client, f"/children/{episode.child_id}/")
        queries[("record", size)] = _queries(client, f"/closures/{sized_records[size].pk}/")

    hello_mean = statistics.fmean(hello)
    return {
        "hello": summary(hello),
        "case": {
            **summary(case),
            "queries_5": queries[("case", 5)],
            "queries_500": queries[("case", 500)],
            "throughput_vs_hello": hello_mean / statistics.fmean(case),
        },
        "record": {
            **summary(record),
            "queries_5": queries[("record", 5)],
            "queries_500": queries[("record", 500)],
            "throughput_vs_hello": hello_mean / statistics.fmean(record),
        },
        "cases_sampled": len(case_targets),
        "records_sampled": len(record_targets),
    }
