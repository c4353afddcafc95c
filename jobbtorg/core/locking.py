"""Optimistic locking helper used by every service that edits a versioned row."""

from django.db import models
from django.utils.translation import gettext as _

from jobbtorg.core.errors import ConflictError


def save_versioned(instance: models.Model, expected_version: int | None, fields: list[str]) -> None:
    """Save `fields` of `instance` only if its stored version is still `expected_version`.

    One conditional UPDATE: the check and the write are atomic in the database,
    so two users saving at once can not both win.
    """
    model = type(instance)
    current = instance.version  # type: ignore[attr-defined]
    expected = current if expected_version is None else expected_version
    values = {name: getattr(instance, name) for name in fields}
    updated = model._default_manager.filter(pk=instance.pk, version=expected).update(
        version=expected + 1, **values
    )
    if updated != 1:
        raise ConflictError(
            _("Någon annan har ändrat uppgifterna medan du arbetade. Ladda om sidan och gör ändringen igen.")
        )
    instance.version = expected + 1  # type: ignore[attr-defined]
