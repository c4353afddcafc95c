"""The timeline is append-only; corrections and objections are new rows (LEGAL.md, SoL 14 kap.)."""

import pytest
from django.core.exceptions import PermissionDenied

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.testing import factories as f
from jobbtorg.timeline import services
from jobbtorg.timeline.kinds import EventKind
from jobbtorg.timeline.models import Objection, TimelineEntry

pytestmark = pytest.mark.django_db


def actor(user):
    return Actor(user.pk, user.get_username(), user.role)


@pytest.fixture
def entry():
    coach = f.UserFactory(coach=True)
    participation = f.ParticipationFactory(enrolled=True, coach=coach)
    return services.append(kind="participant_arrived", text="Inskriven", author=coach, participation=participation)


def test_entry_is_signed_with_author_and_role(entry):
    assert entry.author_role == "coach"
    assert entry.author_name
    assert entry.person_id == entry.participation.person_id


def test_timeline_entry_can_not_be_changed_or_deleted(entry):
    entry.text = "ändrad"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        TimelineEntry.objects.filter(pk=entry.pk).update(text="x")
    with pytest.raises(PermissionError):
        TimelineEntry.objects.filter(pk=entry.pk).delete()
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Inskriven"


def test_correction_is_a_new_entry_pointing_at_the_old(entry):
    correction = services.correct(entry.author, actor(entry.author), entry.person_id, entry.pk, "Fel datum angavs")
    assert correction.pk != entry.pk
    assert correction.corrects_id == entry.pk
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Inskriven"


def test_participant_objection_is_attached_to_entry(entry):
    objection = services.add_objection(
        entry.author, actor(entry.author), entry.person_id, entry.pk, "Deltagaren menar att hen var sjuk"
    )
    assert list(entry.objections.all()) == [objection]
    with pytest.raises(PermissionError):
        Objection.objects.filter(pk=objection.pk).delete()


def test_empty_objection_refused(entry):
    with pytest.raises(DomainError):
        services.add_objection(entry.author, actor(entry.author), entry.person_id, entry.pk, "  ")
    assert not Objection.objects.exists()


def test_unknown_event_kind_is_refused_so_every_stored_kind_is_typed(entry):
    """issue 9 item 6: the timeline's kinds are one enum (timeline.kinds.EventKind); a kind not in it
    is not stored, and the stored value of a member is its readable string."""
    with pytest.raises(ValueError, match="steg 3"):
        services.append(kind="steg 3", text="x", author=entry.author, participation=entry.participation)
    stored = services.append(kind=EventKind.PLAN_APPROVED, text="x", author=entry.author, participation=entry.participation)
    assert TimelineEntry.objects.get(pk=stored.pk).kind == "plan_approved"


def test_correction_by_the_service_is_audited_with_old_and_new_entry(entry):
    """LEGAL.md (SoL 14 kap. 3 §; audit of every change): the service, not the view, writes the CHANGE entry."""
    correction = services.correct(entry.author, actor(entry.author), entry.person_id, entry.pk, "Fel datum angavs")
    logged = AuditEntry.objects.get(user_id=entry.author.pk, action=Action.CHANGE, what=services.CORRECTION)
    assert logged.outcome == Outcome.ALLOWED and logged.person_id == entry.person_id
    assert logged.details == {"entry": entry.pk, "new": correction.pk}


@pytest.mark.parametrize("what", ["correct", "add_objection"])
def test_correction_or_objection_by_someone_without_the_right_is_refused_and_audited(entry, what):
    """LEGAL.md (SoL 14 kap. 3 och 6 §§): only the coach of the entry's participation annotates it. Another
    coach with access to the person (a stand-in would have it; here the unit manager, who sees the unit's
    participants) is refused with PermissionDenied by the service itself, the refusal is audited, nothing saved."""
    manager = f.UserFactory(unit_manager=True, jobbtorg_unit=entry.participation.unit)
    call = getattr(services, what)
    with pytest.raises(PermissionDenied):
        call(manager, actor(manager), entry.person_id, entry.pk, "Min text")
    refused = AuditEntry.objects.get(user_id=manager.pk, outcome=Outcome.REFUSED)
    assert refused.action == Action.CHANGE and refused.person_id == entry.person_id
    assert TimelineEntry.objects.count() == 1 and not Objection.objects.exists()


def test_correction_by_someone_without_access_to_the_person_is_not_found_and_audited(entry):
    """Access (docs/adr/0006): without a relation to the person the service answers as if there were no entry."""
    stranger = f.UserFactory(coach=True)
    with pytest.raises(AccessDenied):
        services.correct(stranger, actor(stranger), entry.person_id, entry.pk, "Min text")
    assert AuditEntry.objects.filter(user_id=stranger.pk, outcome=Outcome.REFUSED, person_id=entry.person_id).exists()
    assert TimelineEntry.objects.count() == 1
