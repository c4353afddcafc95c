"""The eligibility models leave the subsidies state (ADR 0015): state only, the tables stay
and are now the `eligibility` app's (`db_table`)."""

from django.db import migrations


STATE_OPERATIONS = [
    migrations.RemoveField(
        model_name="eligibilityfacts",
        name="person",
    ),
    migrations.RemoveField(
        model_name="eligibilityfacts",
        name="updated_by",
    ),
    migrations.RemoveConstraint(
        model_name="labourmarketmonth",
        name="labour_market_month_unique",
    ),
    migrations.RemoveConstraint(
        model_name="qualificationrule",
        name="qualification_rule_unique_version",
    ),
    migrations.RemoveConstraint(
        model_name="qualificationrule",
        name="qualification_rule_period_ordered",
    ),
    migrations.DeleteModel(
        name="QualificationRule",
    ),
    migrations.DeleteModel(
        name="EligibilityFacts",
    ),
    migrations.DeleteModel(
        name="LabourMarketMonth",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0002_default_qualification_rules"),
        ("eligibility", "0001_models_moved_from_subsidies"),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS)]
