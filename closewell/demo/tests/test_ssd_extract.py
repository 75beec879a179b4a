"""The generator writes every SSD table with every column, and the committed sample is its output."""

import filecmp

from closewell.demo.ssd_extract import generate_extract
from closewell.ssd.mapping import COLUMNS
from closewell.ssd.tests.test_import import SAMPLE


def test_sample_is_the_generators_output(tmp_path):
    generate_extract(tmp_path, children=12)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"ssd_{t}.csv" for t in COLUMNS)
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, SAMPLE, names, shallow=False)
    assert not mismatch and not errors


def test_headers_are_the_ssd_columns(tmp_path):
    generate_extract(tmp_path, children=2)
    for table, columns in COLUMNS.items():
        header = (tmp_path / f"ssd_{table}.csv").read_text().splitlines()[0]
        assert header.split(",") == columns
