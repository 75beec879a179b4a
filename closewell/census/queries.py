"""Reads for the census: every child with an episode open in the year, streamed in chunks.

Each chunk costs a fixed number of queries (the chunk's ids, the children, then one prefetch each
for episodes, assessments, section 47 enquiries and plans, and the children's every child protection
plan for NumberOfPreviousCPP) whatever its size, and only one chunk of
model instances is alive at a time, so memory stays flat for any number of children.

Everything is read "as at the reference date": what happened after 31 March is not in this
census (a closure, authorisation, conference or plan end dated later is written as not yet so).
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from closewell.cases.models import Assessment, Child, Episode, Plan, PlanType, Section47
from closewell.core.prefetch import related

from .writer import (
    AssessmentRecord,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
    reference_date,
    year_start,
)

CHUNK_SIZE = 1000


def episodes_in_year_q(year: int, prefix: str = "") -> Q:
    """An episode open at any time in the census year: referred on or before the reference date and
    not closed before 1 April of the year before."""
    return Q(**{f"{prefix}referral_date__lte": reference_date(year)}) & (
        Q(**{f"{prefix}closure_date__isnull": True}) | Q(**{f"{prefix}closure_date__gte": year_start(year)})
    )


def _prefetches(year: int) -> list[Prefetch]:
    start, ref = year_start(year), reference_date(year)
    # Items finished before the year began are not in this census (rules 8696, 4013, 8930, 8715).
    assessments = Assessment.objects.filter(
        Q(start_date__lte=ref) & (Q(authorisation_date__isnull=True) | Q(authorisation_date__gte=start))
    ).order_by("start_date", "pk")
    section47s = Section47.objects.filter(
        Q(start_date__lte=ref)
        & (
            Q(start_date__gte=start)
            | Q(icpc_date__gte=start)
            | Q(icpc_date__isnull=True, icpc_not_required=False)
        )
    ).order_by("start_date", "pk")
    plans = Plan.objects.filter(
        Q(kind__in=[PlanType.CIN, PlanType.CP], start_date__lte=ref)
        & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    ).order_by("start_date", "pk")
    episodes = (
        Episode.objects.filter(episodes_in_year_q(year))
        .order_by("referral_date", "pk")
        .prefetch_related(
            Prefetch("assessments", queryset=assessments, to_attr="census_assessments"),
            Prefetch("section47s", queryset=section47s, to_attr="census_section47s"),
            Prefetch("plans", queryset=plans, to_attr="census_plans"),
        )
    )
    return [Prefetch("episodes", queryset=episodes, to_attr="census_episodes")]


def children_in_year(year: int, *, team_ids: Iterable[int] | None = None):
    """Children with an episode open in the year; `team_ids` keeps those with one in those teams."""
    episodes = Episode.objects.filter(episodes_in_year_q(year), child=OuterRef("pk"))
    if team_ids is not None:
        episodes = episodes.filter(team_id__in=list(team_ids))
    return Child.objects.filter(Exists(episodes))


def _by_reference_date(day: dt.date | None, ref: dt.date) -> dt.date | None:
    return day if day is not None and day <= ref else None


def cp_plan_history(child_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, int]]]:
    """Every child protection plan of these children, in any episode and any year, as sorted
    (start date, pk) per child: what NumberOfPreviousCPP is counted from."""
    history: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    rows = Plan.objects.filter(kind=PlanType.CP, episode__child_id__in=list(child_ids)).values_list(
        "episode__child_id", "start_date", "pk"
    )
    for child_id, start, pk in rows:
        history[child_id].append((start, pk))
    for plans in history.values():
        plans.sort()
    return history


def previous_cp_plans(plan: Plan, history: list[tuple[dt.date, int]]) -> int:
    """CIN census NumberOfPreviousCPP: how many child protection plans the child was the subject of
    in this council before this one, in any earlier episode however long ago (DfE counts "second or
    subsequent" plans from it). The number recorded on the plan stands when it is larger: it holds
    plans from before the council's records came into Closewell."""
    earlier = bisect.bisect_left(history, (plan.start_date, plan.pk))
    return max(earlier, plan.number_of_previous_cpp)


def to_record(child: Child, year: int, cp_history: list[tuple[dt.date, int]] | None = None) -> ChildRecord:
    """The census view of a child whose episodes were prefetched by stream_children().
    `cp_history` is the child's every CP plan (cp_plan_history); without it, it is read here."""
    ref = reference_date(year)
    if cp_history is None:
        cp_history = cp_plan_history([child.pk]).get(child.pk, [])
    episodes = []
    for episode in child.census_episodes:
        closure_date = _by_reference_date(episode.closure_date, ref)
        plans = episode.census_plans
        episodes.append(
            EpisodeRecord(
                pk=episode.pk,
                team_id=episode.team_id,
                referral_date=episode.referral_date,
                referral_source=episode.referral_source,
                primary_need=episode.primary_need,
                closure_date=closure_date,
                reason_for_closure=episode.reason_for_closure if closure_date else "",
                referral_nfa=episode.referral_nfa,
                assessments=[
                    AssessmentRecord(
                        start_date=a.start_date,
                        authorisation_date=_by_reference_date(a.authorisation_date, ref),
                        factors=list(a.factors or []),
                    )
                    for a in episode.census_assessments
                ],
                cin_plans=[
                    CINPlanRecord(start_date=p.start_date, end_date=_by_reference_date(p.end_date, ref))
                    for p in plans
                    if p.kind == PlanType.CIN
                ],
                section47s=[
                    Section47Record(
                        start_date=s.start_date,
                        icpc_target_date=s.icpc_target_date,
                        icpc_date=_by_reference_date(s.icpc_date, ref),
                        icpc_not_required=s.icpc_not_required,
                    )
                    for s in episode.census_section47s
                ],
                cp_plans=[
                    CPPlanRecord(
                        start_date=p.start_date,
                        end_date=_by_reference_date(p.end_date, ref),
                        initial_category=p.initial_category,
                        latest_category=p.latest_category,
                        number_of_previous_cpp=previous_cp_plans(p, cp_history),
                    )
                    for p in plans
                    if p.kind == PlanType.CP
                ],
            )
        )
    return ChildRecord(
        pk=child.pk,
        name=child.full_name,
        la_child_id=child.la_child_id,
        upn=child.upn,
        upn_unknown=child.upn_unknown,
        date_of_birth=child.date_of_birth,
        expected_date_of_birth=child.expected_date_of_birth,
        sex=child.sex,
        date_of_death=_by_reference_date(child.date_of_death, ref),
        ethnicity=child.ethnicity,
        # An unborn child's disability is left blank (DfE's guide; rule 8540 asks only of the born).
        disabilities=list(child.disabilities or []) if child.date_of_birth else [],
        episodes=episodes,
    )


@dataclass(frozen=True)
class ReturnCounts:
    """How big a census return is."""

    children: int
    episodes: int
    closures: int


def return_counts(year: int, *, team_ids: Iterable[int] | None = None) -> ReturnCounts:
    """The children in the return of `year`, their episodes open in the year, and the closures in it:
    episodes whose closure date falls in the year (a closure after 31 March is next year's). Counted in
    the database, so the pages can show them without reading every child."""
    episodes = Episode.objects.filter(episodes_in_year_q(year))
    if team_ids is not None:
        episodes = episodes.filter(team_id__in=list(team_ids))
    return ReturnCounts(
        children=children_in_year(year, team_ids=team_ids).count(),
        episodes=episodes.count(),
        closures=episodes.filter(
            closure_date__gte=year_start(year), closure_date__lte=reference_date(year)
        ).count(),
    )


def episode_as_closed(
    episode: Episode, *, closure_date: dt.date, reason: str
) -> tuple[ChildRecord, EpisodeRecord]:
    """A live episode as the census will see it once closed on `closure_date` for `reason`: what a
    Closure Record is checked against (census/rules.py) when it is submitted and authorised."""
    plans = [
        plan
        for plan in related(episode, "plans", episode.plans.order_by("start_date", "pk"))
        if plan.kind in (PlanType.CIN, PlanType.CP)
    ]
    record = EpisodeRecord(
        pk=episode.pk,
        team_id=episode.team_id,
        referral_date=episode.referral_date,
        referral_source=episode.referral_source,
        primary_need=episode.primary_need,
        closure_date=closure_date,
        reason_for_closure=reason,
        referral_nfa=episode.referral_nfa,
        assessments=[
            AssessmentRecord(a.start_date, a.authorisation_date, list(a.factors or []))
            for a in related(episode, "assessments", episode.assessments.order_by("start_date", "pk"))
        ],
        cin_plans=[CINPlanRecord(p.start_date, p.end_date) for p in plans if p.kind == PlanType.CIN],
        section47s=[
            Section47Record(s.start_date, s.icpc_target_date, s.icpc_date, s.icpc_not_required)
            for s in related(episode, "section47s", episode.section47s.order_by("start_date", "pk"))
        ],
        cp_plans=[
            CPPlanRecord(
                p.start_date, p.end_date, p.initial_category, p.latest_category, p.number_of_previous_cpp
            )
            for p in plans
            if p.kind == PlanType.CP
        ],
    )
    child = episode.child
    return (
        ChildRecord(
            pk=child.pk,
            name=child.full_name,
            la_child_id=child.la_child_id,
            sex=child.sex,
            date_of_birth=child.date_of_birth,
            date_of_death=child.date_of_death,
            disabilities=list(child.disabilities or []),
            episodes=[record],
        ),
        record,
    )


def stream_children(
    year: int, *, team_ids: Iterable[int] | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[ChildRecord]:
    """Every child in the census of `year` as a ChildRecord, in primary-key order, chunk by chunk.

    Keyset pagination on the primary key (not OFFSET) keeps each chunk's query as fast as the first.
    """
    base = children_in_year(year, team_ids=team_ids).order_by("pk")
    prefetches = _prefetches(year)
    last = 0
    while True:
        ids = list(base.filter(pk__gt=last).values_list("pk", flat=True)[:chunk_size])
        if not ids:
            return
        chunk = Child.objects.filter(pk__in=ids).order_by("pk").prefetch_related(*prefetches)
        history = cp_plan_history(ids)
        for child in chunk:
            yield to_record(child, year, history.get(child.pk, []))
        last = ids[-1]
