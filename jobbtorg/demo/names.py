"""Name lists for synthetic people, grouped by origin so first and last names fit together.

Stockholm is diverse and the Jobbtorg's participants more so: about a third of
the city's residents were born abroad or have two parents who were, and in
Järva, Skärholmen and parts of the south most participants do. The lists hold
common names in Sweden today (Swedish ones after Statistics Sweden's name
statistics; the others common among people from the countries most
represented among the city's newly arrived and long-settled residents).
Weights are rough relative frequencies, for realism only.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Names that belong together; `weight` is the origin's share among non-Swedish names."""

    key: str
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]


SWEDISH = Origin(
    key="swedish",
    weight=0,
    female=(
        "Anna", "Eva", "Maria", "Karin", "Sara", "Kristina", "Lena", "Emma", "Kerstin", "Marie",
        "Malin", "Ingrid", "Hanna", "Linda", "Elin", "Sofia", "Annika", "Susanne", "Jenny", "Johanna",
        "Elisabeth", "Julia", "Ida", "Monica", "Helena", "Camilla", "Frida", "Emelie", "Amanda", "Matilda",
        "Ebba", "Alice", "Maja", "Elsa", "Wilma", "Ella", "Moa", "Klara", "Linnea", "Lisa",
        "Josefin", "Therese", "Caroline", "Jessica", "Madeleine", "Sandra", "Petra", "Ulrika", "Åsa", "Birgitta",
    ),
    male=(
        "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Mikael", "Jan", "Hans",
        "Peter", "Olof", "Fredrik", "Daniel", "Andreas", "Stefan", "Magnus", "Mattias", "Jonas", "Niklas",
        "Alexander", "Marcus", "Martin", "Henrik", "Patrik", "David", "Simon", "Oscar", "Viktor", "Emil",
        "Gustav", "Filip", "Anton", "Axel", "Ludvig", "Hugo", "William", "Elias", "Isak", "Oliver",
        "Lucas", "Jakob", "Sebastian", "Robin", "Tobias", "Joakim", "Kristoffer", "Thomas", "Björn", "Göran",
    ),
    last=(
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
        "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
        "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg",
        "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
        "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Danielsson",
        "Håkansson", "Eklund", "Lundin", "Gunnarsson", "Holm", "Samuelsson", "Björk", "Fransson",
        "Bergman", "Nyström", "Holmberg", "Arvidsson", "Löfgren", "Söderberg", "Nyberg", "Blomqvist",
        "Claesson", "Nordström", "Mårtensson", "Lundström", "Åberg", "Ekström", "Hedlund", "Sundberg",
    ),
)

FOREIGN = (
    Origin(
        key="somali",
        weight=14,
        female=("Hodan", "Fadumo", "Sahra", "Amina", "Ayan", "Ifrah", "Hawa", "Nasra", "Khadija", "Asma",
                "Sagal", "Hibo", "Deqa", "Farhiya", "Muna"),
        male=("Abdi", "Abdullahi", "Abdirahman", "Mohamed", "Ahmed", "Hassan", "Omar", "Yusuf", "Ali", "Mahad",
              "Liban", "Guled", "Farah", "Hamza", "Said"),
        last=("Mohamed", "Ahmed", "Ali", "Hassan", "Abdi", "Omar", "Warsame", "Farah", "Osman", "Jama",
              "Nur", "Abdullahi", "Ismail", "Aden", "Hussein", "Egal"),
    ),
    Origin(
        key="arabic",
        weight=20,
        female=("Fatima", "Mariam", "Aisha", "Zainab", "Hanan", "Nour", "Rania", "Leila", "Yasmin", "Samira",
                "Dalia", "Amal", "Huda", "Lina", "Rana", "Malak", "Salma", "Noor"),
        male=("Mohammed", "Ahmad", "Ali", "Omar", "Khalid", "Mustafa", "Ibrahim", "Mahmoud", "Karim", "Yousef",
              "Hussein", "Bilal", "Jamal", "Tariq", "Sami", "Hamza", "Adam", "Zakaria"),
        last=("Haddad", "Khalil", "Saleh", "Mahmoud", "Hussein", "Ibrahim", "Hassan", "Abbas", "Yousef", "Aziz",
              "Said", "Nasser", "Khoury", "Mansour", "Rashid", "Othman", "Al-Ali", "Jaber"),
    ),
    Origin(
        key="syriac",
        weight=5,
        female=("Maryam", "Sara", "Rima", "Nahrin", "Ninve", "Sanharib", "Shamiram", "Ilona"),
        male=("Gabriel", "Yakoub", "Ninos", "Aram", "Sargon", "Elias", "Daniel", "Fadi"),
        last=("Gabriel", "Yakoub", "Aydin", "Isik", "Barsom", "Shabo", "Hanna", "Kourie", "Malke", "Baho"),
    ),
    Origin(
        key="persian",
        weight=10,
        female=("Shirin", "Parisa", "Maryam", "Roya", "Narges", "Mina", "Leyla", "Nazanin", "Sima", "Azadeh",
                "Fereshteh", "Zahra"),
        male=("Reza", "Mehdi", "Amir", "Hamid", "Dariush", "Arash", "Behrouz", "Kaveh", "Saeed", "Morteza",
              "Farhad", "Babak"),
        last=("Rahimi", "Hosseini", "Mohammadi", "Ahmadi", "Karimi", "Rezaei", "Jafari", "Moradi", "Hashemi",
              "Sadeghi", "Azizi", "Ghorbani"),
    ),
    Origin(
        key="afghan",
        weight=6,
        female=("Fariba", "Mursal", "Hosai", "Marzia", "Shabnam", "Farzana", "Nilofar", "Mahbooba"),
        male=("Mohammad", "Ahmad", "Hamid", "Jawad", "Mustafa", "Sohrab", "Naveed", "Ali"),
        last=("Ahmadi", "Rezai", "Hakimi", "Sultani", "Noori", "Popal", "Safi", "Sharifi", "Haidari"),
    ),
    Origin(
        key="kurdish",
        weight=6,
        female=("Rojda", "Dilan", "Berivan", "Avin", "Hêvî", "Rozerin", "Zilan", "Shilan"),
        male=("Rebin", "Kawa", "Baran", "Aram", "Dilshad", "Serhat", "Rêbaz", "Shwan"),
        last=("Kaya", "Rashid", "Ahmed", "Mustafa", "Abdullah", "Hama", "Amin", "Barzani", "Karim"),
    ),
    Origin(
        key="turkish",
        weight=7,
        female=("Elif", "Ayşe", "Zeynep", "Merve", "Fatma", "Emine", "Büşra", "Sevda", "Gülay", "Derya"),
        male=("Mehmet", "Mustafa", "Ahmet", "Emre", "Murat", "Hasan", "Hüseyin", "Burak", "Can", "Yusuf"),
        last=("Yilmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Yıldız", "Arslan", "Doğan"),
    ),
    Origin(
        key="eritrean",
        weight=8,
        female=("Rahel", "Senait", "Helen", "Selam", "Mebrat", "Saba", "Hiwet", "Almaz", "Tsega", "Winta"),
        male=("Yonas", "Dawit", "Samuel", "Tesfaye", "Berhane", "Yohannes", "Amanuel", "Filmon", "Kidane", "Mehari"),
        last=("Tesfaye", "Gebremedhin", "Haile", "Kidane", "Berhane", "Tekle", "Ghebreyesus", "Asfaha", "Woldu",
              "Habte"),
    ),
    Origin(
        key="balkan",
        weight=6,
        female=("Amra", "Lejla", "Emina", "Anela", "Jelena", "Milica", "Ana", "Selma", "Dragana", "Vesna"),
        male=("Emir", "Adnan", "Haris", "Edin", "Amer", "Dragan", "Milan", "Goran", "Nikola", "Zoran"),
        last=("Hadžić", "Kovačević", "Hodžić", "Petrović", "Jovanović", "Begić", "Mehmedović", "Nikolić",
              "Marković", "Delić"),
    ),
    Origin(
        key="polish",
        weight=5,
        female=("Katarzyna", "Agnieszka", "Joanna", "Magdalena", "Anna", "Monika", "Ewa", "Małgorzata"),
        male=("Piotr", "Tomasz", "Krzysztof", "Marek", "Paweł", "Łukasz", "Michał", "Jakub"),
        last=("Nowak", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski"),
    ),
    Origin(
        key="latin",
        weight=5,
        female=("Carolina", "Daniela", "Gabriela", "Valentina", "Camila", "Paula", "María José", "Lucía"),
        male=("Juan", "Carlos", "José", "Diego", "Andrés", "Luis", "Jorge", "Felipe"),
        last=("González", "Rodríguez", "Fernández", "López", "Martínez", "Pérez", "Sánchez", "Ramírez", "Torres",
              "Rojas"),
    ),
    Origin(
        key="ukrainian",
        weight=4,
        female=("Olena", "Iryna", "Tetiana", "Nataliia", "Anastasiia", "Yuliia", "Oksana", "Kateryna"),
        male=("Oleksandr", "Dmytro", "Serhii", "Andrii", "Volodymyr", "Mykola", "Ivan", "Yurii"),
        last=("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko", "Koval"),
    ),
    Origin(
        key="finnish",
        weight=4,
        female=("Anneli", "Tuula", "Päivi", "Riikka", "Sanna", "Hanna-Leena", "Marjatta", "Tiina"),
        male=("Jukka", "Mikko", "Timo", "Pekka", "Juha", "Kari", "Matti", "Antti"),
        last=("Korhonen", "Virtanen", "Nieminen", "Mäkinen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen"),
    ),
)

# Share of participants with a name of non-Swedish origin, per district (approximate; demo only).
FOREIGN_NAME_SHARE = {
    "rinkeby-kista": 0.85,
    "spanga-tensta": 0.80,
    "skarholmen": 0.75,
    "hasselby-vallingby": 0.50,
    "farsta": 0.45,
    "enskede-arsta-vantor": 0.45,
    "enheten-for-hemlosa": 0.40,
    "skarpnack": 0.35,
    "hagersten-alvsjo": 0.35,
    "bromma": 0.25,
    "kungsholmen": 0.25,
    "norrmalm": 0.25,
    "sodermalm": 0.25,
    "ostermalm": 0.20,
}
DEFAULT_FOREIGN_NAME_SHARE = 0.4
