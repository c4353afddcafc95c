"""The journeys of bench/load.py (issue 9 item 9): coach, district and provider staff at work.

Run by bench/load.py, which writes the targets (persons, activities, plans waiting for approval)
to the JSON file in $LOAD_TARGETS and starts Locust headless against gunicorn on 127.0.0.1.
Each simulated user has a session of its own (made by bench/load.py; with --login-form it logs in
through the login form with the demo password), then picks a task by weight, waits `LOAD_WAIT`
seconds (a range, "1-3") and picks again.
A page counts as an error unless it answers 200 (a POST: 302 to the page the view redirects to).
"""

import datetime
import itertools
import json
import os
import random
import re
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, task

TARGETS: dict[str, Any] = json.loads(open(os.environ["LOAD_TARGETS"]).read()) if os.environ.get("LOAD_TARGETS") else {}  # noqa: PTH123, SIM115
PASSWORD = TARGETS.get("password", "")
low, _sep, high = os.environ.get("LOAD_WAIT", "1-3").partition("-")
WAIT = between(float(low), float(high or low))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
# Plans are approved once each: the users share one iterator over the district's queue.
PLANS = iter(TARGETS.get("plans", []))
# Attendance: each registration a (activity, day) of its own, so none is a repeat of another.
DAYS = itertools.count()
SESSIONS = {name: itertools.count() for name in ("coach", "socialsekreterare", "anordnare")}


def _only_loopback(host: str | None) -> None:
    if urlsplit(host or "").hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"bench/locustfile.py sends traffic to 127.0.0.1 only, not {host!r}")


class Staff(HttpUser):
    abstract = True
    wait_time = WAIT
    username = ""

    def on_start(self) -> None:
        _only_loopback(self.host)
        if TARGETS.get("sessions"):  # logged in this morning: a session of its own (bench/load.py made it)
            cookie = TARGETS["sessions"][self.username][next(SESSIONS[self.username])]
            self.client.cookies.set("sessionid", cookie, domain=urlsplit(self.host or "").hostname)
            return
        page = self.client.get("/login/", name="login")
        token = CSRF.search(page.text)
        self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/login/"},
            name="login",
        )

    def page(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response.text or ""

    def post(self, url: str, data: dict[str, str], name: str, form_html: str) -> None:
        token = CSRF.search(form_html)
        data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        headers = {"Referer": f"{self.host}{url}"}
        with self.client.post(url, data=data, name=name, headers=headers, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code}: the form was not accepted")

    def register_attendance(self, activities: list[dict[str, Any]], name: str) -> None:
        """Register a past working day of one of the user's open activities as present."""
        if not activities:
            return
        n = next(DAYS)
        activity = activities[n % len(activities)]
        start = datetime.date.fromisoformat(activity["start"])
        today = datetime.date.fromisoformat(TARGETS["today"])
        span = max(1, (today - start).days)
        day = today - datetime.timedelta(days=1 + (n // len(activities)) % span)
        while day.weekday() >= 5 and day > start:
            day -= datetime.timedelta(days=1)
        html = self.page(f"/insatser/{activity['id']}/", f"{name}: activity page")
        self.post(f"/insatser/{activity['id']}/narvaro/", {"date": day.isoformat(), "choice": "present", "note": ""},
                  f"{name}: register attendance", html)  # fmt: skip


class Coach(Staff):
    """A coach at Jobbtorg Järva: her day list, search, a participant's page, attendance."""

    weight = 5
    username = "coach"

    @task(3)
    def start_page(self) -> None:
        self.page("/", "coach: start page")

    @task(2)
    def search(self) -> None:
        self.page(f"/personer/sok/?q={random.choice(TARGETS['search_terms'])}", "coach: search")

    @task(3)
    def person_page(self) -> None:
        self.page(f"/personer/{random.choice(TARGETS['coach_persons'])}/", "coach: person page")

    @task(1)
    def attendance(self) -> None:
        self.register_attendance(TARGETS["coach_activities"], "coach")


class District(Staff):
    """A social worker of Rinkeby-Kista: inbox, approval queue, a resident's page, approving a plan."""

    weight = 3
    username = "socialsekreterare"

    @task(3)
    def start_page(self) -> None:
        self.page("/", "district: start page")

    @task(2)
    def queue(self) -> None:
        self.page("/planer/att-godkanna/", "district: approval queue")

    @task(2)
    def person_page(self) -> None:
        self.page(f"/personer/{random.choice(TARGETS['district_persons'])}/", "district: person page")

    @task(1)
    def approve(self) -> None:
        plan = next(PLANS, None)
        if plan is None:
            return
        html = self.page(f"/planer/{plan}/beslut/", "district: decision page")
        version = VERSION.search(html)
        data = {"decision": "approve", "comment": "Godkänd (lasttest).", "version": version.group(1) if version else ""}
        self.post(f"/planer/{plan}/beslut/", data, "district: approve plan", html)


class Provider(Staff):
    """Staff at a provider: the start page, an activity, attendance."""

    weight = 2
    username = "anordnare"

    @task(2)
    def start_page(self) -> None:
        self.page("/", "provider: start page")

    @task(2)
    def attendance(self) -> None:
        self.register_attendance(TARGETS["provider_activities"], "provider")
