"""OSA's words (DOMAIN §10, seed 000 section 3): the parties, their menus of activities, the
grounds and the kinds of follow-up, with their Swedish labels.

Pure values that both osa.models (as field choices) and osa.rules (as decisions) use, so the
models need not import the rules (issue 9 item 5: layers enforced by import-linter).
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy


class Actor(StrEnum):
    AF = "af"
    DISTRICT = "district"
    JOBBTORG = "jobbtorg"
    WORKPLACE = "workplace"


ACTOR_LABELS = {
    Actor.AF: gettext_lazy("Arbetsförmedlingen"),
    Actor.DISTRICT: gettext_lazy("Stadsdelsförvaltningen/Enheten för hemlösa"),
    Actor.JOBBTORG: gettext_lazy("Jobbtorg Stockholm"),
    Actor.WORKPLACE: gettext_lazy("Arbetsplatsen"),
}
RESPONSIBLE_CHOICES = [(a.value, label) for a, label in ACTOR_LABELS.items()]

# Each actor's menu of activities for the implementation plan (seed 000: "insatser ... exempelvis").
MENU: dict[Actor, list[tuple[str, object]]] = {
    Actor.AF: [
        ("af_meetings", gettext_lazy("Personliga möten och stöd genom specialistfunktioner")),
        ("af_aids", gettext_lazy("Stöd till hjälpmedel på arbetsplatsen")),
        ("af_vision_hearing", gettext_lazy("Särskilda insatser för syn- och hörselskadade")),
        ("af_psychology", gettext_lazy("Arbetspsykologisk utredning")),
        ("af_competence", gettext_lazy("Kompetenshöjande insatser (Arbetsförmedlingen)")),
    ],
    Actor.DISTRICT: [
        ("district_budget", gettext_lazy("Budget- och skuldrådgivning")),
        ("district_support_team", gettext_lazy("Insatser från stödteam (t.ex. beroendeteam, relationsvåldsteam)")),
        ("district_competence", gettext_lazy("Kompetenshöjande insatser (stadsdelen)")),
        ("district_contact_person", gettext_lazy("Social kontaktperson")),
    ],
    Actor.JOBBTORG: [
        ("jobbtorg_competence", gettext_lazy("Kompetenshöjande insatser (Jobbtorg)")),
        ("jobbtorg_matching", gettext_lazy("Matchning till annat arbete")),
        ("jobbtorg_se", gettext_lazy("Supported employment (SE)")),
        ("jobbtorg_syv", gettext_lazy("Studie- och yrkesvägledning")),
        ("jobbtorg_language", gettext_lazy("Språkstödjande insatser")),
    ],
}
ACTIVITY_LABELS: dict[str, object] = {key: label for items in MENU.values() for key, label in items}
ACTIVITY_ACTOR: dict[str, Actor] = {key: actor for actor, items in MENU.items() for key, _label in items}
ACTIVITY_CHOICES = [(str(ACTOR_LABELS[actor]), [(key, label) for key, label in items]) for actor, items in MENU.items()]


class Ground(StrEnum):
    COGNITIVE_OR_ADDICTION = "cognitive_or_addiction"
    LSS = "lss"
    NO_CONTACT_OR_MENTAL_ILLNESS = "no_contact_or_mental_illness"


GROUND_LABELS = {
    Ground.COGNITIVE_OR_ADDICTION: gettext_lazy(
        "Kognitiv funktionsnedsättning eller nedsatt arbetsförmåga på grund av missbruks- eller beroendeproblematik"
    ),
    Ground.LSS: gettext_lazy("Berättigad till insatser enligt LSS (1993:387)"),
    Ground.NO_CONTACT_OR_MENTAL_ILLNESS: gettext_lazy(
        "Ingen tidigare kontakt med arbetslivet, eller lång frånvaro på grund av långvarig och svår psykisk sjukdom"
    ),
}


class FollowUpKind(StrEnum):
    FIRST_PERIOD_MEETING = "first_period_meeting"
    YEARLY_MEETING = "yearly_meeting"
    FINAL_MEETING = "final_meeting"


FOLLOW_UP_LABELS = {
    FollowUpKind.FIRST_PERIOD_MEETING: gettext_lazy("Gemensamt möte under första perioden (AF, stadsdel, den anställde)"),
    FollowUpKind.YEARLY_MEETING: gettext_lazy("Gemensam uppföljning minst en gång per år"),
    FollowUpKind.FINAL_MEETING: gettext_lazy("Gemensam uppföljning med alla parter inför anställningens slut"),
}


class CaseStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


CASE_STATUS_LABELS = {CaseStatus.ACTIVE: gettext_lazy("Pågår"), CaseStatus.ENDED: gettext_lazy("Avslutad")}


class EndReason(StrEnum):
    """Why an OSA employment ends. The seed's aim is a move to work on the open market (seed 000
    "Bakgrund och syfte": the parties work for the employee's move to another employment, e.g.
    through matching and study and vocational guidance); otherwise the decided time runs out or
    the employment ends early."""

    OTHER_EMPLOYMENT = "other_employment"
    STUDIES = "studies"
    PERIOD_ENDED = "period_ended"
    EMPLOYEE_LEFT = "employee_left"
    OTHER = "other"


END_REASON_LABELS = {
    EndReason.OTHER_EMPLOYMENT: gettext_lazy("Övergång till annan anställning"),
    EndReason.STUDIES: gettext_lazy("Övergång till studier"),
    EndReason.PERIOD_ENDED: gettext_lazy("Anställningstiden löpte ut utan förlängning"),
    EndReason.EMPLOYEE_LEFT: gettext_lazy("Den anställde avslutade anställningen"),
    EndReason.OTHER: gettext_lazy("Annat skäl"),
}
