"""Inclusion tags so other pages can show plan panels with one line each.

    {% load plans_ui %}
    {% plan_section participation %}            person page: current plan, version in the works, waiting time
    {% district_plan_queue limit=5 %}           district start page: plans to approve (audits the persons listed)
    {% returned_plans %}                        coach start page: plans the district sent back

The data come from plans.selectors; the person page has already checked and logged access to
the person, the two lists are scoped by `visible_persons` and write LIST audit entries.
"""

from typing import Any

from django import template
from django.utils import timezone

from jobbtorg.access.services import log_listed
from jobbtorg.audit.services import Actor
from jobbtorg.participations.models import Participation
from jobbtorg.plans import selectors
from jobbtorg.plans.services import GROUP

register = template.Library()


@register.inclusion_tag("plans/_person_section.html")
def plan_section(participation: Participation) -> dict[str, Any]:
    return {"plan_overview": selectors.overview(participation, timezone.localdate())}


@register.inclusion_tag("plans/_district_queue.html", takes_context=True)
def district_plan_queue(context: dict[str, Any], limit: int = 5) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    district_id = getattr(user, "district_id", None)
    if not district_id:
        return {"queue_rows": [], "queue_total": 0}
    qs = selectors.approval_queue_qs(district_id, viewer=user)
    rows = selectors.queue_rows(list(qs[:limit]), timezone.localdate())
    log_listed(Actor.from_request(request), f"{request.path} · {GROUP} · att godkänna", [r.person for r in rows])
    return {"queue_rows": rows, "queue_total": qs.count()}


@register.inclusion_tag("plans/_returned_plans.html", takes_context=True)
def returned_plans(context: dict[str, Any], limit: int = 10) -> dict[str, Any]:
    request = context["request"]
    plans = list(selectors.returned_plans_for_coach(request.user)[:limit])
    log_listed(Actor.from_request(request), f"{request.path} · {GROUP} · återsända", [p.participation.person for p in plans])
    return {"returned_plans": plans}


@register.filter
def signature(user: Any) -> str:
    """A member of staff as shown on plans and assessments: full name, else user name, else a dash."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()
