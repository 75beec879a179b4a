"""A day's work against gunicorn: social workers (their list, a case, a contact, Closure Record pages)
and managers (the queue, team cases, reading and reviewing records), in the proportion the plan's council
has them, each pausing BENCH_THINK_MIN to BENCH_THINK_MAX seconds between clicks. Loopback only.

Everyone signs in first (on_start), and when the last person has signed in the statistics are reset
(and the file BENCH_SIGNED_IN_MARK, when named, is written, so bench.run starts the database's clock
then too): the figures are a working day's pace, not the morning's sign-ins.

The plan (who logs in, which children and records are theirs) comes from bench.load.plan as JSON,
named by BENCH_LOAD_PLAN. Run headless by bench.run; by hand:

    BENCH_LOAD_PLAN=var/bench/load-plan.json locust -f bench/load/locustfile.py --headless \
        -H http://127.0.0.1:8765 -u 20 -r 5 -t 60s
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

PLAN = json.load(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8"))  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_workers = itertools.cycle(PLAN["workers"])
_managers = itertools.cycle(PLAN["managers"])
THINK = (float(os.environ.get("BENCH_THINK_MIN", "0.5")), float(os.environ.get("BENCH_THINK_MAX", "2")))
SIGNED_IN_MARK = os.environ.get("BENCH_SIGNED_IN_MARK")
_signed_in = 0  # people who have signed in (or tried to) in this locust process


def signed_in(environment) -> None:
    """Count one sign-in; after the last person's, count from zero (once)."""
    global _signed_in
    _signed_in += 1
    if _signed_in == environment.runner.target_user_count:
        environment.runner.stats.reset_all()
        if SIGNED_IN_MARK:
            Path(SIGNED_IN_MARK).write_text(f"{time.time()}\n", encoding="utf-8")


class Staff(FastHttpUser):
    """FastHttpUser (geventhttpclient), not HttpUser (requests): the load generator shares the two
    CPUs with the server, and requests cost it several times as much CPU a request."""

    abstract = True
    wait_time = between(*THINK)
    person: dict

    def login(self, person: dict) -> None:
        self.person = person
        try:
            page = self.client.get("/login/", name="/login/")
            token = CSRF.search(page.text).group(1)
            with self.client.post(
                "/login/",
                urlencode(
                    {
                        "username": person["username"],
                        "password": PLAN["password"],
                        "csrfmiddlewaretoken": token,
                    }
                ),
                headers=FORM,
                name="/login/ [POST]",
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"login answered {response.status_code}")
        finally:
            signed_in(self.environment)  # a failed sign-in counts too, or the figures would never start


class SocialWorker(Staff):
    weight = max(1, len(PLAN["workers"]))

    def on_start(self):
        self.login(next(_workers))

    @task(3)
    def my_cases(self):
        self.client.get("/cases/", name="/cases/")

    @task(6)
    def case_page(self):
        self.client.get(f"/children/{random.choice(self.person['children'])}/", name="/children/[id]/")

    @task(1)
    def add_contact(self):
        child = random.choice(self.person["children"])
        url = f"/children/{child}/contacts/add/"
        form = self.client.get(url, name="/children/[id]/contacts/add/")
        match = CSRF.search(form.text)
        if not match:
            return
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "occurred_at_day": "20",
            "occurred_at_month": "11",
            "occurred_at_year": "2026",
            "occurred_at_time": "14:30",
            "kind": "home_visit",
            "work": "direct",
            "child_seen": "on",
            "note": "Load test: home visit, talked about the week.",
        }
        with self.client.post(
            url,
            urlencode(data),
            headers=FORM,
            name="/children/[id]/contacts/add/ [POST]",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"add contact answered {response.status_code}")

    @task(3)
    def closure_record(self):
        if self.person["records"]:
            self.client.get(f"/closures/{random.choice(self.person['records'])}/", name="/closures/[id]/")

    @task(1)
    def queue(self):
        self.client.get("/closures/", name="/closures/")


class TeamManager(Staff):
    weight = max(1, len(PLAN["managers"]))

    def on_start(self):
        self.login(next(_managers))

    @task(3)
    def queue(self):
        self.client.get("/closures/", name="/closures/")

    @task(2)
    def team_cases(self):
        self.client.get("/team/", name="/team/")

    @task(3)
    def read_record(self):
        if self.person["records"]:
            self.client.get(f"/closures/{random.choice(self.person['records'])}/", name="/closures/[id]/")

    @task(2)
    def review(self):
        if self.person["records"] and self.person["review"]:
            self.client.get(
                f"/closures/{random.choice(self.person['records'])}/review/", name="/closures/[id]/review/"
            )
