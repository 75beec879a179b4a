"""The load test's plan, from the bench database: each worker's children and Closure Records, each
manager's records, all with the bench password. Written as JSON for the locustfile."""

import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from closewell.accounts.models import User  # noqa: E402
from closewell.accounts.permissions import team_ids_for  # noqa: E402
from closewell.cases.models import Episode, EpisodeStatus  # noqa: E402
from closewell.closures.models import LIVE, ClosureRecord  # noqa: E402
from django.test import Client  # noqa: E402

from ..common import BENCH_PASSWORD, bench_users, closure_records  # noqa: E402

PER_WORKER = 40  # children a worker's day might touch
RECORDS_PER_WORKER = 3


def build() -> dict:
    bench_users()
    workers, managers = [], []
    for user in User.objects.filter(username__startswith="gen.worker").order_by("username"):
        episodes = list(
            Episode.objects.filter(
                worker=user, status__in=[EpisodeStatus.OPEN, EpisodeStatus.CLOSING]
            ).order_by("pk")[:PER_WORKER]
        )
        if not episodes:
            continue
        records = list(
            ClosureRecord.objects.filter(
                episode__worker=user, status__in=LIVE, addendum_to__isnull=True
            ).values_list("pk", flat=True)[:RECORDS_PER_WORKER]
        )
        if len(records) < RECORDS_PER_WORKER:
            spare = [e for e in episodes if e.status == EpisodeStatus.OPEN][
                : RECORDS_PER_WORKER - len(records)
            ]
            records += [r.pk for r in closure_records(spare)]
        workers.append(
            {"username": user.username, "children": [e.child_id for e in episodes], "records": records}
        )
    for user in User.objects.filter(username__startswith="gen.manager").order_by("username"):
        records = list(
            ClosureRecord.objects.filter(episode__team_id__in=team_ids_for(user) or [], status__in=LIVE)
            .exclude(author=user)
            .values_list("pk", flat=True)[:50]
        )
        managers.append({"username": user.username, "records": records, "review": False})
    # Review answers only for a record its manager may review; check once rather than guess.
    client = Client()
    for manager in managers:
        if manager["records"]:
            client.force_login(User.objects.get(username=manager["username"]))
            manager["review"] = client.get(f"/closures/{manager['records'][0]}/review/").status_code == 200
    return {"password": BENCH_PASSWORD, "workers": workers, "managers": managers}


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(build(), f)
