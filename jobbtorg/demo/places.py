"""Addresses and contact numbers for synthetic people.

Streets are real streets in each district (so the demo reads right), but
number and postal code are drawn at random and belong to nobody. Phone
numbers come from the series the Swedish Post and Telecom Authority (PTS)
keeps for fiction — 070-174 06 05…99 and 08-465 004 00…99 — so no real
subscriber is ever shown.
"""

# district code -> (post town, first three digits of the postal code, streets)
STREETS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "rinkeby-kista": ("Kista", "164", ("Kistagången", "Jyllandsgatan", "Edvard Griegsgången", "Sibeliusgången",
                                       "Rinkebystråket", "Trondheimsgatan", "Sveaborgsgatan")),
    "spanga-tensta": ("Spånga", "163", ("Tensta allé", "Hagaströmsvägen", "Elinsborgsbacken", "Sörgårdsvägen",
                                        "Spångavägen", "Glömstavägen")),
    "hasselby-vallingby": ("Vällingby", "162", ("Ångermannagatan", "Kirunagatan", "Grimstagatan",
                                                 "Loviselundsvägen", "Råckstavägen")),
    "bromma": ("Bromma", "168", ("Bergslagsvägen", "Drottningholmsvägen", "Ulvsundavägen", "Blackebergsvägen")),
    "kungsholmen": ("Stockholm", "112", ("Fleminggatan", "Hantverkargatan", "Sankt Eriksgatan", "Fridhemsgatan")),
    "norrmalm": ("Stockholm", "113", ("Odengatan", "Upplandsgatan", "Dalagatan", "Norrtullsgatan")),
    "ostermalm": ("Stockholm", "114", ("Karlavägen", "Linnégatan", "Valhallavägen", "Sibyllegatan")),
    "sodermalm": ("Stockholm", "118", ("Götgatan", "Hornsgatan", "Ringvägen", "Folkungagatan")),
    "enskede-arsta-vantor": ("Bandhagen", "124", ("Trollesundsvägen", "Harpsundsvägen", "Rågsvedsvägen",
                                                   "Årstavägen", "Nynäsvägen")),
    "skarpnack": ("Skarpnäck", "128", ("Skarpnäcks allé", "Pilotgatan", "Ljusnevägen", "Lagaplan")),
    "farsta": ("Farsta", "123", ("Farstagången", "Lingvägen", "Hökarängsplan", "Larsbodavägen")),
    "hagersten-alvsjo": ("Hägersten", "126", ("Hägerstensvägen", "Västertorpsvägen", "Sjöviksvägen", "Älvsjövägen")),
    "skarholmen": ("Skärholmen", "127", ("Skärholmsgången", "Bredängsvägen", "Vårbergsvägen", "Sätraängsvägen")),
}

# Enheten för hemlösa: people without a home address; post goes to the unit.
NO_ADDRESS_DISTRICTS = frozenset({"enheten-for-hemlosa"})

FICTION_MOBILE = [f"070-174 06 {n:02d}" for n in range(5, 100)]
FICTION_LANDLINE = [f"08-465 004 {n:02d}" for n in range(0, 100)]
EMAIL_DOMAIN = "example.com"  # reserved for examples (RFC 2606): mail never reaches anyone
