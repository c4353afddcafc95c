"""The base layout (accessibility landmarks, demo banner, menu), login/logout and the English translation."""

import re

import pytest
from django.core.management import call_command
from django.utils.translation import trans_real

from jobbtorg.audit.models import AuditEntry
from jobbtorg.core.models import Installation
from jobbtorg.testing.factories import UserFactory
from jobbtorg.web.context_processors import forget_demo_flag, is_demo_installation

pytestmark = pytest.mark.django_db

PASSWORD = "jobbtorg-test-password"


def test_login_page_is_swedish_and_accessible(client):
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert '<a class="skip-link" href="#main">Hoppa till innehållet</a>' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert "<h1>Logga in</h1>" in html
    # Every field has a label tied to it.
    for field_id in re.findall(r'<input type="(?:text|password)" name="\w+" id="([\w-]+)"', html):
        assert f'<label for="{field_id}">' in html
    assert '<label for="language">Språk</label>' in html
    # CSP 'self': no inline script or style anywhere.
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_login_and_logout_with_password(client):
    user = UserFactory(coach=True, username="cecilia")
    user.set_password(PASSWORD)
    user.save()
    response = client.post("/login/", {"username": "cecilia", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_failed_login_shows_swedish_error_linked_to_form(client):
    response = client.post("/login/", {"username": "nobody", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Inloggningen misslyckades" in html
    assert 'role="alert"' in html


@pytest.fixture
def english_catalogue():
    """Compile the English catalogue if `make messages` has not, and drop cached catalogues."""
    call_command("compilemessages", locale=["en"], ignore_patterns=[".venv", "staticfiles"], verbosity=0)
    trans_real._translations = {}
    trans_real._active = trans_real.Local()
    yield
    trans_real._translations = {}


def test_switching_to_english_shows_english_login_page(client, english_catalogue):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    html = client.get("/login/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Skip to content" in html
    assert "Logga in</h1>" not in html


def test_accept_language_english(client, english_catalogue):
    html = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "<h1>Log in</h1>" in html
    assert "Username" in html and "Password" in html


def test_demo_banner_only_on_demo_installations(client, django_capture_on_commit_callbacks):
    assert "Demoversion" not in client.get("/login/").content.decode()
    Installation.objects.create(is_demo=True)
    # Cached: the page keeps the old answer until the cache entry goes.
    forget_demo_flag()
    assert is_demo_installation() is True
    html = client.get("/login/").content.decode()
    assert '<p class="demo-banner"><strong>Demoversion</strong>' in html


def test_demo_flag_is_cached(django_assert_num_queries):
    is_demo_installation()
    with django_assert_num_queries(0):
        is_demo_installation()


@pytest.mark.parametrize(
    ("trait", "expected", "absent"),
    [
        ("coach", ["Start", "Sök person"], ["Loggranskning", "Administration"]),
        ("unit_manager", ["Start", "Sök person", "Loggranskning"], ["Administration"]),
        ("analyst", ["Start"], ["Sök person", "Loggranskning", "Administration"]),
        ("hr", ["Start", "Loggranskning"], ["Sök person", "Administration"]),
        ("sysadmin", ["Start", "Loggranskning", "Administration"], ["Sök person"]),
    ],
)
def test_menu_per_role(login, trait, expected, absent):
    user = UserFactory(**{trait: True})
    response = login(user).get("/")
    labels = [item.label for item in response.context["nav_items"]]
    for label in expected:
        assert label in labels
    for label in absent:
        assert label not in labels
    html = response.content.decode()
    assert '<nav class="main-nav" aria-label="Huvudmeny">' in html
    assert 'aria-current="page">Start</a>' in html


def test_header_shows_user_role_and_logout_form(login):
    user = UserFactory(coach=True, first_name="Cecilia", last_name="Coach")
    html = login(user).get("/").content.decode()
    assert "Cecilia Coach" in html and "Coach · Jobbtorg Järva" in html
    assert '<form method="post" action="/logout/">' in html


def test_unknown_page_gets_swedish_404(login):
    user = UserFactory(coach=True)
    response = login(user).get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_english_catalogue_is_complete():
    """Every Swedish msgid in locale/en has an English msgstr and none is left fuzzy
    (makemessages marks a guessed translation fuzzy, and Django then shows the Swedish)."""
    from django.conf import settings

    po = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing, fuzzy = [], []
    for block in po.split("\n\n")[1:]:  # the first block is the header
        lines = [line for line in block.strip().splitlines() if line and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        msgid = next(line for line in lines if line.startswith("msgid "))
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            fuzzy.append(msgid)
        for i, line in enumerate(lines):
            empty = line == 'msgstr ""' or (line.startswith("msgstr[") and line.endswith('] ""'))
            if empty and (i + 1 == len(lines) or not lines[i + 1].startswith('"')):
                missing.append(msgid)
    assert not missing and not fuzzy, f"untranslated: {missing[:5]}, fuzzy: {fuzzy[:5]}"
