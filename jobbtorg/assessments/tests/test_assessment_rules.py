"""The assessment instrument (DOMAIN §4.3, §11; issue 3 part 3): versions, freezing, strict health access."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jobbtorg.assessments import rules, selectors, services
from jobbtorg.assessments.models import Assessment, HealthInformation, Occupation, Status, WorkExperience
from jobbtorg.assessments.tests.conftest import actor_for
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

HEALTH_TEXT = "Ryggbesvär sedan 2024; klarar inte tunga lyft."


def login(user):
    user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    return client


def filled_draft(coach, participation):
    draft, created = services.start_draft(coach, actor_for(coach), participation.pk)
    assert created
    draft = services.update_assessment(coach, actor_for(coach), draft.pk, draft.version, {
        "education_level": "upper_secondary", "education_country": "Syrien", "education_years": 12,
        "swedish_level": "sfi_c", "goals": "Arbete som undersköterska.",
    })
    services.update_health(coach, actor_for(coach), draft.pk, draft.version, {"health": HEALTH_TEXT, "work_capacity": "affected"})
    draft.refresh_from_db()
    services.add_work_experience(coach, actor_for(coach), draft.pk, draft.version,
                                 {"occupation": Occupation.objects.get(pk=5), "years": Decimal("3.5"), "country": "Syrien"})
    draft.refresh_from_db()
    return draft


def test_occupation_list_is_loaded():
    assert Occupation.objects.count() == 3253
    assert Occupation.objects.get(pk=5).ssyk2012 == "2163"
    assert [o.name for o in selectors.search_occupations("undersköt")][:1] == ["Undersköterska, hemsjukvård"] or \
        all("undersköt" in o.name.lower() for o in selectors.search_occupations("undersköt"))


def test_assessment_completion_freezes_version(coach, participation):
    v1 = filled_draft(coach, participation)
    completed = services.complete_assessment(coach, actor_for(coach), v1.pk, v1.version, today=dt.date(2026, 11, 20))
    assert completed.status == Status.COMPLETE and completed.completed_on == dt.date(2026, 11, 20)

    frozen = Assessment.objects.get(pk=v1.pk)
    # Service guard: no edit of a completed version, whatever the path.
    with pytest.raises(DomainError, match="slutförd och kan inte ändras"):
        services.update_assessment(coach, actor_for(coach), v1.pk, frozen.version, {"goals": "Annat"})
    with pytest.raises(DomainError, match="slutförd"):
        services.update_health(coach, actor_for(coach), v1.pk, frozen.version, {"health": "Annat"})
    with pytest.raises(DomainError, match="slutförd"):
        services.add_work_experience(coach, actor_for(coach), v1.pk, frozen.version,
                                     {"occupation": Occupation.objects.get(pk=25), "years": 1})
    # Model guards.
    frozen.goals = "Ändrat i smyg"
    with pytest.raises(DomainError):
        frozen.save()
    with pytest.raises(DomainError):
        Assessment.objects.filter(pk=v1.pk).update(goals="Ändrat i smyg")
    with pytest.raises(DomainError):
        WorkExperience.objects.filter(assessment_id=v1.pk).delete()
    health = HealthInformation.objects.get(assessment_id=v1.pk)
    health.health = "Ändrat"
    with pytest.raises(DomainError):
        health.save()

    # A change after completion starts a new draft version, a copy; version 1 stays as it was.
    v2, created = services.start_draft(coach, actor_for(coach), participation.pk)
    assert created and (v2.number, v2.status, v2.previous_id) == (2, Status.DRAFT, v1.pk)
    assert v2.goals == "Arbete som undersköterska." and v2.work_experience.count() == 1
    assert HealthInformation.objects.get(assessment=v2).health == HEALTH_TEXT
    services.update_assessment(coach, actor_for(coach), v2.pk, v2.version, {"goals": "Studier till undersköterska."})
    assert Assessment.objects.get(pk=v1.pk).goals == "Arbete som undersköterska."
    assert [a.number for a in selectors.versions(participation)] == [2, 1]
    # Asking again returns the same draft (one draft at a time).
    again, created = services.start_draft(coach, actor_for(coach), participation.pk)
    assert again.pk == v2.pk and not created
    kinds = list(TimelineEntry.objects.filter(participation=participation).order_by("id").values_list("kind", flat=True))
    assert kinds == ["assessment_started", "assessment_completed", "assessment_revision_started"]
    assert HEALTH_TEXT not in " ".join(TimelineEntry.objects.values_list("text", flat=True))


def test_completion_needs_the_base_fields(coach, participation):
    draft, _ = services.start_draft(coach, actor_for(coach), participation.pk)
    with pytest.raises(DomainError) as refused:
        services.complete_assessment(coach, actor_for(coach), draft.pk, draft.version)
    assert set(refused.value.message_dict) == set(rules.REQUIRED_TO_COMPLETE)
    assert Assessment.objects.get(pk=draft.pk).status == Status.DRAFT


def test_health_section_only_for_own_coach_and_audited(coach, colleague, participation, social_worker):
    draft = filled_draft(coach, participation)
    AuditEntry.objects.all()  # (entries are append-only; we look at new ones by user below)
    url = reverse("assessments:detail", args=[draft.pk])

    # The own coach sees it, and the view is its own audit entry for the data group "hälsa".
    page = login(coach).get(url).content.decode()
    assert HEALTH_TEXT in page
    health_reads = AuditEntry.objects.filter(user_id=coach.pk, action=Action.READ, what__endswith="hälsa")
    assert health_reads.count() == 1
    assert health_reads.get().person_id == participation.person_id and health_reads.get().outcome == Outcome.ALLOWED

    # A colleague coach at the same unit and the home district's social worker see the person's
    # assessment, but the health section is withheld with a note, and no health read is logged.
    for other in (colleague, social_worker):
        response = login(other).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert HEALTH_TEXT not in html
        assert "visas bara för deltagarens egen coach" in html
        assert not AuditEntry.objects.filter(user_id=other.pk, what__endswith="hälsa").exists()
        assert AuditEntry.objects.filter(user_id=other.pk, action=Action.READ, outcome=Outcome.ALLOWED).exists()
        # Selector: nothing is loaded for them.
        assert selectors.health_for(other, actor_for(other), draft) == (False, None)

    # A colleague may edit the assessment but not the health section: refused, audited, nothing saved.
    with pytest.raises(services.NotPermitted):
        services.update_health(colleague, actor_for(colleague), draft.pk, draft.version, {"health": "Skrivet av kollega"})
    refusal = AuditEntry.objects.get(user_id=colleague.pk, outcome=Outcome.REFUSED)
    assert refusal.what.endswith("hälsa") and refusal.action == Action.CHANGE
    assert HealthInformation.objects.get(assessment=draft).health == HEALTH_TEXT
    # Through the page as well (403, nothing saved).
    response = login(colleague).post(reverse("assessments:section", args=[draft.pk, "halsa"]),
                                     {"version": draft.version, "halsa-health": "x", "halsa-work_capacity": "unknown"})
    assert response.status_code == 403
    assert HealthInformation.objects.get(assessment=draft).health == HEALTH_TEXT


def test_assessment_refused_without_relation_or_role(coach, participation):
    draft = filled_draft(coach, participation)
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    with pytest.raises(AccessDenied):
        services.update_assessment(stranger, actor_for(stranger), draft.pk, draft.version, {"goals": "x"})
    assert login(stranger).get(reverse("assessments:detail", args=[draft.pk])).status_code == 404
    matcher = f.UserFactory(matcher=True)  # reaches the person, but the assessment is not for matching
    assert login(matcher).get(reverse("assessments:detail", args=[draft.pk])).status_code == 404
    social_worker = f.UserFactory(social_worker=True)
    with pytest.raises(services.NotPermitted):
        services.update_assessment(social_worker, actor_for(social_worker), draft.pk, draft.version, {"goals": "x"})


def test_concurrent_assessment_edit_conflict(coach, colleague, participation):
    draft, _ = services.start_draft(coach, actor_for(coach), participation.pk)
    read_by_both = draft.version
    services.update_assessment(coach, actor_for(coach), draft.pk, read_by_both, {"goals": "Coachens text"})
    with pytest.raises(ConflictError):
        services.update_assessment(colleague, actor_for(colleague), draft.pk, read_by_both, {"goals": "Kollegans text"})
    assert Assessment.objects.get(pk=draft.pk).goals == "Coachens text"


def test_bad_values_refused_nothing_saved(coach, participation):
    draft, _ = services.start_draft(coach, actor_for(coach), participation.pk)
    with pytest.raises(DomainError) as refused:
        services.update_assessment(coach, actor_for(coach), draft.pk, draft.version,
                                   {"education_level": "phd-ish", "education_years": 99})
    assert set(refused.value.message_dict) == {"education_level", "education_years"}
    with pytest.raises(DomainError) as refused:
        services.update_assessment(coach, actor_for(coach), draft.pk, draft.version,
                                   {"sfi_test_date": dt.date(2099, 1, 1)}, today=dt.date(2026, 11, 20))
    assert "sfi_test_date" in refused.value.message_dict
    with pytest.raises(DomainError) as refused:
        services.add_work_experience(coach, actor_for(coach), draft.pk, draft.version, {"occupation": None, "years": None})
    assert set(refused.value.message_dict) == {"occupation", "years"}
    fresh = Assessment.objects.get(pk=draft.pk)
    assert fresh.version == draft.version and fresh.education_level == "" and not fresh.work_experience.exists()


def test_assessment_factories_build_each_state():
    assert f.AssessmentFactory().status == Status.DRAFT
    complete = f.AssessmentFactory(complete=True)
    assert complete.status == Status.COMPLETE and complete.completed_by == complete.participation.coach
