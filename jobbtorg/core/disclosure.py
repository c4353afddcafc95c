"""Disclosure control: the one place that decides which counts may leave a unit (DOMAIN §8, LEGAL.md).

Every table of counts about people that is shown outside the unit (analyst pages, reports,
exports, the subsidy and OSA exports, the lönebidrag board) goes through `protect`. Tables passed
in one call are treated as published together: a suppressed cell must not be recoverable from
any of them (totals, margins, the same total cut another way).

Rules:
- primary suppression: a count of 1..THRESHOLD-1 people is withheld (0 is shown: it reveals no one);
- secondary suppression: more cells are withheld until no withheld cell can be recovered
  from what is shown with it (see `protect`).

Pure: no database, no Django models.
"""

from dataclasses import dataclass, field

THRESHOLD = 5


@dataclass
class Table:
    """A table of counts as it will be published: cells[r][c], with row and column totals when shown."""

    title: str
    row_labels: list[str]
    col_labels: list[str]
    cells: list[list[int]]
    row_totals: bool = True
    col_totals: bool = True
    grand_total: bool = True


@dataclass
class Protected:
    """What may be shown of a Table: None where a value is withheld."""

    table: Table
    cells: list[list[int | None]]
    row_totals: list[int | None] = field(default_factory=list)
    col_totals: list[int | None] = field(default_factory=list)
    grand_total: int | None = None

    @property
    def suppressed(self) -> int:
        return sum(v is None for row in self.cells for v in row)


def is_small(count: int, threshold: int = THRESHOLD) -> bool:
    """Primary rule: 1..threshold-1 people could be identified."""
    return 0 < count < threshold


def shown(count: int | None, threshold: int = THRESHOLD) -> int | None:
    """One free-standing count (no margins published with it): None when small."""
    if count is None or is_small(count, threshold):
        return None
    return count


def protect(tables: list[Table], threshold: int = THRESHOLD) -> list[Protected]:
    """Primary suppression of every table published together.

    TODO(issue 11, item 6): secondary suppression so no withheld cell can be recovered from
    margins or the other tables; until then callers must not publish margins with small cells.
    """
    out = []
    for t in tables:
        cells = [[None if is_small(v, threshold) else v for v in row] for row in t.cells]
        row_totals = [shown(sum(row), threshold) for row in t.cells] if t.row_totals else []
        ncols = len(t.col_labels)
        col_totals = [shown(sum(row[c] for row in t.cells), threshold) for c in range(ncols)] if t.col_totals else []
        grand = shown(sum(map(sum, t.cells)), threshold) if t.grand_total else None
        out.append(Protected(t, cells, row_totals, col_totals, grand))
    return out
