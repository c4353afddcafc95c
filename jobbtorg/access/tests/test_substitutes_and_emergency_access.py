"""Issue 8 item 6: access scope by need, not by unit.

A coach sees her own caseload; a unit colleague's participant only as that colleague's named
substitute (vikarie) during the period, or through emergency access (nödåtkomst): a stated
reason, 24 hours, audited and flagged, signed off by the unit manager. Web and API.

The clock is frozen on a fixed Monday (time-machine), so no test depends on today's date.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from jobbtorg.access import services
from jobbtorg.access.models import EmergencyAccess, Substitution
from jobbtorg.access.policy import check_person, visible_persons
from jobbtorg.accounts.tests.helpers import api_key_for
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=STOCKHOLM)  # a Monday
TODAY = NOW.date()
REASON = "Coachen är sjuk och deltagaren har ringt om en akut fråga."


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def unit():
    return f.unit("jarva")


@pytest.fixture
def coach(unit):
    return f.UserFactory(coach=True, jobbtorg_unit=unit, first_name="Sara", last_name="Lindberg")


@pytest.fixture
def colleague(unit):
    return f.UserFactory(coach=True, jobbtorg_unit=unit, first_name="Daniel", last_name="Mohammadi")


@pytest.fixture
def manager(unit):
    return f.UserFactory(unit_manager=True, jobbtorg_unit=unit)


def participant(coach, unit=None, **person_kwargs):
    person = f.PersonFactory(**person_kwargs)
    f.ParticipationFactory(person=person, coach=coach, unit=unit or coach.jobbtorg_unit, enrolled=True)
    return person


def web(user) -> Client:
    user.save()  # the factory sets the password after saving
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def actor(user) -> Actor:
    return Actor(user_id=user.pk, username=user.get_username(), role=user.role, client_address="10.0.0.1")


def substitution(absent, substitute, start: int = 0, end: int = 7, **kwargs) -> Substitution:
    return Substitution.objects.create(
        absent_coach=absent,
        substitute=substitute,
        unit=absent.jobbtorg_unit,
        valid_from=TODAY + datetime.timedelta(days=start),
        valid_to=TODAY + datetime.timedelta(days=end),
        created_by=absent,
        **kwargs,
    )


# --- own caseload, not the unit ----------------------------------------------------------------


def test_coach_sees_own_caseload_on_web_and_api(coach):
    """Issue 8 item 6: the coach's own caseload is open to her, on the person page and in the API."""
    mine = participant(coach)

    assert web(coach).get(f"/personer/{mine.pk}/").status_code == 200
    assert api(coach).get(f"/api/v1/persons/{mine.pk}/").status_code == 200


def test_coach_does_not_see_a_unit_colleagues_participant(coach, colleague):
    """Issue 8 item 6: a colleague's participant at the same unit is refused (404, logged), web and API,
    and is neither listed nor found by the person search."""
    theirs = participant(colleague, last_name="Kollegasdeltagare")

    page = web(coach).get(f"/personer/{theirs.pk}/")
    assert page.status_code == 404
    assert "Kollegasdeltagare" not in page.content.decode()
    assert api(coach).get(f"/api/v1/persons/{theirs.pk}/").status_code == 404
    assert theirs.pk not in [p["id"] for p in api(coach).get("/api/v1/persons/").json()["results"]]
    search = web(coach).get("/personer/sok/", {"q": theirs.personnummer})
    assert "Kollegasdeltagare" not in search.content.decode()
    refused = AuditEntry.objects.filter(person_id=theirs.pk, user_id=coach.pk, outcome=Outcome.REFUSED)
    assert refused.count() == 2 and all(e.flagged for e in refused)


def test_unit_manager_keeps_unit_wide_access(manager, colleague):
    """Issue 8 item 6: the unit manager manages the unit, so she still sees every coach's participants."""
    theirs = participant(colleague)

    assert web(manager).get(f"/personer/{theirs.pk}/").status_code == 200
    assert api(manager).get(f"/api/v1/persons/{theirs.pk}/").status_code == 200


# --- substitutes ---------------------------------------------------------------------------------


def test_substitute_sees_the_absent_coachs_caseload_during_the_period_and_not_after(coach, colleague, clock):
    """Issue 8 item 6: the named substitute sees the absent coach's participants from the first to
    the last day of the period (protected ones too: she stands in), and not the day after."""
    theirs = participant(colleague)
    protected = participant(colleague, protected=True)
    substitution(colleague, coach, start=1, end=3)

    assert web(coach).get(f"/personer/{theirs.pk}/").status_code == 404  # the day before

    clock.move_to(NOW + datetime.timedelta(days=1))
    assert web(coach).get(f"/personer/{theirs.pk}/").status_code == 200
    assert api(coach).get(f"/api/v1/persons/{theirs.pk}/").status_code == 200
    assert check_person(coach, protected).allowed
    assert not check_person(coach, protected).see_contact_details  # not named on the person

    clock.move_to(NOW + datetime.timedelta(days=3, hours=12))  # the last day
    assert web(coach).get(f"/personer/{theirs.pk}/").status_code == 200

    clock.move_to(NOW + datetime.timedelta(days=4))  # the day after
    assert web(coach).get(f"/personer/{theirs.pk}/").status_code == 404
    assert api(coach).get(f"/api/v1/persons/{theirs.pk}/").status_code == 404


def test_the_absent_coach_does_not_see_the_substitutes_caseload(coach, colleague):
    """Issue 8 item 6: the relation goes one way: the substitute stands in, not the other way round."""
    substitutes_own = participant(coach)
    substitution(colleague, coach)

    assert not check_person(colleague, substitutes_own).allowed


def test_coach_names_her_own_substitute_on_the_web(coach, colleague):
    """Issue 8 item 6: a coach names her own substitute (she is always the absent one); audited."""
    response = web(coach).post(
        "/atkomst/vikarier/",
        {"substitute": colleague.pk, "valid_from": "2026-11-16", "valid_to": "2026-11-20"},
    )

    assert response.status_code == 302
    made = Substitution.objects.get()
    assert (made.absent_coach, made.substitute, made.created_by) == (coach, colleague, coach)
    assert (made.valid_from, made.valid_to) == (TODAY, datetime.date(2026, 11, 20))
    entry = AuditEntry.objects.get(action=Action.ACCESS)
    assert entry.details["substitute"] == colleague.username and entry.details["valid_to"] == "2026-11-20"
    page = web(coach).get("/atkomst/vikarier/").content.decode()
    assert "Daniel Mohammadi" in page


def test_coach_cannot_name_a_substitute_for_a_colleague(coach, colleague, unit):
    """Issue 8 item 6: a coach's form has no absent coach; a posted one is ignored (she is the absent one)."""
    third = f.UserFactory(coach=True, jobbtorg_unit=unit)

    web(coach).post(
        "/atkomst/vikarier/",
        {"absent_coach": colleague.pk, "substitute": third.pk, "valid_from": "2026-11-16", "valid_to": "2026-11-18"},
    )

    assert Substitution.objects.get().absent_coach == coach


def test_unit_manager_names_a_substitute_for_any_coach_of_her_unit(manager, coach, colleague):
    """Issue 8 item 6: the unit manager sets a substitute for any coach of her unit."""
    theirs = participant(colleague)
    response = web(manager).post(
        "/atkomst/vikarier/",
        {"absent_coach": colleague.pk, "substitute": coach.pk, "valid_from": "2026-11-16", "valid_to": "2026-11-16"},
    )

    assert response.status_code == 302
    assert Substitution.objects.get().created_by == manager
    assert check_person(coach, theirs).allowed


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "field_message"),
    [
        ("2026-11-20", "2026-11-19", "Slutdatum kan inte vara före startdatum."),
        ("2026-11-13", "2026-11-20", "Startdatum kan inte ligga bakåt i tiden."),
        ("2027-12-01", "2027-12-05", "Startdatum kan ligga högst ett år fram i tiden."),
        ("2026-11-16", "2027-06-30", "En vikarie kan anges för högst sex månader i taget."),
        ("16/11/2026", "2026-11-20", "Skriv datumet som ÅÅÅÅ-MM-DD."),
    ],
    ids=["to_before_from", "backdated", "more_than_a_year_ahead", "longer_than_six_months", "not_a_date"],
)
def test_substitution_period_is_validated_in_swedish(coach, colleague, valid_from, valid_to, field_message):
    """Issue 8 item 6: dates in a sensible range, to ≥ from, with a Swedish message by the field."""
    response = web(coach).post(
        "/atkomst/vikarier/", {"substitute": colleague.pk, "valid_from": valid_from, "valid_to": valid_to}
    )

    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Substitution.objects.exists()


def test_substitute_must_be_another_active_coach_of_the_same_unit(manager, coach, colleague):
    """Issue 8 item 6: a coach of another unit, a non-coach, an inactive coach and the absent coach
    herself are refused as substitute, with a Swedish message."""
    other_unit_coach = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    inactive = f.UserFactory(coach=True, jobbtorg_unit=coach.jobbtorg_unit, is_active=False)
    for substitute_id, message in [
        (other_unit_coach.pk, "Välj en coach vid ditt jobbtorg."),
        (manager.pk, "Välj en coach vid ditt jobbtorg."),
        (inactive.pk, "Välj en coach vid ditt jobbtorg."),
    ]:
        response = web(manager).post(
            "/atkomst/vikarier/",
            {"absent_coach": colleague.pk, "substitute": substitute_id, "valid_from": "2026-11-16", "valid_to": "2026-11-17"},
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    with pytest.raises(DomainError) as self_error:
        services.create_substitution(
            manager, actor(manager), absent_coach_id=coach.pk, substitute_id=coach.pk, valid_from=TODAY, valid_to=TODAY
        )
    assert "En coach kan inte vara vikarie för sig själv." in self_error.value.messages
    with pytest.raises(DomainError) as other_unit:
        services.create_substitution(
            manager, actor(manager), absent_coach_id=coach.pk, substitute_id=other_unit_coach.pk,
            valid_from=TODAY, valid_to=TODAY,
        )
    assert "Vikarien måste vara en aktiv coach vid samma jobbtorg." in other_unit.value.messages
    assert not Substitution.objects.exists()


def test_overlapping_substitution_is_refused(coach, colleague):
    substitution(coach, colleague, start=0, end=5)

    with pytest.raises(DomainError) as error:
        services.create_substitution(
            coach, actor(coach), absent_coach_id=coach.pk, substitute_id=colleague.pk,
            valid_from=TODAY + datetime.timedelta(days=3), valid_to=TODAY + datetime.timedelta(days=8),
        )
    assert "Vikarien är redan angiven för hela eller delar av perioden." in error.value.messages


def test_other_roles_cannot_name_substitutes():
    """Issue 8 item 6: only coaches and unit managers have the page; others get 403, logged."""
    social_worker = f.UserFactory(social_worker=True)

    assert web(social_worker).get("/atkomst/vikarier/").status_code == 403
    assert web(social_worker).post("/atkomst/vikarier/", {}).status_code == 403


def test_revoked_substitution_ends_the_access_and_is_audited(coach, colleague):
    theirs = participant(colleague)
    made = substitution(colleague, coach)
    assert check_person(coach, theirs).allowed

    response = web(colleague).post(f"/atkomst/vikarier/{made.pk}/aterkalla/")

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.revoked_by == colleague and made.revoked_at is not None
    assert not check_person(coach, theirs).allowed
    assert AuditEntry.objects.filter(action=Action.ACCESS, details__revoked=True).exists()
    # The substitute herself cannot revoke it (nor anyone outside the unit).
    assert web(coach).post(f"/atkomst/vikarier/{made.pk}/aterkalla/").status_code == 403


def test_api_lists_own_substitutions(coach, colleague, unit):
    """Issue 8 item 6: GET /api/v1/substitutions/ gives the user's own substitutions only."""
    substitution(coach, colleague)
    substitution(colleague, coach, start=10, end=12)
    other = f.UserFactory(coach=True, jobbtorg_unit=unit)
    substitution(other, f.UserFactory(coach=True, jobbtorg_unit=unit))  # not hers

    rows = api(coach).get("/api/v1/substitutions/").json()["results"]

    assert sorted((r["absent_coach"], r["substitute"]) for r in rows) == sorted(
        [(coach.username, colleague.username), (colleague.username, coach.username)]
    )


# --- emergency access ----------------------------------------------------------------------------


def test_emergency_search_finds_a_unit_participant_and_offers_emergency_access(coach, colleague):
    """Issue 8 item 6: from the search restricted to her unit the coach sees the person exists,
    with the button "Nödåtkomst"; the hit is audited as a search."""
    theirs = participant(colleague, last_name="Enhetsdeltagare")

    page = web(coach).get("/atkomst/nodatkomst/", {"personnummer": theirs.personnummer_display})

    text = page.content.decode()
    assert page.status_code == 200
    assert "Enhetsdeltagare" in text and ">Nödåtkomst</button>" in text
    assert AuditEntry.objects.filter(person_id=theirs.pk, action=Action.SEARCH).exists()


@pytest.mark.parametrize("who", ["other_unit", "protected", "unknown"])
def test_emergency_search_does_not_show_other_units_protected_or_unknown_persons(coach, colleague, who):
    """Issue 8 item 6: the unit search never shows a person of another unit or a protected identity."""
    if who == "other_unit":
        number = participant(f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort")), last_name="Dold").personnummer
    elif who == "protected":
        number = participant(colleague, protected=True, last_name="Dold").personnummer
    else:
        number = "198112189876"

    text = web(coach).get("/atkomst/nodatkomst/", {"personnummer": number}).content.decode()

    assert "Dold" not in text and ">Nödåtkomst</button>" not in text
    assert "Ingen deltagare vid ditt jobbtorg har det personnumret." in text


def test_emergency_access_needs_a_reason_in_swedish(coach, colleague):
    """Issue 8 item 6: the reason is required (and must say something), with a Swedish message."""
    theirs = participant(colleague)
    client = web(coach)

    for reason, message in [("", "Ange skälet till nödåtkomsten."), ("akut", "Beskriv skälet med minst 10 tecken.")]:
        response = client.post("/atkomst/nodatkomst/", {"person": theirs.pk, "reason": reason})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert client.get(f"/personer/{theirs.pk}/").status_code == 404


def test_emergency_access_grants_24_hours_is_audited_flagged_and_expires(coach, colleague, clock):
    """Issue 8 item 6: with a reason the coach gets access for 24 hours; the grant is an ACCESS
    entry, flagged, with the reason and the expiry; reads meanwhile are flagged; then it expires."""
    theirs = participant(colleague)
    client = web(coach)

    response = client.post("/atkomst/nodatkomst/", {"person": theirs.pk, "reason": REASON})

    assert response.status_code == 302 and response["Location"] == f"/personer/{theirs.pk}/"
    access = EmergencyAccess.objects.get()
    assert (access.user, access.person, access.reason) == (coach, theirs, REASON)
    assert access.expires_at == NOW + datetime.timedelta(hours=24)
    grant = AuditEntry.objects.get(action=Action.ACCESS)
    assert (grant.person_id, grant.user_id, grant.outcome, grant.flagged) == (theirs.pk, coach.pk, Outcome.ALLOWED, True)
    assert grant.details["reason"] == REASON
    assert datetime.datetime.fromisoformat(grant.details["expires_at"]) == NOW + datetime.timedelta(hours=24)

    assert client.get(f"/personer/{theirs.pk}/").status_code == 200
    read = AuditEntry.objects.filter(action=Action.READ, person_id=theirs.pk).latest("id")
    assert read.outcome == Outcome.ALLOWED and read.flagged  # a read under emergency access is flagged
    assert theirs in visible_persons(coach)

    # A fresh login each time: the session itself times out long before a day has passed.
    clock.move_to(NOW + datetime.timedelta(hours=23, minutes=59))
    assert web(coach).get(f"/personer/{theirs.pk}/").status_code == 200
    clock.move_to(NOW + datetime.timedelta(hours=24))
    assert web(coach).get(f"/personer/{theirs.pk}/").status_code == 404
    assert api(coach).get(f"/api/v1/persons/{theirs.pk}/").status_code == 404
    assert theirs not in visible_persons(coach)


def test_emergency_access_never_reaches_a_protected_identity(coach, colleague):
    """Issue 8 item 6 (policy docstring): emergency access does not reach a protected person; the
    request is refused like an unknown person (404) and logged."""
    protected = participant(colleague, protected=True)

    response = web(coach).post("/atkomst/nodatkomst/", {"person": protected.pk, "reason": REASON})

    assert response.status_code == 404
    assert not EmergencyAccess.objects.exists()
    entry = AuditEntry.objects.get(action=Action.ACCESS)
    assert (entry.outcome, entry.flagged, entry.person_id) == (Outcome.REFUSED, True, protected.pk)


def test_emergency_access_is_for_coaches_at_their_own_unit(coach, manager):
    """Issue 8 item 6: a person of another unit is refused (404); other roles have no such page (403)."""
    elsewhere = participant(f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort")))

    assert web(coach).post("/atkomst/nodatkomst/", {"person": elsewhere.pk, "reason": REASON}).status_code == 404
    with pytest.raises(AccessDenied):
        services.grant_emergency_access(coach, actor(coach), elsewhere.pk, REASON)
    assert web(manager).get("/atkomst/nodatkomst/").status_code == 403
    assert web(f.UserFactory(social_worker=True)).get("/atkomst/nodatkomst/").status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_emergency_access_through_the_api(coach, colleague):
    """Issue 8 item 6: POST /api/v1/emergency-access/ grants (201), needs a reason (400), refuses a
    person outside the unit search (404) and other roles (403); GET lists the coach's own."""
    theirs = participant(colleague)
    elsewhere = participant(f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort")))
    client = api(coach)

    blank = client.post("/api/v1/emergency-access/", {"person": theirs.pk, "reason": " "}, format="json")
    assert blank.status_code == 400 and blank.json()["reason"] == ["Ange skälet till nödåtkomsten."]
    assert client.post("/api/v1/emergency-access/", {"person": elsewhere.pk, "reason": REASON}, format="json").status_code == 404
    social_worker = f.UserFactory(social_worker=True)
    assert api(social_worker).post(
        "/api/v1/emergency-access/", {"person": theirs.pk, "reason": REASON}, format="json"
    ).status_code == 403

    created = client.post("/api/v1/emergency-access/", {"person": theirs.pk, "reason": REASON}, format="json")

    assert created.status_code == 201
    assert created.json()["person"] == theirs.pk and not created.json()["signed"]
    assert client.get(f"/api/v1/persons/{theirs.pk}/").status_code == 200
    assert [row["person"] for row in client.get("/api/v1/emergency-access/").json()["results"]] == [theirs.pk]
    assert AuditEntry.objects.filter(action=Action.ACCESS, outcome=Outcome.ALLOWED, flagged=True).count() == 1


def test_links_to_emergency_access_from_search_and_not_found_page_for_coaches_only(coach, manager):
    """Issue 8 item 6: where a coach lands when she cannot reach a person, the way on is offered;
    the not-found page is the same for a refused and an unknown person."""
    assert "/atkomst/nodatkomst/" in web(coach).get("/personer/sok/", {"q": "Ingen Alls"}).content.decode()
    assert "/atkomst/nodatkomst/" in web(coach).get("/personer/999999/").content.decode()
    assert "/atkomst/nodatkomst/" not in web(manager).get("/personer/999999/").content.decode()


# --- the unit manager's sign-off -----------------------------------------------------------------


def test_unit_manager_lists_unsigned_first_and_signs_off(manager, coach, colleague, clock):
    """Issue 8 item 6: the unit manager's page lists her unit's emergency accesses, unsigned first;
    "Signera" stores who signed and when and is audited; signing twice is refused."""
    first = services.grant_emergency_access(coach, actor(coach), participant(colleague, last_name="Förste").pk, REASON)
    clock.move_to(NOW + datetime.timedelta(hours=1))
    second = services.grant_emergency_access(coach, actor(coach), participant(colleague, last_name="Andre").pk, REASON)
    services.sign_emergency_access(manager, actor(manager), second.pk)
    client = web(manager)

    page = client.get("/atkomst/nodatkomster/").content.decode()
    assert page.index("Förste") < page.index("Andre")  # the unsigned one first
    assert "1 osignerad nödåtkomst." in page

    clock.move_to(NOW + datetime.timedelta(hours=2))
    response = client.post(f"/atkomst/nodatkomster/{first.pk}/signera/")

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.signed_by == manager and first.signed_at == NOW + datetime.timedelta(hours=2)
    signed = AuditEntry.objects.filter(action=Action.ACCESS, user_id=manager.pk, person_id=first.person_id).get()
    assert signed.details["emergency_access"] == first.pk and signed.details["user"] == coach.username
    again = client.post(f"/atkomst/nodatkomster/{first.pk}/signera/", follow=True)
    assert "Nödåtkomsten är redan signerad." in again.content.decode()
    first.refresh_from_db()
    assert first.signed_at == NOW + datetime.timedelta(hours=2)


def test_only_the_units_manager_signs(manager, coach, colleague):
    """Issue 8 item 6: another unit's manager and the coach herself cannot sign (403, logged)."""
    access = services.grant_emergency_access(coach, actor(coach), participant(colleague).pk, REASON)
    other_manager = f.UserFactory(unit_manager=True, jobbtorg_unit=f.unit("vasterort"))

    assert web(other_manager).post(f"/atkomst/nodatkomster/{access.pk}/signera/").status_code == 403
    assert web(coach).post(f"/atkomst/nodatkomster/{access.pk}/signera/").status_code == 403
    assert web(coach).get("/atkomst/nodatkomster/").status_code == 403
    access.refresh_from_db()
    assert access.signed_at is None
    assert AuditEntry.objects.filter(action=Action.ACCESS, outcome=Outcome.REFUSED).count() == 2


def test_grant_is_flagged_in_the_log_review_of_the_unit_manager(database_clock, manager, coach, colleague):
    """Issue 8 item 6: the grant shows among the flagged entries the unit manager reviews."""
    from jobbtorg.audit import selectors as audit_selectors

    theirs = participant(colleague)
    services.grant_emergency_access(coach, actor(coach), theirs.pk, REASON)

    today = timezone.localdate()  # the database's day on PostgreSQL (conftest.database_clock)
    flagged = audit_selectors.protected_accesses(manager, today, today)
    assert flagged.filter(action=Action.ACCESS, person_id=theirs.pk, user_id=coach.pk).exists()


def test_menu_links_for_coach_and_manager(coach, manager):
    assert "/atkomst/vikarier/" in web(coach).get("/").content.decode()
    manager_start = web(manager).get("/").content.decode()
    assert "/atkomst/vikarier/" in manager_start and "/atkomst/nodatkomster/" in manager_start
