"""Shared by the census tests: the XSD, DfE's validator (by subprocess) and a small export helper."""

import csv
import io
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from closewell.census.queries import stream_children
from closewell.census.writer import Header, write_census

REPO = Path(settings.BASE_DIR)
# DfE's schema and example, kept in the app so that any checkout can run these tests.
REFERENCE = Path(__file__).resolve().parents[1] / "reference"
SCRIPT = REPO / "scripts" / "cin_validator.sh"
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


def run_validator(path: Path, year: int = 2027) -> list[dict]:
    """DfE's report as rows (LAchildID, rule_code, ...); [] when the report is empty."""
    result = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [str(SCRIPT), str(path), RULESETS[year]], capture_output=True, text=True, timeout=300
    )
    assert result.returncode in (0, 1), result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def found(rows: list[dict]) -> set[tuple[str, str]]:
    return {(row["LAchildID"], row["rule_code"]) for row in rows}
