"""Advice on a real Closure Record: grouped by section, from the council's editable word lists."""

import re

import pytest
from django.template import Context, Template
from django.test import override_settings

from closewell.advice import selectors
from closewell.advice.engine import Kind
from closewell.advice.models import AdviceWord, WordKind
from closewell.closures import services
from closewell.closures.models import Section, Status

from ...closures.tests.conftest import days_ago

LONG = (
    "Ruby and her mother moved to a safe flat after the police referral, and since then the school, "
    "the health visitor and the play therapist have all seen Ruby settle, sleep better and make friends."
)


def write(record, actor, section, **data):
    return services.closure_update(
        actor=actor, record=record, section=section, version=record.version, data=data
    )


def kinds_in(advice, section):
    return [a.kind for a in advice.section(section).items]


@pytest.mark.django_db
def test_the_default_word_lists_are_seeded_by_migration():
    icpc = AdviceWord.objects.get(kind=WordKind.JARGON, term="ICPC")
    assert icpc.match_case and "child protection conference" in icpc.plain
    assert AdviceWord.objects.filter(kind=WordKind.FIELD_WORD, term="safeguarding").exists()
    assert AdviceWord.objects.filter(kind=WordKind.FIELD_PHRASE, term="short break care").exists()
    assert not AdviceWord.objects.get(kind=WordKind.JARGON, term="strategy discussion").match_case


def test_advice_is_grouped_by_the_sections_due_with_counts(complete_record):
    advice = selectors.advice_for_record(complete_record)
    sections = [s.section for s in advice.sections]
    assert sections == [
        Section.INVOLVEMENT,
        Section.INTERVENTIONS,
        Section.REVIEW,
        Section.REASON,
        Section.CHILD_VIEWS,
        Section.PARENT_VIEWS,
        Section.DOMESTIC_ABUSE,  # this case identified domestic abuse
        Section.LETTER,  # optional: advised on as it is written
    ]
    assert advice.count == sum(s.count for s in advice.sections) > 0
    assert all(s.count for s in advice.outstanding)


def test_the_complete_record_gets_the_advice_it_deserves(complete_record):
    advice = selectors.advice_for_record(complete_record)
    # "Fewer nightmares.": no date or measure (short, but not so thin that it needs padding).
    review = advice.section(Section.REVIEW)
    assert {a.kind for a in review.items} == {Kind.NO_MEASURE}
    assert all(a.field_label.startswith("Outcome of “Play therapy”") for a in review.items)
    # Ruby is quoted in six words: brief, but in her own words.
    assert kinds_in(advice, Section.CHILD_VIEWS) == []
    # "Jess agrees.": thin, and not in her words; the father's reason is not views.
    parent = advice.section(Section.PARENT_VIEWS)
    assert [(a.kind, a.field_label) for a in parent.items] == [
        (Kind.TOO_SHORT, "Views of Jess Hale"),
        (Kind.NO_VOICE, "Views of Jess Hale"),
    ]


def test_names_dates_jargon_and_phrases_on_the_case(complete_record, case):
    record = write(
        complete_record,
        case.worker,
        Section.REASON,
        reason_for_closure=(
            f"Ruyb is safe. The ICPC was held on 13/05/2019 and short beak care ended on "
            f"{days_ago(20):%-d %B %Y}. Jess and Dean Hale agree; Wendy Ash will write."
        ),
    )
    items = selectors.advice_for_section(record, Section.REASON).items
    found = {(a.kind, a.excerpt, a.suggestion) for a in items}
    assert (Kind.NAME, "Ruyb", "Ruby") in found
    assert (Kind.PHRASE, "short beak care", "short break care") in found
    assert any(k == Kind.JARGON and e == "ICPC" for k, e, _ in found)
    dates = [e for k, e, _ in found if k == Kind.DATE]
    assert dates == ["13/05/2019"]  # the date 20 days ago is inside the episode
    assert not [
        e for k, e, _ in found if k in (Kind.NAME, Kind.SPELLING) and e in ("Jess", "Dean", "Wendy", "Ash")
    ]


def test_a_quote_less_childs_views_are_flagged_on_the_record(complete_record, case):
    record = write(
        complete_record,
        case.worker,
        Section.CHILD_VIEWS,
        child_discussed=True,
        child_discussed_date=days_ago(5),
        child_views="Ruby is happy for the case to close and is pleased with the help she has had.",
    )
    assert Kind.NO_VOICE in kinds_in(selectors.advice_for_record(record), Section.CHILD_VIEWS)


def test_the_councils_edits_to_the_word_list_take_effect_at_once(complete_record, case):
    record = write(complete_record, case.worker, Section.REASON, reason_for_closure="The FSW closed it.")
    assert Kind.JARGON not in kinds_in(selectors.advice_for_record(record), Section.REASON)
    word = AdviceWord.objects.create(
        kind=WordKind.JARGON, term="FSW", plain="family support worker", match_case=True
    )
    items = selectors.advice_for_section(record, Section.REASON).items
    assert [a.suggestion for a in items if a.kind == Kind.JARGON] == ["family support worker"]
    word.active = False
    word.save()
    assert Kind.JARGON not in kinds_in(selectors.advice_for_record(record), Section.REASON)


def test_a_field_word_added_by_the_council_is_no_longer_misspelt(complete_record, case):
    record = write(
        complete_record, case.worker, Section.REASON, reason_for_closure="The famliyhub team helped."
    )
    assert Kind.SPELLING in kinds_in(selectors.advice_for_record(record), Section.REASON)
    AdviceWord.objects.create(kind=WordKind.FIELD_WORD, term="famliyhub")
    assert Kind.SPELLING not in kinds_in(selectors.advice_for_record(record), Section.REASON)


def test_the_reading_ease_target_is_a_setting(complete_record, case):
    record = write(complete_record, case.worker, Section.REASON, reason_for_closure=LONG + " " + LONG)
    with override_settings(ADVICE_READING_EASE_TARGET=100):
        assert Kind.READABILITY in kinds_in(selectors.advice_for_record(record), Section.REASON)
    with override_settings(ADVICE_READING_EASE_TARGET=0):
        assert Kind.READABILITY not in kinds_in(selectors.advice_for_record(record), Section.REASON)
    with override_settings(ADVICE_LONG_SENTENCE_WORDS=100):
        assert Kind.LONG_SENTENCE not in kinds_in(selectors.advice_for_record(record), Section.REASON)


def test_advice_never_blocks_submission(complete_record, case):
    assert selectors.advice_for_record(complete_record).count
    record = services.closure_submit(actor=case.worker, record=complete_record)
    assert record.status == Status.SUBMITTED


def test_the_panel_lists_advice_and_marks_long_sentences(complete_record, case):
    record = write(complete_record, case.worker, Section.REASON, reason_for_closure="Short start. " + LONG)
    html = Template("{% load advice %}{% advice_panel record section %}").render(
        Context({"record": record, "section": Section.REASON})
    )
    assert "Writing advice" in html
    assert "<mark>Ruby and her mother moved" in html
    assert "It does not stop you saving or submitting" in html
    assert 'data-advice-kind="long_sentence"' in html


def test_the_panel_escapes_the_workers_text(complete_record, case):
    text = "<script>alert(1)</script> " + LONG
    record = write(complete_record, case.worker, Section.REASON, reason_for_closure=text)
    html = Template("{% load advice %}{% advice_panel record 'reason' %}").render(Context({"record": record}))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_managers_summary_counts_outstanding_advice(complete_record):
    html = Template("{% load advice %}{% advice_summary record %}").render(
        Context({"record": complete_record})
    )
    advice = selectors.advice_for_record(complete_record)
    assert f"{advice.count} pieces of writing advice in {len(advice.outstanding)} sections" in html
    assert 'data-advice-section="review"' in html
    assert "Evidence and specifics" in html


def test_an_addendum_is_advised_on_its_correction_only(complete_record, case):
    record = services.closure_submit(actor=case.worker, record=complete_record)
    record = services.closure_authorise(actor=case.manager, record=record)
    addendum = services.addendum_start(
        reason="A date in the record is wrong.", actor=case.worker, record=record
    )
    addendum = write(addendum, case.worker, Section.ADDENDUM, addendum_text="Wrong date.")
    advice = selectors.advice_for_record(addendum)
    assert [s.section for s in advice.sections] == [Section.ADDENDUM]
    assert kinds_in(advice, Section.ADDENDUM) == [Kind.TOO_SHORT]


def test_the_panel_says_when_a_section_meets_the_target(complete_record, case):
    plain = (
        "Ruby and her mum now live in a safe flat. She sleeps well and goes to school every day. "
        "Her mum has a safety plan and knows who to call. We all agreed that the family no longer "
        "needs a social worker."
    )
    record = write(complete_record, case.worker, Section.REASON, reason_for_closure=plain)
    html = Template("{% load advice %}{% advice_panel record 'reason' %}").render(Context({"record": record}))
    assert "This reads plainly" in html
    assert "Reading ease" not in html and "60" not in html  # no score is shown to the worker
    assert "No writing advice for this section." in html


# --- Kept in the cache: an unchanged text is not advised on again -----------------------------------


@pytest.fixture
def engine_calls(monkeypatch):
    """The texts the engine is asked to advise on, from an empty cache."""
    from django.core.cache import caches

    cache = caches[selectors.ADVICE_CACHE]
    cache.clear()
    asked = []
    advise = selectors.engine.advise_text

    def counted(text, **kwargs):
        asked.append(text)
        return advise(text, **kwargs)

    monkeypatch.setattr(selectors.engine, "advise_text", counted)
    yield asked
    cache.clear()


def test_advice_on_an_unchanged_record_comes_from_the_cache(complete_record, engine_calls):
    first = selectors.advice_for_record(complete_record)
    assert engine_calls
    engine_calls.clear()
    again = selectors.advice_for_record(complete_record)
    assert engine_calls == []
    assert again == first  # the same advice, fields, scores and highlights
    assert selectors.advice_for_section(complete_record, Section.REASON) == first.section(Section.REASON)
    assert engine_calls == []


def test_only_the_changed_text_is_advised_on_again(complete_record, case, engine_calls):
    selectors.advice_for_record(complete_record)
    engine_calls.clear()
    record = write(complete_record, case.worker, Section.REASON, reason_for_closure="The FSW closed it.")
    advice = selectors.advice_for_record(record)
    assert engine_calls == ["The FSW closed it."]
    assert advice.section(Section.REASON).fields[0].text == "The FSW closed it."


def test_a_word_list_change_advises_on_cached_text_again(complete_record, case, engine_calls):
    record = write(complete_record, case.worker, Section.REASON, reason_for_closure="The FSW closed it.")
    assert Kind.JARGON not in kinds_in(selectors.advice_for_record(record), Section.REASON)
    engine_calls.clear()
    AdviceWord.objects.create(kind=WordKind.JARGON, term="FSW", plain="family support worker")
    assert Kind.JARGON in kinds_in(selectors.advice_for_record(record), Section.REASON)
    assert "The FSW closed it." in engine_calls  # every text again: the word lists changed
    engine_calls.clear()
    with override_settings(ADVICE_LONG_SENTENCE_WORDS=5):
        selectors.advice_for_record(record)
    assert "The FSW closed it." in engine_calls  # and when a target changes


def test_the_cache_keys_are_digests_with_no_text_or_name_in_them(complete_record, case, engine_calls):
    from django.core.cache import caches

    cache = caches[selectors.ADVICE_CACHE]
    kept = []
    set_many = cache.set_many
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            cache, "set_many", lambda found, *a, **k: kept.extend(found) or set_many(found, *a, **k)
        )
        selectors.advice_for_record(complete_record)
    assert kept and all(re.fullmatch(r"advice:[0-9a-f]{64}", key) for key in kept)
    assert not any(case.child.first_name.lower() in key.lower() for key in kept)


def test_the_advice_stays_in_the_process_not_the_shared_cache(complete_record, engine_calls):
    """The answers quote the record's text: never in the default cache, which is Redis (shared by
    every server) when REDIS_URL is set."""
    from django.conf import settings
    from django.core.cache import caches

    kept = []
    advice_cache = caches[selectors.ADVICE_CACHE]
    set_many = advice_cache.set_many
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            advice_cache, "set_many", lambda found, *a, **k: kept.extend(found) or set_many(found, *a, **k)
        )
        selectors.advice_for_record(complete_record)
    assert kept and caches["default"].get_many(kept) == {}
    assert settings.CACHES[selectors.ADVICE_CACHE]["BACKEND"].endswith("LocMemCache")
