"""Audit appends: events per second from 1 and from 8 concurrent connections (each its own process,
as gunicorn's workers are), and the same with the old design's shared lock (every append locking the
chain's head row), in one run.

    python -m bench.audit [--seconds 5]   (DATABASE_URL chooses the database; run by bench.run)

The target (issue 22): 8 connections reach at least 3× the rate of one. The old design serialised them.

What the machine allows is measured too: the CPU an append costs (the appending process's and, when the
database runs on this machine, its PostgreSQL backend's, read from /proc), so `ceiling` is the most 8
connections could reach against one on this machine's cores if nothing at all were shared: its cores'
worth of appends a second over one connection's rate."""

import argparse
import json
import multiprocessing
import os
import time
from pathlib import Path

import django

TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int) -> float | None:
    """Seconds of CPU a PostgreSQL backend has used (user and system), None when it is not a process of
    this machine's (the database on another machine, where the same number may be another process)."""
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
            return None
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def _worker(seconds: float, shared_lock: bool, ready, results) -> None:
    """One process, one connection (as a gunicorn worker has): appends until its time is up."""
    from closewell.audit.models import Action, AuditHead
    from closewell.audit.services import log_event
    from closewell.cases.models import Child
    from django.db import connections, transaction

    child = Child.objects.order_by("pk").first()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    ready.wait()
    server_started, started = _process_cpu(backend), time.process_time()
    count, stop_at = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop_at:
        with transaction.atomic():
            if shared_lock:
                AuditHead.objects.select_for_update().get(pk=1)
            log_event(actor=None, action=Action.VIEW, obj=child, child_id=child.pk, summary="Bench read")
        count += 1
    client, server = time.process_time() - started, _process_cpu(backend)
    connections.close_all()
    server = None if server is None or server_started is None else server - server_started
    results.put((count, client, server))


def _appends(seconds: float, processes: int, *, shared_lock: bool) -> tuple[float, float | None]:
    """Events a second from `processes` processes appending at once, each with its own connection
    (processes, not threads, so that Python's lock on one process does not serialise them instead), and
    the CPU seconds an event cost, the processes' and their database backends' (None if unreadable)."""
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
    counts = [results.get() for _ in workers]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    total = sum(count for count, _, _ in counts)
    servers = [server for _, _, server in counts]
    cpu = None if None in servers else sum(client + server for _, client, server in counts) / total
    return total / elapsed, cpu


def run(seconds: float) -> dict:
    from closewell.audit.services import seal_pending

    result = {}
    for design, shared in (("sealed", False), ("shared_lock", True)):
        one, cpu = _appends(seconds, 1, shared_lock=shared)
        eight, _ = _appends(seconds, 8, shared_lock=shared)
        result[design] = {"one": one, "eight": eight, "ratio": eight / one}
        if cpu:
            # All the machine's cores appending, each event costing what one connection's did.
            cores = os.cpu_count() or 1
            result[design].update(cpu_ms=cpu * 1000, cores=cores, ceiling=min(8, cores / cpu / one))
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
