"""The admin (DOMAIN §1 systemförvaltare, §2, §5): organisation, catalogue and users,
used only by the system administrator; persons are never in it."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.models import Activity, CatalogueItem
from jobbtorg.audit.models import AuditEntry
from jobbtorg.organisation.models import AFUnit, District, Employer, EmployerContact, JobbtorgUnit, Provider, ServiceArea
from jobbtorg.participations.models import Participation
from jobbtorg.people.models import Person
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
ADMIN_MODELS = [District, JobbtorgUnit, AFUnit, Provider, Employer, CatalogueItem, User]


def _login(client, user):
    user.save(update_fields=["password"])  # UserFactory does not save after set_password
    client.force_login(user)


@pytest.fixture
def sysadmin(client):
    user = f.UserFactory(role=Role.SYSADMIN, is_staff=True, is_superuser=False)
    _login(client, user)
    return user


def _url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _an_instance(model):
    if model is User:
        return f.UserFactory(coach=True)
    if model is Employer:
        return f.EmployerContactFactory().employer
    if model is CatalogueItem:
        return f.CatalogueItemFactory()
    return model.objects.first() or f.ProviderFactory()


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_sysadmin_can_list_add_and_change_each_kind_of_data(client, sysadmin, model):
    obj = _an_instance(model)

    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "add")).status_code == 200
    assert client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSADMIN])
def test_no_other_role_uses_the_admin_even_as_staff_superuser(client, role):
    user = f.UserFactory(role=role, is_staff=True, is_superuser=True)
    _login(client, user)

    for model in ADMIN_MODELS:
        assert client.get(_url(model, "changelist")).status_code == 403, model
    assert "Stadsdelar" not in client.get(reverse("admin:index")).content.decode()


def test_sysadmin_without_staff_flag_is_sent_to_the_admin_login(client):
    user = f.UserFactory(role=Role.SYSADMIN, is_staff=False)
    _login(client, user)

    response = client.get(_url(District, "changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("model", [Person, Participation, Activity, AuditEntry], ids=lambda m: m.__name__)
def test_persons_and_what_reveals_them_are_not_in_the_admin(model):
    # Persons are reached only through the access rules (and every look is logged).
    assert not admin.site.is_registered(model)


def test_admin_is_in_swedish(client, sysadmin):
    page = client.get(reverse("admin:index")).content.decode()

    assert "Jobbtorg – systemförvaltning" in page
    assert "Stadsdelar" in page and "Utbud" in page and "Användare" in page


# --- service areas on the district and the unit page ---------------------------------


def _district_post(district, rows, initial):
    data = {
        "code": district.code,
        "name": district.name,
        "kind": district.kind,
        "population": district.population,
        "valid_from": district.valid_from.isoformat(),
        "valid_to": "",
        "service_areas-TOTAL_FORMS": str(len(rows)),
        "service_areas-INITIAL_FORMS": str(initial),
        "service_areas-MIN_NUM_FORMS": "0",
        "service_areas-MAX_NUM_FORMS": "1000",
        "_save": "Spara",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"service_areas-{i}-{key}"] = value
        data[f"service_areas-{i}-district"] = str(district.pk)
    return data


def test_ending_a_period_and_starting_the_next_is_one_save(client, sysadmin):
    bromma = District.objects.get(code="bromma")
    current = ServiceArea.objects.get(district=bromma)
    rows = [
        {"id": str(current.pk), "unit": str(current.unit_id), "valid_from": "2008-01-01", "valid_to": "2026-06-30"},
        {"id": "", "unit": str(f.unit("jarva").pk), "valid_from": "2026-07-01", "valid_to": ""},
    ]

    response = client.post(_url(District, "change", bromma.pk), _district_post(bromma, rows, initial=1))

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    periods = list(ServiceArea.objects.filter(district=bromma).order_by("valid_from").values_list("unit__code", "valid_to"))
    assert periods == [("vasterort", D(2026, 6, 30)), ("jarva", None)]


def test_two_new_overlapping_periods_are_refused_with_a_swedish_message(client, sysadmin):
    bromma = District.objects.get(code="bromma")
    current = ServiceArea.objects.get(district=bromma)
    rows = [
        {"id": str(current.pk), "unit": str(current.unit_id), "valid_from": "2008-01-01", "valid_to": "2026-06-30"},
        {"id": "", "unit": str(f.unit("jarva").pk), "valid_from": "2026-07-01", "valid_to": ""},
        {"id": "", "unit": str(f.unit("sydost").pk), "valid_from": "2027-01-01", "valid_to": ""},
    ]

    response = client.post(_url(District, "change", bromma.pk), _district_post(bromma, rows, initial=1))

    assert response.status_code == 200
    assert "Perioden överlappar Jobbtorg Järva för samma stadsdel" in response.content.decode()
    assert ServiceArea.objects.filter(district=bromma).count() == 1
    assert ServiceArea.objects.get(district=bromma).valid_to is None  # nothing saved


def test_a_new_period_overlapping_the_stored_one_is_refused(client, sysadmin):
    bromma = District.objects.get(code="bromma")
    current = ServiceArea.objects.get(district=bromma)
    rows = [
        {"id": str(current.pk), "unit": str(current.unit_id), "valid_from": "2008-01-01", "valid_to": ""},
        {"id": "", "unit": str(f.unit("jarva").pk), "valid_from": "2026-07-01", "valid_to": ""},
    ]

    response = client.post(_url(District, "change", bromma.pk), _district_post(bromma, rows, initial=1))

    assert response.status_code == 200
    assert "Perioden överlappar" in response.content.decode()


def test_unit_page_refuses_a_district_already_served_by_another_unit(client, sysadmin):
    jarva = JobbtorgUnit.objects.get(code="jarva")
    existing = list(ServiceArea.objects.filter(unit=jarva).order_by("pk"))
    bromma = District.objects.get(code="bromma")  # served by Västerort, not on this page
    data = {
        "code": jarva.code,
        "name": jarva.name,
        "location": jarva.location,
        "specialisation": jarva.specialisation,
        "valid_from": jarva.valid_from.isoformat(),
        "valid_to": "",
        "service_areas-TOTAL_FORMS": str(len(existing) + 1),
        "service_areas-INITIAL_FORMS": str(len(existing)),
        "service_areas-MIN_NUM_FORMS": "0",
        "service_areas-MAX_NUM_FORMS": "1000",
    }
    for i, area in enumerate(existing):
        data.update(
            {
                f"service_areas-{i}-id": str(area.pk),
                f"service_areas-{i}-unit": str(jarva.pk),
                f"service_areas-{i}-district": str(area.district_id),
                f"service_areas-{i}-valid_from": area.valid_from.isoformat(),
                f"service_areas-{i}-valid_to": "",
            }
        )
    n = len(existing)
    data.update(
        {
            f"service_areas-{n}-id": "",
            f"service_areas-{n}-unit": str(jarva.pk),
            f"service_areas-{n}-district": str(bromma.pk),
            f"service_areas-{n}-valid_from": "2030-01-01",
            f"service_areas-{n}-valid_to": "",
        }
    )

    response = client.post(_url(JobbtorgUnit, "change", jarva.pk), data)

    assert response.status_code == 200
    assert "Perioden överlappar Jobbtorg Västerort för samma stadsdel" in response.content.decode()
    assert not ServiceArea.objects.filter(unit=jarva, district=bromma).exists()


# --- employers with contacts ----------------------------------------------------------


def test_employer_is_added_with_its_contacts(client, sysadmin):
    data = {
        "name": "Bageriet i Kista AB",
        "kind": Employer.Kind.COMPANY,
        "org_number": "556677-8899",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Eva Handledare",
        "contacts-0-title": "Platschef",
        "contacts-0-email": "eva@example.se",
        "contacts-0-phone": "08-123 45 67",
        "contacts-0-is_supervisor": "on",
    }

    response = client.post(_url(Employer, "add"), data)

    assert response.status_code == 302
    contact = EmployerContact.objects.get(employer__name="Bageriet i Kista AB")
    assert contact.is_supervisor and contact.name == "Eva Handledare"


# --- users: role and unit belong together --------------------------------------------


def _user_post(**fields):
    data = {
        "username": "ny.coach",
        "usable_password": "true",
        "password1": "ett-långt-lösenord-2026",
        "password2": "ett-långt-lösenord-2026",
        "first_name": "Ny",
        "last_name": "Coach",
        "email": "ny.coach@example.se",
        "role": Role.COACH,
        "jobbtorg_unit": "",
        "district": "",
        "provider": "",
    }
    data.update(fields)
    return data


def test_user_with_a_role_gets_the_matching_unit(client, sysadmin):
    response = client.post(_url(User, "add"), _user_post(jobbtorg_unit=str(f.unit("jarva").pk)))

    assert response.status_code == 302
    user = User.objects.get(username="ny.coach")
    assert (user.role, user.jobbtorg_unit.code) == (Role.COACH, "jarva")
    assert user.check_password("ett-långt-lösenord-2026")


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        (Role.COACH, "jobbtorg_unit", "Välj det jobbtorg som användaren arbetar på."),
        (Role.UNIT_MANAGER, "jobbtorg_unit", "Välj det jobbtorg som användaren arbetar på."),
        (Role.SOCIAL_WORKER, "district", "Välj den stadsdel som användaren arbetar i."),
        (Role.OSA_OFFICER, "district", "Välj den stadsdel som användaren arbetar i."),
        (Role.PROVIDER_STAFF, "provider", "Välj den anordnare som användaren arbetar hos."),
    ],
)
def test_a_role_without_its_unit_is_refused(client, sysadmin, role, field, message):
    response = client.post(_url(User, "add"), _user_post(role=role))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="ny.coach").exists()


def test_a_unit_that_does_not_fit_the_role_is_refused(client, sysadmin):
    response = client.post(
        _url(User, "add"), _user_post(jobbtorg_unit=str(f.unit("jarva").pk), district=str(f.district("bromma").pk))
    )

    assert response.status_code == 200
    assert "Lämna fältet tomt" in response.content.decode()


def test_a_new_system_administrator_can_use_the_admin_at_once(client, sysadmin):
    client.post(_url(User, "add"), _user_post(username="ny.admin", role=Role.SYSADMIN))

    assert User.objects.get(username="ny.admin").is_staff


def test_user_list_runs_a_constant_number_of_queries(client, sysadmin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.UserFactory.create_batch(3, coach=True)
    with CaptureQueriesContext(connection) as few:
        client.get(_url(User, "changelist"))
    f.UserFactory.create_batch(20, social_worker=True)
    f.UserFactory.create_batch(7, provider_staff=True)
    with CaptureQueriesContext(connection) as many:
        client.get(_url(User, "changelist"))

    assert len(few) == len(many)
