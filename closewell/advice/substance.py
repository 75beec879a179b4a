"""Advice on what the record says, not how it is spelt: labels instead of descriptions, people
called by their role instead of their name, claims of change without evidence, and views without
the person's own words. Pure functions over text, like engine.py, which calls them.

Each check is one pass over the text (regular expressions and a token walk), so advice stays
linear in the length of what is written.
"""

import re
from collections.abc import Iterable

from .engine import QUOTED, Advice, Kind, Lexicon, _quote, sentence_spans


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where the text quotes someone: their words are theirs, and are not advised on."""
    return [m.span() for m in QUOTED.finditer(text or "")]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with quotations blanked out (same length, so positions still match)."""
    if not spans:
        return text
    parts, position = [], 0
    for start, end in spans:
        parts += [text[position:start], " " * (end - start)]
        position = end
    parts.append(text[position:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Labels and blaming words


# Before a label, these make it about something else ("a work placement", "fire-resistant").
NOT_ABOUT_A_PERSON_BEFORE = frozenset(
    "work school college nursery university student training apprenticeship teaching fire water heat".split()
)


def check_labels(text: str, lexicon: Lexicon) -> list[Advice]:
    """Words that label or blame ('failed to engage', 'manipulative', 'placement'), each once,
    with the council's word for what to write instead. A person's own words in a quotation are
    left alone."""
    pattern, labels = lexicon.label_pattern
    if pattern is None:
        return []
    masked = _masked(text, quoted_spans(text))
    found: dict[str, Advice] = {}
    for match in pattern.finditer(masked):
        index = int(match.lastgroup[1:])
        term, instead = labels[index]
        written = match.group()
        before = masked[max(0, match.start() - 20) : match.start()].split()[-1:]
        if before and before[0].lower() in NOT_ABOUT_A_PERSON_BEFORE:
            continue  # "a work placement", "school placement": not the child's home
        if before and before[0].lower() == "in" and written.lower().startswith("contact"):
            continue  # "in contact with her sister": keeping in touch, not arranged family time
        key = term.lower()
        if key in found:
            continue
        found[key] = Advice(
            Kind.LABEL,
            f"“{written}” is a label. Describe what happened instead: what you saw or heard, how often "
            "and when.",
            excerpt=written,
            suggestion=instead,
            example=f"Instead of “{written}”: {instead}",
        )
    return list(found.values())


# ---------------------------------------------------------------------------------------------
# People by their role instead of their name

PARENT_ROLES = {
    "mum": "her name",
    "mummy": "her name",
    "mother": "her name",
    "dad": "his name",
    "daddy": "his name",
    "father": "his name",
    "stepdad": "his name",
    "step-dad": "his name",
    "stepfather": "his name",
    "step-father": "his name",
    "stepmum": "her name",
    "step-mum": "her name",
    "stepmother": "her name",
    "step-mother": "her name",
    "nan": "her name",
    "nana": "her name",
    "gran": "her name",
    "grandma": "her name",
    "grandmother": "her name",
    "grandad": "his name",
    "granddad": "his name",
    "grandpa": "his name",
    "grandfather": "his name",
}
CHILD_ROLES = {
    ("the", "child"): "the child's name",
    ("the", "young", "person"): "the young person's name",
    ("the", "baby"): "the baby's name",
    ("the", "subject", "child"): "the child's name",
    ("the", "infant"): "the baby's name",
}
# Before a role word, these make it a description of a relationship ("her mum", "a mother of
# two", "Lily's dad"), not a name.
OWNERS = frozenset(
    """his her their my your our its whose a an one birth foster step biological new own former
    maternal paternal great
    expectant single young first-time teenage adoptive other each every any either""".split()
)
# After a role word, these make it part of a name or a thing ("mother and baby unit", "mother tongue").
NOT_A_PERSON_AFTER = frozenset({"tongue", "nature", "country", "figure", "hen", "board"})
# After "the child" or "the baby", these make it part of a thing ("the child protection plan").
NOT_A_CHILD_AFTER = frozenset(
    """protection care arrangements arrangement development benefit group groups unit clinic club class
    classes bank monitor seat minder minding health centre center clothes food milk sling""".split()
)
ROLE_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
ROLE_HINT = re.compile(
    r"\b(?:mum|mummy|mother|dad|daddy|father|step-?(?:dad|father|mum|mother)|nan|nana|gran|grand\w+"
    r"|the\s+(?:child|young|baby|subject|infant))",
    re.IGNORECASE,
)
UNBORN = re.compile(r"\b(?:unborn|pre-birth|pregnan\w*|due\s+date|is\s+due|expecting)\b", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"[.!?:;\n]")


def check_roles(text: str, names: Iterable[str] = ()) -> list[Advice]:
    """'Mum said …', 'the mother', 'Dad was present', 'the child': people are written about by
    their names. A role after 'his', 'her', a name's possessive or 'a' is a relationship and is
    fine ('Lily's mum', 'her dad'); so is anything inside a quotation ("Mum doesn't cry")."""
    if not ROLE_HINT.search(text):
        return []
    known = {n.lower() for n in names if n}
    masked = _masked(text, quoted_spans(text))
    tokens = [(m.group(), m.start(), m.end()) for m in ROLE_TOKEN.finditer(masked)]
    lowered = [t.lower().replace("’", "'") for t, _, _ in tokens]
    bare_words = [w[:-2] if w.endswith("'s") else w for w in lowered]
    found: dict[str, Advice] = {}
    described: set[int] = set()  # role words described as a relationship ("her mum")
    for i, word in enumerate(lowered):
        bare = bare_words[i]
        role = ""
        if bare in PARENT_ROLES:
            # The word before counts only within the same sentence or clause.
            joined = i and not SENTENCE_BREAK.search(masked, tokens[i - 1][2], tokens[i][1])
            before = lowered[i - 1] if joined else ""
            after = lowered[i + 1] if i + 1 < len(lowered) else ""
            if before in OWNERS or before.endswith(("'s", "s'")) or after in NOT_A_PERSON_AFTER:
                described.add(i)
                continue
            if before in {"and", "or", "&"} and i - 2 in described:
                described.add(i)
                continue  # "his mum and dad": both described by "his"
            if after == "and" and i + 2 < len(lowered) and lowered[i + 2] in {"baby", "toddler", "child"}:
                continue  # "mother and baby unit", "mum and toddler group"
            if after in known:
                continue  # "mother Dana Marsh": the name is given
            role, instead = tokens[i][0], PARENT_ROLES[bare]
        elif word == "the":
            for words, instead_child in CHILD_ROLES.items():
                following = lowered[i + len(words) : i + len(words) + 2]
                if following[:1] and following[0] in NOT_A_CHILD_AFTER or following == ["in", "need"]:
                    continue  # "the child protection plan", "the baby group", "a child in need"
                if words == ("the", "baby") and UNBORN.search(text):
                    continue  # a baby not yet born has no name to use
                if bare_words[i : i + len(words)] == list(words):
                    role = " ".join(t for t, _, _ in tokens[i : i + len(words)])
                    instead = instead_child
                    break
        if not role or role.lower() in found:
            continue
        start = tokens[i][1]
        sentence = next((text[s:e] for s, e in sentence_spans(text) if s <= start < e), role)
        owned = "’s" if role.endswith("’s") else "'s" if role.endswith("'s") else ""
        rewrite = _quote(sentence.replace(role, f"[{instead}]{owned}", 1), 90)
        found[role.lower()] = Advice(
            Kind.ROLE,
            f"“{role}”: write about people by their names, not their role, so a child reading this later "
            "knows who is meant. A role inside a quotation is fine.",
            excerpt=role,
            suggestion=instead,
            example=f"“{_quote(sentence, 90)}” → “{rewrite}”",
        )
    return list(found.values())


# ---------------------------------------------------------------------------------------------
# Claims of change without evidence

CLAIMS = re.compile(
    r"""\b(?:
      (?:good|significant|great|positive|real|excellent|considerable|steady|huge|some|much|further)\s+progress
    | progress\s+(?:has|had)\s+been\s+made | made\s+(?:\w+\s+)?progress
    | risks?\s+(?:has|have|had)\s+(?:\w+\s+){0,2}?(?:reduced|decreased|lessened|lowered|gone\s+down)
    | risks?\s+(?:is|are)\s+(?:now\s+)?(?:low|lower|reduced|minimal|manageable)
    | (?:reduced|lower|lowered)\s+risks?
    | (?:shown|showed|gained|developed|demonstrated|has|have|good|some|more|better|increased
       |improved)\s+insight
    | no\s+(?:further\s+|new\s+|current\s+|ongoing\s+|safeguarding\s+)?concerns?
    | engag(?:ed|ing|es)\s+(?:really\s+|very\s+)?(?:well|positively|fully)
    | (?:good|positive|full)\s+engagement
    | (?:positive|significant|real|sustained|lasting)\s+(?:changes?|impact|outcomes?|difference)
    | sustained\s+change
    | (?:has|have|had)\s+(?:\w+\s+)?improved | (?:much|greatly|vastly|really|significantly)\s+improved
    | improved\s+(?:a\s+lot|greatly|significantly|considerably)
    | doing\s+(?:really\s+|very\s+|much\s+)?(?:well|better)
    | needs\s+(?:are\s+|were\s+)?(?:now\s+)?(?:being\s+)?met
    | safe\s+and\s+well
    | (?:is|are)\s+(?:now\s+)?stable
    | good\s+enough
    | (?:has|have)\s+been\s+(?:successful|positive)
    | (?:is|are|has\s+been|have\s+been)\s+going\s+(?:really\s+|very\s+)?well
    | progress(?:ed|ing)\s+well | (?:is|are)\s+thriving
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# What makes a claim evidence: a number, date or measure (engine.MEASURE), a quotation, or a word
# that says how it is known or gives an example.
EVIDENCE = re.compile(
    r"\b(?:because|for\s+example|for\s+instance|such\s+as|e\.g|including|shown\s+by|saw|seen|observed|"
    r"noticed|told|said|says|confirmed|confirms|every|each|never|no\s+longer|all\s+of)\b",
    re.IGNORECASE,
)


# A number, a month or a count: "at first", "once" or "she may" are not evidence.
AMOUNT = re.compile(
    r"\d|%|\b(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b|\b(?i:two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty|forty|fifty|hundred|half|twice|daily|weekly|fortnightly|monthly|"
    r"per\s?cent)\b"
)


def _evidenced(sentence: str) -> bool:
    return bool(AMOUNT.search(sentence) or EVIDENCE.search(sentence) or QUOTED.search(sentence))


def check_claims(text: str) -> list[Advice]:
    """'Good progress', 'risks have reduced', 'shown insight', 'no concerns' with nothing beside
    them (in the sentence, or the one before or after) to say what, how much, since when or how
    we know."""
    if not CLAIMS.search(text):
        return []
    spans = sentence_spans(text)
    found: dict[str, None] = {}
    advice: list[Advice] = []
    evidenced: dict[int, bool] = {}

    def has_evidence(index: int) -> bool:
        if index not in evidenced:
            start, end = spans[index]
            evidenced[index] = _evidenced(text[start:end])
        return evidenced[index]

    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        claims = [m.group() for m in CLAIMS.finditer(sentence)]
        if not claims:
            continue
        nearby = [i for i in (index - 1, index, index + 1) if 0 <= i < len(spans)]
        if any(has_evidence(i) for i in nearby):
            continue
        new = list(
            dict.fromkeys(" ".join(c.split()) for c in claims if " ".join(c.lower().split()) not in found)
        )
        if not new:
            continue
        for claim in new:
            found[claim.lower()] = None
        said = " and ".join(f"“{c}”" for c in new)
        advice.append(
            Advice(
                Kind.CLAIM,
                f"{said} need{'s' if len(new) == 1 else ''} evidence: say what has changed, how much, "
                "since when, and how you know.",
                excerpt=_quote(sentence),
                example="“Ms Cole has made good progress” → “Ms Cole has been to 11 of 12 sessions since "
                "April, and Jayden has not missed school since June.”",
            )
        )
    return advice


# ---------------------------------------------------------------------------------------------
# Views without the person's own words

# A view given without words can still be recorded well: what the child did or showed, or why
# they could not say.
OBSERVED = re.compile(
    r"\b(?:too\s+young|months?\s+old|non-verbal|nonverbal|pre-verbal|preverbal|makaton|sign\s+language|"
    r"observed|I\s+saw|I\s+noticed|drew|drawing|through\s+play|did\s+not\s+want\s+to\s+(?:talk|speak|share)|"
    r"declined\s+to|cannot\s+yet|could\s+not\s+(?:say|share|speak)|not\s+able\s+to\s+(?:say|share|speak))\b",
    re.IGNORECASE,
)


def check_views(text: str, who: str) -> list[Advice]:
    """Views recorded without the person's words: ask for a quotation, with when and where it
    was said. A summary ('Lily feels safer now') is the worker's words, not hers."""
    if not (text or "").strip() or QUOTED.search(text) or OBSERVED.search(text):
        return []
    return [
        Advice(
            Kind.NO_VOICE,
            f"These views are in your words, not {who}'s. Add what {who} said, in quotation marks, with "
            f"when and where. If {who} could not say, describe what you saw.",
            example=f"“{who} feels safer now” → “{who} told me at school on 3 November: "
            "‘I feel safe at home now.’”",
        )
    ]
