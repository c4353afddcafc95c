"""Registering, changing and reading disability codes: the refusals, the narrow health relation
and the audit log (DOMAIN §11, LEGAL.md: health data, every access logged)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobbtorg.access.testing import stand_in
from jobbtorg.audit.models import AuditEntry
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.disabilities import selectors, services
from jobbtorg.disabilities.models import DisabilityRegistration
from jobbtorg.disabilities.services import HealthAccessDenied
from jobbtorg.testing import factories as f

TODAY = timezone.localdate


def actor(user):
    return Actor(user.pk, user.username, user.role)


def register(user, person, **kw):
    values = {"code": "43", "sub_kind": "pain", "documented_on": TODAY() - datetime.timedelta(days=10), "source": "lakarintyg"}
    values.update(kw)
    return services.register(user, actor(user), person.pk, **values)


def test_disability_code_not_in_list_refused(coach, person):
    with pytest.raises(DomainError) as exc:
        register(coach, person, code="44", sub_kind="")
    assert "finns inte i checklistan" in exc.value.message_dict["code"][0]
    assert not DisabilityRegistration.objects.exists()


def test_disability_code_not_in_list_refused_on_the_page_and_in_the_api(coach, person):
    client = Client()
    client.force_login(coach)
    response = client.post(reverse("disabilities:person", args=[person.pk]), {
        "new-code": "99", "new-documented_on": "2025-01-01", "new-source": "lakarintyg",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Koden 99 finns inte i checklistan" in response.content.decode()
    response = client.post("/api/v1/disability-registrations/", {
        "person": person.pk, "code": "99", "documented_on": "2025-01-01", "source": "lakarintyg",
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert "finns inte i checklistan" in response.json()["code"][0]
    assert not DisabilityRegistration.objects.exists()


def test_disability_future_date_and_missing_sub_kind_refused(coach, person):
    with pytest.raises(DomainError) as exc:
        register(coach, person, sub_kind="", documented_on=TODAY() + datetime.timedelta(days=1))
    assert set(exc.value.message_dict) == {"sub_kind", "documented_on"}
    assert not DisabilityRegistration.objects.exists()


def test_disability_visible_only_to_coach_and_osa_officer_and_logged(coach, person, osa_officer):
    reg = register(coach, person)
    assert AuditEntry.objects.filter(user_id=coach.pk, action="create", outcome="allowed",
                                     what__contains="funktionsnedsättning").count() == 1  # fmt: skip
    # Allowed: the person's coach and the OSA officer of the home district; each read logged.
    for user in (coach, osa_officer):
        _person, rows = selectors.registrations_for(user, actor(user), person.pk)
        assert rows == [reg]
        assert AuditEntry.objects.filter(user_id=user.pk, action="read", person_id=person.pk, outcome="allowed",
                                         what__contains="funktionsnedsättning").exists()  # fmt: skip
    # Refused, though each of these reaches the person through access.policy: 403, logged.
    unit_coach = f.UserFactory(coach=True)  # same unit, not the person's coach: her substitute
    stand_in(unit_coach, coach)
    reaching = [unit_coach, f.UserFactory(unit_manager=True), f.UserFactory(matcher=True), f.UserFactory(social_worker=True)]
    for user in reaching:
        with pytest.raises(HealthAccessDenied):
            selectors.registrations_for(user, actor(user), person.pk)
    # Refused with no relation at all: 404 (AccessDenied), logged.
    other_district_officer = f.UserFactory(osa_officer=True, district=f.district("bromma"))
    for user in (other_district_officer, f.UserFactory(analyst=True), f.UserFactory(provider_staff=True)):
        with pytest.raises(AccessDenied):
            selectors.registrations_for(user, actor(user), person.pk)
    refused = AuditEntry.objects.filter(outcome="refused", person_id=person.pk, what__contains="funktionsnedsättning")
    assert refused.count() == 7
    assert all(e.flagged for e in refused)


def test_disability_refused_page_and_api_show_nothing(coach, person):
    register(coach, person, source_note="Hemligt underlag från vårdcentralen")
    manager = f.UserFactory(unit_manager=True)
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("disabilities:person", args=[person.pk]))
    assert page.status_code == 403
    # The CSRF token is random and may hold "43": look at the page without it.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.content.decode())
    assert "Hemligt underlag" not in html and "43" not in html
    api = client.get(f"/api/v1/disability-registrations/?person={person.pk}")
    assert api.status_code == 403 and "Hemligt" not in api.content.decode()
    stranger = f.UserFactory(osa_officer=True, district=f.district("bromma"))
    client.force_login(stranger)
    assert client.get(reverse("disabilities:person", args=[person.pk])).status_code == 404
    assert client.get(f"/api/v1/disability-registrations/?person={person.pk}").status_code == 404


def test_disability_coach_of_closed_participation_refused(db):
    coach = f.UserFactory(coach=True)
    p = f.ParticipationFactory(closed=True, coach=coach)
    with pytest.raises((HealthAccessDenied, AccessDenied)):
        selectors.registrations_for(coach, actor(coach), p.person.pk)


def test_disability_change_with_stale_version_conflicts(coach, person):
    reg = register(coach, person)
    services.change(coach, actor(coach), reg.pk, version=reg.version, sub_kind="pain", documented_on=TODAY(), source="lakarintyg")
    with pytest.raises(ConflictError):
        services.change(coach, actor(coach), reg.pk, version=reg.version - 1, sub_kind="pain",
                        documented_on=TODAY() - datetime.timedelta(days=1), source="lakarintyg")  # fmt: skip
    reg.refresh_from_db()
    assert reg.documented_on == TODAY() and reg.version == 2


def test_documentation_status_flags_expired(person, coach):
    f.DisabilityRegistrationFactory(person=person, expired_43=True)
    f.DisabilityRegistrationFactory(person=person, permanent_71=True)
    rows = {s.code: s for s in selectors.documentation_status(person, TODAY())}
    assert rows["43"].expired and rows["43"].valid_until is not None and not rows["43"].valid
    assert not rows["71"].expired and rows["71"].valid_until is None
    assert selectors.any_expired(person, TODAY())


def test_disability_api_create_change_and_409(client, coach, person):
    client.force_login(coach)
    created = client.post("/api/v1/disability-registrations/", {
        "person": person.pk, "code": "71", "documented_on": "2010-05-01", "source": "sarskola",
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["valid_until"] is None and body["expired"] is False
    url = f"/api/v1/disability-registrations/{body['id']}/"
    ok = client.patch(url, {"version": 1, "documented_on": "2011-05-01", "source": "sarskola"}, content_type="application/json")
    assert ok.status_code == 200
    stale = client.patch(
        url, {"version": 1, "documented_on": "2012-05-01", "source": "sarskola"}, content_type="application/json"
    )
    assert stale.status_code == 409
    bad = client.patch(url, {"version": "x", "documented_on": "igår"}, content_type="application/json")
    assert bad.status_code == 400 and "ÅÅÅÅ-MM-DD" in bad.json()["documented_on"][0]


def test_disability_page_renders_for_coach(client, coach, person):
    f.DisabilityRegistrationFactory(person=person, expired_43=True)
    client.force_login(coach)
    page = client.get(reverse("disabilities:person", args=[person.pk]))
    assert page.status_code == 200
    assert "Underlaget har gått ut" in page.content.decode()


def test_disability_list_query_count_is_constant(coach, person):
    """A person holds at most one registration per code (11 codes): 3 rows and 11 rows cost the same."""
    codes = ["43", "92", "61", "11", "71", "82", "51", "91", "33", "21", "22"]
    counts = []
    for rows in (3, 11):
        for code in codes[DisabilityRegistration.objects.count() : rows]:
            f.DisabilityRegistrationFactory(
                person=person, code=code, sub_kind={"43": "pain", "92": "npf", "11": "other"}.get(code, "")
            )
        with CaptureQueriesContext(connection) as ctx:
            _person, listed = selectors.registrations_for(coach, actor(coach), person.pk)
        assert len(listed) == rows
        counts.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            selectors.documentation_status(person, TODAY())
        assert len(ctx.captured_queries) == 1
    assert counts[0] == counts[1]
