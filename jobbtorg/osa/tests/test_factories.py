"""The OSA and disability factories and their named states build (STYLE habit 7)."""

import pytest

from jobbtorg.osa.selectors import case_deadlines
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def test_osa_factories_build():
    case = f.OsaCaseFactory(periods=[12])
    assert case.periods.count() == 2 and case_deadlines(case).exists()
    assert case_deadlines(f.OsaCaseFactory(started_long_ago=True)).filter(done_on__isnull=True).exists()
    assert f.AnnualPlacesFactory().planned == 10


def test_disability_factory_states():
    assert f.DisabilityRegistrationFactory(pain_43=True).code == "43"
    assert f.DisabilityRegistrationFactory(permanent_71=True).code == "71"
    assert f.DisabilityRegistrationFactory(expired_43=True).sub_kind == "pain"
