"""The person page top to bottom (UX.md): identity strip with the next deadline, then plan,
assessment, activities, subsidies, participations and the timeline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.deadlines.rules import Kind
from jobbtorg.deadlines.services import open_deadline
from jobbtorg.testing.factories import ActivityFactory, ActivityPlanFactory, ParticipationFactory, UserFactory
from jobbtorg.timeline import services as timeline
from jobbtorg.web.tests.fixtures import apply_ui_settings, make_login

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)


@pytest.fixture
def login(client):
    return make_login(client)


def test_identity_strip_shows_the_earliest_open_deadline(login):
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(enrolled=True, coach=coach)
    today = timezone.localdate()
    open_deadline(participation, Kind.PLAN_REVIEW, due=today + 60 * DAY)
    open_deadline(participation, Kind.PLAN_DRAWN_UP, due=today - DAY)

    response = login(coach).get(f"/personer/{participation.person.pk}/")

    row = response.context["next_deadline"]
    assert row.deadline.kind == Kind.PLAN_DRAWN_UP and row.state == "overdue"
    html = response.content.decode()
    strip = html[html.index('class="identity"'):html.index("</header>", html.index('class="identity"'))]
    assert "Nästa tidsfrist" in strip and "Aktivitetsplan upprättas" in strip and "Försenad" in strip


def test_no_deadline_shows_none(login):
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(enrolled=True, coach=coach)
    response = login(coach).get(f"/personer/{participation.person.pk}/")
    assert response.context["next_deadline"] is None


def test_page_order_plan_assessment_activities_timeline(login):
    plan = ActivityPlanFactory(approved=True)
    coach = plan.participation.coach
    ActivityFactory(participation=plan.participation)
    timeline.append(kind="plan_approved", text="Planen godkänd", author=coach, participation=plan.participation)

    html = login(coach).get(f"/personer/{plan.participation.person.pk}/").content.decode()
    html = html[html.index("<main"):]  # the menu also links to "Anställningsstöd"

    # The step bar (participations/_path.html) right under the identity strip names the steps
    # ("Kartläggning" among them); the sections come after it.
    path_end = html.index("</section>", html.index("Deltagarens väg"))
    assert html.index("Nästa tidsfrist") < html.index("Deltagarens väg")
    order = ["Aktivitetsplan", "Kartläggning", "Insatser och närvaro", "Anställningsstöd", 'id="timeline-heading"']
    positions = [html.index(marker, path_end) for marker in order]
    assert positions == sorted(positions)


def test_social_worker_sees_plan_but_not_subsidy_section(login):
    plan = ActivityPlanFactory(approved=True)
    worker = UserFactory(social_worker=True)
    html = login(worker).get(f"/personer/{plan.participation.person.pk}/").content.decode()
    assert "Aktivitetsplan" in html
    assert "subsidies-h" not in html  # the subsidy section (coach and unit manager only)


def test_person_page_query_count_is_constant_with_sections(login):
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(enrolled=True, coach=coach)
    person = participation.person
    client = login(coach)

    def grow(n):
        for i in range(n):
            ActivityFactory(participation=participation)
            open_deadline(participation, Kind.ACTIVITY_FOLLOWUP, due=timezone.localdate() + i * DAY, subject_id=i + 1000 * n)
            timeline.append(kind="activity_created", text=f"Insats {i}", author=coach, participation=participation)

    grow(2)
    client.get(f"/personer/{person.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/personer/{person.pk}/")
    grow(20)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/personer/{person.pk}/")
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_osa_and_disability_sections_only_with_their_relation(login):
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(enrolled=True, coach=coach)
    officer = UserFactory(osa_officer=True)  # same home district as the person
    worker = UserFactory(social_worker=True)
    as_officer = login(officer).get(f"/personer/{participation.person.pk}/").content.decode()
    assert 'id="osa-person-h"' in as_officer
    as_worker = login(worker).get(f"/personer/{participation.person.pk}/").content.decode()
    assert 'id="osa-person-h"' not in as_worker
    assert 'id="disabilities-h"' not in as_worker  # no health relation
    as_coach = login(coach).get(f"/personer/{participation.person.pk}/").content.decode()
    assert 'id="disabilities-h"' in as_coach  # the coach of the participation has the health relation
