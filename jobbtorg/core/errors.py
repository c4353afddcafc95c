"""Domain errors: raised by services and rules, shown to the user in Swedish."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A rule refused a change. Message (and field errors) are in plain Swedish."""


class ConflictError(DomainError):
    """Somebody else saved the same object since it was read (optimistic locking)."""


class AccessDenied(Exception):
    """The user has no relation to the person that allows this action."""
