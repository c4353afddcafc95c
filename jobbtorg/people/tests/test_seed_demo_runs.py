"""seed_demo runs on an empty database: reproducibility, --if-empty, running again,
and print_demo_logins before any demo user exists (issue 2, part 8)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from jobbtorg.accounts.models import User
from jobbtorg.core.models import Installation
from jobbtorg.demo.users import DEMO_PASSWORD, DEMO_USERNAMES
from jobbtorg.organisation.models import District
from jobbtorg.participations.models import Participation
from jobbtorg.people import services
from jobbtorg.people.models import Person
from jobbtorg.testing.factories import TEST_NUMBERS_FILE, ParticipationFactory, UserFactory, district

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_seed(*args: str) -> str:
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", *args, "--no-progress", stdout=out)
    return out.getvalue()


# --- reproducibility ----------------------------------------------------------------------------


def numbers_for(seed: int, participants: int = 200) -> set[str]:
    with transaction.atomic():
        run_seed("--participants", str(participants), "--seed", str(seed))
        numbers = set(Person.objects.values_list("personnummer", flat=True))
        transaction.set_rollback(True)
    return numbers


@pytest.mark.django_db
def test_same_seed_gives_the_same_personnummer_set():
    first, again, other = numbers_for(5), numbers_for(5), numbers_for(6)
    assert len(first) == 200
    assert first == again
    assert len(first & other) < 10  # a different seed is a different population


@pytest.mark.django_db
def test_same_seed_gives_the_same_names_and_districts():
    def snapshot():
        with transaction.atomic():
            run_seed("--participants", "100", "--seed", "8")
            rows = set(Person.objects.values_list("personnummer", "first_name", "last_name", "home_district__code"))
            transaction.set_rollback(True)
        return rows

    assert snapshot() == snapshot()


# --- --if-empty and running again ---------------------------------------------------------------


@pytest.mark.django_db
def test_if_empty_does_nothing_when_persons_exist():
    run_seed("--participants", "40", "--seed", "1", "--if-empty")
    counts = (Person.objects.count(), Participation.objects.count(), User.objects.count())
    assert counts[0] == 40
    output = run_seed("--participants", "500", "--seed", "2", "--if-empty")
    assert (Person.objects.count(), Participation.objects.count(), User.objects.count()) == counts
    assert "lämnas" in output


@pytest.mark.django_db
def test_running_again_without_if_empty_adds_people_without_duplicates():
    run_seed("--participants", "30", "--seed", "1")
    run_seed("--participants", "30", "--seed", "1")  # same seed: every number is taken, new ones are drawn
    assert Person.objects.count() == 60
    assert User.objects.filter(username="coach").count() == 1
    assert Installation.objects.count() == 1


@pytest.mark.django_db
def test_zero_participants_still_creates_the_demo_users():
    run_seed("--participants", "0", "--seed", "1")
    assert not Person.objects.exists()
    assert set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)) == set(DEMO_USERNAMES)


@pytest.mark.django_db
def test_print_demo_logins_without_demo_users_prints_no_password():
    out = io.StringIO()
    call_command("print_demo_logins", "--port", "8000", stdout=out)
    assert "Inga demoanvändare" in out.getvalue()
    assert DEMO_PASSWORD not in out.getvalue()


def snapshot_rows(*extra_args: str) -> tuple[set, set]:
    """Everything the loader decided, keyed by personnummer (ids differ between runs)."""
    with transaction.atomic():
        run_seed("--participants", "150", "--seed", "21", *extra_args)
        persons = set(
            Person.objects.values_list(
                "personnummer", "first_name", "last_name", "home_district__code", "street_address", "postal_code",
                "phone", "email", "protection_level",
            )
        )
        participations = set(
            Participation.objects.values_list(
                "person__personnummer", "unit__code", "status", "coach__username", "referred_on", "arrived_on",
                "closed_on", "closure_reason", "previous__referred_on", "activities__catalogue_item__name",
                "activities__provider__name", "activities__start_date", "activities__end_date", "activities__status",
            )
        )
        transaction.set_rollback(True)
    return persons, participations


@pytest.mark.django_db
def test_copy_and_bulk_create_insert_the_same_rows():
    # On PostgreSQL the default path is COPY and --bulk-create the ORM; on SQLite both are the ORM.
    default_persons, default_participations = snapshot_rows()
    orm_persons, orm_participations = snapshot_rows("--bulk-create")
    assert len(default_persons) == 150
    assert default_persons == orm_persons
    assert default_participations == orm_participations


@pytest.mark.django_db
def test_the_orm_can_insert_after_the_loader_handed_out_ids(actor_of):
    run_seed("--participants", "20", "--seed", "3")
    coach = UserFactory(coach=True)
    number = next(n for n in TEST_NUMBERS_FILE.read_text().split() if n.startswith("1945"))
    person = services.create_person(
        coach,
        actor_of(coach),
        {"personnummer": number, "first_name": "Efter", "last_name": "Laddning", "home_district": district()},
    )
    participation = ParticipationFactory(person=person)
    assert person.pk > max(Person.objects.exclude(pk=person.pk).values_list("pk", flat=True))
    assert Participation.objects.filter(pk=participation.pk).exists()


@pytest.mark.django_db
def test_a_database_without_the_organisation_gets_a_clear_error():
    District.objects.filter(code="spanga-tensta").update(valid_to="2000-01-01")
    with pytest.raises(CommandError, match="migrate"):
        run_seed("--participants", "5", "--seed", "1")
