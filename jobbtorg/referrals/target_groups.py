"""The target groups of DOMAIN §3 as data (seed 002 "Målgrupper", seed 001), loaded by
migration 0002 and editable in the admin afterwards. Codes are what a district
writes in the `målgrupper` column of a CSV import.
"""

# code, name, description, needs_conditions, is_job_guarantee, needs_consent
TARGET_GROUPS = [
    (
        "fs-arbetsloshet",
        "Försörjningsstöd på grund av arbetslöshet",
        "Uppbär försörjningsstöd på grund av arbetslöshet, står till arbetsmarknadens förfogande och är inskriven "
        "på Arbetsförmedlingen. Jobbgaranti: arbete eller utbildning erbjuds inom fem dagar.",
        False,
        True,
        False,
    ),
    (
        "fs-andra-skal",
        "Försörjningsstöd av andra skäl",
        "Uppbär försörjningsstöd av andra skäl än arbetslöshet där möjligheten att arbeta eller studera helt eller "
        "delvis ska prövas.",
        False,
        False,
        False,
    ),
    (
        "nybesok",
        "Nybesök för försörjningsstöd",
        "Ny sökande av försörjningsstöd där det finns anledning att utreda möjligheten att arbeta helt eller delvis.",
        False,
        False,
        False,
    ),
    (
        "sfi",
        "SFI-studerande",
        "Studerar svenska för invandrare och uppbär försörjningsstöd eller introduktionsersättning.",
        False,
        False,
        False,
    ),
    (
        "nyanlanda",
        "Nyanlända flyktingar och anhöriginvandrare",
        "Vuxna flyktingar och anhöriginvandrare där inte sjukdom eller andra tydliga skäl hindrar deltagande.",
        False,
        False,
        False,
    ),
    (
        "kaa",
        "Kommunala aktivitetsansvaret (KAA)",
        "Unga under 20 år som har gått ut grundskolan men inte går i eller har fullföljt gymnasieskolan.",
        False,
        False,
        False,
    ),
    (
        "uvas",
        "Unga som varken arbetar eller studerar (UVAS)",
        "Unga 20–29 år som varken arbetar eller studerar; prioriterad grupp som nås genom uppsökande arbete.",
        False,
        False,
        False,
    ),
    (
        "unga",
        "Unga 16–29 år",
        "Unga som behöver stöd till arbete eller studier, även Arbetsförmedlingens kunder upp till 29 år till Jobbtorg för unga.",
        False,
        False,
        False,
    ),
    (
        "kvinnor-svag-stallning",
        "Kvinnor med svag ställning på arbetsmarknaden",
        "Uppsökande målgrupp beslutad av kommunfullmäktige.",
        False,
        False,
        False,
    ),
    (
        "romsk-inkludering",
        "Romsk inkludering",
        "Uppsökande målgrupp enligt stadens strategi för romsk inkludering. Uppgiften avslöjar etniskt ursprung "
        "(känslig personuppgift) och registreras bara med personens samtycke.",
        False,
        False,
        True,
    ),
    (
        "ovriga",
        "Övriga utan försörjningsstöd",
        "Personer utan försörjningsstöd i kontakt med socialpsykiatri, LSS, missbruksvård eller sociala "
        "insatsgrupper. Bara om alla tre villkor är uppfyllda: en individuell bedömning visar behovet, "
        "Arbetsförmedlingen har inte kunnat erbjuda en lämplig insats och det finns ett biståndsbeslut enligt "
        "socialtjänstlagen.",
        True,
        False,
        False,
    ),
    (
        "finsam",
        "FINSAM eller överenskommelse med Arbetsförmedlingen",
        "Personer som omfattas av samordningsförbund (FINSAM) eller av överenskommelser med Arbetsförmedlingen.",
        False,
        False,
        False,
    ),
]


def load(apps: object) -> None:
    """Create or update the target groups; safe to run again."""
    TargetGroup = apps.get_model("referrals", "TargetGroup")  # type: ignore[attr-defined]
    for order, (code, name, description, conditions, guarantee, consent) in enumerate(TARGET_GROUPS, start=1):
        TargetGroup.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "needs_conditions": conditions,
                "is_job_guarantee": guarantee,
                "needs_consent": consent,
                "sort_order": order * 10,
            },
        )
