"""Invalid input gets a 4xx with field errors in Swedish, never a 500 (issue 2, part 7)."""

import json

import pytest

from jobbtorg.people.models import Person
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"


def valid(**overrides):
    data = {
        "personnummer": "198112189876",
        "first_name": "Nora",
        "last_name": "Lind",
        "home_district": f.district("rinkeby-kista").pk,
    }
    data.update(overrides)
    return data


GARBAGE_BODIES = {
    "empty object": {},
    "missing names": {"personnummer": "198112189876"},
    "name is a number": lambda: valid(first_name=12),
    "name is a list": lambda: valid(first_name=["Nora"]),
    "name is an object": lambda: valid(last_name={"x": 1}),
    "name is null": lambda: valid(first_name=None),
    "blank name": lambda: valid(first_name="   "),
    "huge name": lambda: valid(first_name="N" * 100_000),
    "huge personnummer": lambda: valid(personnummer="1" * 10_000),
    "personnummer is a number": lambda: valid(personnummer=198112189876),
    "personnummer bad checksum": lambda: valid(personnummer="19811218-9877"),
    "personnummer impossible date": lambda: valid(personnummer="19810230-9876"),
    "personnummer letters": lambda: valid(personnummer="abcdefgh-ijkl"),
    "personnummer NUL": lambda: valid(personnummer="19811218\x009876"),
    "name with NUL": lambda: valid(first_name="No\x00ra"),
    "unknown district": lambda: valid(home_district=999_999),
    "huge district id": lambda: valid(home_district=10**40),
    "negative district id": lambda: valid(home_district=-1),
    "district as text": lambda: valid(home_district="Rinkeby"),
    "district as float": lambda: valid(home_district=1.5),
    "district as object": lambda: valid(home_district={"id": 1}),
    "former district": lambda: valid(home_district=f.district("alvsjo").pk),
    "bad protection level": lambda: valid(protection_level="hemlig"),
    "protection level as list": lambda: valid(protection_level=["none"]),
    "bad postal code": lambda: valid(postal_code="ABCDE"),
    "long postal code": lambda: valid(postal_code="1234567"),
    "bad email": lambda: valid(email="inte en adress"),
    "huge email": lambda: valid(email="a" * 300 + "@example.se"),
    "body is a list": [1, 2, 3],
    "body is a string": "hej",
    "body is a number": 42,
    "body is null": None,
    "unknown field": lambda: valid(favourite_colour="blå"),
    "name is true": lambda: valid(first_name=True),
    "district is true": lambda: valid(home_district=True),
}


@pytest.mark.parametrize("name", GARBAGE_BODIES, ids=list(GARBAGE_BODIES))
def test_garbage_create_is_400_with_errors(coach_client, name):
    body = GARBAGE_BODIES[name]
    body = body() if callable(body) else body
    response = coach_client.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content[:500]
    errors = response.json()
    assert isinstance(errors, dict) and errors
    assert not Person.objects.exists()


def test_missing_fields_are_named_in_swedish(coach_client):
    errors = coach_client.post(URL, data={}, format="json").json()
    assert set(errors) >= {"personnummer", "first_name", "last_name", "home_district"}
    assert errors["first_name"] == ["Det här fältet är obligatoriskt."]


def test_unknown_district_message_is_swedish(coach_client):
    errors = coach_client.post(URL, data=valid(home_district=999_999), format="json").json()
    assert errors == {"home_district": ["Stadsdelen finns inte."]}


def test_bad_personnummer_message_is_swedish(coach_client):
    errors = coach_client.post(URL, data=valid(personnummer="19810230-9876"), format="json").json()
    assert list(errors) == ["personnummer"]
    assert "datum" in errors["personnummer"][0].lower()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b'{"first_name": "Nora",}', "application/json"),
        (b"[" * 5000 + b"]" * 5000, "application/json"),
    ],
)
def test_non_json_body_is_400(coach_client, body, content_type):
    response = coach_client.generic("POST", URL, body, content_type=content_type)
    assert response.status_code == 400
    assert response.json() == {"detail": "Innehållet kunde inte tolkas. Skicka giltig JSON."}


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
def test_unsupported_media_type_is_415(coach_client, content_type):
    response = coach_client.generic("POST", URL, b"personnummer=1", content_type=content_type)
    assert response.status_code == 415


def test_form_encoded_body_is_refused(coach_client):
    response = coach_client.post(URL, {"personnummer": "x", "first_name": "", "last_name": "L", "home_district": "x"})
    assert response.status_code == 415


def test_unknown_fields_are_refused_not_ignored(coach, coach_client):
    response = coach_client.post(URL, data=valid(fornamn="Nora", id=5), format="json")
    assert response.status_code == 400
    assert response.json()["fornamn"] == ["Fältet finns inte eller kan inte ändras här."]
    assert "id" in response.json()


PATCH_GARBAGE = [
    {"city": "Husby"},  # no version
    {"version": "ett"},
    {"version": 0},
    {"version": 10**30},
    {"version": None},
    {"version": 1, "home_district": 10**30},
    {"version": 1, "personnummer": "19811218-9877"},
    {"version": 1, "first_name": ""},
    {"version": 1, "first_name": 5},
    {"version": 1, "postal_code": "12"},
    {"version": 1, "email": "x@"},
    {"version": 1, "phone_number": "070"},
    {"version": 1, "id": 5},
    [],
    "text",
]


@pytest.mark.parametrize("body", PATCH_GARBAGE, ids=[repr(b)[:40] for b in PATCH_GARBAGE])
def test_garbage_patch_is_400(coach, coach_client, body):
    person = f.PersonFactory()
    f.ParticipationFactory(person=person, coach=coach, enrolled=True)
    response = coach_client.patch(f"{URL}{person.pk}/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content[:500]
    person.refresh_from_db()
    assert person.version == 1


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "A" * 5000,
        "q=%00",
        "q=19811218-98%00",
        "q=" + "1" * 200,
        "limit=abc&offset=xyz",
        "limit=" + "9" * 50,
        "offset=" + "9" * 50,
        "limit=-1",
        "q=%F0%9F%98%80",
    ],
)
def test_garbage_queries_are_not_5xx(coach_client, query):
    response = coach_client.get(f"{URL}?{query}")
    assert response.status_code in (200, 400), response.content[:500]


@pytest.mark.parametrize(
    "path",
    [
        "persons/abc/",
        "persons/-1/",
        "persons/" + "9" * 40 + "/",
        "persons/%C3%A5/",
        "districts/abc/",
        "districts/" + "9" * 40 + "/",
    ],
)
def test_bad_ids_are_json_404(coach_client, path):
    response = coach_client.get(f"/api/v1/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Hittades inte."}


def test_bad_token_is_401(client):
    response = client.get(URL, HTTP_AUTHORIZATION="Token " + "x" * 40)
    assert response.status_code == 401
    response = client.get(URL, HTTP_AUTHORIZATION="Token a b c")
    assert response.status_code == 401
