"""Audit appends: events per second from 1 and from 8 concurrent connections, and the same with the old
design's shared lock (every append locking the chain's head row), in one run.

    python -m bench.audit [--seconds 5]   (DATABASE_URL chooses the database; run by bench.run)

The target (issue 22): 8 connections reach at least 3× the rate of one. The old design serialised them."""

import argparse
import json
import os
import threading
import time

import django


def _appends(seconds: float, connections_n: int, *, shared_lock: bool) -> float:
    from closewell.audit.models import Action, AuditHead
    from closewell.audit.services import GENESIS, log_event
    from closewell.cases.models import Child
    from django.db import connections, transaction

    child = Child.objects.order_by("pk").first()
    AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    counts = [0] * connections_n
    start = threading.Barrier(connections_n + 1)
    stop_at = [0.0]

    def worker(i: int) -> None:
        try:
            start.wait()
            while time.perf_counter() < stop_at[0]:
                with transaction.atomic():
                    if shared_lock:
                        AuditHead.objects.select_for_update().get(pk=1)
                    log_event(
                        actor=None, action=Action.VIEW, obj=child, child_id=child.pk, summary="Bench read"
                    )
                counts[i] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections_n)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - began)


def run(seconds: float) -> dict:
    from closewell.audit.services import seal_pending

    result = {}
    for design, shared in (("sealed", False), ("shared_lock", True)):
        one = _appends(seconds, 1, shared_lock=shared)
        eight = _appends(seconds, 8, shared_lock=shared)
        result[design] = {"one": one, "eight": eight, "ratio": eight / one}
    started = time.perf_counter()
    result["sealed_events"] = seal_pending(wait=True)
    result["seal_seconds"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    print(json.dumps(run(args.seconds)))


if __name__ == "__main__":
    main()
