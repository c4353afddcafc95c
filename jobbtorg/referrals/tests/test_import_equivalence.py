"""The import writes what a single referral writes (issue 8 item 8, DOMAIN §3 and §4.1).

`save_referrals_batch` writes the import's rows in bulk (COPY on PostgreSQL), bypassing
`create_referral`. These tests refer one person by `create_referral` and another with the same
data through the import, then compare every row either path writes — person, participation,
referral and its target groups, timeline entry, deadlines, audit entries — field by field,
leaving out only what must differ (ids, the personnummer, times of writing, the source and
the import batch).
"""

import datetime

import pytest
from django.db import models

from jobbtorg.audit.models import AuditEntry
from jobbtorg.deadlines.models import Deadline
from jobbtorg.participations.models import Participation
from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.people.models import Person
from jobbtorg.referrals import services
from jobbtorg.referrals.csv_import import COLUMNS, import_referrals
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.tests.helpers import new_number
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

# Differ by nature: keys, times of writing, the personnummer, how the referral came in.
DIFFERENT = {"id", "created_at", "updated_at", "recorded_at", "at", "prev_hash", "entry_hash", "personnummer",
             "source", "import_batch_id"}  # fmt: skip


def fields(obj: models.Model, **keys: object) -> dict[str, object]:
    """Every column but those that must differ; the ids of the referral's own rows replaced by `keys`."""
    out = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in DIFFERENT}
    for name, own in keys.items():
        out[name] = "own" if out[name] == own else out[name]
    return out


def written(person: Person) -> dict[str, object]:
    participation = Participation.objects.filter(person=person).latest("id")
    referral = Referral.objects.get(participation=participation)
    own = {"person_id": person.pk, "participation_id": participation.pk}
    timeline = [fields(t, **own) for t in TimelineEntry.objects.filter(participation=participation).order_by("id")]
    for entry in timeline:
        entry["data"] = {k: v for k, v in entry["data"].items() if k not in ("referral", "source")}  # type: ignore[attr-defined]
    return {
        "person": fields(person),
        "participation": fields(participation, person_id=person.pk),
        "referral": fields(referral, participation_id=participation.pk),
        "target_groups": sorted(referral.target_groups.values_list("code", flat=True)),
        "timeline": timeline,
        "deadlines": sorted(
            (fields(d, participation_id=participation.pk) for d in Deadline.objects.filter(participation=participation)),
            key=lambda d: str(d["kind"]),
        ),
        "audit": [fields(a, person_id=person.pk) for a in AuditEntry.objects.filter(person_id=person.pk).order_by("id")],
    }


def csv_line(data: services.ReferralInput) -> str:
    def day(value: datetime.date | None) -> str:
        return value.isoformat() if value else ""

    values = {
        "personnummer": data.personnummer, "förnamn": data.first_name, "efternamn": data.last_name,
        "målgrupper": ",".join(data.target_groups), "grund": data.basis, "samtycke_datum": day(data.consent_given_on),
        "samtycke_omfattning": data.consent_scope, "rättslig_grund": data.legal_ground,
        "anvisningsdatum": day(data.referred_on),
    }  # fmt: skip
    return ";".join(values[c] for c in COLUMNS)


def refer_both_ways(user, data_single, data_import, today):
    services.create_referral(user, actor_for(user), data_single, source=Referral.Source.CSV)
    content = ("\r\n".join([";".join(COLUMNS), csv_line(data_import)]) + "\r\n").encode()
    result = import_referrals(user, actor_for(user), content, filename="a.csv", today=today)
    assert result.ok, result.errors


@pytest.mark.parametrize(
    "groups, consent",
    [(["fs-arbetsloshet"], True), (["sfi", "fs-arbetsloshet"], True), (["unga"], False)],
)
def test_an_imported_new_person_gets_the_same_rows_as_a_single_referral(social_worker, today, groups, consent):
    """DOMAIN §3/§4.1: person registered, participation opened, first-appointment (and for the
    job-guarantee group the offer) deadline started, timeline and audit written — the same by both paths."""

    def data(number: str) -> services.ReferralInput:
        return services.ReferralInput(
            personnummer=number, first_name="Amina", last_name="Hassan", target_groups=groups,
            basis="Försörjningsstöd sedan tre månader", consent_given_on=today - datetime.timedelta(days=3) if consent else None,
            consent_scope="Planering och närvaro" if consent else "", legal_ground="" if consent else "SoL 4 kap. 4 §",
            referred_on=today - datetime.timedelta(days=2),
        )  # fmt: skip

    single, imported = new_number(), new_number()
    refer_both_ways(social_worker, data(single), data(imported), today)

    a = written(Person.objects.get(personnummer=single))
    b = written(Person.objects.get(personnummer=imported))
    assert a == b
    assert len(a["audit"]) == 2  # type: ignore[arg-type]  # the new person, and the referral
    assert a["deadlines"]  # at least the first appointment


def test_an_imported_known_person_with_an_earlier_participation_gets_the_same_rows(social_worker, today):
    """DOMAIN §4.1: a person referred again links the new participation to the closed one; same by both paths."""
    district = social_worker.district
    earlier = [f.ParticipationFactory(closed=True, person=f.PersonFactory(home_district=district)) for _ in range(2)]

    def data(person: Person) -> services.ReferralInput:
        return services.ReferralInput(
            personnummer=person.personnummer, target_groups=["fs-arbetsloshet"], basis="Arbetslös",
            consent_given_on=today, consent_scope="Planering", referred_on=today,
        )  # fmt: skip

    refer_both_ways(social_worker, data(earlier[0].person), data(earlier[1].person), today)

    a, b = written(earlier[0].person), written(earlier[1].person)
    assert a["participation"]["previous_id"] == earlier[0].pk  # type: ignore[index]
    assert b["participation"]["previous_id"] == earlier[1].pk  # type: ignore[index]
    a["participation"]["previous_id"] = b["participation"]["previous_id"] = "earlier"  # type: ignore[index]
    del a["person"], b["person"]  # the factory's own persons; neither path changes a known person
    assert a == b
