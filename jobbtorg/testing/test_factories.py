"""Every factory and named state builds (STYLE habit 7)."""

import pytest

from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "trait", ["coach", "unit_manager", "matcher", "social_worker", "osa_officer", "provider_staff", "analyst", "hr", "sysadmin"]
)
def test_user_factory_builds_each_role(trait):
    user = f.UserFactory(**{trait: True})
    assert user.pk and user.role


def test_person_factory_states():
    assert not f.PersonFactory().is_protected
    assert f.PersonFactory(protected=True).is_protected
    assert f.PersonFactory(marked=True).is_protected


def test_participation_and_activity_factories():
    assert f.ParticipationFactory(closed=True).closed_on
    assert f.ActivityFactory(provider=f.ProviderFactory()).provider_id
    assert f.EmployerContactFactory().employer_id
