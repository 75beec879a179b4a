"""Shared by the census tests: the XSD, DfE's validator (by subprocess) and a small export helper."""

import csv
import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from closewell.census.queries import stream_children
from closewell.census.writer import Header, write_census

REPO = Path(settings.BASE_DIR)
# DfE's schema and example, kept in the app so that any checkout can run these tests.
REFERENCE = Path(__file__).resolve().parents[1] / "reference"
# DfE's rules through DfE's own CinValidator, as `python -m cin_validator run` runs them, but also
# reporting return-level issues and rules that crashed, which DfE's user_report.csv leaves out.
SCRIPT = REPO / "scripts" / "cin_validator_large.py"
VALIDATOR_PYTHON = REPO / ".venv-validator" / "bin" / "python"
RULESETS = {2026: "cin2025_26", 2027: "cin2026_27"}

needs_validator = pytest.mark.skipif(
    not VALIDATOR_PYTHON.exists(), reason="DfE's validator is not installed: run `make validator`"
)


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REFERENCE / "CIN_schema_2026.xsd")))


def assert_valid(path_or_bytes) -> etree._ElementTree:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    doc = etree.parse(source)
    xsd = schema()
    assert xsd.validate(doc), xsd.error_log
    return doc


def export(tmp_path: Path, year: int = 2027, name: str = "census.xml") -> Path:
    path = tmp_path / name
    with path.open("wb") as out:
        write_census(out, Header(year=year, la_code="999"), stream_children(year))
    return path


@dataclass
class DfeResult:
    rows: list[dict]  # DfE's user report: LAchildID, rule_code, ...
    return_level: list[str]  # codes of rules about the return as a whole (no child to point at)
    failed_rules: list[str]  # rules that raised an exception (DfE counts them as passed)


def run_dfe(path: Path, year: int = 2027) -> DfeResult:
    """DfE's validator on a file; --check-reader also proves our fast reading of the file gives the
    tables DfE's own reader gives (cheap at test sizes)."""
    report, summary = path.with_suffix(".report.csv"), path.with_suffix(".summary.json")
    result = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [
            str(VALIDATOR_PYTHON),
            str(SCRIPT),
            str(path),
            f"--ruleset={RULESETS[year]}",
            "--jobs=1",
            "--check-reader",
            f"--report={report}",
            f"--summary={summary}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    counts = json.loads(summary.read_text())
    with report.open(newline="") as rows:
        return DfeResult(
            rows=list(csv.DictReader(rows)),
            return_level=counts["return_level_codes"],
            failed_rules=counts["rules_failed_to_run"],
        )


def found(rows: list[dict]) -> set[tuple[str, str]]:
    return {(row["LAchildID"], row["rule_code"]) for row in rows}
