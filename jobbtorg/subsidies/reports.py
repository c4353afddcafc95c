"""Excel downloads of the subsidy reports (issue 4 part 6) with openpyxl.

A downloaded report may leave the unit (the quarterly working group with
Arbetsförmedlingen), so every count below 5 is written as "<5", and so are the
days-late figures of a cell with fewer than 5 overdue steps. No totals are
written: a total next to suppressed cells would give them away.
"""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jobbtorg.core.excel import append_row
from jobbtorg.subsidies.models import CaseStatus
from jobbtorg.subsidies.selectors import SUPPRESSION_THRESHOLD, BoardRow, CaseReportRow, suppress

SUPPRESSED = f"<{SUPPRESSION_THRESHOLD}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: int | float | None) -> int | float | str:
    return SUPPRESSED if value is None else value


def _finish(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header(ws, title: str, note: str, columns: Iterable[str]) -> None:
    # Every row goes through append_row: text that could start a formula stays text (issue 8 item 10).
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, [note])
    append_row(ws, [])
    append_row(ws, list(columns))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A5"


def cases_workbook(year: int, rows: list[CaseReportRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Ärenden")
    statuses = list(CaseStatus)
    _header(
        ws,
        _("Ärenden om anställningsstöd %(year)s per månad, jobbtorg, stödform och status") % {"year": year},
        _("Månad för intresseanmälan. Antal under %(n)s visas som %(s)s.") % {"n": SUPPRESSION_THRESHOLD, "s": SUPPRESSED},
        [_("Månad"), _("Jobbtorg"), _("Stödform"), *[str(s.label) for s in statuses], _("Summa")],
    )
    for r in rows:
        append_row(
            ws,
            [
                f"{year}-{r.month:02d}",
                r.unit_name,
                r.type_label,
                *[_cell(suppress(r.counts.get(s, 0))) for s in statuses],
                _cell(suppress(r.total)),
            ],
        )
    return _finish(wb)


def overdue_workbook(rows: list[BoardRow], today_text: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Försenade steg")
    _header(
        ws,
        _("Lönebidrag: försenade steg per jobbtorg och steg, %(date)s") % {"date": today_text},
        _("Antal under %(n)s visas som %(s)s, liksom dagar sent för sådana celler.")
        % {"n": SUPPRESSION_THRESHOLD, "s": SUPPRESSED},
        [_("Jobbtorg"), _("Steg"), _("Pågående"), _("Försenade"), _("Median dagar sent"), _("Max dagar sent")],
    )
    for r in rows:
        few = suppress(r.overdue) is None
        append_row(
            ws,
            [
                r.unit_name,
                f"{r.number}. {r.label}",
                _cell(suppress(r.open)),
                _cell(suppress(r.overdue)),
                SUPPRESSED if few else r.median_days_late,
                SUPPRESSED if few else r.max_days_late,
            ],
        )
    return _finish(wb)
