"""Base model mixins shared by the domain apps, and the installation marker."""

from typing import Any, NoReturn

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LimitedTextField(models.TextField):
    """A long text with a limit, enforced like a CharField's: the model's `max_length` is the one
    source that forms (maxlength, counter, "högst 2 000 tecken") and the API read (issue 10 item 6)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("max_length"):
            raise TypeError("LimitedTextField needs max_length")
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(kwargs["max_length"]))


def max_length_of(model: type[models.Model], name: str) -> int:
    """A text field's limit, read from the model (for a form or serializer field declared by hand)."""
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if limit is None:
        raise ValueError(f"{model._meta.label}.{name} has no max_length")
    return int(limit)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Optimistic locking: every write through a service bumps `version`.

    A form or API client sends back the version it read; the service refuses
    the write with a ConflictError when somebody saved in between, so a
    concurrent edit is never silently overwritten.
    """

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class Installation(models.Model):
    """One row: facts about this installation, e.g. that it holds synthetic demo data."""

    is_demo = models.BooleanField(_("demodata"), default=False)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installation")

    def __str__(self) -> str:
        return "demo" if self.is_demo else "production"


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(f"{self.model.__name__} rows are append-only: add a new row instead")

    def delete(self) -> NoReturn:
        raise PermissionError(f"{self.model.__name__} rows are append-only: add a new row instead")


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or deleted (timeline entries, objections,
    plan decisions): a correction is a new row. The error names the model, whichever app it is in."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(f"{type(self).__name__} rows are append-only: add a new row instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(f"{type(self).__name__} rows are append-only: add a new row instead")
