"""Issue 8 item 7: data minimisation per section of the person file (access.sections).

One person with a referral, an activity at a provider and two subsidy cases (lönebidrag and
nystartsjobb), seen by every role that has a relation to them. Table-driven: for each role ×
section the table's answer, then the same answer on the web pages and in the API, refusals
audited as refused.
"""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from jobbtorg.access import sections
from jobbtorg.access.policy import check_person
from jobbtorg.access.sections import Section
from jobbtorg.accounts.models import Role, User
from jobbtorg.accounts.tests.helpers import api_key_for
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core.capabilities import roles_holding
from jobbtorg.people.models import Person
from jobbtorg.subsidies.models import SubsidyCase, SubsidyType
from jobbtorg.testing import factories as f
from jobbtorg.web.tests.fixtures import apply_ui_settings

pytestmark = pytest.mark.django_db

S = Section
ROLES = ["coach", "unit_manager", "social_worker", "osa_officer", "matcher", "provider_staff"]

# The decision, written out once more as the specification (✓ = sees, – = not; "lönebidrag" = only that kind).
EXPECTED: dict[Section, dict[str, bool | str]] = {
    S.IDENTITY: dict.fromkeys(ROLES, True),
    S.CONTACT: dict.fromkeys(ROLES, True),
    S.REFERRAL_BASIS: {**dict.fromkeys(ROLES, True), "matcher": False, "provider_staff": False},
    S.ENROLMENT: {**dict.fromkeys(ROLES, True), "matcher": False, "provider_staff": False},
    S.ASSESSMENT: {**dict.fromkeys(ROLES, True), "matcher": False, "provider_staff": False},
    S.PLAN: {**dict.fromkeys(ROLES, True), "provider_staff": False},
    S.ACTIVITIES: dict.fromkeys(ROLES, True),
    S.SUBSIDIES: {**dict.fromkeys(ROLES, False), "coach": True, "unit_manager": True, "osa_officer": "lonebidrag"},
    S.OSA: {**dict.fromkeys(ROLES, False), "osa_officer": True},
    S.DISABILITY: {**dict.fromkeys(ROLES, False), "coach": True, "osa_officer": True},
    S.CLOSURE: {**dict.fromkeys(ROLES, True), "matcher": False, "provider_staff": False},
    S.TIMELINE: {**dict.fromkeys(ROLES, True), "matcher": False, "provider_staff": False},
}


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)


@dataclass
class File:
    person: Person
    participation_id: int
    lonebidrag: SubsidyCase
    nystartsjobb: SubsidyCase
    users: dict[str, User]


@pytest.fixture
def file() -> File:
    coach = f.UserFactory(coach=True)
    participation = f.ParticipationFactory(enrolled=True, coach=coach)
    f.ReferralFactory(participation=participation, legal_ground="Samtycke enligt anvisningen.")
    staff = f.UserFactory(provider_staff=True)
    f.ActivityFactory(participation=participation, provider=staff.provider)
    users = {
        "coach": coach,
        "unit_manager": f.UserFactory(unit_manager=True),
        "social_worker": f.UserFactory(social_worker=True),
        "osa_officer": f.UserFactory(osa_officer=True),
        "matcher": f.UserFactory(matcher=True),
        "provider_staff": staff,
    }
    for user in users.values():
        user.save()  # the factories set the password after saving
        assert check_person(user, participation.person).allowed, user.role  # every role has a relation
    return File(
        person=participation.person,
        participation_id=participation.pk,
        lonebidrag=f.SubsidyCaseFactory(participation=participation, lonebidrag=True, created_by=coach),
        nystartsjobb=f.SubsidyCaseFactory(participation=participation, created_by=coach),
        users=users,
    )


def _web(user: User):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _api(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def _refused(user: User, person: Person, group: str = "anställningsstöd") -> bool:
    entries = AuditEntry.objects.filter(user_id=user.pk, person_id=person.pk, outcome=Outcome.REFUSED)
    return any(group in e.what for e in entries)


# --- the table ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("section", list(Section))
def test_issue_8_item_7_table_role_by_section(role, section):
    """issue 8 item 7: the section table answers for each role × section as decided."""
    user = User(role=role, is_active=True)
    expected = EXPECTED[section][role]
    assert sections.may_see_section(user, section) is bool(expected)
    if section == S.SUBSIDIES:
        for kind in SubsidyType.values:
            sees = expected is True or expected == kind
            assert sections.may_see_section(user, section, context=kind) is sees, kind


@pytest.mark.parametrize("role", ["analyst", "hr", "sysadmin", ""])
def test_issue_8_item_7_roles_without_persons_see_no_section(role):
    user = User(role=role, is_active=True)
    assert not any(sections.visible_sections(user).values())


def test_issue_8_item_7_inactive_user_sees_no_section():
    assert not any(sections.visible_sections(User(role=Role.COACH, is_active=False)).values())


def test_issue_8_item_7_table_agrees_with_the_apps_own_role_lists():
    """The plan, assessment and timeline capabilities (core.capabilities) must not drift from the table."""
    def holders(section: Section) -> set[str]:
        return {role for role, shown in sections.TABLE.items() if section in shown}

    assert holders(S.PLAN) == roles_holding("plans.read")
    assert holders(S.ASSESSMENT) == roles_holding("assessments.read")
    assert holders(S.TIMELINE) == roles_holding("timeline.read")
    assert roles_holding("subsidies.act") <= holders(S.SUBSIDIES)
    for kinds in sections.SUBSIDY_TYPES.values():
        assert kinds <= set(SubsidyType.values)


# --- subsidy cases: web and API ------------------------------------------------------------------------


def _sees_case(role: str, kind: str) -> bool:
    expected = EXPECTED[S.SUBSIDIES][role]
    return expected is True or expected == kind


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["lonebidrag", "nystartsjobb"])
def test_issue_8_item_7_subsidy_case_page_by_role(file, role, kind):
    """issue 8 item 7: /stod/<id>/ for coach and unit manager; the OSA officer only lönebidrag; provider
    staff, matcher and social worker refused with the 404 of a case that does not exist, audited as refused."""
    user = file.users[role]
    case = getattr(file, kind)
    response = _web(user).get(f"/stod/{case.pk}/")
    if _sees_case(role, kind):
        assert response.status_code == 200
        assert not _refused(user, file.person)
    else:
        assert response.status_code == 404
        assert _refused(user, file.person)
        assert case.notification_text not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["lonebidrag", "nystartsjobb"])
def test_issue_8_item_7_subsidy_case_api_by_role(file, role, kind):
    """issue 8 item 7: GET /api/v1/subsidy-cases/<id>/ gives the same answers as the page, refusals audited."""
    user = file.users[role]
    case = getattr(file, kind)
    response = _api(user).get(f"/api/v1/subsidy-cases/{case.pk}/")
    if _sees_case(role, kind):
        assert response.status_code == 200
        assert response.json()["subsidy_type"] == kind
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "Hittades inte."}
        assert _refused(user, file.person)


@pytest.mark.parametrize("role", ROLES)
def test_issue_8_item_7_subsidy_lists_by_role(file, role):
    """issue 8 item 7: the case lists (web and API) and the API's lönebidrag steps: 403 and audited for roles
    without the section; the OSA officer lists only lönebidrag."""
    user = file.users[role]
    web = _web(user).get("/stod/")
    api = _api(user).get("/api/v1/subsidy-cases/")
    steps = _api(user).get("/api/v1/lonebidrag-steps/")
    if not EXPECTED[S.SUBSIDIES][role]:
        assert (web.status_code, api.status_code, steps.status_code) == (403, 403, 403)
        assert AuditEntry.objects.filter(user_id=user.pk, outcome=Outcome.REFUSED, what__contains="anställningsstöd").count() == 3
        return
    assert (web.status_code, api.status_code, steps.status_code) == (200, 200, 200)
    listed = {row["id"] for row in api.json()["results"]}
    on_page = {c.pk for c in web.context["rows"]}
    expected = {c.pk for c in (file.lonebidrag, file.nystartsjobb) if _sees_case(role, c.subsidy_type)}
    assert listed == on_page == expected
    assert {row["case"] for row in steps.json()["results"]} <= {file.lonebidrag.pk}


def test_issue_8_item_7_provider_staff_may_not_change_a_case_and_learns_nothing(file):
    """issue 8 item 7: a change to a case by a role without the section is the same 404 as a read, audited."""
    staff = file.users["provider_staff"]
    case = file.lonebidrag
    web = _web(staff).post(f"/stod/{case.pk}/avsluta/", {"end-version": case.version, "end-ended_on": "2026-01-01"})
    api = _api(staff).post(f"/api/v1/subsidy-cases/{case.pk}/end/", {"version": case.version, "ended_on": "2026-01-01"},
                           format="json")  # fmt: skip
    assert web.status_code == 404 and api.status_code == 404
    assert AuditEntry.objects.filter(user_id=staff.pk, person_id=file.person.pk, outcome=Outcome.REFUSED).count() >= 2


def test_issue_8_item_7_osa_officer_reads_lonebidrag_but_may_not_act(file):
    officer = file.users["osa_officer"]
    case = file.lonebidrag
    response = _api(officer).post(
        f"/api/v1/subsidy-cases/{case.pk}/end/", {"version": case.version, "ended_on": "2026-01-01"}, format="json"
    )
    assert response.status_code == 403
    created = _api(officer).post("/api/v1/subsidy-cases/", {
        "participation": file.participation_id, "subsidy_type": "lonebidrag", "employer": case.employer_id,
        "notified_on": case.notified_on.isoformat()}, format="json")  # fmt: skip
    assert created.status_code == 403


@pytest.mark.parametrize("role", ["provider_staff", "matcher", "social_worker", "osa_officer"])
def test_issue_8_item_7_new_case_form_refused_and_audited(file, role):
    """issue 8 item 7: only the coach and unit manager of the unit create cases; the refusal is audited."""
    user = file.users[role]
    response = _web(user).get(f"/stod/ny/{file.participation_id}/")
    assert response.status_code in (403, 404)
    assert AuditEntry.objects.filter(user_id=user.pk, person_id=file.person.pk, outcome=Outcome.REFUSED).exists()


# --- the person page -------------------------------------------------------------------------------------

# A marker in the page's HTML for each section that the page shows for this person.
PAGE_MARKERS: dict[Section, str] = {
    S.CONTACT: 'id="contact-heading"',
    S.REFERRAL_BASIS: "Försörjningsstöd på grund av arbetslöshet",  # the target group
    S.ENROLMENT: "Nästa tidsfrist",
    S.ACTIVITIES: 'id="activities-heading"',
    S.SUBSIDIES: 'id="subsidies-h"',
    S.OSA: 'id="osa-person-h"',
    S.DISABILITY: 'id="disabilities-h"',
    S.TIMELINE: 'id="timeline-heading"',
}


@pytest.mark.parametrize("role", ROLES)
def test_issue_8_item_7_person_page_sections_by_role(file, role):
    """issue 8 item 7: the person page shows each section only to the roles of the table; provider staff see
    identity, contact and their activities, not the referral basis, target groups or deadlines."""
    user = file.users[role]
    response = _web(user).get(f"/personer/{file.person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index("<main") :]  # the menu may name sections too
    assert response.context["sections"] == sections.visible_sections(user)
    for section, marker in PAGE_MARKERS.items():
        assert (marker in html) is bool(EXPECTED[section][role]), (section, marker)
    if EXPECTED[S.SUBSIDIES][role]:
        shown = {c.pk for c in response.context["subsidy_cases"]}
        assert shown == {c.pk for c in (file.lonebidrag, file.nystartsjobb) if _sees_case(role, c.subsidy_type)}


# --- the participation page and API -------------------------------------------------------------------------

REFERRAL_TEXTS = ("Försörjningsstöd sedan tre månader", "Försörjningsstöd på grund av arbetslöshet", "Informationsutbyte mellan")


@pytest.mark.parametrize("role", ROLES)
def test_issue_8_item_7_participation_page_sections_by_role(file, role):
    """issue 8 item 7: the participation page leaves out the referral basis (basis, target groups, consent),
    the enrolment and the closure for the roles that do not see them."""
    user = file.users[role]
    response = _web(user).get(f"/deltaganden/{file.participation_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    sees_referral = bool(EXPECTED[S.REFERRAL_BASIS][role])
    assert ('id="referral-h"' in html) is sees_referral
    for text in REFERRAL_TEXTS:
        assert (text in html) is sees_referral, text
    assert ('id="enrolment-h"' in html) is bool(EXPECTED[S.ENROLMENT][role])
    assert ('id="interruptions-h"' in html) is bool(EXPECTED[S.ENROLMENT][role])
    assert ('id="closure-h"' in html) is bool(EXPECTED[S.CLOSURE][role])


@pytest.mark.parametrize("role", ROLES)
def test_issue_8_item_7_participation_api_sections_by_role(file, role):
    """issue 8 item 7: the participation API carries the referral basis (target groups, consent) only for the
    roles that see it; provider staff's payload lacks it, and the enrolment and closure fields."""
    user = file.users[role]
    response = _api(user).get(f"/api/v1/participations/{file.participation_id}/")
    assert response.status_code == 200
    data = response.json()
    body = response.content.decode()
    if EXPECTED[S.REFERRAL_BASIS][role]:
        referral = data["referral"]
        assert referral["target_groups"] == ["Försörjningsstöd på grund av arbetslöshet"]
        assert referral["consent_scope"].startswith("Informationsutbyte") and referral["basis"]
    else:
        assert "referral" not in data
        for text in REFERRAL_TEXTS:
            assert text not in body
    assert ("interruptions" in data and "appointments" in data) is bool(EXPECTED[S.ENROLMENT][role])
    assert ("followups" in data and "closure_reason" in data) is bool(EXPECTED[S.CLOSURE][role])
    assert data["status"] == "active" and data["unit_name"]  # identity for everyone

    listed = _api(user).get("/api/v1/participations/").json()["results"]
    row = next(r for r in listed if r["id"] == file.participation_id)
    assert ("interruptions" in row) is bool(EXPECTED[S.ENROLMENT][role])


# --- the timeline on the person page -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coach", "unit_manager", "social_worker", "osa_officer"])
def test_issue_8_item_7_timeline_leaves_out_events_of_refused_sections(file, role):
    """issue 8 item 7: the timeline does not tell a role what its sections would not: the social worker sees no
    subsidy event, the OSA officer only the lönebidrag case's (not the nystartsjobb case's, not the eligibility
    facts), the unit manager no OSA event; corrections of a hidden event are hidden with it."""
    from jobbtorg.participations.models import Participation
    from jobbtorg.timeline import services as timeline

    coach = file.users["coach"]
    participation = Participation.objects.get(pk=file.participation_id)

    def add(kind: str, text: str, **data) -> object:
        return timeline.append(kind=kind, text=text, author=coach, participation=participation, data=data)

    add("subsidy_case_created", "LB-HÄNDELSE", subsidy_case=file.lonebidrag.pk)
    hidden_nsj = add("subsidy_case_created", "NSJ-HÄNDELSE", subsidy_case=file.nystartsjobb.pk)
    add("eligibility_facts_changed", "KVAL-HÄNDELSE")
    add("osa_case_created", "OSA-HÄNDELSE")
    add("plan_approved", "PLAN-HÄNDELSE")
    timeline.append(kind="entry_corrected", text="RÄTTELSE-NSJ", author=coach, participation=participation,
                    corrects=hidden_nsj)  # fmt: skip

    html = _web(file.users[role]).get(f"/personer/{file.person.pk}/").content.decode()
    expected = {
        "coach": {"LB", "NSJ", "KVAL", "PLAN", "RÄTTELSE-NSJ"},
        "unit_manager": {"LB", "NSJ", "KVAL", "PLAN", "RÄTTELSE-NSJ"},
        "social_worker": {"PLAN"},
        "osa_officer": {"LB", "OSA", "PLAN"},
    }[role]
    shown = {label for label in ("LB", "NSJ", "KVAL", "OSA", "PLAN") if f"{label}-HÄNDELSE" in html}
    shown |= {"RÄTTELSE-NSJ"} if "RÄTTELSE-NSJ" in html else set()
    assert shown == expected


def test_issue_8_item_7_followup_page_is_the_closure_section():
    """issue 8 item 7: the post-closure follow-up (social-assistance reduction) is the closure section: a
    matcher named on the person reaches the person but gets the follow-up page's 404, audited as refused;
    the coach opens it."""
    coach = f.UserFactory(coach=True)
    coach.save()
    followup = f.PostClosureFollowUpFactory(participation__coach=coach)
    participation = followup.participation
    person = participation.person
    matcher = f.UserFactory(matcher=True)
    matcher.save()
    person.contact_grants.add(matcher)
    assert check_person(matcher, person).allowed

    assert _web(matcher).get(f"/deltaganden/uppfoljning/{followup.pk}/").status_code == 404
    assert _refused(matcher, person, "avslut och uppföljning")
    assert _web(coach).get(f"/deltaganden/uppfoljning/{followup.pk}/").status_code == 200
