"""The manager's counts and lists agree (issue 10 item 2): every figure on her start page is a
link to a list, and the figure is the number of rows that list has — "Pågående 203" next to
"200 träffar" and "Anvisade 3" next to a different "Utan tilldelad coach" may not happen again."""

import html as html_lib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.participations import selectors as participation_selectors
from jobbtorg.participations.models import Status
from jobbtorg.testing.factories import ParticipationFactory, UserFactory, unit

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'<a href="([^"]*)" data-figure="(\w+)">(\d+)</a>')
COACH_FIGURE = re.compile(r'<a href="(\?coach=\w+(?:&amp;status=\w+)?#list-heading)">(\d+)</a>')


def unit_with_people():
    manager = UserFactory(unit_manager=True)
    anna = UserFactory(coach=True, first_name="Anna", last_name="Coachsson")
    bo = UserFactory(coach=True, first_name="Bo", last_name="Coachberg")
    today = timezone.localdate()
    ParticipationFactory.create_batch(3, coach=anna, enrolled=True, coach_assigned_on=today)
    ParticipationFactory(coach=anna, interrupted=True, coach_assigned_on=today)
    ParticipationFactory(coach=bo, status=Status.REFERRED)  # proposed at referral, not confirmed
    ParticipationFactory.create_batch(2, status=Status.REFERRED)  # no coach at all
    # Counted nowhere in the manager's lists: a protected identity, another unit, a closed case.
    ParticipationFactory(coach=bo, enrolled=True, coach_assigned_on=today, person__protected=True)
    ParticipationFactory(coach=anna, enrolled=True, unit=unit("sydost"))
    ParticipationFactory(coach=anna, closed=True)
    return manager


def rows_of(client, href):
    """How many rows the list at `href` (relative to the start page or a page of its own) has."""
    response = client.get(href.split("#")[0] if not href.startswith("?") else "/" + href.split("#")[0])
    assert response.status_code == 200, href
    if "listing" in response.context:
        return response.context["listing"].page.paginator.count
    return response.context["total"]


def test_manager_figures_match_their_lists(login):
    client = login(unit_with_people())
    page = client.get("/").content.decode()

    figures = {name: (html_lib.unescape(href), int(n)) for href, name, n in FIGURE.findall(page)}
    assert set(figures) == {"overdue", "open", "referred", "active", "interrupted", "without_coach"}
    for name, (href, n) in figures.items():
        if name != "overdue":  # the overdue figure links to the per-coach table that breaks it down
            assert rows_of(client, href) == n, name
    assert {name: n for name, (_href, n) in figures.items()} == {
        "overdue": 0, "open": 7, "referred": 3, "active": 3, "interrupted": 1, "without_coach": 3,
    }  # fmt: skip
    assert figures["without_coach"][0] == reverse("participations:assignments")

    per_coach = COACH_FIGURE.findall(page)
    # Four figures (referred, active, interrupted, all open) for each coach of the unit and "Ingen coach".
    assert len(per_coach) >= 12 and len(per_coach) % 4 == 0
    for href, n in per_coach:
        assert rows_of(client, html_lib.unescape(href)) == int(n), href


def test_manager_figure_without_coach_matches_a_capped_list(login, monkeypatch):
    monkeypatch.setattr(participation_selectors, "UNASSIGNED_ROWS", 2)
    client = login(unit_with_people())
    page = client.get("/").content.decode()
    [(href, n)] = [(href, int(n)) for href, name, n in FIGURE.findall(page) if name == "without_coach"]
    response = client.get(href)
    assert n == 3 and response.context["total"] == 3 and len(response.context["rows"]) == 2
    assert "Visar 2 av 3 deltagare utan tilldelad coach" in response.content.decode()
