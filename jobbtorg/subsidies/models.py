"""Employment subsidies with Arbetsförmedlingen (DOMAIN §9, §18, seed 000 sections 1–2).

- `SubsidyCase` — anställningsstöd: introduktionsjobb, nystartsjobb,
  yrkesintroduktionsanställning or lönebidrag for one participation and one
  employer. The case is the aggregate root: every change, its steps included,
  goes through `subsidies.services` with the case's `version`.
- `SubsidyStep` — one timed step of a case with a stored due date: the seven
  steps of the lönebidrag process, the introduktionsjobb decision deadline and
  the task to report an early termination to Arbetsförmedlingen. Due dates come
  from the named rules in `subsidies.rules` (STEP_RULES).
- `QualificationRule` — kvalificeringstabell: versioned rule rows with
  validity dates, source and parameters, added by the system administrator in
  the admin (no deploy). Evaluated by `subsidies.rules.evaluate`.
- `EligibilityFacts` and `LabourMarketMonth` — the facts the coach records per
  person for that evaluation (flags, and a month-by-month labour-market history).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import TimeStampedModel, VersionedModel


class SubsidyType(models.TextChoices):
    # Codes equal participations.models.WageSubsidy, so a closure outcome can refer to a case.
    INTRODUKTIONSJOBB = "introduktionsjobb", _("Introduktionsjobb")
    NYSTARTSJOBB = "nystartsjobb", _("Nystartsjobb")
    YRKESINTRODUKTION = "yrkesintroduktion", _("Yrkesintroduktionsanställning")
    LONEBIDRAG = "lonebidrag", _("Lönebidrag")


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
    """One timed step of a case; the rule behind `kind` is `subsidies.rules.STEP_RULES[kind]`."""

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
    def rule(self):
        from jobbtorg.subsidies.rules import STEP_RULES, StepKind

        return STEP_RULES[StepKind(self.kind)]

    @property
    def label(self) -> str:
        return self.rule.label_for(self.case.route)


class QualificationRule(TimeStampedModel):
    """Kvalificeringsregel: one version of a subsidy's qualification rules (DOMAIN §18)."""

    subsidy_type = models.CharField(_("stödform"), max_length=20, choices=SubsidyType.choices)
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=200, help_text=_("Förordning, t.ex. förordning (2018:43)."))
    source_text = models.TextField(_("regeltext"), blank=True, help_text=_("Det som står i förordningen, för den som granskar."))
    parameters = models.JSONField(
        _("parametrar"),
        default=dict,
        help_text=_("Vägar till rätt till stöd (paths) och gränser (limits); se dokumentationen i subsidies.rules."),
    )

    class Meta:
        verbose_name = _("kvalificeringsregel")
        verbose_name_plural = _("kvalificeringsregler")
        ordering = ["subsidy_type", "-valid_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["subsidy_type", "version"], name="qualification_rule_unique_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="qualification_rule_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subsidy_type_display()} v{self.version} ({self.valid_from}–{self.valid_to or ''})"


class EligibilityFacts(VersionedModel):
    """Uppgifter för kvalificering: flags the coach records per person (None = not known)."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="eligibility_facts", verbose_name=_("person")
    )
    registered_at_af = models.BooleanField(_("inskriven som arbetssökande på Arbetsförmedlingen"), null=True, blank=True)
    establishment_programme = models.BooleanField(_("i etableringsprogrammet"), null=True, blank=True)
    job_guarantee = models.BooleanField(_("i jobb- och utvecklingsgarantin"), null=True, blank=True)
    newly_arrived = models.BooleanField(_("nyanländ"), null=True, blank=True)
    residence_permit_on = models.DateField(_("uppehållstillstånd beviljat"), null=True, blank=True)
    youth_guarantee_days = models.PositiveIntegerField(_("ersättningsdagar i jobbgarantin för ungdomar"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("ändrat av")
    )

    class Meta:
        verbose_name = _("uppgifter för kvalificering")
        verbose_name_plural = _("uppgifter för kvalificering")


class MonthKind(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Arbetslös, inskriven")
    PROGRAMME = "programme", _("Arbetsmarknadspolitiskt program")
    SOCIAL_ASSISTANCE = "social_assistance", _("Försörjningsstöd som arbetslös")
    SICKNESS = "sickness", _("Sjukpenning, sjuk- eller aktivitetsersättning")
    PARENTAL_LEAVE = "parental_leave", _("Hemma med barn under 2 år (räknas bort)")
    WORK_OR_STUDIES = "work_or_studies", _("Arbete eller studier")
    OTHER = "other", _("Annat")


class LabourMarketMonth(TimeStampedModel):
    """One calendar month of a person's labour-market history (stored as the month's first day)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="labour_market_months", verbose_name=_("person")
    )
    month = models.DateField(_("månad"))
    kind = models.CharField(_("situation"), max_length=20, choices=MonthKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )

    class Meta:
        verbose_name = _("månad i arbetsmarknadshistorik")
        verbose_name_plural = _("arbetsmarknadshistorik")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="labour_market_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.kind}"
