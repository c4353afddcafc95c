import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.test_accessibility import AXE_OPTIONS
from tests.e2e.test_login_roles import ROLE_START

PAGES = [(u, "/") for u in ROLE_START] + [("coach", "/personer/sok/?q=a"), ("chef", "/logg/"), ("chef", "/logg/ovanliga/"), ("coach", "/personer/999999/")]


def test_report(page, as_user):
    page.goto("/login/")
    out = []
    def run(label):
        for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
            out.append(f"{label}: {v['id']} ({v['impact']}) x{len(v['nodes'])} {[n['target'] for n in v['nodes'][:3]]}")
    run("login")
    for user, path in PAGES:
        page.context.clear_cookies()
        as_user(user)
        page.goto(path)
        run(f"{user} {path}")
    page.context.clear_cookies()
    as_user("coach")
    page.locator("#person-list tbody a").first.click()
    run("coach person page")
    print("\n".join(out) or "no violations at all")
