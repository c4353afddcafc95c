"""Excel cells that stay text (issue 8 item 10): no formula injection in our downloads.

openpyxl stores a string that starts with "=" as a formula, and Excel and LibreOffice treat
text starting with "+", "-" or "@" (and, after a tab or carriage return, any of them) as a
formula when the cell is edited or the sheet is saved as CSV. A unit named
`=HYPERLINK("http://…","Öppna")` became a live link in arenden.xlsx. Every export writes its
rows through `append_row` (or its values through `safe_cell`): such text gets a leading
apostrophe and is stored as a plain string (the OWASP "CSV injection" advice). Numbers,
dates and None are written as they are.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write: text that could start a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append(values)` with every text cell made safe: openpyxl then stores it as a string
    (data type "s"), since only text starting with "=" becomes a formula there."""
    sheet.append([safe_cell(v) for v in values])
