"""Writing advice for a Closure Record: pure functions, text in and advice out, no database.

The family reads this record, and the child may read it again as an adult, so each check looks
for one way a record can fail them: hard to read, full of jargon, misspelt, too thin to say
anything, without the person's own voice, without a measure, with dates or names that are wrong.
Advice never blocks a save or a submission; the rules that do are in closures/checks.py.
"""

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import textstat
from spellchecker import SpellChecker

from closewell.core.dates import long_date


class Kind:
    """What kind of advice, and the heading it is listed under."""

    READABILITY = "readability"
    LONG_SENTENCE = "long_sentence"
    JARGON = "jargon"
    SPELLING = "spelling"
    PHRASE = "phrase"
    NAME = "name"
    TOO_SHORT = "too_short"
    NO_VOICE = "no_voice"
    NO_MEASURE = "no_measure"
    DATE = "date"
    LABEL = "label"
    ROLE = "role"
    NOT_TO_CHILD = "not_to_child"
    CLAIM = "claim"
    TOO_LONG = "too_long"

    HEADINGS = {
        TOO_LONG: "Plain English",
        READABILITY: "Plain English",
        LONG_SENTENCE: "Plain English",
        JARGON: "Jargon",
        SPELLING: "Spelling",
        PHRASE: "Spelling",
        NAME: "Spelling",
        TOO_SHORT: "Evidence and specifics",
        NO_VOICE: "Evidence and specifics",
        NO_MEASURE: "Evidence and specifics",
        DATE: "Evidence and specifics",
        CLAIM: "Evidence and specifics",
        LABEL: "Describe, do not label",
        ROLE: "Describe, do not label",
        NOT_TO_CHILD: "Write to the child",
    }


@dataclass(frozen=True)
class Advice:
    kind: str
    message: str
    excerpt: str = ""
    suggestion: str = ""
    field: str = ""
    field_label: str = ""
    example: str = ""  # an example rewrite, shown under the message

    @property
    def heading(self) -> str:
        return Kind.HEADINGS[self.kind]


@dataclass(frozen=True)
class Lexicon:
    """The council's word lists: jargon with plain alternatives, field words, field phrases, and
    labels with what to write instead."""

    jargon: tuple[tuple[str, str, bool], ...] = ()  # (term, plain alternative, match case)
    field_words: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # (term, what to write instead)

    @functools.cached_property
    def jargon_patterns(self) -> tuple[tuple[re.Pattern, dict[str, tuple[str, str]]], ...]:
        """Two patterns, one for acronyms matched as written and one ignoring case, each an
        alternation longest first (so "CIN plan" wins over "CIN"), with the term each match means."""
        patterns = []
        for match_case in (True, False):
            terms = sorted((t for t, _, m in self.jargon if m == match_case), key=len, reverse=True)
            if not terms:
                continue
            alternation = "|".join(re.escape(t) for t in terms)
            pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", 0 if match_case else re.IGNORECASE)
            meaning = {(t if m else t.lower()): (t, plain) for t, plain, m in self.jargon if m == match_case}
            patterns.append((pattern, meaning))
        return tuple(patterns)

    @functools.cached_property
    def phrase_words(self) -> tuple[tuple[str, ...], ...]:
        """The council's phrases and the common word pairs of the field, each once."""
        phrases = dict.fromkeys(p.lower() for p in (*self.phrases, *common_pairs()))
        return tuple(tuple(p.split()) for p in phrases if len(p.split()) > 1)

    @functools.cached_property
    def phrase_sets(self) -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
        return tuple((phrase, frozenset(phrase)) for phrase in self.phrase_words)

    @functools.cached_property
    def label_pattern(self) -> tuple[re.Pattern | None, tuple[tuple[str, str], ...]]:
        """One alternation of every label (each in a named group), longest first, with its term
        and what to write instead."""
        # A term must have a word in it: "/" or "-" alone would match everywhere.
        usable = ((t, p) for t, p in self.labels if re.search(r"[^\W_]{2}", t))
        labels = sorted(usable, key=lambda tp: len(tp[0]), reverse=True)
        if not labels:
            return None, ()
        alternation = "|".join(f"(?P<l{i}>{_label_regex(term)})" for i, (term, _) in enumerate(labels))
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE), tuple(labels)


@dataclass(frozen=True)
class Facts:
    """What the advice needs to know about the case: the people's names and the episode's dates."""

    names: tuple[str, ...] = ()  # every name part of the case's people (family, child, workers)
    family_names: tuple[str, ...] = ()  # the family's names, checked for misspellings
    referral_date: dt.date | None = None
    today: dt.date = field(default_factory=dt.date.today)


DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def common_pairs() -> tuple[str, ...]:
    """Word pairs common in social work writing (data/common_pairs.txt), shipped with the code."""
    lines = (DATA / "common_pairs.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _word_forms(word: str) -> str:
    """A word of a label with its usual endings: refused, refuses, refusing; fail, failure."""
    if len(word) < 4 or not word.isalpha():
        return re.escape(word)
    base = word
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            base = word[: -len(ending)]
            break
    if base.endswith("e"):
        base = base[:-1]
    elif base.endswith("y") and base[-2] not in "aeiou":
        return re.escape(base[:-1]) + "(?:y|ies|ied|ying)"
    return re.escape(base) + "(?:e|es|ed|ing|s|d|ment|ments|ement|ements|ure)?"


def _label_regex(term: str) -> str:
    """'supervised/direct contact' matches 'supervised contact' and 'direct contact'; words may be
    joined by spaces or hyphens ('non-compliant', 'non compliant')."""
    positions = [p for p in re.split(r"[\s-]+", term.strip().lower()) if p]
    parts = ["(?:" + "|".join(_word_forms(w) for w in p.split("/") if w) + ")" for p in positions]
    return r"[\s-]+".join(parts)


# ---------------------------------------------------------------------------------------------
# Text helpers

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# A word or a number; "13/05/2019" and "97.5" count as one.
TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9'’-]|[/.](?=\d))*")
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "e.g", "i.e", "etc", "no", "st", "approx", "vs"})


# Longer than this and a field is not advised on (a section is limited to far less): advice on
# every field is linear in its length, but a page must never wait for a book.
MAX_ADVISED_CHARS = 30_000


def too_long(text: str) -> bool:
    return len(text or "") > MAX_ADVISED_CHARS


def words(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def word_count(text: str) -> int:
    return len(words(text))


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence; cached only for text short enough to advise on."""
    return _sentence_spans(text) if not too_long(text) else _sentence_spans.__wrapped__(text)


@functools.lru_cache(maxsize=512)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence. A line break ends a sentence too: workers write lists."""
    spans = []
    for line in re.finditer(r"[^\n]+", text or ""):
        start = line.start()
        for stop in re.finditer(r"[.!?]+[’”'\")\]]*(?=\s+|$)", line.group()):
            before = line.group()[: stop.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            end = line.start() + stop.end()
            if last in ABBREVIATIONS:
                continue
            if text[start:end].strip():
                spans.append((start, end))
            start = end
        if text[start : line.end()].strip():
            spans.append((start, line.end()))
    return tuple((s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (a swap of two letters counts once), capped at limit."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------
# Plain English


@dataclass(frozen=True)
class Readability:
    ease: float
    grade: float
    words: int
    sentences: int

    @property
    def ease_shown(self) -> int:
        # Rounded down, so 59.6 is never shown as meeting a target of 60.
        return math.floor(self.ease)

    @property
    def reading_age(self) -> int:
        # A US school grade plus five is roughly the age of a reader at that grade.
        return max(5, round(self.grade + 5))


MIN_WORDS_FOR_SCORE = 30


def readability(text: str) -> Readability | None:
    """Flesch reading ease and Flesch-Kincaid grade, or None for text too short to score fairly
    (or too long to advise on).

    Each sentence is given its full stop first, so a list of lines is not read as one sentence."""
    if too_long(text):
        return None
    return _readability(text or "")


@functools.lru_cache(maxsize=256)
def _readability(text: str) -> Readability | None:
    # Cached: the advice and the page's summary both ask for the same field's score.
    found = sentences(text)
    count = sum(word_count(s) for s in found)
    if count < MIN_WORDS_FOR_SCORE:
        return None
    prose = " ".join(s if s.rstrip()[-1:] in ".!?" else s.rstrip() + "." for s in found)
    return Readability(
        ease=round(textstat.flesch_reading_ease(prose), 1),
        grade=round(textstat.flesch_kincaid_grade(prose), 1),
        words=count,
        sentences=len(found),
    )


# A score just under the target does not nag: advice starts this far below it.
READABILITY_MARGIN = 10
# Words a sentence may run over the council's limit before it is called long.
LONG_SENTENCE_MARGIN = 5
# On average, sentences longer than this make text hard going, whatever the words.
LONG_AVERAGE_SENTENCE = 20


def check_readability(text: str, *, target: float) -> list[Advice]:
    """Plain-English advice in words, never a score: the worker is told what makes the text hard."""
    score = readability(text)
    if score is None or score.ease >= target - READABILITY_MARGIN:
        return []
    if score.words / max(score.sentences, 1) > LONG_AVERAGE_SENTENCE:
        return [
            Advice(
                Kind.READABILITY,
                "These sentences are long. Try one idea per sentence.",
                example="“Ms Cole, who had been worried for some time, asked for help, which we gave.” → "
                "“Ms Cole had been worried for some time. She asked for help, and we gave it.”",
            )
        ]
    return [
        Advice(
            Kind.READABILITY,
            "Many of these words are long or formal. Try the everyday words you would use when talking "
            "to the family.",
            example="“Ms Cole demonstrated an improved understanding” → "
            "“Ms Cole told me she now understands”",
        )
    ]


def is_long(sentence: str, limit: int) -> bool:
    return word_count(sentence) > limit + LONG_SENTENCE_MARGIN


def long_sentences(text: str, limit: int) -> list[str]:
    return [s for s in sentences(text) if is_long(s, limit)]


def check_long_sentences(text: str, *, limit: int) -> list[Advice]:
    return [
        Advice(
            Kind.LONG_SENTENCE,
            "This sentence is long. Try splitting it into two or three, one idea each.",
            excerpt=_quote(s),
        )
        for s in long_sentences(text, limit)
    ]


def highlight(text: str, limit: int) -> list[tuple[str, bool]]:
    """The text as (part, is_long) pieces, so a template can mark the long sentences."""
    pieces: list[tuple[str, bool]] = []
    if too_long(text):
        return pieces
    position = 0
    for start, end in sentence_spans(text):
        if is_long(text[start:end], limit):
            if start > position:
                pieces.append((text[position:start], False))
            pieces.append((text[start:end], True))
            position = end
    if position < len(text or ""):
        pieces.append((text[position:], False))
    return pieces


# ---------------------------------------------------------------------------------------------
# Jargon


def check_jargon(text: str, lexicon: Lexicon) -> list[Advice]:
    """Each term once, longest match first; acronyms only in capitals (so 'cin' in a word is not)."""
    matches = []
    for pattern, meaning in lexicon.jargon_patterns:
        for match in pattern.finditer(text or ""):
            key = match.group() if match.group() in meaning else match.group().lower()
            matches.append((match.start(), -len(match.group()), match.end(), *meaning[key]))
    taken: list[tuple[int, int]] = []
    found: dict[str, tuple[int, str]] = {}
    for start, _, end, term, plain in sorted(matches):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        found.setdefault(term, (start, plain))
    return [
        Advice(
            Kind.JARGON,
            f"“{term}” may not mean anything to the family. Say “{plain}” instead.",
            excerpt=term,
            suggestion=plain,
        )
        for term, (_, plain) in sorted(found.items(), key=lambda item: item[1][0])
    ]


# ---------------------------------------------------------------------------------------------
# Spelling


@functools.cache
def spell_checker() -> SpellChecker:
    """English dictionary shipped inside pyspellchecker's wheel: no network. Built once a process."""
    return SpellChecker(language="en", distance=1)


@functools.cache
def _common_words() -> dict[str, tuple[str, ...]]:
    """The dictionary's commoner words by first letter, for suggestions two letters away."""
    by_letter: dict[str, list[str]] = {}
    for word, count in spell_checker().word_frequency.dictionary.items():
        if count >= 200 and word.isalpha():
            by_letter.setdefault(word[0], []).append(word)
    return {letter: tuple(found) for letter, found in by_letter.items()}


def _britishise(word: str, suggestion: str) -> str:
    """'behavour' is nearer 'behaviour' than the dictionary's 'behavior': suggest the UK spelling."""
    best = suggestion
    for british, american in BRITISH_TO_AMERICAN:
        if american in suggestion:
            alternative = suggestion.replace(american, british)
            if edit_distance(word, alternative) < edit_distance(word, best):
                best = alternative
    return best


@functools.lru_cache(maxsize=4096)
def _suggestion(word: str) -> str:
    """The likeliest word one letter away; failing that, the nearest common word (same first
    letter, a similar length): every misspelling gets a suggestion where one is at all close."""
    found = spell_checker().correction(word)
    if not found or found == word:
        bucket = [w for w in _common_words().get(word[:1], ()) if abs(len(w) - len(word)) <= 2]
        close = difflib.get_close_matches(word, bucket, n=1, cutoff=0.75)
        found = close[0] if close else ""
    return _britishise(word, found) if found else ""


def _normal(word: str) -> str:
    word = word.replace("’", "'").lower()
    return word[:-2] if word.endswith("'s") else word.rstrip("'")


# pyspellchecker's English dictionary spells the American way; a UK record must not be told that
# "behaviour" or "recognises" is wrong. A word is accepted when its American spelling is known.
BRITISH_TO_AMERICAN = (
    ("our", "or"),
    ("isation", "ization"),
    ("ise", "ize"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("yse", "yze"),
    ("tres", "ters"),
    ("tre", "ter"),
    ("ogue", "og"),
    ("ae", "e"),
    ("oe", "e"),
    ("ence", "ense"),
    ("mme", "m"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
)


def _in_dictionary(word: str, known: frozenset[str]) -> bool:
    return word in known or _in_english(word)


@functools.lru_cache(maxsize=65536)
def _in_english(word: str) -> bool:
    if word in spell_checker():
        return True
    # The American form must be a word of some length: 'Nour' is not a British 'nor'.
    return any(
        british in word
        and len(american_form := word.replace(british, american)) >= 4
        and american_form in spell_checker()
        for british, american in BRITISH_TO_AMERICAN
    )


def is_known(word: str, known: frozenset[str]) -> bool:
    word = _normal(word)
    if len(word) < 3 or _in_dictionary(word, known):
        return True
    if "-" in word:
        return all(len(part) < 3 or _in_dictionary(part, known) for part in word.split("-"))
    return False


# Suggestions are looked for on this many misspellings a field; the list shows fewer still.
MAX_SUGGESTED = 20


def check_spelling(text: str, known: frozenset[str]) -> list[Advice]:
    """Words not in the English dictionary or the field's word list.

    Only words that start in lower case: a capitalised word is a name or a place far more often
    than a mistake, and the case's own names are checked separately (check_names)."""
    spell_checker()  # loaded once a process (gunicorn loads it before forking, by advising once)
    flagged: dict[str, str] = {}
    checked: set[str] = set()  # each distinct word is looked up once, however often it is used
    for word in WORD.findall(text or ""):
        if not word[0].islower() or word in checked:
            continue
        checked.add(word)
        if _normal(word) not in flagged and not is_known(word, known):
            flagged[_normal(word)] = _suggestion(_normal(word)) if len(flagged) < MAX_SUGGESTED else ""
    advice = []
    for word, suggestion in flagged.items():
        if suggestion and suggestion != word:
            message = f"“{word}” may be misspelt: did you mean “{suggestion}”?"
        else:
            message = f"“{word}” is not in the dictionary. Check the spelling."
            suggestion = ""
        advice.append(Advice(Kind.SPELLING, message, excerpt=word, suggestion=suggestion))
    return advice


# Another form of the phrase's word, not a slip: plurals and possessives ("care plans"), verb forms
# ("look after" for "looked after"), people ("drug user", "domestic abuser", "young carers") and a
# few others ("school nursery", "program").
ENDINGS = frozenset({"s", "es", "'s", "’s", "r", "d", "ed", "ing", "ry", "ly", "y", "me"})


def _suffix_only(a: str, b: str) -> bool:
    """'break'/'breaks', 'look'/'looked', 'abuse'/'abuser': another form of the same word, not a
    slip ('plan'/'plane' is a slip)."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and long[len(short) :] in ENDINGS


def check_phrases(text: str, lexicon: Lexicon, known: frozenset[str] = frozenset()) -> list[Advice]:
    """A field phrase with one word a letter out: 'short beak care' for 'short break care',
    'mental heath team', 'signs of safely'.

    Both words are real, so a spell checker misses it; the phrase around it gives it away. A word
    that is not a word at all is left to the spelling check."""
    tokens = [w.lower() for w in WORD.findall(text or "")]
    exact = {" ".join(p) for p in lexicon.phrase_words}
    where: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        where.setdefault(token, []).append(i)
    found: dict[str, str] = {}
    present = where.keys()
    for phrase, unique in lexicon.phrase_sets:
        n = len(phrase)
        if len(unique & present) < len(unique) - 1:
            continue  # cannot be one word away anywhere in the text
        # Only where a word of the phrase stands in its place can the rest be one word away.
        starts = {i - k for k, word in enumerate(phrase) for i in where.get(word, ())}
        for i in sorted(s for s in starts if 0 <= s <= len(tokens) - n):
            window = tokens[i : i + n]
            differ = [(w, p) for w, p in zip(window, phrase, strict=True) if w != p]
            if len(differ) != 1:
                continue
            written, meant = differ[0]
            if len(meant) < 4 or _suffix_only(written, meant):
                continue
            if edit_distance(written, meant, 2) != 1 or " ".join(window) in exact:
                continue
            if not _in_dictionary(_normal(written), known):
                continue
            found.setdefault((written, meant), (" ".join(window), " ".join(phrase)))
    return [
        Advice(
            Kind.PHRASE,
            f"“{window}”: did you mean “{phrase}”? Both spellings are real words, so a spell checker "
            "would not notice.",
            excerpt=window,
            suggestion=phrase,
        )
        for (written, meant), (window, phrase) in found.items()
    ]


def check_names(text: str, facts: Facts, known: frozenset[str] = frozenset()) -> list[Advice]:
    """A capitalised word one or two letters away from a family member's name: 'Leane' for
    'Leanne'. Ordinary dictionary words ('Bell', 'Close') are left alone."""
    names = {n for n in facts.names if n}
    found: dict[str, str] = {}
    for word in set(WORD.findall(text or "")):
        if not word[0].isupper() or word.isupper() or len(word) < 3 or word in names:
            continue
        bare = _normal(word)
        if bare.capitalize() in names or _in_dictionary(bare, known):
            continue
        for name in facts.family_names:
            limit = 1 if len(name) <= 5 else 2
            if edit_distance(bare, name.lower(), limit + 1) <= limit:
                found[word] = name
                break
    return [
        Advice(
            Kind.NAME,
            f"“{word}” looks like a misspelling of “{name}”.",
            excerpt=word,
            suggestion=name,
        )
        for word, name in sorted(found.items())
    ]


# ---------------------------------------------------------------------------------------------
# Evidence and specifics


# Only text truly thin for its section gets length advice: under a third of what the section needs.
THIN_SHARE = 3


def check_length(text: str, *, min_words: int, about: str = "this") -> list[Advice]:
    """Length advice only where a section is truly thin, and never a word count to pad up to."""
    if not (text or "").strip() or word_count(text) >= min_words / THIN_SHARE:
        return []
    return [
        Advice(
            Kind.TOO_SHORT,
            f"This is very brief. The family and a later reader need to know {about}: say what happened, "
            "who was involved and what changed.",
        )
    ]


QUOTED = re.compile(r"(?:^|(?<=[\s(:—–-]))[\"“‘'][^\n]{2,300}?[\"”’'](?=[\s.,;:!?)—–-]|$)")
REPORTED = frozenset(
    """said says say saying told tells tell felt feels feel feeling wants want wanted thinks think
    thought explained explains described describes asked asks agreed agrees agree disagreed
    disagrees hopes hoped hope worries worried worry likes liked like would prefer prefers preferred
    shared shares stated states commented comments expressed expresses reported reports believes
    believed believe wishes wished wish understands understood told asked added mentioned
    mentions""".split()
)
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "them"})


def quotes_or_paraphrases(text: str, person_names: Iterable[str]) -> bool:
    """A quotation, or a reported-speech verb within a few words after the person or a pronoun:
    'Jayden said he feels safe', 'Ms Cole told me...'."""
    if QUOTED.search(text or ""):
        return True
    people = {n.lower() for n in person_names if n} | PRONOUNS
    tokens = [_normal(w) for w in WORD.findall(text or "")]
    for i, token in enumerate(tokens):
        if token in REPORTED and any(t in people for t in tokens[max(0, i - 4) : i]):
            return True
    return False


def check_voice(text: str, person_names: Sequence[str], who: str) -> list[Advice]:
    """Views without the person's own words (see substance.check_views)."""
    from .substance import check_views

    return check_views(text, who)


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty hundred half quarter twice
    once daily weekly fortnightly monthly first second third""".split()
)
MEASURE = re.compile(
    rf"\d|%|\b(?:{MONTH})\b\.?|\b(?:{'|'.join(NUMBER_WORDS)})\b|\bper ?cent\b", re.IGNORECASE
)


def check_measure(text: str) -> list[Advice]:
    """An outcome should say what changed by when, or by how much."""
    if not (text or "").strip() or MEASURE.search(text):
        return []
    return [
        Advice(
            Kind.NO_MEASURE,
            "No date or measure: say by when, how often or how much (for example “9 of 10 sessions”, "
            "“since March”).",
            excerpt=_quote(text),
        )
    ]


DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    re.compile(rf"\b{DAY}\s+(?:of\s+)?(?P<month>{MONTH})\.?(?:,?\s+(?P<year>\d{{4}}))?\b", re.IGNORECASE),
    re.compile(rf"\b(?P<month>{MONTH})\.?\s+{DAY}(?:,?\s+(?P<year>\d{{4}}))?\b", re.IGNORECASE),
    # The same separator twice: "10.30-12.30" is a time, not a date.
    re.compile(r"\b(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})\b"),
)
MONTH_YEAR = re.compile(rf"\b(?P<month>{MONTH})\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
FUTURE_MARKERS = frozenset(
    "will until till expected expects due planned plan next by from release released starts start "
    "begins begin booked scheduled review ends end lasts".split()
)
# What led to the referral happened shortly before it: an incident the week before is not a slip.
REFERRAL_GRACE_DAYS = 31
HISTORY_MARKERS = frozenset("born birth previously previous earlier history historic".split())


@dataclass(frozen=True)
class FoundDate:
    text: str
    date: dt.date
    start: int
    whole_month: bool = False
    year_given: bool = True


def _year(value: str | None, month: int, day: int, today: dt.date) -> tuple[int, bool]:
    if value is None:
        # "3rd May": the most recent 3 May on or before today.
        year = today.year
        try:
            if dt.date(year, month, day) > today:
                year -= 1
        except ValueError:
            pass
        return year, False
    number = int(value)
    return (number + 2000 if number < 100 else number), True


def find_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Dates written the UK way: '3 May 2026', '3rd May', 'May 3rd, 2026', '03/05/2026', 'May 2026'."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    if not any(c.isdigit() for c in text or ""):
        return found  # every way of writing a date has a number in it
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text or ""):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
            day = int(match.group("day"))
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                taken.append(match.span())
                continue
            year, given = _year(match.group("year"), month, day, today)
            taken.append(match.span())  # a date that does not exist is not read as its month
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            found.append(FoundDate(match.group().strip(), date, match.start(), year_given=given))
    for match in MONTH_YEAR.finditer(text or ""):
        span = (match.start("month"), match.end())
        if any(span[0] < e and s < span[1] for s, e in taken):
            continue
        month = MONTHS[match.group("month").lower()]
        date = dt.date(int(match.group("year")), month, 1)
        found.append(FoundDate(text[span[0] : span[1]], date, span[0], whole_month=True))
    return sorted(found, key=lambda d: d.start)


MONTH_NAMES = "January February March April May June July August September October November December".split()


def _days_in(month: int, year: int) -> int:
    return _month_end(dt.date(year, month, 1)).day


def check_date_forms(text: str, today: dt.date) -> list[Advice]:
    """Dates that do not exist ('31 February 2026', '29 February 2025'), written month first
    ('12/14/2025'), or that can be read two ways ('03/04/2026': 3 April or 4 March)."""
    if not any(c.isdigit() for c in text or ""):
        return []
    advice: list[Advice] = []
    seen: set[str] = set()
    for number, pattern in enumerate(DATE_PATTERNS):
        numeric = number == len(DATE_PATTERNS) - 1
        for match in pattern.finditer(text):
            written = match.group().strip()
            if written in seen:
                continue
            month_text, day = match.group("month"), int(match.group("day"))
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
            year = _year(match.group("year"), month if 1 <= month <= 12 else 1, 1, today)[0]
            if numeric and 1 <= day <= 12 and 12 < month <= 31:
                seen.add(written)
                advice.append(
                    Advice(
                        Kind.DATE,
                        f"“{written}” looks like the month written first, the American way. Write the "
                        "month as a word so nobody misreads it.",
                        excerpt=written,
                        example=f"“{written}” → “{month} {MONTH_NAMES[day - 1]} {year}”",
                    )
                )
            elif not 1 <= month <= 12 or not 1 <= day <= 31 or day > _days_in(month, year):
                seen.add(written)
                if 1 <= month <= 12 and 1 <= day <= 31:
                    reason = f"{MONTH_NAMES[month - 1]} {year} has {_days_in(month, year)} days"
                else:
                    reason = "there is no such day or month"
                advice.append(
                    Advice(
                        Kind.DATE,
                        f"“{written}” is not a real date: {reason}. Check the date.",
                        excerpt=written,
                    )
                )
            elif numeric and day <= 12 and month != day:
                seen.add(written)
                advice.append(
                    Advice(
                        Kind.DATE,
                        f"“{written}” could be read as {day} {MONTH_NAMES[month - 1]} or {month} "
                        f"{MONTH_NAMES[day - 1]}. Write the month as a word.",
                        excerpt=written,
                        example=f"“{written}” → “{day} {MONTH_NAMES[month - 1]} {year}”",
                    )
                )
    return advice


def _month_end(date: dt.date) -> dt.date:
    following = date.replace(day=28) + dt.timedelta(days=4)
    return following - dt.timedelta(days=following.day)


def check_dates(text: str, facts: Facts) -> list[Advice]:
    """Dates outside the episode: before the referral (more than a month, so the incident that led
    to it is not flagged), or after today; unless the text says the date is planned or expected,
    or that it is history ('born on ...')."""
    advice = []
    for found in find_dates(text, facts.today):
        before = [_normal(w) for w in WORD.findall(text[max(0, found.start - 60) : found.start])][-5:]
        last = found.date if not found.whole_month else _month_end(found.date)
        if facts.referral_date and last < facts.referral_date - dt.timedelta(days=REFERRAL_GRACE_DAYS):
            if HISTORY_MARKERS.intersection(before):
                continue
            advice.append(
                Advice(
                    Kind.DATE,
                    f"“{found.text}” is before this referral ({long_date(facts.referral_date)}). "
                    "Check the date, or make clear it is earlier history.",
                    excerpt=found.text,
                )
            )
        elif found.date > facts.today and found.year_given:
            if FUTURE_MARKERS.intersection(before):
                continue
            advice.append(
                Advice(
                    Kind.DATE,
                    f"“{found.text}” is after today. Check the date, or make clear it is planned.",
                    excerpt=found.text,
                )
            )
    return advice


# ---------------------------------------------------------------------------------------------
# One field


@dataclass(frozen=True)
class Targets:
    """The council's targets (settings ADVICE_READING_EASE_TARGET, ADVICE_LONG_SENTENCE_WORDS)."""

    reading_ease: float = 60
    long_sentence_words: int = 25


# How plain a letter to the child should be, by the child's age: the Flesch reading ease to aim for
# (higher is easier). Under 9: 90 (very easy); 9 to 11: 80; 12 to 14: 70; 15 and over, or age not
# known: the council's own target (ADVICE_READING_EASE_TARGET). Never below the council's target.
LETTER_READING_EASE = ((9, 90), (12, 80), (15, 70))


def letter_reading_ease(age: int | None, council_target: float) -> float:
    """The reading ease a letter to a child of `age` should reach (LETTER_READING_EASE)."""
    for under, ease in LETTER_READING_EASE:
        if age is not None and age < under:
            return max(ease, council_target)
    return council_target


SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)


def check_to_child(text: str, name: str) -> list[Advice]:
    """A letter to the child is written to them: "You told me …", not "Sam told me …"."""
    if SECOND_PERSON.search(text):
        return []
    return [
        Advice(
            Kind.NOT_TO_CHILD,
            f"This reads as if it is about {name}, not to them. Write to {name} as “you”: "
            f"for example, “You told me you feel safe at home now.”",
        )
    ]


# However much is written, the advice on one field stays a list a worker can read.
MAX_PER_KIND = 6
MORE = {
    Kind.LONG_SENTENCE: "more long sentences",
    Kind.JARGON: "more terms the family may not know",
    Kind.SPELLING: "more words that may be misspelt",
    Kind.PHRASE: "more words that may be slips",
    Kind.NAME: "more names that may be misspelt",
    Kind.DATE: "more dates to check",
    Kind.LABEL: "more labels",
    Kind.ROLE: "more people called by their role",
    Kind.CLAIM: "more claims without their evidence",
}


def bounded(advice: list[Advice]) -> list[Advice]:
    """At most MAX_PER_KIND pieces of each kind, then one saying how many more."""
    counts: dict[str, int] = {}
    kept: list[Advice] = []
    for item in advice:
        counts[item.kind] = counts.get(item.kind, 0) + 1
        if counts[item.kind] <= MAX_PER_KIND:
            kept.append(item)
    for kind, count in counts.items():
        if count > MAX_PER_KIND:
            kept.append(Advice(kind, f"And {count - MAX_PER_KIND} {MORE.get(kind, 'more like this')}."))
    return kept


def advise_text(
    text: str,
    *,
    lexicon: Lexicon,
    facts: Facts,
    targets: Targets,
    min_words: int = 0,
    about: str = "this",
    voice_of: Sequence[str] = (),
    who: str = "",
    outcome: bool = False,
    child_age: int | None = None,
    to_child: str = "",
) -> list[Advice]:
    """Every check that applies to one piece of text. Empty text gets no advice: a missing
    section is a rule for submission (closures/checks.py), not advice. Text too long to advise on
    gets one piece of advice saying so; the list is bounded whatever is written."""
    from . import substance

    if not (text or "").strip():
        return []
    if too_long(text):
        return [
            Advice(
                Kind.TOO_LONG,
                f"This is too long to advise on (over {MAX_ADVISED_CHARS:,} characters). The family "
                "will find it hard to read too: keep to what they and a later reader need to know.",
            )
        ]
    known = lexicon.field_words | {n.lower() for n in facts.names}
    found = [
        *check_readability(
            text,
            target=letter_reading_ease(child_age, targets.reading_ease) if to_child else targets.reading_ease,
        ),
        *check_long_sentences(text, limit=targets.long_sentence_words),
        *substance.check_labels(text, lexicon),
        *substance.check_roles(text, facts.names),
        *check_jargon(text, lexicon),
        *check_phrases(text, lexicon, known),
        *check_spelling(text, known),
        *check_names(text, facts, known),
        *check_length(text, min_words=min_words, about=about),
        *check_date_forms(text, facts.today),
        *check_dates(text, facts),
        *substance.check_claims(text),
    ]
    if who:
        found += substance.check_views(text, who)
    if outcome:
        found += check_measure(text)
    if to_child:
        found += check_to_child(text, to_child)
    return bounded(found)
