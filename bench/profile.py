"""Profile pages with pyinstrument before optimising: python -m bench.profile [case|record|search|census]
against the bench database in DATABASE_URL. Prints the call tree of 20 requests (after a warm-up)."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from .common import bench_users, closure_records, open_episodes  # noqa: E402


def main(what: str = "case", n: int = 20) -> None:
    users = bench_users()
    episodes = open_episodes(n)
    if what == "search":
        client = Client()
        client.force_login(users["bench.officer"])
        targets = [(client, f"/search/?q={q}") for q in ("Khan", "Amelia", "Mia Lomax", "asw")]
    else:
        targets = []
        for e in episodes:
            client = Client()
            client.force_login(e.worker)
            if what == "case":
                targets.append((client, f"/children/{e.child_id}/"))
            else:
                targets.append((client, f"/closures/{closure_records([e])[0].pk}/"))
    for client, url in targets:
        client.get(url)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for i in range(n):
            client, url = targets[i % len(targets)]
            client.get(url)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main(*(sys.argv[1:2] or ["case"]))
