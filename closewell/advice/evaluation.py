"""How well the writing advice does on a labelled set of passages: per-kind recall and the
false-positive rate. Used by `manage.py advice_evaluate` and its test.

A passage lists the kinds of advice it should get (`expect`) and may list kinds it can get either
way (`allow`); any other kind it gets is a false positive. Recall for a kind is the share of the
passages expecting it that got it; the false-positive rate is the share of all passages that got
at least one kind they should not have.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import engine

LABELLED = Path(__file__).resolve().parent / "data" / "labelled"

# How the section pages advise each field (closewell/advice/selectors.py): the checks that apply.
FIELD_CHECKS: dict[str, dict] = {
    "reason_for_involvement": {"min_words": 40, "about": "why services were provided"},
    "interventions": {"min_words": 40, "about": "the work done and when people were seen"},
    "reason_for_closure": {"min_words": 30, "about": "why the case is closing and the progress made"},
    "child_views": {"min_words": 15, "about": "what the child thinks", "who": "the child"},
    "child_not_discussed_reason": {},
    "parent_views": {"min_words": 15, "about": "what they think", "who": "the parent"},
    "outcome": {"min_words": 5, "about": "the outcome", "outcome": True},
    "impact": {"about": "the impact"},
    "da_work_with_perpetrator": {"min_words": 15},
    "da_if_released": {"min_words": 15},
    "da_if_resumed": {"min_words": 15},
    "addendum_text": {"min_words": 10, "about": "the correction"},
}

RECALL_TARGET = 0.90
FALSE_POSITIVE_TARGET = 0.05


@dataclass(frozen=True)
class Passage:
    id: str
    field: str
    text: str
    expect: frozenset[str]
    allow: frozenset[str]
    facts: engine.Facts
    who: str = ""


@dataclass
class Outcome:
    passage: Passage
    found: frozenset[str]

    @property
    def unexpected(self) -> frozenset[str]:
        return self.found - self.passage.expect - self.passage.allow

    @property
    def missed(self) -> frozenset[str]:
        return self.passage.expect - self.found


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def recall(self) -> dict[str, tuple[int, int]]:
        """For each expected kind: (passages that got it, passages expecting it)."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for outcome in self.outcomes:
            for kind in outcome.passage.expect:
                counts[kind][1] += 1
                counts[kind][0] += kind in outcome.found
        return {kind: (hit, total) for kind, (hit, total) in sorted(counts.items())}

    @property
    def false_positives(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unexpected]

    @property
    def false_positive_rate(self) -> float:
        return len(self.false_positives) / len(self.outcomes) if self.outcomes else 0.0

    @property
    def below_target(self) -> list[str]:
        return [kind for kind, (hit, total) in self.recall.items() if hit / total < RECALL_TARGET]

    @property
    def meets_targets(self) -> bool:
        return (
            bool(self.outcomes)
            and not self.below_target
            and self.false_positive_rate <= FALSE_POSITIVE_TARGET
        )


def _facts(data: dict) -> engine.Facts:
    def date(value):
        return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(str(value))

    return engine.Facts(
        names=tuple(data.get("names", ())),
        family_names=tuple(data.get("family_names", data.get("names", ()))),
        referral_date=date(data.get("referral_date")),
        today=date(data.get("today")) or dt.date.today(),
    )


def load(path: Path = LABELLED) -> list[Passage]:
    """Every passage in a YAML file, or in every *.yaml file of a folder (sorted by name)."""
    files = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
    passages: list[Passage] = []
    seen: set[str] = set()
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        facts = _facts(data.get("facts") or {})
        for row in data.get("passages") or []:
            if row["id"] in seen:
                raise ValueError(f"{file.name}: passage id {row['id']!r} is used twice")
            if row["field"] not in FIELD_CHECKS:
                raise ValueError(f"{file.name}: passage {row['id']!r} has an unknown field {row['field']!r}")
            seen.add(row["id"])
            passages.append(
                Passage(
                    id=str(row["id"]),
                    field=row["field"],
                    text=str(row["text"]),
                    expect=frozenset(row.get("expect") or ()),
                    allow=frozenset(row.get("allow") or ()),
                    facts=_facts(row["facts"]) if row.get("facts") else facts,
                    who=row.get("who", ""),
                )
            )
    return passages


def advise(passage: Passage, lexicon: engine.Lexicon, targets: engine.Targets) -> list[engine.Advice]:
    checks = dict(FIELD_CHECKS[passage.field])
    if "who" in checks:
        checks["who"] = passage.who or checks["who"]
        checks["voice_of"] = passage.facts.names
    return engine.advise_text(passage.text, lexicon=lexicon, facts=passage.facts, targets=targets, **checks)


def evaluate(passages: list[Passage], lexicon: engine.Lexicon, targets: engine.Targets) -> Report:
    return Report([Outcome(p, frozenset(a.kind for a in advise(p, lexicon, targets))) for p in passages])
