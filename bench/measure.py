"""Measurements on one bench database (DATABASE_URL): pages in process and over HTTP (wrk against
gunicorn, bench.throughput), search, PDF copy, advice. Prints one JSON object. Run by bench.run in a
subprocess per engine."""

import argparse
import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from closewell.advice.bench import bench_advice  # noqa: E402

from . import pages, pdf, search, throughput  # noqa: E402
from .common import bench_users, sized_cases  # noqa: E402


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--pdf-runs", type=int, default=20)
    parser.add_argument("--advice-runs", type=int, default=50)
    parser.add_argument(
        "--http-seconds", type=float, default=5, help="Each page's wrk run in a round; 0 skips HTTP."
    )
    parser.add_argument("--http-rounds", type=int, default=3)
    parser.add_argument("--search-only", action="store_true", help="Only the child search.")
    args = parser.parse_args(argv)
    users = bench_users()
    if args.search_only:
        return {"search": search.run(officer=users["bench.officer"], requests=args.requests)}
    out = {"sessions": throughput.sessions_label()}
    # The same users read the same pages in process and over HTTP, with the same sessions.
    clients = pages.Clients()
    pairs = pages.targets(cases=args.cases, officer=users["bench.officer"])
    out["pages"] = pages.run(pairs=pairs, clients=clients, requests=args.requests)
    out["floor"] = pages.floor(pairs=pairs, clients=clients, requests=args.requests)
    if args.http_seconds > 0:
        out["http"] = throughput.run(
            pairs,
            throughput.session_cookie(clients),
            seconds=args.http_seconds,
            rounds=args.http_rounds,
        )
    out["search"] = search.run(officer=users["bench.officer"], requests=args.requests)
    # The 5-contact case: its interventions list is short, so the written sections fill the pages.
    record = pages.closure_records([sized_cases()[5]])[0]
    out["pdf"] = pdf.run(record=record, runs=args.pdf_runs)
    out["advice_median"] = bench_advice(args.advice_runs)
    return out


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout)
