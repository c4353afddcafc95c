"""factory_boy factories with named states, shared by every app's tests.

Personnummer come from Skatteverket's published test numbers
(../shared/data/testpersonnummer), never a real person's.
"""

import datetime
import itertools
from pathlib import Path

import factory
from django.utils import timezone

from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.models import Activity, CatalogueItem
from jobbtorg.organisation.models import District, Employer, EmployerContact, JobbtorgUnit, Provider
from jobbtorg.participations.models import Participation, Status
from jobbtorg.people.models import Person, ProtectionLevel

_TEST_NUMBERS = Path("shared") / "data" / "testpersonnummer" / "skatteverket-born-1890-1999.txt"
# The shared data sits next to the checkout (../shared); a git worktree is one level deeper, so
# the nearest ancestor that has it wins.
TEST_NUMBERS_FILE = next(
    (folder / _TEST_NUMBERS for folder in Path(__file__).resolve().parents if (folder / _TEST_NUMBERS).is_file()),
    Path(__file__).resolve().parents[3] / _TEST_NUMBERS,
)


def _test_numbers() -> list[str]:
    lines = TEST_NUMBERS_FILE.read_text().split()
    # Born 1950-1999: working age in tests.
    return [n for n in lines if n[:4] >= "1950"]


_numbers = itertools.cycle(_test_numbers())


def district(code: str = "rinkeby-kista") -> District:
    return District.objects.get(code=code)


def unit(code: str = "jarva") -> JobbtorgUnit:
    return JobbtorgUnit.objects.get(code=code)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Anordnare {n} AB")
    kind = Provider.Kind.PROCURED


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Arbetsgivare {n} AB")
    kind = Employer.Kind.COMPANY


class EmployerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerContact

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    email = factory.Sequence(lambda n: f"kontakt{n}@example.se")
    phone = "08-123 456 78"
    is_supervisor = True


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user. Use the role states: coach, social_worker, provider_staff, ..."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.se")
    role = Role.COACH
    password = factory.django.Password("jobbtorg-test-password")

    class Params:
        coach = factory.Trait(role=Role.COACH, jobbtorg_unit=factory.LazyFunction(unit))
        unit_manager = factory.Trait(role=Role.UNIT_MANAGER, jobbtorg_unit=factory.LazyFunction(unit))
        matcher = factory.Trait(role=Role.MATCHER, jobbtorg_unit=factory.LazyFunction(unit))
        social_worker = factory.Trait(role=Role.SOCIAL_WORKER, district=factory.LazyFunction(district))
        osa_officer = factory.Trait(role=Role.OSA_OFFICER, district=factory.LazyFunction(district))
        provider_staff = factory.Trait(role=Role.PROVIDER_STAFF, provider=factory.SubFactory(ProviderFactory))
        analyst = factory.Trait(role=Role.ANALYST)
        hr = factory.Trait(role=Role.HR)
        sysadmin = factory.Trait(role=Role.SYSADMIN, is_staff=True, is_superuser=True)


class PersonFactory(factory.django.DjangoModelFactory):
    """A person; states: protected (skyddad folkbokföring), marked (sekretessmarkering)."""

    class Meta:
        model = Person
        django_get_or_create = ("personnummer",)

    personnummer = factory.LazyFunction(lambda: next(_numbers))
    first_name = factory.Iterator(["Amina", "Erik", "Fatima", "Johan", "Sara", "Mohammed", "Anna", "Ali"])
    last_name = factory.Iterator(["Andersson", "Hassan", "Johansson", "Yilmaz", "Nilsson", "Ahmed", "Karlsson"])
    home_district = factory.LazyFunction(district)
    street_address = "Testgatan 1"
    postal_code = "16440"
    city = "Kista"
    phone = "070-123 45 67"
    email = factory.Sequence(lambda n: f"person{n}@example.se")
    protection_level = ProtectionLevel.NONE

    class Params:
        protected = factory.Trait(protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
        marked = factory.Trait(protection_level=ProtectionLevel.CONFIDENTIALITY_MARKING)


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A participation; states: enrolled (active with coach), closed."""

    class Meta:
        model = Participation
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyFunction(unit)
    home_district = factory.LazyAttribute(lambda o: o.person.home_district)
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    status = Status.REFERRED
    # A closed participation always has a reason (DB constraint); "moved" needs no further outcome.
    closure_reason = factory.LazyAttribute(lambda o: "moved" if o.status == Status.CLOSED else "")

    class Params:
        referred = factory.Trait(status=Status.REFERRED)
        enrolled = factory.Trait(
            status=Status.ACTIVE,
            arrived_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7)),
        )
        interrupted = factory.Trait(
            status=Status.INTERRUPTED,
            arrived_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7)),
            running_interruption=factory.RelatedFactory(
                "jobbtorg.testing.factories.InterruptionFactory", factory_related_name="participation"
            ),
        )
        closed = factory.Trait(
            status=Status.CLOSED,
            referred_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=110)),
            arrived_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100)),
            closed_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5)),
        )


class CatalogueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueItem
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Insats {n}")
    category = "Förberedande insatser"
    default_length_days = 30


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity running today; `provider` set makes it a provider assignment.
    States: running (the default), ended (ended ten days ago), not_started (starts in five days)."""

    class Meta:
        model = Activity

    participation = factory.SubFactory(ParticipationFactory, enrolled=True)
    catalogue_item = factory.SubFactory(CatalogueItemFactory)
    provider = None
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=27))

    class Params:
        running = factory.Trait()
        ended = factory.Trait(
            start_date=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=40)),
            end_date=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10)),
        )
        not_started = factory.Trait(
            start_date=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=5)),
            end_date=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=35)),
        )


# --- referrals and participations (issue 3 parts 1, 2, 7, 8) ---------------------------------------


def target_group(code: str = "fs-arbetsloshet"):
    """A seeded target group (referrals migration 0002)."""
    from jobbtorg.referrals.models import TargetGroup

    return TargetGroup.objects.get(code=code)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral with its participation (state `referred`); consent given on the referral date."""

    class Meta:
        model = "referrals.Referral"
        skip_postgeneration_save = True

    participation = factory.SubFactory(ParticipationFactory, referred=True)
    district = factory.LazyAttribute(lambda o: o.participation.home_district)
    referred_by = factory.SubFactory(UserFactory, social_worker=True)
    referred_on = factory.LazyAttribute(lambda o: o.participation.referred_on)
    basis = "Försörjningsstöd sedan tre månader, arbetslös."
    consent_given_on = factory.LazyAttribute(lambda o: o.participation.referred_on)
    consent_scope = "Informationsutbyte mellan stadsdelen och jobbtorget om planering och närvaro."
    derived_unit = factory.LazyAttribute(lambda o: o.participation.unit)

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create:
            self.target_groups.set(extracted or [target_group()])


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participations.Appointment"

    participation = factory.SubFactory(ParticipationFactory, referred=True)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    place = "Jobbtorg Järva, Kista"
    coach = factory.SubFactory(UserFactory, coach=True)
    booked_by = factory.SelfAttribute("coach")


class InterruptionFactory(factory.django.DjangoModelFactory):
    """A running interruption (no restart yet) that began yesterday."""

    class Meta:
        model = "participations.Interruption"

    participation = factory.SubFactory(ParticipationFactory, interrupted=True, running_interruption=None)
    reason = "illness"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    started_by = factory.SubFactory(UserFactory, coach=True)


class PostClosureFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participations.PostClosureFollowUp"

    participation = factory.SubFactory(ParticipationFactory, closed=True)
    point = "2_months"
    due_on = factory.LazyFunction(timezone.localdate)


# --- Assessments and activity plans (issue 3, parts 3 and 4) -------------------------------


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment (kartläggning) of an enrolled participant with a coach;
    state: complete (slutförd version, frozen)."""

    class Meta:
        model = "assessments.Assessment"

    participation = factory.SubFactory(
        ParticipationFactory, enrolled=True, coach=factory.SubFactory(UserFactory, coach=True)
    )
    number = 1
    status = "draft"
    education_level = "upper_secondary"
    education_country = "Sverige"
    education_years = 12
    swedish_level = "good"
    goals = "Arbete inom lager och logistik."

    class Params:
        complete = factory.Trait(
            status="complete",
            completed_on=factory.LazyFunction(timezone.localdate),
            completed_by=factory.SelfAttribute("participation.coach"),
        )


class ActivityPlanFactory(factory.django.DjangoModelFactory):
    """An activity plan of an enrolled participant with a coach, with `activity_count` planned
    activities; states: submitted, approved, returned (default: draft)."""

    class Meta:
        model = "plans.ActivityPlan"

    participation = factory.SubFactory(
        ParticipationFactory, enrolled=True, coach=factory.SubFactory(UserFactory, coach=True)
    )
    number = 1
    status = "draft"
    goal = "Arbete inom lager och logistik inom sex månader."
    start_date = factory.LazyFunction(timezone.localdate)
    review_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    created_by = factory.SelfAttribute("participation.coach")
    activity_count = 1

    class Params:
        submitted = factory.Trait(
            status="submitted",
            district=factory.SelfAttribute("participation.home_district"),
            submitted_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2)),
            submitted_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2)),
        )
        approved = factory.Trait(
            status="approved",
            district=factory.SelfAttribute("participation.home_district"),
            submitted_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=4)),
            submitted_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=4)),
            decided_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)),
        )
        returned = factory.Trait(
            status="returned",
            district=factory.SelfAttribute("participation.home_district"),
            submitted_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=4)),
            submitted_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=4)),
            decided_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)),
            decision_comment="Lägg till en praktikperiod i planen.",
            version_at_return=1,
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Planned activities are added while the plan is a draft: an approved plan is frozen
        # (the model refuses new rows), so the final status is set afterwards.
        from jobbtorg.plans.models import PlannedActivity

        status = kwargs.pop("status", "draft")
        count = kwargs.pop("activity_count", 1)
        plan = super()._create(model_class, *args, status="draft", **kwargs)
        for index in range(count):
            PlannedActivity.objects.create(
                plan=plan,
                description=f"Planerad aktivitet {index + 1}",
                start_date=plan.start_date,
                end_date=plan.start_date + datetime.timedelta(days=30),
            )
        if status != "draft":
            model_class.objects.filter(pk=plan.pk).update(status=status)
        return model_class.objects.get(pk=plan.pk)


# --- Sessions, attendance and deviations (issue 3, parts 5 and 6) ---------------------------


class ActivitySessionFactory(factory.django.DjangoModelFactory):
    """A session (tillfälle) today; state: group (a group session)."""

    class Meta:
        model = "activities.ActivitySession"

    catalogue_item = factory.SubFactory(CatalogueItemFactory)
    provider = None
    date = factory.LazyFunction(timezone.localdate)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
    is_group = False

    class Params:
        group = factory.Trait(is_group=True)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """One participant's place at a session of a running activity: Ej registrerad (missing) by
    default; states: present, sick, unexcused, non_cooperation."""

    class Meta:
        model = "activities.Attendance"

    activity = factory.SubFactory(ActivityFactory)
    session = factory.SubFactory(
        ActivitySessionFactory,
        catalogue_item=factory.SelfAttribute("..activity.catalogue_item"),
        provider=factory.SelfAttribute("..activity.provider"),
    )
    date = factory.SelfAttribute("session.date")
    status = None
    absence_reason = ""

    class Params:
        present = factory.Trait(status="present")
        sick = factory.Trait(status="absent", absence_reason="sick")
        unexcused = factory.Trait(status="absent", absence_reason="unexcused")
        non_cooperation = factory.Trait(status="non_cooperation", note="Lämnade utan att säga till.")


class DeviationFactory(factory.django.DjangoModelFactory):
    """A deviation report (unexcused absence) to the participation's home district, waiting for
    acknowledgement; state: acknowledged."""

    class Meta:
        model = "activities.Deviation"

    attendance = factory.SubFactory(AttendanceFactory, unexcused=True)
    participation = factory.SelfAttribute("attendance.activity.participation")
    district = factory.SelfAttribute("participation.home_district")
    kind = "unexcused_absence"
    occurred_on = factory.SelfAttribute("attendance.date")
    reported_on = factory.LazyFunction(timezone.localdate)

    class Params:
        acknowledged = factory.Trait(acknowledged_on=factory.LazyFunction(timezone.localdate))


# --- subsidies (issue 4 parts 1–3) ------------------------------------------------------------------


class SubsidyCaseFactory(factory.django.DjangoModelFactory):
    """A subsidy case; states: introduktionsjobb (with supervisor), lonebidrag (with its seven steps,
    created as the service creates them), granted (decision and period), lonebidrag_overdue (PDM's
    callback 10 days late), protected (a person with a protected identity, routed to a local office)."""

    class Meta:
        model = "subsidies.SubsidyCase"
        skip_postgeneration_save = True

    participation = factory.SubFactory(
        ParticipationFactory, enrolled=True, coach=factory.SubFactory(UserFactory, coach=True)
    )
    subsidy_type = "nystartsjobb"
    employer = factory.SubFactory(EmployerFactory)
    route = factory.LazyAttribute(lambda o: "local_office" if o.participation.person.is_protected else "digital")
    notified_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    notification_text = "Intresseanmälan för anställning."
    created_by = factory.LazyAttribute(lambda o: o.participation.coach or UserFactory(coach=True))

    class Params:
        introduktionsjobb = factory.Trait(
            subsidy_type="introduktionsjobb", supervisor_name="Handledare Hansson", supervisor_phone="08-555 123 45",
            planned_start=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30)),
        )
        lonebidrag = factory.Trait(subsidy_type="lonebidrag")
        lonebidrag_overdue = factory.Trait(
            subsidy_type="lonebidrag",
            notified_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=13)),
        )
        granted = factory.Trait(
            status="granted",
            decision_on=factory.LazyAttribute(lambda o: o.notified_on),
            period_from=factory.LazyAttribute(lambda o: o.notified_on + datetime.timedelta(days=1)),
            period_to=factory.LazyAttribute(lambda o: o.notified_on + datetime.timedelta(days=180)),
        )
        protected = factory.Trait(
            participation=factory.SubFactory(
                ParticipationFactory, enrolled=True, person=factory.SubFactory(PersonFactory, protected=True),
                coach=factory.SubFactory(UserFactory, coach=True),
            )
        )

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        if create:
            from jobbtorg.subsidies.services import _create_steps, store_deadlines

            _create_steps(self, self.created_by)
            store_deadlines(self)


class QualificationRuleFactory(factory.django.DjangoModelFactory):
    """A rule version with one path (age 20+); pass `parameters` for others."""

    class Meta:
        model = "eligibility.QualificationRule"

    subsidy_type = "nystartsjobb"
    version = factory.Sequence(lambda n: 100 + n)
    valid_from = datetime.date(2030, 1, 1)
    source = "Testförordning"
    parameters = factory.LazyFunction(lambda: {"paths": [{"label": "20 år eller äldre", "conditions": {"age_min": 20}}]})


class EligibilityFactsFactory(factory.django.DjangoModelFactory):
    """Eligibility facts; state: job_guarantee."""

    class Meta:
        model = "eligibility.EligibilityFacts"

    person = factory.SubFactory(PersonFactory)
    registered_at_af = True
    establishment_programme = False
    job_guarantee = False
    newly_arrived = False

    class Params:
        in_job_guarantee = factory.Trait(job_guarantee=True)


class LabourMarketMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "eligibility.LabourMarketMonth"
        django_get_or_create = ("person", "month")

    person = factory.SubFactory(PersonFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    kind = "unemployed"


# --- OSA and disability registrations (issue 4 parts 4, 5) -----------------------------------------


class DisabilityRegistrationFactory(factory.django.DjangoModelFactory):
    """A registered code with documentation dated a month ago. States: pain_43 (2-year rule), permanent_71,
    expired_43 (pain documentation older than 2 years)."""

    class Meta:
        model = "disabilities.DisabilityRegistration"

    person = factory.SubFactory(PersonFactory)
    code = "61"
    sub_kind = ""
    documented_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    source = "lakarintyg"
    registered_by = factory.SubFactory(UserFactory, osa_officer=True)

    class Params:
        pain_43 = factory.Trait(code="43", sub_kind="pain")
        permanent_71 = factory.Trait(code="71", sub_kind="", source="sarskola")
        expired_43 = factory.Trait(
            code="43",
            sub_kind="pain",
            documented_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=800)),
        )


def af_unit(code: str = "jarva"):
    from jobbtorg.organisation.models import AFUnit

    return AFUnit.objects.get(code=code)


class OsaCaseFactory(factory.django.DjangoModelFactory):
    """An OSA employment at a city administration with its first period (6 months, started 30 days ago).

    `periods=[6, 12]` adds extensions after the first period (no review: use the services for the
    24-month rule). States: started_long_ago (first period began 18 months ago)."""

    class Meta:
        model = "osa.OsaCase"
        skip_postgeneration_save = True

    class Params:
        # The first period starts 14 days after the joint assessment.
        started_long_ago = factory.Trait(
            assessed_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=554))
        )

    person = factory.SubFactory(PersonFactory)
    district = factory.LazyAttribute(lambda o: o.person.home_district)
    employer = factory.SubFactory(
        EmployerFactory, kind=Employer.Kind.CITY_ADMINISTRATION, name=factory.Sequence(lambda n: f"Stadens förvaltning {n}")
    )
    workplace = "Parkavdelningen"
    ground_lss = True
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=44))
    assessed_by_district = "Karin OSA"
    assessed_by_af = "Per Arbetsförmedlare"
    af_unit = factory.LazyFunction(af_unit)
    assessment_outcome = "in_target_group"
    created_by = factory.SubFactory(UserFactory, osa_officer=True)

    @factory.post_generation
    def periods(obj, create, extracted, **kwargs):
        from jobbtorg.osa import rules
        from jobbtorg.osa.models import ImplementationPlan, OsaPeriod
        from jobbtorg.osa.services import refresh_deadlines

        if not create:
            return
        start = obj.assessed_on + datetime.timedelta(days=14)
        months = [rules.FIRST_PERIOD_MONTHS, *(extracted or [])]
        for number, length in enumerate(months, start=1):
            end = rules.period_end(start, length)
            OsaPeriod.objects.create(case=obj, number=number, kind="first" if number == 1 else "extension",
                                     start_date=start, end_date=end, months=length, created_by=obj.created_by)  # fmt: skip
            start = end + datetime.timedelta(days=1)
        ImplementationPlan.objects.get_or_create(case=obj, defaults={"version": 0})
        refresh_deadlines(obj)


class AnnualPlacesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "osa.AnnualPlaces"
        django_get_or_create = ("district", "year")

    district = factory.LazyFunction(district)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    planned = 10
    recorded_by = factory.SubFactory(UserFactory, osa_officer=True)
