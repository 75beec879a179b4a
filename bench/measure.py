"""In-process measurements on one bench database (DATABASE_URL): pages, search, PDF copy, advice.
Prints one JSON object. Run by bench.run in a subprocess per engine."""

import argparse
import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from closewell.advice.bench import bench_advice  # noqa: E402

from . import pages, pdf, search  # noqa: E402
from .common import bench_users, sized_cases  # noqa: E402


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--pdf-runs", type=int, default=20)
    parser.add_argument("--advice-runs", type=int, default=50)
    parser.add_argument("--search-only", action="store_true", help="Only the child search.")
    args = parser.parse_args(argv)
    users = bench_users()
    if args.search_only:
        return {"search": search.run(officer=users["bench.officer"], requests=args.requests)}
    out = {}
    out["pages"] = pages.run(requests=args.requests, cases=args.cases, officer=users["bench.officer"])
    out["search"] = search.run(officer=users["bench.officer"], requests=args.requests)
    # The 5-contact case: its interventions list is short, so the written sections fill the pages.
    record = pages.closure_records([sized_cases()[5]])[0]
    out["pdf"] = pdf.run(record=record, runs=args.pdf_runs)
    out["advice_median"] = bench_advice(args.advice_runs)
    return out


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout)
