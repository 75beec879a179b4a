"""What changed in a section since a manager returned the record: its words then and now, compared
word by word (difflib), for the manager reading the record submitted again.

A section's part of the record is data (sections.SectionSpec.content_of): dates, yes/no answers,
rows of actions and views. It is read as lines of words in one fixed order, so two parts compare
the same way every time, whatever the section."""

import difflib
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder

EQUAL, ADDED, REMOVED = "equal", "added", "removed"

# Keys of a part that are not words the worker wrote or chose (ids, flags of the layout).
NOT_WORDS = frozenset({"id", "person_id", "required"})


@dataclass(frozen=True)
class Piece:
    """A run of words that is the same, added or removed."""

    kind: str
    text: str


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _scalar(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value
    return DjangoJSONEncoder().default(value) if not isinstance(value, int | float) else str(value)


def lines(part, prefix: str = "") -> list[str]:
    """A section's part as lines: "Label: words", nested parts in order (lists item by item)."""
    out: list[str] = []
    if isinstance(part, dict):
        for key, value in part.items():
            if key in NOT_WORDS:
                continue
            if isinstance(value, dict | list):
                out += lines(value, f"{prefix}{_label(key)}: ")
            else:
                text = _scalar(value)
                if text.strip():
                    out.append(f"{prefix}{_label(key)}: {text}")
    elif isinstance(part, list):
        for item in part:
            out += lines(item, prefix)
    else:
        text = _scalar(part)
        if text.strip():
            out.append(f"{prefix}{text}" if prefix else text)
    return out


def _words(part) -> list[str]:
    """The words of a part, each line ending in a line break so that lines stay lines."""
    words: list[str] = []
    for line in lines(part):
        for paragraph in line.splitlines() or [""]:
            words += paragraph.split()
            words.append("\n")
    return words


def _aligned(before, after):
    """`before` with its keys in `after`'s order, all the way down: a part stored as JSON may come
    back with its keys reordered (PostgreSQL's jsonb), and order alone is not a change."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [key for key in after if key in before] + [key for key in before if key not in after]
        return {key: _aligned(before[key], after.get(key)) for key in keys}
    if isinstance(before, list) and isinstance(after, list):
        return [_aligned(item, after[n] if n < len(after) else None) for n, item in enumerate(before)]
    return before


def word_diff(before, after) -> list[Piece]:
    """The words of `after` against `before`: runs of words the same, added or removed, in order
    (a replaced run is its removed words, then its added ones). Words are compared without the line
    breaks between them: a line broken elsewhere is not a change, and the runs show `after`'s lines
    (a removed run, `before`'s)."""
    old, new = _words(_aligned(before, after)), _words(after)
    old_at, new_at = _word_places(old), _word_places(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=[old[i] for i in old_at], b=[new[i] for i in new_at], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(EQUAL, _join(_run(new, new_at, b1, b2))))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece(REMOVED, _join(_run(old, old_at, a1, a2))))
        if op in ("insert", "replace"):
            pieces.append(Piece(ADDED, _join(_run(new, new_at, b1, b2))))
    return [piece for piece in pieces if piece.text.strip() or piece.kind == EQUAL]


def _word_places(words: list[str]) -> list[int]:
    """Where the words are in a list of words and line breaks."""
    return [n for n, word in enumerate(words) if word != "\n"]


def _run(words: list[str], places: list[int], first: int, end: int) -> list[str]:
    """The words first to end (counted without line breaks) with the line breaks after each."""
    if first == end:
        return []
    start = places[first] if first else 0
    stop = places[end] if end < len(places) else len(words)
    return words[start:stop]


def _join(words: list[str]) -> str:
    text = ""
    for word in words:
        if word == "\n":
            text = text.rstrip(" ") + "\n"
        else:
            text += word + " "
    return text


def changed(pieces: list[Piece]) -> bool:
    return any(piece.kind != EQUAL for piece in pieces)
