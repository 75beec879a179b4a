"""Audit appends: events per second from 1 and from 8 concurrent connections (each its own process,
as gunicorn's workers are), and the same with the old design's shared lock (every append locking the
chain's head row), in one run.

    python -m bench.audit [--seconds 5]   (DATABASE_URL chooses the database; run by bench.run)

The target (issue 22): 8 connections reach at least 3× the rate of one. The old design serialised them."""

import argparse
import json
import multiprocessing
import os
import time

import django


def _worker(seconds: float, shared_lock: bool, ready, results) -> None:
    """One process, one connection (as a gunicorn worker has): appends until its time is up."""
    from closewell.audit.models import Action, AuditHead
    from closewell.audit.services import log_event
    from closewell.cases.models import Child
    from django.db import connections, transaction

    child = Child.objects.order_by("pk").first()
    ready.wait()
    count, stop_at = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop_at:
        with transaction.atomic():
            if shared_lock:
                AuditHead.objects.select_for_update().get(pk=1)
            log_event(actor=None, action=Action.VIEW, obj=child, child_id=child.pk, summary="Bench read")
        count += 1
    connections.close_all()
    results.put(count)


def _appends(seconds: float, processes: int, *, shared_lock: bool) -> float:
    """Events a second from `processes` processes appending at once, each with its own connection:
    processes, not threads, so that Python's lock on one process does not serialise them instead."""
    from closewell.audit.models import AuditHead
    from closewell.audit.services import GENESIS
    from django.db import connections

    AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    connections.close_all()  # no connection of this process is carried into the children
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(processes + 1), context.Queue()
    workers = [
        context.Process(target=_worker, args=(seconds, shared_lock, ready, results)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    ready.wait()
    began = time.perf_counter()
    total = sum(results.get() for _ in workers)
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    return total / elapsed


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
