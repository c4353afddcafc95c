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

TEST_NUMBERS_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "testpersonnummer" / "skatteverket-born-1890-1999.txt"


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
    password = factory.PostGenerationMethodCall("set_password", "jobbtorg-test-password")

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

    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyFunction(unit)
    home_district = factory.LazyAttribute(lambda o: o.person.home_district)
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    status = Status.REFERRED

    class Params:
        enrolled = factory.Trait(
            status=Status.ACTIVE,
            arrived_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7)),
        )
        closed = factory.Trait(
            status=Status.CLOSED,
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
    """An activity running today; `provider` set makes it a provider assignment."""

    class Meta:
        model = Activity

    participation = factory.SubFactory(ParticipationFactory, enrolled=True)
    catalogue_item = factory.SubFactory(CatalogueItemFactory)
    provider = None
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=27))
