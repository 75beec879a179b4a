"""What every benchmark shares: timing helpers and the bench database's fixtures (users with a
password, the 5- and 500-contact cases, Closure Records to read). Runs inside Django (bench.settings)."""

import datetime as dt
import random
import statistics
import time

from django.db import transaction
from django.utils import timezone

BENCH_PASSWORD = "bench-only-password"  # noqa: S105 — a throwaway bench database, never a real one


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank, of values in milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class Timings(list):
    """Wall-clock milliseconds per call, with this process's CPU milliseconds alongside: on a busy
    machine the wall clock includes waiting for a CPU, the CPU time does not (nor the database's)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.cpu: list[float] = []

    def __iadd__(self, other):
        self.extend(other)
        self.cpu.extend(getattr(other, "cpu", []))
        return self

    def __add__(self, other):
        out = Timings(list(self) + list(other))
        out.cpu = self.cpu + getattr(other, "cpu", [])
        return out


def timed(fn, n: int) -> Timings:
    """Milliseconds for each of n calls of fn."""
    out = Timings()
    for _ in range(n):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        out.cpu.append((time.process_time() - cpu) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    cpu = getattr(ms, "cpu", None)
    return {
        "n": len(ms),
        "p50": statistics.median(ms),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "mean": statistics.fmean(ms),
        "cpu_p50": statistics.median(cpu) if cpu else None,
        "cpu_mean": statistics.fmean(cpu) if cpu else None,
    }


def bench_users() -> dict:
    """The generated workers and managers get a known password (bench DB only), plus a data officer
    who can search across the whole caseload."""
    from closewell.accounts.models import Role, User

    users = {}
    for user in User.objects.filter(username__startswith="gen."):
        if not user.check_password(BENCH_PASSWORD):
            user.set_password(BENCH_PASSWORD)
            user.save(update_fields=["password"])
        users[user.username] = user
    officer = User.objects.filter(username="bench.officer").first()
    if officer is None:
        officer = User(
            username="bench.officer", first_name="Data", last_name="Officer", role=Role.DATA_OFFICER
        )
        officer.set_password(BENCH_PASSWORD)
        officer.save()
    users[officer.username] = officer
    return users


def open_episodes(limit: int | None = None, seed: int = 0):
    """Open generated episodes (with a worker), picked evenly across the caseload."""
    from closewell.cases.models import Episode, EpisodeStatus

    ids = list(
        Episode.objects.filter(
            status__in=[EpisodeStatus.OPEN, EpisodeStatus.CLOSING],
            worker__isnull=False,
            child__la_child_id__startswith="GEN",
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if limit is not None and len(ids) > limit:
        step = len(ids) / limit
        ids = [ids[int(i * step)] for i in range(limit)]
    random.Random(seed).shuffle(ids)
    return list(Episode.objects.filter(pk__in=ids).select_related("child", "worker", "team"))


@transaction.atomic
def sized_cases() -> dict[int, object]:
    """Two open cases with exactly 5 and 500 contacts (made from the first two open generated
    cases, trimmed or topped up), so the query counts of small and large cases can be compared."""
    from closewell.cases.models import Contact, Episode, EpisodeStatus

    episodes = list(
        Episode.objects.filter(
            status__in=[EpisodeStatus.OPEN, EpisodeStatus.CLOSING],
            worker__isnull=False,
            child__la_child_id__startswith="GEN",
        )
        .select_related("child", "worker", "team")
        .order_by("child__la_child_id")[:2]
    )
    out = {}
    for size, episode in zip((5, 500), episodes, strict=True):
        contacts = list(episode.contacts.order_by("occurred_at", "pk"))
        if len(contacts) > size:
            Contact.objects.filter(pk__in=[c.pk for c in contacts[size:]]).delete()
        elif len(contacts) < size:
            rng = random.Random(size)
            start = dt.datetime.combine(episode.referral_date, dt.time(9), tzinfo=dt.UTC)
            span = max(1, int((timezone.now() - start).total_seconds()) - 86400)
            model = contacts[0]
            fields = [f.name for f in Contact._meta.concrete_fields if f.name not in ("id", "occurred_at")]
            made = []
            for _ in range(size - len(contacts)):
                values = {name: getattr(model, name) for name in fields}
                values["occurred_at"] = start + dt.timedelta(seconds=rng.randrange(span))
                made.append(Contact(**values))
            Contact.objects.bulk_create(made, batch_size=500)
        assert episode.contacts.count() == size
        out[size] = episode
    return out


def closure_records(episodes) -> list:
    """A live (draft) Closure Record on each episode, started through the service once and reused."""
    from closewell.closures import services
    from closewell.closures.models import LIVE, ClosureRecord

    records = []
    for episode in episodes:
        record = ClosureRecord.objects.filter(
            episode=episode, status__in=LIVE, addendum_to__isnull=True
        ).first()
        if record is None:
            record = services.closure_start(
                actor=episode.worker,
                episode=episode,
                decision_date=timezone.localdate(),
                decision_by="Team manager at supervision",
            )
        records.append(record)
    return records
