"""Context for every page: the demo banner and the main menu for the user's role."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import can_search, may_request_emergency_access
from jobbtorg.accounts.models import Role
from jobbtorg.audit.selectors import can_open_log_review
from jobbtorg.core.capabilities import Can, holds
from jobbtorg.core.models import Installation

DEMO_CACHE_KEY = "jobbtorg:installation:is_demo"
DEMO_CACHE_SECONDS = 300
# The demo flag is kept per process ("local", settings.CACHES): it is read on every page, so a
# shared (database) cache would cost the query it saves. Each process may be 5 minutes late.
DEMO_CACHE_ALIAS = "local"



@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    description: str = ""
    # A count shown beside the label (notifications); a callable, so a page that does not draw
    # the menu (an htmx fragment) never runs the query.
    badge: Callable[[], int] | None = None


def notice_count(request: HttpRequest) -> int:
    """The menu badge: one COUNT query, once per request. A number only, no personal data."""
    cached = getattr(request, "_jobbtorg_notice_count", None)
    if cached is None:
        from jobbtorg.notifications.selectors import badge_count

        cached = badge_count(request.user, timezone.localdate())  # type: ignore[arg-type]
        request._jobbtorg_notice_count = cached  # type: ignore[attr-defined]
    return cached


def forget_demo_flag() -> None:
    """Drop this process's cached demo flag (tests, and after seeding)."""
    caches[DEMO_CACHE_ALIAS].delete(DEMO_CACHE_KEY)


def is_demo_installation() -> bool:
    """Whether this installation holds synthetic demo data; cached, it changes only on seeding."""
    cache = caches[DEMO_CACHE_ALIAS]
    value = cache.get(DEMO_CACHE_KEY)
    if value is None:
        value = Installation.objects.filter(is_demo=True).exists()
        cache.set(DEMO_CACHE_KEY, value, DEMO_CACHE_SECONDS)
    return bool(value)


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _role_items(role: str | None) -> list[tuple[str, str, str]]:
    """The work lists of each role, so every journey starts from the menu (UX.md)."""
    if role == Role.SOCIAL_WORKER:
        return [
            (_("Ny anvisning"), _url("referrals:create", "/anvisningar/ny/"), _("Anvisa en person till jobbtorget.")),
            (_("Anvisningar"), _url("referrals:list", "/anvisningar/"), _("Stadsdelens anvisningar och importer.")),
            (_("Planer att godkänna"), _url("plans:queue", "/planer/att-godkanna/"), _("Aktivitetsplaner som väntar.")),
            (_("Avvikelser"), _url("activities:deviations", "/insatser/avvikelser/"), _("Avvikelser att kvittera.")),
        ]
    if role == Role.COACH:
        return [
            (_("Utan coach"), _url("participations:unassigned", "/deltaganden/utan-coach/"),
             _("Enhetens deltagare som ingen coach har tagit än.")),
            (_("Veckans besök"), _url("participations:calendar", "/deltaganden/kalender/"), _("Dina besök vecka för vecka.")),
            (_("Ej registrerad närvaro"), _url("activities:missing", "/insatser/narvaro/ej-registrerad/"),
             _("Tillfällen utan närvaroregistrering.")),
            (_("Anställningsstöd"), _url("subsidies:index", "/stod/"), _("Ärenden om anställningsstöd och lönebidrag.")),
            (_("Vikarier"), _url("access:substitutions", "/atkomst/vikarier/"), _("Vem som är din vikarie när du är borta.")),
        ]
    if role == Role.UNIT_MANAGER:
        return [
            (_("Fördelning"), _url("participations:assignments", "/deltaganden/fordelning/"),
             _("Fördela deltagare på coacher.")),
            (_("Lönebidragstavla"), _url("subsidies:board", "/stod/lonebidrag/tavla/"), _("Försenade steg per enhet.")),
            (_("Vikarier"), _url("access:substitutions", "/atkomst/vikarier/"), _("Vikarier för frånvarande coacher.")),
            (_("Nödåtkomster"), _url("access:emergency_review", "/atkomst/nodatkomster/"),
             _("Nödåtkomster att granska och signera.")),
        ]
    if role == Role.OSA_OFFICER:
        return [
            (_("OSA-ärenden"), _url("osa:index", "/osa/"), _("Dina OSA-anställningar och uppföljningar.")),
            (_("Årsplatser"), _url("osa:places", "/osa/arsplatser/"), _("Planerade och använda platser per stadsdel.")),
        ]
    return []


def nav_items_for(user: Any, path: str, request: HttpRequest | None = None) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items: list[tuple[str, str, str]] = [(_("Start"), reverse("start"), "")]
    notices_url = ""
    if holds(user, "notifications.digest"):  # a worklist of deadlines, the same as get the digest
        notices_url = _url("notifications:index", "/notiser/")
        items.append((_("Notiser"), notices_url, _("Det som väntar på dig i dag: tidsfrister och annat att göra.")))
    if can_search(user):
        items.append((_("Sök person"), reverse("people:search"), _("Sök på personnummer eller namn.")))
    items.extend(_role_items(getattr(user, "role", None)))
    if holds(user, "activities.register_attendance"):  # group attendance: today's sessions first
        items.append((_("Tillfällen"), _url("activities:sessions", "/insatser/tillfallen/"), _("Dagens tillfällen och närvaro.")))
    if can_open_log_review(user):
        items.append(
            (
                _("Loggranskning"),
                _url("audit:index", "/logg/"),
                _("Vem har öppnat vilka personer, och vad en användare har öppnat."),
            )
        )
    if user.is_staff:
        items.append(
            (_("Administration"), reverse("admin:index"), _("Organisation, användare, utbud och andra grunddata."))
        )
    start = reverse("start")
    badge = (lambda: notice_count(request)) if request is not None else None
    return [
        NavItem(
            label,
            url,
            current=(path == url) if url == start else path.startswith(url),
            description=text,
            badge=badge if url == notices_url else None,
        )
        for label, url, text in items
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "is_demo": is_demo_installation(),
        "nav_items": nav_items_for(user, request.path, request) if user is not None else [],
        "may_request_emergency_access": user is not None and may_request_emergency_access(user),
        # `{% if can.participations.close %}`: the capability tables, asked lazily (ADR 0013).
        "can": Can(user),
    }
