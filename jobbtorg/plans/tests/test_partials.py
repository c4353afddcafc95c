"""The partials and tags offered to other pages (person page, district and coach start pages)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.plans import rules
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def render(source, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load plans_ui %}" + source).render(Context({"request": request, **context}))


def test_person_section_shows_current_plan_pending_version_and_waiting_time(coach, participation):
    f.ActivityPlanFactory(participation=participation, approved=True, goal="Arbete i butik")
    submitted = timezone.localdate() - dt.timedelta(days=6)
    f.ActivityPlanFactory(participation=participation, number=2, submitted=True, submitted_on=submitted)
    html = render("{% plan_section participation %}", coach, participation=participation)
    days = rules.waiting_days(submitted, timezone.localdate())
    assert "Gällande plan: version 1" in html and "Arbete i butik" in html
    assert "Version 2 under arbete" in html and f"väntar sedan {days} arbetsdag" in html


def test_person_section_shows_returned_comment(coach, participation):
    f.ActivityPlanFactory(participation=participation, returned=True)
    html = render("{% plan_section participation %}", coach, participation=participation)
    assert "Ingen godkänd plan ännu." in html and "Lägg till en praktikperiod i planen." in html


def test_district_queue_panel_lists_and_audits(coach, social_worker):
    plans = [f.ActivityPlanFactory(submitted=True, participation=f.ParticipationFactory(enrolled=True, coach=coach))
             for _ in range(3)]
    html = render("{% district_plan_queue limit=2 %}", social_worker)
    assert 'class="todo-item__count">3<' in html and html.count("/beslut/") == 2
    listed = AuditEntry.objects.filter(user_id=social_worker.pk, action=Action.LIST)
    assert listed.count() == 2 and set(listed.values_list("person_id", flat=True)) <= {p.participation.person_id for p in plans}


def test_returned_plans_panel_for_the_coach(coach, participation):
    f.ActivityPlanFactory(participation=participation, returned=True)
    html = render("{% returned_plans %}", coach)
    assert "Planer som stadsdelen skickat tillbaka" in html and "Lägg till en praktikperiod" in html
    assert render("{% returned_plans %}", f.UserFactory(coach=True)).strip() == ""
