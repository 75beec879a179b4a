"""SSD import: generate an extract once, import it into a fresh scratch database and count rows/s.

The import itself is timed in the child process (closewell.ssd.importer.import_extract), so the
figure excludes Python's start-up and the scratch database's migrations."""

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def extract_rows(folder: Path) -> int:
    """Data rows in every CSV file of the extract (headers not counted)."""
    total = 0
    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            total += max(0, sum(1 for _ in csv.reader(f)) - 1)
    return total


def ensure_extract(folder: Path, children: int, env: dict) -> Path:
    marker = folder / ".bench-children"
    if marker.exists() and marker.read_text().strip() == str(children):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "generate_ssd_extract", str(folder), "--children", str(children)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    marker.write_text(str(children))
    return folder


def _child_main(folder: str) -> None:
    import django

    django.setup()
    from closewell.ssd.importer import import_extract

    start = time.perf_counter()
    result = import_extract(folder)
    seconds = time.perf_counter() - start
    print(json.dumps({"ok": bool(result.ok), "seconds": seconds}))


def run(*, folder: Path, env: dict) -> dict:
    """Import `folder` into the (already migrated, empty) database env['DATABASE_URL'] points to."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.ssd", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"SSD import failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    timing = json.loads(result.stdout.strip().splitlines()[-1])
    rows = extract_rows(folder)
    return {**timing, "rows": rows, "rows_per_s": rows / timing["seconds"]}


if __name__ == "__main__":
    _child_main(sys.argv[1])
