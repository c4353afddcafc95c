"""English complete (issue 10 item 10): every page, rendered in English, shows no Swedish outside
names and data.

A demo population is seeded once for the module (participations through the whole path, plans,
subsidy cases, lönebidrag steps, OSA cases), then every web page of the URL map (the same walk as
core/tests/test_capabilities.py) is fetched with GET, in English, by the demo user of every role
holding the page's capability, with real ids from the people that user may see. From each page's
visible text the data is removed (every text value stored in the database: names, addresses,
places, free text people wrote), and what is left may not hold Swedish: a word with å/ä/ö, or a
common Swedish UI word ("och", "Spara", "Avbryt", "inte", …). Swedish words the English catalogue
itself keeps (Arbetsförmedlingen, lönebidrag, …: every å/ä/ö word of an English msgstr) are allowed.

The failure lists every offending text with its page and role, all at once, so a merge of many
branches is translated in one pass. Run alone: it seeds and walks hundreds of pages (a few minutes).
"""

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import models
from django.test import Client, override_settings
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import trans_real

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import User
from jobbtorg.core.capabilities import PUBLIC, holds
from jobbtorg.core.tests.test_capabilities import PUBLIC_VIEWS, _patterns, _view_class
from jobbtorg.demo.users import DEMO_USERS

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PARTICIPANTS = 80
CANDIDATES = 3  # ids tried per page and role: the first that answers 200 is checked
# Pages the walk must reach with content (else it proves nothing about them): route → a role that works there.
MUST_COVER = {
    "stod/<int:case_id>/": "coach",
    "osa/<int:case_id>/": "osa",
    "planer/<int:pk>/": "coach",
    "deltaganden/<int:participation_id>/": "coach",
    "kartlaggning/<int:pk>/": "coach",
    "personer/<int:person_id>/": "coach",
    "stod/person/<int:person_id>/kvalificering/": "coach",
    "stod/lonebidrag/tavla/": "chef",
}

# Common Swedish UI words that are not English words (compared in lower case).
SWEDISH_WORDS = frozenset(
    "och inte spara avbryt eller att som finns saknas ingen inga visa sida ange välj registrera tillbaka nästa "
    "föregående stäng sök ändra från till med utan alla dagar vecka månad år ja nej deltagare deltagande "
    "uppgifter ärende ärenden beslut datum".split()
)
SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Route prefix + parameter → the model whose ids fill it ("" prefix: any route).
PARAMETERS: list[tuple[str, str, str]] = [
    ("stod/", "case_id", "subsidies.SubsidyCase"),
    ("osa/", "case_id", "osa.OsaCase"),
    ("planer/", "pk", "plans.ActivityPlan"),
    ("kartlaggning/", "pk", "assessments.Assessment"),
    ("insatser/tillfallen/", "pk", "activities.ActivitySession"),
    ("insatser/avvikelser/", "pk", "activities.Deviation"),
    ("insatser/", "pk", "activities.Activity"),
    ("", "participation_id", "participations.Participation"),
    ("", "person_id", "people.Person"),
    ("", "referral_id", "referrals.Referral"),
    ("", "followup_id", "participations.PostClosureFollowUp"),
    ("", "registration_id", "disabilities.DisabilityRegistration"),
]
# How each model reaches a person (for "the people this user may see").
PERSON_PATHS = ("pk", "person", "participation__person", "activity__participation__person", "session__activity__participation__person")


class VisibleText(HTMLParser):
    """The text a reader meets: text nodes, and the labels of aria-label, title, placeholder and alt."""

    SKIP = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


class DataValues:
    """Every text value stored in the database, looked up by its first word, so a page's text can
    have its data removed without scanning every value for every page."""

    def __init__(self) -> None:
        self.by_first: dict[str, set[str]] = defaultdict(set)
        self.audit_seen = 0
        for model in apps.get_models():
            if model._meta.app_label in ("sessions", "contenttypes", "admin", "auth"):
                continue
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
            if not fields:
                continue
            for row in model._default_manager.values_list(*fields).iterator():
                for value in row:
                    if value:
                        self.add(str(value))

    def add_new_audit_entries(self) -> None:
        """The log's entries written since the last call (the walk itself writes them): a stored entry's
        text is the record as written, data like any other stored text."""
        from jobbtorg.audit.models import AuditEntry

        for pk, what in AuditEntry.objects.filter(pk__gt=self.audit_seen).values_list("pk", "what").order_by("pk"):
            self.add(what)
            self.audit_seen = pk

    def add(self, value: str) -> None:
        for piece in {value, *value.splitlines()}:
            piece = piece.strip()
            words = WORD.findall(piece)
            if words and len(piece) >= 2:
                self.by_first[words[0]].add(piece)

    def without_data(self, text: str) -> str:
        candidates = set()
        for word in set(WORD.findall(text)):
            candidates |= self.by_first.get(word, set())
        for value in sorted(candidates, key=len, reverse=True):
            if value in text:
                text = text.replace(value, " ")
        return text


def english_terms() -> set[str]:
    """Swedish words the English catalogue keeps on purpose: every å/ä/ö word of an English msgstr."""
    po = (django_settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    kept: set[str] = {"Svenska"}  # the language switcher names each language in itself
    for block in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', po, re.M):
        text = "".join(re.findall(r'"(.*)"', block))
        kept |= {w for w in WORD.findall(text) if SWEDISH_LETTERS.search(w)}
    return kept


# Literals that stay as they are in every language: a file's semicolon-separated header row, and a
# quoted text to type ("Anställning och Praktik" in Arbetsförmedlingen's form).
LITERALS = re.compile(r"[\w]+(?:;[\w]+)+|\"[^\"]*\"|“[^”]*”|”[^”]*”")


def swedish_in(text: str, allowed: set[str]) -> list[str]:
    text = LITERALS.sub(" ", text)
    return [
        w for w in WORD.findall(text) if w not in allowed and (SWEDISH_LETTERS.search(w) or w.lower() in SWEDISH_WORDS)
    ]


def pages() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(route, capability, [(parameter, model)]) for every web page answering GET (no API, no admin)."""
    found = []
    for route, pattern in _patterns(get_resolver()):
        if route.startswith(("api/", "i18n/", "logout/")) or "^" in route or "<slug:" in route:
            continue
        callback = pattern.callback
        if callback in PUBLIC_VIEWS or _view_class(callback) in PUBLIC_VIEWS:
            found.append((route, PUBLIC, []))
            continue
        capability = getattr(callback, "required_capability", None)
        params = re.findall(r"<int:(\w+)>", route)
        fills = []
        for name in params:
            model = next((m for prefix, p, m in PARAMETERS if p == name and route.startswith(prefix)), None)
            if model is None:
                break
            fills.append((name, model))
        else:
            found.append((route, capability or PUBLIC, fills))
    return found


def candidate_ids(model_label: str, persons: Any) -> list[int]:
    """Ids of the model's rows about people the user may see; when there are none, any rows (the page then
    answers 404 and is not checked for this role, but a role that reaches rows by another relation is)."""
    model = apps.get_model(model_label)
    manager = model._default_manager
    for path in PERSON_PATHS if model_label == "people.Person" else PERSON_PATHS[1:]:
        try:
            lookup = {f"{path}__in": persons} if path != "pk" else {"pk__in": persons.values("pk")}
            ids = list(manager.filter(**lookup).order_by("-pk").values_list("pk", flat=True)[:CANDIDATES])
        except FieldError:
            continue
        if ids:
            return ids
        break
    return list(manager.order_by("-pk").values_list("pk", flat=True)[:CANDIDATES])


def paths_for(route: str, fills: list[tuple[str, str]], persons: Any) -> Iterable[str]:
    if not fills:
        yield "/" + route
        return
    # One id per parameter; several parameters take the first candidate of each.
    options = [candidate_ids(model, persons) for _name, model in fills]
    if any(not ids for ids in options):
        return
    for i in range(max(len(ids) for ids in options)):
        path = route
        for (name, _model), ids in zip(fills, options, strict=True):
            path = path.replace(f"<int:{name}>", str(ids[min(i, len(ids) - 1)]))
        yield "/" + path


def _cases_in_the_coachs_caseload() -> None:
    """A lönebidrag case (its steps), a nystartsjobb case and an assessment for the demo coach's own participants."""
    from jobbtorg.assessments import services as assessment_services
    from jobbtorg.audit.services import Actor
    from jobbtorg.organisation.models import Employer
    from jobbtorg.participations.models import Participation
    from jobbtorg.subsidies import services as subsidy_services

    coach = User.objects.get(username="coach")
    actor = Actor(user_id=coach.pk, username=coach.username, role=coach.role, client_address="127.0.0.1")
    employer = Employer.objects.order_by("pk").first()
    own = list(Participation.objects.filter(coach=coach, status="active").order_by("pk")[:2])
    for participation, subsidy_type in zip(own, ("lonebidrag", "nystartsjobb"), strict=False):
        subsidy_services.create_case(coach, actor, subsidy_services.NewCase(
            participation_id=participation.pk, subsidy_type=subsidy_type, employer_id=employer.pk,
            notified_on=participation.arrived_on,
        ))  # fmt: skip
    if own:
        assessment_services.start_draft(coach, actor, own[0].pk)


def seed() -> None:
    with override_settings(PASSWORD_HASHERS=FAST_HASHER), translation.override("sv"):
        out = io.StringIO()
        call_command("seed_demo", "--participants", str(PARTICIPANTS), "--seed", "3", "--no-progress", stdout=out)
        call_command("seed_subsidy_demo", "--per-unit", "3", stdout=out)
        call_command("seed_osa_demo", stdout=out)
        _cases_in_the_coachs_caseload()


@pytest.fixture
def english_catalogue():
    call_command("compilemessages", locale=["en"], ignore_patterns=[".venv", "staticfiles"], verbosity=0)
    trans_real._translations = {}
    trans_real._active = trans_real.Local()
    yield
    # The next test starts in Swedish again (a request in English leaves its language active).
    trans_real._translations = {}
    trans_real._active = trans_real.Local()
    translation.deactivate()


# Transactional: the walk's refused reads are audited and a refusal survives a rollback (audit.services),
# so only the flush after a transactional test leaves no entry behind for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_in_english_shows_no_swedish_outside_names_and_data(english_catalogue, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    seed()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    data = DataValues()
    allowed = english_terms()
    users = [User.objects.get(username=d.username) for d in DEMO_USERS]
    offenders: dict[str, set[str]] = defaultdict(set)  # offending text → "role page" where seen
    covered: set[tuple[str, str]] = set()
    checked = 0
    for user in users:
        client = Client(headers={"Accept-Language": "en"})
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        persons = visible_persons(user)
        for route, capability, fills in pages():
            if capability != PUBLIC and not holds(user, capability):
                continue
            for path in paths_for(route, fills, persons):
                response = client.get(path, follow=True)  # a page that redirects is checked where it lands
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                html = response.content.decode()
                data.add_new_audit_entries()
                for text in visible_text(html):
                    words = swedish_in(data.without_data(text), allowed)
                    if words:
                        offenders[text[:160]].add(f"{user.username} {path}")
                checked += 1
                covered.add((route, user.username))
                break  # one page per route and role
    assert checked > 60, f"only {checked} pages answered"
    uncovered = [f"{route} as {role}" for route, role in MUST_COVER.items() if (route, role) not in covered]
    assert not uncovered, f"the walk did not reach: {uncovered}"
    report = "\n".join(
        f"  {text!r}  — {', '.join(sorted(where)[:3])}{' …' if len(where) > 3 else ''}"
        for text, where in sorted(offenders.items(), key=lambda kv: sorted(kv[1])[0])
    )
    assert not offenders, f"{len(offenders)} Swedish texts on {checked} English pages:\n{report}"


def test_the_english_check_finds_swedish_ui_text_and_passes_data_and_kept_terms():
    """The detector itself: a Swedish UI word or an å/ä/ö word is found; a stored value, a term the English
    catalogue keeps, a file's header row and a quoted literal are not."""
    allowed = {"Arbetsförmedlingen", "Svenska"}
    assert swedish_in("Spara", allowed) == ["Spara"]
    assert swedish_in("Save or avbryt", allowed) == ["avbryt"]
    assert swedish_in("Steg 3a: Ärendet är öppet", allowed) == ["Ärendet", "är", "öppet"]
    assert swedish_in("Registered at Arbetsförmedlingen", allowed) == []
    assert swedish_in('Write "Anställning och Praktik" in the free text', allowed) == []
    assert swedish_in("Header row: personnummer;förnamn;efternamn", allowed) == []
    data = DataValues.__new__(DataValues)
    data.by_first = defaultdict(set)
    data.add("Sara Lindberg")
    data.add("Jobbtorg Järva")
    assert swedish_in(data.without_data("Coach: Sara Lindberg, Jobbtorg Järva"), allowed) == []
    assert visible_text('<p title="Stäng">Close<script>var x = "Spara";</script></p>') == ["Stäng", "Close"]


@pytest.mark.django_db
def test_the_admins_section_names_are_in_english(client, english_catalogue, settings):
    """The admin's index names each app (AppConfig.verbose_name) and model in the reader's language."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    admin = User.objects.create_superuser("admin-en", "admin@example.org", "x", role="sysadmin")
    client.force_login(admin)
    response = client.get("/admin/", headers={"Accept-Language": "en"})
    sections = [str(app["name"]) for app in response.context["app_list"]]
    assert sections and "Jobbtorg" not in sections  # named, not the bare app label
    assert all(not swedish_in(name, set()) for name in sections), sections
    offenders = [t for t in visible_text(response.content.decode()) if swedish_in(t, english_terms())]
    assert offenders == []
