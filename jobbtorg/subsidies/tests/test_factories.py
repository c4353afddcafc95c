"""Every subsidy factory and named state builds (STYLE habit 7)."""

import pytest
from django.utils import timezone

from jobbtorg.subsidies.models import CaseStatus, Route, StepStatus
from jobbtorg.subsidies.steps import StepKind
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def test_subsidy_case_factory_states():
    assert f.SubsidyCaseFactory().steps.count() == 0
    intro = f.SubsidyCaseFactory(introduktionsjobb=True)
    assert intro.supervisor_name and intro.steps.get(kind=StepKind.INTRO_DECISION).status == StepStatus.OPEN
    assert f.SubsidyCaseFactory(lonebidrag=True).steps.count() == 10
    overdue = f.SubsidyCaseFactory(lonebidrag_overdue=True)
    assert overdue.steps.get(kind=StepKind.LB_2_CALLBACK).due_on < timezone.localdate()
    assert f.SubsidyCaseFactory(granted=True).status == CaseStatus.GRANTED
    assert f.SubsidyCaseFactory(protected=True).route == Route.LOCAL_OFFICE


def test_rule_and_facts_factories():
    assert f.QualificationRuleFactory().parameters["paths"]
    assert f.EligibilityFactsFactory(in_job_guarantee=True).job_guarantee
    assert f.LabourMarketMonthFactory().kind == "unemployed"
