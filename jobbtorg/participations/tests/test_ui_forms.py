"""UI quality of the participation pages: the closure form keeps what the coach typed when the
reason changes (htmx), labels without colon, and deadline badges inside their table cells."""

import datetime
import re

import pytest
from django.urls import reverse

from jobbtorg.core.tests.html_checks import parse, table_problems
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations.tests.fixtures import login
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true"}


def checked(html: str, name: str) -> list[str]:
    """The values of the checked radio buttons or checkboxes called `name`."""
    return [
        e.attrs["value"] for e in parse(html).iter() if e.tag == "input" and e.attrs.get("name") == name and "checked" in e.attrs
    ]


def test_changing_reason_keeps_the_answers_already_given(client, coach, today):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    closed_on = (today - 2 * DAY).isoformat()
    typed = {
        "version": p.version,
        "closed_on": closed_on,
        "reason": "work",
        "employment_form": "permanent",
        "employment_extent": "part_time",
        "employment_lasts_a_month": "yes",
        "text": "Börjar på lagret i Kista",
    }
    response = login(client, coach).get(reverse("participations:close", args=[p.pk]), typed, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert checked(html, "reason") == ["work"]
    assert checked(html, "employment_form") == ["permanent"]
    assert checked(html, "employment_extent") == ["part_time"]
    assert checked(html, "employment_lasts_a_month") == ["yes"]
    assert re.search(rf'<input[^>]*name="closed_on"[^>]*value="{closed_on}"', html)
    assert "Börjar på lagret i Kista</textarea>" in html
    assert "Om arbete" in html and "Om studier" not in html
    # Not submitted yet: no error anywhere, although wage_subsidy is still unanswered.
    assert "error-summary" not in html and "field__error" not in html and "aria-invalid" not in html


def test_changing_reason_without_other_answers_shows_no_errors(client, coach):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    html = login(client, coach).get(reverse("participations:close", args=[p.pk]), {"reason": "studies"}, **HTMX).content.decode()
    assert checked(html, "reason") == ["studies"]
    assert "Om studier" in html and "Om arbete" not in html
    assert "error-summary" not in html and "field__error" not in html


def test_reason_change_rerenders_only_the_questions_and_sends_their_answers(client, coach):
    """The htmx region holds the reason and its questions; the date and the comment stay as typed in the browser."""
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    tree = parse(login(client, coach).get(reverse("participations:close", args=[p.pk])).content.decode())
    region = tree.find(id="close-questions")
    assert region is not None
    assert region.attrs["hx-select"] == "#close-questions" and region.attrs["hx-include"] == "this"
    names = {e.attrs.get("name") for e in region.iter() if e.tag in {"input", "textarea", "select"}}
    assert {"reason", "employment_form", "study_level", "transfer_to"} <= names
    assert not names & {"closed_on", "text", "csrfmiddlewaretoken"}  # no free text or token in the GET's URL
    form = tree.find(action=reverse("participations:close", args=[p.pk]))
    assert form is not None and region in list(form.iter())


def test_post_with_errors_still_shows_them(client, coach, today):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    response = login(client, coach).post(
        reverse("participations:close", args=[p.pk]), {"version": p.version, "closed_on": today.isoformat(), "text": "Kvar"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html and 'href="#id_reason_0"' in html and 'aria-invalid="true"' in html
    assert "Kvar</textarea>" in html


def test_close_page_labels_have_no_colon(client, coach):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    html = login(client, coach).get(reverse("participations:close", args=[p.pk])).content.decode()
    assert "Avslutsdatum</label>" in html and "Avslutsorsak</legend>" in html
    assert ":</label>" not in html and ":</legend>" not in html


def test_participation_page_deadline_badges_sit_in_their_cells(client, coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 10 * DAY)
    deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, due=today - DAY)  # overdue
    deadlines.open_deadline(p, Kind.JOB_GUARANTEE_OFFER, due=today + 30 * DAY)  # upcoming
    html = login(client, coach).get(reverse("participations:detail", args=[p.pk])).content.decode()
    assert table_problems(html) == []
    assert ":</label>" not in html and ":</legend>" not in html
    rows = [e for e in parse(html).iter() if e.tag == "tr" and any(c.startswith("deadline-row--") for c in e.classes)]
    assert {c for row in rows for c in row.classes} >= {"deadline-row--overdue", "deadline-row--upcoming"}
    for row in rows:
        badges = [e for e in row.iter() if "deadline" in e.classes]
        assert len(badges) == 1 and badges[0].parent.tag == "td" and badges[0].text().strip()


def test_closure_conflict_keeps_the_answers_and_offers_the_current_version(client, coach, today):
    """Two users close at once: the second gets the conflict message (409), never a silent
    overwrite, and keeps what they typed, on top of the participation's current version."""
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    stale = p.version
    type(p).objects.filter(pk=p.pk).update(version=stale + 1)  # someone else saved in between
    p.refresh_from_db()
    assert p.version > stale
    typed = {
        "version": stale,
        "closed_on": (today - DAY).isoformat(),
        "reason": "work",
        "employment_form": "permanent",
        "employment_extent": "full_time",
        "wage_subsidy": "none",
        "employment_lasts_a_month": "yes",
        "text": "Fast jobb på lagret",
    }
    response = login(client, coach).post(reverse("participations:close", args=[p.pk]), typed)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har ändrat samtidigt" in html
    assert checked(html, "reason") == ["work"] and checked(html, "employment_form") == ["permanent"]
    assert "Fast jobb på lagret</textarea>" in html
    assert re.search(rf'<input[^>]*name="version"[^>]*value="{p.version}"', html)
    p.refresh_from_db()
    assert p.status != "closed"
