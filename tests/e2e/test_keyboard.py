"""Keyboard use (UX: skip link first, visible focus)."""

import pytest

pytestmark = pytest.mark.browser


def _focus_top(page) -> None:
    """Put the keyboard at the top of the document, as after loading a page without autofocus."""
    page.evaluate(
        """() => {
            document.activeElement && document.activeElement.blur();
            document.body.tabIndex = -1;
            document.body.focus();
            document.body.removeAttribute('tabindex');
        }"""
    )


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName, cls: el.className, href: el.getAttribute('href'), text: el.textContent.trim()};
        }"""
    )


@pytest.mark.parametrize("logged_in", [False, True], ids=["login-page", "start-page"])
def test_first_tab_focuses_the_skip_link_and_it_moves_focus_to_main(page, as_user, logged_in):
    if logged_in:
        as_user("coach")
    else:
        page.goto("/login/")
    _focus_top(page)
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["tag"] == "A" and focused["href"] == "#main", focused
    assert focused["text"] == "Hoppa till innehållet"
    skip = page.locator("a.skip-link")
    # Hidden until focused, then visible (WCAG 2.4.1, 2.4.7).
    box = skip.bounding_box()
    assert box is not None and box["width"] > 1 and box["height"] > 1 and box["y"] >= 0, box
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible_on_the_login_fields(page):
    page.goto("/login/")
    field = page.get_by_label("Användarnamn")
    style = (
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth + ' ' + getComputedStyle(el).boxShadow"
    )
    _focus_top(page)  # the field has autofocus: take it away to see the unfocused look
    unfocused = field.evaluate(style)
    # Tab past the skip link and any header links until the user-name field has focus.
    for _ in range(10):
        page.keyboard.press("Tab")
        if field.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the user-name field could not be reached by Tab")
    focused = field.evaluate(style)
    assert focused != unfocused, f"no visible focus indicator: {focused!r}"
