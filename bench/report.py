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


def _rps(x: float) -> str:
    return f"{x:,.0f} req/s" if x >= 10 else f"{x:.1f} req/s"


def _wrk(p: dict) -> str:
    """A page's figures from wrk: its rate, latency percentiles and any socket errors."""
    errors = sum(p["errors"].values())
    lat = p["latency_ms"]
    return f"; {_rps(p['rps'])}, latency p50 {_ms(lat['p50'])}, p99 {_ms(lat['p99'])}" + (
        f"; {errors} socket errors" if errors else ""
    )


def most_share(floor: dict, hello_rps: float, key: str) -> float:
    """The most a page's rate could be as a share of hello's over HTTP, with its number of queries.

    Over HTTP a request of hello costs the machine cores / hello's rate of CPU (wrk, gunicorn, the
    process, the database; less if the cores were not all busy, which only raises this bound). A page
    costs at least that, plus the layout's CPU beyond hello's, plus one ORM query's least CPU for each
    query it makes beyond the layout's: whatever else it does only costs more."""
    hello = floor["cores"] * 1000 / hello_rps
    extra_queries = max(0, floor["queries"][key] - floor["queries"]["layout"])
    page_beyond = max(0.0, floor["layout_cpu"] - floor["hello_cpu"]) + extra_queries * floor["orm_ms"]
    return hello / (hello + page_beyond)


def floor_row(floor: dict) -> str:
    """What any page costs at the least here, beside hello (pages.floor)."""
    return (
        f"a query through Django's ORM {floor['orm_ms']:.2f} ms (the same SQL through the cursor "
        f"{floor['cursor_ms']:.2f} ms); the layout with nothing in it {_ms(floor['layout_cpu'])} "
        f"(hello {_ms(floor['hello_cpu'])}, {floor['queries']['layout']} and {floor['queries']['hello']} "
        "queries)"
    )


def configuration(r: dict) -> str:
    """How the column was measured: where sessions lived, and the HTTP servers."""
    out = f"sessions in {r.get('sessions', 'the database')}"
    h = r.get("http")
    if h is None:
        return out + "; pages over HTTP not measured"
    c = h["config"]
    if "skipped" in h:
        return out + f"; pages over HTTP not measured: {h['skipped']}"
    return (
        out + f"; gunicorn (config/gunicorn.py, {c['gunicorn_workers']} workers) and wrk {c['wrk']}, "
        f"{c['rounds']} interleaved rounds of {c['seconds']:g} s a page"
    )


def page_rows(r: dict) -> list[tuple[str, str, str]]:
    """The pages: throughput over HTTP against /bench/hello/ (and hello's against a bare hello), the
    targets of issue 22, then server time and query counts in process."""
    pages, http = r["pages"], r.get("http", {})
    measured = http.get("pages", {})
    shares = http.get("ratios", {})
    missing = "not measured" + (f": {http['skipped']}" if "skipped" in http else "")
    out = [("Configuration", "—", configuration(r))]
    hello = measured.get("hello")
    out.append(
        (
            "/bench/hello/ (full middleware, signed in) against a bare Django hello (no middleware, "
            "no database): requests/s over HTTP",
            "≥ 50%",
            at_least(shares["hello_vs_bare"], 0.5, _share, _points)
            + f"; {_rps(hello['rps'])} against {_rps(measured['bare']['rps'])}"
            if "hello_vs_bare" in shares
            else missing,
        )
    )
    out.append(
        (
            f"/bench/hello/: server time in process p50 / p95 ({pages['hello']['n']} requests)",
            "—",
            f"p50 {_ms(pages['hello']['p50'])}, p95 {_ms(pages['hello']['p95'])}" + _cpu(pages["hello"]),
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
        label = p.get("label", label)
        most = ""
        if key in shares and "floor" in r:
            queries = r["floor"]["queries"][key]
            most = (
                f"; with its {queries} queries, at most "
                f"{_share(most_share(r['floor'], hello['rps'], key))} in this stack (the floor below)"
            )
        out.append(
            (
                f"{label}: requests/s over HTTP against /bench/hello/'s",
                "≥ 40% of hello's rate",
                at_least(shares[key], 0.40, _share, _points) + _wrk(measured[key]) + most
                if key in shares
                else missing,
            )
        )
        out.append(
            (
                f"{label}: server time in process p50 / p95 ({p['n']} requests)",
                "—",
                f"p50 {_ms(p['p50'])}, p95 {_ms(p['p95'])}" + _cpu(p),
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
    if "floor" in r:
        out.append(("What any page costs at the least here: CPU in process", "—", floor_row(r["floor"])))
    return out


def rows(r: dict) -> list[tuple[str, str, str]]:
    out = page_rows(r)
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
        ceiling = ""
        if "ceiling" in sealed:
            ceiling = (
                f"; an append costs {sealed['cpu_ms']:.2f} ms of CPU (the process and its PostgreSQL "
                f"backend), so this machine's {sealed['cores']} cores allow 8 connections at most "
                f"{sealed['ceiling']:.1f}× one"
            )
        out.append(
            (
                f"Audit appends, 8 connections against 1, each its own process ({sealed['eight']:,.0f}/s "
                f"against {sealed['one']:,.0f}/s; the old shared lock: {shared['eight']:,.0f}/s against "
                f"{shared['one']:,.0f}/s, {shared['ratio']:.1f}×{ceiling})",
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
    # Rows by what they measure: an engine without a row (audit appends are PostgreSQL's) shows "—".
    ordered = max(by_engine.values(), key=len)
    found = {e: {what: value for what, _, value in measured} for e, measured in by_engine.items()}
    for what, target, _ in ordered:
        lines.append(f"| {what} | {target} | " + " | ".join(found[e].get(what, "—") for e in engines) + " |")
    lines += [
        "",
        "Throughput (issue 22's targets) is measured over HTTP as the issue measured it: wrk (2 threads,",
        "8 connections) against gunicorn started with `config/gunicorn.py` and 4 workers on loopback, on the",
        "column's database, each page's requests a second against `/bench/hello/` (a view returning",
        '"hello" through the full middleware, signed in), and hello\'s against a bare Django hello (the same',
        "view on a second gunicorn with no middleware: no session, no database). wrk rotates over several",
        "users' (page, session cookie) pairs a page, made by signing the in-process part's users in, and any",
        "answer that is not 2xx stops the bench (a redirect to sign-in would be a fast page that is not the",
        "page). The bare hello, hello and every page run in turn, and the turns are repeated: rates are",
        "requests over seconds across the rounds, latencies wrk's percentiles (the median of the rounds).",
        "wrk, gunicorn and the database share the machine's CPUs.",
        "",
        "Server times are measured in one process through Django's test Client (the same users and pages,",
        'full middleware, sessions, audit of reads; no network), as wall-clock percentiles; "CPU" is the',
        "same process's CPU time per request, which leaves out waiting for a CPU on a busy machine and the",
        "database server's own work. The configuration row says where each column kept its sessions:",
        "PostgreSQL as production (in Redis when REDIS_URL answers), SQLite as embedded (in the database).",
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
    # The sign-ins were before the statistics were reset: their rows are empty.
    measured = [one(r) for r in rows if r["Name"] != "Aggregated" and int(r["Request Count"])]
    return {"total": total, "requests": measured}


def signed_in(load: dict) -> str:
    """When the figures start: everyone signed in (after how long), or not everyone by the end."""
    sessions = f"Sessions in {load['sessions']}. " if "sessions" in load else ""
    if "signed_in_after" not in load:
        return sessions.strip()
    if load["signed_in_after"] is None:
        return sessions + "**Not everyone had signed in by the end**: the figures include sign-ins."
    return (
        sessions + f"Everyone had signed in after {load['signed_in_after']:.0f} s "
        f"(the first quarter is {load['duration'] / 4:.0f} s); the figures count from then."
    )


def load_md(results: dict) -> str:
    lm = results.get("load_machine") or results["machine"]
    lines = ["# Load test", "", "Generated by `make bench` (`python -m bench.run`); do not edit by hand.", ""]
    lines += _reduced(results)
    lines += [
        "A council's day: social workers (their list, a case page, adding a contact, Closure Record pages, "
        "the queue) and team managers (the queue, team cases, reading and reviewing records) in the "
        "proportion the generated council has them, each pausing between clicks as a person does. Headless "
        "locust against gunicorn with production's `config/gunicorn.py` on loopback, sessions in Redis "
        "(REDIS_URL) on PostgreSQL when Redis answers; locust, gunicorn and the database share the machine. "
        "Everyone signs in during the first quarter of the run; the figures, and the database's own time "
        "(pg_stat_database's active time over the requests), count from when the last person has signed "
        "in. Server times and profiles are in docs/benchmarks.md.",
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
                f"{load['think'][0]:g}-{load['think'][1]:g} s | {t['rps']:.1f} | {t['p50']:.0f} ms | "
                f"p95 ≤ {target} ms: " + at_most(t["p95"], target, lambda x: f"{x:.0f} ms") + " | "
                f"{t['p99']:.0f} ms | {t['failures']} in {t['requests']:,} | {per_request:.1f} ms |"
            )
            details += [
                f"## {name.capitalize()} council, {ENGINES[engine]}: {load['users']:,} people for "
                f"{load['duration']} s, gunicorn with {load['gunicorn_workers']} workers"
                + (f", {load['spawn_rate']} people signing in a second" if "spawn_rate" in load else ""),
                "",
                signed_in(load),
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
