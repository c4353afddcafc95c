"""CSV import of referrals from a district: all or nothing, with a row-by-row report.

Format (agreed with the districts): UTF-8, a byte-order mark allowed (Excel's
"CSV UTF-8"), semicolon-separated, one header row with these Swedish column
names in any order:

    personnummer;förnamn;efternamn;målgrupper;grund;samtycke_datum;samtycke_omfattning;rättslig_grund;anvisningsdatum

`målgrupper` holds target-group codes separated by commas (see the import
page); dates are ÅÅÅÅ-MM-DD. A district file has thousands of rows, more than a
web request may take, so the upload (`start_job`) only checks the file's size,
encoding, header and number of rows (`MAX_ROWS`, before anything is stored) and
queues an `ImportJob`; the background task (referrals.tasks) runs `run_job`.
The rows go through the same rules as the form and the API
(`services.check_referrals_batch`), read in bulk, and are saved by
`services.save_referrals_batch` in one transaction: any error in any row saves
nothing, and the report lists every problem at once so the district can fix the
file in one go. The "other groups" target group needs the three conditions
confirmed, which a file can not do: such rows are refused with a pointer to the
form.
"""

import csv
import datetime
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import User
from jobbtorg.audit.services import Actor
from jobbtorg.core import personnummer
from jobbtorg.core.errors import DomainError
from jobbtorg.core.transactions import after_commit
from jobbtorg.core.validators import validate_person_name
from jobbtorg.referrals import services
from jobbtorg.referrals.models import ImportJob, Referral, ReferralImport, TargetGroup

logger = logging.getLogger(__name__)

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
MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
# The most rows one file may have: checked at upload, before anything is stored or inserted.
MAX_ROWS = 20_000
# A queued or running job not heard from for this long is taken as lost (a worker died).
STALE_AFTER = datetime.timedelta(hours=6)

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
    referral_ids: list[int] = field(default_factory=list)

    @property
    def referrals(self) -> QuerySet[Referral]:
        """The created referrals, in file order."""
        return Referral.objects.filter(pk__in=self.referral_ids).order_by("id")


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
        return None, [_("Filen är för stor – högst %(mb)d MB.") % {"mb": MAX_MB}]
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [_("Filen är inte sparad som UTF-8. Spara den som ”CSV UTF-8 (kommaavgränsad)” och försök igen.")]


def _reader(text: str) -> Any:  # csv.reader: an iterator of rows with line_num
    return csv.reader(io.StringIO(text, newline=""), delimiter=";")


def _header(reader: Any) -> tuple[list[str], list[str]]:
    """The column names of the first row, or the errors that stop the import."""
    errors: list[str] = []
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
    return names, errors


def count_rows(text: str) -> int:
    """Data rows (not blank, not the header), counted by the CSV reader so a quoted line break is one row."""
    reader = _reader(text)
    count = 0
    try:
        next(reader, None)
        for values in reader:
            if any(v.strip() for v in values):
                count += 1
    except csv.Error:
        pass  # the import reports the unreadable row with its number
    return count


def too_many_rows(count: int, max_rows: int = MAX_ROWS) -> str | None:
    if count <= max_rows:
        return None
    return _("Filen har %(n)d rader, men högst %(max)d rader kan importeras åt gången. Dela upp filen i flera filer.") % {
        "n": count,
        "max": max_rows,
    }


def _name_errors(cell: dict[str, str]) -> list[str]:
    """The names as the referral form and API check them (`validate_person_name`, issue 8 item 10)."""
    out: list[str] = []
    for column in ("förnamn", "efternamn"):
        try:
            validate_person_name(cell[column])
        except ValidationError as exc:
            out.append(f"{column}: {_lower(exc.messages[0])}")
    return out


def parse(
    text: str, today: datetime.date, *, max_rows: int = MAX_ROWS
) -> tuple[list[tuple[int, services.ReferralInput]], list[str]]:
    """Rows as referral inputs, with the errors found by reading the file alone."""
    rows: list[tuple[int, services.ReferralInput]] = []
    reader = _reader(text)
    names, errors = _header(reader)
    if errors:
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
            if len(rows) + len(errors) >= max_rows:
                errors.append(too_many_rows(max_rows + 1, max_rows) or "")
                break
            if len(values) != len(names):
                errors.append(_row_error(row, _("raden har %(n)d fält men ska ha %(m)d") % {"n": len(values), "m": len(names)}))
                continue
            cell = {name: values[i].strip() for name, i in index.items()}
            nul = [c for c, v in cell.items() if "\x00" in v]
            if nul:
                # PostgreSQL cannot store NUL and the form refuses it (core.middleware): report, check no further.
                message = _("%(col)s innehåller ett otillåtet osynligt tecken (NUL)")
                errors.extend(_row_error(row, message % {"col": c}) for c in nul)
                continue
            row_errors = _name_errors(cell)
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


def import_referrals(
    user: User,
    actor: Actor,
    content: bytes,
    *,
    filename: str,
    today: datetime.date,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Import every row or none, now (the task calls this through `run_job`).

    Raises PermissionDenied for a user who may not refer.
    """
    if not services.may_refer(user):
        raise PermissionDenied(_("Bara socialsekreterare kan importera anvisningar."))
    text, errors = decode(content)
    if text is None:
        return ImportResult(ok=False, errors=errors)
    return import_text(user, actor, text, filename=filename, today=today, max_rows=max_rows, progress=progress)


def import_text(
    user: User,
    actor: Actor,
    text: str,
    *,
    filename: str,
    today: datetime.date,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Check every row (bulk reads, `progress` after each chunk), then save all in one transaction."""
    if not services.may_refer(user):
        raise PermissionDenied(_("Bara socialsekreterare kan importera anvisningar."))
    assert user.district_id is not None  # may_refer: a social worker with a district
    rows, errors = parse(text, today, max_rows=max_rows)
    ready, failed = services.check_referrals_batch(user, actor, rows, today=today, progress=progress)
    for row, row_errors in failed.items():
        errors.extend(_messages(row, DomainError(row_errors)))
    if errors:
        return ImportResult(ok=False, errors=_sorted(errors))
    try:
        with transaction.atomic():
            batch = ReferralImport.objects.create(
                district_id=user.district_id, uploaded_by=user, filename=filename[:200], row_count=len(ready)
            )
            created = services.save_referrals_batch(user, actor, ready, source=Referral.Source.CSV, import_batch=batch)
    except IntegrityError:
        # Someone registered or referred one of the persons between the check and the save.
        logger.warning("referral import %s: a unique index refused the save", filename, exc_info=True)
        return ImportResult(
            ok=False,
            errors=[
                _(
                    "Någon annan registrerade eller anvisade samma person medan filen importerades. "
                    "Ingenting har sparats – ladda upp filen igen."
                )
            ],
        )
    return ImportResult(ok=True, batch=batch, referral_ids=created)


# --- the background job ----------------------------------------------------------------------------


def start_job(user: User, actor: Actor, content: bytes, *, filename: str) -> tuple[ImportJob | None, list[str]]:
    """Check what can be checked at once (size, encoding, header, number of rows) and queue the job.

    Nothing is stored when the file is refused here, so a file with too many rows
    never reaches the database. Raises PermissionDenied for a user who may not refer.
    """
    if not services.may_refer(user):
        raise PermissionDenied(_("Bara socialsekreterare kan importera anvisningar."))
    assert user.district_id is not None
    text, errors = decode(content)
    if text is None:
        return None, errors
    names, errors = _header(_reader(text))
    if errors:
        return None, errors
    count = count_rows(text)
    if message := too_many_rows(count):
        return None, [message]
    if count == 0:
        return None, [_("Filen innehåller inga anvisningar.")]
    _fail_stale_jobs()
    job = ImportJob.objects.create(
        uploaded_by=user,
        district_id=user.district_id,
        filename=filename[:200],
        client_address=actor.client_address,
        content=text,
        rows_total=count,
    )
    from jobbtorg.referrals.tasks import run_referral_import  # the task module imports this one

    def enqueue() -> None:
        result = run_referral_import.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    after_commit(enqueue)  # the worker must find the job's row: queue it once that is committed
    job.refresh_from_db()
    return job, []


def run_job(job_id: int, *, max_rows: int = MAX_ROWS) -> str:
    """Run a queued job once: claim it, import, store the outcome and empty the stored file.

    `max_rows` is for bench/import.py, which times a larger file than an upload may have."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    user = job.uploaded_by
    actor = Actor(user_id=user.pk, username=user.get_username(), role=user.role, client_address=job.client_address)

    def progress(checked: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_checked=checked, updated_at=timezone.now())

    try:
        result = import_text(
            user, actor, job.content, filename=job.filename, today=timezone.localdate(), max_rows=max_rows, progress=progress
        )
    except PermissionDenied:
        result = ImportResult(ok=False, errors=[_("Bara socialsekreterare kan importera anvisningar.")])
    except Exception:
        logger.exception("referral import job %s failed", job_id)
        _finish(job_id, ImportResult(ok=False, errors=[_technical_error()]), checked=None)
        raise
    _finish(job_id, result, checked=job.rows_total)
    return ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED


def _finish(job_id: int, result: ImportResult, *, checked: int | None) -> None:
    values: dict[str, object] = {
        "status": ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED,
        "content": "",  # the personnummer are not kept once the job is over
        "rows_saved": len(result.referral_ids),
        "errors": result.errors,
        "batch": result.batch,
        "finished_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if checked is not None:
        values["rows_checked"] = checked
    ImportJob.objects.filter(pk=job_id).update(**values)


def _fail_stale_jobs() -> None:
    """A job whose worker died would keep its file: end it and empty the file."""
    ImportJob.objects.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING], updated_at__lt=timezone.now() - STALE_AFTER
    ).update(status=ImportJob.Status.FAILED, content="", errors=[_technical_error()], finished_at=timezone.now())


def _technical_error() -> str:
    return _(
        "Importen avbröts av ett tekniskt fel. Ingenting har sparats. Ladda upp filen igen, eller kontakta systemförvaltaren."
    )


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
