"""Issue 8 item 4: administration is audited in the append-only log, with old and new values.

Every path: the Django admin (create, change role/unit, (de)activate, rights, password, delete),
management commands, the people services (named staff), API tokens. Never a password hash or
a token key. The log review's "Ändringar av användare och behörigheter" shows it at once.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from jobbtorg.accounts.audit import acting
from jobbtorg.accounts.models import Role, User
from jobbtorg.accounts.services import issue_token, revoke_token
from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.audit.services import Actor
from jobbtorg.people import services as person_services
from jobbtorg.people.models import ProtectionLevel
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher_and_plain_static(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def admin_user():
    user = f.UserFactory(sysadmin=True, username="lena")
    user.save(update_fields=["password"])  # the factory skips this save; the session needs the hash
    return user


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def admin_entries(**filters):
    return list(AuditEntry.objects.filter(action=Action.ADMIN, **filters).order_by("id"))


def change_form_data(client, user) -> dict:
    """What the admin's change form would post back unchanged for `user`."""
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled or name in ("password", "last_login", "date_joined"):
            continue
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name in ("groups", "user_permissions"):
            data[name] = [getattr(v, "pk", v) for v in (value or [])]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    return data


def no_secrets(entry: AuditEntry, *secrets: str) -> bool:
    text = f"{entry.what} {entry.details}"
    return not any(secret and secret in text for secret in secrets)


# --- the admin --------------------------------------------------------------------------------


def test_issue_8_item_4_creating_a_user_in_the_admin_is_audited_without_the_password(admin_client):
    before = AuditEntry.objects.count()
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "nykoll",
            "usable_password": "true",
            "password1": "Hemligt-lösen-123",
            "password2": "Hemligt-lösen-123",
            "first_name": "Ny",
            "last_name": "Kollega",
            "email": "ny@example.se",
            "role": Role.COACH,
            "jobbtorg_unit": f.unit().pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(username="nykoll")
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert entries and all(e.action == Action.ADMIN and e.username == "lena" for e in entries)
    first = entries[0]
    assert first.what == f"Användare skapad: nykoll (användar-id {created.pk})"
    assert first.details["user_id"] == created.pk
    assert first.details["changes"]["role"] == {"old": None, "new": Role.COACH}
    assert first.details["changes"]["jobbtorg_unit"]["new"] == f"{f.unit()} (id {f.unit().pk})"
    for e in entries:
        assert no_secrets(e, created.password, "Hemligt-lösen-123")


def test_issue_8_item_4_changing_role_and_unit_in_the_admin_keeps_old_and_new(admin_client):
    worker = f.UserFactory(social_worker=True, username="sara")
    data = change_form_data(admin_client, worker)
    data.update(role=Role.COACH, district="", jobbtorg_unit=f.unit().pk)
    response = admin_client.post(f"/admin/accounts/user/{worker.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    (entry,) = admin_entries(username="lena")
    changes = entry.details["changes"]
    assert changes["role"] == {"old": Role.SOCIAL_WORKER, "new": Role.COACH}
    assert changes["district"]["old"].startswith(str(f.district())) and changes["district"]["new"] is None
    assert changes["jobbtorg_unit"] == {"old": None, "new": f"{f.unit()} (id {f.unit().pk})"}
    assert entry.what.startswith(f"Användare ändrad: sara (användar-id {worker.pk}): ")


def test_issue_8_item_4_deactivating_and_data_protection_role_are_audited(admin_client):
    coach = f.UserFactory(coach=True)
    data = change_form_data(admin_client, coach)
    data.pop("is_active")
    data["is_data_protection_officer"] = "on"
    assert admin_client.post(f"/admin/accounts/user/{coach.pk}/change/", data).status_code == 302
    (entry,) = admin_entries(username="lena")
    assert entry.details["changes"] == {
        "is_active": {"old": True, "new": False},
        "is_data_protection_officer": {"old": False, "new": True},
    }


def test_issue_8_item_4_groups_are_audited(admin_client):
    group = Group.objects.create(name="Granskare")
    coach = f.UserFactory(coach=True)
    data = change_form_data(admin_client, coach)
    data["groups"] = [group.pk]
    assert admin_client.post(f"/admin/accounts/user/{coach.pk}/change/", data).status_code == 302
    (entry,) = admin_entries(username="lena")
    assert entry.details["changes"] == {"groups": {"old": [], "new": ["Granskare"]}}


def test_issue_8_item_4_a_password_set_in_the_admin_is_logged_but_never_its_hash(admin_client):
    coach = f.UserFactory(coach=True)
    response = admin_client.post(
        f"/admin/accounts/user/{coach.pk}/password/",
        {"usable_password": "true", "password1": "Nytt-lösen-4567", "password2": "Nytt-lösen-4567"},
    )
    assert response.status_code == 302
    (entry,) = admin_entries(username="lena")
    assert entry.details["changes"] == {"password": {"old": None, "new": "ändrat"}}
    coach.refresh_from_db()
    assert no_secrets(entry, coach.password, "Nytt-lösen-4567")


def test_issue_8_item_4_deleting_a_user_is_audited(admin_client):
    coach = f.UserFactory(coach=True, username="borta")
    response = admin_client.post(f"/admin/accounts/user/{coach.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    (entry,) = admin_entries(username="lena")
    assert entry.what == f"Användare borttagen: borta (användar-id {coach.pk})"
    assert entry.details["changes"]["role"] == {"old": Role.COACH, "new": None}


def test_issue_8_item_4_an_administrator_who_makes_himself_a_coach_is_in_the_log_review_the_same_minute(
    database_clock, admin_user, admin_client
):
    """The probe: a system administrator gives himself a coach role at Järva. Another
    administrator and Järva's unit manager see it in "Ändringar av användare och behörigheter"."""
    reviewers = (f.UserFactory(sysadmin=True, username="granskare"), f.UserFactory(unit_manager=True))
    data = change_form_data(admin_client, admin_user)
    data.update(role=Role.COACH, jobbtorg_unit=f.unit().pk)
    changed_at = timezone.now()
    response = admin_client.post(f"/admin/accounts/user/{admin_user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    (entry,) = admin_entries(username="lena")
    assert entry.user_id == admin_user.pk and entry.details["user_id"] == admin_user.pk
    assert entry.details["changes"]["role"] == {"old": Role.SYSADMIN, "new": Role.COACH}
    assert abs(entry.at - changed_at) < datetime.timedelta(minutes=1)

    for reviewer in reviewers:
        client = Client()
        client.force_login(reviewer)
        response = client.get("/logg/behorigheter/")
        assert response.status_code == 200
        assert list(response.context["page_obj"].object_list)[0] == entry
        html = response.content.decode()
        assert f"lena (id {admin_user.pk})" in html
        assert "roll: Systemförvaltare → Coach" in html
        assert timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M") in html


# --- other paths ------------------------------------------------------------------------------


def test_issue_8_item_4_createsuperuser_is_audited_naming_the_command(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Ett-långt-lösen-789")
    monkeypatch.setattr("sys.argv", ["manage.py", "createsuperuser", "--noinput"])
    monkeypatch.setattr("getpass.getuser", lambda: "drift")
    call_command("createsuperuser", "--noinput", username="root2", email="root2@example.se")
    user = User.objects.get(username="root2")
    entries = admin_entries(details__user_id=user.pk)
    assert entries[0].what.startswith("Användare skapad: root2")
    assert {e.username for e in entries} == {"manage.py createsuperuser (drift)"}
    assert all(e.user_id is None and no_secrets(e, user.password, "Ett-långt-lösen-789") for e in entries)


def test_issue_8_item_4_the_shell_is_a_management_command_too(monkeypatch):
    coach = f.UserFactory(coach=True)
    monkeypatch.setattr("sys.argv", ["manage.py", "shell"])
    monkeypatch.setattr("getpass.getuser", lambda: "drift")
    coach.role = Role.UNIT_MANAGER
    coach.save()
    (entry,) = admin_entries()
    assert entry.username == "manage.py shell (drift)"
    assert entry.details["changes"] == {"role": {"old": Role.COACH, "new": Role.UNIT_MANAGER}}


def test_issue_8_item_4_fixtures_built_outside_any_actor_write_nothing():
    """Test factories (no request, no command, no `acting`) are no act of a member of staff."""
    coach = f.UserFactory(coach=True)
    coach.is_active = False
    coach.save()
    f.PersonFactory().contact_grants.add(coach)
    assert not admin_entries()


def test_issue_8_item_4_changes_in_code_are_audited_and_attributed_with_acting():
    coach = f.UserFactory(coach=True)
    boss = f.UserFactory(unit_manager=True, username="boss")
    with acting(Actor(user_id=boss.pk, username="boss", role=boss.role)):
        coach.is_active = False
        coach.save()
    (entry,) = admin_entries(username="boss")
    assert entry.details["changes"] == {"is_active": {"old": True, "new": False}}


def test_issue_8_item_4_a_login_writes_no_administration_entry(client):
    user = f.UserFactory(coach=True, username="kalle")
    user.set_password("jobbtorg-test-password")
    user.save(update_fields=["password"])
    before = len(admin_entries())
    client.force_login(user)  # updates last_login
    assert len(admin_entries()) == before


def test_issue_8_item_4_a_rolled_back_change_leaves_no_entry():
    coach = f.UserFactory(coach=True)
    with acting(Actor.system("test")):
        with pytest.raises(RuntimeError), transaction.atomic():
            coach.role = Role.MATCHER
            coach.save()
            raise RuntimeError
        coach.refresh_from_db()
        coach.role = Role.MATCHER
        coach.save()
    (entry,) = admin_entries()  # only the change that was committed
    assert entry.details["changes"] == {"role": {"old": Role.COACH, "new": Role.MATCHER}}


def test_issue_8_item_4_naming_staff_on_a_person_is_audited():
    worker = f.UserFactory(social_worker=True, username="sw")
    person = f.PersonFactory()
    person_services.update_person(
        worker, Actor(user_id=worker.pk, username="sw", role=worker.role), person, {"protection_level": ProtectionLevel.CONFIDENTIALITY_MARKING}, 1
    )
    (entry,) = admin_entries(person_id=person.pk)
    assert entry.details == {"user_id": worker.pk, "username": "sw", "changes": {"contact_grant": {"old": False, "new": True}}}
    assert entry.flagged
    with acting(Actor.system("test")):
        person.contact_grants.remove(worker)
    removed = admin_entries(person_id=person.pk)[-1]
    assert removed.details["changes"] == {"contact_grant": {"old": True, "new": False}}


def test_issue_8_item_4_tokens_are_admin_entries_without_the_key():
    user = f.UserFactory(coach=True, username="integration")
    actor = Actor.system("test")
    issued = issue_token(user, actor)
    rotated = issue_token(user, actor, rotate=True)
    revoke_token(rotated.token, actor)
    entries = admin_entries(what__startswith="API-token")
    assert len(entries) == 3
    assert entries[0].details["changes"]["api_token"]["old"] is None
    assert entries[0].details["changes"]["api_token"]["new"].startswith(f"token-id {issued.token.pk}, giltig till ")
    assert entries[2].details["changes"]["api_token"]["new"] is None
    for e in entries:
        assert no_secrets(e, issued.key, rotated.key, issued.key[:8], rotated.key[:8], rotated.token.key_hash)
