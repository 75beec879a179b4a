"""Each check of the writing advice: examples that must be flagged and examples that must not."""

import datetime as dt

import pytest

from closewell.advice import engine
from closewell.advice.bench import default_lexicon
from closewell.advice.engine import Kind

LEXICON = default_lexicon()
FACTS = engine.Facts(
    names=("Jayden", "Cole", "Leanne", "Marcus", "Bell", "Daniel", "Whitcombe"),
    family_names=("Jayden", "Cole", "Leanne", "Marcus", "Bell"),
    referral_date=dt.date(2026, 5, 3),
    today=dt.date(2026, 11, 23),
)
KNOWN = LEXICON.field_words | {n.lower() for n in FACTS.names}

PLAIN = (
    "Jayden and his mum now live in a safe flat. He sleeps well and goes to school every day. "
    "His mum has a safety plan and knows who to call if she is worried. We all agreed that the "
    "family no longer needs a social worker, and they know how to contact us again."
)
HARD = (
    "Notwithstanding the considerable amelioration in maternal emotional functioning, the "
    "multi-agency professional network's collective assessment necessitated continued "
    "interdisciplinary oversight, particularly regarding intergenerational vulnerabilities "
    "and the sustainability of protective factors, before determination of case closure "
    "could be responsibly ratified."
)


def kinds(advice):
    return [a.kind for a in advice]


# --- Plain English ---------------------------------------------------------------------------


def test_a_plain_well_written_paragraph_gets_no_readability_advice():
    assert engine.check_readability(PLAIN, target=60) == []
    assert engine.check_long_sentences(PLAIN, limit=25) == []
    assert engine.readability(PLAIN).ease >= 60


def test_hard_text_gets_advice_in_words_never_a_score():
    (advice,) = engine.check_readability(HARD, target=60)
    assert advice.kind == Kind.READABILITY
    assert advice.message == "These sentences are long. Try one idea per sentence."
    assert advice.example
    assert not any(c.isdigit() for c in advice.message)
    assert "reading age" not in advice.message.lower() and "ease" not in advice.message.lower()


def test_long_formal_words_in_short_sentences_get_advice_about_words():
    text = (
        "Maternal functioning demonstrated amelioration. Interdisciplinary oversight continued. "
        "Determination necessitated consideration. Sustainability remained questionable. "
        "Professional collaboration facilitated improvement. Accommodation stabilised considerably. "
        "Educational provision remained appropriate. Therapeutic intervention commenced subsequently. "
        "Communication deteriorated occasionally. Documentation accumulated unnecessarily."
    )
    (advice,) = engine.check_readability(text, target=60)
    assert "everyday words" in advice.message


def test_the_target_is_the_councils_with_a_margin_before_nagging():
    score = engine.readability(PLAIN).ease
    margin = engine.READABILITY_MARGIN
    assert engine.check_readability(PLAIN, target=score + margin + 1)
    # Just under the target (a 59 against 60) does not nag.
    assert not engine.check_readability(PLAIN, target=score + 1)
    assert not engine.check_readability(PLAIN, target=score + margin - 1)


def test_text_too_short_to_score_is_not_scored():
    assert engine.readability("Jayden is safe.") is None
    assert engine.check_readability("Notwithstanding amelioration.", target=60) == []


def test_long_sentences_are_flagged_and_highlighted():
    text = "Short one. " + HARD + " Another short one."
    (advice,) = engine.check_long_sentences(text, limit=25)
    assert advice.kind == Kind.LONG_SENTENCE
    assert "long" in advice.message and not any(c.isdigit() for c in advice.message)
    pieces = engine.highlight(text, 25)
    assert [long for _, long in pieces] == [False, True, False]
    assert "".join(part for part, _ in pieces) == text
    assert pieces[1][0].startswith("Notwithstanding")


def test_sentences_at_or_just_over_the_limit_are_not_long():
    at_limit = " ".join(["word"] * 25) + "."
    just_over = " ".join(["word"] * (25 + engine.LONG_SENTENCE_MARGIN)) + "."
    well_over = " ".join(["word"] * (26 + engine.LONG_SENTENCE_MARGIN)) + "."
    assert engine.check_long_sentences(at_limit, limit=25) == []
    assert engine.check_long_sentences(just_over, limit=25) == []
    assert engine.check_long_sentences(well_over, limit=25)
    assert any(long for _, long in engine.highlight(well_over, 25))
    assert not any(long for _, long in engine.highlight(just_over, 25))


def test_sentences_split_on_full_stops_and_lines_not_on_titles():
    text = "Mr. Bell came. Ms Cole said “no.” Then we left\n3 May 2026, home visit\n\nDone."
    assert engine.sentences(text) == [
        "Mr. Bell came.",
        "Ms Cole said “no.”",
        "Then we left",
        "3 May 2026, home visit",
        "Done.",
    ]


# --- Jargon ----------------------------------------------------------------------------------


def test_icpc_is_flagged_with_its_plain_alternative():
    (advice,) = engine.check_jargon("The ICPC was held in June.", LEXICON)
    assert advice.kind == Kind.JARGON
    assert advice.excerpt == "ICPC"
    assert "child protection conference" in advice.suggestion
    assert advice.suggestion in advice.message


@pytest.mark.parametrize(
    "term", ["CIN", "CP", "s47", "LAC", "PLO", "IRO", "TAF", "CLA", "EHA", "CAMHS", "DV"]
)
def test_acronyms_a_family_would_not_know_are_flagged(term):
    assert kinds(engine.check_jargon(f"We discussed the {term} with her.", LEXICON)) == [Kind.JARGON]


@pytest.mark.parametrize(
    "text",
    [
        "The cinema trip went well.",  # 'cin' inside a word
        "Cin is short for nothing here.",  # not in capitals
        "She was very capable.",
        "He kept his lace tied.",  # 'lac' inside a word
        "Jayden's dv-style drawing.",  # lower case, part of a hyphenated word
    ],
)
def test_acronyms_are_matched_whole_and_case_sensitive(text):
    assert engine.check_jargon(text, LEXICON) == []


def test_the_longest_term_wins_and_each_term_once():
    advice = engine.check_jargon("The CIN plan ended. The CIN plan worked. CIN again.", LEXICON)
    assert [a.excerpt for a in advice] == ["CIN plan", "CIN"]


def test_words_of_jargon_match_in_any_case():
    assert kinds(engine.check_jargon("A Strategy Discussion was held.", LEXICON)) == [Kind.JARGON]


def test_a_councils_own_jargon_is_used():
    lexicon = engine.Lexicon(jargon=(("FSW", "family support worker", True),))
    (advice,) = engine.check_jargon("The FSW visited.", lexicon)
    assert advice.suggestion == "family support worker"


# --- Spelling --------------------------------------------------------------------------------


def test_short_beak_care_is_flagged_as_short_break_care():
    text = "Support included child minding, short beak care and a Home-Start volunteer."
    (advice,) = engine.check_phrases(text, LEXICON)
    assert advice.kind == Kind.PHRASE
    assert (advice.excerpt, advice.suggestion) == ("short beak care", "short break care")
    assert engine.check_spelling(text, KNOWN) == []  # every word is real: a spell checker misses it


@pytest.mark.parametrize(
    "text",
    [
        "Short break care was discontinued.",
        "She had short breaks once a month.",  # another form of the phrase
        "The foster carer and the foster care team.",  # 'carer' is not a slip for 'care'
        "A child in need plan.",
        "The bird hurt its beak.",
    ],
)
def test_field_phrases_written_right_are_not_flagged(text):
    assert engine.check_phrases(text, LEXICON) == []


def test_misspelt_words_are_flagged_with_a_suggestion():
    advice = engine.check_spelling("She recieved the letter and seemed tierd.", KNOWN)
    assert {(a.excerpt, a.suggestion) for a in advice} == {("recieved", "received"), ("tierd", "tired")}


@pytest.mark.parametrize(
    "text",
    [
        "Safeguarding and wellbeing were discussed with the childminder.",
        "A re-referral would follow; the step-down to early help worked.",
        "Ms Cole's perinatal care and the non-molestation order.",
        "It's Jayden's bedroom; the carers' rota didn't change.",
        "Northmoor Homes and the Okafors.",  # capitalised names and places are left to the name check
        "Her behaviour, the neighbour's colour scheme and the centre's programme.",  # UK spelling
        "She recognises the paediatrician; counselling and organisations travelled; licence, metres.",
        "Maths went well; his weight is on the 50th centile at 15 kg.",
    ],
)
def test_field_words_names_and_contractions_are_not_flagged(text):
    assert engine.check_spelling(text, KNOWN) == []


def test_a_word_with_no_close_suggestion_is_still_flagged():
    (advice,) = engine.check_spelling("The xqzvbk was noted.", KNOWN)
    assert advice.suggestion == ""
    assert "not in the dictionary" in advice.message


def test_leane_is_flagged_against_leanne_cole():
    (advice,) = engine.check_names("Leane said she was ready.", FACTS, KNOWN)
    assert advice.kind == Kind.NAME
    assert (advice.excerpt, advice.suggestion) == ("Leane", "Leanne")


@pytest.mark.parametrize("wrong,right", [("Jaden", "Jayden"), ("Jaydon", "Jayden"), ("Coel", "Cole")])
def test_names_one_or_two_letters_out_are_flagged(wrong, right):
    (advice,) = engine.check_names(f"I saw {wrong} at school.", FACTS, KNOWN)
    assert advice.suggestion == right


@pytest.mark.parametrize(
    "text",
    [
        "Leanne Cole said she was ready.",  # right
        "Tell Mr Bell about the Close.",  # dictionary words near a name
        "Daniel Whitcombe visited.",  # the worker
        "The CAMHS worker came.",  # capitals are jargon, not names
        "Jayden's mum came.",
    ],
)
def test_names_spelt_right_and_ordinary_words_are_not_flagged(text):
    assert engine.check_names(text, FACTS, KNOWN) == []


# --- Evidence and specifics ------------------------------------------------------------------


def test_a_section_too_short_to_say_anything_is_flagged_without_a_count_to_pad_to():
    (advice,) = engine.check_length("Case closed.", min_words=30, about="why the case is closing")
    assert advice.kind == Kind.TOO_SHORT
    assert "why the case is closing" in advice.message
    assert not any(c.isdigit() for c in advice.message)
    assert "aim for" not in advice.message.lower()


def test_length_advice_only_where_a_section_is_truly_thin():
    nine = "Ms Cole agrees with closure and feels supported by us."
    assert engine.check_length(nine, min_words=15) == []  # a third of 15 or more: not thin
    assert engine.check_length("Agreed.", min_words=15)


def test_a_section_long_enough_or_empty_is_not_flagged_for_length():
    assert engine.check_length(PLAIN, min_words=30) == []
    assert engine.check_length("", min_words=30) == []  # empty is a submission rule, not advice


def test_a_quote_less_childs_views_are_flagged():
    (advice,) = engine.check_voice("Jayden is happy with closure.", ["Jayden", "Cole"], "Jayden")
    assert advice.kind == Kind.NO_VOICE
    assert "what Jayden said, in quotation marks" in advice.message
    assert advice.example


@pytest.mark.parametrize(
    "text",
    [
        "Ruby said: “I feel safe now.”",
        "When we talked, he said 'it's better now'.",
        "‘I like my new room,’ Jayden wrote on his card.",
    ],
)
def test_views_that_quote_the_person_are_not_flagged(text):
    assert engine.check_voice(text, ["Jayden", "Cole", "Ruby", "mum"], "them") == []


@pytest.mark.parametrize(
    "text", ["It's the right time for Jayden's case to close.", "The school said it is fine."]
)
def test_an_apostrophe_or_someone_else_speaking_is_not_the_persons_voice(text):
    assert engine.check_voice(text, ["Jayden"], "Jayden")


def test_an_outcome_without_a_date_or_measure_is_flagged():
    (advice,) = engine.check_measure("Fewer nightmares.")
    assert advice.kind == Kind.NO_MEASURE


@pytest.mark.parametrize(
    "text",
    [
        "Attendance 97% this term.",
        "9 of 10 sessions attended.",
        "Ellie settled within two weeks.",
        "Discharged on 3 May 2026.",
        "Ellie has a place for September.",
        "Sleeping through the night half the week.",
    ],
)
def test_an_outcome_with_a_date_number_or_percentage_is_not_flagged(text):
    assert engine.check_measure(text) == []


def test_a_date_before_the_referral_is_flagged():
    (advice,) = engine.check_dates("Seen on 13/05/2019 at home.", FACTS)
    assert advice.kind == Kind.DATE
    assert advice.excerpt == "13/05/2019"
    assert "before this referral (3 May 2026)" in advice.message


@pytest.mark.parametrize(
    "text,excerpt",
    [
        ("Seen on 1 March 2026.", "1 March 2026"),
        ("Seen on 1st April 2026.", "1st April 2026"),
        ("Seen on 2nd March.", "2nd March"),  # no year: the last 2 March on or before today
        ("Seen in March 2026.", "March 2026"),
        ("Seen on 24 December 2026.", "24 December 2026"),  # after today
        ("Seen on 01/12/26.", "01/12/26"),
    ],
)
def test_dates_outside_the_episode_are_flagged(text, excerpt):
    assert [a.excerpt for a in engine.check_dates(text, FACTS)] == [excerpt]


@pytest.mark.parametrize(
    "text",
    [
        "Referred on 3 May 2026 and seen on 03/05/2026.",
        "Seen on 3rd May, 20th November and 23 November 2026.",
        "Seen in May 2026.",  # the referral's month
        "Police were called on 1 May 2026.",  # what led to the referral, just before it
        "Release is expected on 2 May 2027.",  # planned, and said so
        "The order lasts until 24 June 2027.",
        "Noah was born on 22nd January 2026.",  # history, and said so
        "He has 12/10 vision.",  # not a date
    ],
)
def test_dates_inside_the_episode_or_planned_or_history_are_not_flagged(text):
    assert engine.check_dates(text, FACTS) == []


def test_find_dates_reads_common_uk_formats():
    found = engine.find_dates("3 May 2026, 03/05/2026, 3rd May, May 3rd, 2026 and June 2026", FACTS.today)
    assert [f.date for f in found] == [
        dt.date(2026, 5, 3),
        dt.date(2026, 5, 3),
        dt.date(2026, 5, 3),
        dt.date(2026, 5, 3),
        dt.date(2026, 6, 1),
    ]


# --- All together ----------------------------------------------------------------------------


def test_empty_text_gets_no_advice():
    assert (
        engine.advise_text("  ", lexicon=LEXICON, facts=FACTS, targets=engine.Targets(), min_words=30) == []
    )


def test_advise_text_runs_every_check_that_applies():
    text = "Leane is happy. The ICPC was on 13/05/2019. We recieved short beak care."
    advice = engine.advise_text(
        text,
        lexicon=LEXICON,
        facts=FACTS,
        targets=engine.Targets(),
        min_words=60,
        who="Leanne Cole",
        voice_of=["Leanne", "Cole"],
        outcome=True,
    )
    assert set(kinds(advice)) == {
        Kind.JARGON,
        Kind.PHRASE,
        Kind.SPELLING,
        Kind.NAME,
        Kind.TOO_SHORT,
        Kind.DATE,
        Kind.NO_VOICE,
    }
    assert all(a.heading for a in advice)


def test_the_spell_checker_is_built_once_a_process():
    assert engine.spell_checker() is engine.spell_checker()


def test_edit_distance_counts_a_swap_once():
    assert engine.edit_distance("beak", "break") == 1
    assert engine.edit_distance("coel", "cole") == 1
    assert engine.edit_distance("close", "cole", 3) == 2
    assert engine.edit_distance("a", "abcdef", 3) == 3


def test_a_misspelt_british_word_is_still_flagged():
    (advice,) = engine.check_spelling("She showed good behavour.", KNOWN)
    assert advice.excerpt == "behavour"
