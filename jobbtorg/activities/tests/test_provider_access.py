"""An activity at a provider makes the participant visible to that provider's staff, and only
while it runs (DOMAIN §1, issue 3 part 5). The policy reads Activity.provider/start_date/end_date."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.access.policy import check_person, visible_persons
from jobbtorg.accounts.models import Role
from jobbtorg.activities.selectors import person_section, session_rows, visible_activities
from jobbtorg.activities.tests.helpers import client_for, days, new_activity, plan_day
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def test_provider_staff_see_participant_only_during_activity(coach, participation, item, provider, provider_staff):
    person = participation.person
    activity = new_activity(coach, participation, item, start=5, end=10, provider=provider)
    other_staff = f.UserFactory(provider_staff=True)  # another provider

    seen = {offset: check_person(provider_staff, person, today=days(offset)).allowed for offset in (4, 5, 7, 10, 11)}
    assert seen == {4: False, 5: True, 7: True, 10: True, 11: False}
    assert not check_person(other_staff, person, today=days(7)).allowed
    assert list(visible_persons(provider_staff, today=days(7))) == [person]
    assert list(visible_persons(provider_staff, today=days(11))) == []

    # The activity page follows the same rule: before the start it is a plain 404.
    client = client_for(provider_staff)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404


def test_provider_staff_open_the_running_activity_page_and_not_after_it(coach, participation, item, provider, provider_staff):
    activity = new_activity(coach, participation, item, start=-5, end=5, provider=provider)
    client = client_for(provider_staff)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200
    activity.end_date = days(-1)
    activity.save()
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404


def test_provider_staff_do_not_see_protected_persons(coach, item, provider, provider_staff):
    protected = f.ParticipationFactory(enrolled=True, coach=coach, person=f.PersonFactory(protected=True))
    new_activity(coach, protected, item, start=-1, end=5, provider=provider)
    assert not check_person(provider_staff, protected.person).allowed
    assert check_person(coach, protected.person).allowed


def test_provider_staff_without_a_provider_see_no_activity(coach, participation, item):
    """Staff whose provider is missing (the admin refuses it, but nothing in the database does)
    belong to no provider, so they see no activity, not the activities that have no provider:
    `provider_id=None` in a filter means "provider IS NULL", and None == None. Found by mypy."""
    activity = new_activity(coach, participation, item, start=-1, end=5)  # no provider
    assert activity.provider_id is None
    session = plan_day(coach, [activity], days(0))
    staff = f.UserFactory(role=Role.PROVIDER_STAFF, provider=None)
    participation.person.contact_grants.add(staff)  # named on the person: the person is visible
    assert check_person(staff, participation.person).allowed

    assert list(visible_activities(staff)) == []
    assert list(session_rows(staff, session)) == []
    assert person_section(staff, participation.person)["activities"] == []
    client = client_for(staff)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404
    summary = client.get(reverse("activities:attendance_summary", args=[participation.pk]))
    assert summary.status_code == 200 and summary.context["activities"] == []
    api = APIClient()
    api.force_authenticate(staff)
    assert api.get(f"/api/v1/activities/{activity.pk}/").status_code == 404
    assert api.get("/api/v1/activities/").json()["results"] == []
