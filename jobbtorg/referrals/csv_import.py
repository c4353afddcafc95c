"""CSV import of referrals from a district: all or nothing, with a row-by-row report.

Format (agreed with the districts): UTF-8, a byte-order mark allowed (Excel's
"CSV UTF-8"), semicolon-separated, one header row with these Swedish column
names in any order:

    personnummer;förnamn;efternamn;målgrupper;grund;samtycke_datum;samtycke_omfattning;rättslig_grund;anvisningsdatum

`målgrupper` holds target-group codes separated by commas (see the import
page); dates are ÅÅÅÅ-MM-DD. Every row goes through `services.create_referral`,
the same path as the form and the API, inside one transaction: any error in any
row rolls back every row, and the report lists every problem at once so the
district can fix the file in one go. The "other groups" target group needs the
three conditions confirmed, which a file can not do: such rows are refused
with a pointer to the form.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import User
from jobbtorg.audit.services import Actor
from jobbtorg.core import personnummer
from jobbtorg.referrals import services
from jobbtorg.referrals.models import Referral, ReferralImport, TargetGroup

COLUMNS = (
    "personnummer",
    "förnamn",
    "efternamn",
    "målgrupper",
    "grund",
    "samtycke_datum",
    "samtycke_omfattning",
    "rättslig_grund",
    "anvisningsdatum",
)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# Short row messages for the personnummer rules (core.personnummer error codes).
PNR_MESSAGES = {
    personnummer.FORMAT: "personnumret ska ha 10 eller 12 siffror",
    personnummer.DATE: "datumet i personnumret finns inte",
    personnummer.FUTURE: "födelsedatumet i personnumret har inte inträffat än",
    personnummer.CHECKSUM: "personnumret har fel kontrollsiffra",
}
FIELD_LABELS = {
    "personnummer": "personnummer",
    "first_name": "förnamn",
    "last_name": "efternamn",
    "target_groups": "målgrupper",
    "basis": "grund",
    "consent_given_on": "samtycke_datum",
    "consent_scope": "samtycke_omfattning",
    "legal_ground": "rättslig_grund",
    "referred_on": "anvisningsdatum",
}


@dataclass
class ImportResult:
    ok: bool
    errors: list[str] = field(default_factory=list)
    batch: ReferralImport | None = None
    referrals: list[Referral] = field(default_factory=list)


class _Failed(Exception):
    """Raised inside the transaction to roll every row back."""


def _row_error(row: int, message: str) -> str:
    message = message.strip().rstrip(".")
    if message and message[0].isupper() and not message[:2].isupper():
        message = message[0].lower() + message[1:]
    return _("Rad %(row)d: %(message)s.") % {"row": row, "message": message}


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value.strip())


def decode(content: bytes) -> tuple[str | None, list[str]]:
    if len(content) > MAX_BYTES:
        return None, [_("Filen är för stor – högst 5 MB.")]
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [_("Filen är inte sparad som UTF-8. Spara den som ”CSV UTF-8 (kommaavgränsad)” och försök igen.")]


def parse(text: str, today: datetime.date) -> tuple[list[tuple[int, services.ReferralInput]], list[str]]:
    """Rows as referral inputs, with the errors found by reading the file alone."""
    errors: list[str] = []
    rows: list[tuple[int, services.ReferralInput]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        return [], [_("Filen är tom.")]
    except csv.Error:
        return [], [_("Rad 1: raden kan inte läsas som CSV.")]
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n and n not in COLUMNS]
    if missing or unknown:
        if missing:
            errors.append(_row_error(1, _("kolumn saknas: %(cols)s") % {"cols": ", ".join(missing)}))
        if unknown:
            errors.append(_row_error(1, _("okänd kolumn: %(cols)s") % {"cols": ", ".join(unknown)}))
        errors.append(_("Rubrikraden ska vara: %(header)s") % {"header": ";".join(COLUMNS)})
        return [], errors
    index = {name: names.index(name) for name in COLUMNS}
    known_codes = set(TargetGroup.objects.filter(active=True).values_list("code", flat=True))
    conditional = set(TargetGroup.objects.filter(needs_conditions=True).values_list("code", flat=True))
    seen: dict[str, int] = {}
    try:
        for values in reader:
            row = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(_("Filen har fler än %(max)d rader. Dela upp den.") % {"max": MAX_ROWS})
                break
            if len(values) != len(names):
                errors.append(_row_error(row, _("raden har %(n)d fält men ska ha %(m)d") % {"n": len(values), "m": len(names)}))
                continue
            cell = {name: values[i].strip() for name, i in index.items()}
            row_errors: list[str] = []
            number = ""
            try:
                number = personnummer.normalise(cell["personnummer"], today=today)
            except ValidationError as exc:
                code = exc.error_list[0].code or ""
                row_errors.append(PNR_MESSAGES.get(code, exc.messages[0]))
            if number:
                if number in seen:
                    row_errors.append(_("personnumret finns redan på rad %(row)d") % {"row": seen[number]})
                else:
                    seen[number] = row
            codes = [c.strip().lower() for c in cell["målgrupper"].split(",") if c.strip()]
            for code in codes:
                if code not in known_codes:
                    row_errors.append(_("okänd målgrupp ”%(code)s”") % {"code": code})
                elif code in conditional:
                    row_errors.append(
                        _("målgruppen ”%(code)s” kräver att tre villkor bekräftas – anvisa personen i formuläret")
                        % {"code": code}
                    )
            dates: dict[str, datetime.date | None] = {}
            for column in ("samtycke_datum", "anvisningsdatum"):
                dates[column] = None
                if cell[column]:
                    try:
                        dates[column] = _date(cell[column])
                    except ValueError:
                        row_errors.append(_("%(col)s ska skrivas ÅÅÅÅ-MM-DD") % {"col": column})
            if row_errors:
                errors.extend(_row_error(row, m) for m in row_errors)
                continue
            rows.append(
                (
                    row,
                    services.ReferralInput(
                        personnummer=number,
                        first_name=cell["förnamn"],
                        last_name=cell["efternamn"],
                        target_groups=codes,
                        basis=cell["grund"],
                        consent_given_on=dates["samtycke_datum"],
                        consent_scope=cell["samtycke_omfattning"],
                        legal_ground=cell["rättslig_grund"],
                        referred_on=dates["anvisningsdatum"],
                    ),
                )
            )
    except csv.Error:
        errors.append(_row_error(reader.line_num, _("raden kan inte läsas som CSV")))
    if not rows and not errors:
        errors.append(_("Filen innehåller inga anvisningar."))
    return rows, errors


def import_referrals(user: User, actor: Actor, content: bytes, *, filename: str, today: datetime.date) -> ImportResult:
    """Import every row or none. Raises PermissionDenied for a user who may not refer."""
    if not services.may_refer(user):
        raise PermissionDenied(_("Bara socialsekreterare kan importera anvisningar."))
    assert user.district_id is not None  # may_refer: a social worker with a district
    text, errors = decode(content)
    if text is None:
        return ImportResult(ok=False, errors=errors)
    rows, errors = parse(text, today)
    created: list[Referral] = []
    try:
        with transaction.atomic():
            batch = ReferralImport.objects.create(
                district_id=user.district_id, uploaded_by=user, filename=filename[:200], row_count=len(rows)
            )
            for row, data in rows:
                try:
                    with transaction.atomic():
                        created.append(
                            services.create_referral(user, actor, data, source=Referral.Source.CSV, import_batch=batch)
                        )
                except ValidationError as exc:
                    errors.extend(_messages(row, exc))
            if errors:
                raise _Failed()
    except _Failed:
        return ImportResult(ok=False, errors=_sorted(errors))
    return ImportResult(ok=True, batch=batch, referrals=created)


def _messages(row: int, exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, messages in exc.message_dict.items():
            label = FIELD_LABELS.get(name)
            for message in messages:
                out.append(_row_error(row, f"{label}: {_lower(message)}" if label and name != "personnummer" else message))
        return out
    return [_row_error(row, m) for m in exc.messages]


def _lower(message: str) -> str:
    return message[0].lower() + message[1:] if message and not message[:2].isupper() else message


def _sorted(errors: list[str]) -> list[str]:
    """Row order (stable), messages about the whole file last; rows are numbered as in the file."""

    def key(message: str) -> int:
        head, _sep, rest = message.partition(" ")
        number = rest.split(":", 1)[0]
        return int(number) if head == _("Rad") and number.isdigit() else 10**9

    return sorted(errors, key=key)
