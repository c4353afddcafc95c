"""The participation pages (issue 3 parts 2, 7, 8): plain form posts, Swedish errors by their
fields, 404 without a relation, 409 on a concurrent save, and no inline script or style (CSP)."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations.models import Participation, PostClosureFollowUp, Status
from jobbtorg.participations.tests.fixtures import login
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)




def detail_url(p):
    return reverse("participations:detail", args=[p.pk])


def test_participation_page_shows_enrolment_checklist_and_links_to_person(client, coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 3 * DAY)
    deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, due=today + DAY)
    response = login(client, coach).get(detail_url(p))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("people:detail", args=[p.person_id]) in html
    assert "Registrera ankomst" in html and "Arbetsförmedlingen" in html
    assert "Första besök" in html


def test_participation_page_is_404_without_relation(client, today):
    p = f.ParticipationFactory(referred=True)
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("sydost"))
    assert login(client, stranger).get(detail_url(p)).status_code == 404
    assert client.get(reverse("participations:detail", args=[987654])).status_code == 404


def test_arrival_through_the_page(client, coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 3 * DAY)
    response = login(client, coach).post(
        reverse("participations:arrive", args=[p.pk]), {"arrive-version": p.version, "arrive-arrived_on": today.isoformat()}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.ACTIVE


def test_page_error_sits_by_its_field(client, coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 3 * DAY)
    response = login(client, coach).post(
        reverse("participations:arrive", args=[p.pk]),
        {"arrive-version": p.version, "arrive-arrived_on": (today + DAY).isoformat()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ankomstdatum kan inte vara i framtiden." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_arrive-arrived_on_error"' in html
    assert Participation.objects.get(pk=p.pk).status == Status.REFERRED


def test_concurrent_edit_gets_conflict_on_the_page(client, coach, manager, other_coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 3 * DAY)
    stale = p.version
    # The manager confirms the coach meanwhile (the coach keeps the person: issue 8 item 6).
    login(client, manager).post(reverse("participations:assign", args=[p.pk]), {"assign-version": stale, "assign-coach": coach.pk})
    response = login(client, coach).post(
        reverse("participations:arrive", args=[p.pk]), {"arrive-version": stale, "arrive-arrived_on": today.isoformat()}
    )
    assert response.status_code == 409
    assert "Någon annan har ändrat" in response.content.decode()
    assert Participation.objects.get(pk=p.pk).status == Status.REFERRED


def test_close_page_refuses_closure_without_reason(client, coach, today):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    url = reverse("participations:close", args=[p.pk])
    assert login(client, coach).get(url).status_code == 200
    response = client.post(url, {"version": p.version, "closed_on": today.isoformat()})
    assert response.status_code == 400
    assert "Ett deltagande kan inte avslutas utan orsak." in response.content.decode()
    assert Participation.objects.get(pk=p.pk).status == Status.ACTIVE


def test_close_page_with_reason_shows_only_its_questions(client, coach):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    html = login(client, coach).get(reverse("participations:close", args=[p.pk]) + "?reason=studies").content.decode()
    assert "Om studier" in html and "Om arbete" not in html


def test_closure_through_the_page_creates_followups(client, coach, today):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    response = login(client, coach).post(
        reverse("participations:close", args=[p.pk]),
        {"version": p.version, "closed_on": today.isoformat(), "reason": "studies", "study_level": "komvux"},
    )
    assert response.status_code == 302
    assert PostClosureFollowUp.objects.filter(participation=p).count() == 2


def test_followup_page_records_the_outcome(client, coach, today):
    p = f.ParticipationFactory(closed=True, coach=coach, closed_on=today - 70 * DAY, referred_on=today - 100 * DAY, arrived_on=today - 90 * DAY)
    item = PostClosureFollowUp.objects.create(participation=p, point="2_months", due_on=today - DAY)
    url = reverse("participations:followup", args=[item.pk])
    assert login(client, coach).get(url).status_code == 200
    response = client.post(url, {"version": item.version, "assistance_reduction_kr": "4500", "outcome_sustained": "yes"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome_sustained and item.assistance_reduction_kr == 4500


def test_interrupt_and_restart_through_the_page(client, coach, today):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    login(client, coach)
    response = client.post(reverse("participations:interrupt", args=[p.pk]), {
        "interrupt-version": p.version, "interrupt-start_date": (today - 2 * DAY).isoformat(), "interrupt-reason": "other",
    })
    assert response.status_code == 400 and "Beskriv orsaken" in response.content.decode()
    client.post(reverse("participations:interrupt", args=[p.pk]), {
        "interrupt-version": p.version, "interrupt-start_date": (today - 2 * DAY).isoformat(), "interrupt-reason": "illness",
    })
    p.refresh_from_db()
    assert p.status == Status.INTERRUPTED
    client.post(reverse("participations:restart", args=[p.pk]), {"restart-version": p.version, "restart-end_date": today.isoformat()})
    p.refresh_from_db()
    assert p.status == Status.ACTIVE


def test_manager_assignment_page_assigns_and_returns(client, manager, coach, other_coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 3 * DAY)
    url = reverse("participations:assignments")
    html = login(client, manager).get(url).content.decode()
    assert "Ärenden per coach" in html and p.person.last_name in html
    response = client.post(
        reverse("participations:assign", args=[p.pk]), {"assign-version": p.version, "assign-coach": other_coach.pk, "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    p.refresh_from_db()
    assert p.coach == other_coach and p.coach_assigned_on == today


def test_assignment_page_only_for_managers(client, coach):
    assert login(client, coach).get(reverse("participations:assignments")).status_code == 403


def test_templates_have_no_inline_script_or_style():
    root = Path(__file__).resolve().parents[2] / "templates"
    for folder in ("participations", "referrals"):
        for template in (root / folder).glob("*.html"):
            text = template.read_text()
            assert "<script" not in text and "<style" not in text, template
            assert not re.search(r"\sstyle=|\son[a-z]+=", text), template
