"""The task queue's own table is not for the administrator: its rows are ids and tracebacks. The
worker's health is `manage.py worker_health` (docs/deployment.md); failed emails are in the outbox."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
