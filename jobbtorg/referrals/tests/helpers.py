"""Building referral input in tests."""

from django.utils import timezone

from jobbtorg.referrals.services import ReferralInput
from jobbtorg.testing import factories as f
from jobbtorg.testing.dates import visit_slot


def new_number() -> str:
    """A Skatteverket test number not yet in the database."""
    from jobbtorg.people.models import Person

    while True:
        number = next(f._numbers)
        if not Person.objects.filter(personnummer=number).exists():
            return number


def bad_checksum(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def referral_input(coach=None, **overrides) -> ReferralInput:
    today = timezone.localdate()
    data = {
        "personnummer": new_number(),
        "first_name": "Amina",
        "last_name": "Hassan",
        "target_groups": ["fs-arbetsloshet"],
        "basis": "Försörjningsstöd sedan tre månader på grund av arbetslöshet.",
        "consent_given_on": today,
        "consent_scope": "Informationsutbyte om planering, närvaro och resultat.",
        "referred_on": today,
        "appointment_at": visit_slot(2),
        "appointment_place": "Jobbtorg Järva, Kista",
        "appointment_coach_id": coach.pk if coach else None,
    }
    data.update(overrides)
    return ReferralInput(**data)
