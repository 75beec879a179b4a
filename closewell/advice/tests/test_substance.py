"""The advice on what a record says: labels, roles for names, claims without evidence, views
without the person's words, dates that do not exist or read two ways, real-word slips; and the
advice's own words (no scores, suggestions for misspellings, plain alternatives). Each kind is
flagged where it should be and stays silent on good writing."""

import datetime as dt

import pytest

from closewell.advice import engine, substance
from closewell.advice.bench import default_lexicon
from closewell.advice.engine import Kind

LEXICON = default_lexicon()
FACTS = engine.Facts(
    names=("Lily", "Marsh", "Dana", "Craig", "Amir", "Noor", "Karl", "Sam", "Whitlow"),
    family_names=("Lily", "Marsh", "Dana", "Craig", "Amir", "Noor", "Karl"),
    referral_date=dt.date(2026, 3, 2),
    today=dt.date(2026, 11, 20),
)
KNOWN = LEXICON.field_words | {n.lower() for n in FACTS.names}


def advise(text, **checks):
    return engine.advise_text(text, lexicon=LEXICON, facts=FACTS, targets=engine.Targets(), **checks)


def kinds(advice):
    return {a.kind for a in advice}


# --- Labels and blaming words ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, label",
    [
        ("Dana failed to engage with the parenting programme.", "failed to engage"),
        ("Karl has refused to cooperate since May.", "refused to cooperate"),
        ("He was non-compliant with the agreement.", "non-compliant"),
        ("He was non compliant with the agreement.", "non compliant"),
        ("Noor is manipulative.", "manipulative"),
        ("Craig presents as hostile to professionals.", "hostile"),
        ("Craig lacks insight into his drinking.", "lacks insight"),
        ("Dana remained resistant to advice.", "resistant"),
        ("An uncooperative parent.", "uncooperative"),
        ("There were worries about disguised compliance.", "disguised compliance"),
        ("Amir kicked off when Karl took his phone.", "kicked off"),
        ("Lily's placement with her aunt is going well.", "placement"),
        ("Supervised contact with Craig takes place on Saturdays.", "Supervised contact"),
        ("She refuses to engage with the school.", "refuses to engage"),
    ],
)
def test_labels_are_flagged_with_what_to_write_instead(text, label):
    (advice,) = substance.check_labels(text, LEXICON)
    assert advice.kind == Kind.LABEL
    assert advice.excerpt == label
    assert advice.suggestion and advice.example.startswith(f"Instead of “{label}”")
    assert "Describe what happened" in advice.message


@pytest.mark.parametrize(
    "text",
    [
        "Dana came to 2 of the 6 sessions between April and June 2026.",
        "Amir told me: “Dad says I'm uncooperative when I won't tidy my room.”",  # his words
        "Tyler has a work placement at the garage on Fridays.",
        "Noor knows how to contact the duty team, and keeps in contact with her sister.",
        "Karl shouted at me on the doorstep on 15 April and closed the door.",
        "Family time with Craig takes place every Saturday at the family centre.",
    ],
)
def test_descriptions_and_quotations_are_not_labels(text):
    assert substance.check_labels(text, LEXICON) == []


def test_each_label_once_and_the_councils_list_decides():
    text = "Dana failed to engage. Then she failed to engage again."
    assert len(substance.check_labels(text, LEXICON)) == 1
    own = engine.Lexicon(labels=(("gatekeeping", "say who stopped what, and when"),))
    (advice,) = substance.check_labels("There was gatekeeping by Karl.", own)
    assert advice.suggestion == "say who stopped what, and when"
    assert substance.check_labels("Dana failed to engage.", own) == []


# --- People called by their role -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, role",
    [
        ("Mum failed the parenting course.", "Mum"),
        ("Visited at home. Dad was present.", "Dad"),
        ("Mother had not taken Poppy to her check.", "Mother"),
        ("The father has moved out.", "father"),
        ("The child now goes to school every day.", "The child"),
        ("I saw the young person alone at school.", "the young person"),
        ("I talked to her. Mum said she was tired.", "Mum"),  # 'her' is in the sentence before
        ("Home visit: mum was asleep on the sofa.", "mum"),
    ],
)
def test_people_called_by_their_role_are_flagged(text, role):
    (advice,) = substance.check_roles(text, FACTS.names)
    assert advice.kind == Kind.ROLE
    assert advice.excerpt == role
    assert "by their names" in advice.message
    assert "→" in advice.example and "[" in advice.example


@pytest.mark.parametrize(
    "text",
    [
        "Lily told me: “I like it now because Mum doesn't cry any more.”",
        "Lily wants to keep living with her mum.",
        "Lily's dad takes her swimming on Saturdays.",
        "Dana went to a mother and baby group.",
        "The child protection plan ended in June 2026.",
        "Shannon goes to the baby group every week.",
        "Lily is a child in need.",
        "Dana is a mother of two.",
        "Her birth mother writes to her twice a year.",
    ],
)
def test_relationships_quotations_and_things_are_not_roles(text):
    assert substance.check_roles(text, FACTS.names) == []


# --- Claims of change without evidence --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dana has made good progress.",
        "The risks have reduced and she has shown insight. There are no concerns.",
        "Things have improved a lot and the family are doing well.",
        "Karl has engaged well with the plan.",
        "The situation is now stable.",
        "Lily's needs are being met.",
        "There has been sustained change.",
    ],
)
def test_claims_without_evidence_are_flagged_in_any_section(text):
    advice = advise(text)
    assert Kind.CLAIM in kinds(advice)
    claim = next(a for a in advice if a.kind == Kind.CLAIM)
    assert "what has changed, how much, since when" in claim.message
    assert claim.example


@pytest.mark.parametrize(
    "text",
    [
        "Dana has made good progress: she went to 11 of 12 sessions.",
        "Risks have reduced since March 2026: Karl has moved out.",
        "There are no concerns from the school: each teacher told me Lily is happy.",
        "Attendance 97% this term. No concerns reported.",  # the evidence is the sentence before
        "Things have improved because Karl has moved out.",
        "Dana went to 11 of 12 sessions and Lily sleeps through most nights.",
    ],
)
def test_claims_with_their_evidence_are_not_flagged(text):
    assert substance.check_claims(text) == []


# --- Views without the person's words ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lily feels safer now. She wants to carry on living with her mum.",
        "Noor agrees with closure and feels the support helped.",
        "Amir said he was happy with the case closing.",  # reported, not his words
    ],
)
def test_views_without_the_persons_words_ask_for_a_quotation(text):
    (advice,) = substance.check_views(text, "Lily")
    assert advice.kind == Kind.NO_VOICE
    assert "in quotation marks" in advice.message
    assert advice.example


@pytest.mark.parametrize(
    "text",
    [
        "Lily said at school on 3 November 2026: “I feel safe now.”",
        "Amir drew a picture of himself in goal and wrote 'me when I'm happy' under it.",
        "Poppy is 20 months old and too young to give her views in words; I observed her play.",
        "Amir did not want to talk about the case closing.",
    ],
)
def test_views_in_the_persons_words_or_observed_are_not_flagged(text):
    assert substance.check_views(text, "Lily") == []


def test_voice_is_checked_only_on_views():
    text = "Lily feels safer now and wants to stay at her school."
    assert Kind.NO_VOICE not in kinds(advise(text))
    assert Kind.NO_VOICE in kinds(advise(text, who="Lily"))


# --- Dates that do not exist or read two ways -------------------------------------------------


@pytest.mark.parametrize(
    "text, written, words",
    [
        ("Visited on 31 February 2026.", "31 February 2026", "February 2026 has 28 days"),
        ("Seen on 29 February 2025.", "29 February 2025", "February 2025 has 28 days"),
        ("Moved out on 31st June 2026.", "31st June 2026", "June 2026 has 30 days"),
        ("Met on April 31 2026.", "April 31 2026", "April 2026 has 30 days"),
        ("Core group on 30/02/2026.", "30/02/2026", "February 2026 has 28 days"),
    ],
)
def test_dates_that_do_not_exist_are_flagged(text, written, words):
    (advice,) = engine.check_date_forms(text, FACTS.today)
    assert advice.kind == Kind.DATE and advice.excerpt == written
    assert words in advice.message


def test_an_impossible_date_is_not_misread_as_its_month():
    # "29 February 2025" once read as February 2025, before the referral: now it is one advice.
    advice = engine.check_dates("Seen on 29 February 2025.", FACTS)
    assert advice == []
    assert [a.excerpt for a in advise("Seen on 29 February 2025.") if a.kind == Kind.DATE] == [
        "29 February 2025"
    ]


def test_a_month_first_date_is_flagged_with_the_uk_reading():
    (advice,) = engine.check_date_forms("Strategy meeting on 12/14/2025.", FACTS.today)
    assert "month written first" in advice.message
    assert "14 December 2025" in advice.example


def test_an_ambiguous_date_is_flagged_with_both_readings():
    (advice,) = engine.check_date_forms("Saw Amir on 03/04/2026.", FACTS.today)
    assert "3 April or 4 March" in advice.message
    assert "3 April 2026" in advice.example


@pytest.mark.parametrize(
    "text",
    [
        "Seen on 13/05/2026.",
        "Seen on 5/5/2026.",
        "Seen on 3 April 2026.",
        "Seen on 29 February 2028.",
        "2/3 of",
    ],
)
def test_dates_that_exist_and_read_one_way_are_not_flagged(text):
    assert engine.check_date_forms(text, FACTS.today) == []


# --- Real-word slips --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, meant",
    [
        ("Referred to the perinatal mental heath team.", "mental health"),
        ("A signs of safely mapping meeting.", "signs of safety"),
        ("Rosa is now a care lever.", "care leaver"),
        ("Seen by the heath visitor on 6 May.", "health visitor"),
        ("They made a safety plane together.", "safety plan"),
        ("Amir was seen by his social worked.", "social worker"),
        ("The same foster career every weekend.", "foster carer"),
        ("Support included short beak care.", "short break care"),
    ],
)
def test_real_word_slips_are_flagged(text, meant):
    advice = engine.check_phrases(text, LEXICON, KNOWN)
    assert any(meant in a.suggestion for a in advice)
    assert all(a.kind == Kind.PHRASE for a in advice)
    assert engine.check_spelling(text, KNOWN) == []  # every word is real: a spell checker misses it


@pytest.mark.parametrize(
    "text",
    [
        "The mental health team and the health visitors.",
        "Safety plans, care plans and foster carers.",
        "She looked after Lily; she would look after her again.",
        "Lily goes to the school nursery.",
        "Social work began in March; the social workers changed twice.",
        "A parenting program in the USA.",
    ],
)
def test_phrases_and_their_other_forms_are_not_slips(text):
    assert engine.check_phrases(text, LEXICON, KNOWN) == []


# --- The advice's own words -------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, suggestion",
    [("behavour", "behaviour"), ("recieved", "received"), ("famly", "family"), ("neccessary", "necessary")],
)
def test_every_misspelling_gets_a_suggestion_in_uk_spelling(word, suggestion):
    (advice,) = engine.check_spelling(f"Her {word} was noted.", KNOWN)
    assert advice.suggestion == suggestion
    assert f"did you mean “{suggestion}”" in advice.message


def test_the_reviewed_jargon_list():
    (plo,) = engine.check_jargon("A PLO letter was sent.", LEXICON)
    assert "PLO" not in plo.suggestion and "pre-proceedings" not in plo.suggestion
    (signposted,) = engine.check_jargon("Dana was signposted to the food bank.", LEXICON)
    assert signposted.excerpt == "signposted"
    assert engine.check_spelling("The intergenerational work went well.", KNOWN) == []
    assert engine.check_jargon("There were worries about disguised compliance.", LEXICON) == []  # a label


def test_no_advice_shows_a_score():
    hard = (
        "Notwithstanding the considerable amelioration in maternal emotional functioning, the "
        "multi-agency professional network's collective assessment necessitated continued "
        "interdisciplinary oversight, particularly regarding intergenerational vulnerabilities "
        "and the sustainability of protective factors, before determination of case closure "
        "could be responsibly ratified. " * 2
    )
    for advice in advise(hard, min_words=40):
        assert "reading ease" not in advice.message.lower()
        assert "reading age" not in advice.message.lower()
        assert "words." not in advice.message or advice.kind != Kind.LONG_SENTENCE


# --- Good writing gets nothing ----------------------------------------------------------------


GOOD = [
    (
        "Dana has finished the Freedom Programme, going to 11 of 12 sessions between April and July "
        "2026. Lily's attendance has risen from 81% to 97% this term, and her teacher told me on "
        "3 November 2026 that Lily has made two friends.",
        {},
    ),
    (
        "Lily told me at school on 3 November 2026: “I like it now because Mum doesn't cry any more "
        "and I can have friends round.” She drew her house with everyone smiling.",
        {"who": "Lily"},
    ),
    (
        "Home visit on 13/05/2026: saw Lily with Dana. Lily showed me her reading book and the sleep "
        "diary Dana has kept since April, and we talked about her favourite colour.",
        {"min_words": 40},
    ),
]


@pytest.mark.parametrize("text, checks", GOOD)
def test_good_writing_gets_no_advice_at_all(text, checks):
    assert advise(text, **checks) == []


# --- Bounded ----------------------------------------------------------------------------------


def test_huge_text_is_not_advised_on_but_said_to_be_too_long(monkeypatch):
    huge = "Mum failed to engage and made good progress. " * 8000  # 360 KB
    monkeypatch.setattr(engine, "check_spelling", lambda *a, **k: pytest.fail("advised on huge text"))
    monkeypatch.setattr(engine.textstat, "flesch_reading_ease", lambda *a: pytest.fail("scored huge text"))
    (advice,) = advise(huge, min_words=40, who="Lily", outcome=True)
    assert advice.kind == Kind.TOO_LONG
    assert "too long to advise on" in advice.message
    assert engine.readability(huge) is None
    assert engine.highlight(huge, 25) == []


def test_the_advice_list_is_bounded_whatever_is_written():
    words = " ".join(f"blorf{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(200))  # 200 misspellings
    advice = advise(words)
    spelling = [a for a in advice if a.kind == Kind.SPELLING]
    assert len(spelling) == engine.MAX_PER_KIND + 1
    assert spelling[-1].message == f"And {200 - engine.MAX_PER_KIND} more words that may be misspelt."


def test_advice_grows_linearly_with_the_text():
    # The work is one pass: the number of sentence scans does not grow with the square of the text.
    text = "Lily went to school on 3 May 2026 with Dana. " * 400  # 18 KB, under the cap
    advice = advise(text, min_words=40)
    assert len(advice) <= 13 * (engine.MAX_PER_KIND + 1)


@pytest.mark.parametrize(
    "text",
    ["Visits were at 10.30-12.30 on Tuesdays.", "Lily is 1.25-1.30 m tall.", "Seen 3 times in 2-3 weeks."],
)
def test_times_and_ranges_are_not_dates(text):
    assert engine.check_date_forms(text, FACTS.today) == []
    assert engine.check_dates(text, FACTS) == []


def test_an_unborn_baby_has_no_name_to_use():
    assert substance.check_roles("Dana is pregnant and the baby is due in May 2027.", FACTS.names) == []


@pytest.mark.parametrize("text", ["He lives with his mum and dad.", "Lily's nan and grandad live nearby."])
def test_roles_described_together_are_relationships(text):
    assert substance.check_roles(text, FACTS.names) == []


def test_more_roles_and_labels_and_claims():
    assert [a.excerpt for a in substance.check_roles("Nan collects Lily on Fridays.", FACTS.names)] == ["Nan"]
    assert [a.excerpt for a in substance.check_roles("Mum and Dad came.", FACTS.names)] == ["Mum", "Dad"]
    labels = substance.check_labels("Dana failed to attend and was obstructive.", LEXICON)
    assert [a.excerpt for a in labels] == ["failed to attend", "obstructive"]
    assert substance.check_claims("Things are going well at home.")
    assert engine.check_phrases("Karl is a domestic abuser and a drug user.", LEXICON, KNOWN) == []


def test_a_label_term_without_a_word_in_it_matches_nothing():
    own = engine.Lexicon(labels=(("/", "x"), (" - ", "y"), ("a/b", "z"), ("hostile", "describe it")))
    assert [a.excerpt for a in substance.check_labels("Karl was hostile. A b c.", own)] == ["hostile"]
