"""Base model mixins shared by the domain apps, and the installation marker."""

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


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
