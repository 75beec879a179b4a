"""The default word lists shipped in data/*.txt, read for the data migrations that seed them."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def is_acronym(term: str) -> bool:
    """Acronyms (CIN, s47) are matched only as written, so 'cin' or 'cp' inside prose is not."""
    return term != term.lower() or any(c.isdigit() for c in term)


def default_words() -> list[dict]:
    rows = []
    for line in _lines("jargon.txt"):
        term, _, plain = (part.strip() for part in line.partition("|"))
        rows.append({"kind": "jargon", "term": term, "plain": plain, "match_case": is_acronym(term)})
    rows += [
        {"kind": "field_word", "term": w.lower(), "plain": "", "match_case": False}
        for w in _lines("field_words.txt")
    ]
    rows += [
        {"kind": "field_phrase", "term": p.lower(), "plain": "", "match_case": False}
        for p in _lines("field_phrases.txt")
    ]
    rows += default_labels()
    return rows


def default_labels() -> list[dict]:
    """Labels and blaming words with what to write instead (data/labels.txt)."""
    rows = []
    for line in _lines("labels.txt"):
        term, _, plain = (part.strip() for part in line.partition("|"))
        rows.append({"kind": "label", "term": term.lower(), "plain": plain, "match_case": False})
    return rows
