"""The disability-code checklist (DOMAIN §11, seed 000 section 4) as data, and its validity rules.

Pure Python, no ORM. Arbetsförmedlingen registers a code (funktionshinderkod) only with
current, relevant medical documentation (underlag). Each code carries the validity rule
the seed gives it, word for word where the seed has words:

| code | seed's words | rule here |
| --- | --- | --- |
| 43 pain (lumbago, diskbråck, övriga smärtor) | "Underlagen får inte vara äldre än 2 år." | 24 months |
| 43 chronic (CP, polio, rullstolsburen, saknar extremitet) | "Underlag måste finnas" (no age limit) | no time limit |
| 92 NPF (ADHD, ADD, autism, dyslexi) | "Nya underlag i NPF behöver inte krävas in." | permanent |
| 92 acquired brain injury (hjärnskada/stroke) | "Underlag med utredningar bör finnas" (no age limit) | no time limit |
| 61 psychological | "Underlag måste finnas." (no age limit) | no time limit |
| 11 heart, vessels, lungs | "Underlagen får inte vara äldre än 2 år." | 24 months |
| 11 COPD (KOL) | "KOL är permanent och underlag ska finnas." | permanent |
| 71 generally reduced learning capacity | "Permanent nedsättning ... Nya underlag behöver inte begäras in." | permanent |
| 82 addiction | "Underlagen får inte vara äldre än 2 år." | 24 months |
| 51 other somatic | "Underlag som påvisar nedsättning i arbetsförmåga behövs." | no time limit |
| 91 allergy or hypersensitivity | "Underlagen behöver vara aktuella" | 12 months (our reading of "aktuella") |
| 33 vision, 21 deaf, 22 hearing | "Underlag ska finnas och utredas via enheten Syn, Döv och Hörsel." | no time limit |

"Aktuella" (current) for 91 is read as at most 12 months old: the seed gives no number,
allergy and asthma vary with season and treatment, and a year is the shortest period
that spans every season. The number is data (`CURRENT_MONTHS`), so a different reading
is a one-line change. "2 år" is read as 24 calendar months from the documentation date:
documentation dated 2024-03-15 is valid up to and including 2026-03-15.

92: "Tillkommer ytterligare diagnos även i NPF ska ytterligare utredning inkomma" - a
further diagnosis is a new registration with its own documentation, not a change of the
old one.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import Role
from jobbtorg.core.capabilities import HOME_DISTRICT, OWN
from jobbtorg.core.types import StrOrPromise
from jobbtorg.core.workdays import add_months

# "Aktuella" (code 91): our reading, see the module docstring.
CURRENT_MONTHS = 12
TWO_YEARS_MONTHS = 24


class Validity(StrEnum):
    MONTHS = "months"  # documentation older than `months` is expired
    PERMANENT = "permanent"  # the seed says the condition is permanent / no new documentation needed
    NO_LIMIT = "no_limit"  # the seed requires documentation but names no age limit


@dataclass(frozen=True)
class SubKind:
    key: str
    label: StrOrPromise
    validity: Validity
    months: int | None = None
    seed_words: str = ""


@dataclass(frozen=True)
class Code:
    code: str
    label: StrOrPromise
    examples: StrOrPromise
    sub_kinds: tuple[SubKind, ...]

    @property
    def needs_sub_kind(self) -> bool:
        return len(self.sub_kinds) > 1

    def sub_kind(self, key: str) -> SubKind | None:
        if not self.needs_sub_kind:
            return self.sub_kinds[0]
        return next((s for s in self.sub_kinds if s.key == key), None)


def _only(validity: Validity, months: int | None = None, words: str = "") -> tuple[SubKind, ...]:
    return (SubKind("", "", validity, months, words),)


# The checklist, in the seed's order ("i nämnd ordning": the most common first).
CODES: dict[str, Code] = {
    c.code: c
    for c in [
        Code(
            "43",
            _("Nedsatt eller begränsad rörelseförmåga"),
            _("t.ex. CP, polio, rullstolsburen; lumbago, diskbråck"),
            (
                SubKind(
                    "chronic",
                    _("Kronisk funktionsnedsättning (t.ex. CP, polio, rullstolsburen, saknar extremitet)"),
                    Validity.NO_LIMIT,
                    None,
                    "Underlag måste finnas och bedömning måste göras",
                ),
                SubKind(
                    "pain",
                    _("Smärttillstånd (lumbago, diskbråck, övriga smärtor)"),
                    Validity.MONTHS,
                    TWO_YEARS_MONTHS,
                    "Underlagen får inte vara äldre än 2 år.",
                ),
            ),
        ),
        Code(
            "92",
            _("Specifik kognitiv funktionsnedsättning"),
            _("ADHD, ADD, autism, dyslexi; kognitiv påverkan efter hjärnskada"),
            (
                SubKind(
                    "npf",
                    _("Neuropsykiatrisk funktionsnedsättning (ADHD, ADD, autism, dyslexi)"),
                    Validity.PERMANENT,
                    None,
                    "Nya underlag i NPF behöver inte krävas in.",
                ),
                SubKind(
                    "brain_injury",
                    _("Kognitiv påverkan efter t.ex. hjärnskada eller stroke"),
                    Validity.NO_LIMIT,
                    None,
                    "Underlag med utredningar bör finnas i sökandes akt",
                ),
            ),
        ),
        Code(
            "61",
            _("Psykisk funktionsnedsättning"),
            _("t.ex. depression, krisreaktion, bipolaritet, schizofreni"),
            _only(Validity.NO_LIMIT, None, "Underlag måste finnas."),
        ),
        Code(
            "11",
            _("Nedsatt funktion i hjärta, kärl eller lungor"),
            _("t.ex. hjärtinfarkt, kärlkramp, kronisk bronkit, KOL"),
            (
                SubKind(
                    "other",
                    _("Hjärta, kärl eller lungor utom KOL"),
                    Validity.MONTHS,
                    TWO_YEARS_MONTHS,
                    "Underlagen får inte vara äldre än 2 år.",
                ),
                SubKind("copd", _("KOL"), Validity.PERMANENT, None, "KOL är permanent och underlag ska finnas."),
            ),
        ),
        Code(
            "71",
            _("Generellt nedsatt inlärningsförmåga"),
            _("permanent nedsättning; underlag t.ex. från särskola"),
            _only(Validity.PERMANENT, None, "Permanent nedsättning. Nya underlag behöver inte begäras in."),
        ),
        Code(
            "82",
            _("Missbruks- eller beroendeproblematik"),
            _("utredning via socialkonsulent eller Kriminalvården"),
            _only(Validity.MONTHS, TWO_YEARS_MONTHS, "Underlagen får inte vara äldre än 2 år."),
        ),
        Code(
            "51",
            _("Övriga somatiskt relaterade funktionsnedsättningar"),
            _("t.ex. diabetes, epilepsi, kronisk migrän"),
            _only(Validity.NO_LIMIT, None, "Underlag som påvisar nedsättning i arbetsförmåga behövs."),
        ),
        Code(
            "91",
            _("Allergi eller överkänslighet"),
            _("astma, allergi, överkänslighet"),
            _only(Validity.MONTHS, CURRENT_MONTHS, "Underlagen behöver vara aktuella"),
        ),
        Code(
            "33",
            _("Synnedsättning"),
            _("utreds via enheten Syn, Döv och Hörsel"),
            _only(Validity.NO_LIMIT, None, "Underlag ska finnas och utredas via enheten Syn, Döv och Hörsel."),
        ),
        Code(
            "21",
            _("Barndomsdöv och/eller teckenspråkig"),
            _("utreds via enheten Syn, Döv och Hörsel"),
            _only(Validity.NO_LIMIT, None, "Underlag ska finnas och utredas via enheten Syn, Döv och Hörsel."),
        ),
        Code(
            "22",
            _("Hörselskada"),
            _("utreds via enheten Syn, Döv och Hörsel"),
            _only(Validity.NO_LIMIT, None, "Underlag ska finnas och utredas via enheten Syn, Döv och Hörsel."),
        ),
    ]
}

# Lazy, so each reader sees the label in her language (an f-string here froze it in Swedish at import).
CODE_CHOICES = [(c.code, format_lazy("{} {}", c.code, c.label)) for c in CODES.values()]
SUB_KIND_CHOICES = [("", _("Ej aktuellt"))] + [(s.key, s.label) for c in CODES.values() if c.needs_sub_kind for s in c.sub_kinds]


class Source(StrEnum):
    MEDICAL_CERTIFICATE = "lakarintyg"
    PSYCHOLOGIST = "psykologutlatande"
    INVESTIGATION = "utredning"
    SPECIAL_SCHOOL = "sarskola"
    SOCIAL_CONSULTANT = "socialkonsulent"
    PRISON_SERVICE = "kriminalvarden"
    SYN_DOV_HORSEL = "syn_dov_horsel"
    OTHER = "annat"


SOURCE_LABELS = {
    Source.MEDICAL_CERTIFICATE: _("Läkarintyg"),
    Source.PSYCHOLOGIST: _("Psykologutlåtande"),
    Source.INVESTIGATION: _("Utredning (t.ex. neuropsykiatrisk)"),
    Source.SPECIAL_SCHOOL: _("Underlag från särskola"),
    Source.SOCIAL_CONSULTANT: _("Utredning av socialkonsulent på Arbetsförmedlingen"),
    Source.PRISON_SERVICE: _("Utredning via Kriminalvården"),
    Source.SYN_DOV_HORSEL: _("Utredning via enheten Syn, Döv och Hörsel"),
    Source.OTHER: _("Annat underlag"),
}
SOURCE_CHOICES = [(s.value, label) for s, label in SOURCE_LABELS.items()]


def valid_until(code: str, sub_kind: str, documented_on: datetime.date) -> datetime.date | None:
    """Last day the documentation counts; None when it never expires (permanent or no limit)."""
    rule = CODES[code].sub_kind(sub_kind)
    if rule is None:
        raise KeyError(f"{code}/{sub_kind}")
    if rule.validity != Validity.MONTHS or rule.months is None:
        return None
    return add_months(documented_on, rule.months)


def is_expired(code: str, sub_kind: str, documented_on: datetime.date, on: datetime.date) -> bool:
    until = valid_until(code, sub_kind, documented_on)
    return until is not None and on > until


def validity_text(code: str, sub_kind: str) -> str:
    """Swedish, for the page: what the rule is."""
    rule = CODES[code].sub_kind(sub_kind)
    if rule is None:
        return ""
    if rule.validity == Validity.PERMANENT:
        return str(_("Permanent: nya underlag behövs inte"))
    if rule.validity == Validity.NO_LIMIT:
        return str(_("Underlag ska finnas; ingen tidsgräns"))
    return str(_("Underlaget gäller i %(months)s månader") % {"months": rule.months})


def check(code: str, sub_kind: str, documented_on: datetime.date | None, source: str, today: datetime.date) -> dict[str, str]:
    """Field errors in Swedish for a registration; empty when it may be saved."""
    errors: dict[str, str] = {}
    entry = CODES.get(code)
    if entry is None:
        errors["code"] = str(
            _("Koden %(code)s finns inte i checklistan. Välj en av koderna 43, 92, 61, 11, 71, 82, 51, 91, 33, 21 eller 22.")
            % {"code": code or "–"}
        )
    elif entry.needs_sub_kind and entry.sub_kind(sub_kind) is None:
        errors["sub_kind"] = str(
            _("Kod %(code)s kräver att du anger vilken sort: %(kinds)s.")
            % {"code": code, "kinds": ", ".join(str(s.label) for s in entry.sub_kinds)}
        )
    elif not entry.needs_sub_kind and sub_kind:
        errors["sub_kind"] = str(_("Kod %(code)s har ingen undertyp. Lämna fältet tomt.") % {"code": code})
    if documented_on is None:
        errors["documented_on"] = str(_("Ange underlagets datum."))
    elif documented_on > today:
        errors["documented_on"] = str(_("Underlagets datum kan inte vara i framtiden."))
    if source not in {s.value for s in Source}:
        errors["source"] = str(_("Välj vilket slags underlag det är."))
    return errors


# Health data (GDPR art. 9): the participant's own coach, and the OSA officer of the person's
# home district (core.capabilities, ADR 0013; disabilities.access applies it per person).
CAPABILITIES: dict[str, dict[str, str]] = {
    # The pages and API are opened with "people.reach"; this row is asked per person, so a
    # refusal is audited against the person (a 403 with a relation, a 404 without).
    "read": {Role.COACH: OWN, Role.OSA_OFFICER: HOME_DISTRICT},
}
