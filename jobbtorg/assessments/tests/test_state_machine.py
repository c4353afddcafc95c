"""The assessment version as a state machine (DOMAIN §4.3: the instrument is kept in versions, a
completed version never changes; ADR 0014): the table per role, the services refusing what it
lacks, and the page offering exactly the steps it allows."""

import pytest
from django.test import Client
from django.urls import reverse

from jobbtorg.accounts.models import Role
from jobbtorg.assessments import rules, services
from jobbtorg.assessments.models import Status
from jobbtorg.assessments.rules import Step
from jobbtorg.assessments.tests.conftest import actor_for
from jobbtorg.core.errors import DomainError
from jobbtorg.testing.capabilities import permits, user_at

EXPECTED = {Status.DRAFT: {Step.EDIT: Status.DRAFT, Step.COMPLETE: Status.COMPLETE}, Status.COMPLETE: {Step.REVISE: Status.COMPLETE}}
ME, UNIT = 7, 1


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("status", Status.values)
def test_only_the_participations_coaches_take_steps(role, status):
    facts = {"coach_id": ME, "unit_id": UNIT}
    own = rules.allowed_steps(status, permits(user_at(role, pk=ME), "assessments", **facts))
    colleague = rules.allowed_steps(status, permits(user_at(role, pk=8, unit_id=UNIT), "assessments", **facts))
    stranger = rules.allowed_steps(status, permits(user_at(role, pk=9, unit_id=2), "assessments", **facts))
    expected = set(EXPECTED[status]) if role == Role.COACH else set()
    assert set(own) == set(colleague) == expected
    assert stranger == []


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("step", list(Step))
def test_every_pair_outside_the_table_is_refused_in_swedish(status, step):
    if step in EXPECTED[status]:
        assert rules.next_status(status, step) == EXPECTED[status][step]
        return
    with pytest.raises(DomainError) as refused:
        rules.next_status(status, step)
    assert refused.value.messages[0].startswith("Kartläggningen är")


def test_the_statuses_of_the_table_are_the_model_statuses():
    assert {rules.DRAFT, rules.COMPLETE} == set(Status.values)


FILLED = {"education_level": "upper_secondary", "swedish_level": "sfi_c", "goals": "Arbete som undersköterska."}


@pytest.mark.django_db
def test_the_services_walk_draft_complete_revise_and_refuse_the_rest(coach, participation):
    actor = actor_for(coach)
    draft, _created = services.start_draft(coach, actor, participation.pk)
    draft = services.update_assessment(coach, actor, draft.pk, draft.version, FILLED)  # draft --edit--> draft
    done = services.complete_assessment(coach, actor, draft.pk, draft.version)  # draft --complete--> complete
    assert done.status == Status.COMPLETE
    with pytest.raises(DomainError, match="slutförd och kan inte ändras"):
        services.update_assessment(coach, actor, done.pk, done.version, {"goals": "Annat"})
    with pytest.raises(DomainError, match="slutförd och kan inte ändras"):
        services.complete_assessment(coach, actor, done.pk, done.version)
    second, created = services.start_draft(coach, actor, participation.pk)  # complete --revise--> new draft
    assert created and second.number == 2 and second.status == Status.DRAFT


def _offered(client, assessment, participation):
    html = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    return {
        Step.COMPLETE: f'action="{reverse("assessments:complete", args=[assessment.pk])}"' in html,
        Step.REVISE: f'action="{reverse("assessments:participation", args=[participation.pk])}"' in html,
        Step.EDIT: f'action="{reverse("assessments:section", args=[assessment.pk, "mal"])}"' in html,
    }


@pytest.mark.django_db
def test_the_page_offers_exactly_the_allowed_steps(coach, participation, social_worker):
    actor = actor_for(coach)
    draft, _created = services.start_draft(coach, actor, participation.pk)
    coach.save(update_fields=["password"])
    client = Client()
    client.force_login(coach)
    assert _offered(client, draft, participation) == {Step.EDIT: True, Step.COMPLETE: True, Step.REVISE: False}
    draft = services.update_assessment(coach, actor, draft.pk, draft.version, FILLED)
    done = services.complete_assessment(coach, actor, draft.pk, draft.version)
    assert _offered(client, done, participation) == {Step.EDIT: False, Step.COMPLETE: False, Step.REVISE: True}
    social_worker.save(update_fields=["password"])
    reader = Client()
    reader.force_login(social_worker)
    assert reader.get(reverse("assessments:detail", args=[done.pk])).status_code == 200
    assert _offered(reader, done, participation) == {Step.EDIT: False, Step.COMPLETE: False, Step.REVISE: False}
