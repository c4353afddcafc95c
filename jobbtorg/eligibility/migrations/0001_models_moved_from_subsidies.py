"""The eligibility models move here from `subsidies` (ADR 0015) in the migration state only:
the tables keep their names (`db_table`), no row moves. The §18 rule rows were loaded by
subsidies/0002 into the same table, so this depends on it; subsidies/0003 then drops the
models from the subsidies state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


STATE_OPERATIONS = [
    migrations.CreateModel(
        name='EligibilityFacts',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
            ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ändrad')),
            ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
            ('registered_at_af', models.BooleanField(blank=True, null=True, verbose_name='inskriven som arbetssökande på Arbetsförmedlingen')),
            ('establishment_programme', models.BooleanField(blank=True, null=True, verbose_name='i etableringsprogrammet')),
            ('job_guarantee', models.BooleanField(blank=True, null=True, verbose_name='i jobb- och utvecklingsgarantin')),
            ('newly_arrived', models.BooleanField(blank=True, null=True, verbose_name='nyanländ')),
            ('residence_permit_on', models.DateField(blank=True, null=True, verbose_name='uppehållstillstånd beviljat')),
            ('youth_guarantee_days', models.PositiveIntegerField(blank=True, null=True, verbose_name='ersättningsdagar i jobbgarantin för ungdomar')),
            ('person', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='eligibility_facts', to='people.person', verbose_name='person')),
            ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ändrat av')),
        ],
        options={
            'verbose_name': 'uppgifter för kvalificering',
            'verbose_name_plural': 'uppgifter för kvalificering',
            'db_table': 'subsidies_eligibilityfacts',
        },
    ),
    migrations.CreateModel(
        name='QualificationRule',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
            ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ändrad')),
            ('subsidy_type', models.CharField(choices=[('introduktionsjobb', 'Introduktionsjobb'), ('nystartsjobb', 'Nystartsjobb'), ('yrkesintroduktion', 'Yrkesintroduktionsanställning'), ('lonebidrag', 'Lönebidrag')], max_length=20, verbose_name='stödform')),
            ('version', models.PositiveIntegerField(verbose_name='version')),
            ('valid_from', models.DateField(verbose_name='gäller från')),
            ('valid_to', models.DateField(blank=True, null=True, verbose_name='gäller till')),
            ('source', models.CharField(help_text='Förordning, t.ex. förordning (2018:43).', max_length=200, verbose_name='källa')),
            ('source_text', models.TextField(blank=True, help_text='Det som står i förordningen, för den som granskar.', verbose_name='regeltext')),
            ('parameters', models.JSONField(default=dict, help_text='Vägar till rätt till stöd (paths) och gränser (limits); se dokumentationen i subsidies.rules.', verbose_name='parametrar')),
        ],
        options={
            'verbose_name': 'kvalificeringsregel',
            'verbose_name_plural': 'kvalificeringsregler',
            'db_table': 'subsidies_qualificationrule',
            'ordering': ['subsidy_type', '-valid_from', '-version'],
            'constraints': [models.UniqueConstraint(fields=('subsidy_type', 'version'), name='qualification_rule_unique_version'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='qualification_rule_period_ordered')],
        },
    ),
    migrations.CreateModel(
        name='LabourMarketMonth',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
            ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ändrad')),
            ('month', models.DateField(verbose_name='månad')),
            ('kind', models.CharField(choices=[('unemployed', 'Arbetslös, inskriven'), ('programme', 'Arbetsmarknadspolitiskt program'), ('social_assistance', 'Försörjningsstöd som arbetslös'), ('sickness', 'Sjukpenning, sjuk- eller aktivitetsersättning'), ('parental_leave', 'Hemma med barn under 2 år (räknas bort)'), ('work_or_studies', 'Arbete eller studier'), ('other', 'Annat')], max_length=20, verbose_name='situation')),
            ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='labour_market_months', to='people.person', verbose_name='person')),
            ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registrerat av')),
        ],
        options={
            'verbose_name': 'månad i arbetsmarknadshistorik',
            'verbose_name_plural': 'arbetsmarknadshistorik',
            'db_table': 'subsidies_labourmarketmonth',
            'ordering': ['-month'],
            'constraints': [models.UniqueConstraint(fields=('person', 'month'), name='labour_market_month_unique')],
        },
    ),
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('people', '0001_initial'),
        ('subsidies', '0002_default_qualification_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS)]
