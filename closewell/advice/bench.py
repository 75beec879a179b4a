"""How long writing advice takes on a typical full Closure Record: it must be fast enough to
re-check on every save. `bench_advice()` returns the median of 50 runs in milliseconds."""

import datetime as dt
import statistics
import time

from . import engine
from .defaults import default_words

TODAY = dt.date(2026, 11, 23)
FACTS = engine.Facts(
    names=("Jayden", "Cole", "Leanne", "Ryan", "Doyle", "Marcus", "Bell", "Daniel", "Whitcombe"),
    family_names=("Jayden", "Cole", "Leanne", "Ryan", "Doyle", "Marcus", "Bell"),
    referral_date=dt.date(2026, 5, 7),
    today=TODAY,
)

# A typical record: each section about as long as a worker writes it, with a few slips.
RECORD = {
    "reason_for_involvement": (
        "Police were called to the family home on 5 May 2026 when Mr Doyle, Ms Cole's partner of two "
        "years, assaulted her. Jayden, then aged 7, was in the next room and phoned his grandmother. "
        "He told me he had heard shouting 'lots of times' and was scared to go to sleep. Ms Cole said "
        "the abuse had been getting worse for a year and that she was afraid Mr Doyle would find them. "
        "A strategy discussion agreed an enquiry under s47; it concluded that Jayden is a child in need "
        "rather than at continuing risk of significant harm, because Mr Doyle was remanded in custody "
        "and Ms Cole acted at once to protect Jayden. Outcome: CIN plan focused on safety, Jayden's "
        "emotional wellbeing and a move to a safe home."
    ),
    "interventions": "\n".join(
        [
            "8 May 2026, home visit: visited with a police officer at the maternal grandmother's home.",
            "11 May 2026, school visit: saw Jayden alone at school in the quiet room.",
            "17 May 2026, office visit: saw Ms Cole on her own at the office, with her IDVA.",
            "26 July 2026, home visit: first visit to the new flat. Jayden showed me his room.",
            "5 August 2026, home visit: visited Mr Bell at home. He agreed to handovers at his mothers.",
            "25 August 2026, school visit: saw Jayden alone at school. He talked about play therapy.",
            "24 September 2026, office visit: saw Leane alone. She has finished the Freedom Programme.",
            "3 November 2026, home visit: CIN review at home. Everyone agreed the plan has worked.",
            "17 November 2026, office visit: saw Ms Cole on her own to talk about closing.",
        ]
    ),
    "reason_for_closure": (
        "The plan has worked. Jayden and his mother live safely in a new flat that Mr Doyle does not "
        "know about, Ms Cole has a non-molestation order and a safety plan, and she has finished the "
        "Freedom Programme. Jayden sleeps well, is calmer at school and can say who his safe adults "
        "are. Probation will tell us before Mr Doyle is released, and the TAF will continue through "
        "school. Support through short beak care was not needed."
    ),
    "child_views": "Jayden is happy with the case closing and likes his new school.",
    "da_work_with_perpetrator": (
        "Mr Doyle pleaded guilty and was sentenced on 23 June 2026 to 20 months. He has started the "
        "Building Better Relationships programme in custody. I wrote to him to explain that Jayden is "
        "supported by children's services; he has not replied."
    ),
    "da_if_released": (
        "Probation will tell the MASH at least two weeks before his release, expected on 2 May 2027. "
        "A new referral will be made and a strategy discussion held."
    ),
    "da_if_resumed": "New referral and assessment straight away.",
}
OUTCOMES = [
    "Ms Cole has a written safety plan and a non-molestation order, granted on 26 June 2026.",
    "Ms Cole says she now recognises the controlling behaviour that came before the violence.",
    "Jayden can say who his safe adults are and has a card with their numbers in his school bag.",
    "Jayden sleeps through most nights. His teacher says he is calmer.",
    "Attendance 97% this term. No concerns reported.",
    "Safe, settled tenancy. Jayden kept his school place.",
    "Jayden enjoys seeing his dad.",
    "Probation confirm release is expected, with licence conditions of no contact.",
]
PARENT_VIEWS = {
    "Leanne Cole": "Ms Cole agrees with closure and feels the support has helped.",
    "Marcus Bell": "Mr Bell is in agreement with closure.",
}


def default_lexicon() -> engine.Lexicon:
    rows = default_words()
    return engine.Lexicon(
        jargon=tuple((r["term"], r["plain"], r["match_case"]) for r in rows if r["kind"] == "jargon"),
        field_words=frozenset(r["term"] for r in rows if r["kind"] == "field_word"),
        phrases=tuple(r["term"] for r in rows if r["kind"] == "field_phrase"),
        labels=tuple((r["term"], r["plain"]) for r in rows if r["kind"] == "label"),
    )


def advise_typical_record(lexicon: engine.Lexicon, targets: engine.Targets, run: int = 0) -> int:
    """Every check on every field of the typical record, as selectors.advice_for_record runs them.

    Each run adds its own sentence, so no run is answered from textstat's cache of whole texts."""
    common = {"lexicon": lexicon, "facts": FACTS, "targets": targets}
    count = 0
    for name, text in RECORD.items():
        text = f"{text}\nChecked {run} times."
        voice = {"who": "Jayden", "voice_of": ["Jayden", "Cole"]} if name == "child_views" else {}
        count += len(engine.advise_text(text, min_words=30, **voice, **common))
        engine.readability(text)
        engine.highlight(text, targets.long_sentence_words)
    for text in OUTCOMES:
        count += len(engine.advise_text(text, min_words=5, outcome=True, **common))
    for who, text in PARENT_VIEWS.items():
        count += len(engine.advise_text(text, min_words=15, who=who, voice_of=who.split(), **common))
    return count


def bench_advice(runs: int = 50) -> float:
    """Median milliseconds to advise the typical record, once the dictionaries are loaded
    (they load once a process, on first use)."""
    lexicon, targets = default_lexicon(), engine.Targets()
    advise_typical_record(lexicon, targets)  # warm: dictionary and syllable data load once
    timings = []
    for run in range(1, runs + 1):
        start = time.perf_counter()
        advise_typical_record(lexicon, targets, run)
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 2)


# The record's fields by section, as the section pages advise them.
SECTIONS = {
    "involvement": ["reason_for_involvement"],
    "interventions": ["interventions"],
    "reason": ["reason_for_closure"],
    "child_views": ["child_views"],
    "domestic_abuse": ["da_work_with_perpetrator", "da_if_released", "da_if_resumed"],
}


def advise_section(section: str, lexicon: engine.Lexicon, targets: engine.Targets, run: int = 0) -> int:
    """Every check on one section of the typical record, as selectors.advice_for_section runs them."""
    common = {"lexicon": lexicon, "facts": FACTS, "targets": targets}
    count = 0
    if section == "review":
        for text in OUTCOMES:
            text = f"{text} Checked {run} times."
            count += len(engine.advise_text(text, min_words=5, outcome=True, **common))
            engine.readability(text)
            engine.highlight(text, targets.long_sentence_words)
        return count
    if section == "parent_views":
        for who, text in PARENT_VIEWS.items():
            text = f"{text} Checked {run} times."
            count += len(engine.advise_text(text, min_words=15, who=who, voice_of=who.split(), **common))
        return count
    for name in SECTIONS[section]:
        text = f"{RECORD[name]}\nChecked {run} times."
        voice = {"who": "Jayden", "voice_of": ["Jayden", "Cole"]} if name == "child_views" else {}
        count += len(engine.advise_text(text, min_words=30, **voice, **common))
        engine.readability(text)
        engine.highlight(text, targets.long_sentence_words)
    return count


def bench_sections(runs: int = 50) -> dict[str, float]:
    """Median milliseconds to advise each section of the typical record, and over all sections."""
    lexicon, targets = default_lexicon(), engine.Targets()
    names = [*SECTIONS, "review", "parent_views"]
    for name in names:
        advise_section(name, lexicon, targets)  # warm
    timings: dict[str, list[float]] = {name: [] for name in names}
    for run in range(1, runs + 1):
        for name in names:
            start = time.perf_counter()
            advise_section(name, lexicon, targets, run)
            timings[name].append((time.perf_counter() - start) * 1000)
    medians = {name: round(statistics.median(t), 2) for name, t in timings.items()}
    medians["any section"] = round(statistics.median([x for t in timings.values() for x in t]), 2)
    return medians


def bench_huge(sizes: tuple[int, ...] = (20_000, 30_000, 343_000, 1_700_000)) -> dict[int, tuple[float, int]]:
    """Milliseconds and pieces of advice for one field of each size (in characters): linear up to
    engine.MAX_ADVISED_CHARS, then one piece of advice saying the text is too long to advise on."""
    lexicon, targets = default_lexicon(), engine.Targets()
    base = " ".join(RECORD.values()) + " Mum failed to engage. Good progress was made. "
    results = {}
    for size in sizes:
        text = (base * (size // len(base) + 1))[:size]
        start = time.perf_counter()
        advice = engine.advise_text(text, lexicon=lexicon, facts=FACTS, targets=targets, min_words=40)
        engine.readability(text)
        engine.highlight(text, targets.long_sentence_words)
        results[size] = (round((time.perf_counter() - start) * 1000, 1), len(advice))
    return results


if __name__ == "__main__":
    print(f"Writing advice, typical full record: median {bench_advice()} ms over 50 runs")
    for name, ms in bench_sections().items():
        print(f"  {name}: median {ms} ms")
    for size, (ms, count) in bench_huge().items():
        print(f"One field of {size:,} characters: {ms} ms, {count} pieces of advice")
