"""Writing advice for a Closure Record: pure functions, text in and advice out, no database.

The family reads this record, and the child may read it again as an adult, so each check looks
for one way a record can fail them: hard to read, full of jargon, misspelt, too thin to say
anything, without the person's own voice, without a measure, with dates or names that are wrong.
Advice never blocks a save or a submission; the rules that do are in closures/checks.py.
"""

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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

    HEADINGS = {
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
    }


@dataclass(frozen=True)
class Advice:
    kind: str
    message: str
    excerpt: str = ""
    suggestion: str = ""
    field: str = ""
    field_label: str = ""

    @property
    def heading(self) -> str:
        return Kind.HEADINGS[self.kind]


@dataclass(frozen=True)
class Lexicon:
    """The council's word lists: jargon with plain alternatives, field words, field phrases."""

    jargon: tuple[tuple[str, str, bool], ...] = ()  # (term, plain alternative, match case)
    field_words: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()

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
        return tuple(tuple(p.lower().split()) for p in self.phrases if len(p.split()) > 1)


@dataclass(frozen=True)
class Facts:
    """What the advice needs to know about the case: the people's names and the episode's dates."""

    names: tuple[str, ...] = ()  # every name part of the case's people (family, child, workers)
    family_names: tuple[str, ...] = ()  # the family's names, checked for misspellings
    referral_date: dt.date | None = None
    today: dt.date = field(default_factory=dt.date.today)


# ---------------------------------------------------------------------------------------------
# Text helpers

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# A word or a number; "13/05/2019" and "97.5" count as one.
TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9'’-]|[/.](?=\d))*")
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "e.g", "i.e", "etc", "no", "st", "approx", "vs"})


def words(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def word_count(text: str) -> int:
    return len(words(text))


@functools.lru_cache(maxsize=512)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
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
    """Flesch reading ease and Flesch-Kincaid grade, or None for text too short to score fairly.

    Each sentence is given its full stop first, so a list of lines is not read as one sentence."""
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


def check_readability(text: str, *, target: float) -> list[Advice]:
    score = readability(text)
    if score is None or score.ease >= target:
        return []
    return [
        Advice(
            Kind.READABILITY,
            f"Reading ease {score.ease_shown}, below the target of {target:.0f}: a reader would need a "
            f"reading age of about {score.reading_age}. Use shorter sentences and everyday words.",
        )
    ]


def long_sentences(text: str, limit: int) -> list[str]:
    return [s for s in sentences(text) if word_count(s) > limit]


def check_long_sentences(text: str, *, limit: int) -> list[Advice]:
    return [
        Advice(
            Kind.LONG_SENTENCE,
            f"This sentence has {word_count(s)} words. Try splitting it: aim for {limit} or fewer.",
            excerpt=_quote(s),
        )
        for s in long_sentences(text, limit)
    ]


def highlight(text: str, limit: int) -> list[tuple[str, bool]]:
    """The text as (part, is_long) pieces, so a template can mark the long sentences."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in sentence_spans(text):
        if word_count(text[start:end]) > limit:
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


@functools.lru_cache(maxsize=4096)
def _suggestion(word: str) -> str:
    # Distance 1 only: a distance-2 search takes up to a second on a long unknown word.
    return spell_checker().correction(word) or ""


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
    if word in known or word in spell_checker():
        return True
    return any(
        british in word and word.replace(british, american) in spell_checker()
        for british, american in BRITISH_TO_AMERICAN
    )


def is_known(word: str, known: frozenset[str]) -> bool:
    word = _normal(word)
    if len(word) < 3 or _in_dictionary(word, known):
        return True
    if "-" in word:
        return all(len(part) < 3 or _in_dictionary(part, known) for part in word.split("-"))
    return False


def check_spelling(text: str, known: frozenset[str]) -> list[Advice]:
    """Words not in the English dictionary or the field's word list.

    Only words that start in lower case: a capitalised word is a name or a place far more often
    than a mistake, and the case's own names are checked separately (check_names)."""
    flagged: dict[str, str] = {}
    for word in WORD.findall(text or ""):
        if not word[0].islower() or _normal(word) in flagged:
            continue
        if not is_known(word, known):
            flagged[_normal(word)] = _suggestion(_normal(word))
    advice = []
    for word, suggestion in flagged.items():
        if suggestion and suggestion != word:
            message = f"“{word}” may be misspelt: did you mean “{suggestion}”?"
        else:
            message = f"“{word}” is not in the dictionary. Check the spelling."
            suggestion = ""
        advice.append(Advice(Kind.SPELLING, message, excerpt=word, suggestion=suggestion))
    return advice


def _suffix_only(a: str, b: str) -> bool:
    """'care'/'carer', 'break'/'breaks': a different form of the same word, not a slip."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= 2


def check_phrases(text: str, lexicon: Lexicon) -> list[Advice]:
    """A field phrase with one word a letter out: 'short beak care' for 'short break care'.

    Both words are real, so a spell checker misses it; the phrase around it gives it away."""
    tokens = [w.lower() for w in WORD.findall(text or "")]
    exact = {" ".join(p) for p in lexicon.phrase_words}
    where: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        where.setdefault(token, []).append(i)
    found: dict[str, str] = {}
    for phrase in lexicon.phrase_words:
        n = len(phrase)
        if sum(word in where for word in phrase) < n - 1:
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
            if edit_distance(written, meant, 2) == 1 and " ".join(window) not in exact:
                found.setdefault(" ".join(window), " ".join(phrase))
    return [
        Advice(
            Kind.PHRASE,
            f"“{written}”: did you mean “{meant}”?",
            excerpt=written,
            suggestion=meant,
        )
        for written, meant in found.items()
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


def check_length(text: str, *, min_words: int, about: str = "this") -> list[Advice]:
    count = word_count(text)
    if not (text or "").strip() or count >= min_words:
        return []
    return [
        Advice(
            Kind.TOO_SHORT,
            f"Only {count} word{'s' if count != 1 else ''}: this is too short to tell the family and a "
            f"later reader enough about {about}. Aim for at least {min_words}.",
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
    if not (text or "").strip() or quotes_or_paraphrases(text, person_names):
        return []
    return [
        Advice(
            Kind.NO_VOICE,
            f"These views do not quote or report {who}. Give their own words, or say what they said, "
            f"felt or wanted: for example “{who} said …”.",
        )
    ]


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
    re.compile(r"\b(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})\b"),
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
                continue
            year, given = _year(match.group("year"), month, day, today)
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            taken.append(match.span())
            found.append(FoundDate(match.group().strip(), date, match.start(), year_given=given))
    for match in MONTH_YEAR.finditer(text or ""):
        span = (match.start("month"), match.end())
        if any(span[0] < e and s < span[1] for s, e in taken):
            continue
        month = MONTHS[match.group("month").lower()]
        date = dt.date(int(match.group("year")), month, 1)
        found.append(FoundDate(text[span[0] : span[1]], date, span[0], whole_month=True))
    return sorted(found, key=lambda d: d.start)


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
) -> list[Advice]:
    """Every check that applies to one piece of text. Empty text gets no advice: a missing
    section is a rule for submission (closures/checks.py), not advice."""
    if not (text or "").strip():
        return []
    known = lexicon.field_words | {n.lower() for n in facts.names}
    found = [
        *check_readability(text, target=targets.reading_ease),
        *check_long_sentences(text, limit=targets.long_sentence_words),
        *check_jargon(text, lexicon),
        *check_phrases(text, lexicon),
        *check_spelling(text, known),
        *check_names(text, facts, known),
        *check_length(text, min_words=min_words, about=about),
        *check_dates(text, facts),
    ]
    if who:
        found += check_voice(text, voice_of, who)
    if outcome:
        found += check_measure(text)
    return found
