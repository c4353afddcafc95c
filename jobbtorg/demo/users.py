"""The demo logins: one per role, created only by `manage.py seed_demo`.

`coach` and `socialsekreterare` share several participants (coach at Jobbtorg
Järva, social worker in Rinkeby-Kista, which Järva serves), so a referral →
plan → approval journey can be shown end to end. `coach` and `coach2` each have a
caseload of their own: a coach sees only her own caseload, her absent colleagues' as their
named substitute, and others of her unit through emergency access (issue 8 item 6).
"""

from dataclasses import dataclass

from jobbtorg.accounts.models import Role

DEMO_PASSWORD = "jobbtorg-demo"  # noqa: S105 - published demo password, demo installations only

# The demo provider the `anordnare` login works at.
DEMO_PROVIDER = "Nästa Steg Kompetens AB"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    jobbtorg_unit: str | None = None  # JobbtorgUnit.code
    district: str | None = None  # District.code
    provider: str | None = None  # Provider.name
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Lena", "Holmberg", Role.SYSADMIN, superuser=True),
    DemoUser("coach", "Sara", "Lindberg", Role.COACH, jobbtorg_unit="jarva"),
    DemoUser("coach2", "Daniel", "Mohammadi", Role.COACH, jobbtorg_unit="jarva"),
    DemoUser("socialsekreterare", "Maria", "Ekström", Role.SOCIAL_WORKER, district="rinkeby-kista"),
    DemoUser("osa", "Hassan", "Warsame", Role.OSA_OFFICER, district="rinkeby-kista"),
    DemoUser("matchare", "Jonas", "Nyström", Role.MATCHER, jobbtorg_unit="jarva"),
    DemoUser("anordnare", "Elif", "Demir", Role.PROVIDER_STAFF, provider=DEMO_PROVIDER),
    DemoUser("chef", "Karin", "Sundberg", Role.UNIT_MANAGER, jobbtorg_unit="jarva"),
    DemoUser("analytiker", "Peter", "Åberg", Role.ANALYST),
    DemoUser("hr", "Anna", "Wikström", Role.HR),
)

DEMO_USERNAMES = tuple(user.username for user in DEMO_USERS)
