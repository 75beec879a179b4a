"""In-process cost of the case page, the Closure Record page (the worker's task list) and the manager's
review page, on generated cases of the bench database in DATABASE_URL:

    DATABASE_URL=postgres://…/closewell_bench python -m bench.case_pages [cases] [rounds]

Prints, per page, the median and fastest wall-clock and CPU milliseconds per request over `rounds`
passes of `cases` cases (interleaved, so the machine's load falls on every page alike), and the SQL
queries of one request of each of the first five cases. Draft Closure Records are started on the cases
once and reused, as bench.pages does."""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from .common import bench_users, closure_records, open_episodes  # noqa: E402


def main(cases: int = 10, rounds: int = 5) -> None:
    from closewell.accounts.models import User

    bench_users()
    episodes = open_episodes(cases)
    clients: dict[int, Client] = {}

    def client(user) -> Client:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    targets = {"case": [], "record": [], "review": []}
    for episode, record in zip(episodes, closure_records(episodes), strict=True):
        targets["case"].append((client(episode.worker), f"/children/{episode.child_id}/"))
        targets["record"].append((client(episode.worker), f"/closures/{record.pk}/"))
        manager = User.objects.filter(managed_teams=episode.team_id).exclude(pk=episode.worker_id).first()
        if manager is not None:
            targets["review"].append((client(manager), f"/closures/{record.pk}/review/"))
    for found in targets.values():
        for c, url in found:
            assert c.get(url).status_code == 200, url  # and warm up
    wall = {key: [] for key in targets}
    cpu = {key: [] for key in targets}
    for _ in range(rounds):
        for key, found in targets.items():
            for c, url in found:
                start, started = time.perf_counter(), time.process_time()
                c.get(url)
                wall[key].append((time.perf_counter() - start) * 1000)
                cpu[key].append((time.process_time() - started) * 1000)
    for key, found in targets.items():
        counts = []
        for c, url in found[:5]:
            with override_settings(AUDIT_SEAL_SECONDS=10**9), CaptureQueriesContext(connection) as ctx:
                c.get(url)
            counts.append(len(ctx.captured_queries))
        print(
            f"{key:7s} {len(wall[key]):4d} requests: wall p50 {statistics.median(wall[key]):6.1f} ms, "
            f"fastest {min(wall[key]):6.1f} ms; CPU p50 {statistics.median(cpu[key]):6.1f} ms; "
            f"queries {counts}"
        )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
