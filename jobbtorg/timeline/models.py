"""The person's timeline (LEGAL.md: documentation duties, 14 kap. 3 och 6 §§ SoL).

Every decision, step and significant event of a participation is a dated,
signed, append-only entry. A correction is a new entry pointing at the old one
(`corrects`); the participant's objection is attached to an entry and is
itself append-only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import AppendOnlyModel


class NoteType(models.TextChoices):
    """The kind of contact a case note (journalanteckning) records; kept in the entry's data."""

    CONVERSATION = "samtal", _("Samtal")
    PHONE = "telefon", _("Telefon")
    EMAIL = "e-post", _("E-post")
    VISIT = "besok", _("Besök")
    OTHER = "ovrigt", _("Övrigt")


NOTE_KIND = "note_recorded"  # timeline.kinds.EventKind.NOTE_RECORDED


class TimelineEntry(AppendOnlyModel):
    """One event in a person's file (journalanteckning/händelse)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="timeline", verbose_name=_("person"))
    participation = models.ForeignKey(
        "participations.Participation", null=True, blank=True, on_delete=models.PROTECT, related_name="timeline",
        verbose_name=_("deltagande"),
    )
    kind = models.CharField(_("typ"), max_length=50)  # event name: subject_action_outcome, e.g. plan_approved
    occurred_on = models.DateField(_("datum"))
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("av")
    )
    author_name = models.CharField(_("signatur"), max_length=150)
    author_role = models.CharField(_("roll"), max_length=20)
    text = models.TextField(_("text"))
    data = models.JSONField(_("uppgifter"), default=dict, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("rättar")
    )

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["-occurred_on", "-recorded_at", "-id"]
        indexes = [
            # The person page lists the timeline newest first.
            models.Index(fields=["person", "-occurred_on", "-recorded_at"]),
            models.Index(fields=["participation", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.kind}"

    @property
    def note_type_label(self) -> str:
        """A case note's type in words ("Telefon"); empty for other entries."""
        value = (self.data or {}).get("note_type", "") if self.kind == NOTE_KIND else ""
        return str(NoteType(value).label) if value in NoteType.values else ""


class Objection(AppendOnlyModel):
    """The participant says an entry is wrong (14 kap. 6 § SoL): noted, never editing the entry."""

    entry = models.ForeignKey(TimelineEntry, on_delete=models.PROTECT, related_name="objections", verbose_name=_("händelse"))
    text = models.TextField(_("invändning"))
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField(_("signatur"), max_length=150)

    class Meta:
        verbose_name = _("invändning")
        verbose_name_plural = _("invändningar")
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.text[:40]}"
