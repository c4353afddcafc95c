"""Cells a form field would refuse are refused in a file too (issue 8 item 10): NUL anywhere, names
of only invisible characters or with bidi controls (core.validators.validate_person_name)."""

import pytest

from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.people.models import Person
from jobbtorg.referrals.csv_import import import_referrals
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.tests.test_csv_import import csv_bytes, row

pytestmark = pytest.mark.django_db


def run(user, content: bytes, today):
    return import_referrals(user, actor_for(user), content, filename="anvisningar.csv", today=today)


def test_nul_in_any_cell_is_a_row_error_and_nothing_is_saved(social_worker, today):
    """issue 8 item 10: NUL (which PostgreSQL cannot store) gives the row's number, not a technical error."""
    content = csv_bytes(row(today), row(today, basis="Arbetslös\x00"), row(today, first="Er\x00ik"))
    result = run(social_worker, content, today)
    assert not result.ok
    assert result.errors == [
        "Rad 3: grund innehåller ett otillåtet osynligt tecken (NUL).",
        "Rad 4: förnamn innehåller ett otillåtet osynligt tecken (NUL).",
    ]
    assert not Referral.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    "first, last, message",
    [
        ("\u200b\u200b", "Nilsson", "Rad 2: förnamn: skriv namnet med bokstäver"),
        ("Erik", "\u202eNosslin", "Rad 2: efternamn: namnet innehåller osynliga tecken som vänder textens riktning"),
    ],
)
def test_a_name_the_form_refuses_is_refused_in_a_file(social_worker, today, first, last, message):
    """issue 8 item 10: the same name rule as the referral form and API, with the row's number."""
    result = run(social_worker, csv_bytes(row(today, first=first, last=last)), today)
    assert not result.ok
    assert len(result.errors) == 1 and result.errors[0].startswith(message), result.errors
    assert not Referral.objects.exists()
