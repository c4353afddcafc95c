"""Reads of assessments, scoped by access and audited.

`open_assessment` is the door to one assessment version (READ entry, allowed or
refused). The health section is never loaded with it: `health_for` returns it
only to the participation's own coach and writes its own audit entry for the
data group "hälsa"; everybody else gets None and the page says it is withheld.
"""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy

from jobbtorg.access.services import open_person
from jobbtorg.accounts.models import User
from jobbtorg.assessments import rules
from jobbtorg.assessments.models import Assessment, HealthInformation, Occupation, Status, WorkExperience
from jobbtorg.assessments.services import GROUP, HEALTH_GROUP, NotPermitted, what
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import holds
from jobbtorg.core.errors import AccessDenied
from jobbtorg.participations.models import Participation

HEALTH_WITHHELD = gettext_lazy("Uppgifter om hälsa och funktionsnedsättning visas bara för deltagarens egen coach.")


def with_rows(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return qs.select_related("participation__person", "participation__coach", "participation__unit", "goal_occupation",
                             "completed_by", "created_by").prefetch_related(
        Prefetch("work_experience", queryset=WorkExperience.objects.select_related("occupation").order_by("id"))
    )


def open_participation(user: User, actor: Actor, participation_id: int, *, via: str = "") -> Participation:
    """The participation whose assessments are shown (READ audited); roles without "assessments.read" refused."""
    participation = Participation.objects.select_related("person", "coach", "unit", "home_district").filter(
        pk=participation_id
    ).first()
    audit_what = what(via)
    if participation is None:
        record(actor, Action.READ, audit_what, None, allowed=False)
        raise AccessDenied()
    if not holds(user, "assessments.read"):
        record(actor, Action.READ, audit_what, participation.person_id, allowed=False,
               protected=participation.person.is_protected)
        raise AccessDenied()
    open_person(user, actor, participation.person_id, audit_what)
    return participation


def open_assessment(user: User, actor: Actor, assessment_id: int, *, via: str = "") -> Assessment:
    """One assessment version with its work-experience rows (not health), READ audited."""
    assessment = with_rows(Assessment.objects.filter(pk=assessment_id)).first()
    audit_what = what(via)
    if assessment is None:
        record(actor, Action.READ, audit_what, None, allowed=False)
        raise AccessDenied()
    person = assessment.participation.person
    if not holds(user, "assessments.read"):
        record(actor, Action.READ, audit_what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    open_person(user, actor, person.pk, audit_what)
    return assessment


def health_for(user: User, actor: Actor, assessment: Assessment, *, via: str = "") -> tuple[bool, HealthInformation | None]:
    """(may see, health information). Only the participation's own coach sees it; each view is audited
    as the data group "hälsa". Call only after `open_assessment` (the relation is already checked)."""
    participation = assessment.participation
    if not rules.may_see_health(user_id=user.pk, coach_id=participation.coach_id):
        return False, None
    record(actor, Action.READ, what(via, HEALTH_GROUP), participation.person_id, allowed=True,
           protected=participation.person.is_protected)
    return True, HealthInformation.objects.filter(assessment=assessment).first()


def read_health(user: User, actor: Actor, assessment: Assessment, *, via: str = "") -> HealthInformation | None:
    """For an explicit request of the health section (API): the own coach gets it (READ "hälsa"),
    anybody else is refused with a message and the refusal is audited."""
    visible, health = health_for(user, actor, assessment, via=via)
    if not visible:
        participation = assessment.participation
        record(actor, Action.READ, what(via, HEALTH_GROUP), participation.person_id, allowed=False,
               protected=participation.person.is_protected)
        raise NotPermitted(HEALTH_WITHHELD)
    return health


def versions(participation: Participation) -> list[Assessment]:
    """Every version of the participation's assessment, newest first (one query)."""
    return list(
        Assessment.objects.filter(participation=participation).select_related("completed_by", "created_by").order_by("-number")
    )


def current_draft(participation: Participation) -> Assessment | None:
    return Assessment.objects.filter(participation=participation, status=Status.DRAFT).first()


def latest_complete(participation: Participation) -> Assessment | None:
    return Assessment.objects.filter(participation=participation, status=Status.COMPLETE).order_by("-number").first()


def search_occupations(query: str, limit: int = 30) -> list[Occupation]:
    """Occupations whose name contains every word of the query (case-insensitive), shortest names first."""
    words = [w for w in query.split() if w][:5]
    if not words:
        return []
    qs = Occupation.objects.all()
    for word in words:
        qs = qs.filter(name__icontains=word)
    return sorted(qs[:200], key=lambda o: (not o.name.lower().startswith(words[0].lower()), len(o.name), o.name))[:limit]


def overview(participation: Participation) -> dict[str, Assessment | None]:
    """For the person page: the newest completed version and any draft being worked on (no health)."""
    rows = list(
        Assessment.objects.filter(participation=participation).only("id", "number", "status", "completed_on", "participation_id")
        .order_by("-number")[:2]
    )
    draft = next((a for a in rows if a.status == Status.DRAFT), None)
    complete = next((a for a in rows if a.status == Status.COMPLETE), None)
    return {"draft": draft, "complete": complete}


__all__ = ["GROUP", "open_assessment", "open_participation", "health_for", "read_health", "versions", "current_draft",
           "latest_complete", "search_occupations", "overview"]
