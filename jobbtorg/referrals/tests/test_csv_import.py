"""CSV import of referrals (issue 3 part 1): all or nothing, row-by-row Swedish report."""

import pytest
from django.core.exceptions import PermissionDenied

from jobbtorg.audit.models import AuditEntry
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations.models import Participation
from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.people.models import Person
from jobbtorg.referrals.csv_import import COLUMNS, import_referrals
from jobbtorg.referrals.models import Referral, ReferralImport
from jobbtorg.referrals.tests.helpers import bad_checksum, new_number
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

HEADER = ";".join(COLUMNS)


def row(today, number=None, groups="fs-arbetsloshet", consent=True, referred=None, **cells) -> str:
    values = {
        "personnummer": number or new_number(),
        "förnamn": cells.get("first", "Erik"),
        "efternamn": cells.get("last", "Nilsson"),
        "målgrupper": groups,
        "grund": cells.get("basis", "Arbetslös, försörjningsstöd"),
        "samtycke_datum": today.isoformat() if consent else "",
        "samtycke_omfattning": "Planering och närvaro" if consent else "",
        "rättslig_grund": cells.get("legal", ""),
        "anvisningsdatum": referred or today.isoformat(),
    }
    return ";".join(values[c] for c in COLUMNS)


def csv_bytes(*rows: str, bom: bool = True) -> bytes:
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def everything() -> dict[str, int]:
    models = [Person, Participation, Referral, ReferralImport, Deadline, TimelineEntry, AuditEntry]
    return {m.__name__: m.objects.count() for m in models}


def run(user, content: bytes, today):
    return import_referrals(user, actor_for(user), content, filename="anvisningar.csv", today=today)


def test_csv_import_creates_every_row_with_a_first_appointment_deadline(social_worker, today):
    resident = f.PersonFactory()
    result = run(social_worker, csv_bytes(row(today), row(today, number=resident.personnummer), row(today, groups="sfi,unga")), today)

    assert result.ok, result.errors
    assert len(result.referrals) == 3
    assert result.batch.row_count == 3
    assert Referral.objects.filter(source="csv", import_batch=result.batch).count() == 3
    for referral in result.referrals:
        # No appointment columns in the file: the unit books one within the rule's time.
        assert Deadline.objects.filter(participation=referral.participation, kind=Kind.FIRST_APPOINTMENT).exists()
    assert Participation.objects.get(person=resident).status == "referred"


def test_csv_import_is_all_or_nothing(social_worker, today):
    f.PersonFactory()  # something already in the database
    before = everything()
    content = csv_bytes(row(today), row(today), row(today, number=bad_checksum(new_number())), row(today))

    result = run(social_worker, content, today)

    assert not result.ok
    assert result.errors == ["Rad 4: personnumret har fel kontrollsiffra."]
    assert everything() == before, "a failed import leaves the database unchanged"


def test_csv_import_rolls_back_rows_that_passed_when_a_later_row_fails_in_the_service(social_worker, today):
    before = everything()
    # Row 3 parses but the service refuses it (no consent and no legal ground) after row 2 was saved.
    result = run(social_worker, csv_bytes(row(today), row(today, consent=False)), today)
    assert not result.ok
    assert result.errors[0].startswith("Rad 3: ")
    assert "rättsliga grunden" in result.errors[0]
    assert everything() == before


def test_csv_import_reports_every_bad_row(social_worker, today):
    running = f.ParticipationFactory(enrolled=True)
    number = new_number()
    content = csv_bytes(
        row(today, number=number),
        row(today, groups="okand"),
        row(today, referred="23/11/2026"),
        row(today, number=number),
        row(today, number=running.person.personnummer),
        row(today, groups="ovriga"),
    )
    result = run(social_worker, content, today)
    assert not result.ok
    joined = "\n".join(result.errors)
    assert "Rad 3: okänd målgrupp ”okand”." in joined
    assert "Rad 4: anvisningsdatum ska skrivas ÅÅÅÅ-MM-DD." in joined
    assert "Rad 5: personnumret finns redan på rad 2." in joined
    assert "Rad 6: personen har redan ett pågående deltagande" in joined
    assert "Rad 7: målgruppen ”ovriga” kräver att tre villkor bekräftas" in joined
    assert [e.split(":")[0] for e in result.errors] == sorted(
        (e.split(":")[0] for e in result.errors), key=lambda s: int(s.split()[1])
    )
    assert not Referral.objects.exists()


def test_csv_import_refuses_a_wrong_header(social_worker, today):
    result = run(social_worker, b"personnummer;namn\n199001011234;Erik\n", today)
    assert not result.ok
    assert result.errors[0].startswith("Rad 1: kolumn saknas: förnamn, efternamn")


def test_csv_import_refuses_a_file_that_is_not_utf8(social_worker, today):
    content = (HEADER + "\n" + row(today, first="Åsa")).encode("cp1252")
    result = run(social_worker, content, today)
    assert not result.ok and "UTF-8" in result.errors[0]


def test_csv_import_without_bom_and_with_semicolons_in_quotes(social_worker, today):
    line = row(today, basis='"Arbetslös; försörjningsstöd"')
    result = run(social_worker, csv_bytes(line, bom=False), today)
    assert result.ok, result.errors
    assert result.referrals[0].basis == "Arbetslös; försörjningsstöd"


def test_csv_import_of_an_empty_file_is_refused(social_worker, today):
    assert run(social_worker, b"", today).errors == ["Filen är tom."]
    assert run(social_worker, csv_bytes(), today).errors == ["Filen innehåller inga anvisningar."]


def test_csv_import_only_for_social_workers(coach, today):
    with pytest.raises(PermissionDenied):
        run(coach, csv_bytes(row(today)), today)
