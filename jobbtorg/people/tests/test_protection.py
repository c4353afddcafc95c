"""Issue 8 item 2: a protected identity can not be lifted by whoever edits the person.

The staff member who registers a person sets the level; editors only raise it; lowering or
removing it needs the unit manager or the data-protection officer with a stated reason, is
flagged in the log review, and tells the named staff and the coach (without name or
personnummer). Each role is tested in the service, the web page and the API.
"""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from jobbtorg.accounts.tests.helpers import api_key_for
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.notifications.models import Message
from jobbtorg.people import services
from jobbtorg.people.forms import PersonForm, ProtectionRaiseForm
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

REASON = "Skatteverket har tagit bort skyddet enligt beslut 2026-11-02."


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def setup():
    """A protected person in a coach's caseload at Järva, named on the coach and a social worker."""
    coach = f.UserFactory(coach=True, username="coach1", email="coach1@example.se")
    named = f.UserFactory(social_worker=True, username="sw1", email="sw1@example.se")
    person = f.PersonFactory(protected=True, first_name="Hemlig", last_name="Personsson")
    f.ParticipationFactory(person=person, coach=coach, enrolled=True)
    person.contact_grants.add(coach, named)
    manager = f.UserFactory(unit_manager=True, username="chef1")
    return {"coach": coach, "named": named, "person": person, "manager": manager}


def access_entries(**filters):
    return list(AuditEntry.objects.filter(action=Action.ACCESS, **filters).order_by("id"))


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


# --- the order of levels ----------------------------------------------------------------------


def test_issue_8_item_2_levels_are_ordered_none_marking_registration():
    assert services.is_lowering(ProtectionLevel.PROTECTED_REGISTRATION, ProtectionLevel.CONFIDENTIALITY_MARKING)
    assert services.is_lowering(ProtectionLevel.CONFIDENTIALITY_MARKING, ProtectionLevel.NONE)
    assert not services.is_lowering(ProtectionLevel.NONE, ProtectionLevel.CONFIDENTIALITY_MARKING)
    assert services.levels_above(ProtectionLevel.CONFIDENTIALITY_MARKING) == [ProtectionLevel.PROTECTED_REGISTRATION]
    assert services.levels_below(ProtectionLevel.CONFIDENTIALITY_MARKING) == [ProtectionLevel.NONE]


# --- service: editors only raise --------------------------------------------------------------


@pytest.mark.parametrize("level", [ProtectionLevel.NONE, ProtectionLevel.CONFIDENTIALITY_MARKING])
def test_issue_8_item_2_coach_may_not_lower_and_the_attempt_is_flagged(setup, actor_of, level):
    coach, person = setup["coach"], setup["person"]
    with pytest.raises(services.LoweringRefused):
        services.update_person(coach, actor_of(coach), person, {"protection_level": level}, person.version)
    person.refresh_from_db()
    assert person.protection_level == ProtectionLevel.PROTECTED_REGISTRATION and person.version == 1
    (entry,) = access_entries()
    assert entry.outcome == Outcome.REFUSED and entry.flagged and entry.person_id == person.pk
    assert entry.details == {"old": ProtectionLevel.PROTECTED_REGISTRATION, "new": level}


def test_issue_8_item_2_social_worker_of_the_district_may_not_lower_either(actor_of):
    worker = f.UserFactory(social_worker=True)
    person = f.PersonFactory(marked=True)
    person.contact_grants.add(worker)
    with pytest.raises(services.LoweringRefused):
        services.update_person(worker, actor_of(worker), person, {"protection_level": "none"}, 1)
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.CONFIDENTIALITY_MARKING


def test_issue_8_item_2_editor_may_raise_and_the_raise_is_an_access_entry(actor_of):
    coach = f.UserFactory(coach=True)
    person = f.PersonFactory(marked=True)
    f.ParticipationFactory(person=person, coach=coach, enrolled=True)
    services.update_person(coach, actor_of(coach), person, {"protection_level": ProtectionLevel.PROTECTED_REGISTRATION}, 1)
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION
    (entry,) = access_entries()
    assert entry.outcome == Outcome.ALLOWED and entry.flagged
    assert entry.details == {"old": ProtectionLevel.CONFIDENTIALITY_MARKING, "new": ProtectionLevel.PROTECTED_REGISTRATION}


def test_issue_8_item_2_the_registrar_sets_any_level(actor_of):
    coach = f.UserFactory(coach=True)
    data = {
        "personnummer": "19811218-9876",
        "first_name": "Ny",
        "last_name": "Person",
        "home_district": f.district(),
        "protection_level": ProtectionLevel.CONFIDENTIALITY_MARKING,
    }
    person = services.create_person(coach, actor_of(coach), data)
    assert person.protection_level == ProtectionLevel.CONFIDENTIALITY_MARKING


# --- service: who may lower -------------------------------------------------------------------


def test_issue_8_item_2_unit_manager_lowers_with_a_reason_flagged_and_staff_told(
    setup, actor_of, django_capture_on_commit_callbacks
):
    manager, person = setup["manager"], setup["person"]
    with django_capture_on_commit_callbacks(execute=True):
        services.lower_protection(manager, actor_of(manager), person, ProtectionLevel.NONE, f"  {REASON} ", 1)
    person.refresh_from_db()
    assert person.protection_level == ProtectionLevel.NONE and person.version == 2
    (entry,) = access_entries()
    assert entry.outcome == Outcome.ALLOWED and entry.flagged and entry.username == "chef1"
    assert entry.details == {"old": ProtectionLevel.PROTECTED_REGISTRATION, "new": ProtectionLevel.NONE, "reason": REASON}
    # The named staff and the coach, each once, in the app and by e-mail; never the name or number.
    told = sorted(Message.objects.values_list("user__username", flat=True))
    assert told == ["coach1", "sw1"]
    assert sorted(m.to[0] for m in mail.outbox) == ["coach1@example.se", "sw1@example.se"]
    for text in [*(m.subject + m.body for m in mail.outbox), *Message.objects.values_list("text", flat=True)]:
        assert "Hemlig" not in text and "Personsson" not in text
        assert person.personnummer not in text and person.personnummer[2:8] not in text
        assert str(person.pk) in text


def test_issue_8_item_2_a_failing_mail_server_does_not_undo_the_notice(
    setup, actor_of, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("jobbtorg.notifications.services.send_mail", broken)
    manager, person = setup["manager"], setup["person"]
    with django_capture_on_commit_callbacks(execute=True):
        services.lower_protection(manager, actor_of(manager), person, ProtectionLevel.NONE, REASON, 1)
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.NONE
    assert Message.objects.count() == 2


def test_issue_8_item_2_nobody_is_told_when_the_change_rolls_back(setup, actor_of, django_capture_on_commit_callbacks):
    manager, person = setup["manager"], setup["person"]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError):  # stale version: nothing saved, nobody told
            services.lower_protection(manager, actor_of(manager), person, ProtectionLevel.NONE, REASON, 7)
    assert not Message.objects.exists() and not mail.outbox
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION


def test_issue_8_item_2_data_protection_officer_may_lower_without_a_relation(setup, actor_of):
    officer = f.UserFactory(hr=True, is_data_protection_officer=True)
    person = setup["person"]
    services.lower_protection(
        officer, actor_of(officer), person, ProtectionLevel.CONFIDENTIALITY_MARKING, REASON, person.version
    )
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.CONFIDENTIALITY_MARKING


@pytest.mark.parametrize(
    "make",
    [
        lambda: f.UserFactory(coach=True),  # the coach of the participation, below
        lambda: f.UserFactory(unit_manager=True, jobbtorg_unit=f.unit("vasterort")),  # another unit's manager
        lambda: f.UserFactory(sysadmin=True),  # the system administrator without the data-protection role
        lambda: f.UserFactory(social_worker=True),
        lambda: f.UserFactory(unit_manager=True, is_data_protection_officer=True, is_active=False),
    ],
    ids=["coach", "other-unit-manager", "sysadmin", "social-worker", "inactive-officer"],
)
def test_issue_8_item_2_other_roles_may_not_lower_and_are_flagged(setup, actor_of, make):
    user = make()
    person = setup["person"]
    if user.role == "coach":
        f.ParticipationFactory(person=f.PersonFactory(), coach=user)
        person.contact_grants.add(user)
    with pytest.raises(AccessDenied):
        services.lower_protection(user, actor_of(user), person, ProtectionLevel.NONE, REASON, person.version)
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION
    (entry,) = access_entries()
    assert entry.outcome == Outcome.REFUSED and entry.flagged


def test_issue_8_item_2_reason_is_required_and_the_level_must_be_lower(setup, actor_of):
    manager, person = setup["manager"], setup["person"]
    with pytest.raises(DomainError) as caught:
        services.lower_protection(manager, actor_of(manager), person, ProtectionLevel.PROTECTED_REGISTRATION, "  ", 1)
    messages = caught.value.message_dict
    assert messages["reason"] == ["Ange skälet till att skyddet sänks, till exempel ändrade uppgifter från Skatteverket."]
    assert "Välj en lägre skyddsnivå" in messages["protection_level"][0]
    with pytest.raises(DomainError) as caught:
        services.lower_protection(manager, actor_of(manager), person, ProtectionLevel.NONE, "för att", 1)
    assert "minst 10 tecken" in caught.value.message_dict["reason"][0]
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION
    assert not access_entries()


# --- forms ------------------------------------------------------------------------------------


def test_issue_8_item_2_person_form_offers_only_the_current_level_and_higher():
    person = f.PersonFactory(marked=True)
    choices = [value for value, _ in PersonForm(instance=person).fields["protection_level"].choices]
    assert choices == [ProtectionLevel.CONFIDENTIALITY_MARKING, ProtectionLevel.PROTECTED_REGISTRATION]
    form = ProtectionRaiseForm({"protection_level": "none", "version": "1"}, current=ProtectionLevel.CONFIDENTIALITY_MARKING)
    assert not form.is_valid()
    assert form.errors["protection_level"] == ["Du kan bara höja skyddsnivån. Välj en högre nivå i listan."]


# --- web --------------------------------------------------------------------------------------


def page(person) -> str:
    return f"/personer/{person.pk}/skyddsniva/"


def test_issue_8_item_2_web_coach_sees_only_raising(setup):
    html = web(setup["coach"]).get(page(setup["person"])).content.decode()
    assert 'value="lower"' not in html
    person = f.PersonFactory(marked=True)
    f.ParticipationFactory(person=person, coach=setup["coach"], enrolled=True)
    response = web(setup["coach"]).get(page(person))
    html = response.content.decode()
    assert response.status_code == 200 and 'value="raise"' in html and 'value="lower"' not in html
    assert 'value="skyddad_folkbokforing"' in html and 'value="none"' not in html


def test_issue_8_item_2_web_coach_raises(setup):
    person = f.PersonFactory(marked=True)
    f.ParticipationFactory(person=person, coach=setup["coach"], enrolled=True)
    response = web(setup["coach"]).post(
        page(person), {"form": "raise", "raise-protection_level": "skyddad_folkbokforing", "raise-version": "1"}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION


@pytest.mark.parametrize("form", ["raise", "lower"])
def test_issue_8_item_2_web_coach_posting_a_lower_level_is_refused_and_flagged(setup, form):
    person = setup["person"]
    data = {"form": form, f"{form}-protection_level": "none", f"{form}-version": "1", f"{form}-reason": REASON}
    response = web(setup["coach"]).post(page(person), data)
    assert response.status_code == 403
    assert "Att sänka eller ta bort skyddet får bara enhetschefen" in response.content.decode()
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION
    (entry,) = access_entries()
    assert entry.outcome == Outcome.REFUSED and entry.flagged


def test_issue_8_item_2_web_unit_manager_lowers_and_sees_no_identity(setup, django_capture_on_commit_callbacks):
    person = setup["person"]
    client = web(setup["manager"])
    html = client.get(page(person)).content.decode()
    # The manager has no relation to a protected person: id and level only.
    assert 'value="lower"' in html and "Hemlig" not in html and person.personnummer_display not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(person), {"form": "lower", "lower-protection_level": "none", "lower-version": "1", "lower-reason": REASON}
        )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.NONE
    (entry,) = access_entries(outcome=Outcome.ALLOWED)
    assert entry.flagged and entry.details["reason"] == REASON
    assert Message.objects.count() == 2


def test_issue_8_item_2_web_reason_is_required_in_swedish(setup):
    response = web(setup["manager"]).post(
        page(setup["person"]), {"form": "lower", "lower-protection_level": "none", "lower-version": "1", "lower-reason": ""}
    )
    assert response.status_code == 200
    assert "Ange skälet till att skyddet sänks." in response.content.decode()
    assert Person.objects.get(pk=setup["person"].pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION


def test_issue_8_item_2_web_officer_lowers(setup):
    officer = f.UserFactory(sysadmin=True, is_data_protection_officer=True)
    response = web(officer).post(
        page(setup["person"]),
        {"form": "lower", "lower-protection_level": "sekretessmarkering", "lower-version": "1", "lower-reason": REASON},
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=setup["person"].pk).protection_level == ProtectionLevel.CONFIDENTIALITY_MARKING


@pytest.mark.parametrize(
    "make",
    [
        lambda: f.UserFactory(unit_manager=True, jobbtorg_unit=f.unit("vasterort")),
        lambda: f.UserFactory(sysadmin=True),
        lambda: f.UserFactory(provider_staff=True),
    ],
    ids=["other-unit-manager", "sysadmin", "provider-staff"],
)
def test_issue_8_item_2_web_others_get_the_404_and_are_logged(setup, make):
    client = web(make())
    assert client.get(page(setup["person"])).status_code == 404
    response = client.post(
        page(setup["person"]), {"form": "lower", "lower-protection_level": "none", "lower-version": "1", "lower-reason": REASON}
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=setup["person"].pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION
    assert AuditEntry.objects.filter(person_id=setup["person"].pk, outcome=Outcome.REFUSED).count() == 2


def test_issue_8_item_2_person_page_links_to_the_protection_page(setup):
    html = web(setup["coach"]).get(f"/personer/{setup['person'].pk}/").content.decode()
    assert page(setup["person"]) in html


# --- API --------------------------------------------------------------------------------------


def test_issue_8_item_2_api_patch_lowering_is_403_in_swedish_and_flagged(setup):
    person = setup["person"]
    response = api(setup["coach"]).patch(f"/api/v1/persons/{person.pk}/", {"protection_level": "none", "version": 1}, format="json")
    assert response.status_code == 403
    assert "Du kan bara höja skyddsnivån" in response.json()["detail"]
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION
    (entry,) = access_entries()
    assert entry.outcome == Outcome.REFUSED and entry.flagged


def test_issue_8_item_2_api_patch_raising_is_allowed(setup):
    person = f.PersonFactory(marked=True)
    f.ParticipationFactory(person=person, coach=setup["coach"], enrolled=True)
    response = api(setup["coach"]).patch(
        f"/api/v1/persons/{person.pk}/", {"protection_level": "skyddad_folkbokforing", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["protection_level"] == "skyddad_folkbokforing"


def lower_url(person) -> str:
    return f"/api/v1/persons/{person.pk}/lower-protection/"


def test_issue_8_item_2_api_unit_manager_lowers_and_gets_no_personal_data(setup, django_capture_on_commit_callbacks):
    person = setup["person"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api(setup["manager"]).post(
            lower_url(person), {"protection_level": "none", "reason": REASON, "version": 1}, format="json"
        )
    assert response.status_code == 200
    assert response.json() == {"id": person.pk, "protection_level": "none", "version": 2}
    (entry,) = access_entries(outcome=Outcome.ALLOWED)
    assert entry.flagged and entry.details["reason"] == REASON
    assert len(mail.outbox) == 2


def test_issue_8_item_2_api_reason_is_required(setup):
    response = api(setup["manager"]).post(lower_url(setup["person"]), {"protection_level": "none", "version": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == ["Ange skälet till att skyddet sänks."]


def test_issue_8_item_2_api_officer_lowers(setup):
    officer = f.UserFactory(analyst=True, is_data_protection_officer=True)
    response = api(officer).post(
        lower_url(setup["person"]), {"protection_level": "sekretessmarkering", "reason": REASON, "version": 1}, format="json"
    )
    assert response.status_code == 200


def test_issue_8_item_2_api_coach_gets_403_and_strangers_404(setup):
    person = setup["person"]
    body = {"protection_level": "none", "reason": REASON, "version": 1}
    response = api(setup["coach"]).post(lower_url(person), body, format="json")
    assert response.status_code == 403 and "enhetschefen" in response.json()["detail"]
    stranger = f.UserFactory(unit_manager=True, jobbtorg_unit=f.unit("vasterort"))
    assert api(stranger).post(lower_url(person), body, format="json").status_code == 404
    assert api(stranger).post("/api/v1/persons/999999/lower-protection/", body, format="json").status_code == 404
    assert Person.objects.get(pk=person.pk).protection_level == ProtectionLevel.PROTECTED_REGISTRATION
    assert len(access_entries(outcome=Outcome.REFUSED)) == 3
