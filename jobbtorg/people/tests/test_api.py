"""Persons through the API: scoped lists, logged reads, writes through people.services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jobbtorg.accounts.tests.helpers import api_key_for
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"
# Skatteverket test numbers (../shared/data/testpersonnummer), never real people.
NEW_NUMBER = "19811218-9876"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


@pytest.fixture
def coach():
    return f.UserFactory(coach=True)


@pytest.fixture
def api(coach):
    return client_for(coach)


def caseload(coach, n=1, **person_kwargs):
    people = []
    for _ in range(n):
        person = f.PersonFactory(**person_kwargs)
        f.ParticipationFactory(person=person, coach=coach, enrolled=True)
        people.append(person)
    return people


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def url(person_or_id) -> str:
    pk = getattr(person_or_id, "pk", person_or_id)
    return f"{URL}{pk}/"


# --- list and search -------------------------------------------------------------------


def test_list_shows_only_visible_persons_and_logs_each(api, coach):
    mine = caseload(coach, 3)
    f.PersonFactory()  # no relation to the coach
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {p["id"] for p in body["results"]} == {p.pk for p in mine}
    logged = entries(user_id=coach.pk, action=Action.LIST)
    assert sorted(e.person_id for e in logged) == sorted(p.pk for p in mine)
    assert all(e.outcome == Outcome.ALLOWED and e.what.startswith("API GET /api/v1/persons/") for e in logged)


def test_list_logs_only_the_page_shown(api, coach):
    caseload(coach, 5)
    body = api.get(URL + "?limit=2&offset=1").json()
    assert body["count"] == 5 and len(body["results"]) == 2
    logged = entries(user_id=coach.pk, action=Action.LIST)
    assert [e.person_id for e in logged] == [p["id"] for p in body["results"]]


def test_list_row_has_identity_but_no_contact_details(api, coach):
    [person] = caseload(coach)
    [row] = api.get(URL).json()["results"]
    assert row["personnummer"] == person.personnummer
    assert row["personnummer_display"] == f"{person.personnummer[:8]}-{person.personnummer[8:]}"
    assert row["age"] == person.age
    assert row["home_district_name"] == person.home_district.name
    assert row["protection_level"] == ProtectionLevel.NONE
    assert "phone" not in row and "street_address" not in row and "email" not in row


def test_search_by_personnummer_in_any_form_logs_search(api, coach):
    target, other = caseload(coach, 2)
    ten_digits = f"{target.personnummer[2:8]}-{target.personnummer[8:]}"
    body = api.get(URL, {"q": ten_digits}).json()
    assert [p["id"] for p in body["results"]] == [target.pk]
    logged = entries(user_id=coach.pk, action=Action.SEARCH)
    assert [e.person_id for e in logged] == [target.pk]
    # The search term (a personnummer) is not copied into the log.
    assert target.personnummer[2:8] not in logged[0].what


def test_search_by_name(api, coach):
    caseload(coach, 1, first_name="Zelda", last_name="Östlund")
    caseload(coach, 1, first_name="Amina", last_name="Hassan")
    body = api.get(URL, {"q": "zel"}).json()
    assert [p["first_name"] for p in body["results"]] == ["Zelda"]


def test_search_does_not_reach_outside_the_scope(api, coach):
    stranger = f.PersonFactory()
    body = api.get(URL, {"q": stranger.personnummer}).json()
    assert body["count"] == 0
    assert not entries(person_id=stranger.pk)


@pytest.mark.parametrize(
    ("q", "fragment"),
    [("19811218-9877", "kontrollsiffra"), ("1981", "siffror"), ("a", "minst två")],
)
def test_bad_search_is_400_in_swedish(api, q, fragment):
    response = api.get(URL, {"q": q})
    assert response.status_code == 400
    assert fragment in " ".join(response.json()["q"]).lower()


@pytest.mark.parametrize("role", ["analyst", "hr", "sysadmin"])
def test_roles_without_person_access_get_an_empty_list_and_404(role, coach):
    [person] = caseload(coach)
    user = f.UserFactory(**{role: True})
    client = client_for(user)
    assert client.get(URL).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert client.get(URL, {"q": person.personnummer}).json()["count"] == 0
    response = client.get(url(person))
    assert response.status_code == 404
    assert "Amina" not in response.content.decode() and person.personnummer not in response.content.decode()
    [entry] = entries(user_id=user.pk)
    assert (entry.action, entry.outcome, entry.person_id) == (Action.READ, Outcome.REFUSED, person.pk)


def test_protected_person_is_not_listed_through_a_unit_relation(coach):
    manager = f.UserFactory(unit_manager=True)  # the unit relation (issue 8 item 6: coaches have none)
    caseload(coach, 1, protected=True)  # same unit: wide relation only
    [plain] = caseload(coach, 1)
    assert [p["id"] for p in client_for(manager).get(URL).json()["results"]] == [plain.pk]


def test_list_query_count_is_constant_in_rows(api, coach):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL + "?limit=100").status_code == 200
        return len(ctx)

    caseload(coach, 3)
    few = count_queries()
    caseload(coach, 27, protected=False)
    many = count_queries()
    assert AuditEntry.objects.filter(action=Action.LIST).count() == 3 + 30
    assert few == many


def test_search_query_count_is_constant_in_rows(api, coach):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL, {"q": "Testperson", "limit": 100}).status_code == 200
        return len(ctx)

    caseload(coach, 3, last_name="Testperson")
    few = count_queries()
    caseload(coach, 27, last_name="Testperson")
    many = count_queries()
    assert few == many


# --- retrieve ----------------------------------------------------------------------------


def test_retrieve_allowed_shows_contact_details_and_logs_read(api, coach):
    [person] = caseload(coach)
    response = api.get(url(person))
    assert response.status_code == 200
    body = response.json()
    assert body["phone"] == person.phone and body["street_address"] == person.street_address
    assert body["contact_details_hidden"] is False
    assert body["version"] == person.version
    [entry] = entries(user_id=coach.pk)
    assert (entry.action, entry.outcome, entry.person_id, entry.flagged) == (Action.READ, Outcome.ALLOWED, person.pk, False)
    assert entry.client_address == "127.0.0.1"


def test_retrieve_refused_is_the_same_404_as_a_missing_person_and_is_logged(api, coach):
    stranger = f.PersonFactory()
    refused = api.get(url(stranger))
    missing = api.get(url(10**12))
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json() == {"detail": "Hittades inte."}
    first, second = entries(user_id=coach.pk)
    assert (first.action, first.outcome, first.person_id, first.flagged) == (Action.READ, Outcome.REFUSED, stranger.pk, True)
    assert (second.outcome, second.person_id) == (Outcome.REFUSED, None)


def test_protected_person_contact_details_only_for_named_staff(coach):
    [person] = caseload(coach, protected=True)
    unnamed = client_for(coach).get(url(person)).json()
    assert unnamed["is_protected"] is True
    assert unnamed["contact_details_hidden"] is True
    assert all(unnamed[name] is None for name in ("street_address", "postal_code", "city", "phone", "email"))
    person.contact_grants.add(coach)
    named = client_for(coach).get(url(person)).json()
    assert named["phone"] == person.phone
    assert all(e.flagged for e in entries(person_id=person.pk))


def test_anonymous_gets_401_and_nothing(coach):
    [person] = caseload(coach)
    assert APIClient().get(URL).status_code == 401
    assert APIClient().get(url(person)).status_code == 401
    assert not entries(person_id=person.pk)


def test_session_login_works_too(coach):
    [person] = caseload(coach)
    client = APIClient()
    client.force_login(coach)
    assert client.get(url(person)).status_code == 200


# --- create ------------------------------------------------------------------------------


def new_person_payload(**overrides):
    data = {
        "personnummer": NEW_NUMBER,
        "first_name": "Nora",
        "last_name": "Lind",
        "home_district": f.district("rinkeby-kista").pk,
        "street_address": "Kistagången 1",
        "postal_code": "16440",
        "city": "Kista",
        "phone": "070-000 00 00",
        "email": "nora@example.se",
    }
    data.update(overrides)
    return data


def test_create_registers_normalised_and_logs(api, coach):
    response = api.post(URL, new_person_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.personnummer == body["personnummer"] == "198112189876"
    assert body["personnummer_display"] == "19811218-9876"
    [entry] = entries(user_id=coach.pk, action=Action.CREATE)
    assert (entry.outcome, entry.person_id) == (Outcome.ALLOWED, person.pk)
    assert entry.what.startswith("API POST /api/v1/persons/")


def test_create_bad_personnummer_is_a_swedish_field_error(api):
    response = api.post(URL, new_person_payload(personnummer="19811218-9877"), format="json")
    assert response.status_code == 400
    assert "kontrollsiffra" in " ".join(response.json()["personnummer"]).lower()
    assert not Person.objects.filter(first_name="Nora").exists()


def test_create_duplicate_is_400(api):
    assert api.post(URL, new_person_payload(), format="json").status_code == 201
    again = api.post(URL, new_person_payload(personnummer="811218-9876"), format="json")
    assert again.status_code == 400
    assert "redan" in " ".join(again.json()["personnummer"])


def test_create_refused_for_a_role_that_does_not_keep_the_registry():
    matcher = f.UserFactory(matcher=True)
    response = client_for(matcher).post(URL, new_person_payload(), format="json")
    assert response.status_code == 403
    assert "behörighet" in response.json()["detail"]
    [entry] = entries(user_id=matcher.pk)
    assert (entry.action, entry.outcome) == (Action.CREATE, Outcome.REFUSED)
    assert not Person.objects.filter(personnummer="198112189876").exists()


# --- update ------------------------------------------------------------------------------


def test_patch_changes_bumps_version_and_logs(api, coach):
    [person] = caseload(coach)
    response = api.patch(url(person), {"version": person.version, "phone": "08-111 222"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == "08-111 222"
    assert response.json()["version"] == person.version + 1
    person.refresh_from_db()
    assert person.phone == "08-111 222"
    [entry] = entries(user_id=coach.pk, action=Action.CHANGE)
    assert (entry.outcome, entry.person_id) == (Outcome.ALLOWED, person.pk)
    assert "phone" in entry.what and "08-111" not in entry.what


def test_patch_with_a_stale_version_is_409_in_swedish(api, coach):
    [person] = caseload(coach)
    assert api.patch(url(person), {"version": 1, "city": "Tensta"}, format="json").status_code == 200
    stale = api.patch(url(person), {"version": 1, "city": "Husby"}, format="json")
    assert stale.status_code == 409
    assert "Någon annan har ändrat" in stale.json()["detail"]
    person.refresh_from_db()
    assert person.city == "Tensta"


def test_patch_without_version_is_400(api, coach):
    [person] = caseload(coach)
    response = api.patch(url(person), {"city": "Husby"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_patch_refused_and_missing_are_404_and_logged(api, coach):
    stranger = f.PersonFactory()
    refused = api.patch(url(stranger), {"version": 1, "city": "Husby"}, format="json")
    missing = api.patch(url(10**12), {"version": 1, "city": "Husby"}, format="json")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    first, second = entries(user_id=coach.pk)
    assert (first.action, first.outcome, first.person_id) == (Action.CHANGE, Outcome.REFUSED, stranger.pk)
    assert (second.action, second.outcome, second.person_id) == (Action.CHANGE, Outcome.REFUSED, None)
    stranger.refresh_from_db()
    assert stranger.city != "Husby"


def test_put_and_delete_are_not_offered(api, coach):
    [person] = caseload(coach)
    assert api.put(url(person), new_person_payload(version=1), format="json").status_code == 405
    assert api.delete(url(person)).status_code == 405
    assert Person.objects.filter(pk=person.pk).exists()


def test_options_reads_no_person_and_logs_nothing(api, coach):
    [person] = caseload(coach)
    assert api.options(url(person)).status_code == 200
    assert api.options(URL).status_code == 200
    assert not entries(person_id=person.pk)


def test_generic_get_object_is_checked_and_logged(coach):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from jobbtorg.core.errors import AccessDenied
    from jobbtorg.people.api import PersonViewSet

    stranger = f.PersonFactory()
    request = Request(APIRequestFactory().get(url(stranger)))
    request.user = coach
    view = PersonViewSet(request=request, kwargs={"pk": str(stranger.pk)}, format_kwarg=None)
    with pytest.raises(AccessDenied):
        view.get_object()
    [entry] = entries(person_id=stranger.pk)
    assert (entry.action, entry.outcome, entry.user_id) == (Action.READ, Outcome.REFUSED, coach.pk)
