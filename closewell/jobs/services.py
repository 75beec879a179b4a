"""Writes for background work: start an export or import from a page, run it as a task with its
progress on the Job row, hand its file to the person who started it; the worker's heartbeat.

The tasks are defined here, beside the services they call, and run on whichever queue TASK_QUEUE
names (django_tasks: the database by default, RQ on Redis in production).
"""

import datetime as dt
import logging
import os
import shutil
import socket
import time
import zipfile
from functools import partial
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from closewell.accounts.permissions import job_permissions, user_permissions
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.census.queries import children_in_year, stream_children
from closewell.census.services import census_header, export_audit
from closewell.census.writer import write_census
from closewell.core.errors import DomainError
from closewell.ssd.importer import import_extract, summary_lines, write_report

from .models import Heartbeat, Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1.0  # seconds between progress writes: the page refreshes every few seconds
MAX_EXTRACT_BYTES = 2 * 1024**3  # an SSD extract unzipped: a large council's is a few hundred MB


def jobs_dir(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk)


# --------------------------------------------------------------------------- starting


@transaction.atomic
def job_start(*, actor, kind: str, params: dict, upload=None) -> Job:
    """Start an export or import for `actor`: the Job row and its audit event are written now, the
    work runs on the queue once this commits. An SSD import's extract (a zip of the CSV files) is
    saved under the job's folder first."""
    access = user_permissions(actor)
    allowed = access.can_export_census if kind == JobKind.CENSUS_EXPORT else access.can_import_ssd
    if not allowed:
        raise PermissionDenied
    job = Job.objects.create(kind=kind, requested_by=actor, params=params)
    if upload is not None:
        folder = jobs_dir(job) / "extract"
        _unzip(upload, folder)
    log_event(
        actor=actor,
        action=Action.CREATE,
        obj=job,
        summary=f"Started the {job.get_kind_display()} in the background",
        after={"kind": kind, **params},
    )
    transaction.on_commit(partial(run_job.enqueue, job.pk), robust=True)
    return job


def _unzip(upload, folder: Path) -> None:
    """The CSV files of a zipped extract, flat in `folder`. Only plain names are taken from the zip
    (no paths, so nothing is written outside the folder), and no more than MAX_EXTRACT_BYTES."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile as error:
        raise DomainError(
            "The file is not a zip file: choose a .zip of the extract's CSV files.", field="extract"
        ) from error
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
        if not members:
            raise DomainError(
                "The zip file has no CSV files in it: choose the extract's zip.", field="extract"
            )
        if sum(m.file_size for m in members) > MAX_EXTRACT_BYTES:
            raise DomainError(
                "The extract is larger than 2 GB unzipped: import it with import_ssd on the server.",
                field="extract",
            )
        for member in members:
            name = PurePosixPath(member.filename.replace("\\", "/")).name
            with archive.open(member) as source, (folder / name).open("wb") as target:
                shutil.copyfileobj(source, target)


# --------------------------------------------------------------------------- running


class Progress:
    """Writes a job's progress to its row at most once a second: `stage` in words, done of total.
    Also the importer's progress bar (a tqdm-like factory: progress(total=, desc=))."""

    def __init__(self, job: Job):
        self.job = job
        self._written = 0.0

    def stage(self, text: str, total: int = 0) -> None:
        self.job.stage, self.job.total, self.job.done = text[:200], total, 0
        self._write(force=True)

    def advance(self, n: int = 1) -> None:
        self.job.done += n
        self._write()

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._written >= PROGRESS_EVERY:
            Job.objects.filter(pk=self.job.pk).update(
                stage=self.job.stage, done=self.job.done, total=self.job.total
            )
            self._written = now

    # The importer's interface: progress(total=..., desc=..., unit=...) → a bar with update() and close().
    def __call__(self, iterable=None, *, total=0, desc="", **kwargs):
        self.stage(desc, total or 0)
        return self

    def update(self, n: int = 1) -> None:
        self.advance(n)

    def close(self) -> None:
        self._write(force=True)


@task()
def run_job(job_id: int) -> str:
    """The task: run one job to its end. An exception fails the job with its message (the worker's
    log has the traceback); the job is never left "in progress"."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status  # already run (a task delivered twice)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    progress = Progress(job)
    try:
        RUNNERS[job.kind](job, progress)
    except Exception as error:
        logger.exception("Job %s failed", job.pk)
        job.status, job.outcome = JobStatus.FAILED, [*job.outcome, f"It stopped with an error: {error}"]
    else:
        job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.stage = ""
    job.save(
        update_fields=["status", "outcome", "file", "file_name", "finished_at", "stage", "done", "total"]
    )
    return job.status


def _run_census_export(job: Job, progress: Progress) -> None:
    year, la = job.params["year"], settings.COUNCIL_LA_CODE
    progress.stage("Writing the children's records", children_in_year(year).count())
    folder = jobs_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"CIN_{la}_{year}.xml"

    def counted(children):
        for child in children:
            progress.advance()
            yield child

    with path.open("wb") as out:
        count = write_census(out, census_header(year=year, la_code=la), counted(stream_children(year)))
    export_audit(actor=job.requested_by, year=year, children=count, how="a background export")
    job.file, job.file_name = str(path.relative_to(settings.MEDIA_ROOT)), path.name
    job.outcome = [f"The {year} return holds {count} children."]


def _run_ssd_import(job: Job, progress: Progress) -> None:
    folder = jobs_dir(job)
    dry_run = bool(job.params.get("dry_run"))
    result = import_extract(folder / "extract", actor=job.requested_by, dry_run=dry_run, progress=progress)
    report = write_report(result.problems + result.warnings, folder / "import-report.csv")
    job.file, job.file_name = str(report.relative_to(settings.MEDIA_ROOT)), "import-report.csv"
    if result.ok:
        head = "A trial run: nothing was kept." if dry_run else "The extract was imported."
    else:
        head = f"Nothing was imported: {len(result.problems)} error(s) to correct (see the report)."
    job.outcome = [head, f"{len(result.warnings)} warning(s).", *summary_lines(result)]
    shutil.rmtree(folder / "extract", ignore_errors=True)  # the children's data is in the register now


RUNNERS = {JobKind.CENSUS_EXPORT: _run_census_export, JobKind.SSD_IMPORT: _run_ssd_import}


# --------------------------------------------------------------------------- the file


def job_file(*, actor, job: Job) -> Path:
    """The job's file for the one who started it; every download is on the audit trail."""
    if not job_permissions(actor, job).can_download:
        raise PermissionDenied
    log_event(
        actor=actor,
        action=Action.EXPORT,
        obj=job,
        summary=f"Downloaded the file of the {job.get_kind_display()} ({job.file_name})",
        after={"file": job.file_name},
    )
    return Path(settings.MEDIA_ROOT) / job.file


def jobs_prune() -> int:
    """Delete the files of jobs finished more than JOB_FILES_DAYS ago (the scheduler runs this daily):
    a census return or an import report is not kept on the server for longer than it is needed."""
    cutoff = timezone.now() - dt.timedelta(days=settings.JOB_FILES_DAYS)
    old = list(Job.objects.filter(finished_at__lt=cutoff).exclude(file=""))
    for job in old:
        shutil.rmtree(jobs_dir(job), ignore_errors=True)
    Job.objects.filter(pk__in=[j.pk for j in old]).update(file="")
    return len(old)


# --------------------------------------------------------------------------- the worker's heartbeat


@task()
def worker_heartbeat() -> str:
    """The task the scheduler queues every WORKER_HEARTBEAT_SECONDS: that it ran is the heartbeat."""
    who = f"{socket.gethostname()}:{os.getpid()}"
    Heartbeat.objects.update_or_create(pk=1, defaults={"at": timezone.now(), "worker": who[:200]})
    return who
