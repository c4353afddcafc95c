"""Qualification rules as data (issue 4 part 2, DOMAIN §18): versioned rows, evaluated with reasons.

The §18 defaults are read from the rows the data migration loaded (the one source), so every
test here uses the database."""

import datetime

import pytest

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.eligibility import rules as eligibility_rules
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.eligibility.models import QualificationRule
from jobbtorg.eligibility.rules import Facts, Outcome
from jobbtorg.testing import factories as f

from .conftest import actor_for

D = datetime.date
ON = D(2026, 3, 10)  # the window of "the last N months" ends with February 2026


pytestmark = pytest.mark.django_db


def seeded(subsidy_type: str) -> eligibility_rules.RuleVersion:
    """Version 1 of the type's rule, as the data migration loaded it."""
    rule = next(r for r in eligibility_services.rule_versions(subsidy_type) if r.version == 1)
    return rule


def months_back(kinds: list[str], on: datetime.date = ON) -> dict[datetime.date, str]:
    """kinds[0] is the month before `on`'s month, kinds[1] the one before, ..."""
    return {m: k for m, k in zip(eligibility_rules.month_choices(on, len(kinds)), kinds, strict=True)}


def facts(age: int, kinds: list[str], **flags) -> Facts:
    values = {"registered_at_af": True, "establishment_programme": False, "job_guarantee": False, "newly_arrived": False}
    values.update(flags)
    return Facts(birth_date=D(ON.year - age, 1, 1), months=months_back(kinds), **values)


def nystart(fx: Facts) -> eligibility_rules.Evaluation:
    return eligibility_rules.evaluate(seeded("nystartsjobb"), "nystartsjobb", fx, ON)


def test_nystartsjobb_age_20_24_needs_6_of_9_months():
    assert nystart(facts(22, ["unemployed"] * 6 + ["work_or_studies"] * 3)).outcome == Outcome.ELIGIBLE
    result = nystart(facts(22, ["unemployed"] * 5 + ["work_or_studies"] * 4))
    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert any("5 av de senaste 9" in r for r in result.reasons)


def test_nystartsjobb_age_25_needs_12_of_15_months():
    eligible = nystart(facts(30, ["programme"] * 4 + ["social_assistance"] * 4 + ["unemployed"] * 4 + ["work_or_studies"] * 3))
    assert eligible.outcome == Outcome.ELIGIBLE
    assert any("12 av de senaste 15" in r for r in eligible.reasons)
    # 6 of the last 9 months would be enough at 24, not at 25+.
    short = nystart(facts(30, ["unemployed"] * 11 + ["work_or_studies"] * 4))
    assert short.outcome == Outcome.NOT_ELIGIBLE
    assert any("11 av de senaste 15" in r for r in short.reasons)


def test_nystartsjobb_under_20_not_eligible():
    result = nystart(facts(19, ["unemployed"] * 15))
    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert any("Ålder 19" in r for r in result.reasons)


def test_parental_leave_child_under_2_is_disregarded():
    # 4 months at home with a child in the middle of the window: the window reaches 4 months further back.
    kinds = ["unemployed"] * 3 + ["parental_leave"] * 4 + ["unemployed"] * 3 + ["work_or_studies"] * 3
    result = nystart(facts(22, kinds))
    assert result.outcome == Outcome.ELIGIBLE
    assert any("räknas bort" in r for r in result.reasons)
    disregarded = [m for m in result.months if m.disregarded]
    assert len(disregarded) == 4
    # Without disregarding, the same 9 calendar months would give only 6 (3 + 3 of the following) — and
    # counting the leave as a non-qualifying month would fail: prove the leave is not simply "not counted".
    counted_as_gap = nystart(
        facts(22, ["unemployed"] * 3 + ["work_or_studies"] * 4 + ["unemployed"] * 2 + ["work_or_studies"] * 4)
    )
    assert counted_as_gap.outcome == Outcome.NOT_ELIGIBLE


def test_missing_history_gives_unknown_with_reason():
    result = nystart(facts(22, ["unemployed"] * 4))  # months 5–9 back are not recorded
    assert result.outcome == Outcome.UNKNOWN
    assert any("Historik saknas" in m for m in result.missing)
    assert any("2025-06" in m for m in result.missing)


def test_missing_flag_gives_unknown_with_reason():
    result = nystart(facts(30, ["work_or_studies"] * 15, job_guarantee=None))
    assert result.outcome == Outcome.UNKNOWN
    assert any("jobb- och utvecklingsgarantin" in m for m in result.missing)


def test_enough_months_decide_despite_gaps():
    result = nystart(facts(22, ["unemployed"] * 6))  # 6 of 9 counted, 3 unknown: still decided
    assert result.outcome == Outcome.ELIGIBLE


def test_newly_arrived_residence_permit_within_36_months():
    kinds = ["unemployed"] * 6 + ["work_or_studies"] * 9
    recent = nystart(facts(40, kinds, newly_arrived=True, residence_permit_on=D(2024, 1, 15)))
    assert recent.outcome == Outcome.ELIGIBLE
    old = nystart(facts(40, kinds, newly_arrived=True, residence_permit_on=D(2022, 1, 15)))
    assert old.outcome == Outcome.NOT_ELIGIBLE


def test_job_guarantee_20_plus_is_eligible_for_nystartsjobb():
    assert nystart(facts(45, [], job_guarantee=True)).outcome == Outcome.ELIGIBLE


def test_introduktionsjobb_youth_guarantee_200_days():
    rule = seeded("introduktionsjobb")
    fx = facts(22, [], youth_guarantee_days=200)
    assert eligibility_rules.evaluate(rule, "introduktionsjobb", fx, ON).outcome == Outcome.ELIGIBLE
    fx = facts(22, [], youth_guarantee_days=199)
    assert eligibility_rules.evaluate(rule, "introduktionsjobb", fx, ON).outcome == Outcome.NOT_ELIGIBLE


def test_yrkesintroduktion_age_15_24():
    rule = seeded("yrkesintroduktion")
    assert eligibility_rules.evaluate(rule, "yrkesintroduktion", facts(24, []), ON).outcome == Outcome.ELIGIBLE
    assert eligibility_rules.evaluate(rule, "yrkesintroduktion", facts(25, []), ON).outcome == Outcome.NOT_ELIGIBLE


def test_lonebidrag_needs_documented_disability():
    rule = seeded("lonebidrag")
    assert (
        eligibility_rules.evaluate(rule, "lonebidrag", facts(40, [], disability_documentation="valid"), ON).outcome
        == Outcome.ELIGIBLE
    )
    unknown = eligibility_rules.evaluate(rule, "lonebidrag", facts(40, []), ON)
    assert unknown.outcome == Outcome.UNKNOWN and unknown.missing
    expired = eligibility_rules.evaluate(rule, "lonebidrag", facts(40, [], disability_documentation="expired"), ON)
    assert expired.outcome == Outcome.UNKNOWN and any("inaktuellt" in m for m in expired.missing)


def test_no_rule_gives_unknown():
    result = eligibility_rules.evaluate(None, "nystartsjobb", facts(30, []), ON)
    assert result.outcome == Outcome.UNKNOWN and result.reasons


def test_parameter_errors_are_swedish():
    assert eligibility_rules.parameter_errors({"paths": []})
    assert eligibility_rules.parameter_errors({"paths": [{"label": "x", "conditions": {"age_min": "tjugo"}}]})
    assert eligibility_rules.parameter_errors({"paths": [{"label": "x", "conditions": {"months_required": 12}}]})
    assert eligibility_rules.parameter_errors({"paths": [{"label": "x", "conditions": {"okänt": True}}]})
    assert eligibility_rules.parameter_errors([]) == ["Parametrarna ska vara ett JSON-objekt."]
    for row in QualificationRule.objects.filter(version=1):
        assert eligibility_rules.parameter_errors(row.parameters) == [], row.subsidy_type


@pytest.mark.django_db
def test_default_rules_are_seeded_by_migration():
    assert set(QualificationRule.objects.values_list("subsidy_type", flat=True)) == {
        "nystartsjobb",
        "introduktionsjobb",
        "yrkesintroduktion",
        "lonebidrag",
    }


@pytest.mark.django_db
def test_new_rule_version_applies_from_its_valid_from():
    new = eligibility_services.add_rule_version(
        None, subsidy_type="nystartsjobb", valid_from=D(2027, 1, 1), source="Förordning (2018:43), ändrad",
        parameters={"paths": [{"label": "18 år eller äldre", "conditions": {"age_min": 18}}]},
    )  # fmt: skip
    assert new.version == 2
    old = QualificationRule.objects.get(subsidy_type="nystartsjobb", version=1)
    assert old.valid_to == D(2026, 12, 31)
    assert eligibility_services.rule_for("nystartsjobb", D(2026, 12, 31)).version == 1
    assert eligibility_services.rule_for("nystartsjobb", D(2027, 1, 1)).version == 2
    # A 19-year-old: not eligible under version 1, eligible under version 2.
    fx = Facts(birth_date=D(2007, 6, 1))
    assert (
        eligibility_rules.evaluate(
            eligibility_services.rule_for("nystartsjobb", D(2026, 12, 31)), "nystartsjobb", fx, D(2026, 12, 31)
        ).outcome
        == Outcome.NOT_ELIGIBLE
    )
    assert (
        eligibility_rules.evaluate(
            eligibility_services.rule_for("nystartsjobb", D(2027, 1, 1)), "nystartsjobb", fx, D(2027, 1, 1)
        ).outcome
        == Outcome.ELIGIBLE
    )


@pytest.mark.django_db
def test_overlapping_rule_version_refused():
    eligibility_services.add_rule_version(
        None,
        subsidy_type="lonebidrag",
        valid_from=D(2027, 1, 1),
        valid_to=D(2027, 12, 31),
        source="x",
        parameters={"paths": [{"label": "a", "conditions": {"age_min": 18}}]},
    )
    with pytest.raises(DomainError) as exc:
        eligibility_services.add_rule_version(
            None,
            subsidy_type="lonebidrag",
            valid_from=D(2027, 6, 1),
            source="y",
            parameters={"paths": [{"label": "a", "conditions": {"age_min": 18}}]},
        )
    assert "valid_from" in exc.value.message_dict
    assert QualificationRule.objects.filter(subsidy_type="lonebidrag").count() == 2


@pytest.mark.django_db
def test_bad_parameters_refused_nothing_saved():
    with pytest.raises(DomainError) as exc:
        eligibility_services.add_rule_version(
            None, subsidy_type="nystartsjobb", valid_from=D(2027, 1, 1), source="x", parameters={"paths": 3}
        )
    assert "parameters" in exc.value.message_dict
    assert QualificationRule.objects.get(subsidy_type="nystartsjobb", version=1).valid_to is None


@pytest.mark.django_db
def test_evaluation_from_recorded_history_is_audited(coach, person):
    actor = actor_for(coach)
    eligibility_services.save_facts(
        coach,
        actor,
        person.pk,
        version=None,
        registered_at_af=True,
        establishment_programme=False,
        job_guarantee=False,
        newly_arrived=False,
        residence_permit_on=None,
        youth_guarantee_days=None,
    )
    today = D(2026, 3, 10)
    eligibility_services.save_history(coach, actor, person.pk, months_back(["unemployed"] * 15, today), today=today)
    result = eligibility_services.evaluate_for(coach, actor, person.pk, "nystartsjobb", today)
    assert result.outcome == Outcome.ELIGIBLE
    assert AuditEntry.objects.filter(action=Action.READ, person_id=person.pk, what__startswith="kvalificering").exists()


@pytest.mark.django_db
def test_history_with_unknown_kind_refused(coach, person):
    with pytest.raises(DomainError):
        eligibility_services.save_history(coach, actor_for(coach), person.pk, {D(2026, 1, 1): "semester"}, today=D(2026, 3, 10))
    assert not person.labour_market_months.exists()


@pytest.mark.django_db
def test_evaluation_without_relation_refused(other_unit_coach, person):
    with pytest.raises(AccessDenied):
        eligibility_services.evaluate_for(other_unit_coach, actor_for(other_unit_coach), person.pk, "nystartsjobb", ON)
    assert AuditEntry.objects.filter(outcome="refused", person_id=person.pk).exists()


@pytest.mark.django_db
def test_participation_af_registration_used_when_facts_missing(coach):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, af_registered=True)
    fx = eligibility_services.facts_for(participation.person, ON)
    assert fx.registered_at_af is True
