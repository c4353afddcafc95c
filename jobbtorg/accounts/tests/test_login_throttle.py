"""Login throttling (docs/adr/0011), through the real login page: 5 failed logins for one
username within 15 minutes, or 20 from one client address, refuse further attempts for 15 minutes."""

import pytest
from django.test import Client

from jobbtorg.accounts import services
from jobbtorg.accounts.models import LoginFailure
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "jobbtorg-test-password"
WRONG = "fel-lösenord-123"
LOCKED = "För många misslyckade inloggningar. Försök igen om 15 minuter."
FAILED = "Inloggningen misslyckades"


@pytest.fixture
def kalle():
    user = UserFactory(coach=True, username="kalle")
    user.set_password(PASSWORD)
    user.save()
    return user


def login(username: str, password: str, address: str = "10.0.0.1", path: str = "/login/"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path, {"username": username, "password": password})
    response.client = client
    return response


def signed_in(response) -> bool:
    return response.status_code == 302 and response.client.get("/").status_code == 200


def locked(response) -> bool:
    return response.status_code == 429 and LOCKED in response.content.decode()


def refused_normally(response) -> bool:
    html = response.content.decode()
    return response.status_code == 200 and FAILED in html and LOCKED not in html


def fail(username: str, times: int, address: str = "10.0.0.1") -> list:
    return [login(username, WRONG, address) for _ in range(times)]


def test_four_failed_logins_are_only_refused_as_wrong(kalle):
    assert all(refused_normally(r) for r in fail("kalle", 4))
    assert signed_in(login("kalle", PASSWORD))


def test_fifth_failed_login_starts_the_lockout(kalle):
    fail("kalle", 4)
    assert locked(login("kalle", WRONG))


def test_sixth_failed_login_within_15_minutes_is_refused(kalle, clock):
    fail("kalle", 5)
    clock.advance(minutes=14)
    response = login("kalle", WRONG)
    assert locked(response)
    assert 'role="alert"' in response.content.decode()


def test_lockout_also_refuses_correct_password(kalle):
    fail("kalle", 5)
    response = login("kalle", PASSWORD)
    assert locked(response)
    assert response.client.get("/").status_code == 302  # not signed in


def test_lockout_ends_15_minutes_after_the_fifth_failure(kalle, clock):
    fail("kalle", 4)
    clock.advance(minutes=10)
    fail("kalle", 1)  # the fifth, ten minutes after the first
    clock.advance(minutes=14, seconds=59)
    assert locked(login("kalle", PASSWORD))
    clock.advance(seconds=1)
    assert signed_in(login("kalle", PASSWORD))


def test_unknown_username_is_throttled_the_same_way(kalle):
    def answers(username: str) -> list[tuple[int, str]]:
        responses = [*fail(username, 6), login(username, PASSWORD)]
        return [(r.status_code, LOCKED in r.content.decode()) for r in responses]

    known = answers("kalle")
    assert known == answers("finns-inte")
    assert known == [(200, False)] * 4 + [(429, True)] * 3


def test_successful_login_clears_failures(kalle):
    fail("kalle", 4)
    assert signed_in(login("kalle", PASSWORD))
    assert not LoginFailure.objects.filter(username="kalle").exists()
    assert all(refused_normally(r) for r in fail("kalle", 4))


def test_failures_older_than_window_do_not_count(kalle, clock):
    fail("kalle", 4)
    clock.advance(minutes=15, seconds=1)
    assert refused_normally(login("kalle", WRONG))
    assert signed_in(login("kalle", PASSWORD))


def test_username_is_counted_as_typed_lower_cased(kalle):
    for name in ["Kalle", "KALLE", "kalle", "kAlle", "KallE"]:
        login(name, WRONG)
    assert locked(login("kalle", PASSWORD))
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"kalle"}


def test_many_usernames_from_one_address_are_throttled(kalle):
    answers = [login(f"gissning{n}", WRONG, address="10.9.9.9") for n in range(20)]
    assert all(refused_normally(r) for r in answers[:19])
    assert locked(answers[19])
    # The address is locked, for every username and even a correct password ...
    assert locked(login("kalle", PASSWORD, address="10.9.9.9"))
    # ... while the same user from elsewhere gets in.
    assert signed_in(login("kalle", PASSWORD, address="10.0.0.2"))


def test_successful_login_does_not_clear_the_address_count(kalle):
    for n in range(19):
        login(f"gissning{n}", WRONG, address="10.9.9.9")
    assert signed_in(login("kalle", PASSWORD, address="10.9.9.9"))
    assert locked(login("gissning-till", WRONG, address="10.9.9.9"))


def test_attempts_refused_during_lockout_are_not_counted_or_logged(kalle, clock):
    fail("kalle", 5)
    rows, entries = LoginFailure.objects.count(), AuditEntry.objects.count()
    fail("kalle", 10)
    assert (LoginFailure.objects.count(), AuditEntry.objects.count()) == (rows, entries)
    clock.advance(minutes=15)
    assert signed_in(login("kalle", PASSWORD))  # hammering did not extend the lockout


def test_failed_logins_and_lockout_are_audited_without_the_password(kalle):
    fail("Kalle", 5)
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) == 6  # five failures and the start of the lockout
    for entry in entries:
        assert (entry.action, entry.outcome, entry.flagged) == (Action.LOGIN, Outcome.REFUSED, True)
        assert (entry.username, entry.user_id, entry.person_id) == ("kalle", None, None)
        assert entry.client_address == "10.0.0.1"
        assert WRONG not in " ".join(str(value) for value in vars(entry).values())
    assert entries[0].what == "Inloggning misslyckades: fel användarnamn eller lösenord"
    assert entries[-1].what == (
        "Inloggning spärrad i 15 minuter: 5 misslyckade inloggningar inom 15 minuter för användarnamnet"
    )


def test_no_password_is_stored_with_a_failure(kalle):
    fail("kalle", 1)
    failure = LoginFailure.objects.get()
    assert {f.name for f in LoginFailure._meta.get_fields()} == {"id", "username", "client_address", "at"}
    assert (failure.username, failure.client_address) == ("kalle", "10.0.0.1")


def test_successful_login_is_not_written_as_a_failure(kalle):
    assert signed_in(login("kalle", PASSWORD))
    assert not LoginFailure.objects.exists() and not AuditEntry.objects.exists()


def test_empty_password_checks_nothing_and_counts_nothing(kalle):
    for _ in range(6):
        login("kalle", "")
    assert not LoginFailure.objects.exists()
    assert signed_in(login("kalle", PASSWORD))


def test_old_failures_are_deleted_as_new_ones_come_in(kalle, clock):
    fail("annan", 3)
    clock.advance(minutes=30, seconds=1)  # window + lockout
    fail("kalle", 1)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["kalle"]


def test_admin_login_counts_against_the_same_limits(kalle):
    fail("kalle", 4)
    response = login("kalle", WRONG, path="/admin/login/")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert locked(login("kalle", PASSWORD))


def test_limits_follow_the_settings(kalle, settings, clock):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 1
    assert refused_normally(login("kalle", WRONG))
    response = login("kalle", WRONG)
    assert response.status_code == 429
    assert "Försök igen om 1 minut." in response.content.decode()
    clock.advance(minutes=1)
    assert signed_in(login("kalle", PASSWORD))


def test_a_limit_of_zero_switches_the_throttle_off(kalle, settings):
    settings.LOGIN_FAILURE_LIMIT = 0
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 0
    assert all(refused_normally(r) for r in fail("kalle", 30))
    assert signed_in(login("kalle", PASSWORD))


def test_attempts_sent_at_once_get_no_more_password_checks_than_the_limit(kalle, monkeypatch):
    """Each attempt writes its row before its password is checked and then looks at the rows
    written before it, so of attempts racing each other only the first five go on."""
    in_flight = [services.start_login("kalle", "10.0.0.1") for _ in range(5)]  # none has finished yet
    assert not any(attempt.refused for attempt in in_flight)
    assert services.start_login("kalle", "10.0.0.1").refused  # the sixth, checked after they started
    # A sixth whose first check ran before the five rows were written is caught by the second check.
    real_lockout = services._lockout
    monkeypatch.setattr(services, "_lockout", lambda *args, before_id=None: before_id and real_lockout(*args, before_id=before_id))
    assert services.start_login("kalle", "10.0.0.1").refused
    assert LoginFailure.objects.count() == 5
