"""Stored deadlines: one row per clock, refreshed by the service that changes its inputs.

The one store of "when is Y due" (ADR 0016): a kind (deadlines.rules.RULES says what it means,
who acts and what `subject_id` refers to) and a subject. Participation clocks, subsidy steps and
OSA follow-ups all live here, so badges, digests and worklists read one table.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbtorg.deadlines.rules import RULES, Kind


class Deadline(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    participation = models.ForeignKey(
        "participations.Participation", on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("deltagande"),
        null=True, blank=True,  # None for subjects outside a participation (an OSA case)
    )
    kind = models.CharField(_("typ"), max_length=40, choices=[(k.value, RULES[k].label) for k in Kind])
    subject_id = models.PositiveBigIntegerField(_("gäller id"), null=True, blank=True, help_text=_("t.ex. plan eller insats"))
    due_date = models.DateField(_("förfallodag"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    responsible = models.CharField(_("ansvarig"), max_length=10)  # rules.Responsible
    # The home district that must act, kept on the district's own deadlines (approval, deviation
    # acknowledgement) so its worklist reads one index range instead of joining every open
    # deadline of the city to the participations (bench/README.md, cause 1). A participation's
    # home district is fixed at referral, so the copy never goes stale.
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("stadsdel som ska agera"),
    )
    paused_on = models.DateField(_("pausad sedan"), null=True, blank=True)
    done_on = models.DateField(_("klar"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tidsfrist")
        verbose_name_plural = _("tidsfrister")
        indexes = [
            # Worklists: open deadlines by due date, joined to the coach's/district's participations.
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["participation", "kind", "status"]),
            # A subject's deadlines (a subsidy step, an OSA case): refreshed and read per subject.
            models.Index(fields=["subject_id", "kind", "status", "due_date"], name="deadline_subject_idx"),
            # The district's worklist and menu badge: its open, running deadlines by due date.
            models.Index(
                fields=["district", "due_date"],
                condition=Q(status="open", paused_on__isnull=True, district__isnull=False),
                name="deadline_district_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date} ({self.status})"

    @property
    def label(self) -> str:
        return gettext(RULES[Kind(self.kind)].label)
