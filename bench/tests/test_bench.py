"""The benchmark scripts import and run end to end on a tiny caseload (no timings asserted)."""

import argparse
import datetime as dt

import pytest
from closewell.cases.tests.factories import ChildFactory
from closewell.demo.caseload import generate_caseload
from django.db import connection

from bench import audit, pages, pdf, report, run, search
from bench.common import bench_users, sized_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["*"]
    generate_caseload(children=20, seed=1, today=dt.date(2026, 11, 23))
    return bench_users()


def test_measurements_run_on_a_tiny_caseload(caseload):
    pairs = pages.targets(cases=3, officer=caseload["bench.officer"])
    assert set(pairs) == {"hello", *pages.PAGES}
    measured = pages.run(pairs=pairs, clients=pages.Clients(), requests=4)
    assert measured["case"]["queries_5"] == measured["case"]["queries_500"]
    assert measured["record"]["n"] == 4
    assert set(pages.PAGES) <= set(measured) and measured["hello"]["n"] == 4
    floor = pages.floor(pairs=pairs, clients=pages.Clients(), requests=4)
    assert set(floor["queries"]) == {"hello", "layout", *pages.PAGES}
    assert floor["orm_ms"] > 0 and floor["cursor_ms"] > 0 and floor["layout_cpu"] > 0
    found = search.run(officer=caseload["bench.officer"], requests=5)
    record = pages.closure_records([sized_cases()[5]])[0]
    copy = pdf.run(record=record, runs=1, target_pages=1)
    assert copy["pages"] >= 1

    results = {
        "sessions": "the database",
        "pages": measured,
        "floor": floor,
        "search": found,
        "pdf": copy,
        "census": {
            "children": 20,
            "year": 2027,
            "children_per_s": 1.0,
            "peak_rss_mb": 1,
            "baseline_rss_mb": 1,
        },
        "ssd": {"rows": 10, "rows_per_s": 1.0},
        "advice_median": 1.0,
        "children": 20,
        "audit": {
            "sealed": {"one": 100.0, "eight": 500.0, "ratio": 5.0, "cpu_ms": 0.8, "cores": 2, "ceiling": 2.5},
            "shared_lock": {"one": 100.0, "eight": 120.0, "ratio": 1.2},
        },
    }
    table_input = {
        "requested_children": 20,
        "machine": {
            "date": "today",
            "load": "0",
            "nproc": 1,
            "cpu": "x",
            "memory_gb": 1,
            "python": "3",
            "django": "5",
            "sqlite": "3",
        },
    }
    table = report.benchmarks_md({**table_input, "engines": {"sqlite": results}})
    assert "| Case page: SQL queries, case with 5 contacts and with 500 | the same |" in table
    # Without figures over HTTP the throughput rows say so: they never come from the in-process times.
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}
    bare = next(what for what in rows if "against a bare Django hello" in what)
    assert rows[bare].endswith("| ≥ 50% | not measured |")
    team = "Team cases (a manager): requests/s over HTTP against /bench/hello/'s"
    assert rows[team].endswith("| ≥ 40% of hello's rate | not measured |")
    assert "| Team cases (a manager): server time in process p50 / p95 (4 requests) | — | p50 " in table
    assert "| Configuration | — | sessions in the database; pages over HTTP not measured |" in table
    assert (
        "| What any page costs at the least here: CPU in process | — | a query through Django's ORM" in table
    )
    assert "Audit appends, 8 connections against 1" in table
    assert "an append costs 0.80 ms of CPU" in table
    assert "2 cores allow 8 connections at most 2.5× one" in table
    # Audit appends are measured on PostgreSQL only: the other engine's cell says so, whichever is first.
    without = {k: v for k, v in results.items() if k != "audit"}
    both = report.benchmarks_md({**table_input, "engines": {"postgres": results, "sqlite": without}})
    audit_row = next(line for line in both.splitlines() if line.startswith("| Audit appends"))
    assert audit_row.endswith("| — |")


@pytest.mark.django_db(transaction=True)
def test_audit_appends_run_from_eight_connections(db):
    """The audit bench's processes each append through their own connection (PostgreSQL: SQLite has one
    writer at a time, so the bench runs on PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip("the audit append bench runs on PostgreSQL")
    ChildFactory()
    measured = audit.run(seconds=0.2)
    sealed = measured["sealed"]
    assert sealed["one"] > 0 and sealed["eight"] > 0
    # The database of the tests runs on this machine, so what an append costs it is read too: at least
    # a microsecond, and a ceiling no more than the 8 connections.
    assert sealed["cpu_ms"] > 0.001 and 0 < sealed["ceiling"] <= 8
    assert measured["sealed_events"] >= 0


def test_load_report_has_a_row_per_council_with_its_target():
    def load(users, p95):
        total = {"name": "Aggregated", "requests": 1000, "failures": 0, "rps": 17.0, "p50": 40.0}
        return {
            "total": {**total, "p95": p95, "p99": p95 * 2},
            "requests": [{**total, "name": "GET /cases/", "p95": p95, "p99": p95 * 2}],
            "users": users,
            "think": [8.0, 22.0],
            "duration": 60,
            "gunicorn_workers": 5,
            "database_ms": 5000.0,
            "children": 15_000,
        }

    machine = {"date": "today", "load": "0", "nproc": 2, "cpu": "x", "memory_gb": 1}
    text = report.load_md(
        {
            "requested_children": 100_000,
            "machine": machine,
            "engines": {
                "postgres": {
                    "children": 100_000,
                    "load": {"average": load(250, 90), "large": load(1000, 450)},
                }
            },
        }
    )
    assert "| average (PostgreSQL) | 15,000 | 250 |" in text
    assert "p95 ≤ 100 ms: 90 ms — **met**" in text
    assert "p95 ≤ 300 ms: 450 ms — **missed**" in text
    assert "5.0 ms |" in text  # the database's own time per request


def test_postgres_runs_with_sessions_in_redis_when_redis_answers_and_sqlite_never(monkeypatch):
    postgres, sqlite = "postgres://postgres@127.0.0.1:5432/closewell_bench", "sqlite:///var/bench/x.sqlite3"
    monkeypatch.setenv("REDIS_URL", "redis://somewhere-else:6379/0")
    monkeypatch.setattr(run, "redis_answers", lambda: True)
    assert run.env_for(postgres)["REDIS_URL"] == run.REDIS_URL
    assert "REDIS_URL" not in run.env_for(sqlite)
    monkeypatch.setattr(run, "redis_answers", lambda: False)
    assert "REDIS_URL" not in run.env_for(postgres)


def test_everyone_is_spawned_within_the_first_quarter_of_the_load_test():
    args = argparse.Namespace(spawn_rate=5, duration=60)
    assert run.spawn_rate(1000, args) * 15 >= 1000 and run.spawn_rate(250, args) * 15 >= 250
    assert run.spawn_rate(20, args) == 5
