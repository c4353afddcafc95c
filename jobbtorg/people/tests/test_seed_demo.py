"""seed_demo and print_demo_logins (issue 2, part 8).

Most tests read one seeded population (1,500 participants), loaded once for
the module inside a transaction that is rolled back at the end, so nothing
leaks into other tests.
"""

import io
import re
from collections import Counter

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.models import Activity
from jobbtorg.core import personnummer
from jobbtorg.core.models import Installation
from jobbtorg.demo import names
from jobbtorg.demo.users import DEMO_PASSWORD, DEMO_PROVIDER, DEMO_USERNAMES
from jobbtorg.organisation.models import District, Employer, ServiceArea
from jobbtorg.participations.models import OPEN_STATUSES, Participation, Status
from jobbtorg.people.models import Person, ProtectionLevel

N = 1500
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FEMALE_NAMES = {n for origin in (names.SWEDISH, *names.FOREIGN) for n in origin.female}
MALE_NAMES = {n for origin in (names.SWEDISH, *names.FOREIGN) for n in origin.male}


def run_seed(*args: str) -> str:
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", *args, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One population for the module; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = run_seed("--participants", str(N), "--seed", "11")
        yield output
        transaction.set_rollback(True)


def user(username: str) -> User:
    return User.objects.get(username=username)


# --- the population -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_generated_personnummer_validates(seeded):
    numbers = list(Person.objects.values_list("personnummer", flat=True))
    assert len(numbers) == N
    assert [n for n in numbers if personnummer.problem(n) is not None] == []
    assert any(personnummer.is_coordination_number(n) for n in numbers)  # ~1 % samordningsnummer


@pytest.mark.django_db
def test_sex_agrees_with_the_second_last_digit(seeded):
    mismatched = [
        (first, number[10])
        for first, number in Person.objects.values_list("first_name", "personnummer")
        if (first in FEMALE_NAMES) != personnummer.is_female(number)
    ]
    assert mismatched == []
    females = sum(1 for n in Person.objects.values_list("personnummer", flat=True) if personnummer.is_female(n))
    assert 0.4 < females / N < 0.6


@pytest.mark.django_db
def test_districts_follow_population_and_only_todays_districts(seeded):
    today = timezone.localdate()
    districts = {d.pk: d for d in District.objects.all()}
    counts = Counter(Person.objects.values_list("home_district_id", flat=True))
    valid = {pk for pk, d in districts.items() if d.valid_to is None or d.valid_to >= today}
    assert set(counts) <= valid
    total_population = sum(d.population for pk, d in districts.items() if pk in valid)
    for pk, district in districts.items():
        expected = district.population / total_population
        # Rinkeby-Kista has the journey persons on top of its share.
        slack = 0.035 if district.code != "rinkeby-kista" else 0.045
        assert abs(counts.get(pk, 0) / N - expected) < slack, district.code
    assert counts[District.objects.get(code="sodermalm").pk] > counts[District.objects.get(code="skarholmen").pk]


@pytest.mark.django_db
def test_ages_follow_the_target_groups(seeded):
    ages = [p.age for p in Person.objects.only("personnummer")]
    assert min(ages) >= 16 and max(ages) <= 66
    working_age = sum(1 for a in ages if 18 <= a <= 64) / N
    young = sum(1 for a in ages if a <= 29) / N
    assert working_age > 0.95
    assert 0.15 < young < 0.45
    assert sum(1 for a in ages if a < 18) > 0  # KAA: 16-17-year-olds exist, but few
    birth_years = {personnummer.birth_date(n).year for n in Person.objects.values_list("personnummer", flat=True)}
    assert min(birth_years) >= timezone.localdate().year - 67


@pytest.mark.django_db
def test_protection_levels_are_rare_as_asked(seeded):
    levels = Counter(Person.objects.values_list("protection_level", flat=True))
    assert 0.003 < levels[ProtectionLevel.CONFIDENTIALITY_MARKING] / N < 0.025
    assert 0.0005 < levels[ProtectionLevel.PROTECTED_REGISTRATION] / N < 0.015


@pytest.mark.django_db
def test_names_are_varied_and_mix_origins(seeded):
    last_names = Counter(Person.objects.values_list("last_name", flat=True))
    assert len(last_names) > 150
    swedish_last = set(names.SWEDISH.last)
    share_swedish = sum(c for n, c in last_names.items() if n in swedish_last) / N
    assert 0.3 < share_swedish < 0.8
    rinkeby = Person.objects.filter(home_district__code="rinkeby-kista").values_list("last_name", flat=True)
    assert sum(1 for n in rinkeby if n not in swedish_last) / len(rinkeby) > 0.5


@pytest.mark.django_db
def test_participations_most_active_some_referred_some_closed(seeded):
    statuses = Counter(Participation.objects.filter(previous__isnull=True).values_list("status", flat=True))
    assert Participation.objects.filter(status__in=OPEN_STATUSES).values("person").distinct().count() == (
        Participation.objects.filter(status__in=OPEN_STATUSES).count()
    )
    open_or_closed = Participation.objects.exclude(pk__in=Participation.objects.filter(previous__isnull=False).values("previous"))
    current = Counter(open_or_closed.values_list("status", flat=True))
    assert current[Status.ACTIVE] > current[Status.CLOSED] > 0
    assert current[Status.REFERRED] > 0
    assert sum(current.values()) == N
    assert statuses  # sanity: the query returned rows
    active = Participation.objects.filter(status=Status.ACTIVE)
    assert not active.filter(coach__isnull=True).exists()
    assert not Participation.objects.filter(status=Status.REFERRED, arrived_on__isnull=False).exists()
    assert not Participation.objects.filter(status=Status.CLOSED).filter(closure_reason="").exists()


@pytest.mark.django_db
def test_units_follow_todays_service_areas_and_young_people_go_to_unga(seeded):
    today = timezone.localdate()
    unit_of = {a.district_id: a.unit_id for a in ServiceArea.objects.valid_on(today)}
    wrong = []
    at_unga = 0
    for participation in Participation.objects.select_related("unit", "person"):
        if participation.unit.code == "unga":
            at_unga += 1
            if participation.person.age_on(participation.referred_on) > 30:
                wrong.append(participation.pk)
        elif participation.unit_id != unit_of[participation.home_district_id]:
            wrong.append(participation.pk)
    assert wrong == []
    assert at_unga > 0


@pytest.mark.django_db
def test_providers_catalogue_activities_and_employers_exist(seeded):
    today = timezone.localdate()
    running = Activity.objects.filter(start_date__lte=today, end_date__gte=today, provider__name=DEMO_PROVIDER)
    assert running.exists()
    assert Activity.objects.filter(provider__kind="nonprofit").exists()
    assert Activity.objects.filter(participation__status=Status.ACTIVE).count() > N * 0.3
    assert not Activity.objects.filter(participation__status=Status.REFERRED).exists()
    assert Employer.objects.count() >= 5
    assert all(e.contacts.exists() for e in Employer.objects.all())


# --- demo users and relations -------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_users_exist_with_their_roles_and_the_demo_password(seeded):
    expected = {
        "admin": (Role.SYSADMIN, None),
        "coach": (Role.COACH, "jarva"),
        "coach2": (Role.COACH, "jarva"),
        "socialsekreterare": (Role.SOCIAL_WORKER, "rinkeby-kista"),
        "osa": (Role.OSA_OFFICER, "rinkeby-kista"),
        "matchare": (Role.MATCHER, "jarva"),
        "anordnare": (Role.PROVIDER_STAFF, DEMO_PROVIDER),
        "chef": (Role.UNIT_MANAGER, "jarva"),
        "analytiker": (Role.ANALYST, None),
        "hr": (Role.HR, None),
    }
    assert set(expected) == set(DEMO_USERNAMES)
    for username, (role, unit) in expected.items():
        account = user(username)
        assert account.role == role, username
        place = account.jobbtorg_unit or account.district or account.provider
        assert (getattr(place, "code", None) or getattr(place, "name", None)) == unit, username
        assert check_password(DEMO_PASSWORD, account.password), username
        assert account.first_name and account.last_name, username
    admin = user("admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


@pytest.mark.django_db
def test_generated_coaches_cannot_log_in(seeded):
    generated = User.objects.filter(role=Role.COACH).exclude(username__in=DEMO_USERNAMES)
    assert generated.exists()
    assert not any(u.has_usable_password() for u in generated)


@pytest.mark.django_db
def test_coach_and_social_worker_share_several_participants(seeded):
    coach, worker = user("coach"), user("socialsekreterare")
    shared = visible_persons(coach) & visible_persons(worker)
    caseload_in_rinkeby_kista = Person.objects.filter(
        participations__coach=coach, participations__status=Status.ACTIVE, home_district__code="rinkeby-kista"
    )
    assert caseload_in_rinkeby_kista.count() >= 10
    assert shared.filter(pk__in=caseload_in_rinkeby_kista).count() == caseload_in_rinkeby_kista.filter(
        protection_level=ProtectionLevel.NONE
    ).count()


@pytest.mark.django_db
def test_coach_has_a_caseload_of_about_thirty_with_a_protected_person(seeded):
    coach = user("coach")
    caseload = Participation.objects.filter(coach=coach, status=Status.ACTIVE)
    assert 25 <= caseload.count() <= 35
    protected = Person.objects.filter(participations__in=caseload).exclude(protection_level=ProtectionLevel.NONE)
    assert protected.count() >= 1
    assert all(coach in p.contact_grants.all() for p in protected)
    assert visible_persons(coach).filter(pk__in=protected).count() == protected.count()
    assert not visible_persons(user("socialsekreterare")).exclude(protection_level=ProtectionLevel.NONE).exists()


@pytest.mark.django_db
def test_provider_user_sees_participants_with_running_activities(seeded):
    seen = visible_persons(user("anordnare"))
    assert seen.count() >= 6
    assert seen.filter(participations__coach=user("coach")).exists()  # the journey reaches the provider


@pytest.mark.django_db
def test_roles_without_person_access_see_nobody(seeded):
    for username in ("analytiker", "hr", "admin"):
        assert not visible_persons(user(username)).exists(), username


@pytest.mark.django_db
def test_installation_is_marked_as_demo(seeded):
    assert Installation.objects.get().is_demo


@pytest.mark.django_db
def test_summary_prints_counts_but_no_names_or_numbers(seeded):
    assert f"Personer: {N}" in seeded
    assert "coach har" in seeded
    assert not re.search(r"\d{6}[-+]?\d{4}", seeded)
    for first, last in Person.objects.exclude(protection_level=ProtectionLevel.NONE).values_list("first_name", "last_name"):
        assert f"{first} {last}" not in seeded


# --- print_demo_logins --------------------------------------------------------------------------


@pytest.mark.django_db
def test_print_demo_logins_lists_users_roles_and_password(seeded):
    out = io.StringIO()
    call_command("print_demo_logins", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert DEMO_PASSWORD in text
    for username in DEMO_USERNAMES:
        assert re.search(rf"^\s+{username}\s", text, re.MULTILINE), username
    assert "Socialsekreterare" in text and "Jobbtorg Järva" in text and "Sara Lindberg" in text


@pytest.mark.django_db
def test_each_demo_coach_sees_her_own_caseload_and_coach2_stands_in_next_week(seeded):
    """Issue 8 item 6 in the demo: `coach` and `coach2` each have a caseload and see only their own
    today; `coach2` is `coach`'s named substitute next week (set by `chef`) and then sees hers."""
    import datetime

    from django.utils import timezone

    from jobbtorg.access.models import Substitution

    coach, coach2 = user("coach"), user("coach2")
    for one, other in ((coach, coach2), (coach2, coach)):
        own = Participation.objects.filter(coach=one, status=Status.ACTIVE).values("person")
        theirs = Participation.objects.filter(coach=other, status=Status.ACTIVE).values("person")
        assert own.exists()
        assert visible_persons(one).filter(pk__in=own).count() == own.count()
        assert not visible_persons(one).filter(pk__in=theirs).exists()
    substitution = Substitution.objects.get(absent_coach=coach, substitute=coach2)
    assert substitution.created_by == user("chef") and substitution.valid_from > timezone.localdate()
    monday = substitution.valid_from
    assert visible_persons(coach2, monday).filter(participations__coach=coach).exists()
    assert not visible_persons(coach2, monday + datetime.timedelta(days=7)).filter(participations__coach=coach).exists()
