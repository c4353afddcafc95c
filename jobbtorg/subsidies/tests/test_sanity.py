"""Issue 10 item 9: subsidy sanity — unique step numbers, readable step names, OSA warning,
nystartsjobb decision while eligibility cannot be determined."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from jobbtorg.core.errors import DomainError
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.subsidies import services
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import CaseStatus
from jobbtorg.subsidies.steps import StepKind
from jobbtorg.testing import factories as f

from .conftest import actor_for, login

D = datetime.date
NOTIFIED = D(2026, 3, 2)

pytestmark = pytest.mark.django_db


def test_lonebidrag_steps_numbered_uniquely():
    codes = [step_rules.STEP_RULES[k].code for k in step_rules.LONEBIDRAG_STEPS]
    assert len(codes) == len(set(codes)) and all(codes)
    # The seed's step numbers stay readable: a seed step with several tasks gets letters in order.
    assert step_rules.STEP_RULES[StepKind.LB_2_CALLBACK].code == "2a"
    assert step_rules.STEP_RULES[StepKind.LB_2_ORDER].code == "2b"
    assert step_rules.STEP_RULES[StepKind.LB_5_UNION].code == "5"
    assert [step_rules.STEP_RULES[k].code for k in (StepKind.LB_7_AF_FOLLOWUP, StepKind.LB_7_EXTENSION,
                                                   StepKind.LB_7_COACH_FOLLOWUP)] == ["7a", "7b", "7c"]  # fmt: skip
    # Tasks outside the lönebidrag process have no step number.
    assert step_rules.STEP_RULES[StepKind.INTRO_DECISION].code == ""


def test_lonebidrag_step_names_are_words_in_swedish_and_english():
    rule = step_rules.STEP_RULES[StepKind.LB_3_ELIGIBILITY]
    with translation.override("sv"):
        assert rule.title == "Steg 3a: Samordnarfunktionen utreder rätt till lönestöd och samtycke"
    with translation.override("en"):
        title = rule.title
    assert title.startswith("Step 3a: ") and "lb_" not in title and "Samordnar" not in title
    def labels(language):
        with translation.override(language):
            return {k: (str(r.label), str(r.label_local_office), str(r.starts)) for k, r in step_rules.STEP_RULES.items()}

    swedish, english = labels("sv"), labels("en")
    untranslated = [(k, sv) for k in swedish for sv, en in zip(swedish[k], english[k], strict=True) if sv and sv == en]
    assert untranslated == []


# --- lönebidrag for someone in OSA: a warning, not a refusal ------------------------------------------------



def new_case(coach, participation, employer, subsidy_type, notified_on=NOTIFIED):
    return services.create_case(coach, actor_for(coach), services.NewCase(
        participation_id=participation.pk, subsidy_type=subsidy_type, employer_id=employer.pk, notified_on=notified_on,
    ), today=D(2026, 3, 10))  # fmt: skip


def test_lonebidrag_case_for_osa_participant_warns(client, coach, participation, employer):
    f.OsaCaseFactory(person=participation.person)
    login(client, coach)
    page = client.get(reverse("subsidies:new", args=[participation.pk]))
    assert page.status_code == 200 and "pågående OSA-anställning" in page.content.decode()
    case = new_case(coach, participation, employer, "lonebidrag")  # not refused
    assert any("OSA-anställning" in w for w in services.case_warnings(case))
    # The API's representation carries the warning; the case page shows it.
    data = client.get(f"/api/v1/subsidy-cases/{case.pk}/").json()
    assert any("OSA-anställning" in w for w in data["warnings"])
    assert "pågående OSA-anställning" in client.get(reverse("subsidies:detail", args=[case.pk])).content.decode()
    # Another subsidy for the same person does not warn about OSA.
    other = new_case(coach, participation, employer, "nystartsjobb")
    assert not any("OSA" in w for w in services.case_warnings(other))


def test_lonebidrag_case_without_osa_does_not_warn(coach, participation, employer):
    f.OsaCaseFactory(person=f.PersonFactory())  # someone else's OSA employment
    case = new_case(coach, participation, employer, "lonebidrag")
    assert not any("OSA" in w for w in services.case_warnings(case))


# --- nystartsjobb decision while eligibility cannot be determined ----------------------------------------------


def decide(coach, case, missing_facts=""):
    return services.record_decision(
        coach, actor_for(coach), case.pk, version=case.version, decision_on=D(2026, 3, 5), period_from=D(2026, 3, 10),
        period_to=D(2027, 3, 9), missing_facts=missing_facts, today=D(2026, 3, 10),
    )  # fmt: skip


def test_nystartsjobb_decision_refused_while_undetermined_without_missing_facts(coach, participation, employer):
    case = new_case(coach, participation, employer, "nystartsjobb")
    missing = services.decision_missing(case, D(2026, 3, 5))
    assert missing  # nothing recorded about the person: the check cannot tell
    with pytest.raises(DomainError) as exc:
        decide(coach, case)
    message = exc.value.message_dict["missing_facts"][0]
    assert "går inte att avgöra" in message and missing[0] in message
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.decision_on is None  # nothing saved
    # With the missing facts recorded on the decision, it is registered and kept on the case.
    case, _ = decide(coach, case, "Arbetsförmedlingens beslut: inskriven och arbetslös sedan 2024-11.")
    assert case.status == CaseStatus.GRANTED and case.decision_missing_facts.startswith("Arbetsförmedlingens beslut")


def test_nystartsjobb_decision_once_eligibility_is_known_needs_no_missing_facts(coach, participation, employer):
    case = new_case(coach, participation, employer, "nystartsjobb")
    person = participation.person
    eligibility_services.save_facts(
        coach, actor_for(coach), person.pk, version=None, registered_at_af=True, establishment_programme=False,
        job_guarantee=False, newly_arrived=False, residence_permit_on=None, youth_guarantee_days=None, today=D(2026, 3, 10),
    )  # fmt: skip
    months = {m: "unemployed" for m in eligibility_services.rules.month_choices(D(2026, 3, 5), 15)}
    eligibility_services.save_history(coach, actor_for(coach), person.pk, months, today=D(2026, 3, 10))
    assert services.decision_missing(case, D(2026, 3, 5)) == []
    case, _ = decide(coach, case)
    assert case.status == CaseStatus.GRANTED and case.decision_missing_facts == ""


def test_nystartsjobb_decision_form_asks_for_missing_facts(client, coach, participation, employer):
    case = new_case(coach, participation, employer, "nystartsjobb")
    login(client, coach)
    html = client.get(reverse("subsidies:detail", args=[case.pk])).content.decode()
    assert "Rätten till nystartsjobb går inte att avgöra" in html and 'name="decision-missing_facts"' in html
    response = client.post(reverse("subsidies:decision", args=[case.pk]), {
        "decision-version": case.version, "decision-decision_on": "2026-03-05", "decision-period_from": "2026-03-10",
        "decision-period_to": "2027-03-09",
    })  # fmt: skip
    assert response.status_code == 400 and "går inte att avgöra" in response.content.decode()
