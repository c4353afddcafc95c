"""Base model mixins shared by the domain apps, and the installation marker."""

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
