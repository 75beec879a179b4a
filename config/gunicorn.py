"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (production and make bench).

The writing-advice dictionaries (pyspellchecker's English words and textstat's CMU pronouncing
dictionary) cost about 1.5 s of CPU to load, and they used to load in the first request that gave
advice, once in every worker: a manager's review page waited 13-29 s for it under load. The app is
loaded once in the master (`preload_app`) and the dictionaries are loaded there before the workers
are forked, so every worker starts with them. Nothing here opens a database connection before the
fork, and any that was opened is closed, so no two workers share one. The Typst compiler is made in
each worker (it is a native object, not something to carry across a fork).

With `preload_app` a HUP restarts the workers but does not read new code: restart the master to
deploy. The command line and GUNICORN_CMD_ARGS override anything set here.
"""

import os

# The hooks import the project inside themselves: this file is read before Django is set up.

# Workers: GUNICORN_WORKERS, else WEB_CONCURRENCY (what most platforms set), else 2 per CPU plus one.
workers = int(
    os.environ.get("GUNICORN_WORKERS") or os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1
)
# A request that takes longer than this is killed and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
preload_app = True

# Logs to stdout and stderr, for the platform to collect. The access log leaves out the query string
# and the referrer: a search for a child by name puts the name in the URL.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def _warm_advice() -> None:
    """Load the writing-advice dictionaries by advising on a typical record once."""
    from closewell.advice import bench, engine

    bench.advise_typical_record(bench.default_lexicon(), engine.Targets())


def _warm_urls() -> None:
    """Import the URL map, and with it every view, and build its reverse lookup (about 1 s of each
    worker's first request otherwise)."""
    from django.urls import reverse

    reverse("healthz")


def when_ready(server) -> None:
    """In the master, once the app is loaded and before any worker is forked."""
    if not server.cfg.preload_app:
        return  # Django is not set up in the master; each worker warms itself in post_worker_init
    from django.db import connections

    _warm_urls()
    _warm_advice()
    connections.close_all()


def post_worker_init(worker) -> None:
    """In each worker, once it has loaded the app: the Typst compiler, and the advice dictionaries
    if the app was not preloaded (when they came across the fork this only re-runs the checks)."""
    from closewell.documents import pdf

    _warm_advice()
    pdf.compiler()
