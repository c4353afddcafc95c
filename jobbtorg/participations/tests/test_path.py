"""The participant's path (participations.path): the step each participation is at and the one
next action each user may take, from the state tables and the capabilities (issue 10 item 1)."""

import datetime

import pytest
from django.utils import timezone

from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rows import next_deadline
from jobbtorg.participations import selectors
from jobbtorg.participations.models import Status
from jobbtorg.participations.path import PathFacts, PathStep, next_action, step_of
from jobbtorg.testing.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    AssessmentFactory,
    ParticipationFactory,
    UserFactory,
    unit,
)

# --- step_of: one test per step ------------------------------------------------------------------


def test_a_referred_participation_is_at_anvisad():
    assert step_of(PathFacts(status=Status.REFERRED)) == PathStep.REFERRED


def test_an_enrolled_participation_without_assessment_is_at_inskriven():
    assert step_of(PathFacts(status=Status.ACTIVE)) == PathStep.ENROLLED


def test_a_started_or_completed_assessment_puts_the_participation_at_kartlaggning():
    assert step_of(PathFacts(status=Status.ACTIVE, assessment_status="draft")) == PathStep.ASSESSMENT
    assert step_of(PathFacts(status=Status.ACTIVE, assessment_status="complete")) == PathStep.ASSESSMENT
    assert step_of(PathFacts(status=Status.ACTIVE, assessment_status="complete", plan_status="draft")) == PathStep.ASSESSMENT
    assert step_of(PathFacts(status=Status.ACTIVE, plan_status="returned")) == PathStep.ASSESSMENT


def test_a_submitted_plan_puts_the_participation_at_plan_skickad():
    assert step_of(PathFacts(status=Status.ACTIVE, assessment_status="complete", plan_status="submitted")) == PathStep.PLAN_SENT


def test_an_approved_plan_without_activities_is_at_godkand():
    assert step_of(PathFacts(status=Status.ACTIVE, plan_status="approved")) == PathStep.APPROVED


def test_an_approved_plan_with_activities_is_at_insatser():
    assert step_of(PathFacts(status=Status.ACTIVE, plan_status="approved", activity_count=1)) == PathStep.ACTIVITIES


def test_an_interrupted_participation_keeps_its_step():
    assert step_of(PathFacts(status=Status.INTERRUPTED, plan_status="approved", activity_count=2)) == PathStep.ACTIVITIES


def test_a_closed_participation_is_at_avslut():
    assert step_of(PathFacts(status=Status.CLOSED, plan_status="approved", activity_count=1)) == PathStep.CLOSED


# --- next_action per role ------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _action(user, participation):
    annotated = selectors.with_path_one(participation)
    return next_action(user, annotated)


def test_a_coach_sees_registrera_ankomst_for_a_referred_participant_of_her_unit():
    coach = UserFactory(coach=True)
    p = ParticipationFactory(referred=True, coach=coach)
    action = _action(coach, p)
    assert action is not None and action.label == "Registrera ankomst"
    assert action.url.endswith(f"/{p.pk}/#arrive-h")


def test_a_district_social_worker_does_not_get_the_coachs_action():
    p = ParticipationFactory(referred=True)
    social_worker = UserFactory(social_worker=True, district=p.home_district)
    assert _action(social_worker, p) is None


def test_a_coach_of_another_unit_gets_no_button():
    p = ParticipationFactory(enrolled=True)
    other = UserFactory(coach=True, jobbtorg_unit=unit("vasterort"))
    assert _action(other, p) is None


def test_the_unit_manager_assigns_a_coach_before_the_arrival():
    manager = UserFactory(unit_manager=True)
    p = ParticipationFactory(referred=True)
    assert _action(manager, p).label == "Tilldela coach"


def test_an_enrolled_participant_without_assessment_gets_starta_kartlaggningen_as_a_form_post():
    coach = UserFactory(coach=True)
    p = ParticipationFactory(enrolled=True, coach=coach)
    action = _action(coach, p)
    assert (action.label, action.method) == ("Starta kartläggningen", "post")


def test_a_draft_assessment_is_continued():
    assessment = AssessmentFactory()
    action = _action(assessment.participation.coach, assessment.participation)
    assert action.label == "Fortsätt kartläggningen"
    assert action.url.endswith(f"/{assessment.pk}/")


def test_a_completed_assessment_without_plan_leads_to_the_plan():
    assessment = AssessmentFactory(complete=True)
    action = _action(assessment.participation.coach, assessment.participation)
    assert (action.label, action.method) == ("Upprätta aktivitetsplan", "post")


def test_a_draft_plan_is_sent_by_the_coach():
    plan = ActivityPlanFactory()
    assert _action(plan.participation.coach, plan.participation).label == "Skicka planen"


def test_a_submitted_plan_is_decided_by_the_home_district_not_by_the_coach():
    plan = ActivityPlanFactory(submitted=True)
    social_worker = UserFactory(social_worker=True, district=plan.participation.home_district)
    action = _action(social_worker, plan.participation)
    assert action.label == "Besluta om planen"
    assert action.url.endswith(f"/{plan.pk}/beslut/")  # the decision form itself
    # The coach waits for the decision: no button, the bar says what it waits for.
    assert _action(plan.participation.coach, plan.participation) is None
    path = selectors.path_for(plan.participation.coach, plan.participation, timezone.localdate())
    assert path.waiting == "Planen väntar på stadsdelens beslut."


def test_an_approved_plan_leads_the_coach_to_add_an_activity():
    plan = ActivityPlanFactory(approved=True)
    assert _action(plan.participation.coach, plan.participation).label == "Lägg till insats"


def test_a_running_activity_leads_its_coach_to_register_attendance():
    plan = ActivityPlanFactory(approved=True)
    activity = ActivityFactory(participation=plan.participation)
    action = _action(plan.participation.coach, plan.participation)
    assert action.label == "Registrera närvaro"
    assert action.url.endswith(f"/{activity.pk}/")


def test_an_interrupted_participation_offers_the_restart():
    coach = UserFactory(coach=True)
    p = ParticipationFactory(interrupted=True, coach=coach)
    assert _action(coach, p).label == "Registrera nystart"


def test_a_closed_participation_offers_nothing():
    coach = UserFactory(coach=True)
    p = ParticipationFactory(closed=True, coach=coach)
    assert _action(coach, p) is None


def test_the_path_shows_the_next_deadline_of_the_deadline_store():
    coach = UserFactory(coach=True)
    p = ParticipationFactory(referred=True, coach=coach)
    today = timezone.localdate()
    Deadline.objects.create(
        participation=p, kind="plan_drawn_up", due_date=today + datetime.timedelta(days=30), responsible="coach"
    )
    Deadline.objects.create(
        participation=p, kind="first_appointment", due_date=today - datetime.timedelta(days=1), responsible="coach"
    )
    expected = next_deadline(p, today)
    path = selectors.path_for(coach, p, today)
    shown = path.deadline
    assert (
        (shown.deadline.kind, shown.deadline.due_date, shown.state)
        == (expected.deadline.kind, expected.deadline.due_date, expected.state)
        == ("first_appointment", today - datetime.timedelta(days=1), "overdue")
    )
    assert [s.step for s in path.steps if s.current] == [PathStep.REFERRED]


def test_a_role_without_the_enrolment_section_sees_no_deadline():
    coach = UserFactory(coach=True)
    p = ParticipationFactory(referred=True, coach=coach)
    today = timezone.localdate()
    Deadline.objects.create(participation=p, kind="first_appointment", due_date=today, responsible="coach")
    assert selectors.path_for(coach, p, today, with_deadline=False).deadline is None


def test_closing_is_the_next_action_once_the_activities_have_ended():
    plan = ActivityPlanFactory(approved=True)
    ActivityFactory(participation=plan.participation, ended=True, status="ended")
    action = _action(plan.participation.coach, plan.participation)
    assert (action.label, action.key) == ("Avsluta deltagandet", "close")


# --- the pages: one step bar, the current step marked, exactly one primary button -----------------


def _primary_buttons(html: str) -> int:
    return html.count("button--primary")


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_the_person_page_shows_the_step_bar_with_one_primary_button(login):
    coach = UserFactory(coach=True)
    p = ParticipationFactory(referred=True, coach=coach)
    html = login(coach).get(f"/personer/{p.person.pk}/").content.decode()
    bar = html[html.index("Deltagarens väg") : html.index("</section>", html.index("Deltagarens väg"))]
    assert 'aria-current="step"' in bar
    assert bar.index('aria-current="step"') < bar.index("Anvisad") < bar.index("Inskriven")
    assert "Registrera ankomst" in bar and f"/deltaganden/{p.pk}/#arrive-h" in bar


def test_the_participation_page_offers_its_next_action_as_the_only_primary_button(login):
    coach = UserFactory(coach=True)
    p = ParticipationFactory(referred=True, coach=coach)
    html = login(coach).get(f"/deltaganden/{p.pk}/").content.decode()
    main = html[html.index("<main") :]
    assert _primary_buttons(main) == 1
    assert 'data-next-action="arrive"' in main
    assert 'id="arrive-h"' in main  # the button's target: the arrival form on the same page


def test_a_district_social_worker_sees_the_step_bar_without_the_coachs_button(login):
    p = ParticipationFactory(referred=True)
    social_worker = UserFactory(social_worker=True, district=p.home_district)
    html = login(social_worker).get(f"/deltaganden/{p.pk}/").content.decode()
    assert 'aria-current="step"' in html
    assert "data-next-action" not in html
    assert "Väntar på att deltagaren kommer till jobbtorget." in html
