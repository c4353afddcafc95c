"""Template filters for the log review pages."""

from django import template

from jobbtorg.audit import formatting

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """The Swedish name of an acting role stored in an entry ("unit_manager" → "Enhetschef")."""
    return formatting.role_label(value)


@register.filter
def redact(value: str) -> str:
    """Mask personnummer-shaped text in an entry's free text."""
    return formatting.redact(value)
