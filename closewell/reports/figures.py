"""The report figures: pure functions of querysets and dates, each returning a Figure.

A Figure is what a page shows (a chart and its table) and what its CSV holds: the same rows.
Scoping (which teams a user may see) and filtering are done by the caller on the querysets passed in.
Durations are in working days, Monday to Friday (bank holidays are counted as working days).
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from closewell.cases.codes import ReasonForClosure
from closewell.cases.models import PARENT_OR_CARER, Episode, EpisodeStatus
from closewell.closures.models import LIVE, ClosureRecord, ReturnComment, Section, Status
from closewell.closures.selectors import is_overdue
from closewell.core.dates import working_days_between
from closewell.documents.models import Copy, RecipientKind, Signature, SignerKind
from closewell.familyhelp.models import Acknowledgement, Handover

FAMILY_RECIPIENTS = frozenset({RecipientKind.CHILD, RecipientKind.PERSON})


@dataclass
class Figure:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    # (label, value) pairs drawn as bars; the table above is the chart's text alternative.
    bars: list[tuple[str, float]] = field(default_factory=list)
    bars_title: str = ""
    unit: str = ""
    note: str = ""
    empty: str = "None in this period."
    # Rows that link to a case: (label, url) per row, shown only on the page, not in the CSV.
    links: list[str | None] = field(default_factory=list)


def _months(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    months, current = [], date_from.replace(day=1)
    while current <= date_to:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def closures_by_reason(episodes: QuerySet, date_from: dt.date, date_to: dt.date) -> Figure:
    """Episodes closed (the Closure Record authorised) in the range, by month and census reason code.

    Every closed episode counts, including those closed in the council's case system before Closewell
    (imported with their closure date and reason): the census counts them too. The note says how many
    were closed through a Closure Record authorised here, the count the other reports start from
    ("Records authorised"), so the two figures are never shown side by side unexplained."""
    closed = episodes.filter(
        status=EpisodeStatus.CLOSED, closure_date__gte=date_from, closure_date__lte=date_to
    )
    through_record = closed.filter(
        Exists(
            ClosureRecord.objects.filter(
                episode=OuterRef("pk"), status=Status.AUTHORISED, addendum_to__isnull=True
            )
        )
    ).count()
    counts = (
        closed.annotate(month=TruncMonth("closure_date"))
        .values("month", "reason_for_closure")
        .annotate(n=Count("pk"))
    )
    table: dict[tuple[dt.date, str], int] = {}
    for row in counts:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        table[(month, row["reason_for_closure"])] = row["n"]
    codes = list(ReasonForClosure.values)
    rows, bars = [], []
    for month in _months(date_from, date_to):
        values = [table.get((month, code), 0) for code in codes]
        rows.append([f"{month:%B %Y}", *values, sum(values)])
        bars.append((f"{month:%b %Y}", sum(values)))
    totals = [sum(r[i + 1] for r in rows) for i in range(len(codes))]
    rows.append(["Total", *totals, sum(totals)])
    return Figure(
        key="closures",
        title="Closures by reason and month",
        headers=["Month", *codes, "Total"],
        rows=rows,
        bars=bars,
        bars_title="Closures each month",
        unit="closures",
        note="A case is closed on the date its Closure Record is authorised. "
        + f"Of these {sum(totals)} closures, {through_record} "
        + f"{'was' if through_record == 1 else 'were'} closed through a Closure Record authorised in "
        + "Closewell (the records counted as 'Records authorised' below); the others were closed in the "
        + "council's case system before Closewell and imported. "
        + "; ".join(f"{c.value}: {c.label}" for c in ReasonForClosure)
        + ".",
    )


def overdue_records(episodes: QuerySet, today: dt.date | None = None) -> Figure:
    """Closure Records in progress (draft, submitted, returned) that are overdue: not submitted within
    the working days allowed after the decision to close, or not authorised in time after submission."""
    today = today or timezone.localdate()
    records = (
        ClosureRecord.objects.filter(episode__in=episodes, status__in=LIVE, addendum_to__isnull=True)
        .select_related("episode__child", "episode__team", "episode__worker", "author")
        .order_by("decision_date", "pk")
    )
    rows, links, by_team = [], [], {}
    for record in records:
        if not is_overdue(record, today):
            continue
        episode = record.episode
        rows.append(
            [
                episode.child.full_name,
                episode.child.la_child_id,
                episode.team.name,
                str(episode.worker or record.author),
                record.decision_date.isoformat(),
                record.get_status_display(),
                working_days_between(record.decision_date, today),
            ]
        )
        links.append(episode.child.get_absolute_url())
        by_team[episode.team.name] = by_team.get(episode.team.name, 0) + 1
    return Figure(
        key="overdue",
        title="Closure Records overdue",
        headers=[
            "Child",
            "LA child ID",
            "Team",
            "Worker",
            "Decision to close",
            "Status",
            "Working days since the decision",
        ],
        rows=rows,
        links=links,
        bars=sorted(by_team.items()),
        bars_title="Overdue Closure Records by team",
        unit="records",
        note="As at today, whatever the period chosen. Overdue: not submitted within the working days "
        "allowed after the decision to close, or not authorised within the working days allowed after "
        "submission.",
        empty="No Closure Record is overdue today.",
    )


def _median(values: list[int]) -> int | float | None:
    """The median, as a whole number when it is one (the median of an even count may be a half)."""
    if not values:
        return None
    median = statistics.median(values)
    return int(median) if median == int(median) else median


def timeliness(records: QuerySet, date_from: dt.date, date_to: dt.date) -> Figure:
    """Decision to submission to authorisation, for records authorised in the range, in working days:
    the median and the slowest of each stage. Submission is the last one, after any return."""
    authorised = records.filter(
        status=Status.AUTHORISED,
        addendum_to__isnull=True,
        authorised_at__date__gte=date_from,
        authorised_at__date__lte=date_to,
    ).select_related("episode__child")
    stages: dict[str, list[int]] = {
        "Decision to submission": [],
        "Submission to authorisation": [],
        "Decision to authorisation": [],
    }
    slowest: dict[str, tuple[int, str]] = {}
    for record in authorised:
        submitted = timezone.localdate(record.submitted_at)
        authorised_on = timezone.localdate(record.authorised_at)
        durations = {
            "Decision to submission": working_days_between(record.decision_date, submitted),
            "Submission to authorisation": working_days_between(submitted, authorised_on),
            "Decision to authorisation": working_days_between(record.decision_date, authorised_on),
        }
        for stage, days in durations.items():
            stages[stage].append(days)
            if stage not in slowest or days > slowest[stage][0]:
                slowest[stage] = (days, record.episode.child.la_child_id)
    rows, bars = [], []
    for stage, values in stages.items():
        median = _median(values)
        worst = slowest.get(stage)
        rows.append(
            [
                stage,
                len(values),
                median if median is not None else "",
                worst[0] if worst else "",
                worst[1] if worst else "",
            ]
        )
        bars.append((stage, median or 0))
    return Figure(
        key="timeliness",
        title="Timeliness of Closure Records",
        headers=[
            "Stage",
            "Records",
            "Median (working days)",
            "Slowest (working days)",
            "Slowest: LA child ID",
        ],
        rows=rows,
        bars=bars,
        bars_title="Median working days at each stage",
        unit="working days",
        note="Closure Records authorised in Closewell in the period (not addenda); closures imported from "
        "the council's case system have no record, so this can be fewer than the closures above. "
        "Working days are Monday to Friday; bank holidays are "
        "counted. After a return, submission is the latest one.",
    )


def returns(records: QuerySet, date_from: dt.date, date_to: dt.date) -> Figure:
    """Of records submitted in the range, how many were returned for amendment at least once, and
    which sections the managers' comments were about (each record counted once per section)."""
    submitted = records.filter(
        addendum_to__isnull=True,
        submitted_at__isnull=False,
        submitted_at__date__gte=date_from,
        submitted_at__date__lte=date_to,
    )
    total = submitted.count()
    returned = submitted.filter(Exists(ReturnComment.objects.filter(record=OuterRef("pk")))).count()
    per_section = dict(
        ReturnComment.objects.filter(record__in=submitted)
        .values("section")
        .annotate(n=Count("record", distinct=True))
        .values_list("section", "n")
    )
    rate = round(100 * returned / total, 1) if total else 0
    rows = [
        ["Records submitted", total],
        ["Returned for amendment at least once", returned],
        ["Returned (per cent)", rate],
    ]
    sections = sorted(((Section(s).label, n) for s, n in per_section.items()), key=lambda r: (-r[1], r[0]))
    rows += [[f"Returned about: {label}", n] for label, n in sections]
    return Figure(
        key="returns",
        title="Returned for amendment",
        headers=["Measure", "Value"],
        rows=rows,
        bars=sections,
        bars_title="Sections most often returned (records)",
        unit="records",
        note="Records whose latest submission is in the period.",
    )


def re_referrals(episodes: QuerySet, date_from: dt.date, date_to: dt.date) -> Figure:
    """Of episodes closed in the range, how many led to a re-referral within 12 months of closure,
    by census reason for closure and by team (the national re-referral indicator, seen from closure)."""
    closed = episodes.filter(
        status=EpisodeStatus.CLOSED, closure_date__gte=date_from, closure_date__lte=date_to
    ).annotate(
        re_referred=Exists(Episode.objects.filter(previous_episode=OuterRef("pk"), is_re_referral=True))
    )
    by_reason = {code: [0, 0] for code in ReasonForClosure.values}
    by_team: dict[str, list[int]] = {}
    for reason, team, re_referred in closed.values_list("reason_for_closure", "team__name", "re_referred"):
        for bucket in (by_reason.setdefault(reason, [0, 0]), by_team.setdefault(team, [0, 0])):
            bucket[0] += 1
            bucket[1] += int(bool(re_referred))

    def pct(n, d):
        return round(100 * n / d, 1) if d else ""

    rows = [[f"Reason {code}", closed_n, rr, pct(rr, closed_n)] for code, (closed_n, rr) in by_reason.items()]
    rows += [[f"Team: {team}", n, rr, pct(rr, n)] for team, (n, rr) in sorted(by_team.items())]
    all_closed = sum(n for n, _ in by_reason.values())
    all_rr = sum(rr for _, rr in by_reason.values())
    rows.append(["All closures", all_closed, all_rr, pct(all_rr, all_closed)])
    return Figure(
        key="re_referrals",
        title="Re-referrals within 12 months of closure",
        headers=["Group", "Episodes closed", "Re-referred within 12 months", "Re-referred (per cent)"],
        rows=rows,
        bars=[(code, pct(rr, n) or 0) for code, (n, rr) in by_reason.items() if n],
        bars_title="Re-referred within 12 months, per cent, by reason for closure",
        unit="per cent",
        note="Closures in the last 12 months have not yet had 12 months in which to be re-referred.",
    )


def copies_and_signatures(records: QuerySet, date_from: dt.date, date_to: dt.date) -> Figure:
    """For records authorised in the range: was a copy given to the child or family, and is every
    signature recorded (the child's, and each parent or carer with parental responsibility)?
    A refusal to sign, with its reason, counts as recorded."""
    authorised = (
        records.filter(
            status=Status.AUTHORISED,
            addendum_to__isnull=True,
            authorised_at__date__gte=date_from,
            authorised_at__date__lte=date_to,
        )
        .select_related("episode__child")
        .prefetch_related("episode__child__relationships")
        .order_by("authorised_at", "pk")
    )
    ids = [r.pk for r in authorised]
    signed: dict[int, set] = {}
    for record_id, kind, person_id in Signature.objects.filter(record_id__in=ids).values_list(
        "record_id", "signer_kind", "person_id"
    ):
        signed.setdefault(record_id, set()).add("child" if kind == SignerKind.CHILD else person_id)
    family_copies = set(
        Copy.objects.filter(record_id__in=ids, recipient_kind__in=FAMILY_RECIPIENTS).values_list(
            "record_id", flat=True
        )
    )
    total = with_copy = complete = missing_total = 0
    detail, links = [], []
    for record in authorised:
        total += 1
        child = record.episode.child
        expected = {"child"} | {
            link.person_id
            for link in child.relationships.all()
            if link.has_parental_responsibility and link.relationship in PARENT_OR_CARER
        }
        missing = len(expected - signed.get(record.pk, set()))
        missing_total += missing
        has_copy = record.pk in family_copies
        with_copy += has_copy
        complete += missing == 0
        if missing or not has_copy:
            detail.append(
                [
                    f"Missing: {child.full_name} ({child.la_child_id})",
                    "No" if not has_copy else "Yes",
                    missing,
                ]
            )
            links.append(child.get_absolute_url())
    rows = [
        ["Records authorised", total, ""],
        ["With a copy given to the child or family", with_copy, ""],
        ["With every signature recorded", complete, ""],
        ["Signatures missing (all records)", missing_total, ""],
    ]
    return Figure(
        key="copies",
        title="Copies given and signatures missing",
        headers=["Measure or record", "Value or family copy given", "Signatures missing"],
        rows=rows + detail,
        links=[None] * len(rows) + links,
        bars=[("Authorised", total), ("Family copy given", with_copy), ("All signatures", complete)],
        bars_title="Authorised records, with a family copy and with every signature",
        unit="records",
        note="Records authorised: Closure Records authorised in Closewell in the period (not addenda), "
        "so fewer than the closures above when some cases were closed before Closewell. "
        "Expected signatures: the child's and each parent or carer with parental responsibility; "
        "a recorded refusal to sign, with its reason, counts.",
    )


def months_after(date: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day: 31 May + 3 → 31 Aug,
    30 Nov + 3 → 28 Feb or 29 Feb)."""
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    for day in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(date)


def _handover_state(handover: str | None) -> str:
    return {
        None: "No handover",
        Acknowledgement.WAITING: "Handover not yet answered",
        Acknowledgement.ACCEPTED: "Handover accepted",
        Acknowledgement.DECLINED: "Handover declined",
    }[handover]


HANDOVER_STATES = ("No handover", "Handover not yet answered", "Handover accepted", "Handover declined")


def loop_back(episodes: QuerySet, date_from: dt.date, date_to: dt.date) -> Figure:
    """Of episodes closed in the range, how many children were referred again, by closing team, by
    reason for closure and by whether a handover to Family Help was made and accepted, under both
    measures, each named:

    - Closewell's: the next referral within 3, and within 12, months of the closure date;
    - DfE's (the national indicator): the next referral within 12 months of the previous referral
      (this closed episode's referral date), whenever the episode closed.

    The next referral is the child's next episode by referral date, in any team."""
    closed = list(
        episodes.filter(
            status=EpisodeStatus.CLOSED, closure_date__gte=date_from, closure_date__lte=date_to
        ).values_list("pk", "child_id", "referral_date", "closure_date", "reason_for_closure", "team__name")
    )
    children = {row[1] for row in closed}
    referrals: dict[int, list[tuple[dt.date, int]]] = {}
    for child_id, referred, pk in Episode.objects.filter(child_id__in=children).values_list(
        "child_id", "referral_date", "pk"
    ):
        referrals.setdefault(child_id, []).append((referred, pk))
    handovers = dict(
        Handover.objects.filter(
            record__episode_id__in=[row[0] for row in closed],
            record__status=Status.AUTHORISED,
            record__addendum_to__isnull=True,
        ).values_list("record__episode_id", "acknowledgement")
    )
    groups: dict[str, list[int]] = {}
    order = (
        [f"Team: {team}" for team in sorted({row[5] for row in closed})]
        + [f"Reason {code}" for code in ReasonForClosure.values]
        + list(HANDOVER_STATES)
        + ["All closures"]
    )
    for name in order:
        groups[name] = [0, 0, 0, 0]
    for pk, child_id, referred, closed_on, reason, team in closed:
        later = [(d, p) for d, p in referrals.get(child_id, []) if (d, p) > (referred, pk) and p != pk]
        next_referral = min(later)[0] if later else None
        counts = (
            1,
            int(bool(next_referral and next_referral < months_after(closed_on, 3))),
            int(bool(next_referral and next_referral < months_after(closed_on, 12))),
            int(bool(next_referral and next_referral < months_after(referred, 12))),
        )
        for name in (f"Team: {team}", f"Reason {reason}", _handover_state(handovers.get(pk)), "All closures"):
            bucket = groups.setdefault(name, [0, 0, 0, 0])
            for i, n in enumerate(counts):
                bucket[i] += n

    def pct(n, d):
        return round(100 * n / d, 1) if d else ""

    rows = [
        [name, n, in3, in12, pct(in12, n), dfe, pct(dfe, n)]
        for name, (n, in3, in12, dfe) in groups.items()
        if n or name == "All closures" or name in HANDOVER_STATES
    ]
    return Figure(
        key="loop",
        title="Referred again after closing: by team, reason and handover to Family Help",
        headers=[
            "Group",
            "Episodes closed",
            "Referred again within 3 months of the closure (Closewell)",
            "Referred again within 12 months of the closure (Closewell)",
            "Within 12 months of the closure (per cent)",
            "Referred again within 12 months of the previous referral (DfE)",
            "Within 12 months of the previous referral (per cent)",
        ],
        rows=rows,
        bars=[
            (name.removeprefix("Team: "), pct(in12, n) or 0)
            for name, (n, in3, in12, _) in groups.items()
            if name.startswith("Team: ") and n
        ],
        bars_title="Referred again within 12 months of the closure (Closewell), per cent, by closing team",
        unit="per cent",
        note=(
            "Two measures, named: Closewell's counts a child referred again within 3 or 12 months of "
            "the closure date; DfE's (the national re-referral indicator) counts a referral within 12 "
            "months of the previous referral, here the closed episode's referral. Closures in the last "
            "12 months have not yet had 12 months in which to be referred again."
        ),
    )
