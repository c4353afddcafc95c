"""The assessment instrument (kartläggning, DOMAIN §4.3) and its versions.

A participation has a series of assessment versions, numbered 1, 2, 3 ... Only
the newest may be a draft; completing a draft freezes it (`status=complete`), and
a later change starts a new draft version copied from the last completed one.
So the history of what was known when is kept, version by version.

Two counters, not to be confused:
- `number` is the assessment version the user sees ("version 2");
- `version` (from VersionedModel) is the optimistic-locking counter of the row.

Health and disabilities (DOMAIN §11, GDPR art. 9) live in their own table,
`HealthInformation`, read only through `assessments.selectors.health_for`, which
shows it to the participation's own coach and writes its own audit entry.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.errors import DomainError
from jobbtorg.core.models import LimitedTextField, VersionedModel

# Long texts of the instrument: one limit, shown to the user and read by forms and the API.
TEXT_LIMIT = 2000

FROZEN_MESSAGE = _("Kartläggningen är slutförd och kan inte ändras. Starta en ny version för att ändra den.")


class Occupation(models.Model):
    """An occupation in Arbetsförmedlingen's taxonomy (JobTech), with its SSYK 2012 code."""

    id = models.PositiveIntegerField(_("yrkes-id"), primary_key=True)
    name = models.CharField(_("yrke"), max_length=120, db_index=True)
    ssyk2012 = models.CharField(_("SSYK 2012"), max_length=4, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("yrke")
        verbose_name_plural = _("yrken")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    COMPLETE = "complete", _("Slutförd")


class EducationLevel(models.TextChoices):
    """SCB's levels (SUN 2020), as the city's joint instrument asks."""

    NONE = "none", _("Ingen formell utbildning")
    PRIMARY_SHORT = "primary_short", _("Förgymnasial, kortare än 9 år")
    PRIMARY = "primary", _("Förgymnasial, 9 (10) år")
    UPPER_SECONDARY = "upper_secondary", _("Gymnasial")
    POST_SECONDARY_SHORT = "post_secondary_short", _("Eftergymnasial, kortare än 3 år")
    POST_SECONDARY = "post_secondary", _("Eftergymnasial, 3 år eller längre")
    DOCTORATE = "doctorate", _("Forskarutbildning")
    UNKNOWN = "unknown", _("Uppgift saknas")


class SwedishLevel(models.TextChoices):
    NONE = "none", _("Inga kunskaper i svenska")
    BASIC = "basic", _("Grundläggande")
    SFI_A = "sfi_a", _("Motsvarar SFI kurs A")
    SFI_B = "sfi_b", _("Motsvarar SFI kurs B")
    SFI_C = "sfi_c", _("Motsvarar SFI kurs C")
    SFI_D = "sfi_d", _("Motsvarar SFI kurs D")
    SECOND_LANGUAGE = "second_language", _("Svenska som andraspråk (komvux)")
    GOOD = "good", _("Goda kunskaper")
    NATIVE = "native", _("Svenska är modersmål")


class SfiResult(models.TextChoices):
    COURSE_A = "a", _("Placerad på kurs A")
    COURSE_B = "b", _("Placerad på kurs B")
    COURSE_C = "c", _("Placerad på kurs C")
    COURSE_D = "d", _("Placerad på kurs D")
    ABOVE_SFI = "above", _("Kunskaper över SFI-nivå")


class Housing(models.TextChoices):
    OWN = "own", _("Eget kontrakt eller ägt boende")
    SUBLET = "sublet", _("Andrahandskontrakt")
    LODGER = "lodger", _("Inneboende")
    WITH_FAMILY = "with_family", _("Bor hos familj eller släkt")
    TEMPORARY = "temporary", _("Tillfälligt boende eller härbärge")
    HOMELESS = "homeless", _("Bostadslös")
    OTHER = "other", _("Annat")


class WorkCapacity(models.TextChoices):
    UNKNOWN = "unknown", _("Vet inte")
    NOT_AFFECTED = "not_affected", _("Nej")
    AFFECTED = "affected", _("Ja")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def update(self, **kwargs: Any) -> int:
        # Guard for the bulk path too (save_versioned writes with update()).
        if self.filter(status=Status.COMPLETE).exists():
            raise DomainError(FROZEN_MESSAGE)
        return super().update(**kwargs)


class Assessment(VersionedModel):
    """Kartläggning: one version of the structured assessment of a participant."""

    participation = models.ForeignKey(
        "participations.Participation", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("deltagande")
    )
    number = models.PositiveIntegerField(_("versionsnummer"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    _stored_status: str | None  # the status as loaded or last saved (from_db, save); not a field
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("föregående version")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )
    completed_on = models.DateField(_("slutförd"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("slutförd av")
    )

    # Utbildning
    education_level = models.CharField(_("utbildningsnivå"), max_length=30, choices=EducationLevel.choices, blank=True)
    education_country = models.CharField(_("land där utbildningen gjordes"), max_length=100, blank=True)
    education_years = models.PositiveSmallIntegerField(
        _("antal år i utbildning"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    education_notes = LimitedTextField(_("om utbildningen"), max_length=TEXT_LIMIT, blank=True)

    # Svenska
    swedish_level = models.CharField(_("kunskaper i svenska"), max_length=20, choices=SwedishLevel.choices, blank=True)
    sfi_test_date = models.DateField(_("datum för SFI-test"), null=True, blank=True)
    sfi_test_result = models.CharField(_("resultat av SFI-test"), max_length=10, choices=SfiResult.choices, blank=True)
    other_languages = models.CharField(_("andra språk"), max_length=200, blank=True)

    # Social situation
    housing = models.CharField(_("boende"), max_length=20, choices=Housing.choices, blank=True)
    children_in_household = models.PositiveSmallIntegerField(
        _("antal barn i hushållet"), null=True, blank=True, validators=[MaxValueValidator(20)]
    )
    social_situation = LimitedTextField(_("social situation"), max_length=TEXT_LIMIT, blank=True)

    # Mål
    goals = LimitedTextField(_("deltagarens mål"), max_length=TEXT_LIMIT, blank=True)
    goal_occupation = models.ForeignKey(
        Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("önskat yrke")
    )

    # Vägledning och validering
    guidance_requested = models.BooleanField(_("studie- och yrkesvägledning (SYV) önskas"), default=False)
    validation_requested = models.BooleanField(_("validering av utländsk kompetens önskas"), default=False)
    validation_notes = LimitedTextField(_("vad som ska valideras"), max_length=TEXT_LIMIT, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("kartläggning")
        verbose_name_plural = _("kartläggningar")
        ordering = ["participation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "number"], name="assessment_number_unique"),
            # At most one draft per participation: the version being worked on.
            models.UniqueConstraint(fields=["participation"], condition=Q(status="draft"), name="assessment_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} v{self.number} ({self.status})"

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> "Assessment":
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Model guard: a completed version never changes (services refuse first, with a message).
        if getattr(self, "_stored_status", None) == Status.COMPLETE:
            raise DomainError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)
        self._stored_status = self.status


class FrozenGuardQuerySet(models.QuerySet[Any]):
    """Rows of a completed assessment can not be changed or deleted in bulk either."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(assessment__status=Status.COMPLETE).exists():
            raise DomainError(FROZEN_MESSAGE)
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(assessment__status=Status.COMPLETE).exists():
            raise DomainError(FROZEN_MESSAGE)
        return super().delete()


class _FrozenWithAssessment(models.Model):
    objects = FrozenGuardQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_not_frozen()
        return super().delete(*args, **kwargs)

    def _check_not_frozen(self) -> None:
        if Assessment.objects.filter(pk=self.assessment_id, status=Status.COMPLETE).exists():  # type: ignore[attr-defined]
            raise DomainError(FROZEN_MESSAGE)


class WorkExperience(_FrozenWithAssessment):
    """One row of work experience: an occupation from Arbetsförmedlingen's list and the years in it."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="work_experience", verbose_name=_("kartläggning")
    )
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("yrke"))
    years = models.DecimalField(
        _("antal år"), max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    country = models.CharField(_("land"), max_length=100, blank=True)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("arbetslivserfarenhet")
        verbose_name_plural = _("arbetslivserfarenheter")

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.years}"


class HealthInformation(_FrozenWithAssessment):
    """Hälsa och funktionsnedsättning: special-category data (GDPR art. 9, DOMAIN §11).

    Shown only to the participation's own coach; every read is its own audit entry
    (data group "hälsa"). Kept apart from the assessment so no other query loads it.
    """

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="health", verbose_name=_("kartläggning"))
    health = LimitedTextField(_("hälsa"), max_length=TEXT_LIMIT, blank=True)
    disabilities = LimitedTextField(_("funktionsnedsättningar"), max_length=TEXT_LIMIT, blank=True)
    work_capacity = models.CharField(
        _("påverkar hälsan arbetsförmågan?"), max_length=20, choices=WorkCapacity.choices, default=WorkCapacity.UNKNOWN
    )
    adaptations = LimitedTextField(_("anpassningar som behövs"), max_length=TEXT_LIMIT, blank=True)

    class Meta:
        verbose_name = _("hälsouppgifter")
        verbose_name_plural = _("hälsouppgifter")

    def __str__(self) -> str:
        return f"hälsa {self.assessment_id}"
