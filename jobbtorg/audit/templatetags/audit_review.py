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


@register.filter
def change_rows(details: object) -> list[tuple[str, str, str]]:
    """An entry's (field, old, new) texts: "roll: Systemförvaltare → Coach"."""
    return formatting.change_rows(details)


@register.filter
def concerns(details: object) -> str:
    """Whose user account an administration entry is about ("kalle (id 5)"), or ""."""
    if isinstance(details, dict) and details.get("user_id"):
        return f"{details.get('username', '')} (id {details['user_id']})"
    return ""


@register.filter
def reason(details: object) -> str:
    """The stated reason of an access change, if any (masked like "what")."""
    return formatting.redact(str(details.get("reason", ""))) if isinstance(details, dict) else ""


@register.filter
def describe(entry: object) -> str:
    """An entry in words, in the user's language ("öppnade kartläggningen")."""
    return formatting.describe(getattr(entry, "action", ""), getattr(entry, "what", ""), getattr(entry, "outcome", ""))
