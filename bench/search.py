"""Child search by name across the whole caseload (a data officer sees every team's children)."""

import random

from closewell.cases.models import Child
from closewell.cases.selectors import children_search
from closewell.demo import caseload as generate
from django.test import Client

from .common import summary, timed


def queries(n: int, seed: int = 3) -> list[str]:
    """What people type: a surname, a first name, 'first last', a prefix of three letters, an ID; names drawn
    with the caseload's own frequencies, so common names are searched for as often as they occur."""
    rng = random.Random(seed)

    def surname():
        return generate.pick(rng, generate.SURNAMES)

    def first():
        return generate.pick(rng, generate.CHILD_NAMES[rng.choice("FM")])

    ids = list(
        Child.objects.filter(la_child_id__startswith="GEN").values_list("la_child_id", flat=True)[:500]
    )
    out = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            out.append(surname())
        elif kind == 1:
            out.append(first())
        elif kind == 2:
            out.append(f"{first()} {surname()}")
        elif kind == 3:
            out.append(surname()[:3].lower())
        else:
            out.append(rng.choice(ids) if ids else "GEN0000001")
    return out


def run(*, officer, requests: int = 200) -> dict:
    client = Client()
    client.force_login(officer)
    texts = queries(requests)
    for text in texts[:5]:
        client.get("/search/", {"q": text})
    it = iter(texts)

    def one():
        response = client.get("/search/", {"q": next(it)})
        if response.status_code != 200:
            raise RuntimeError(f"search answered {response.status_code}")

    page = summary(timed(one, requests))
    # The query alone, as the page runs it: the count for the pager and the first page of 20.
    it = iter(texts)

    def query():
        found = children_search(officer, next(it))
        found.count()
        list(found[:20])

    return {**page, "query": summary(timed(query, requests))}
