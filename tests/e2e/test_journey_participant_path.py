"""The participant's path end to end in real Chromium (issue 3, "Tests and measures").

Three people in their own browser contexts, each logged in through the form:

- the district social worker (`socialsekreterare`, Rinkeby-Kista) refers a person who is
  not in the register yet (a Skatteverket test personnummer), with a target group and
  consent, and books the first appointment with the coach;
- the unit manager (`chef`, Jobbtorg Järva) assigns the coach on the assignment page;
- the coach (`coach`, Jobbtorg Järva) registers the arrival, the Arbetsförmedlingen
  registration and the information checklist, fills in and completes the assessment,
  writes the activity plan (goal, one planned activity, review date) and submits it;
- the district approves the plan from its queue;
- the coach creates an activity and registers an unexcused absence for today;
- the district sees the deviation in its inbox and acknowledges it;
- the coach closes the participation: work, permanent, full time, without subsidy.

Every step asserts on what that user sees (status texts, lists, messages) and the person
page's timeline shows the events, for the coach and for the district. Controls are found
by role and label: a control that cannot be found that way is an accessibility bug.

Each role's part starts from the start page (issue 10, "Tests and measures") and moves by the
menu, the start page's own lists and the step bar's ONE primary button ("Deltagarens väg",
participations/_path.html): at every stage the test asserts the step the bar marks as current
(aria-current="step") and the label of the primary button. No URL is typed. axe-core runs on
every page the journey looks at: 0 serious/critical violations.

Each step leaves a screenshot in JOURNEY_DIR (default /tmp/journey/) and a line in
JOURNEY_DIR/steps.txt (PASS/FAIL per step). Navigation the user cannot do by following a
link (a page reachable only by typing its URL) does not stop the journey: the gap is
collected, the URL is opened directly, and the test fails at the end listing every gap.
"""

import datetime
import os
import re
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jobbtorg.core.workdays import add_working_days
from tests.e2e.conftest import BASE_DIR, log_in
from tests.e2e.test_accessibility import _blocking_violations, _describe

pytestmark = pytest.mark.browser

JOURNEY_DIR = Path(os.environ.get("JOURNEY_DIR", "/tmp/journey"))
TESTPERSONNUMMER = Path(os.environ.get("TESTPERSONNUMMER_DIR", BASE_DIR.parent / "shared" / "data" / "testpersonnummer"))
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

FIRST_NAME = "Ingrid"
LAST_NAME = "Vägvisare"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME}"
LIST_NAME = f"{LAST_NAME}, {FIRST_NAME}"  # how lists show a person
COACH_NAME = "Sara Lindberg"
DISTRICT = "Rinkeby-Kista"
UNIT = "Jobbtorg Järva"
TARGET_GROUP = "Försörjningsstöd på grund av arbetslöshet"
PLAN_GOAL = "Arbete inom lager och logistik inom sex månader."
PLANNED = "Arbetsträning på lager"
DISTRICT_ACTION = "Kallar till samtal om frånvaron."


def label(text: str) -> re.Pattern[str]:
    """A field's label, exactly, with or without a trailing colon (Django's label suffix)."""
    return re.compile(rf"^\s*{re.escape(text)}:?\s*$")


def _luhn_ok(ten: str) -> bool:
    total = 0
    for i, ch in enumerate(ten):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _candidates() -> Iterator[str]:
    """Skatteverket test numbers, working age first (born 1970–1999), then the rest."""
    files = sorted(TESTPERSONNUMMER.glob("*.txt")) if TESTPERSONNUMMER.is_dir() else []
    numbers = [line.strip() for f in files for line in f.read_text().splitlines() if re.fullmatch(r"\d{12}", line.strip())]
    working_age = [n for n in numbers if "1970" <= n[:4] <= "1999"]
    yield from working_age[len(working_age) // 2 :]
    yield from numbers
    # No test-number file on this machine: checksum-valid numbers born 1945, a year seed_demo never makes.
    for serial in range(200, 1000):
        ten = f"450612{serial:03d}"
        for check in range(10):
            if _luhn_ok(ten + str(check)):
                yield f"19{ten}{check}"
                break


def unused_personnummer(e2e_server) -> str:
    """The first candidate that no person in the e2e database has (checked in one query per 200)."""
    batch: list[str] = []
    for number in _candidates():
        batch.append(number)
        if len(batch) == 200:
            break
    taken = e2e_server.query(
        "from jobbtorg.people.models import Person; "
        f"print(','.join(Person.objects.filter(personnummer__in={batch!r}).values_list('personnummer', flat=True)))"
    ).split(",")
    free = [n for n in batch if n not in taken]
    assert free, "no unused test personnummer found"
    return free[0]


def display(number: str) -> str:
    return f"{number[:8]}-{number[8:]}"


class Journey:
    """The browser contexts of the journey, screenshots per step and the collected gaps."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.pages: dict[str, Page] = {}
        self.contexts = []
        self.gaps: list[str] = []
        self.axe: list[str] = []
        self.shot = 0
        self.step_name = ""
        JOURNEY_DIR.mkdir(parents=True, exist_ok=True)
        for old in JOURNEY_DIR.glob("*.png"):
            old.unlink()
        self.log = JOURNEY_DIR / "steps.txt"
        self.log.write_text("")

    def as_user(self, username: str) -> Page:
        if username not in self.pages:
            context = self.browser.new_context(base_url=self.base_url, locale="sv-SE", timezone_id="Europe/Stockholm")
            context.set_default_timeout(15_000)
            self.contexts.append(context)
            page = context.new_page()
            log_in(page, username)
            assert "/login/" not in page.url, f"{username} could not log in"
            self.pages[username] = page
        return self.pages[username]

    def screenshot(self, page: Page, what: str) -> None:
        self.shot += 1
        slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
        page.screenshot(path=str(JOURNEY_DIR / f"{self.shot:02d}-{slug}.png"), full_page=True)

    def look(self, page: Page, what: str) -> None:
        """A page the journey visits: a screenshot, and axe-core (serious/critical collected)."""
        page.wait_for_load_state()
        self.screenshot(page, what)
        violations = _blocking_violations(page)
        if violations:
            self.axe.append(f"{what} ({page.url}):\n{_describe(violations)}")

    def expect_path(self, page: Page, step: str, action: str | None) -> None:
        """The step bar marks `step` as current and offers `action` as its one primary button."""
        bar = page.get_by_role("region", name="Deltagarens väg")
        expect(bar.locator('[aria-current="step"]')).to_contain_text(step)
        button = bar.locator("[data-next-action]")
        if action is None:
            expect(button).to_have_count(0)
        else:
            expect(button).to_have_count(1)
            expect(button).to_have_text(action)

    def primary(self, page: Page, step: str, action: str) -> None:
        """Assert the step bar, look at the page, then click its primary button."""
        self.expect_path(page, step, action)
        self.look(page, f"path at {step}: {action}")
        page.get_by_role("region", name="Deltagarens väg").locator("[data-next-action]").click()
        page.wait_for_load_state()

    def find_person(self, page: Page, number: str, name: str) -> None:
        """From the start page, by the menu's person search, to the person page."""
        page.goto("/")
        page.get_by_role("navigation").get_by_role("link", name="Sök person").click()
        page.get_by_label("Personnummer eller namn").fill(number)
        page.get_by_role("search").get_by_role("button", name="Sök").click()
        page.get_by_role("link", name=name).first.click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(FULL_NAME)

    @contextmanager
    def step(self, name: str, page_user: str) -> Iterator[Page]:
        self.step_name = name
        page = self.as_user(page_user)
        try:
            yield page
        except BaseException:
            with self.log.open("a") as f:
                f.write(f"FAIL {name} ({page_user}) at {page.url}\n")
            try:
                self.screenshot(page, f"FAILED {name}")
            except Exception:  # noqa: BLE001, S110 - the failure itself is what matters
                pass
            raise
        else:
            self.screenshot(page, name)
            with self.log.open("a") as f:
                f.write(f"PASS {name} ({page_user})\n")

    def follow(self, page: Page, paths: list[tuple[str | re.Pattern[str], ...]], url: str, where: str) -> None:
        """Follow the links a user would click, trying each path (a sequence of link names) in turn;
        when none is there, note the gap and open `url` directly."""
        start = page.url
        for path in paths:
            if page.url != start:
                page.goto(start)
            for name in path:
                link = page.get_by_role("link", name=name)
                if link.count() == 0:
                    break
                link.first.click()
                page.wait_for_load_state()
            else:
                return
        tried = " or ".join(" → ".join(getattr(n, "pattern", n) for n in path) for path in paths)
        self.gaps.append(f"{self.step_name}: no link {tried} from {where}; opened {url} directly")
        page.goto(url)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(e2e_server, browser):
    j = Journey(browser, e2e_server.url)
    yield j
    j.close()


def _today() -> datetime.date:
    return datetime.datetime.now(STOCKHOLM).date()


def test_participant_path_from_referral_to_closure(journey, e2e_server):
    today = _today()
    # The first visit on the next working day, at 10: a visit is booked in office hours, so a run
    # on a Friday or before a holiday must not book it on a Saturday or a red day.
    first_visit = add_working_days(today, 1)
    number = unused_personnummer(e2e_server)
    urls: dict[str, str] = {}

    # 1. The district refers a person who is not in the register.
    with journey.step("district refers a new person", "socialsekreterare") as district:
        district.goto("/")
        expect(district.get_by_role("heading", level=1)).to_contain_text(DISTRICT)
        journey.follow(
            district,
            [(re.compile(r"^Ny anvisning"),), (re.compile(r"^Anvisningar"), re.compile(r"^Ny anvisning"))],
            "/anvisningar/ny/",
            "the district's start page",
        )
        expect(district.get_by_role("heading", level=1)).to_have_text("Ny anvisning till jobbtorget")
        district.get_by_label(label("Personnummer eller samordningsnummer")).fill(number)
        district.get_by_label(label("Personnummer eller samordningsnummer")).press("Tab")
        # The htmx look-up says the person is not in the register yet.
        expect(district.locator("#person-lookup")).to_contain_text("Hittar ingen person")
        district.get_by_label(label("Förnamn")).fill(FIRST_NAME)
        district.get_by_label(label("Efternamn")).fill(LAST_NAME)
        district.get_by_role("checkbox", name=TARGET_GROUP).check()
        district.get_by_label(label("Grund för anvisningen")).fill("Arbetslös sedan ett år, uppbär försörjningsstöd.")
        district.get_by_label(label("Samtycke lämnat den")).fill(today.isoformat())
        district.get_by_label(label("Samtycket omfattar")).fill("Uppgiftsutbyte mellan stadsdelen och jobbtorget.")
        district.get_by_label(label("Första besök: dag och tid")).fill(f"{first_visit.isoformat()}T10:00")
        district.get_by_label(label("Plats")).fill("Jobbtorg Järva, Kista")
        district.get_by_label(label("Coach")).select_option(label=COACH_NAME)
        district.get_by_role("button", name="Skicka anvisningen").click()
        expect(district).to_have_url(re.compile(r"/deltaganden/\d+/$"))
        urls["participation"] = re.search(r"/deltaganden/\d+/$", district.url).group(0)
        main = district.get_by_role("main")
        expect(main).to_contain_text("Anvisningen är skickad och första besöket bokat.")
        expect(district.get_by_role("heading", level=1)).to_have_text(f"Deltagande – {FULL_NAME}")
        expect(main).to_contain_text(display(number))
        expect(main).to_contain_text("Anvisad")
        expect(main).to_contain_text(UNIT)
        expect(main).to_contain_text(TARGET_GROUP)
        expect(main).to_contain_text("Första besök")
        # The district referred; the next step is the Jobbtorg's: no button for the district.
        journey.expect_path(district, "Anvisad", None)
        urls["person"] = district.get_by_role("link", name=re.compile("Till personsidan")).get_attribute("href")

    # 2. The manager assigns the coach (the district only booked the first appointment with her).
    with journey.step("manager assigns the coach", "chef") as chef:
        chef.goto("/")
        journey.follow(chef, [(re.compile(r"^Fördela|^Fördelning"),)], "/deltaganden/fordelning/", "the manager's start page")
        expect(chef.get_by_role("heading", level=1)).to_have_text("Fördela deltagare till coacher")
        row = chef.get_by_role("row").filter(has=chef.locator(f"a[href='{urls['participation']}']"))
        expect(row).to_contain_text(LIST_NAME)
        expect(row).to_contain_text("Anvisad")
        row.get_by_label(f"Coach för {FULL_NAME}").select_option(label=COACH_NAME)
        row.get_by_role("button", name="Tilldela").click()
        expect(chef.get_by_role("main")).to_contain_text("Coachen är tilldelad.")
        expect(chef.locator(f"a[href='{urls['participation']}']")).to_have_count(0)

    # 3. The coach finds the new participant among her referred ones and enrols her.
    with journey.step("coach enrols", "coach") as coach:
        coach.goto("/")
        expect(coach.get_by_role("heading", level=1)).to_have_text("Att göra idag")
        # "Att göra": the first appointment is a deadline, and she is among the referred waiting for enrolment.
        deadlines = coach.get_by_role("region", name="Tidsfrister", exact=True)
        expect(deadlines.get_by_role("row").filter(has_text=LIST_NAME).filter(has_text="Första besök")).to_be_visible()
        todo = coach.get_by_role("region", name="Att göra", exact=True)
        expect(todo).to_contain_text("väntar på inskrivning")
        todo.get_by_role("link", name="Visa de anvisade").click()
        caseload = coach.get_by_role("region", name="Mina deltagare")
        row = caseload.get_by_role("row").filter(has_text=LIST_NAME)
        expect(row).to_contain_text("Anvisad")
        expect(row).to_contain_text(display(number))
        expect(row).to_contain_text("Registrera ankomst")  # the caseload's "next step" column
        row.get_by_role("link", name=LIST_NAME).click()
        expect(coach).to_have_url(re.compile(rf"{urls['person']}$"))
        journey.primary(coach, "Anvisad", "Registrera ankomst")
        expect(coach).to_have_url(re.compile(rf"{urls['participation']}#arrive-h$"))
        enrolment = coach.get_by_role("region", name="Inskrivning")
        expect(enrolment).to_contain_text("Personlig coach tilldelad")

        arrive = coach.locator("form", has=coach.get_by_role("heading", name="Registrera ankomst"))
        arrive.get_by_label(label("Ankomstdatum")).fill(today.isoformat())
        arrive.get_by_role("button", name="Registrera ankomst").click()
        expect(coach.get_by_role("main")).to_contain_text("Ankomsten är registrerad")

        af = coach.locator("form", has=coach.get_by_role("heading", name="Arbetsförmedlingen"))
        af.get_by_role("radio", name="Ja").check()
        af.get_by_label(label("Inskriven sedan")).fill(today.isoformat())
        af.get_by_role("button", name="Spara").click()
        expect(coach.get_by_role("main")).to_contain_text("Uppgiften om Arbetsförmedlingen är sparad.")

        info = coach.locator("form", has=coach.get_by_role("heading", name="Information vid inskrivning"))
        info.get_by_role("checkbox", name=re.compile("rättigheter")).check()
        info.get_by_role("checkbox", name=re.compile("skyldigheten att delta")).check()
        info.get_by_role("checkbox", name=re.compile("konsekvenserna")).check()
        info.get_by_role("button", name="Signera").click()
        expect(coach.get_by_role("main")).to_contain_text("Informationen är signerad.")

        facts = coach.locator("dl.facts").first
        expect(facts).to_contain_text("Inskriven")
        enrolment = coach.get_by_role("region", name="Inskrivning")
        expect(enrolment).to_contain_text(f"Ankomst registrerad {today.isoformat()}")
        expect(enrolment).to_contain_text(f"Inskriven på Arbetsförmedlingen sedan {today.isoformat()}")
        expect(enrolment).to_contain_text(f"signerad av {COACH_NAME}")
        expect(coach.get_by_role("region", name="Tidsfrister", exact=True)).to_contain_text("Aktivitetsplan upprättas")
        journey.expect_path(coach, "Inskriven", "Starta kartläggningen")

    # 4. The assessment: education, one work experience (occupation from the JobTech list), Swedish, goals.
    with journey.step("coach completes the assessment", "coach") as coach:
        journey.find_person(coach, number, LIST_NAME)
        journey.primary(coach, "Inskriven", "Starta kartläggningen")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Kartläggning, version 1")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Utkast")
        assessment_url = coach.url

        education = coach.get_by_role("region", name="Utbildning", exact=True)
        education.get_by_label(label("Utbildningsnivå")).select_option(label="Gymnasial")
        education.get_by_label(label("Land där utbildningen gjordes")).fill("Sverige")
        education.get_by_role("button", name="Spara utbildning").click()
        expect(education.get_by_role("status")).to_contain_text("Sparad")

        work = coach.get_by_role("region", name="Arbetslivserfarenhet").first
        work.get_by_role("searchbox", name="Sök yrke i Arbetsförmedlingens yrkeslista").fill("lagerarbetare")
        work.get_by_role("button", name="Sök yrke").click()
        work = coach.get_by_role("region", name="Arbetslivserfarenhet").first
        occupation = work.get_by_role("combobox", name=label("Yrke"))
        expect(occupation.locator("option", has_text="Lagerarbetare")).to_have_count(1)
        occupation.select_option(label="Lagerarbetare")
        work.get_by_label(label("Antal år")).fill("2")
        work.get_by_label(label("Land")).fill("Sverige")
        work.get_by_role("button", name="Lägg till raden").click()
        expect(work.get_by_role("table")).to_contain_text("Lagerarbetare")

        swedish = coach.get_by_role("region", name="Svenska språket")
        swedish.get_by_label(label("Kunskaper i svenska")).select_option(label="Motsvarar SFI kurs D")
        swedish.get_by_role("button", name="Spara svenska språket").click()
        expect(swedish.get_by_role("status")).to_contain_text("Sparad")

        goals = coach.get_by_role("region", name="Mål", exact=True)
        goals.get_by_label(label("Deltagarens mål")).fill("Fast arbete på lager, heltid.")
        goals.get_by_role("button", name="Spara mål").click()
        expect(goals.get_by_role("status")).to_contain_text("Sparad")

        coach.get_by_role("button", name="Slutför kartläggningen").click()
        expect(coach.get_by_role("main")).to_contain_text("Kartläggningen är slutförd.")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Slutförd")
        expect(coach.get_by_role("main")).to_contain_text(f"Slutförd {today.isoformat()} av {COACH_NAME}")
        assert coach.url.split("?")[0].rstrip("/") == assessment_url.split("?")[0].rstrip("/")

    # 5. The activity plan: goal, review date (the default six months), one planned activity; submitted.
    with journey.step("coach writes and submits the plan", "coach") as coach:
        journey.find_person(coach, number, LIST_NAME)
        plan_section = coach.get_by_role("region", name="Aktivitetsplan", exact=True)
        expect(plan_section).to_contain_text("Ingen godkänd plan ännu.")
        journey.primary(coach, "Kartläggning", "Upprätta aktivitetsplan")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Aktivitetsplan, version 1")
        urls["plan"] = re.search(r"/planer/\d+/$", coach.url).group(0)

        period = coach.get_by_role("region", name="Mål och period")
        period.get_by_label(label("Mål")).fill(PLAN_GOAL)
        review = period.get_by_label(label("Omprövningsdatum"))
        review_date = datetime.date.fromisoformat(review.input_value())
        assert today < review_date <= today + datetime.timedelta(days=186), review_date
        period.get_by_role("button", name="Spara mål och period").click()
        expect(coach.get_by_role("region", name="Mål och period").get_by_label(label("Mål"))).to_have_value(PLAN_GOAL)

        planned = coach.get_by_role("region", name="Planerade aktiviteter").first
        planned.get_by_label(label("Insats ur utbudet")).select_option(label="Arbetsträning")
        planned.get_by_label(label("Vad")).fill(PLANNED)
        planned.get_by_label(label("Startdatum")).fill(today.isoformat())
        planned.get_by_label(label("Slutdatum")).fill((today + datetime.timedelta(days=60)).isoformat())
        planned.get_by_role("button", name="Lägg till aktiviteten").click()
        expect(coach.get_by_role("region", name="Planerade aktiviteter").first.get_by_role("table")).to_contain_text(PLANNED)

        coach.get_by_role("button", name="Skicka planen för godkännande").click()
        main = coach.get_by_role("main")
        expect(main).to_contain_text("Planen är skickad till stadsdelen för godkännande.")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Väntar på godkännande")
        expect(main).to_contain_text("Planen väntar på stadsdelens godkännande")
        journey.look(coach, "the submitted plan")
        # Back on the person page the coach waits for the district: the bar says so, no button.
        journey.find_person(coach, number, LIST_NAME)
        journey.expect_path(coach, "Plan skickad", None)
        expect(coach.get_by_role("region", name="Deltagarens väg")).to_contain_text("Planen väntar på stadsdelens beslut.")

    # 6. The district sees the plan in its inbox and approves it.
    with journey.step("district approves the plan", "socialsekreterare") as district:
        district.goto("/")
        waiting = district.get_by_role("region", name=re.compile(r"^Planer att godkänna"))
        expect(waiting).to_contain_text(LIST_NAME)
        waiting.get_by_role("link", name="Alla planer att godkänna").click()
        expect(district.get_by_role("heading", level=1)).to_have_text("Planer att godkänna")
        row = district.get_by_role("row").filter(has_text=display(number))
        expect(row).to_contain_text(COACH_NAME)
        expect(row).to_contain_text("Version 1")
        expect(row).to_contain_text("0 arbetsdagar")
        journey.look(district, "the district's plan queue")
        # The person page's step bar leads the district to its decision.
        journey.find_person(district, number, LIST_NAME)
        journey.primary(district, "Plan skickad", "Besluta om planen")
        expect(district.get_by_role("main")).to_contain_text(PLAN_GOAL)
        expect(district.get_by_role("main")).to_contain_text(PLANNED)
        district.get_by_label(label("Kommentar")).fill("Bra plan, godkänd.")
        district.get_by_role("button", name="Godkänn planen").click()
        expect(district.get_by_role("main")).to_contain_text("Planen är godkänd.")
        expect(district.get_by_role("row").filter(has_text=display(number))).to_have_count(0)
        journey.look(district, "the queue after the approval")
        # The plan is approved: the next step is the coach's, no button for the district.
        journey.find_person(district, number, LIST_NAME)
        journey.expect_path(district, "Godkänd", None)

    # 7. The coach sees the approval, creates the activity and registers an unexcused absence today.
    with journey.step("coach registers an unexcused absence", "coach") as coach:
        journey.find_person(coach, number, LIST_NAME)
        plan_section = coach.get_by_role("region", name="Aktivitetsplan", exact=True)
        expect(plan_section).to_contain_text("Godkänd")
        expect(plan_section).to_contain_text(PLAN_GOAL)
        journey.primary(coach, "Godkänd", "Lägg till insats")
        expect(coach.get_by_role("heading", level=1)).to_have_text("Ny insats")
        coach.get_by_label(label("Insats")).select_option(label="Arbetsträning")
        coach.get_by_label(label("Anordnare")).select_option(label="Jobbtorg Stockholm egen regi – Arbetsträning")
        coach.get_by_label(label("Startdatum")).fill(today.isoformat())
        coach.get_by_label(label("Slutdatum")).fill((today + datetime.timedelta(days=60)).isoformat())
        coach.get_by_label(label("Plats")).fill("Lagret, Kista")
        coach.get_by_role("button", name="Spara insatsen").click()
        expect(coach.get_by_role("main")).to_contain_text("Insatsen är sparad.")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Arbetsträning")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Pågår")

        day = coach.get_by_role("region", name="Registrera närvaro för en dag")
        day.get_by_label(label("Datum")).fill(today.isoformat())
        day.get_by_role("radio", name="Frånvarande – Ogiltig frånvaro").check()
        day.get_by_label(label("Kommentar")).fill("Kom inte och hörde inte av sig.")
        day.get_by_role("button", name="Registrera").click()
        expect(coach.get_by_role("main")).to_contain_text("Närvaron är registrerad.")
        sessions = coach.get_by_role("region", name="Tillfällen", exact=True).first
        expect(sessions.get_by_role("row").filter(has_text=today.isoformat())).to_contain_text("Ogiltig frånvaro")
        expect(coach.get_by_role("region", name="Närvaro", exact=True)).to_contain_text("0 av 1")
        journey.look(coach, "the activity with its attendance")
        # The activity runs: the step bar's next action is the attendance of the activity.
        journey.find_person(coach, number, LIST_NAME)
        journey.primary(coach, "Insatser", "Registrera närvaro")
        expect(coach.get_by_role("heading", level=1)).to_contain_text("Arbetsträning")

    # 8. The district sees the deviation in its inbox and acknowledges it.
    with journey.step("district acknowledges the deviation", "socialsekreterare") as district:
        district.goto("/")
        inbox = district.get_by_role("region", name=re.compile(r"^Avvikelser att kvittera"))
        expect(inbox).to_contain_text(LIST_NAME)
        expect(inbox).to_contain_text("Ogiltig frånvaro")
        inbox.get_by_role("link", name=f"Kvittera – {FULL_NAME}, {today.isoformat()}").click()
        expect(district.get_by_role("heading", level=1)).to_have_text("Kvittera avvikelse")
        main = district.get_by_role("main")
        expect(main).to_contain_text("Ogiltig frånvaro")
        expect(main).to_contain_text("Kom inte och hörde inte av sig.")
        district.get_by_label(label("Stadsdelens beslut/åtgärd")).fill(DISTRICT_ACTION)
        district.get_by_role("button", name="Kvittera").click()
        expect(district.get_by_role("main")).to_contain_text("Avvikelsen är kvitterad.")
        expect(district.get_by_role("link", name=re.compile(f"Kvittera – {FULL_NAME}"))).to_have_count(0)

    # 9. The coach closes the participation: work, permanent, full time, without subsidy.
    with journey.step("coach closes with an outcome", "coach") as coach:
        # A job came before the activity ended: closing is the participation page's secondary
        # action (the primary one stays "Registrera närvaro" while the activity runs).
        journey.find_person(coach, number, LIST_NAME)
        coach.get_by_role("region", name="Deltaganden").get_by_role("link", name=re.compile(rf"^{UNIT}, anvisad")).click()
        journey.expect_path(coach, "Insatser", "Registrera närvaro")
        coach.get_by_role("region", name="Avslut och uppföljning").get_by_role("link", name="Avsluta deltagandet").click()
        expect(coach.get_by_role("heading", level=1)).to_have_text(f"Avsluta deltagandet – {FULL_NAME}")
        coach.get_by_role("radio", name="Arbete", exact=True).check()
        # Choosing the reason swaps in the form with only that reason's questions (htmx); wait for it,
        # since the swap resets what was filled in before it (see the report on issue 3).
        expect(coach.get_by_role("group", name="Om studier")).to_have_count(0)
        expect(coach.get_by_role("group", name="Om arbete")).to_be_visible()
        coach.get_by_role("radio", name="Tillsvidareanställning").check()
        coach.get_by_role("radio", name="Heltid").check()
        coach.get_by_role("radio", name="Utan anställningsstöd").check()
        coach.get_by_role("group", name=re.compile("minst en sammanhängande månad")).get_by_role("radio", name="Ja").check()
        coach.get_by_role("button", name="Avsluta deltagandet").click()
        expect(coach).to_have_url(re.compile(rf"{urls['participation']}$"))
        main = coach.get_by_role("main")
        expect(main).to_contain_text("Deltagandet är avslutat.")
        expect(main).to_contain_text(
            f"Avslutad {today.isoformat()}: Arbete, tillsvidareanställning, heltid, utan anställningsstöd"
        )
        closure = coach.get_by_role("region", name="Avslut och uppföljning")
        expect(closure).to_contain_text("2 månader efter avslut")
        expect(closure).to_contain_text("8 månader efter avslut")
        journey.expect_path(coach, "Avslut", None)

    # 10. The person page's timeline has every event, for the coach and for the district.
    expected_events = [
        f"Anvisad av {DISTRICT} till {UNIT}",
        f"{COACH_NAME} är personlig coach.",
        "Deltagaren kom till jobbtorget och är inskriven.",
        f"Inskriven på Arbetsförmedlingen sedan {today.isoformat()}.",
        "Deltagaren har informerats om rättigheter",
        "Kartläggningen version 1 slutförd.",
        "Aktivitetsplan version 1 skickad till stadsdelen för godkännande.",
        "Aktivitetsplan version 1 godkänd av stadsdelen.",
        "Insats Arbetsträning",
        f"Närvaro {today.isoformat()}, Arbetsträning: Frånvarande – Ogiltig frånvaro",
        f"Avvikelse rapporterad till {DISTRICT}: Ogiltig frånvaro {today.isoformat()}",
        f"{DISTRICT} kvitterade avvikelsen",
        "Avslutad: Arbete, Tillsvidareanställning, Heltid, Utan anställningsstöd.",
    ]
    for username in ("coach", "socialsekreterare"):
        with journey.step(f"timeline as {username}", username) as page:
            journey.find_person(page, number, LIST_NAME)
            timeline = page.get_by_role("region", name="Tidslinje")
            expect(timeline).to_be_visible()
            expect(page.get_by_role("heading", level=1)).to_have_text(FULL_NAME)
            expect(page.locator("header").filter(has_text="Personnummer")).to_contain_text(display(number))
            entries = timeline.get_by_role("listitem").filter(has=page.locator("time"))
            for text in expected_events:
                expect(entries.filter(has_text=text).first).to_be_visible()
            # Newest first: the closure is above the referral.
            texts = entries.all_inner_texts()
            closed_at = next(i for i, t in enumerate(texts) if "Avslutad: Arbete" in t)
            referred_at = next(i for i, t in enumerate(texts) if f"Anvisad av {DISTRICT}" in t)
            assert closed_at < referred_at, texts
            # Each entry names its author and role.
            author = entries.filter(has_text="Aktivitetsplan version 1 godkänd av stadsdelen.").first
            expect(author).to_contain_text("Maria Ekström, Socialsekreterare")
            expect(page.get_by_role("article").first).to_contain_text("Avslutad")

    assert not journey.gaps, "The journey needed URLs typed by hand:\n" + "\n".join(journey.gaps)
    assert not journey.axe, "axe-core: serious/critical violations on the journey's pages:\n" + "\n".join(journey.axe)
