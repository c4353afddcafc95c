"""Employment subsidies with Arbetsförmedlingen (DOMAIN §9, §18, seed 000 sections 1–2).

- `SubsidyCase` — anställningsstöd: introduktionsjobb, nystartsjobb,
  yrkesintroduktionsanställning or lönebidrag for one participation and one
  employer. The case is the aggregate root: every change, its steps included,
  goes through `subsidies.services` with the case's `version`.
- `SubsidyStep` — one timed step of a case with a stored due date: the seven
  steps of the lönebidrag process, the introduktionsjobb decision deadline and
  the task to report an early termination to Arbetsförmedlingen. Due dates come
  from the named rules in `subsidies.steps` (STEP_RULES).

The qualification rules, the facts recorded per person and their evaluation are
the `eligibility` app (ADR 0015); the step rules are pure data in `subsidies.steps`,
so this module imports them without a cycle.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import TimeStampedModel, VersionedModel
from jobbtorg.eligibility.models import SubsidyType
from jobbtorg.subsidies.steps import STEP_RULES, StepKind, StepRule

__all__ = ["SubsidyType"]  # the subsidy forms are the eligibility app's vocabulary; re-exported for the cases


class Route(models.TextChoices):
    """How the application reaches Arbetsförmedlingen (seed 000: skyddad ID → lokalkontor)."""

    DIGITAL = "digital", _("Digital intresseanmälan")
    LOCAL_OFFICE = "local_office", _("Handläggs av Arbetsförmedlingens lokalkontor")


class CaseStatus(models.TextChoices):
    NOTIFIED = "notified", _("Intresseanmälan gjord")
    GRANTED = "granted", _("Beviljat")
    REFUSED = "refused", _("Ej beviljat")
    TERMINATED_EARLY = "terminated_early", _("Avbrutet i förtid")
    ENDED = "ended", _("Avslutat")
    WITHDRAWN = "withdrawn", _("Återkallat")


OPEN_CASE_STATUSES = (CaseStatus.NOTIFIED, CaseStatus.GRANTED)


class SubsidyCase(VersionedModel):
    """Ärende om anställningsstöd for one participant and one employer."""

    participation = models.ForeignKey(
        "participations.Participation", on_delete=models.PROTECT, related_name="subsidy_cases", verbose_name=_("deltagande")
    )
    subsidy_type = models.CharField(_("stödform"), max_length=20, choices=SubsidyType.choices)
    employer = models.ForeignKey(
        "organisation.Employer", on_delete=models.PROTECT, related_name="subsidy_cases", verbose_name=_("arbetsgivare")
    )
    route = models.CharField(_("handläggning"), max_length=20, choices=Route.choices, default=Route.DIGITAL)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NOTIFIED)

    notified_on = models.DateField(_("intresseanmälan gjord"))
    notification_text = models.TextField(_("fritext i intresseanmälan"), blank=True)
    preceded_by_practice = models.BooleanField(_("föregås av praktik"), default=False)

    # Handledare: the person Arbetsförmedlingen contacts (required for introduktionsjobb).
    supervisor_contact = models.ForeignKey(
        "organisation.EmployerContact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handledare (kontaktperson)"),
    )
    supervisor_name = models.CharField(_("handledarens namn"), max_length=150, blank=True)
    supervisor_phone = models.CharField(_("handledarens telefon"), max_length=30, blank=True)
    supervisor_email = models.EmailField(_("handledarens e-post"), blank=True)

    planned_start = models.DateField(_("planerad anställningsstart"), null=True, blank=True)
    decision_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    period_from = models.DateField(_("beslut gäller från"), null=True, blank=True)
    period_to = models.DateField(_("beslut gäller till"), null=True, blank=True)
    # Nystartsjobb decided while the eligibility check could not tell (facts missing): what the decision
    # rested on for the missing facts, as the coach recorded it (issue 10 item 9).
    decision_missing_facts = models.TextField(_("uppgifter som saknades i kvalificeringen"), blank=True)

    ended_on = models.DateField(_("avslutat"), null=True, blank=True)
    end_reason = models.TextField(_("orsak"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )

    class Meta:
        verbose_name = _("ärende om anställningsstöd")
        verbose_name_plural = _("ärenden om anställningsstöd")
        indexes = [
            # Reports group by type, status and month of the interest notification.
            models.Index(fields=["subsidy_type", "status", "notified_on"]),
            models.Index(fields=["participation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_on__isnull=True) | Q(decision_on__gte=F("notified_on")),
                name="subsidy_decision_not_before_notification",
            ),
            models.CheckConstraint(
                condition=Q(period_from__isnull=True) | Q(period_to__isnull=True) | Q(period_to__gte=F("period_from")),
                name="subsidy_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="granted")
                | (Q(decision_on__isnull=False) & Q(period_from__isnull=False) & Q(period_to__isnull=False)),
                name="subsidy_granted_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(subsidy_type="introduktionsjobb") | ~Q(supervisor_name=""),
                name="subsidy_introduktionsjobb_has_supervisor",
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated_early") | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="subsidy_termination_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subsidy_type_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Väntar på föregående steg")
    OPEN = "open", _("Pågår")
    DONE = "done", _("Klart")
    CANCELLED = "cancelled", _("Utgår")


class SubsidyStep(TimeStampedModel):
    """One timed step of a case; the rule behind `kind` is `subsidies.steps.STEP_RULES[kind]`."""

    case = models.ForeignKey(SubsidyCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("ärende"))
    kind = models.CharField(_("steg"), max_length=40)
    seq = models.PositiveSmallIntegerField(_("ordning"))
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.WAITING)
    responsible = models.CharField(_("ansvarig"), max_length=10)  # coach | af
    opened_on = models.DateField(_("startade"), null=True, blank=True)
    due_on = models.DateField(_("senast"), null=True, blank=True)
    paused_on = models.DateField(_("pausat sedan"), null=True, blank=True)
    done_on = models.DateField(_("klart"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    outcome = models.CharField(_("utfall"), max_length=30, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    data = models.JSONField(_("uppgifter"), default=dict, blank=True)

    class Meta:
        verbose_name = _("steg")
        verbose_name_plural = _("steg")
        ordering = ["seq", "id"]
        indexes = [
            # Overdue lists and the board: open steps by due date, and per step kind.
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["kind", "status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="subsidy_step_one_per_kind"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False), name="subsidy_step_done_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} ({self.status})"

    @property
    def rule(self) -> StepRule:
        return STEP_RULES[StepKind(self.kind)]

    @property
    def label(self) -> str:
        return self.rule.label_for(self.case.route)
