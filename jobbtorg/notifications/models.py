"""Notifications: what the daily digest told whom, so it is sent once per user and day.

The content of a digest is computed from the worklists when it is sent (never
stored), and carries counts and links only: no names, no personnummer, so a
protected identity can not leak through e-mail.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.participations.models import ClosureReason


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


class Message(models.Model):
    """A one-off in-app message to a member of staff, shown on /notiser/ (e.g. that a person's
    protection level was lowered). Like the digest it never holds a name or personnummer:
    the text names the person by id and `url` leads to where access is checked again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    text = models.CharField(_("meddelande"), max_length=300)
    url = models.CharField(_("länk"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class DistrictNews(models.Model):
    """News for a home district about its resident at the Jobbtorg (issue 10 item 5): the
    participation was interrupted, restarted or closed (with the outcome). Read by the district's
    inbox (names shown there only to staff who may see the person) and counted in its digest.
    Holds ids and codes only, never a name or personnummer."""

    class Kind(models.TextChoices):
        INTERRUPTED = "interrupted", _("Avbrott")
        RESTARTED = "restarted", _("Nystart")
        CLOSED = "closed", _("Avslut")

    district = models.ForeignKey("organisation.District", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("stadsdel"))
    participation = models.ForeignKey("participations.Participation", on_delete=models.CASCADE, related_name="+",
                                      verbose_name=_("deltagande"))
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    occurred_on = models.DateField(_("datum"))
    outcome = models.CharField(_("utfall"), max_length=40, blank=True)  # participations.ClosureReason value
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("nyhet till stadsdelen")
        verbose_name_plural = _("nyheter till stadsdelen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "created_at"], name="district_news_idx")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.kind} {self.occurred_on}"

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)


def outcome_label(code: str) -> str:
    """A closure reason's label (participations' vocabulary), or the code if it is unknown."""
    return str(ClosureReason(code).label) if code in ClosureReason.values else code
