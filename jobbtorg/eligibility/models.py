"""Eligibility for the employment subsidies (DOMAIN §18; split from `subsidies`, ADR 0015).

- `SubsidyType` — the subsidy forms; the cases in `subsidies` use the same codes.
- `QualificationRule` — kvalificeringstabell: versioned rule rows with validity dates,
  source and parameters, added by the system administrator in the admin (no deploy).
  Evaluated by `eligibility.rules.evaluate`. The §18 defaults are version 1, loaded by
  the data migration `subsidies/0002_default_qualification_rules` (the one source).
- `EligibilityFacts` and `LabourMarketMonth` — the facts the coach records per person for
  that evaluation (flags, and a month-by-month labour-market history).

The tables keep their `subsidies_*` names: the models moved by a state-only migration,
no row moved.
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
        db_table = "subsidies_qualificationrule"
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
        db_table = "subsidies_eligibilityfacts"
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
        db_table = "subsidies_labourmarketmonth"
        verbose_name = _("månad i arbetsmarknadshistorik")
        verbose_name_plural = _("arbetsmarknadshistorik")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="labour_market_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.kind}"
