"""manage.py advice_evaluate: the advice against the labelled set in the repository."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from closewell.advice import evaluation
from closewell.advice.bench import default_lexicon
from closewell.advice.engine import Targets


def test_the_labelled_set_is_big_enough_and_well_formed():
    passages = evaluation.load()
    assert len(passages) >= 100
    assert len({p.id for p in passages}) == len(passages)
    good = [p for p in passages if not p.expect]
    assert len(good) >= 30  # plenty of good passages that should get no advice
    kinds = {kind for p in passages for kind in p.expect}
    assert {"label", "role", "claim", "no_voice", "date", "phrase"} <= kinds


def test_the_command_meets_the_targets_on_the_labelled_set():
    out = StringIO()
    call_command("advice_evaluate", "--check", stdout=out)
    report = out.getvalue()
    assert "Targets met." in report
    result = evaluation.evaluate(evaluation.load(), default_lexicon(), Targets())
    for kind, (hit, total) in result.recall.items():
        assert hit / total >= evaluation.RECALL_TARGET, kind
        assert f"{hit} of {total}" in report
    assert result.false_positive_rate <= evaluation.FALSE_POSITIVE_TARGET


def test_a_set_the_advice_fails_on_fails_the_check(tmp_path: Path):
    labelled = tmp_path / "set.yaml"
    labelled.write_text(
        "facts: {names: [Lily], referral_date: 2026-03-02, today: 2026-11-20}\n"
        "passages:\n"
        "  - id: one\n    field: reason_for_closure\n"
        "    text: Lily goes to school every day and has made two friends there since May 2026.\n"
        "    expect: [label]\n"
        "  - id: two\n    field: reason_for_closure\n    text: Mum failed to engage.\n    expect: []\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("advice_evaluate", str(labelled), stdout=out)
    assert "label" in out.getvalue() and "0 of 1" in out.getvalue()
    assert "two: also got" in out.getvalue()
    with pytest.raises(CommandError, match="Targets not met"):
        call_command("advice_evaluate", str(labelled), "--check", stdout=StringIO())


def test_a_malformed_set_is_reported_not_a_traceback(tmp_path: Path):
    labelled = tmp_path / "bad.yaml"
    labelled.write_text("passages:\n  - id: x\n    field: nowhere\n    text: hi\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unknown field"):
        call_command("advice_evaluate", str(labelled), stdout=StringIO())
    with pytest.raises(CommandError, match="No labelled passages"):
        call_command("advice_evaluate", str(tmp_path / "missing"), stdout=StringIO())


@pytest.mark.django_db
def test_the_councils_own_lists_can_be_evaluated():
    out = StringIO()
    call_command("advice_evaluate", "--council-lists", stdout=out)
    assert "Targets met." in out.getvalue()
