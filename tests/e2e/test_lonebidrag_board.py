"""The city-wide lönebidrag board in real Chromium (issue 4, part 3 and "Tests").

Data: `seed_subsidy_demo` (the subsidies app's demo command) runs against the e2e database
and prints how many PDM callbacks it left overdue per Jobbtorg unit. The unit manager `chef`
(Jobbtorg Järva) opens the board: every unit's count is there, no participant's name is, and
the Järva row leads, by keyboard, to the list with the names of Järva's participants.
"""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CALLBACK = "PDM ringer tillbaka och kompletterar personuppgifter"


@pytest.fixture(scope="module")
def seeded(e2e_server):
    expected = json.loads(e2e_server.manage("seed_subsidy_demo", "--per-unit", "4").strip().splitlines()[-1])
    names = e2e_server.query(
        "from jobbtorg.subsidies.models import SubsidyCase; "
        "print('|'.join(sorted({c.participation.person.last_name for c in SubsidyCase.objects.select_related('participation__person')})))"
    ).split("|")
    assert expected and names
    return expected, names


def test_board_shows_overdue_counts_without_names(as_user, seeded):
    expected, names = seeded
    page = as_user("chef")
    page.goto("/stod/lonebidrag/tavla/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lönebidrag: tavla för hela staden")
    table = page.get_by_role("table", name=re.compile("Steg per jobbtorg"))
    for unit, counts in expected.items():
        row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=unit, exact=True)).filter(has_text=CALLBACK)
        expect(row).to_have_count(1)
        cells = row.get_by_role("cell")
        expect(cells.nth(2)).to_have_text(str(counts["lb_2_callback"]))  # overdue
        expect(cells.nth(4)).not_to_have_text("–")  # max days late
    body = page.locator("main").inner_text()
    assert not [n for n in names if re.search(rf"\b{re.escape(n)}\b", body)], "a name is shown on the board"


def test_board_row_leads_to_names_for_own_unit(as_user, seeded):
    expected, _names = seeded
    page = as_user("chef")
    page.goto("/stod/lonebidrag/tavla/")
    row = (
        page.get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name="Jobbtorg Järva", exact=True))
        .filter(has_text=CALLBACK)
    )
    link = row.get_by_role("link")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/stod/lonebidrag/tavla/lista/\?enhet=\d+&steg=lb_2_callback"))
    rows = page.get_by_role("table", name="Steg med förfallodag").locator("tbody tr")
    expect(rows).to_have_count(expected["Jobbtorg Järva"]["lb_2_callback"])
