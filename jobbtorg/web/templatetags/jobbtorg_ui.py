"""Template helpers for Swedish conventions and accessible list tables.

Formatting only: no access or business rules live here.
"""

import datetime
from typing import Any, cast

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

register = template.Library()


@register.filter
def isoweek(value: datetime.date | None) -> int | str:
    """ISO week number of a date (Swedish offices plan by week)."""
    if not value:
        return ""
    return value.isocalendar().week


@register.simple_tag
def date_with_week(value: datetime.date | None, empty: str = "–") -> str:
    """`2026-11-23 v. 48` as a <time> element; a dash when there is no date."""
    if not value:
        return format_html('<span class="no-date">{}</span>', empty)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return format_html(
        '<time datetime="{}">{}</time> <span class="week">{}</span>',
        value.isoformat(),
        formats.date_format(value, "Y-m-d"),
        _("v. %(week)s") % {"week": value.isocalendar().week},
    )


@register.simple_tag(takes_context=True)
def sort_header(context: dict[str, Any], key: str, label: str) -> str:
    """A column header that sorts the list by `key` (a toggle), with aria-sort and a visible arrow.

    The current sort comes from the view as `sort`; other GET parameters (filters) are kept,
    the page is reset.
    """
    request = context["request"]
    current = context.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"] = f"-{key}"
        aria, arrow, hint = "ascending", "▲", _("sorterad stigande")
    elif current == f"-{key}":
        params["sort"] = key
        aria, arrow, hint = "descending", "▼", _("sorterad fallande")
    else:
        params["sort"] = key
        aria, arrow, hint = "", "", ""
    href = "?" + params.urlencode()
    if aria:
        return format_html(
            '<th scope="col" aria-sort="{}"><a href="{}">{} <span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">({})</span></a></th>',
            aria,
            href,
            label,
            arrow,
            hint,
        )
    return format_html('<th scope="col"><a href="{}">{}</a></th>', href, label)


# The words for a deadline's state: shown as text (never by colour alone), styled by class.
DEADLINE_STATES = {
    "overdue": gettext_lazy("Försenad"),
    "due": gettext_lazy("Att göra nu"),
    "soon": gettext_lazy("Snart"),  # only inside the rule's warning window (deadlines.rules.shown_state)
    "upcoming": gettext_lazy("Kommande"),
    "paused": gettext_lazy("Pausad"),
    "done": gettext_lazy("Klar"),
}


@register.simple_tag
def deadline_state(state: Any) -> str:
    """A deadline's state as a labelled badge: `<span class="deadline deadline--overdue">Försenad</span>`.

    Give it the row (`{% deadline_state row %}`): then a deadline far off is "Kommande", and "Snart"
    only within its rule's warning window. A bare state can not tell, so "upcoming" is "Kommande"."""
    shown = getattr(state, "shown", None)
    state = str(shown or getattr(state, "state", state))
    label = DEADLINE_STATES.get(state, state)
    return format_html('<span class="deadline deadline--{}">{}</span>', state, label)


@register.simple_tag
def waiting_since(days: int | None) -> str:
    """How long something has waited, in working days: "sedan idag", never "sedan 0 arbetsdagar"."""
    if not days:
        return _("sedan idag")
    return ngettext("sedan %(days)s arbetsdag", "sedan %(days)s arbetsdagar", days) % {"days": days}


@register.simple_tag(takes_context=True)
def include_if_exists(context: template.Context, name: str, **extra: Any) -> str:
    """`{% include %}` for a partial another part of the system may not have yet: renders nothing
    when the template does not exist (a later issue provides it)."""
    try:
        partial = get_template(name)
    except TemplateDoesNotExist:
        return ""
    # Template context keys are variable names; the stubs type flatten()'s keys as int | str | Node.
    values = cast(dict[str, Any], context.flatten())
    values.update(extra)
    return partial.render(values, context.get("request"))


@register.filter
def template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`{{ labels|get_item:key }}`: a value from a dict, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
