"""The benchmark table (docs/benchmarks.md) and the load report (docs/load.md), from bench.run's results."""

import csv
from pathlib import Path

from .load.profiles import PROFILES

ENGINES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _ms(x: float) -> str:
    return f"{x:,.0f} ms" if x >= 10 else f"{x:.1f} ms"


def _cpu(p: dict) -> str:
    return f" (CPU p50 {_ms(p['cpu_p50'])})" if p.get("cpu_p50") is not None else ""


def at_most(value: float, target: float, fmt) -> str:
    """'62 ms — met' or '140 ms — missed by 40 ms (1.4× the target)'."""
    if value <= target:
        return f"{fmt(value)} — **met**"
    return f"{fmt(value)} — **missed** by {fmt(value - target)} ({value / target:.1f}× the target)"


def at_least(value: float, target: float, fmt, gap=None) -> str:
    if value >= target:
        return f"{fmt(value)} — **met**"
    return f"{fmt(value)} — **missed** by {(gap or fmt)(target - value)} ({value / target:.0%} of the target)"


def same(a: int, b: int) -> str:
    return f"{a} and {b} — **met**" if a == b else f"{a} and {b} — **missed** (+{b - a} for the large case)"


def _share(x: float) -> str:
    return f"{x:.0%}"


def _points(x: float) -> str:
    return f"{x * 100:.0f} pt"


def rows(r: dict) -> list[tuple[str, str, str]]:
    pages, out = r["pages"], []
    hello = pages["hello"]
    if "bare" in pages:
        out.append(
            (
                "/bench/hello/ (full middleware, signed in) against a bare Django hello (no middleware, "
                "no database): throughput",
                "≥ 50%",
                at_least(hello["throughput_vs_bare"], 0.5, _share, _points)
                + f"; p50 {_ms(hello['p50'])} against {_ms(pages['bare']['p50'])}",
            )
        )
    for key, label in (
        ("my_cases", "My cases (a worker)"),
        ("team_cases", "Team cases (a manager)"),
        ("search", "Search page (data officer, whole caseload)"),
        ("queue", "Closure Records queue (a manager)"),
        ("case", "Case page"),
        ("record", "Closure Record page"),
    ):
        if key not in pages:
            continue
        p = pages[key]
        out.append(
            (
                f"{p.get('label', label)}: throughput against /bench/hello/; server time p50 / p95 "
                f"({p['n']} requests)",
                "≥ 40% of hello's rate",
                at_least(p["throughput_vs_hello"], 0.40, _share, _points)
                + f"; p50 {_ms(p['p50'])}, p95 {_ms(p['p95'])}"
                + _cpu(p),
            )
        )
        if "queries_5" in p:
            out.append(
                (
                    f"{label}: SQL queries, case with 5 contacts and with 500",
                    "the same",
                    same(p["queries_5"], p["queries_500"]),
                )
            )
    s = r["search"]
    out.append(
        (
            f"Child search by name, whole caseload ({s['n']} searches)",
            "p95 ≤ 50 ms",
            f"p50 {_ms(s['p50'])}; p95 " + at_most(s["p95"], 50, _ms) + _cpu(s),
        )
    )
    if "search_large" in r:
        big = r["search_large"]
        out.append(
            (
                f"Child search by name at the large preset ({big['n']} searches, realistic names)",
                "p95 ≤ 50 ms",
                f"{big['children']:,} children: p50 {_ms(big['p50'])}; p95 "
                + at_most(big["p95"], 50, _ms)
                + _cpu(big)
                + f"; the query alone p95 {_ms(big['query']['p95'])}",
            )
        )
    if "query" in s:
        q = s["query"]
        out.append(
            (
                "… the search query alone (count and first page of 20; no session, audit or template)",
                "p95 ≤ 50 ms",
                f"p50 {_ms(q['p50'])}; p95 " + at_most(q["p95"], 50, _ms),
            )
        )
    d = r["pdf"]
    out.append(
        (
            f"Stamped PDF copy, {d['pages']}-page record (median of {d['runs']})",
            "median ≤ 100 ms",
            at_most(d["copy_median"], 100, _ms),
        )
    )
    out.append(
        (
            "… against a bare Typst compile of the same document",
            "≤ 1.5×",
            f"bare {_ms(d['bare_median'])}; " + at_most(d["ratio"], 1.5, lambda x: f"{x:.2f}×"),
        )
    )
    c = r["census"]
    out.append(
        (
            f"CIN census export, whole caseload ({c['children']:,} children in the {c['year']} return)",
            "≥ 5,000 children/s",
            at_least(c["children_per_s"], 5000, lambda x: f"{x:,.0f}/s"),
        )
    )
    out.append(
        (
            "… peak RSS (a process that only starts Django, in brackets)",
            "flat",
            f"{c['peak_rss_mb']:,.0f} MB ({c['baseline_rss_mb']:,.0f} MB)",
        )
    )
    i = r["ssd"]
    out.append(
        (
            f"SSD import into an empty database ({i['rows']:,} rows)",
            "≥ 20,000 rows/s",
            at_least(i["rows_per_s"], 20000, lambda x: f"{x:,.0f}/s"),
        )
    )
    out.append(("Writing advice on a typical full record (median)", "—", _ms(r["advice_median"])))
    if "audit" in r:
        a = r["audit"]
        sealed, shared = a["sealed"], a["shared_lock"]
        out.append(
            (
                f"Audit appends, 8 connections against 1 ({sealed['eight']:,.0f}/s against "
                f"{sealed['one']:,.0f}/s; the old shared lock: {shared['ratio']:.1f}×)",
                "≥ 3×",
                at_least(sealed["ratio"], 3, lambda x: f"{x:.1f}×"),
            )
        )
    return out


def _reduced(results: dict) -> list[str]:
    sizes = {r["children"] for r in results["engines"].values()}
    if all(size >= 100_000 for size in sizes):
        return []
    return [
        f"**Reduced caseload**: this run used {', '.join(f'{n:,}' for n in sorted(sizes))} generated "
        "children, "
        "not the 100,000 `make bench` generates by default (generating 100,000 takes 10-20 minutes per "
        "engine on this machine). Figures that grow with the caseload (search, census) are for this size.",
        "",
    ]


def benchmarks_md(results: dict) -> str:
    m = results["machine"]
    engines = results["engines"]
    names = [ENGINES[e] for e in engines]
    by_engine = {e: rows(r) for e, r in engines.items()}
    first = next(iter(by_engine.values()))
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m bench.run`); do not edit by hand. Targets: issues 8, 22.",
        "",
        f"- Run: {m['date']}; load average at the start {m['load']}",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB memory",
        f"- Python {m['python']}, Django {m['django']}, SQLite {m['sqlite']}"
        + (f", PostgreSQL {m['postgres']}" if m.get("postgres") else ""),
        "- Caseload: "
        + "; ".join(f"{ENGINES[e]} {r['children']:,} generated children" for e, r in engines.items())
        + f" (requested {results['requested_children']:,})",
        "",
        *_reduced(results),
        "| what | target | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for i, (what, target, _) in enumerate(first):
        lines.append(f"| {what} | {target} | " + " | ".join(by_engine[e][i][2] for e in engines) + " |")
    lines += [
        "",
        "Times are server times measured in one process through Django's test Client (full middleware,",
        'sessions, audit of reads; no network), as wall-clock percentiles; "CPU" is the same process\'s',
        "CPU time per request, which leaves out waiting for a CPU on a busy machine and the database",
        "server's own work. Throughput is the ratio of mean times against /bench/hello/, a view returning",
        '"hello" through the same middleware and session (signed in), measured in the same run, interleaved;',
        "hello's own against the same view through a handler with no middleware (no session, no database).",
        "",
    ]
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def locust_stats(path: Path) -> dict:
    """The locust CSV's rows: per request name and the aggregate."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))

    def one(row):
        return {
            "name": f"{row['Type']} {row['Name']}".strip(),
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"] or 0),
            "p95": float(row["95%"] or 0),
            "p99": float(row["99%"] or 0),
        }

    total = next(one(r) for r in rows if r["Name"] == "Aggregated")
    return {"total": total, "requests": [one(r) for r in rows if r["Name"] != "Aggregated"]}


def load_md(results: dict) -> str:
    lm = results.get("load_machine") or results["machine"]
    lines = ["# Load test", "", "Generated by `make bench` (`python -m bench.run`); do not edit by hand.", ""]
    lines += _reduced(results)
    lines += [
        "A council's day: social workers (their list, a case page, adding a contact, Closure Record pages, "
        "the queue) and team managers (the queue, team cases, reading and reviewing records) in the "
        "proportion the generated council has them, each pausing between clicks as a person does. Headless "
        "locust against gunicorn with production's `config/gunicorn.py` on loopback; locust, gunicorn and "
        "the database share the machine. Server times and profiles are in docs/benchmarks.md.",
        "",
        f"Run {lm['date']} on {lm['nproc']} CPUs ({lm['cpu']}), {lm['memory_gb']} GB; load average at "
        f"the start {lm['load']}.",
        "",
        "| council | children | people signed in | think time | requests/s | p50 | p95 | p99 | errors | "
        "database time per request |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    details = []
    for engine, r in results["engines"].items():
        for name, load in r.get("load", {}).items():
            t = load["total"]
            target = PROFILES[name]["p95_target_ms"]
            per_request = load["database_ms"] / t["requests"] if t["requests"] else 0
            lines.append(
                f"| {name} ({ENGINES[engine]}) | {load['children']:,} | {load['users']:,} | "
                f"{load['think'][0]:.0f}-{load['think'][1]:.0f} s | {t['rps']:.1f} | {t['p50']:.0f} ms | "
                f"p95 ≤ {target} ms: " + at_most(t["p95"], target, lambda x: f"{x:.0f} ms") + " | "
                f"{t['p99']:.0f} ms | {t['failures']} in {t['requests']:,} | {per_request:.1f} ms |"
            )
            details += [
                f"## {name.capitalize()} council, {ENGINES[engine]}: {load['users']:,} people for "
                f"{load['duration']} s, gunicorn with {load['gunicorn_workers']} workers"
                + (f", {load['spawn_rate']} people signing in a second" if "spawn_rate" in load else ""),
                "",
                "| request | requests | errors | rps | p50 ms | p95 ms | p99 ms |",
                "|---|---|---|---|---|---|---|",
            ]
            for q in load["requests"]:
                details.append(
                    f"| {q['name']} | {q['requests']} | {q['failures']} | {q['rps']:.2f} | "
                    f"{q['p50']:.0f} | {q['p95']:.0f} | {q['p99']:.0f} |"
                )
            details.append("")
    details.append("What this run's figures mean on a shared machine: the notes in docs/benchmarks.md.")
    return "\n".join([*lines, "", *details])
