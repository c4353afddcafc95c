"""Load a synthetic, reproducible demo population (issue 2, part 8).

`seed(participants=N, seed=S)` makes N invented participants over Stockholm's
organisation as loaded by organisation.stockholm:

- districts in proportion to `District.population` (districts valid today);
- ages per target group: most 18–64 (social assistance), a fifth 16–29 (young
  people; some of them at Jobbtorg för unga);
- names from jobbtorg.demo.names, the share of non-Swedish names following the
  district; sex agrees with the personnummer's second-last digit;
- synthetic checksum-valid personnummer (about 1 % samordningsnummer), unique;
  birth years follow the ages (1961–2010 when run in 2026);
- about 1 % sekretessmarkering and 0.5 % skyddad folkbokföring;
- participations: most active with a coach, some referred, a few interrupted,
  some closed with a complete outcome over the last two years and a half, some
  with an earlier closed participation; activities at demo providers so the
  provider login sees people;
- each participation's history as the services would have written it
  (jobbtorg.demo.history, ADR 0019): the referral with its target groups and
  first appointment, the timeline entries of each step, the deadlines with the
  due dates of deadlines.rules (open, done, cancelled or paused as the path
  left them), plan versions at every stage with their decisions, activity
  follow-ups, and the post-closure follow-ups; `manage.py check_invariants`
  checks the result (jobbtorg.demo.invariants);
- the demo logins of jobbtorg.demo.users, with `coach` and `socialsekreterare`
  sharing the first participants (Rinkeby-Kista residents at Jobbtorg Järva);
  `coach` and `coach2` each have their own caseload, since a coach sees only her
  own caseload (issue 8 item 6), and `coach2` is named substitute for `coach`
  next week (set by `chef`), so the substitution page shows an example.

Reproducible: the people come from one random stream and their participations
from another, both seeded by S, so the same S gives the same personnummer,
names and districts (birth dates are anchored on 1 January of the current
year). Dates of participations follow today, so the data stays "live".

Fast: rows are built in memory as plain dicts and inserted in batches of
5,000, each batch in its own transaction, with a progress bar on stderr. On
PostgreSQL a batch goes in with COPY; elsewhere (SQLite) with bulk_create. The
ORM's bulk_create spends ~200 µs of Python per participant compiling values,
which made a million participants take about half an hour on the 2-core
machine; COPY takes the rows as they are (`--bulk-create` keeps the ORM path
for comparison; both insert the same rows). One audit entry records the load
("demodata (seed_demo)"); none per row: no real person is read or changed, and
a million "created by the demo loader" entries would only bury the real log.
"""

import datetime
import json
import math
import random
import sys
import time
import unicodedata
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from jobbtorg.access.models import Substitution
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities.models import Activity, ActivityStatus, CatalogueItem
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core import personnummer
from jobbtorg.core.models import Installation
from jobbtorg.deadlines.models import Deadline
from jobbtorg.demo import history, names, places
from jobbtorg.demo.users import DEMO_PASSWORD, DEMO_PROVIDER, DEMO_USERS
from jobbtorg.organisation.models import District, Employer, EmployerContact, JobbtorgUnit, Provider, ServiceArea
from jobbtorg.participations.models import (
    ClosureReason,
    EmploymentExtent,
    EmploymentForm,
    Participation,
    Status,
    StudyLevel,
    TransferTo,
    WageSubsidy,
)
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.plans.models import ActivityPlan
from jobbtorg.referrals.models import TargetGroup
from jobbtorg.timeline.models import TimelineEntry

BATCH_SIZE = 5_000

YOUNG_SHARE = 0.20
YOUNG_AGES = (16, 29)
ADULT_AGES = (18, 64)
YOUNG_AT_UNGA_SHARE = 0.4
COORDINATION_SHARE = 0.01
MARKED_SHARE = 0.01
PROTECTED_SHARE = 0.005
EMAIL_SHARE = 0.35
PHONE_SHARE = 0.85

STATUS_WEIGHTS = ((Status.ACTIVE, 62), (Status.REFERRED, 15), (Status.CLOSED, 23))
HISTORY_SHARE = 0.08  # open participations with an earlier, closed one
INTERRUPTED_SHARE = 0.03  # enrolled participations in a running interruption (avbrott)
RUNNING_ACTIVITY_SHARE = 0.55
ENDED_ACTIVITY_SHARE = 0.20
AF_REGISTERED_SHARE = 0.85

JOURNEY_PERSONS = 12  # the first persons: Rinkeby-Kista residents in `coach`'s caseload
JOURNEY_AT_PROVIDER = 6  # of those, this many have an activity running at the demo provider
COACH_CASELOAD = 30
COACH2_CASELOAD = 25
CASELOAD_PER_COACH = 60
MAX_COACHES_PER_UNIT = 200

# Demo providers (invented names) and the catalogue items they run.
DEMO_PROVIDERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (DEMO_PROVIDER, Provider.Kind.PROCURED, ("Individuell coachning", "CV-skrivning", "Intervjuträning")),
    ("Stiftelsen Vägen In", Provider.Kind.NONPROFIT, ("Arbetsträning", "Språkpraktik/introduktionspraktik")),
    ("Föreningen Framtidsväven", Provider.Kind.NONPROFIT, ("Gruppsamtal", "Motiverande samtal")),
    ("Jobbtorg Stockholm egen regi – Arbetsträning", Provider.Kind.IN_HOUSE, ("Arbetsträning", "Praktik som arbetsträning")),
    (
        "Jobbtorg Stockholm egen regi – Vägledning och coachning",
        Provider.Kind.IN_HOUSE,
        ("Studie- och yrkesvägledning (SYV)", "Rådgivning"),
    ),
)
# Used when the catalogue migration has not loaded an item of that name.
FALLBACK_OFFERS = {
    "Individuell coachning": ("Rådgivning och coachning", 90),
    "CV-skrivning": ("Förberedande insatser", 14),
    "Intervjuträning": ("Förberedande insatser", 14),
    "Arbetsträning": ("Arbetsträning och praktik", 90),
    "Språkpraktik/introduktionspraktik": ("Arbetsträning och praktik", 90),
    "Gruppsamtal": ("Förberedande insatser", 30),
    "Motiverande samtal": ("Förberedande insatser", 30),
    "Praktik som arbetsträning": ("Arbetsträning och praktik", 90),
    "Studie- och yrkesvägledning (SYV)": ("Kartläggning och vägledning", 30),
    "Rådgivning": ("Rådgivning och coachning", 30),
}

# Employers (invented, except the city's own administrations and companies) and contact titles.
DEMO_EMPLOYERS: tuple[tuple[str, str], ...] = (
    ("Kista Lokalvård AB", Employer.Kind.COMPANY),
    ("Järva Bygg & Montage AB", Employer.Kind.COMPANY),
    ("Söderhallen Livs AB", Employer.Kind.COMPANY),
    ("Bemanningspoolen Norr AB", Employer.Kind.STAFFING_AGENCY),
    ("Stockholms stad – Trafikkontoret", Employer.Kind.CITY_ADMINISTRATION),
    ("Stockholms stad – Äldreförvaltningen", Employer.Kind.CITY_ADMINISTRATION),
    ("Stockholmshem AB", Employer.Kind.MUNICIPAL_COMPANY),
    ("Idrottsföreningen Järva United", Employer.Kind.NONPROFIT),
)
CONTACT_TITLES = ("Platschef", "Rekryterare", "Arbetsledare", "HR-partner", "Enhetschef")

FEMALE_DIGITS = (0, 2, 4, 6, 8)
MALE_DIGITS = (1, 3, 5, 7, 9)


@dataclass
class SeedResult:
    """What was made; counts only (never names or numbers)."""

    persons: int = 0
    participations: dict[str, int] = field(default_factory=dict)
    earlier_participations: int = 0
    activities: int = 0
    plans: int = 0
    deadlines: int = 0
    timeline_entries: int = 0
    confidentiality_marked: int = 0
    protected_registration: int = 0
    coordination_numbers: int = 0
    coach_caseload: int = 0
    shared_coach_social_worker: int = 0
    seconds: float = 0.0


Offer = tuple[int, int, int | None, str]  # catalogue item id, default length in days, provider id, name


@dataclass
class _Context:
    """What every batch needs, read once: ids rather than objects, since rows carry ids."""

    today: datetime.date
    districts: list[District]
    district_cum_weights: list[int]
    unit_for_district: dict[int, int]  # district id -> Jobbtorg unit id
    unga_id: int | None
    users: dict[str, User]
    coach_ids_by_unit: dict[int, list[int]]
    offers: list[Offer]
    demo_offers: list[Offer]
    rinkeby_kista: District
    spanga_tensta: District
    jarva: JobbtorgUnit
    unit_names: dict[int, str]
    authors: dict[int, history.Author]  # user id -> signature, for timeline entries and decisions
    social_workers: dict[int, history.Author]  # district id -> the social worker who refers and approves
    adult_groups: list[history.Group]
    young_groups: list[history.Group]
    coaching_item_id: int | None


class SeedError(Exception):
    """The database is not ready for demo data (e.g. not migrated)."""


def seed(
    participants: int,
    random_seed: int,
    *,
    batch_size: int = BATCH_SIZE,
    progress: bool = True,
    use_copy: bool = True,
) -> SeedResult:
    """Create `participants` synthetic persons with participations, the demo users and demo organisation.

    `use_copy=False` inserts with bulk_create on PostgreSQL too (same rows, slower).
    """
    if participants < 0 or batch_size < 1:
        raise ValueError("participants must be >= 0 and batch_size >= 1")
    started = time.monotonic()
    today = timezone.localdate()
    with transaction.atomic():
        _mark_installation_as_demo()
        ctx = _prepare(today, participants, random.Random(f"{random_seed}-staff"))
    result = SeedResult()
    people_rng = random.Random(f"{random_seed}-people")
    flow_rng = random.Random(f"{random_seed}-participations")
    used = _existing_numbers()
    anchor = datetime.date(today.year, 1, 1).toordinal()
    state = _CaseloadState()
    writer = _Writer(use_copy)
    with tqdm(total=participants, unit=" personer", file=sys.stderr, disable=not progress, desc="Demodata") as bar:
        for start in range(0, participants, batch_size):
            stop = min(start + batch_size, participants)
            with transaction.atomic():
                _seed_batch(ctx, writer, range(start, stop), people_rng, flow_rng, used, anchor, state, result)
            bar.update(stop - start)
    result.coach_caseload = state.coach
    result.shared_coach_social_worker = state.shared
    # One entry for the whole load, clearly the seed's: no real person was read or changed.
    record(Actor(None, "seed_demo", "system"), Action.CREATE, "demodata (seed_demo)", None,
           details={"participants": participants, "seed": random_seed, "timeline_entries": result.timeline_entries})
    result.seconds = time.monotonic() - started
    return result


# --- organisation, users ------------------------------------------------------------------------


def _mark_installation_as_demo() -> None:
    installation = Installation.objects.order_by("pk").first()
    if installation is None:
        Installation.objects.create(is_demo=True)
    elif not installation.is_demo:
        installation.is_demo = True
        installation.save(update_fields=["is_demo"])


def _valid_today(today: datetime.date) -> Q:
    return Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def _prepare(today: datetime.date, participants: int, rng: random.Random) -> _Context:
    districts = list(District.objects.filter(_valid_today(today), population__gt=0).order_by("code"))
    by_code = {d.code: d for d in districts}
    units = {unit.code: unit for unit in JobbtorgUnit.objects.all()}
    if not {"rinkeby-kista", "spanga-tensta"} <= set(by_code) or "jarva" not in units:
        raise SeedError("Stockholms organisation saknas – kör `manage.py migrate` först.")
    unit_for_district = {area.district_id: area.unit_id for area in ServiceArea.objects.valid_on(today).order_by("pk")}
    providers = _ensure_providers()
    offers, demo_offers = _ensure_offers(providers)
    _ensure_employers(rng)
    users = _ensure_demo_users(units, providers)
    _ensure_demo_substitution(users, units["jarva"], today)
    total_population = sum(d.population for d in districts)
    expected_active: dict[int, float] = {}
    for district in districts:
        unit_id = unit_for_district.get(district.pk)
        if unit_id is not None:
            share = district.population / total_population * participants * 0.62
            expected_active[unit_id] = expected_active.get(unit_id, 0) + share
    unga = units.get("unga")
    if unga is not None:
        expected_active[unga.pk] = participants * YOUNG_SHARE * YOUNG_AT_UNGA_SHARE * 0.62
    expected_active.setdefault(units["jarva"].pk, 0)
    coaches_by_unit = _ensure_unit_coaches(
        [u for u in units.values() if u.pk in expected_active], expected_active, rng
    )
    social_workers = _ensure_social_workers(districts, users, rng)
    staff = [*users.values(), *social_workers.values(), *(c for coaches in coaches_by_unit.values() for c in coaches)]
    adult_groups, young_groups = _target_groups()
    return _Context(
        today=today,
        districts=districts,
        district_cum_weights=list(accumulate(d.population for d in districts)),
        unit_for_district=unit_for_district,
        unga_id=unga.pk if unga is not None else None,
        users=users,
        coach_ids_by_unit={unit_id: [c.pk for c in coaches] for unit_id, coaches in coaches_by_unit.items()},
        offers=offers,
        demo_offers=demo_offers,
        rinkeby_kista=by_code["rinkeby-kista"],
        spanga_tensta=by_code["spanga-tensta"],
        jarva=units["jarva"],
        unit_names={unit.pk: unit.name for unit in units.values()},
        authors={user.pk: _author(user) for user in staff},
        social_workers={district_id: _author(user) for district_id, user in social_workers.items()},
        adult_groups=adult_groups,
        young_groups=young_groups,
        coaching_item_id=offers[0][0] if offers else None,
    )


def _author(user: User) -> history.Author:
    return history.Author(user.pk, user.get_full_name() or user.get_username(), user.role)


# Target groups the demo refers to, by code (referrals.target_groups), weighted.
ADULT_GROUPS = {"fs-arbetsloshet": 50, "fs-andra-skal": 20, "nybesok": 10, "sfi": 8, "nyanlanda": 8, "ovriga": 4}
YOUNG_GROUPS = {"unga": 50, "uvas": 30, "fs-arbetsloshet": 20}


def _target_groups() -> tuple[list[history.Group], list[history.Group]]:
    """The loaded target groups as the seed refers to them, repeated by weight (rng.choice picks one)."""
    by_code = {
        g.code: history.Group(g.pk, g.code, g.name, g.is_job_guarantee, g.needs_consent, g.needs_conditions)
        for g in TargetGroup.objects.filter(active=True)
    }
    if not by_code:
        raise SeedError("Målgrupperna saknas – kör `manage.py migrate` först.")
    fallback = next(iter(by_code.values()))

    def weighted(weights: dict[str, int]) -> list[history.Group]:
        made = [by_code[code] for code, weight in weights.items() if code in by_code for _ in range(weight)]
        return made or [fallback]

    return weighted(ADULT_GROUPS), weighted(YOUNG_GROUPS)


def _ensure_social_workers(
    districts: Sequence[District], users: dict[str, User], rng: random.Random
) -> dict[int, User]:
    """One social worker per district to sign referrals and plan decisions (no password: they cannot
    log in); Rinkeby-Kista's is the `socialsekreterare` demo login."""
    demo = users["socialsekreterare"]
    existing = {u.username: u for u in User.objects.filter(role=Role.SOCIAL_WORKER, username__startswith="socialsekreterare-")}
    by_district: dict[int, User] = {}
    missing = []
    for district in districts:
        if district.pk == demo.district_id:
            by_district[district.pk] = demo
            continue
        username = f"socialsekreterare-{district.code}"
        user = existing.get(username)
        if user is None:
            first, last, _female = _staff_name(rng)
            user = User(username=username, first_name=first, last_name=last, role=Role.SOCIAL_WORKER, district=district)
            user.set_unusable_password()
            missing.append(user)
        by_district[district.pk] = user
    User.objects.bulk_create(missing)
    return by_district


def _ensure_providers() -> dict[str, Provider]:
    providers = {}
    for name, kind, _offers in DEMO_PROVIDERS:
        providers[name], _ = Provider.objects.get_or_create(name=name, defaults={"kind": kind})
    return providers


def _ensure_offers(providers: dict[str, Provider]) -> tuple[list[Offer], list[Offer]]:
    """Catalogue items (from the catalogue migration, or made here) linked to the demo providers."""
    offers: list[Offer] = []
    demo_offers: list[Offer] = []
    for provider_name, _kind, item_names in DEMO_PROVIDERS:
        provider = providers[provider_name]
        for item_name in item_names:
            category, length = FALLBACK_OFFERS[item_name]
            item, _ = CatalogueItem.objects.get_or_create(
                name=item_name, defaults={"category": category, "default_length_days": length}
            )
            if item.capacity is not None or not item.active:
                continue  # bulk-made activities would not respect a capacity the administrator set
            item.providers.add(provider)
            offers.append((item.pk, item.default_length_days, provider.pk, item.name))
            if provider_name == DEMO_PROVIDER:
                demo_offers.append((item.pk, item.default_length_days, provider.pk, item.name))
    return offers, demo_offers or offers


def _ensure_employers(rng: random.Random) -> None:
    for name, kind in DEMO_EMPLOYERS:
        employer, created = Employer.objects.get_or_create(name=name, defaults={"kind": kind})
        if not created and employer.contacts.exists():
            continue
        for index in range(2):
            first, last, _female = _staff_name(rng)
            EmployerContact.objects.create(
                employer=employer,
                name=f"{first} {last}",
                title=CONTACT_TITLES[(len(name) + index) % len(CONTACT_TITLES)],
                email=f"{_ascii(first)}.{_ascii(last)}@{places.EMAIL_DOMAIN}",
                phone=rng.choice(places.FICTION_LANDLINE),
                is_supervisor=index == 0,
            )


def _ensure_demo_users(units: dict[str, JobbtorgUnit], providers: dict[str, Provider]) -> dict[str, User]:
    """The ten demo logins, created or reset to their demo role, unit and password."""
    districts = {d.code: d for d in District.objects.all()}
    # One hash for all ten: the password is published, so a shared salt hides nothing,
    # and it saves nine rounds of the deliberately slow hasher.
    encoded = make_password(DEMO_PASSWORD)
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.email = f"{spec.username}@{places.EMAIL_DOMAIN}"
        user.role = spec.role
        user.jobbtorg_unit = units[spec.jobbtorg_unit] if spec.jobbtorg_unit else None
        user.district = districts[spec.district] if spec.district else None
        user.provider = providers[spec.provider] if spec.provider else None
        user.is_staff = user.is_superuser = spec.superuser
        user.is_active = True
        user.password = encoded
        user.save()
        users[spec.username] = user
    return users


def _ensure_demo_substitution(users: dict[str, User], unit: JobbtorgUnit, today: datetime.date) -> None:
    """`coach2` stands in for `coach` next week (Monday to Friday): a coming substitution, so
    today's access of both stays their own caseload."""
    monday = today + datetime.timedelta(days=7 - today.weekday())
    Substitution.objects.get_or_create(
        absent_coach=users["coach"],
        substitute=users["coach2"],
        unit=unit,
        valid_from=monday,
        defaults={"valid_to": monday + datetime.timedelta(days=4), "created_by": users["chef"]},
    )


def _ensure_unit_coaches(
    units: Sequence[JobbtorgUnit], expected_active: dict[int, float], rng: random.Random
) -> dict[int, list[User]]:
    """Generated coaches (no password: they cannot log in) so that caseloads stay plausible."""
    by_unit: dict[int, list[User]] = {}
    for unit in sorted(units, key=lambda u: u.code):
        wanted = max(2, min(MAX_COACHES_PER_UNIT, math.ceil(expected_active[unit.pk] / CASELOAD_PER_COACH)))
        existing = list(User.objects.filter(role=Role.COACH, jobbtorg_unit=unit, username__startswith=f"coach-{unit.code}-"))
        missing = []
        for index in range(len(existing) + 1, wanted + 1):
            first, last, _female = _staff_name(rng)
            user = User(
                username=f"coach-{unit.code}-{index:03d}",
                first_name=first,
                last_name=last,
                role=Role.COACH,
                jobbtorg_unit=unit,
            )
            user.set_unusable_password()
            missing.append(user)
        User.objects.bulk_create(missing)
        by_unit[unit.pk] = sorted(existing + missing, key=lambda u: u.username)
    return by_unit


def _staff_name(rng: random.Random) -> tuple[str, str, bool]:
    origin = _pick_origin(rng, names.DEFAULT_FOREIGN_NAME_SHARE)
    female = rng.random() < 0.6
    return rng.choice(origin.female if female else origin.male), rng.choice(origin.last), female


# --- people -------------------------------------------------------------------------------------

_FOREIGN_CUM = list(accumulate(origin.weight for origin in names.FOREIGN))
_STATUS_CUM = list(accumulate(weight for _, weight in STATUS_WEIGHTS))
_STATUSES = [status for status, _ in STATUS_WEIGHTS]
_PLAN_STAGE_CUM = list(accumulate(weight for _, weight in history.PLAN_STAGES))
_PLAN_STAGES = [stage for stage, _ in history.PLAN_STAGES]

Row = dict[str, Any]


def _pick_origin(rng: random.Random, foreign_share: float) -> names.Origin:
    if rng.random() >= foreign_share:
        return names.SWEDISH
    return names.FOREIGN[bisect(_FOREIGN_CUM, rng.random() * _FOREIGN_CUM[-1])]


def _weighted[T](rng: random.Random, items: Sequence[T], cum_weights: Sequence[int]) -> T:
    return items[bisect(cum_weights, rng.random() * cum_weights[-1])]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _existing_numbers() -> set[int]:
    # Integers, not strings: a million of them fit in ~60 MB.
    return {int(n) for n in Person.objects.values_list("personnummer", flat=True).iterator(chunk_size=20_000)}


@dataclass
class _Drawn:
    """One synthetic person: the row to insert and what the participation draw needs to know."""

    index: int
    row: Row
    district: District
    young: bool
    protected: bool
    journey: bool = False
    special_protected: bool = False


def _draw_person(ctx: _Context, index: int, rng: random.Random, used: set[int], anchor: int) -> _Drawn:
    journey = index < JOURNEY_PERSONS
    special_protected = index == JOURNEY_PERSONS  # one protected person in `coach`'s caseload
    district = ctx.rinkeby_kista if journey else _weighted(rng, ctx.districts, ctx.district_cum_weights)
    if special_protected:
        district = ctx.spanga_tensta
    young = not journey and rng.random() < YOUNG_SHARE
    low, high = YOUNG_AGES if young else ADULT_AGES
    age_years = rng.triangular(low, high + 1, 22 if young else 38)
    born = datetime.date.fromordinal(anchor - int(age_years * 365.2425) - 1)
    female = rng.random() < 0.5
    coordination = rng.random() < COORDINATION_SHARE
    while True:
        serial = rng.randrange(100) * 10 + rng.choice(FEMALE_DIGITS if female else MALE_DIGITS)
        if serial == 0:
            continue
        number = personnummer.build(born, serial, coordination)
        key = int(number)
        if key not in used:
            used.add(key)
            break
    origin = _pick_origin(rng, names.FOREIGN_NAME_SHARE.get(district.code, names.DEFAULT_FOREIGN_NAME_SHARE))
    first = rng.choice(origin.female if female else origin.male)
    last = rng.choice(origin.last)
    street = postal = city = ""
    if district.code not in places.NO_ADDRESS_DISTRICTS:
        town, prefix, streets = places.STREETS.get(district.code, ("Stockholm", "111", ("Drottninggatan",)))
        street = f"{rng.choice(streets)} {rng.randint(1, 60)}"
        postal = f"{prefix}{rng.randrange(100):02d}"
        city = town
    phone = rng.choice(places.FICTION_MOBILE) if rng.random() < PHONE_SHARE else ""
    email = f"{_ascii(first)}.{_ascii(last)}{rng.randrange(100)}@{places.EMAIL_DOMAIN}" if rng.random() < EMAIL_SHARE else ""
    roll = rng.random()
    protection = ProtectionLevel.NONE
    if special_protected:
        protection = ProtectionLevel.PROTECTED_REGISTRATION
    elif not journey and roll < PROTECTED_SHARE:
        protection = ProtectionLevel.PROTECTED_REGISTRATION
    elif not journey and roll < PROTECTED_SHARE + MARKED_SHARE:
        protection = ProtectionLevel.CONFIDENTIALITY_MARKING
    row = {
        "personnummer": number,
        "first_name": first,
        "last_name": last,
        "home_district_id": district.pk,
        "street_address": street,
        "postal_code": postal,
        "city": city,
        "phone": phone,
        "email": email,
        "protection_level": str(protection),
    }
    return _Drawn(index, row, district, young, protection != ProtectionLevel.NONE, journey, special_protected)


# --- participations and their histories ---------------------------------------------------------


@dataclass
class _CaseloadState:
    coach: int = 0
    coach2: int = 0
    shared: int = 0


def _days(day: datetime.date, n: int) -> datetime.date:
    return day + datetime.timedelta(days=n)


def _closure(rng: random.Random) -> Row:
    """A complete outcome (the model's constraints refuse a closure without one)."""
    roll = rng.random()
    if roll < 0.35:
        return {
            "closure_reason": ClosureReason.WORK.value,
            "employment_form": rng.choice(EmploymentForm.values),
            "employment_extent": rng.choice(EmploymentExtent.values),
            "wage_subsidy": rng.choice(WageSubsidy.values),
            "employment_lasts_a_month": rng.random() < 0.8,
        }
    if roll < 0.50:
        return {"closure_reason": ClosureReason.STUDIES.value, "study_level": rng.choice(StudyLevel.values)}
    if roll < 0.65:
        return {"closure_reason": ClosureReason.TRANSFER.value, "transfer_to": rng.choice(TransferTo.values)}
    if roll < 0.75:
        return {"closure_reason": ClosureReason.MOVED.value}
    if roll < 0.90:
        return {"closure_reason": ClosureReason.INTERRUPTED_NO_RETURN.value}
    return {"closure_reason": ClosureReason.OTHER.value, "closure_text": "Avslutad i samråd med stadsdelen."}


def _participation_row(drawn: _Drawn, unit_id: int, status: Status, referred: datetime.date, coach_id: int | None) -> Row:
    return {
        "person_id": history.Ref(drawn.row),
        "unit_id": unit_id,
        "home_district_id": drawn.district.pk,
        "coach_id": coach_id,
        "status": status.value,
        "referred_on": referred,
        "previous_id": None,
    }


def _enrolled(row: Row, arrived: datetime.date, coach_id: int) -> None:
    row.update({
        "arrived_on": arrived,
        "coach_assigned_on": arrived,
        "informed_rights": True,
        "informed_duty": True,
        "informed_consequences": True,
        "information_signed_on": arrived,
        "information_signed_by_id": coach_id,
    })


def _path(ctx: _Context, rows: history.Rows, drawn: _Drawn, row: Row, coach_id: int) -> history.Path:
    return history.Path(rows, row, drawn.row, ctx.today, ctx.authors[coach_id], ctx.social_workers[drawn.district.pk])


def _groups(ctx: _Context, drawn: _Drawn, rng: random.Random) -> list[history.Group]:
    choices = ctx.young_groups if drawn.young else ctx.adult_groups
    return [rng.choice(choices)]


def _refer(ctx: _Context, path: history.Path, drawn: _Drawn, groups: list[history.Group],
           appointment_on: datetime.date | None) -> None:
    unit_id: int = path.participation["unit_id"]
    derived = ctx.unit_for_district.get(drawn.district.pk, unit_id)
    history.referral(path, groups, drawn.district.name, ctx.unit_names[unit_id], derived, appointment_on, ctx.unit_names[unit_id])


def _closed_participation(
    ctx: _Context, rows: history.Rows, rng: random.Random, drawn: _Drawn, unit_id: int, coach_id: int,
    latest_end: datetime.date, span: int,
) -> tuple[Row, history.Path]:
    """A whole closed participation: referral, enrolment, plan, closure with its outcome and follow-ups."""
    referred = _days(latest_end, -rng.randint(60, span))
    arrived = _days(referred, rng.randint(0, 9))
    closed = max(min(_days(arrived, rng.randint(30, 540)), latest_end), arrived)
    row = _participation_row(drawn, unit_id, Status.CLOSED, referred, coach_id)
    _enrolled(row, arrived, coach_id)
    row.update({"closed_on": closed, "closed_by_id": coach_id, **_closure(rng)})
    rows.add(Participation, row)
    path = _path(ctx, rows, drawn, row, coach_id)
    groups = _groups(ctx, drawn, rng)
    _refer(ctx, path, drawn, groups, arrived)
    history.enrolment(path, [(arrived, None)], any(g.is_job_guarantee for g in groups), rng)
    stage = "approved" if (closed - arrived).days >= 20 else "none"
    history.plans(path, ctx.coaching_item_id, stage, rng, closed)
    history.closure(path, history.outcome_of(row), rng)
    return row, path


def _pick_coach(ctx: _Context, drawn: _Drawn, unit_id: int, rng: random.Random, state: _CaseloadState) -> int:
    if unit_id == ctx.jarva.pk:
        if drawn.journey or drawn.special_protected or (state.coach < COACH_CASELOAD and not drawn.protected):
            state.coach += 1
            if drawn.district.pk == ctx.rinkeby_kista.pk and not drawn.protected:
                state.shared += 1
            return ctx.users["coach"].pk
        if state.coach2 < COACH2_CASELOAD:
            state.coach2 += 1
            return ctx.users["coach2"].pk
    return rng.choice(ctx.coach_ids_by_unit[unit_id])


def _plan_stage(rng: random.Random, days_enrolled: int) -> str:
    if days_enrolled < 7:
        return rng.choice(("none", "draft", "submitted"))
    return _weighted(rng, _PLAN_STAGES, _PLAN_STAGE_CUM)


def _flow(ctx: _Context, rows: history.Rows, drawn: _Drawn, rng: random.Random, state: _CaseloadState) -> Row:
    """One person's participations with their histories: an earlier closed one sometimes, and the current one."""
    today = ctx.today
    district_unit = ctx.unit_for_district.get(drawn.district.pk, ctx.jarva.pk)
    fixed = drawn.journey or drawn.special_protected
    unit_id = district_unit
    if drawn.young and ctx.unga_id is not None and not fixed and rng.random() < YOUNG_AT_UNGA_SHARE:
        unit_id = ctx.unga_id
    if fixed:
        unit_id = ctx.jarva.pk
    status = Status.ACTIVE if fixed else _weighted(rng, _STATUSES, _STATUS_CUM)
    if status == Status.CLOSED:
        coach_id = rng.choice(ctx.coach_ids_by_unit[unit_id])
        current, _path_ = _closed_participation(ctx, rows, rng, drawn, unit_id, coach_id, _days(today, -1), 900)
        return current
    groups = _groups(ctx, drawn, rng)
    if status == Status.REFERRED:
        referred = _days(today, -rng.randint(0, 20))
        # The booked coach is the provisional coach until the unit manager assigns one (create_referral).
        coach_id = rng.choice(ctx.coach_ids_by_unit[unit_id])
        current = rows.add(Participation, _participation_row(drawn, unit_id, Status.REFERRED, referred, coach_id))
        path = _path(ctx, rows, drawn, current, coach_id)
        _refer(ctx, path, drawn, groups, history.add_working_days(referred, rng.randint(1, 5)))
    else:
        coach_id = _pick_coach(ctx, drawn, unit_id, rng, state)
        referred = _days(today, -rng.randint(10, 540))
        arrived = min(_days(referred, rng.randint(0, 9)), today)
        af = rng.random() < AF_REGISTERED_SHARE
        current = rows.add(Participation, _participation_row(drawn, unit_id, Status.ACTIVE, referred, coach_id))
        _enrolled(current, arrived, coach_id)
        current["af_registered"] = af
        current["af_registered_on"] = _days(referred, -rng.randint(0, 365)) if af else None
    previous = None
    if rng.random() < HISTORY_SHARE and not drawn.journey:
        earlier_coach = rng.choice(ctx.coach_ids_by_unit[district_unit])
        previous, _earlier = _closed_participation(
            ctx, rows, rng, drawn, district_unit, earlier_coach, _days(current["referred_on"], -30), 1200
        )
        current["previous_id"] = history.Ref(previous)
    if status == Status.ACTIVE:
        periods: list[tuple[datetime.date, datetime.date | None]] = [(current["arrived_on"], None)]
        if previous is not None:
            periods.insert(0, (previous["arrived_on"], previous["closed_on"]))
        path = _path(ctx, rows, drawn, current, coach_id)
        _refer(ctx, path, drawn, groups, current["arrived_on"])
        history.enrolment(path, periods, any(g.is_job_guarantee for g in groups), rng)
        history.plans(path, ctx.coaching_item_id, _plan_stage(rng, (today - current["arrived_on"]).days), rng, today)
        for activity, item_name in _activities(ctx, drawn, current, rng):
            history.activity(path, activity, item_name)
        if not fixed and rng.random() < INTERRUPTED_SHARE and (today - current["arrived_on"]).days > 20:
            history.interruption(path, _days(today, -rng.randint(0, 14)), periods)
    return current


def _activities(ctx: _Context, drawn: _Drawn, participation: Row, rng: random.Random) -> list[tuple[Row, str]]:
    today = ctx.today
    arrived: datetime.date = participation["arrived_on"]
    coach_id = participation["coach_id"]
    made: list[tuple[Row, str]] = []
    if rng.random() < ENDED_ACTIVITY_SHARE and (today - arrived).days > 20:
        item_id, length, provider_id, item_name = rng.choice(ctx.offers)
        end = min(_days(arrived, length - 1), _days(today, -1))
        if end >= arrived:
            made.append(({
                "catalogue_item_id": item_id, "provider_id": provider_id,
                "start_date": arrived, "end_date": end, "status": ActivityStatus.ENDED.value, "closed_on": end,
                "created_by_id": coach_id,
            }, item_name))
    at_demo_provider = drawn.journey and drawn.index < JOURNEY_AT_PROVIDER
    if at_demo_provider or rng.random() < RUNNING_ACTIVITY_SHARE:
        item_id, length, provider_id, item_name = rng.choice(ctx.demo_offers if at_demo_provider else ctx.offers)
        start = max(arrived, _days(today, -rng.randint(0, 75)))
        if made:
            start = max(start, _days(made[-1][0]["end_date"], 1))
        start = min(start, today)
        end = _days(start, max(length, 1) - 1)
        if end < today:
            end = _days(today, rng.randint(1, 30))
        made.append(({
            "catalogue_item_id": item_id, "provider_id": provider_id,
            "start_date": start, "end_date": end, "status": ActivityStatus.OPEN.value, "created_by_id": coach_id,
        }, item_name))
    return made

# --- writing ------------------------------------------------------------------------------------

_MISSING = object()


class _Writer:
    """Inserts rows of one batch: COPY on PostgreSQL, bulk_create elsewhere (or when asked).

    Primary keys are handed out before the insert (from the table's sequence on
    PostgreSQL, after the highest id elsewhere; the loader is the only writer
    while it runs), so rows can point at each other within a batch without a
    round trip per table. COPY skips the ORM's per-value SQL compilation, the
    largest cost of a million-row load; both paths insert exactly the same rows.
    """

    def __init__(self, use_copy: bool) -> None:
        self.use_copy = use_copy and connection.vendor == "postgresql"
        self._next_id: dict[type[models.Model], int] = {}

    def allocate_ids(self, model: type[models.Model], count: int) -> list[int]:
        if count == 0:
            return []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        if model not in self._next_id:
            highest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
            self._next_id[model] = (highest or 0) + 1
        start = self._next_id[model]
        self._next_id[model] = start + count
        return list(range(start, start + count))

    def insert(self, model: type[models.Model], rows: list[Row]) -> None:
        if not rows:
            return
        if self.use_copy:
            self._copy(model, rows)
        else:
            model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)

    def _copy(self, model: type[models.Model], rows: list[Row]) -> None:
        now = timezone.now()
        fields = model._meta.concrete_fields
        defaults: list[Any] = []
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults.append(now)
            elif isinstance(f, models.JSONField):
                defaults.append(f.get_default())
            elif f.has_default() or (f.empty_strings_allowed and not f.null):
                # get_default() is "" for a text field without a default, as the ORM would insert.
                defaults.append(f.get_db_prep_save(f.get_default(), connection))
            elif f.null:
                defaults.append(None)
            else:
                defaults.append(_MISSING)
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        pairs = list(zip([f.attname for f in fields], defaults, strict=True))
        json_positions = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                # A field without a default that a row lacks raises KeyError: better than a NULL.
                values = [row[name] if default is _MISSING else row.get(name, default) for name, default in pairs]
                for i in json_positions:
                    values[i] = json.dumps(values[i], cls=DjangoJSONEncoder)
                copy.write_row(values)


def _seed_batch(
    ctx: _Context,
    writer: _Writer,
    indices: range,
    people_rng: random.Random,
    flow_rng: random.Random,
    used: set[int],
    anchor: int,
    state: _CaseloadState,
    result: SeedResult,
) -> None:
    drawn_people = [_draw_person(ctx, index, people_rng, used, anchor) for index in indices]
    rows = history.Rows()
    current = [_flow(ctx, rows, drawn, flow_rng, state) for drawn in drawn_people]
    persons = [d.row for d in drawn_people]
    for row, pk in zip(persons, writer.allocate_ids(Person, len(persons)), strict=True):
        row["id"] = pk
    # Every row gets its id first, so rows can point at each other (history.Ref) whatever their order.
    for model in history.ORDER:
        made = rows.by_model.get(model, [])
        for row, pk in zip(made, writer.allocate_ids(model, len(made)), strict=True):
            row["id"] = pk
    for model in history.ORDER:
        for row in rows.by_model.get(model, []):
            history.resolve(row)
    if connection.vendor == "postgresql":
        # Demo data can be re-made: don't wait for the WAL flush at each batch's commit.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    writer.insert(Person, persons)
    for model in history.ORDER:
        writer.insert(model, rows.by_model.get(model, []))
    through = Person.contact_grants.through
    through.objects.bulk_create(
        [through(person_id=d.row["id"], user_id=ctx.users["coach"].pk) for d in drawn_people if d.special_protected]
    )
    _count(result, drawn_people, current, rows)


def _count(result: SeedResult, drawn: list[_Drawn], current: list[Row], rows: history.Rows) -> None:
    result.persons += len(drawn)
    result.earlier_participations += len(rows.by_model.get(Participation, [])) - len(current)
    result.activities += len(rows.by_model.get(Activity, []))
    result.plans += len(rows.by_model.get(ActivityPlan, []))
    result.deadlines += len(rows.by_model.get(Deadline, []))
    result.timeline_entries += len(rows.by_model.get(TimelineEntry, []))
    for row in current:
        result.participations[row["status"]] = result.participations.get(row["status"], 0) + 1
    for d in drawn:
        level = d.row["protection_level"]
        if level == ProtectionLevel.CONFIDENTIALITY_MARKING:
            result.confidentiality_marked += 1
        elif level == ProtectionLevel.PROTECTED_REGISTRATION:
            result.protected_registration += 1
        if personnummer.is_coordination_number(d.row["personnummer"]):
            result.coordination_numbers += 1


def describe(result: SeedResult) -> list[str]:
    """The summary lines the command prints (Swedish; counts only)."""
    labels = dict(Status.choices)
    by_status = ", ".join(f"{labels[s]}: {n}" for s, n in sorted(result.participations.items()))
    return [
        f"Demodata klar på {result.seconds:.1f} s.",
        f"  Personer: {result.persons} (varav {result.coordination_numbers} med samordningsnummer)",
        f"  Skyddade: {result.confidentiality_marked} med sekretessmarkering, "
        f"{result.protected_registration} med skyddad folkbokföring",
        f"  Aktuella deltaganden: {by_status}; tidigare avslutade: {result.earlier_participations}",
        f"  Insatser: {result.activities}; aktivitetsplaner: {result.plans}; tidsfrister: {result.deadlines}; "
        f"händelser: {result.timeline_entries}",
        f"  coach har {result.coach_caseload} deltagare, varav {result.shared_coach_social_worker} "
        "i Rinkeby-Kista som socialsekreterare också ser.",
    ]
