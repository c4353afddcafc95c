"""PersonForm: parses input for the UI and hands clean data to people.services."""

import pytest
from django.utils import translation

from jobbtorg.core.errors import DomainError
from jobbtorg.people import services
from jobbtorg.people.forms import PersonForm
from jobbtorg.people.models import Person
from jobbtorg.testing.factories import TEST_NUMBERS_FILE, PersonFactory, UserFactory, district

pytestmark = pytest.mark.django_db

NUMBERS = [n for n in TEST_NUMBERS_FILE.read_text().split() if n.startswith("194")]


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def form_data(**overrides):
    data = {
        "personnummer": f"{NUMBERS[10][2:8]}-{NUMBERS[10][8:]}",
        "first_name": "Hodan",
        "last_name": "Warsame",
        "home_district": str(district("rinkeby-kista").pk),
        "street_address": "Kistagången 4",
        "postal_code": "164 40",
        "city": "Kista",
        "phone": "",
        "email": "",
        "protection_level": "none",
    }
    data.update(overrides)
    return data


def test_clean_personnummer_normalises_any_common_form():
    form = PersonForm(data=form_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["personnummer"] == NUMBERS[10]
    assert form.cleaned_data["postal_code"] == "16440"


def test_clean_personnummer_gives_the_modules_swedish_message():
    wrong = NUMBERS[10][:11] + str((int(NUMBERS[10][11]) + 3) % 10)
    form = PersonForm(data=form_data(personnummer=wrong))
    assert not form.is_valid()
    assert form.errors["personnummer"] == ["Kontrollsiffran stämmer inte – kontrollera personnumret."]


def test_missing_personnummer_and_names_have_swedish_messages():
    form = PersonForm(data=form_data(personnummer="", first_name="", last_name=""))
    assert not form.is_valid()
    assert form.errors["personnummer"] == ["Ange personnummer eller samordningsnummer."]
    assert form.errors["first_name"] == ["Ange förnamn."]
    assert form.errors["last_name"] == ["Ange efternamn."]


def test_duplicate_personnummer_is_reported_on_the_field():
    PersonFactory(personnummer=NUMBERS[10])
    form = PersonForm(data=form_data())
    assert not form.is_valid()
    assert form.errors["personnummer"] == ["Det finns redan en person med det personnumret"]


def test_only_districts_valid_today_can_be_chosen():
    codes = set(PersonForm().fields["home_district"].queryset.values_list("code", flat=True))
    assert "hagersten-alvsjo" in codes and "enheten-for-hemlosa" in codes
    assert not codes & {"hagersten-liljeholmen", "alvsjo"}
    form = PersonForm(data=form_data(home_district=str(district("alvsjo").pk)))
    assert not form.is_valid()
    assert form.errors["home_district"] == ["Välj en av dagens stadsdelar."]


def test_postal_code_must_have_five_digits():
    form = PersonForm(data=form_data(postal_code="16 4"))
    assert not form.is_valid()
    assert form.errors["postal_code"] == ["Ange postnumret med fem siffror, till exempel 163 55."]


def test_editing_does_not_touch_the_person_until_the_service_saves(actor_of):
    person = PersonFactory(personnummer=NUMBERS[11], first_name="Erik")
    form = PersonForm(data=form_data(personnummer=NUMBERS[11], first_name="Eric"), instance=person)
    assert form.is_valid(), form.errors
    assert person.first_name == "Erik"
    assert form.fields["version"].initial == 1
    assert form.fields["personnummer"].initial == f"{NUMBERS[11][:8]}-{NUMBERS[11][8:]}"


def test_service_data_feeds_create_person(actor_of):
    worker = UserFactory(social_worker=True)
    form = PersonForm(data=form_data())
    assert form.is_valid(), form.errors
    assert "version" not in form.service_data()
    person = services.create_person(worker, actor_of(worker), form.service_data())
    assert Person.objects.get(pk=person.pk).personnummer == NUMBERS[10]


def test_domain_errors_from_the_service_land_on_their_fields(actor_of):
    worker = UserFactory(social_worker=True)
    form = PersonForm(data=form_data())
    assert form.is_valid()
    PersonFactory(personnummer=NUMBERS[10])  # registered by someone else after the form was checked
    with pytest.raises(DomainError) as caught:
        services.create_person(worker, actor_of(worker), form.service_data())
    form.add_domain_error(caught.value)
    assert form.errors["personnummer"] == ["Det finns redan en person med det personnumret"]
    assert "personnummer" not in form.cleaned_data  # add_error drops the field from cleaned_data


def test_contact_fields_can_be_left_out_for_staff_not_named_on_a_protected_person():
    form = PersonForm(contact_details=False)
    assert not {"street_address", "postal_code", "city", "phone", "email"} & set(form.fields)
    assert "first_name" in form.fields
