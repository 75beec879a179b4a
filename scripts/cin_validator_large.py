"""Run DfE's CIN census validator on a whole large return, in minutes rather than hours.

Run it with the validator's own Python (``make validator``):
    .venv-validator/bin/python scripts/cin_validator_large.py FILE.xml [--ruleset cin2026_27]

Why: DfE's reader (``cin_validator.ingress.XMLtoCSV``) appends each child to ten growing DataFrames
with ``pd.concat``, which copies every table once per child: its time grows with the square of the
number of children (22 s for 2,000 children, hours for 100,000), while the rules themselves take
seconds. This script gives the same reader, unchanged, 500 children at a time and joins the ten
tables once at the end. Nothing in the reader carries from one child to the next (LAchildID,
CINdetailsID, AssessmentID and CPPID restart with each child), so the joined tables are the ones
DfE's reader makes from the whole file; ``--check-reader`` proves it on a given file by building
them both ways and comparing them (values, dtypes and row numbers) - use it on files of a few
thousand children, since DfE's own way is the slow one.

Then every rule of the ruleset runs once on the whole return, through DfE's own ``CinValidator``,
exactly as ``python -m cin_validator run`` does: rules that compare children with each other (a
repeated LAchildID or UPN, and so on) see all the children at once.

Two things ``python -m cin_validator run`` hides, and this script reports as failures: a rule that
raises an exception (DfE prints "Error with rule ..." and counts the rule as passed), and a
return-level rule (no child to point at), which DfE leaves out of ``user_report.csv``.

Writes DfE's report to ``--report`` (default ``user_report.csv`` here) and prints timings and rule
codes. Exit 0: the report is empty, no rule failed to run, no return-level issue. 1: problems. 2:
the validator could not run.
"""

import argparse
import contextlib
import importlib
import io
import json
import multiprocessing
import sys
import time
import xml.etree.ElementTree as ET  # noqa: S405 (our own export; DfE's validator parses it the same way)
from collections import Counter

import pandas as pd
from cin_validator import cin_validator
from cin_validator.ingress import XMLtoCSV

TABLES = (
    "Header",
    "ChildIdentifiers",
    "ChildCharacteristics",
    "ChildProtectionPlans",
    "CINdetails",
    "CINplanDates",
    "Reviews",
    "Section47",
    "Assessments",
    "AssessmentFactorsList",
    "Disabilities",
)


# The parsed return, shared with the reader processes by fork.
_ROOT: ET.Element | None = None
_CHILDREN: list[ET.Element] = []


def _read_part(bounds: tuple[int, int]) -> dict[str, pd.DataFrame]:
    """DfE's reader, unchanged, on the children from bounds[0] to bounds[1] and the header."""
    part = ET.Element(_ROOT.tag)
    part.append(_ROOT.find("Header"))
    ET.SubElement(part, "Children").extend(_CHILDREN[slice(*bounds)])
    return cin_validator.convert_data(part)


def read_in_chunks(root: ET.Element, chunk: int, jobs: int) -> dict[str, pd.DataFrame]:
    """DfE's reader on ``chunk`` children at a time (on ``jobs`` processes), the parts joined in
    order as DfE's reader joins them: ``pd.concat(..., ignore_index=True)`` onto its empty tables."""
    global _ROOT, _CHILDREN
    _ROOT, _CHILDREN = root, root.find("Children").findall("Child")
    bounds = [(start, start + chunk) for start in range(0, max(len(_CHILDREN), 1), chunk)]
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_read_part, bounds, chunksize=1)
    else:
        parts = [_read_part(b) for b in bounds]
    joined = {"Header": parts[0]["Header"]}
    for name in TABLES[1:]:
        joined[name] = pd.concat([getattr(XMLtoCSV, name), *(p[name] for p in parts)], ignore_index=True)
    return joined


def compare_with_dfe_reader(root: ET.Element, ours: dict[str, pd.DataFrame]) -> list[str]:
    """Differences between our tables and DfE's reader run on the whole file at once."""
    theirs = cin_validator.convert_data(root)
    problems = []
    for name in TABLES:
        try:
            pd.testing.assert_frame_equal(ours[name], theirs[name], check_dtype=True, check_exact=True)
        except AssertionError as error:
            problems.append(f"{name}: {error}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file")
    parser.add_argument("--ruleset", default="cin2026_27")
    parser.add_argument("--chunk", type=int, default=500, help="children per reader call (500)")
    parser.add_argument("--jobs", type=int, default=2, help="processes reading the file (2)")
    parser.add_argument("--report", default="user_report.csv")
    parser.add_argument("--summary", help="also write the counts, codes and timings here as JSON")
    parser.add_argument(
        "--check-reader", action="store_true", help="also run DfE's reader on the whole file and compare"
    )
    args = parser.parse_args()
    clock = time.monotonic()
    timings: dict[str, float] = {}

    def lap(what: str, key: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[key] = round(now - clock, 1)
        print(f"{what}: {now - clock:.1f}s", flush=True)
        clock = now

    root = ET.parse(args.file).getroot()  # noqa: S314 (see the import)
    lap("parse", "parse_seconds")
    raw = read_in_chunks(root, args.chunk, args.jobs)
    lap(f"read {len(raw['ChildIdentifiers'])} children into DfE's tables", "read_seconds")
    if args.check_reader:
        problems = compare_with_dfe_reader(root, raw)
        lap("DfE's reader on the whole file, for comparison", "dfe_reader_seconds")
        if problems:
            print("The tables differ from DfE's reader:", *problems, sep="\n", file=sys.stderr)
            return 2
        print("Same tables as DfE's reader on the whole file.")
    data = cin_validator.process_data(raw)
    registry = importlib.import_module(f"cin_validator.rules.{args.ruleset}").registry
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(data, registry)
    lap(f"{len(registry)} rules of {args.ruleset}", "rules_seconds")

    report = validator.user_report
    report.to_csv(args.report)
    crashed = [line for line in printed.getvalue().splitlines() if line.startswith("Error with rule")]
    return_level = validator.la_rule_issues
    return_codes = sorted(return_level["rule_code"]) if len(return_level) else []
    codes = Counter(report["rule_code"]) if len(report) else Counter()
    print(f"children: {len(raw['ChildIdentifiers'])}; rules run: {len(registry)}")
    print(f"report rows: {len(report)}; rule codes: {dict(codes) or 'none'}")
    print(f"return-level issues: {return_codes or 'none'}")
    print(f"rules that failed to run: {crashed or 'none'}")
    if args.summary:
        summary = {
            "children": len(raw["ChildIdentifiers"]),
            "ruleset": args.ruleset,
            "rules": len(registry),
            "report_rows": len(report),
            "rule_codes": dict(codes),
            "return_level_codes": return_codes,
            "rules_failed_to_run": crashed,
            "reader_checked": args.check_reader,
            **timings,
        }
        with open(args.summary, "w") as out:
            json.dump(summary, out, indent=1)
    return 1 if len(report) or return_codes or crashed else 0


if __name__ == "__main__":
    sys.exit(main())
