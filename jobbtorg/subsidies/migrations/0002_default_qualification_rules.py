"""Load the §18 qualification rules (DOMAIN §18) as version 1 of each subsidy's rule table.

The data is frozen here as it was when written; later versions are added by the system
administrator in the admin (subsidies.admin), not by editing this migration.
"""

import datetime

from django.db import migrations

RULES = [{'subsidy_type': 'nystartsjobb',
  'version': 1,
  'valid_from': '2018-05-01',
  'source': 'Förordning (2018:43) om särskilt anställningsstöd (nystartsjobb) – standardvärden enligt DOMAIN §18',
  'source_text': '25 år eller äldre: arbetslös, inskriven på Arbetsförmedlingen och på heltid minst 12 av de senaste '
                 '15 månaderna i arbetslöshet, arbetsmarknadspolitiskt program, försörjningsstöd som arbetslös eller '
                 'sjuk-/aktivitetsersättning. 20–24 år: 6 av de senaste 9 månaderna. Nyanländ 20 år eller äldre: '
                 'etableringsprogrammet, eller 6 av 9 månader och uppehållstillstånd inom de senaste 36 månaderna. '
                 'Deltagare i jobb- och utvecklingsgarantin 20 år eller äldre. Tid hemma med barn under 2 år räknas '
                 'bort. Längd: lika lång som tiden utan arbete, högst 24 månader (25+) eller 12 månader (20–24); varje '
                 'beslut högst 12 månader. Inte för närstående arbetsgivare eller arbetsgivare som sagt upp personal '
                 'de senaste 12 månaderna.',
  'parameters': {'paths': [{'label': '25 år eller äldre, 12 av de senaste 15 månaderna',
                            'conditions': {'age_min': 25,
                                           'registered_at_af': True,
                                           'months_required': 12,
                                           'months_window': 15}},
                           {'label': '20–24 år, 6 av de senaste 9 månaderna',
                            'conditions': {'age_min': 20,
                                           'age_max': 24,
                                           'registered_at_af': True,
                                           'months_required': 6,
                                           'months_window': 9}},
                           {'label': 'Nyanländ 20 år eller äldre i etableringsprogrammet',
                            'conditions': {'age_min': 20, 'establishment_programme': True}},
                           {'label': 'Nyanländ 20 år eller äldre, 6 av 9 månader och uppehållstillstånd inom 36 '
                                     'månader',
                            'conditions': {'age_min': 20,
                                           'months_required': 6,
                                           'months_window': 9,
                                           'residence_permit_within_months': 36}},
                           {'label': 'Jobb- och utvecklingsgarantin, 20 år eller äldre',
                            'conditions': {'age_min': 20, 'job_guarantee': True}}],
                 'counted_kinds': ['unemployed', 'programme', 'social_assistance', 'sickness'],
                 'disregarded_kinds': ['parental_leave'],
                 'limits': {'max_months_per_decision': 12,
                            'max_total_months_25_plus': 24,
                            'max_total_months_20_24': 12,
                            'employer_redundancies_months': 12}}},
 {'subsidy_type': 'introduktionsjobb',
  'version': 1,
  'valid_from': '2018-05-01',
  'source': 'Förordning (2018:42) om särskilt anställningsstöd (introduktionsjobb) – standardvärden enligt DOMAIN §18',
  'source_text': 'Deltagare i jobb- och utvecklingsgarantin; personer 20 år eller äldre med minst 200 ersättningsdagar '
                 'i jobbgarantin för ungdomar; nyanlända 20 år eller äldre. Högst 12 månader per beslut och 24 månader '
                 'totalt; en ny placering kräver 6 månaders arbetslöshet.',
  'parameters': {'paths': [{'label': 'Jobb- och utvecklingsgarantin', 'conditions': {'job_guarantee': True}},
                           {'label': '20 år eller äldre med minst 200 ersättningsdagar i jobbgarantin för ungdomar',
                            'conditions': {'age_min': 20, 'youth_guarantee_days_min': 200}},
                           {'label': 'Nyanländ 20 år eller äldre (uppehållstillstånd inom 36 månader)',
                            'conditions': {'age_min': 20, 'residence_permit_within_months': 36}}],
                 'limits': {'max_months_per_decision': 12,
                            'max_total_months': 24,
                            'new_placement_unemployed_months': 6}}},
 {'subsidy_type': 'yrkesintroduktion',
  'version': 1,
  'valid_from': '2014-01-01',
  'source': 'Förordning (2013:1157) om stöd för yrkesintroduktionsanställningar – standardvärden enligt DOMAIN §18',
  'source_text': '15–24 år (äldre regler tillät även 25+ arbetslösa 12 månader och nyanlända). Anställning minst 75 % '
                 'av heltid i minst 6 månader; med relevant erfarenhet 90 dagar inskriven arbetslös de senaste 4 '
                 'månaderna; stöd högst 12 månader; den lokala arbetstagarorganisationen yttrar sig innan ansökan '
                 'skickas.',
  'parameters': {'paths': [{'label': '15–24 år', 'conditions': {'age_min': 15, 'age_max': 24}}],
                 'limits': {'min_extent_percent': 75,
                            'min_employment_months': 6,
                            'max_support_months': 12,
                            'experienced_unemployed_days': 90,
                            'experienced_window_months': 4,
                            'union_comment_required': True}}},
 {'subsidy_type': 'lonebidrag',
  'version': 1,
  'valid_from': '2018-01-01',
  'source': 'Förordning (2017:462) om särskilda insatser för personer med funktionsnedsättning som medför nedsatt '
            'arbetsförmåga – standardvärden enligt DOMAIN §18',
  'source_text': 'Funktionsnedsättning som medför nedsatt arbetsförmåga, inskriven på Arbetsförmedlingen; samråd med '
                 'den lokala arbetstagarorganisationen. Längsta sammanlagda tid ska kontrolleras mot förordningen.',
  'parameters': {'paths': [{'label': 'Dokumenterad funktionsnedsättning med nedsatt arbetsförmåga',
                            'conditions': {'registered_at_af': True, 'disability_documented': True}}],
                 'limits': {'union_consultation_required': True, 'max_total_months': None}}}]


def load(apps, schema_editor):
    QualificationRule = apps.get_model("subsidies", "QualificationRule")
    for row in RULES:
        QualificationRule.objects.get_or_create(
            subsidy_type=row["subsidy_type"],
            version=row["version"],
            defaults={
                "valid_from": datetime.date.fromisoformat(row["valid_from"]),
                "source": row["source"],
                "source_text": row["source_text"],
                "parameters": row["parameters"],
            },
        )


def unload(apps, schema_editor):
    QualificationRule = apps.get_model("subsidies", "QualificationRule")
    QualificationRule.objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
