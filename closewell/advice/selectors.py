"""Writing advice for a Closure Record, section by section, and the manager's summary of it.

Which prose of a section is advised on, and how (fewest words, whose voice), is the section's own
(closures/sections.py: advice_fields, min_words, about, advice).

Reads the record and its case, then calls the pure engine. The word lists are read from the
database once and kept until an administrator changes them; the dictionary is loaded once a process.

The engine's answer for a piece of text is a pure function of the text, its checks, the case's facts,
the word lists, the targets and the advice code itself, so it is kept under a digest of all of them:
an unchanged record is not advised on again, and a changed word list, target or release gives new
keys at once. The answers quote the case's text, so they are kept in the process's own memory (the
"advice" cache, settings.CACHES), never in a shared cache such as Redis: no copy of a child's record
leaves the process that read it. Keys are digests only: no text or name of the case is in them.
"""

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max
from django.utils import timezone

from closewell.closures import content, sections
from closewell.closures.models import ClosureRecord

from . import engine
from .models import AdviceWord, WordKind

_lexicon_cache: dict = {}


def targets() -> engine.Targets:
    return engine.Targets(
        reading_ease=settings.ADVICE_READING_EASE_TARGET,
        long_sentence_words=settings.ADVICE_LONG_SENTENCE_WORDS,
    )


def lexicon() -> engine.Lexicon:
    """The council's active word lists, rebuilt only when a word is added, changed or removed."""
    stamp = tuple(AdviceWord.objects.aggregate(n=Count("pk"), changed=Max("updated_at")).values())
    if _lexicon_cache.get("stamp") != stamp:
        words = list(
            AdviceWord.objects.filter(active=True).values_list("kind", "term", "plain", "match_case")
        )
        _lexicon_cache["lexicon"] = engine.Lexicon(
            jargon=tuple((t, p, m) for k, t, p, m in words if k == WordKind.JARGON),
            field_words=frozenset(t.lower() for k, t, _, _ in words if k == WordKind.FIELD_WORD),
            phrases=tuple(t for k, t, _, _ in words if k == WordKind.FIELD_PHRASE),
            labels=tuple((t, p) for k, t, p, _ in words if k == WordKind.LABEL),
        )
        _lexicon_cache["stamp"] = stamp
        _lexicon_cache["digest"] = _digest(repr(_lexicon_cache["lexicon"]))
    return _lexicon_cache["lexicon"]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _lexicon_digest(lex: engine.Lexicon) -> str:
    """The word lists' content as a digest: kept with the lists read from the database."""
    if lex is _lexicon_cache.get("lexicon"):
        return _lexicon_cache["digest"]
    return _digest(repr(lex))


@functools.cache
def _code_digest() -> str:
    """The advice code and its shipped word lists: a new release gives new cache keys."""
    root = Path(__file__).resolve().parent
    files = sorted([*root.glob("*.py"), *(p for p in (root / "data").rglob("*") if p.is_file())])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


ADVICE_CACHE = "advice"  # settings.CACHES: local memory, whatever the default cache is
ADVICE_CACHE_SECONDS = 24 * 60 * 60  # the facts include today's date: keys change daily anyway


def _name_parts(*names: str) -> list[str]:
    return [part for name in names for part in (name or "").replace("-", " ").split() if len(part) > 1]


def facts_for(record: ClosureRecord) -> engine.Facts:
    """The case's people (so their names are neither misspelt nor flagged) and the episode's dates."""
    episode = record.episode
    child = episode.child
    family = [link.person for link in content.family_links(episode)]
    family_names = _name_parts(
        child.first_name, child.last_name, child.preferred_name, *(p.full_name for p in family)
    )
    staff = [u for u in (episode.worker, record.author, record.authorised_by) if u is not None]
    return engine.Facts(
        names=tuple(dict.fromkeys(family_names + _name_parts(*(u.get_full_name() for u in staff)))),
        family_names=tuple(dict.fromkeys(family_names)),
        referral_date=episode.referral_date,
        today=timezone.localdate(),
    )


@dataclass
class FieldAdvice:
    name: str
    label: str
    text: str
    items: list[engine.Advice]
    score: engine.Readability | None = None
    pieces: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def has_long_sentences(self) -> bool:
        return any(is_long for _, is_long in self.pieces)


@dataclass
class Entry:
    kind: str
    message: str
    excerpt: str
    labels: list[str]
    example: str = ""


@dataclass
class SectionAdvice:
    section: str
    label: str
    fields: list[FieldAdvice]
    target: float = 60

    @property
    def items(self) -> list[engine.Advice]:
        return [item for f in self.fields for item in f.items]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def groups(self) -> list[tuple[str, list["Entry"]]]:
        """The advice under its headings (Plain English, Jargon, Spelling, Evidence and specifics),
        the same advice on several fields said once with the fields it is about."""
        grouped: dict[str, dict[tuple, Entry]] = defaultdict(dict)
        for item in self.items:
            # The same advice on several outcomes is said once; each long sentence is its own.
            key = (item.kind, item.message, item.excerpt if item.kind == engine.Kind.LONG_SENTENCE else "")
            entry = grouped[item.heading].setdefault(
                key, Entry(item.kind, item.message, item.excerpt, [], item.example)
            )
            if item.field_label and self.several_fields:
                entry.labels.append(item.field_label)
        order = list(dict.fromkeys(engine.Kind.HEADINGS.values()))
        return sorted(
            ((heading, list(entries.values())) for heading, entries in grouped.items()),
            key=lambda pair: order.index(pair[0]),
        )

    @property
    def headings(self) -> list[str]:
        return [heading for heading, _ in self.groups]

    @property
    def plain_enough(self) -> list[FieldAdvice]:
        """Fields scored and meeting the target: worth saying so (those below it have advice)."""
        return [f for f in self.fields if f.score is not None and f.score.ease_shown >= self.target]

    @property
    def highlighted(self) -> list[FieldAdvice]:
        return [f for f in self.fields if f.has_long_sentences]

    @property
    def several_fields(self) -> bool:
        return len(self.fields) > 1


@dataclass
class RecordAdvice:
    sections: list[SectionAdvice]

    @property
    def count(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def outstanding(self) -> list[SectionAdvice]:
        return [s for s in self.sections if s.count]

    def section(self, name: str) -> SectionAdvice | None:
        return next((s for s in self.sections if s.section == name), None)


def _advised(text: str, checks: dict, *, lex, facts, goals) -> tuple:
    """What the engine says of one text: (advice, readability, sentences highlighted)."""
    return (
        engine.advise_text(text, lexicon=lex, facts=facts, targets=goals, **checks),
        engine.readability(text),
        engine.highlight(text, goals.long_sentence_words),
    )


def _cache_key(text: str, checks: dict, *, lex, facts, goals) -> str:
    """A digest of everything the engine's answer depends on (no personal data in the key)."""
    parts = (_code_digest(), _lexicon_digest(lex), repr(goals), repr(facts), repr(sorted(checks.items())))
    return "advice:" + _digest(repr((parts, text)))


def _fields(targets_: list, *, lex, facts, goals) -> list[FieldAdvice]:
    """Advice on each target, from the cache where the same text was advised on the same way,
    with one round trip to the cache for them all."""
    keys = [_cache_key(t.text, t.checks, lex=lex, facts=facts, goals=goals) for t in targets_]
    found = caches[ADVICE_CACHE].get_many(keys)
    missing = {}
    fields = []
    for key, target in zip(keys, targets_, strict=True):
        if key not in found:
            found[key] = missing[key] = _advised(
                target.text, target.checks, lex=lex, facts=facts, goals=goals
            )
        items, score, pieces = found[key]
        fields.append(
            FieldAdvice(
                name=target.name,
                label=target.label,
                text=target.text,
                items=[replace(a, field=target.name, field_label=target.label) for a in items],
                score=score,
                pieces=list(pieces),
            )
        )
    if missing:
        caches[ADVICE_CACHE].set_many(missing, ADVICE_CACHE_SECONDS)
    return fields


def advice_for_section(
    record: ClosureRecord,
    section: str,
    *,
    facts: engine.Facts | None = None,
    words: engine.Lexicon | None = None,
) -> SectionAdvice:
    """Advice on one section as the worker writes it. Never blocks anything."""
    goals = targets()
    spec = sections.get(section)
    fields = _fields(
        spec.advice_targets(record), lex=words or lexicon(), facts=facts or facts_for(record), goals=goals
    )
    return SectionAdvice(section=spec.key, label=spec.title, fields=fields, target=goals.reading_ease)


def advice_for_record(record: ClosureRecord) -> RecordAdvice:
    """Advice on every section due on this record, in the record's order, with counts."""
    facts = facts_for(record)
    # An addendum is its correction (the original is authorised); a section with no prose to read
    # (interpreting: names, a language and a date) has nothing to advise on.
    due = [spec for spec in sections.due(record) if spec.advises]
    words = lexicon()  # once for the page: each call checks the word lists are unchanged
    goals = targets()
    per_section = [spec.advice_targets(record) for spec in due]
    fields = iter(_fields([t for found in per_section for t in found], lex=words, facts=facts, goals=goals))
    return RecordAdvice(
        sections=[
            SectionAdvice(
                section=spec.key,
                label=spec.title,
                fields=[next(fields) for _ in found],
                target=goals.reading_ease,
            )
            for spec, found in zip(due, per_section, strict=True)
        ]
    )
