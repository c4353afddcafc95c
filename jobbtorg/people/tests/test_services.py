"""people.services: the one write path for Person (issue 2, part 3).

Each rule and each refusal has a test, and every failure checks that nothing
was saved and what the audit log says.
"""

import pytest
from django.db import transaction

from jobbtorg.accounts.models import Role
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.people import services
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.testing.factories import (
    TEST_NUMBERS_FILE,
    ActivityFactory,
    ParticipationFactory,
    PersonFactory,
    ProviderFactory,
    UserFactory,
    district,
    unit,
)

pytestmark = pytest.mark.django_db

# Born in the 1940s: factories hand out 1950+ numbers, so these never collide with them.
NUMBERS = [n for n in TEST_NUMBERS_FILE.read_text().split() if n.startswith("194")]


def person_data(**overrides):
    data = {
        "personnummer": f"{NUMBERS[0][:8]}-{NUMBERS[0][8:]}",
        "first_name": " Amina ",
        "last_name": "Hassan",
        "home_district": district("rinkeby-kista"),
        "street_address": "Rinkebystråket 12",
        "postal_code": "163 55",
        "city": "Spånga",
        "phone": "070-174 06 05",
        "email": "amina.hassan@example.com",
    }
    data.update(overrides)
    return data


def entries(action, outcome=None):
    qs = AuditEntry.objects.filter(action=action)
    return list(qs.filter(outcome=outcome) if outcome else qs)


def field_codes(error: DomainError) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in error.error_dict.items()}


# --- create: who may ----------------------------------------------------------------------------


def test_social_worker_registers_a_resident_of_own_district(actor_of):
    worker = UserFactory(social_worker=True)
    person = services.create_person(worker, actor_of(worker), person_data())
    stored = Person.objects.get(pk=person.pk)
    assert stored.personnummer == NUMBERS[0]
    assert stored.first_name == "Amina"
    assert stored.postal_code == "16355"
    assert stored.version == 1
    [entry] = entries(Action.CREATE)
    assert (entry.person_id, entry.user_id, entry.outcome) == (person.pk, worker.pk, Outcome.ALLOWED)
    assert entry.acting_role == Role.SOCIAL_WORKER
    assert entry.client_address == "10.0.0.7"
    assert NUMBERS[0] not in entry.what and "Amina" not in entry.what


def test_social_worker_may_not_register_in_another_district(actor_of):
    worker = UserFactory(social_worker=True)  # Rinkeby-Kista
    with pytest.raises(AccessDenied):
        services.create_person(worker, actor_of(worker), person_data(home_district=district("bromma")))
    assert not Person.objects.exists()
    [entry] = entries(Action.CREATE)
    assert (entry.outcome, entry.person_id, entry.user_id) == (Outcome.REFUSED, None, worker.pk)
    assert entry.flagged


def test_social_worker_without_district_may_not_register(actor_of):
    worker = UserFactory(role=Role.SOCIAL_WORKER, district=None)
    with pytest.raises(AccessDenied):
        services.create_person(worker, actor_of(worker), person_data())
    assert not Person.objects.exists()


def test_coach_registers_in_any_district(actor_of):
    coach = UserFactory(coach=True)  # Jobbtorg Järva
    person = services.create_person(coach, actor_of(coach), person_data(home_district=district("skarholmen")))
    assert Person.objects.get(pk=person.pk).home_district.code == "skarholmen"
    assert entries(Action.CREATE, Outcome.ALLOWED)[0].person_id == person.pk


@pytest.mark.parametrize(
    "trait", ["sysadmin", "osa_officer", "matcher", "provider_staff", "unit_manager", "analyst", "hr"]
)
def test_other_roles_may_not_register_and_the_refusal_is_audited(actor_of, trait):
    user = UserFactory(**{trait: True})
    with pytest.raises(AccessDenied):
        services.create_person(user, actor_of(user), person_data())
    assert not Person.objects.exists()
    [entry] = entries(Action.CREATE)
    assert entry.outcome == Outcome.REFUSED and entry.user_id == user.pk


def test_inactive_user_may_not_register(actor_of):
    coach = UserFactory(coach=True, is_active=False)
    with pytest.raises(AccessDenied):
        services.create_person(coach, actor_of(coach), person_data())
    assert not Person.objects.exists()


def test_refusal_comes_before_validation_so_nothing_is_revealed(actor_of):
    analyst = UserFactory(analyst=True)
    with pytest.raises(AccessDenied):
        services.create_person(analyst, actor_of(analyst), person_data(personnummer="nonsense"))


# --- create: validation ------------------------------------------------------------------------


def test_ten_digit_personnummer_is_stored_normalised(actor_of):
    coach = UserFactory(coach=True)
    short = f"{NUMBERS[1][2:8]}-{NUMBERS[1][8:]}"
    person = services.create_person(coach, actor_of(coach), person_data(personnummer=short))
    assert Person.objects.get(pk=person.pk).personnummer == NUMBERS[1]


def test_wrong_check_digit_is_a_field_error_and_nothing_is_saved(actor_of):
    coach = UserFactory(coach=True)
    wrong = NUMBERS[0][:11] + str((int(NUMBERS[0][11]) + 1) % 10)
    with pytest.raises(DomainError) as caught:
        services.create_person(coach, actor_of(coach), person_data(personnummer=wrong))
    assert caught.value.message_dict == {"personnummer": ["Kontrollsiffran stämmer inte – kontrollera personnumret."]}
    assert not Person.objects.exists()
    assert entries(Action.CREATE) == []


def test_duplicate_personnummer_is_refused_in_any_form(actor_of):
    coach = UserFactory(coach=True)
    PersonFactory(personnummer=NUMBERS[0])
    for form in (NUMBERS[0], f"{NUMBERS[0][2:8]}-{NUMBERS[0][8:]}", f"{NUMBERS[0][:8]} {NUMBERS[0][8:]}"):
        with pytest.raises(DomainError) as caught:
            services.create_person(coach, actor_of(coach), person_data(personnummer=form))
        assert caught.value.message_dict == {"personnummer": ["Det finns redan en person med det personnumret"]}
    assert Person.objects.count() == 1


def test_a_race_on_the_unique_index_becomes_the_duplicate_message(actor_of, monkeypatch):
    coach = UserFactory(coach=True)
    PersonFactory(personnummer=NUMBERS[0])
    # Simulate another request registering the number between our check and our insert.
    monkeypatch.setattr(services.Person.objects, "filter", lambda *a, **k: Person.objects.none())
    with pytest.raises(DomainError) as caught, transaction.atomic():
        services.create_person(coach, actor_of(coach), person_data())
    assert field_codes(caught.value) == {"personnummer": ["duplicate"]}


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_first_and_last_name_are_required(actor_of, blank):
    coach = UserFactory(coach=True)
    with pytest.raises(DomainError) as caught:
        services.create_person(coach, actor_of(coach), person_data(first_name=blank, last_name=blank))
    assert caught.value.message_dict == {"first_name": ["Ange förnamn."], "last_name": ["Ange efternamn."]}
    assert not Person.objects.exists()


def test_all_required_fields_are_reported_at_once(actor_of):
    coach = UserFactory(coach=True)
    with pytest.raises(DomainError) as caught:
        services.create_person(coach, actor_of(coach), {})
    assert field_codes(caught.value) == {
        "personnummer": ["required"],
        "first_name": ["required"],
        "last_name": ["required"],
        "home_district": ["required"],
    }


def test_home_district_must_exist(actor_of):
    coach = UserFactory(coach=True)
    with pytest.raises(DomainError) as caught:
        services.create_person(coach, actor_of(coach), person_data(home_district=987654))
    assert caught.value.message_dict == {"home_district": ["Stadsdelen finns inte – välj en i listan."]}


def test_home_district_must_be_valid_today(actor_of):
    coach = UserFactory(coach=True)
    closed = district("hagersten-liljeholmen")  # merged into Hägersten-Älvsjö 2020
    with pytest.raises(DomainError) as caught:
        services.create_person(coach, actor_of(coach), person_data(home_district=closed.pk))
    assert field_codes(caught.value) == {"home_district": ["invalid"]}
    assert not Person.objects.exists()


def test_home_district_may_be_given_as_an_id(actor_of):
    coach = UserFactory(coach=True)
    person = services.create_person(coach, actor_of(coach), person_data(home_district=str(district("farsta").pk)))
    assert person.home_district.code == "farsta"


def test_postal_code_email_and_protection_level_are_checked(actor_of):
    coach = UserFactory(coach=True)
    with pytest.raises(DomainError) as caught:
        services.create_person(
            coach, actor_of(coach), person_data(postal_code="1635", email="inte-en-adress", protection_level="hemlig")
        )
    assert field_codes(caught.value) == {
        "postal_code": ["invalid"],
        "email": ["invalid"],
        "protection_level": ["invalid"],
    }


def test_over_long_text_is_a_field_error(actor_of):
    coach = UserFactory(coach=True)
    with pytest.raises(DomainError) as caught:
        services.create_person(coach, actor_of(coach), person_data(first_name="A" * 101))
    assert field_codes(caught.value) == {"first_name": ["max_length"]}


def test_unknown_fields_are_a_programming_error(actor_of):
    coach = UserFactory(coach=True)
    with pytest.raises(TypeError):
        services.create_person(coach, actor_of(coach), person_data(version=3))


def test_if_the_audit_entry_fails_the_person_is_not_saved(actor_of, monkeypatch):
    coach = UserFactory(coach=True)

    def broken_record(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "record", broken_record)
    with pytest.raises(RuntimeError):
        services.create_person(coach, actor_of(coach), person_data())
    assert not Person.objects.exists()


def test_registering_a_protected_person_names_the_registrar(actor_of):
    worker = UserFactory(social_worker=True)
    data = person_data(protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
    person = services.create_person(worker, actor_of(worker), data)
    assert list(person.contact_grants.all()) == [worker]
    [entry] = entries(Action.CREATE)
    assert entry.flagged  # every access to a protected identity is flagged for review


def test_registering_an_unprotected_person_names_nobody(actor_of):
    worker = UserFactory(social_worker=True)
    person = services.create_person(worker, actor_of(worker), person_data())
    assert not person.contact_grants.exists()
    assert not entries(Action.CREATE)[0].flagged


# --- update ------------------------------------------------------------------------------------


@pytest.fixture
def coach_and_person():
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(enrolled=True, coach=coach, person__personnummer=NUMBERS[2])
    return coach, Person.objects.get(pk=participation.person_id)


def test_coach_changes_a_caseload_person_and_the_version_moves_on(actor_of, coach_and_person):
    coach, person = coach_and_person
    updated = services.update_person(coach, actor_of(coach), person, {"last_name": " Yusuf  Ali "}, expected_version=1)
    stored = Person.objects.get(pk=person.pk)
    assert (stored.last_name, stored.version, updated.version) == ("Yusuf Ali", 2, 2)
    assert stored.first_name == person.first_name  # only the given field is touched
    [entry] = entries(Action.CHANGE)
    assert (entry.person_id, entry.outcome) == (person.pk, Outcome.ALLOWED)
    assert "last_name" in entry.what and "Yusuf" not in entry.what


def test_a_stale_version_is_a_conflict_and_nothing_changes(actor_of, coach_and_person):
    coach, person = coach_and_person
    services.update_person(coach, actor_of(coach), Person.objects.get(pk=person.pk), {"city": "Spånga"}, 1)
    with pytest.raises(ConflictError) as caught:
        services.update_person(coach, actor_of(coach), person, {"last_name": "Annat"}, expected_version=1)
    assert "Någon annan har ändrat" in caught.value.messages[0]
    stored = Person.objects.get(pk=person.pk)
    assert (stored.last_name, stored.city, stored.version) == (person.last_name, "Spånga", 2)
    assert person.last_name != "Annat"  # the caller's object is put back too
    assert len(entries(Action.CHANGE)) == 1


def test_update_without_a_relation_is_refused_and_audited(actor_of, coach_and_person):
    _, person = coach_and_person
    other_coach = UserFactory(role=Role.COACH, jobbtorg_unit=unit("sydost"))
    with pytest.raises(AccessDenied):
        services.update_person(other_coach, actor_of(other_coach), person, {"last_name": "X"}, 1)
    assert Person.objects.get(pk=person.pk).version == 1
    [entry] = entries(Action.CHANGE)
    assert (entry.outcome, entry.person_id, entry.user_id) == (Outcome.REFUSED, person.pk, other_coach.pk)


def test_social_worker_of_another_district_may_not_change(actor_of, coach_and_person):
    _, person = coach_and_person
    worker = UserFactory(role=Role.SOCIAL_WORKER, district=district("bromma"))
    with pytest.raises(AccessDenied):
        services.update_person(worker, actor_of(worker), person, {"first_name": "X"}, 1)
    assert entries(Action.CHANGE, Outcome.REFUSED)


def test_social_worker_of_the_home_district_may_change(actor_of, coach_and_person):
    _, person = coach_and_person
    worker = UserFactory(social_worker=True)
    services.update_person(worker, actor_of(worker), person, {"phone": "070-174 06 06"}, 1)
    assert Person.objects.get(pk=person.pk).phone == "070-174 06 06"


def test_provider_staff_with_a_relation_still_may_not_change(actor_of):
    provider = ProviderFactory()
    staff = UserFactory(provider_staff=True, provider=provider)
    activity = ActivityFactory(provider=provider, participation__person__personnummer=NUMBERS[3])
    person = activity.participation.person
    with pytest.raises(AccessDenied):
        services.update_person(staff, actor_of(staff), person, {"first_name": "X"}, 1)
    assert Person.objects.get(pk=person.pk).first_name != "X"
    assert entries(Action.CHANGE, Outcome.REFUSED)


def test_update_validates_like_create(actor_of, coach_and_person):
    coach, person = coach_and_person
    with pytest.raises(DomainError) as caught:
        services.update_person(
            coach, actor_of(coach), person, {"first_name": "", "personnummer": "19990229-0000"}, 1
        )
    assert field_codes(caught.value) == {"first_name": ["required"], "personnummer": ["date"]}
    assert Person.objects.get(pk=person.pk).version == 1
    assert entries(Action.CHANGE) == []


def test_update_to_another_persons_number_is_a_duplicate(actor_of, coach_and_person):
    coach, person = coach_and_person
    PersonFactory(personnummer=NUMBERS[4])
    with pytest.raises(DomainError) as caught:
        services.update_person(coach, actor_of(coach), person, {"personnummer": NUMBERS[4]}, 1)
    assert caught.value.message_dict == {"personnummer": ["Det finns redan en person med det personnumret"]}


def test_update_may_correct_the_personnummer(actor_of, coach_and_person):
    coach, person = coach_and_person
    services.update_person(coach, actor_of(coach), person, {"personnummer": f"{NUMBERS[5][2:8]}-{NUMBERS[5][8:]}"}, 1)
    assert Person.objects.get(pk=person.pk).personnummer == NUMBERS[5]


def test_keeping_the_own_personnummer_is_not_a_duplicate(actor_of, coach_and_person):
    coach, person = coach_and_person
    services.update_person(coach, actor_of(coach), person, {"personnummer": person.personnummer, "city": "Spånga"}, 1)
    assert Person.objects.get(pk=person.pk).city == "Spånga"


def test_an_update_that_changes_nothing_writes_nothing(actor_of, coach_and_person):
    coach, person = coach_and_person
    services.update_person(coach, actor_of(coach), person, {"first_name": person.first_name}, 1)
    assert Person.objects.get(pk=person.pk).version == 1
    assert entries(Action.CHANGE) == []


def test_home_district_change_must_be_to_a_district_valid_today(actor_of, coach_and_person):
    coach, person = coach_and_person
    with pytest.raises(DomainError) as caught:
        services.update_person(coach, actor_of(coach), person, {"home_district": district("alvsjo")}, 1)
    assert field_codes(caught.value) == {"home_district": ["invalid"]}
    services.update_person(coach, actor_of(coach), person, {"home_district": district("spanga-tensta")}, 1)
    assert Person.objects.get(pk=person.pk).home_district.code == "spanga-tensta"


def test_protected_contact_details_can_be_changed_only_by_named_staff(actor_of):
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(enrolled=True, coach=coach, person__personnummer=NUMBERS[6], person__protected=True)
    person = participation.person
    with pytest.raises(DomainError) as caught:
        services.update_person(coach, actor_of(coach), person, {"street_address": "Ny gata 1"}, 1)
    assert field_codes(caught.value) == {"street_address": ["protected"]}
    assert Person.objects.get(pk=person.pk).street_address == "Testgatan 1"
    # Names are not contact details: the coach of the participation may correct them.
    services.update_person(coach, actor_of(coach), person, {"first_name": "Samira"}, 1)
    assert entries(Action.CHANGE)[0].flagged

    person.contact_grants.add(coach)
    services.update_person(coach, actor_of(coach), Person.objects.get(pk=person.pk), {"street_address": "Ny gata 1"}, 2)
    assert Person.objects.get(pk=person.pk).street_address == "Ny gata 1"


def test_marking_a_person_protected_names_the_editor_and_flags_the_entry(actor_of, coach_and_person):
    _, person = coach_and_person
    worker = UserFactory(social_worker=True)
    services.update_person(
        worker, actor_of(worker), person, {"protection_level": ProtectionLevel.CONFIDENTIALITY_MARKING}, 1
    )
    assert list(Person.objects.get(pk=person.pk).contact_grants.all()) == [worker]
    assert entries(Action.CHANGE)[0].flagged
