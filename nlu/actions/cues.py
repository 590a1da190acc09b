"""What the words around a place or a relative say about the writer, in the four languages.

A place named right after an event word ("na de aanslag in Zaventem", "after the attack in Zaventem")
is where something happened, not where the writer lives, unless the message says they live or work
there ("ik woon in Zaventem", "where we live", "j'y travaille"). A relative named with a possessive
("mijn neef", "ma petite-fille", "mein Sohn") tells the writer's role.

The lists are space-separated words, compared lower case and without accents ("nièce" is "niece",
"Brüder" is "bruder"); a hyphenated word stays whole, so "petite-fille" is not "fille".
"""

from __future__ import annotations

import re
import unicodedata

from referral_map.taxonomy import Role

# Something that happened somewhere, or where someone is held; a word containing one of these counts ("bomaanslag", "attentats").
EVENT_WORDS = {
    "nl": "aanslag aanval schietpartij steekpartij explosie ontploffing gijzeling rellen betoging gevangenis",
    "fr": "attentat attaque fusillade explosion emeute otage manifestation prison",
    "de": "anschlag angriff attentat schiesserei explosion amoklauf geiselnahme krawall gefangnis",
    "en": "attack bombing shooting stabbing explosion hostage demonstration prison jail",
}
# The writer lives or works at the place: "ik woon in X", "j'habite à X", "we work in X".
RESIDENCE_WORDS = {
    "nl": "woon woont wonen werk werkt werken verhuisd verhuizen",
    "fr": "habite habitons habitez habitent vis vit vivons travaille travaillons travaillent demenage demenages",
    "de": "wohne wohnt wohnen lebe lebt leben arbeite arbeitet arbeiten umgezogen",
    "en": "live lives living work works working moved",
}
# "well, Merelbeke actually", "nee, in Jette": a word that corrects what was said, next to a place.
CORRECTION_WORDS = {
    "nl": "eigenlijk eerder nee neen sorry pardon oei oeps",
    "fr": "fait plutot non pardon desole desolee enfin",
    "de": "eigentlich eher nein sorry pardon genauer",
    "en": "actually rather no sorry well",
}
CORRECTION_AFTER = 2  # "Merelbeke actually": how many words after a place are read
# "we wonen in X", "on habite à X": the words between a residence word and the place.
HOME_PREPOSITIONS = frozenset(["in", "te", "a", "au", "aux", "bij", "near"])
# "X, waar ik woon": one of these right after the place, then a residence word.
WHERE_WORDS = {"nl": "waar", "fr": "ou", "de": "wo", "en": "where"}
# "ik woon daar", "j'y habite", "we live there": one of these next to a residence word.
THERE_WORDS = {"nl": "daar er", "fr": "y", "de": "dort da", "en": "there"}
WINDOW = 5  # how many words before a place, in its sentence, are read

# A possessive, then at most one filler word or an age, then a relative: "mijn oudste zoon", "my 15-year-old son".
# The writer's own child makes them a parent; any other relative makes them family (docs/DESIGN.md section 2).
# "unclear" lists a filler and a relative that read two ways ("ma petite fille": a granddaughter without
# the hyphen, or a little daughter?); the form then asks.
RELATIVE_WORDS = {
    "nl": {
        "possessives": "mijn mn onze ons",
        "fillers": "oudste jongste oudere jongere kleine grote",
        "children": "zoon zoontje dochter dochtertje kind kindje kinderen stiefzoon stiefdochter pleegzoon pleegdochter pleegkind",
        "relatives": "neef neefje nicht nichtje kleinzoon kleindochter kleinkind kleinkinderen broer broertje zus zusje zuster oom tante man vrouw",
        "unclear": "",
    },
    "fr": {
        "possessives": "mon ma mes notre nos",
        "fillers": "grand grande petit petite petits aine ainee cadet cadette jeune",
        "children": "fils fille filles enfant enfants",
        "relatives": "neveu neveux niece nieces petit-fils petite-fille petits-enfants petit-enfant frere freres soeur soeurs cousin cousine oncle tante mari femme",
        "unclear": "petite fille, petit fils, petits enfants",
    },
    "de": {
        "possessives": "mein meine meinen meinem meiner unser unsere unseren unserem unserer",
        "fillers": "altere alteren alterer alteste altesten jungere jungeren jungerer jungste jungsten kleine kleinen kleiner grosse grossen grosser",
        "children": "sohn sohne tochter kind kinder stiefsohn stieftochter pflegekind pflegesohn pflegetochter",
        "relatives": "neffe neffen nichte nichten enkel enkelin enkelkind enkelkinder bruder schwester cousin cousine onkel tante mann frau",
        "unclear": "",
    },
    "en": {
        "possessives": "my our",
        "fillers": "eldest oldest youngest older younger little big baby teenage",
        "children": "son sons daughter daughters child children kid kids stepson stepdaughter",
        "relatives": "nephew nephews niece nieces grandson granddaughter grandchild grandchildren brother brothers sister sisters cousin uncle aunt husband wife",
        "unclear": "",
    },
}


def words(text: str) -> list[str]:
    """Lower case words without accents; apostrophes split ("j'habite"), hyphens join ("petite-fille")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("ß", "ss"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"\b([mz])['\u2019]n\b", r"\1ijn", plain)  # Dutch "m'n zoon", "z'n broer"
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", plain)


def _all(table: dict[str, str]) -> frozenset[str]:
    return frozenset(word for listed in table.values() for word in listed.split())


# Split once, on import: these are read on every turn of the form.
EVENTS, RESIDENCE, WHERE, THERE, CORRECTIONS = (
    _all(t) for t in (EVENT_WORDS, RESIDENCE_WORDS, WHERE_WORDS, THERE_WORDS, CORRECTION_WORDS)
)
RELATIVES = [
    (
        frozenset(lists["possessives"].split()),
        frozenset(lists["fillers"].split()),
        frozenset(lists["children"].split()),
        frozenset(lists["relatives"].split()),
        frozenset(phrase.strip() for phrase in lists["unclear"].split(",")),
    )
    for lists in RELATIVE_WORDS.values()
]


def _before(text: str, start: int) -> list[str]:
    """The last few words before `start`, within its sentence."""
    return words(re.split(r"[.!?;\n]", text[:start])[-1])[-WINDOW:]


def _after(text: str, end: int) -> list[str]:
    return words(re.split(r"[.!?;\n]", text[end:])[0])[:WINDOW]


def place_spans(text: str, place: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the place stands in the text: the entity's own spans and every other mention of its name."""
    found = set(spans)
    if place.strip():
        pattern = rf"(?<!\w){re.escape(place.strip())}(?!\w)"
        found |= {(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)}
    return sorted(found)


def names_an_event_place(text: str, spans: list[tuple[int, int]]) -> bool:
    """An event word stands shortly before the place: "na de aanslag in X", "après les attentats de X"."""
    return any(event in word for start, _ in spans for word in _before(text, start) for event in EVENTS)


def corrects_to(text: str, spans: list[tuple[int, int]]) -> bool:
    """A correcting word stands next to the place: "well, Merelbeke actually", "nee, Jette"."""
    return any(
        CORRECTIONS & {*_before(text, start)[-3:], *_after(text, end)[:CORRECTION_AFTER]}
        for start, end in spans
    )


def lives_there(text: str, spans: list[tuple[int, int]]) -> bool:
    """The writer says they live or work at the place: "ik woon in X", "X, where we live", "j'y habite"."""
    for start, end in spans:
        after = _after(text, end)
        if RESIDENCE & set(_before(text, start)):
            return True
        if after and after[0] in WHERE and RESIDENCE & set(after[1:4]):
            return True
    every = words(text)
    return any(
        word in RESIDENCE and THERE & set(every[max(0, i - 2) : i + 3]) for i, word in enumerate(every)
    )


# "ik ben de bomma van ...", "je suis sa tante", "I'm his mum": the writer names their own place in the family.
SELF_OPENINGS = {"nl": "ik ben", "fr": "je suis", "de": "ich bin", "en": "i am|im|i m"}
SELF_KIN_WORDS: dict[str, dict[Role, str]] = {
    "nl": {
        Role.PARENT: "mama moeder mams papa vader ma pa",
        Role.FAMILY: "bomma oma opa bompa grootmoeder grootvader meter peter tante oom nonkel zus broer nicht neef",
    },
    "fr": {
        Role.PARENT: "maman mere papa pere",
        Role.FAMILY: "grand-mere grand-pere mamie mamy papy papi tante oncle tonton soeur frere cousine cousin "
        "marraine parrain",
    },
    "de": {
        Role.PARENT: "mama mutter papa vater",
        Role.FAMILY: "oma opa grossmutter grossvater tante onkel schwester bruder cousine cousin patentante patenonkel",
    },
    "en": {
        Role.PARENT: "mum mom mother dad father",
        Role.FAMILY: "grandma grandmother granny nan grandpa grandfather aunt auntie uncle sister brother cousin "
        "godmother godfather",
    },
}
SELF_FILLERS = frozenset(
    [
        "de",
        "het",
        "la",
        "le",
        "l",
        "die",
        "der",
        "the",
        "a",
        "an",
        "een",
        "une",
        "un",
        "eine",
        "ein",
        "sa",
        "son",
        "zijn",
        "haar",
        "his",
        "her",
        "sein",
        "seine",
        "ihre",
        "ihr",
    ]
)
SELF_KIN = [
    (
        [phrase.split() for phrase in SELF_OPENINGS[language].split("|")],
        {role: frozenset(listed.split()) for role, listed in SELF_KIN_WORDS[language].items()},
    )
    for language in SELF_OPENINGS
]


def self_described_role(text: str) -> Role | None:
    """The writer's role when they say who they are in the family: "ik ben de bomma" -> family."""
    tokens = words(text)
    for openings, kin in SELF_KIN:
        for opening in openings:
            for i in range(len(tokens) - len(opening)):
                if tokens[i : i + len(opening)] != opening:
                    continue
                following = [
                    t for t in tokens[i + len(opening) : i + len(opening) + 3] if t not in SELF_FILLERS
                ]
                for role, nouns in kin.items():
                    if following and following[0] in nouns:
                        return role
    return None


def own_role(text: str) -> Role | None:
    """Parent or family as the writer says it: who they are, else the relatives they name."""
    return self_described_role(text) or relative_role(text)


# "ik werk in een moskee", "je travaille dans une maison de jeunes", "I work at the prevention department":
# a work word, then within a few words a workplace or a job; the first one found gives the role.
WORK_OPENINGS = {
    "nl": "ik werk|wij werken|we werken|ik ben actief",
    "fr": "je travaille|nous travaillons",
    "de": "ich arbeite|wir arbeiten",
    "en": "i work|we work",
}
# Words that by themselves say the writer teaches: "ik geef Nederlands in het 4de jaar", "mes élèves".
TEACHING = re.compile(
    r"\b(ik geef (\w+ )?(les|lessen|\w*les|nederlands|frans|engels|duits|wiskunde|geschiedenis|godsdienst|"
    r"islam|zedenleer|aardrijkskunde|biologie|chemie|fysica|muziek|turnen|lo)|ik onderwijs|mijn leerlingen|"
    r"j ?enseigne|je donne (des |le |un )?cours|mes eleves|ich unterrichte|ich gebe (\w+)?unterricht|"
    r"meine schuler(innen)?|meinen schuler(inne)?n|i teach|my (pupils|students))\b"
)
# "ik ben leerkracht", "je suis éducatrice", "I'm a youth worker": the job right after, a filler at most.
BEING_OPENINGS = {"nl": "ik ben", "fr": "je suis", "de": "ich bin", "en": "i am|im|i m"}
BEING_WINDOW = 3
WORKPLACES: dict[Role, str] = {
    Role.TEACHER: "school scholen klas leerkracht leraar lerares juf meester directeur directrice ecole college lycee "
    "athenee athénée classe prof professeur professeure enseignant enseignante institutrice instituteur schule "
    "klasse lehrer lehrerin schulleiter schulleiterin teacher teachers classroom headteacher pupils",
    # docs/DESIGN.md section 2: the role of imams, mosque boards and other faith leaders
    Role.IMAM: "moskee imam moskeebestuur mosquee mosquées moschee moscheeverein mosque pastor pastoor dominee "
    "priester pasteur pretre pfarrer priest rabbi rabbijn rabbin kerk parochie eglise paroisse kirche "
    "church parish synagoge synagogue",
    Role.YOUTH_WORKER: "jeugdhuis jeugdwerker jeugdwerk straathoekwerker jeugdhulp jeugdcentrum opvoeder "
    "animateur animatrice educateur educatrice amo mjc maison jugendtreff jugendhaus jugendarbeiter "
    "jugendarbeiterin streetworker sozialarbeiter sozialarbeiterin erzieher erzieherin youth club centre center",
    Role.PROFESSIONAL: "gemeente stad preventie preventiedienst politie ocmw cpas commune ville prevention police "
    "gemeinde stadt praevention polizei council city department municipality psycholoog psychologue psychologe "
    "psychologist huisarts medecin arzt doctor maatschappelijk assistant social",
}
WORK_WINDOW = 8
# Read as whole words only: "the pastoral lead at a secondary school" is no pastor.
WHOLE_WORDS_ONLY = frozenset(
    ["pastor", "pastoor", "pasteur", "priester", "pfarrer", "church", "parish", "rabbijn", "rabbin"]
)


def _work_nouns() -> list[tuple[Role, frozenset[str]]]:
    return [(role, frozenset(words(listed))) for role, listed in WORKPLACES.items()]


WORK_NOUNS = _work_nouns()
WORK_STARTS = [
    (phrase.split(), WORK_WINDOW) for table in WORK_OPENINGS.values() for phrase in table.split("|")
] + [(phrase.split(), BEING_WINDOW) for table in BEING_OPENINGS.values() for phrase in table.split("|")]


def work_role(text: str) -> Role | None:
    """The writer's role from where or as what they say they work: "je suis éducateur à l'AMO"."""
    tokens = words(text)
    for i in range(len(tokens)):
        for start, window in WORK_STARTS:
            if tokens[i : i + len(start)] != start:
                continue
            following = tokens[i + len(start) : i + len(start) + window]
            for word in following:
                parts = {word, *word.split("-")}  # "vrijwilliger-imam"
                for role, nouns in WORK_NOUNS:
                    # compounds: "jeugdhuiswerking", "Sekundarschule", "basisschool"
                    if parts & nouns or any(
                        word.startswith(noun) or word.endswith(noun)
                        for noun in nouns
                        if len(noun) >= 6 and noun not in WHOLE_WORDS_ONLY
                    ):
                        return role
    if TEACHING.search(" ".join(tokens)):
        return Role.TEACHER
    return introduced_as(tokens)


# "Bonjour, assistante sociale au CPAS.", "Juf hier.": a job title as the message's first word after a greeting.
GREETING_WORDS = frozenset(
    [
        "hallo",
        "hello",
        "hi",
        "hey",
        "dag",
        "goeiedag",
        "goedendag",
        "goeiemiddag",
        "goedemiddag",
        "goedenavond",
        "goeieavond",
        "beste",
        "bonjour",
        "bonsoir",
        "salut",
        "slt",
        "bjr",
        "guten",
        "tag",
        "abend",
        "morgen",
        "madame",
        "monsieur",
        "mevrouw",
        "meneer",
        "salam",
        "salaam",
        "alaykoum",
        "aleikum",
        "alaikum",
        "assalamu",
        "as",
        "assalam",
    ]
)
JOB_TITLES: dict[Role, str] = {
    Role.TEACHER: "leerkracht leraar lerares juf meester leerlingenbegeleider prof professeur professeure "
    "enseignant enseignante institutrice instituteur lehrer lehrerin schulleiter schulleiterin teacher",
    Role.IMAM: "imam pastor pastoor dominee priester pasteur pretre pfarrer priest rabbi",
    Role.YOUTH_WORKER: "jeugdwerker straathoekwerker opvoeder animateur animatrice educateur educatrice "
    "jugendarbeiter jugendarbeiterin streetworker sozialarbeiter sozialarbeiterin erzieher erzieherin",
    Role.PROFESSIONAL: "assistant assistante psycholoog psychologue psychologe psychologist huisarts medecin "
    "arzt doctor preventiewerker",
}
TITLES = [(role, frozenset(listed.split())) for role, listed in JOB_TITLES.items()]


def introduced_as(tokens: list[str]) -> Role | None:
    """The role of a job title that opens the message, greetings aside."""
    opening = next((token for token in tokens if token not in GREETING_WORDS), None)
    return next((role for role, titles in TITLES if opening in titles), None)


# "ik ben 15", "j'ai 16 ans", "ich bin 15", "im a student too, 19": a young person writing about themself.
YOUNG_SELF = re.compile(
    r"\b(?:ik ben|ben|ik word|j ai|jai|j'ai|ich bin|ich werde|i am|im|i'm|i m)"
    r"(?: (?:a|een|une?|ein|eine|nog|pas|maar|erst|just|only|too|also|student|studente|etudiante?|eleve|"
    r"schuler|schulerin|pupil|scholier|leerling))*,? (1[0-9]|2[0-5])\b(?! (?:kinder|kids|enfants|children))"
)
YOUNG_WINDOW_WORDS = 6


def young_self_role(text: str) -> Role | None:
    """A young person who gives their own age (10 to 25): "ik ben 15", "j'ai 16 ans", "I'm 19"."""
    plain = " ".join(words(text))
    return Role.YOUNG_PERSON if YOUNG_SELF.search(plain) else None


# "I prefer not to say", "dat zeg ik liever niet", "je préfère ne pas le dire": declining a question.
DECLINES = re.compile(
    r"\b(liever niet|liever nie|zeg ik niet|zeg ik nie|wil ik niet zeggen|prefere ne pas|prefere pas|je ne veux pas dire|"
    r"non plus|pas dire|lieber nicht|mochte ich nicht sagen|sage ich nicht|rather not|prefer not|"
    r"don'?t want to say|not saying|i'?d rather not)\b"
)


def declines(text: str) -> bool:
    """The message declines to answer: "dat zeg ik liever nie", "je préfère ne pas dire"."""
    return bool(DECLINES.search(" ".join(words(text))))


def relative_role(text: str) -> Role | None:
    """The writer's role from a relative they name: their own child makes them a parent, anyone else family."""
    tokens = words(text)
    roles: set[Role] = set()
    for possessives, fillers, children, relatives, unclear in RELATIVES:
        for i, token in enumerate(tokens):
            if token not in possessives:
                continue
            following = tokens[i + 1 : i + 3]
            first = following[0] if following else ""
            if len(following) == 2 and (following[0] in fillers or any(ch.isdigit() for ch in following[0])):
                if " ".join(following) in unclear:
                    continue
                following = following[1:]
            noun = following[0] if following else ""
            # "onze oudste, hij is 17": the eldest or youngest with no relative after it is a child
            eldest = first in ELDEST_OR_YOUNGEST and noun not in relatives
            if noun in children or eldest:
                roles.add(Role.PARENT)
            elif noun in relatives:
                roles.add(Role.FAMILY)
    if Role.PARENT in roles:
        return Role.PARENT
    return Role.FAMILY if roles else None


# "je précise: c'est pour avoir des outils", "eigenlijk gaat het mij nie zozeer om", "actually it's more about":
# the writer says what the situation is about, better than before.
RESTATING = re.compile(
    r"\b(het gaat (mij |me |ons )?(eerder|meer|vooral|nie zozeer|niet zozeer)|ik bedoel|"
    r"je precise|c est plutot|je veux dire|ce n est pas tant|"
    r"genauer gesagt|es geht (mir |uns )?(eher|mehr|vor allem|nicht so sehr)|ich meine|"
    r"it s more|its more|what i mean|i mean|to be clear|more about)\b"
)
RESTATING_WORDS = 12  # read in the first words of the message only
# Bare adverbs restate only as the message's first words: "eigenlijk ...", not "hij was eigenlijk lief".
RESTATING_OPENERS = re.compile(
    r"^((nee|non|nein|no|sorry|pardon|ok|oke|bon) )?(eigenlijk|en fait|eigentlich|actually)\b"
)


def restates(text: str) -> bool:
    """The message says again, better, what the situation is about ("je précise: ...", "eigenlijk ...")."""
    opening = " ".join(words(text)[:RESTATING_WORDS])
    return bool(RESTATING.search(opening) or RESTATING_OPENERS.search(opening))


# "vlucht naar Istanbul volgende week donderdag", "un billet pour samedi": a departure planned within days.
DEPARTURE = re.compile(
    r"\b(vlucht|vliegticket|ticket|tickets|boeking|geboekt|vertrekt|vertrekken|vliegt|paspoort|billet|billets|vol|"
    r"reservation|reserve|part|partir|passeport|flug|flugticket|buchung|gebucht|fliegt|abreisen|reisepass|"
    r"flight|booking|booked|leaves|leaving|flies|passport)\b"
)
SOON = re.compile(
    r"\b(volgende week|over (een|\d+|twee|drie) (dagen|week)|morgen|overmorgen|dit weekend|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"la semaine prochaine|dans (\d+|deux|trois) jours|demain|ce week ?end|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"nachste woche|in (\d+|zwei|drei) tagen|morgen|ubermorgen|am wochenende|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"next week|in (\d+|two|three) days|tomorrow|this weekend|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
PAST_DAY = re.compile(
    r"\b(vorige|verleden|dernier|derniere|letzten|letzte|last|gisteren|hier|gestern|yesterday)\b"
)


def departure_soon(text: str) -> bool:
    """A departure, a ticket or a passport, and a day within the coming week, in one sentence."""
    for sentence in re.split(r"[.!?;\n]", text):
        plain = " ".join(words(sentence))
        if DEPARTURE.search(plain) and SOON.search(plain) and not PAST_DAY.search(plain):
            return True
    return False


# "onze oudste", "mon aîné", "my eldest": a child named by their place among the children.
ELDEST_OR_YOUNGEST = frozenset(
    [
        "oudste",
        "jongste",
        "aine",
        "ainee",
        "cadet",
        "cadette",
        "alteste",
        "altester",
        "jungste",
        "jungster",
        "eldest",
        "youngest",
        "oldest",
    ]
)
