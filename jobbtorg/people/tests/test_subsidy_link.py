"""The person page's "Nytt ärende om anställningsstöd" follows the capability subsidies.create_case,
not a role name (ADR 0013): the unit manager, who may open a subsidy case, sees it as the coach does."""

import pytest
from django.urls import reverse

from jobbtorg.testing.factories import ParticipationFactory, UserFactory, unit
from jobbtorg.web.tests.fixtures import apply_ui_settings, make_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)


def test_new_subsidy_case_link_for_those_who_may_create_a_case(client):
    coach = UserFactory(coach=True)
    p = ParticipationFactory(coach=coach, enrolled=True)
    new_case = reverse("subsidies:new", args=[p.pk])
    page = reverse("people:detail", args=[p.person_id])
    for user in (coach, UserFactory(unit_manager=True)):
        assert new_case in make_login(client)(user).get(page).content.decode(), user.role
    # A manager of another unit does not reach the person; a social worker may not open cases.
    elsewhere = UserFactory(unit_manager=True, jobbtorg_unit=unit("sydost"))
    assert new_case not in make_login(client)(elsewhere).get(page).content.decode()
    worker = UserFactory(social_worker=True, district=p.home_district)
    response = make_login(client)(worker).get(page)
    assert response.status_code == 200 and new_case not in response.content.decode()
