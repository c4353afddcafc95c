"""The follow-up's fact table: one row per participation, the columns every key figure needs.

Why a fact table: figures for the city at 1,000,000 participants must be aggregates over one
narrow, indexed table, not joins over the case tables (issue 11, bench/followup.py). The rows
are derived from the case records by followup.facts.refresh (a background task, and after the
events that change them); nothing is typed here by hand. The table holds no names,
personnummer or free text: `participation_id` and `person_id` are plain numbers, not foreign
keys, so the figures of a year survive the deletion of the case files (retention, issue 14).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Fact(models.Model):
    participation_id = models.BigIntegerField(_("deltagande"), unique=True)
    person_id = models.BigIntegerField(_("person"), db_index=True)
    unit_id = models.BigIntegerField(_("jobbtorg"), null=True)
    district_id = models.BigIntegerField(_("hemstadsdel"), null=True)
    coach_id = models.BigIntegerField(_("coach"), null=True)
    target_group_id = models.BigIntegerField(_("målgrupp"), null=True)  # the referral's first target group
    provider_id = models.BigIntegerField(_("anordnare"), null=True)  # the provider of the first activity, if any
    status = models.CharField(_("status"), max_length=20)
    referred_on = models.DateField(_("anvisningsdatum"))
    arrived_on = models.DateField(_("ankomstdatum"), null=True)
    closed_on = models.DateField(_("avslutsdatum"), null=True)
    closure_reason = models.CharField(_("avslutsorsak"), max_length=30, blank=True)
    employment_form = models.CharField(_("anställningsform"), max_length=20, blank=True)
    employment_extent = models.CharField(_("omfattning"), max_length=20, blank=True)
    wage_subsidy = models.CharField(_("anställningsstöd"), max_length=30, blank=True)
    study_level = models.CharField(_("studienivå"), max_length=20, blank=True)
    transfer_to = models.CharField(_("övergång till"), max_length=30, blank=True)
    employment_lasts_a_month = models.BooleanField(_("anställningen varar minst en månad"), null=True)
    refreshed_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    class Meta:
        verbose_name = _("uppföljningsrad")
        verbose_name_plural = _("uppföljningsrader")
        indexes = [
            models.Index(fields=["referred_on"], name="fact_referred"),
            models.Index(fields=["arrived_on"], name="fact_arrived"),
            models.Index(fields=["closed_on", "closure_reason"], name="fact_closed"),
            models.Index(fields=["unit_id", "closed_on"], name="fact_unit_closed"),
            models.Index(fields=["district_id", "closed_on"], name="fact_district_closed"),
        ]

    def __str__(self) -> str:
        return f"fact {self.participation_id}"
