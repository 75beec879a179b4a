"""Background work's pages: start the census export or an SSD import, follow its progress, download
its file. The status page has a Refresh link (no script needed); with scripts it follows the progress
by itself (jobs/progress.js)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closewell.accounts.permissions import job_permissions, user_permissions
from closewell.census.forms import CensusYearForm, current_census_year
from closewell.core.errors import DomainError

from .forms import SsdImportForm
from .models import Job, JobKind
from .services import job_file, job_start

REFRESH_SECONDS = 3


def _job_for(user, pk) -> Job:
    """A job for the person who started it; anyone else's answers 404 alike whether or not it exists."""
    job = get_object_or_404(Job, pk=pk)
    if not job_permissions(user, job).can_view:
        raise Http404
    return job


@require_GET
def index(request):
    """What this person started, newest first, and the forms to start more."""
    access = user_permissions(request.user)
    if not access.can_start_jobs:
        raise PermissionDenied
    jobs = Job.objects.filter(requested_by=request.user)[:20]
    return render(
        request,
        "jobs/index.html",
        {
            "jobs": jobs,
            "census_form": CensusYearForm(initial={"year": current_census_year()}),
        },
    )


@require_POST
def census_export(request):
    """Start the CIN census export of a year in the background."""
    if not user_permissions(request.user).can_export_census:
        raise PermissionDenied
    form = CensusYearForm(request.POST)
    if not form.is_valid():
        jobs = Job.objects.filter(requested_by=request.user)[:20]
        return render(request, "jobs/index.html", {"jobs": jobs, "census_form": form}, status=400)
    job = job_start(
        actor=request.user, kind=JobKind.CENSUS_EXPORT, params={"year": form.cleaned_data["year"]}
    )
    return redirect(job)


@require_http_methods(["GET", "POST"])
def ssd_import(request):
    """Upload an SSD extract (a zip of its CSV files) and import it in the background."""
    if not user_permissions(request.user).can_import_ssd:
        raise PermissionDenied
    form = SsdImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["extract"]
        try:
            job = job_start(
                actor=request.user,
                kind=JobKind.SSD_IMPORT,
                params={"dry_run": form.cleaned_data["dry_run"], "file": upload.name[:200]},
                upload=upload,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The extract is uploaded: the import has started.")
            return redirect(job)
    return render(request, "jobs/ssd_import.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def detail(request, pk):
    """The job's progress; the page refreshes itself until the job ends, then offers its file."""
    job = _job_for(request.user, pk)
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "refresh": None if job.is_finished else REFRESH_SECONDS,
            "can_download": job_permissions(request.user, job).can_download,
            "keep_days": settings.JOB_FILES_DAYS,
        },
    )


@require_GET
def download(request, pk):
    """The job's file (the census XML, the import's report), for the person who started it; audited."""
    job = _job_for(request.user, pk)
    path = job_file(actor=request.user, job=job)
    if not path.is_file():
        raise Http404
    content_type = "application/xml" if path.suffix == ".xml" else "text/csv"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.file_name, content_type=content_type
    )
