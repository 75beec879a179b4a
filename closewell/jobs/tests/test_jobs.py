"""Exports and imports started from the data officer's pages: they run on the queue, show their
progress on a page that refreshes itself, and hand their file to the one who started them alone."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from closewell.accounts.tests.factories import UserFactory
from closewell.audit.models import AuditEvent
from closewell.cases.models import Child
from closewell.census.forms import current_census_year
from closewell.demo.demo import load_demo
from closewell.jobs.health import worker_health
from closewell.jobs.models import Heartbeat, Job, JobKind, JobStatus
from closewell.jobs.services import RUNNERS, worker_heartbeat

SAMPLE = Path(__file__).resolve().parents[2] / "ssd" / "tests" / "sample"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def extract_zip() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(SAMPLE.glob("*.csv")):
            archive.write(path, f"extract/{path.name}")  # in a folder, as people zip them
    return SimpleUploadedFile("extract.zip", buffer.getvalue(), content_type="application/zip")


@pytest.mark.django_db(transaction=True)
def test_the_census_export_started_from_the_page_runs_on_the_database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    load_demo()
    data = UserFactory(data_officer=True)
    client = signed_in(data)
    year = current_census_year()

    started = client.post("/jobs/census-export/", {"year": year})
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/jobs/{job.pk}/"

    waiting = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-job-refresh="3"' in waiting  # the script follows the progress
    assert "Waiting for the background worker" in waiting and f'href="/jobs/{job.pk}/">Refresh' in waiting

    call_command("run_worker", burst=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total > 0
    done = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "data-job-refresh" not in done, "a finished job's page stops following"
    assert f"Download CIN_999_{year}.xml" in done
    response = client.get(f"/jobs/{job.pk}/file/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"<?xml") and b"<Children>" in body
    assert AuditEvent.objects.filter(object_type="jobs.Job", object_id=str(job.pk), action="export").exists()
    assert AuditEvent.objects.filter(object_type="census.CensusReturn", action="export").exists()


@pytest.mark.django_db
def test_the_ssd_import_started_from_the_page_imports_and_gives_its_report(
    django_capture_on_commit_callbacks,
):
    data = UserFactory(data_officer=True)
    client = signed_in(data)
    form = client.get("/jobs/ssd-import/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'class="govuk-file-upload' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/jobs/ssd-import/", {"extract": extract_zip()})
    job = Job.objects.get(kind=JobKind.SSD_IMPORT)
    assert response.status_code == 302
    assert job.status == JobStatus.DONE, job.outcome
    assert job.outcome[0] == "The extract was imported."
    assert Child.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "The extract was imported." in page and "Download import-report.csv" in page
    report = b"".join(client.get(f"/jobs/{job.pk}/file/").streaming_content).decode()
    assert report.startswith("level,file,line,column,reason")
    assert not (Path(job.file).parent / "extract").exists(), "the uploaded extract is not kept"


@pytest.mark.django_db
def test_a_trial_import_changes_nothing(django_capture_on_commit_callbacks):
    client = signed_in(UserFactory(data_officer=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/jobs/ssd-import/", {"extract": extract_zip(), "dry_run": "on"})
    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.outcome[0] == "A trial run: nothing was kept."
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused_with_the_field_named():
    client = signed_in(UserFactory(data_officer=True))
    response = client.post(
        "/jobs/ssd-import/", {"extract": SimpleUploadedFile("person.csv", b"pers_person_id\n1\n")}
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Job.objects.exists()
    assert 'href="#id_extract"' in page and "The chosen file must be a .zip file" in page


@pytest.mark.django_db
def test_a_zip_without_csv_files_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    client = signed_in(UserFactory(data_officer=True))
    response = client.post("/jobs/ssd-import/", {"extract": SimpleUploadedFile("e.zip", buffer.getvalue())})
    assert response.status_code == 400 and "has no CSV files" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_job_and_its_file_are_for_the_one_who_started_it(django_capture_on_commit_callbacks):
    owner, colleague = UserFactory(data_officer=True), UserFactory(data_officer=True)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(owner).post("/jobs/census-export/", {"year": current_census_year()})
    job = Job.objects.get()
    other = signed_in(colleague)
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert other.get("/jobs/").content.decode().count(f"/jobs/{job.pk}/") == 0
    assert (
        signed_in(UserFactory(manager=True)).post("/jobs/census-export/", {"year": 2027}).status_code == 403
    )
    assert signed_in(UserFactory()).post("/jobs/ssd-import/", {}).status_code == 403


@pytest.mark.django_db
def test_a_job_that_raises_is_failed_not_left_in_progress(django_capture_on_commit_callbacks, monkeypatch):
    def broken(job, progress):
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(RUNNERS, JobKind.CENSUS_EXPORT, broken)
    client = signed_in(UserFactory(data_officer=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/jobs/census-export/", {"year": current_census_year()})
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "the disk is full" in job.outcome[-1]
    assert "Download" not in client.get(f"/jobs/{job.pk}/").content.decode()


@pytest.mark.django_db
def test_the_worker_health_follows_the_heartbeat(settings, client):
    assert not worker_health().ok and "No worker has run yet" in worker_health().problem
    assert client.get("/healthz?worker=1").status_code == 503
    worker_heartbeat.enqueue()  # the immediate queue of the tests: the heartbeat runs at once
    health = worker_health()
    assert health.ok and health.seconds_since is not None and health.seconds_since < 5
    assert client.get("/healthz?worker=1").json()["worker"]["ok"] is True
    Heartbeat.objects.update(at=Heartbeat.objects.get().at.replace(year=2020))
    assert not worker_health().ok
    with pytest.raises(SystemExit):
        call_command("worker_health", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_scheduler_queues_the_heartbeat():
    call_command("run_scheduler", once=True, stdout=io.StringIO())
    assert Heartbeat.objects.exists()
