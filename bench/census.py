"""CIN census export of the whole caseload, in a subprocess under /usr/bin/time -v: children per
second (the command's own timing, without Python's start-up) and peak RSS, against the peak RSS of
a process that only starts Django (so "flat" means the difference does not grow with the caseload)."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def census_year(today: dt.date) -> int:
    """The return whose year (1 April to 31 March) holds today: the caseload's current year."""
    return today.year + 1 if today.month >= 4 else today.year


def _timed(args: list[str], env: dict) -> tuple[str, int]:
    result = subprocess.run(
        ["/usr/bin/time", "-v", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return result.stdout, rss


def run(*, env: dict, output: Path) -> dict:
    year = census_year(dt.date.today())
    out, peak_kb = _timed(
        [sys.executable, "manage.py", "export_cin_census", "--year", str(year), "--output", str(output)], env
    )
    match = re.search(r"Wrote (\d+) children to .* in ([\d.]+)s", out)
    children, seconds = int(match.group(1)), float(match.group(2))
    _, base_kb = _timed([sys.executable, "-c", "import django; django.setup()"], env)
    return {
        "year": year,
        "children": children,
        "seconds": seconds,
        "children_per_s": children / seconds if seconds else float("inf"),
        "peak_rss_mb": peak_kb / 1024,
        "baseline_rss_mb": base_kb / 1024,
        "bytes": output.stat().st_size,
    }
