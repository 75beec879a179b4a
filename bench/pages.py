"""The lists and the case pages in one process, through Django's test Client with signed-in workers,
managers and a data officer: server time (wall clock and CPU) and the SQL queries of a 5- and a
500-contact case. Who reads what (`targets`) is shared with bench.http, which measures the same pages'
throughput over HTTP against /bench/hello/ and a bare Django hello."""

import os
import statistics
from urllib.parse import urlencode

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from . import search
from .common import Timings, closure_records, open_episodes, sized_cases, summary, timed

# The pages measured: (key, label). Lists first, then one case and its records.
PAGES = {
    "my_cases": "My cases (a worker)",
    "team_cases": "Team cases (a manager)",
    "search": "Search by name (data officer, whole caseload)",
    "queue": "Closure Records queue (a manager)",
    "case": "Case page",
    "record": "Closure Record page (the worker's task list)",
}


class Clients:
    """One logged-in test Client per user, so every request is that user's own. Its session (in the
    database, or in Redis with REDIS_URL) is a real one: bench.http hands its cookie to wrk."""

    def __init__(self):
        self.by_user = {}

    def __call__(self, user) -> Client:
        if user.pk not in self.by_user:
            client = Client()
            client.force_login(user)
            self.by_user[user.pk] = client
        return self.by_user[user.pk]


def targets(*, cases: int = 40, officer=None) -> dict[str, list[tuple[object, str]]]:
    """Each page's (user, path) pairs, spread across the caseload, and /bench/hello/ for the same
    workers: the cases are open generated ones (not the 5- and 500-contact cases, which are counted
    apart), each read by its own worker, the lists by up to ten workers and managers."""
    from closewell.accounts.models import User

    sized = {e.pk for e in sized_cases().values()}
    episodes = [e for e in open_episodes(cases + 2) if e.pk not in sized][:cases]
    records = closure_records(episodes[: max(1, cases // 2)])
    managers = list(
        User.objects.filter(managed_teams__in={e.team_id for e in episodes}).distinct().order_by("pk")[:10]
    )
    workers = list({e.worker_id: e.worker for e in episodes}.values())[:10]
    found = {
        "hello": [(w, "/bench/hello/") for w in workers],
        "my_cases": [(w, "/cases/") for w in workers],
        "team_cases": [(m, "/team/") for m in managers],
        "search": [(officer, "/search/?" + urlencode({"q": q})) for q in search.queries(50)]
        if officer
        else [],
        "queue": [(m, "/closures/") for m in managers],
        "case": [(e.worker, f"/children/{e.child_id}/") for e in episodes],
        "record": [(r.episode.worker, f"/closures/{r.pk}/") for r in records],
    }
    return {key: pairs for key, pairs in found.items() if pairs}


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


def run(*, pairs: dict, clients: Clients, requests: int = 200) -> dict:
    """Server time of hello and every page of `pairs` (from `targets`), interleaved in rounds so that
    background load on the machine affects them alike, and the query counts of the 5- and 500-contact
    cases."""
    by_client = {key: [(clients(user), url) for user, url in found] for key, found in pairs.items()}
    timings = {key: Timings() for key in by_client}
    rounds = 4
    for _ in range(rounds):
        for key, found in by_client.items():
            timings[key] += _loop(found, max(1, requests // rounds))

    queries = {}
    for size, episode in sized_cases().items():
        client = clients(episode.worker)
        record = closure_records([episode])[0]
        queries[("case", size)] = _queries(client, f"/children/{episode.child_id}/")
        queries[("record", size)] = _queries(client, f"/closures/{record.pk}/")

    out = {
        "hello": summary(timings.pop("hello")),
        "cases_sampled": len(pairs["case"]),
        "records_sampled": len(pairs["record"]),
    }
    for key, measured in timings.items():
        out[key] = {**summary(measured), "label": PAGES[key]}
    for key in ("case", "record"):
        out[key].update(queries_5=queries[(key, 5)], queries_500=queries[(key, 500)])
    return out


# A page of the service that reads nothing: the layout (header, menu, footer) around static text.
LAYOUT = "/accessibility/"


def floor(*, pairs: dict, clients: Clients, requests: int = 200) -> dict:
    """The least any page costs in this stack, in this process's CPU, beside hello: the layout with
    nothing in it (LAYOUT) against /bench/hello/ for the same worker, interleaved; one query through
    Django's ORM (a row of a small table by its key) against the same SQL through the database cursor;
    and each page's number of queries. bench.report works out from them the most each page's rate
    could be as a share of hello's with its queries, whatever else it did (report.most_share)."""
    from closewell.accounts.models import Team

    worker = pairs["hello"][0][0]
    client = clients(worker)
    hello, layout = Timings(), Timings()
    for _ in range(4):
        hello += _loop([(client, "/bench/hello/")], max(1, requests // 4))
        layout += _loop([(client, LAYOUT)], max(1, requests // 4))
    read = Team.objects.filter(pk=worker.team_id)
    sql, params = read.query.sql_with_params()
    with connection.cursor() as cursor:
        through_cursor = timed(lambda: (cursor.execute(sql, params), cursor.fetchall()), requests * 5)
    through_orm = timed(lambda: list(read.all()), requests * 5)
    return {
        "hello_cpu": statistics.median(hello.cpu),
        "layout_cpu": statistics.median(layout.cpu),
        "orm_ms": statistics.median(through_orm.cpu),
        "cursor_ms": statistics.median(through_cursor.cpu),
        "queries": {
            key: _queries(clients(found[0][0]), found[0][1])
            for key, found in {**pairs, "layout": [(worker, LAYOUT)]}.items()
        },
        "cores": os.cpu_count() or 1,
    }
