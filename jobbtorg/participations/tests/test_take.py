"""Coach assignment that people understand (issue 10 item 2): a coach takes an unassigned
participant of her own unit ("Ta ärendet"), the coach picked at referral is shown as a proposal,
and the manager's list of unassigned participants says how many it shows.

Every refusal leaves the participation as it was.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.participations import selectors, services
from jobbtorg.participations.models import Participation
from jobbtorg.participations.tests.fixtures import actor_for, login
from jobbtorg.participations.tests.test_query_counts import assert_constant, ok
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def unassigned(**kwargs):
    return f.ParticipationFactory(referred=True, **kwargs)


def coach_of(p):
    return Participation.objects.values_list("coach_id", "coach_assigned_on").get(pk=p.pk)


def test_coach_takes_unassigned_participant_of_own_unit(coach, today):
    p = unassigned()
    services.take(coach, actor_for(coach), p.pk, version=p.version)
    p.refresh_from_db()
    assert (p.coach, p.coach_assigned_on, p.coach_assigned_by) == (coach, today, coach)
    entry = TimelineEntry.objects.get(participation=p, kind="coach_assigned")
    assert "tog ärendet" in entry.text and entry.data["provisional"] is False
    assert AuditEntry.objects.filter(
        user_id=coach.pk, person_id=p.person_id, action=Action.CHANGE, outcome=Outcome.ALLOWED
    ).exists()


def test_coach_takes_a_participant_whose_coach_was_only_proposed_at_referral(coach, other_coach, today):
    p = unassigned(coach=other_coach)
    services.take(coach, actor_for(coach), p.pk, version=p.version)
    assert coach_of(p) == (coach.pk, today)


def test_coach_cannot_take_other_units_participant(coach):
    p = unassigned(unit=f.unit("sydost"))
    with pytest.raises(AccessDenied):
        services.take(coach, actor_for(coach), p.pk, version=p.version)
    assert coach_of(p) == (None, None)
    assert AuditEntry.objects.filter(user_id=coach.pk, outcome=Outcome.REFUSED).exists()


def test_cannot_take_already_assigned(coach, other_coach, today):
    p = unassigned(coach=other_coach, coach_assigned_on=today)
    with pytest.raises(DomainError) as exc:
        services.take(coach, actor_for(coach), p.pk, version=p.version)
    [message] = exc.value.message_dict["non_field_errors"]
    assert "redan en tilldelad coach" in message
    assert coach_of(p) == (other_coach.pk, today)


def test_cannot_take_a_closed_participation(coach):
    p = f.ParticipationFactory(closed=True)
    with pytest.raises(DomainError) as exc:
        services.take(coach, actor_for(coach), p.pk, version=p.version)
    assert "avslutat" in exc.value.message_dict["non_field_errors"][0]
    assert coach_of(p) == (None, None)


def test_only_a_coach_takes_a_participant(manager):
    p = unassigned()
    with pytest.raises(PermissionDenied):
        services.take(manager, actor_for(manager), p.pk, version=p.version)
    assert coach_of(p) == (None, None)


def test_taking_with_a_stale_version_is_a_conflict(coach):
    p = unassigned()
    with pytest.raises(ConflictError):
        services.take(coach, actor_for(coach), p.pk, version=p.version + 1)
    assert coach_of(p) == (None, None)


# --- pages ---------------------------------------------------------------------------------------


def test_coach_takes_from_her_units_list_of_participants_without_coach(client, coach):
    p = unassigned(person__last_name="Utancoach")
    unassigned(unit=f.unit("sydost"), person__last_name="Annanenhet")
    unassigned(person__last_name="Skyddadsson", person__protected=True)
    login(client, coach)
    html = client.get(reverse("participations:unassigned")).content.decode()
    assert "Utancoach" in html and "Annanenhet" not in html and "Skyddadsson" not in html
    assert "Ta ärendet" in html and "1 deltagare utan tilldelad coach" in html
    response = client.post(reverse("participations:take", args=[p.pk]), {"take-version": p.version})
    # Taken: she goes to the participation, now hers, and it has left the list.
    assert response.status_code == 302 and response["Location"] == reverse("participations:detail", args=[p.pk])
    assert coach_of(p)[0] == coach.pk
    assert client.get(response["Location"]).status_code == 200
    assert "Utancoach" not in client.get(reverse("participations:unassigned")).content.decode()


def test_taking_an_assigned_participant_on_the_page_says_why_not(client, coach, other_coach, today):
    p = unassigned(coach=other_coach, coach_assigned_on=today)
    login(client, coach)
    response = client.post(reverse("participations:take", args=[p.pk]), {"take-version": p.version}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("participations:unassigned")
    assert "redan en tilldelad coach" in response.content.decode()
    assert coach_of(p) == (other_coach.pk, today)


def test_coach_cannot_take_a_protected_participant_she_has_no_relation_to(client, coach):
    p = unassigned(person__protected=True)
    login(client, coach)
    assert client.post(reverse("participations:take", args=[p.pk]), {"take-version": p.version}).status_code == 404
    assert coach_of(p) == (None, None)


def test_the_list_without_coach_is_for_coaches(client, manager, social_worker):
    for user in (manager, social_worker):
        login(client, user)
        assert client.get(reverse("participations:unassigned")).status_code == 403


def test_take_button_on_person_and_participation_page_only_while_unassigned(client, coach, today):
    # The coach booked at referral reaches the person and confirms by taking the case.
    p = unassigned(coach=coach)
    login(client, coach)
    take_url = reverse("participations:take", args=[p.pk])
    for page in (reverse("people:detail", args=[p.person_id]), reverse("participations:detail", args=[p.pk])):
        html = client.get(page).content.decode()
        assert take_url in html and "Ta ärendet" in html, page
    Participation.objects.filter(pk=p.pk).update(coach_assigned_on=today)
    for page in (reverse("people:detail", args=[p.person_id]), reverse("participations:detail", args=[p.pk])):
        assert take_url not in client.get(page).content.decode(), page


def test_coach_proposed_at_referral_is_shown_as_not_confirmed(client, coach, manager, today):
    p = unassigned(coach=coach)
    login(client, manager)
    for page in (reverse("people:detail", args=[p.person_id]), reverse("participations:detail", args=[p.pk])):
        html = client.get(page).content.decode()
        assert "Föreslagen vid anvisning: Carl Coach" in html and "ej bekräftad" in html, page
    Participation.objects.filter(pk=p.pk).update(coach_assigned_on=today)
    html = client.get(reverse("participations:detail", args=[p.pk])).content.decode()
    assert "Carl Coach" in html and "ej bekräftad" not in html


def test_assignment_list_says_how_many_it_shows_when_capped(client, manager, monkeypatch):
    monkeypatch.setattr(selectors, "UNASSIGNED_ROWS", 2)
    f.ParticipationFactory.create_batch(3, referred=True)
    login(client, manager)
    response = client.get(reverse("participations:assignments"))
    assert len(response.context["rows"]) == 2 and response.context["total"] == 3
    assert "Visar 2 av 3 deltagare utan tilldelad coach" in response.content.decode()


# --- API -----------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_take_follows_the_same_rules(coach, manager, other_coach, today):
    p = unassigned()
    url = f"/api/v1/participations/{p.pk}/take/"
    assert api(manager).post(url, {"version": p.version}, format="json").status_code == 403
    response = api(coach).post(url, {"version": p.version}, format="json")
    assert response.status_code == 200 and response.json()["coach"] == coach.pk
    again = api(other_coach).post(url, {"version": response.json()["version"]}, format="json")
    assert again.status_code == 400 and "redan en tilldelad coach" in str(again.json())
    assert coach_of(p) == (coach.pk, today)


def test_the_list_without_coach_keeps_its_queries_constant(client, coach, other_coach):
    login(client, coach)
    assert_constant(
        lambda: ok(client.get(reverse("participations:unassigned"))),
        lambda n: f.ParticipationFactory.create_batch(n, referred=True, coach=other_coach),
    )
