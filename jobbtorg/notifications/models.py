"""Notifications: what the daily digest told whom, so it is sent once per user and day.

The content of a digest is computed from the worklists when it is sent (never
stored), and carries counts and links only: no names, no personnummer, so a
protected identity can not leak through e-mail.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestSent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("dag"))
    sent_at = models.DateTimeField(auto_now_add=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("skickad sammanfattning")
        verbose_name_plural = _("skickade sammanfattningar")
        # Several workers may run the digest; the unique row makes the send happen once.
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class DailyRun(models.Model):
    """A scheduled job that has run for a day (the scheduler enqueues each job once per day)."""

    name = models.CharField(max_length=100)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="one_run_per_job_and_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
