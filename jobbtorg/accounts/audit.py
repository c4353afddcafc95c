"""Administration in the append-only audit log (issue 8 item 4): users, roles, units, rights.

Why model signals and not the admin's save_model: a user's role, unit, activity or rights
change through the admin, management commands (createsuperuser, create_api_token), data
migrations, the shell and whatever service comes next, and Django's own `django_admin_log`
sees only the first (and can be deleted). So the entry is written where the change is saved:

- `pre_save`/`post_save` on User compare the stored row with the one being saved
  (creation, role, Jobbtorg unit, district, provider, active, staff/superuser,
  data-protection officer, name, e-mail; the password only as "changed", never its hash),
  and `post_delete` records a removed user;
- `m2m_changed` on `Person.contact_grants` (named staff of a protected person, either
  direction), `User.groups` and `User.user_permissions` records each grant and removal.

API tokens are audited by accounts.services (issue/rotate/revoke, never the key).

The entry is written in the same transaction as the change: a rolled-back change leaves no
entry and a saved change never lacks one. Who acted comes from `acting(actor)`, which every
path of the application binds: the admin (AuditedAdmin), people.services (named staff),
accounts.services (tokens). In a management process (`manage.py createsuperuser`, `shell`,
`migrate`, `seed_demo`, …) an unbound change is attributed to the command and the
operating-system user who ran it. Outside both (test factories building fixtures) nothing is
written: such a save is no act of a member of staff, and fixtures must not fill the log.
A new path that changes users or rights binds `acting` (a web view: `Actor.from_request`). Every entry is
Action.ADMIN with `details = {"user_id", "username", "changes": {field: {"old", "new"}}}`;
entries about a person's named staff carry the person's id (never name or personnummer).
"""

import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record

# Fields whose change is an administrative act (last_login and date_joined are not).
TRACKED_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "jobbtorg_unit",
    "district",
    "provider",
    "is_active",
    "is_staff",
    "is_superuser",
    "is_data_protection_officer",
)
FK_FIELDS = ("jobbtorg_unit", "district", "provider")
PASSWORD_CHANGED = "ändrat"

FIELD_LABELS = {
    "username": "användarnamn",
    "first_name": "förnamn",
    "last_name": "efternamn",
    "email": "e-post",
    "role": "roll",
    "jobbtorg_unit": "jobbtorg",
    "district": "stadsdel",
    "provider": "anordnare",
    "is_active": "aktiv",
    "is_staff": "administrationen",
    "is_superuser": "superanvändare",
    "is_data_protection_officer": "dataskyddsansvarig",
    "password": "lösenord",
    "groups": "grupper",
    "user_permissions": "behörigheter",
    "contact_grant": "namngiven personal",
    "api_token": "API-token",
}

_actor: ContextVar[Actor | None] = ContextVar("admin_audit_actor", default=None)


@contextlib.contextmanager
def acting(actor: Actor) -> Iterator[None]:
    """Attribute the administrative changes saved inside the block to `actor`."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor | None:
    """The bound actor, else the management command being run, else None (nothing is recorded)."""
    return _actor.get() or _command_actor()


def _command_actor() -> Actor | None:
    argv = sys.argv
    if len(argv) < 2 or os.path.basename(argv[0]) not in ("manage.py", "django-admin"):
        return None
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        who = "okänd"
    return Actor.system(f"manage.py {argv[1][:40]} ({who})")


def who(user: Any) -> str:
    return f"{user.get_username()} (användar-id {user.pk})"


def record_admin(
    what: str, user: Any, changes: dict[str, dict[str, Any]], *, person_id: int | None = None, protected: bool = False
) -> None:
    """One Action.ADMIN entry about `user` with old and new values (when someone acts, above)."""
    actor = current_actor()
    if actor is None:
        return
    details = {"user_id": user.pk, "username": user.get_username(), "changes": changes}
    record(actor, Action.ADMIN, what, person_id, protected=protected, details=details)


def _value(user: User, field: str) -> Any:
    if field in FK_FIELDS:
        related = getattr(user, field)
        return f"{related} (id {related.pk})" if related is not None else None
    return getattr(user, field)


def snapshot(user: User) -> dict[str, Any]:
    return {field: _value(user, field) for field in TRACKED_FIELDS}


def _touches_tracked(update_fields: Any) -> bool:
    if update_fields is None:
        return True
    return bool(set(update_fields) & {*TRACKED_FIELDS, *(f"{f}_id" for f in FK_FIELDS), "password"})


def _before_user_save(sender: type, instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    if raw or instance.pk is None or not _touches_tracked(update_fields) or current_actor() is None:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    stored = User.objects.select_related("jobbtorg_unit", "district", "provider").filter(pk=instance.pk).first()
    instance._audit_before = (  # type: ignore[attr-defined]
        None if stored is None else (snapshot(stored), stored.password)
    )


def _after_user_save(
    sender: type, instance: User, created: bool, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or current_actor() is None:
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None  # type: ignore[attr-defined]
    if created:
        changes = {field: {"old": None, "new": value} for field, value in snapshot(instance).items()}
        record_admin(f"Användare skapad: {who(instance)}", instance, changes)
        return
    if before is None:
        return
    old_values, old_password = before
    new_values = snapshot(instance)
    changes = {f: {"old": old_values[f], "new": new_values[f]} for f in TRACKED_FIELDS if old_values[f] != new_values[f]}
    if instance.password != old_password:
        changes["password"] = {"old": None, "new": PASSWORD_CHANGED}  # never the hash
    if changes:
        names = ", ".join(FIELD_LABELS[f] for f in changes)
        record_admin(f"Användare ändrad: {who(instance)}: {names}", instance, changes)


def _after_user_delete(sender: type, instance: User, **kwargs: Any) -> None:
    if current_actor() is None:
        return
    changes = {field: {"old": value, "new": None} for field, value in snapshot(instance).items()}
    record_admin(f"Användare borttagen: {who(instance)}", instance, changes)


def _user_m2m_changed(field: str) -> Callable[..., None]:
    """groups / user_permissions of a user: one entry per add, remove or clear."""

    def handler(sender: type, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kwargs: Any) -> None:
        if current_actor() is None:
            return
        if action == "pre_clear":
            users = [instance] if not reverse else list(User.objects.filter(**{field: instance}))
            instance._audit_cleared = {
                u.pk: sorted(str(o) for o in getattr(u, field).all()) for u in users
            }
            return
        if action == "post_clear":
            cleared = getattr(instance, "_audit_cleared", {})
            for user in User.objects.filter(pk__in=cleared):
                if cleared[user.pk]:
                    record_admin(
                        f"Användare ändrad: {who(user)}: {FIELD_LABELS[field]}",
                        user,
                        {field: {"old": cleared[user.pk], "new": []}},
                    )
            return
        if action not in ("post_add", "post_remove") or not pk_set:
            return
        users = [instance] if not reverse else list(User.objects.filter(pk__in=pk_set))
        objects = [instance] if reverse else list(model.objects.filter(pk__in=pk_set))
        names = sorted(str(o) for o in objects)
        for user in users:
            change = {"old": [], "new": names} if action == "post_add" else {"old": names, "new": []}
            record_admin(f"Användare ändrad: {who(user)}: {FIELD_LABELS[field]}", user, {field: change})

    return handler


def _contact_grants_changed(
    sender: type, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kwargs: Any
) -> None:
    """Named staff of a person (the rights to a protected person's identity and address)."""
    from jobbtorg.people.models import Person

    if current_actor() is None:
        return
    pairs: list[tuple[int, int]]
    if action == "pre_clear":
        through = Person.contact_grants.through.objects
        stored = through.filter(**({"user_id": instance.pk} if reverse else {"person_id": instance.pk}))
        instance._audit_grants_cleared = list(stored.values_list("person_id", "user_id"))
        return
    if action == "post_clear":
        pairs = getattr(instance, "_audit_grants_cleared", [])
        granted = False
    elif action in ("post_add", "post_remove") and pk_set:
        pairs = [(pk, instance.pk) if reverse else (instance.pk, pk) for pk in pk_set]
        granted = action == "post_add"
    else:
        return
    users = User.objects.in_bulk({user_id for _, user_id in pairs})
    levels = dict(Person.objects.filter(pk__in={pid for pid, _ in pairs}).values_list("pk", "protection_level"))
    for person_id, user_id in sorted(pairs):
        user = users.get(user_id)
        if user is None:
            continue
        verb = "tillagd" if granted else "borttagen"
        record_admin(
            f"Namngiven personal {verb}: {who(user)}, person {person_id}",
            user,
            {"contact_grant": {"old": not granted, "new": granted}},
            person_id=person_id,
            protected=levels.get(person_id, "none") != "none",
        )


def connect() -> None:
    """Called from AccountsConfig.ready()."""
    from jobbtorg.people.models import Person

    pre_save.connect(_before_user_save, sender=User, dispatch_uid="accounts.audit.before_user_save")
    post_save.connect(_after_user_save, sender=User, dispatch_uid="accounts.audit.after_user_save")
    post_delete.connect(_after_user_delete, sender=User, dispatch_uid="accounts.audit.after_user_delete")
    for field in ("groups", "user_permissions"):
        m2m_changed.connect(
            _user_m2m_changed(field), sender=getattr(User, field).through, weak=False, dispatch_uid=f"accounts.audit.{field}"
        )
    m2m_changed.connect(
        _contact_grants_changed, sender=Person.contact_grants.through, dispatch_uid="accounts.audit.contact_grants"
    )
