"""The subsidy case's and steps' state machines as data (issue 9 item 3): every allowed and every
refused pair, per role and place, and the case page offering exactly what the table allows.

The expectations are written out here by hand from seed 000 §1–2 and DOMAIN §9, not derived
from rules.TRANSITIONS, so a change to the table must be a change to this test as well.
"""

import itertools
import re

import pytest
from django.core.exceptions import PermissionDenied

from jobbtorg.accounts.models import Role
from jobbtorg.core.errors import DomainError
from jobbtorg.subsidies import rules, services
from jobbtorg.subsidies.models import CaseStatus, StepStatus, SubsidyType
from jobbtorg.subsidies.rules import CaseStep, StepAction
from jobbtorg.testing import factories as f

from .conftest import actor_for, login

S, C = CaseStatus, CaseStep

# Seed 000 §1–2 / DOMAIN §9: an interest notification is granted, refused or withdrawn; a granted
# subsidy is terminated early or ends with its period; refused, withdrawn, terminated and ended
# cases are final.
ALLOWED_CASE = {
    (S.NOTIFIED, C.GRANT): S.GRANTED,
    (S.NOTIFIED, C.REFUSE): S.REFUSED,
    (S.NOTIFIED, C.WITHDRAW): S.WITHDRAWN,
    (S.GRANTED, C.TERMINATE): S.TERMINATED_EARLY,
    (S.GRANTED, C.END): S.ENDED,
}

# Seed 000 §2: lönebidrag is granted in step 6 and refused in step 3 or 6, never by the case's own forms.
OWN_FORMS = {
    SubsidyType.LONEBIDRAG: {C.WITHDRAW, C.TERMINATE, C.END},
}
ALL_STEPS = set(CaseStep)

# Who acts on a case: the coach and the unit manager of the participation's Jobbtorg unit (DOMAIN §9).
CASE_ROLES = {Role.COACH, Role.UNIT_MANAGER}

T, A = StepStatus, StepAction
ALLOWED_STEP = {
    (T.WAITING, A.OPEN): T.OPEN,
    (T.OPEN, A.COMPLETE): T.DONE,
    (T.WAITING, A.COMPLETE): T.DONE,
    (T.WAITING, A.CANCEL): T.CANCELLED,
    (T.OPEN, A.CANCEL): T.CANCELLED,
    (T.CANCELLED, A.REOPEN): T.OPEN,  # introduktionsjobb: a planned start set again
    (T.DONE, A.REOPEN): T.OPEN,  # lönebidrag step 3: documentation outdated a second time
}


@pytest.mark.parametrize(("status", "step"), list(itertools.product(CaseStatus, CaseStep)))
def test_case_transition_table_pair(status, step):
    """Seed 000 §1–2: each (status, step) pair is either the one move listed or refused in Swedish."""
    if (status, step) in ALLOWED_CASE:
        assert rules.next_status(status, step) == ALLOWED_CASE[(status, step)]
    else:
        with pytest.raises(DomainError) as exc:
            rules.next_status(status, step)
        assert exc.value.message_dict["non_field_errors"][0]


def test_case_table_is_exactly_the_expected_one():
    assert rules.TRANSITIONS == ALLOWED_CASE


@pytest.mark.parametrize(("role", "status", "subsidy_type"), list(itertools.product(Role, CaseStatus, SubsidyType)))
def test_allowed_steps_per_role_place_status_and_type(role, status, subsidy_type):
    """DOMAIN §9: only the coach and unit manager of the case's own unit take a step, and only the
    table's; lönebidrag's decision is taken inside its process (seed 000 §2)."""
    from_table = {step for (source, step) in ALLOWED_CASE if source == status}
    own_forms = OWN_FORMS.get(subsidy_type, ALL_STEPS)
    expected_here = from_table & own_forms if role in CASE_ROLES else set()
    assert rules.allowed_steps(status, subsidy_type, role, 7, 7) == expected_here
    assert rules.allowed_steps(status, subsidy_type, role, 8, 7) == set()  # another unit
    assert rules.allowed_steps(status, subsidy_type, role, None, 7) == set()  # no unit


@pytest.mark.parametrize(("status", "action"), list(itertools.product(StepStatus, StepAction)))
def test_step_transition_table_pair(status, action):
    """Seed 000 §2: a step opens when the one before is done, is done once, falls away when the case
    ends; only a done completion request or a cancelled decision deadline opens again."""
    if (status, action) in ALLOWED_STEP:
        assert rules.step_next(status, action) == ALLOWED_STEP[(status, action)]
    else:
        with pytest.raises(DomainError):
            rules.step_next(status, action)


def test_step_sources_follow_the_table():
    assert set(rules.step_sources(A.CANCEL)) == {T.WAITING, T.OPEN}
    assert set(rules.step_sources(A.COMPLETE)) == {T.WAITING, T.OPEN}
    assert set(rules.step_sources(A.REOPEN)) == {T.CANCELLED, T.DONE}


def test_every_capability_in_the_tables_is_declared():
    for capability in rules.WHO.values():
        assert capability in rules.CAPABILITIES
    for capability in rules.CASE_CAPABILITIES:
        assert set(rules.CAPABILITIES[capability].values()) == {"unit"}


# --- the services take every status change through the table -----------------------------------------


@pytest.mark.django_db
def test_end_refused_for_a_case_not_granted(coach, participation, employer, today):
    """Seed 000 §1: only a granted subsidy ends with its period; nothing is saved."""
    case = f.SubsidyCaseFactory(participation=participation, employer=employer)
    with pytest.raises(DomainError) as exc:
        services.end_case(coach, actor_for(coach), case.pk, version=case.version, ended_on=today)
    assert exc.value.message_dict["non_field_errors"] == ["Bara ett beviljat stöd kan avbrytas eller avslutas."]
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED


@pytest.mark.django_db
def test_lonebidrag_refusal_outside_its_process_refused(coach, participation, employer, today):
    """Seed 000 §2: a lönebidrag refusal is registered in step 3 or 6, not with the close form."""
    case = f.SubsidyCaseFactory(participation=participation, employer=employer, lonebidrag=True)
    with pytest.raises(DomainError):
        services.close_without_grant(
            coach, actor_for(coach), case.pk, version=case.version, target=CaseStatus.REFUSED, on=today, reason="Nej"
        )


@pytest.mark.django_db
def test_step_6_grant_goes_through_the_table(coach, participation, employer, today):
    """Seed 000 §2 step 6: a second decision on a case already granted is refused by the table."""
    case = f.SubsidyCaseFactory(participation=participation, employer=employer, lonebidrag=True, granted=True)
    case.steps.update(status=StepStatus.DONE, done_on=case.notified_on)
    case.steps.filter(kind="lb_6_decision").update(status=StepStatus.OPEN, done_on=None)
    with pytest.raises(DomainError) as exc:
        services.complete_step(
            coach, actor_for(coach), case.pk, version=case.version, kind="lb_6_decision", done_on=today,
            outcome="granted", data={"period_from": today.isoformat(), "period_to": today.isoformat()},
        )  # fmt: skip
    assert exc.value.message_dict["non_field_errors"] == ["Beslutet är redan registrerat."]


@pytest.mark.django_db
def test_role_without_the_capability_refused(participation, employer, today):
    """DOMAIN §9: the home district's social worker sees the person but never acts on a subsidy
    case (a 403 from the capability table, audited as refused)."""
    case = f.SubsidyCaseFactory(participation=participation, employer=employer, granted=True)
    social_worker = f.UserFactory(role=Role.SOCIAL_WORKER, district=participation.person.home_district)
    with pytest.raises(PermissionDenied):
        services.end_case(social_worker, actor_for(social_worker), case.pk, version=case.version, ended_on=today)
    case.refresh_from_db()
    assert case.status == CaseStatus.GRANTED


# --- the page offers exactly what the table allows -----------------------------------------------------

FORM_FOR_STEP = {C.GRANT: "beslut/", C.TERMINATE: "avbrott/", C.END: "avsluta/"}


def _offered(html: str, case_id: int) -> set[CaseStep]:
    offered = {step for step, path in FORM_FOR_STEP.items() if f'action="/stod/{case_id}/{path}"' in html}
    if f'action="/stod/{case_id}/utan-beslut/"' in html:
        close_form = html.split(f'action="/stod/{case_id}/utan-beslut/"', 1)[1].split("</form>", 1)[0]
        values = set(re.findall(r'name="close-target" value="(\w+)"', close_form))
        offered |= {C.REFUSE for v in values if v == "refused"} | {C.WITHDRAW for v in values if v == "withdrawn"}
    return offered


CASES = {
    "notified": {},
    "granted": {"granted": True},
    "lonebidrag": {"lonebidrag": True},
    "ended": {"granted": True, "status": CaseStatus.ENDED},
    "withdrawn": {"status": CaseStatus.WITHDRAWN},
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(CASES))
@pytest.mark.parametrize("who", ["coach", "manager", "other_unit_manager"])
def test_case_page_offers_exactly_the_allowed_steps(client, state, who, coach, manager, participation, employer):
    """Issue 9 item 3: the page's action forms are the table's allowed steps for this user, no more."""
    case = f.SubsidyCaseFactory(participation=participation, employer=employer, **CASES[state])
    user = {"coach": coach, "manager": manager}.get(who) or f.UserFactory(unit_manager=True, jobbtorg_unit=f.unit("sydost"))
    login(client, user)
    response = client.get(f"/stod/{case.pk}/")
    if who == "other_unit_manager":  # no relation to the person: the case does not exist for them
        assert response.status_code == 404
        return
    html = response.content.decode()
    expected = rules.allowed_steps(case.status, case.subsidy_type, user.role, user.jobbtorg_unit_id, participation.unit_id)
    assert expected == {step for (source, step) in ALLOWED_CASE if source == case.status} & OWN_FORMS.get(
        case.subsidy_type, ALL_STEPS
    )
    assert _offered(html, case.pk) == expected
    assert (f'action="/stod/{case.pk}/andra/"' in html) == case.is_open
