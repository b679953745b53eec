"""What the annotation counts as part of a person name, beyond what the network learns.

Two conventions that CoNLL-2003 follows, as do MUC and OntoNotes, and that the network
gets wrong because their examples are rare in training:

- Titles and role names are not part of the name: "Judge [Olga Lavrentyeva]",
  "King [Sihanouk]", "Foreign Minister [Jose Miguel Insulza]". The MUC-7 Named Entity
  Task Definition (N. Chinchor, 1997, section on PERSON) says: titles such as "Mr." and
  role names such as "President" are not considered part of a person name. The network
  learns the common ones ("President", "Minister": hundreds of times in eng.train) but
  not "Cardinal" or "Emperor" (never or once), so a rarer title next to a confident name
  is pulled into it. The list below is written by hand from general knowledge of English
  titles, not from errors on a test set. Occupations before a name are role names too
  ("Boxer [Mike Tyson]", "Singer [Taylor Swift]" at the start of a sentence); the network
  leaves most of them out, but not all.
- A regnal number is part of the name: "[Pope John Paul II]" in eng.train,
  "[Elizabeth I]". eng.train has six names that end in one, too few to learn.

- In text that shows case, every word of a name is capitalised or a particle of a name
  ("Vincent [van Gogh]", "[Abdul Karim al-Kabariti]", "[Kengo wa Dondo]"). Of the 6,494
  names in the sentences of eng.train that show case, 13 begin or end with a word in lower
  case, and all 13 are particles; of its 6,600 names, two have another lower-case word
  inside ("Saint of the Gutters", and "J immi Madsen", a typing error). The network now and
  then takes in a lower-case neighbour ("bowler Martin McCague", "Bernardin steadfastly")
  or runs two names together over the word between them ("Aidan Quinn portrays Harry
  Boland").

- Greetings and sign-offs are not part of a name: "Hi [Mark]", "Dear [Anna]",
  "Regards," alone is no name. News has almost none, so the network takes "Hi" before a
  name for a first name.

All are applied by :func:`ner_rnn.decode.conventions` after the network's decision.

One more is this tool's own, for people who find or remove people in social media: an
@-handle ("@AngelaMerkel", "@elonmusk") names its owner, so it is tagged as a name of its
own, unless it looks like an organisation's: an acronym in capitals ("@NASA", "@BBC"), a
handle with a word such as "news" or "times" in it ("@nytimes", "@BBCBreaking"), or (in a
model with word classes) a word of the language that is no name ("@Reuters", "@Google";
:meth:`ner_rnn.features.Features.common_words`). The network, trained on news without handles, cannot tell; the rule is
:func:`ner_rnn.decode.handles`, and ``handles=False`` (``--no-handles``) turns it off.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# compared in lower case; a title only leaves a name of two or more words, from its start.
# Not "Miss": it begins the names of horses and shows ("Miss Stamper" in eng.testa). The kin
# of chat ("Tell Grandpa [Joe] I said hi") and of religious orders ("Sister [Maureen]" in
# eng.train) are titles; not "Mother", as "[Mother Teresa]" is a name in eng.train.
TITLES = frozenset(
    """
    mr mrs ms mx dr doctor prof professor sir madam madame dame lord lady
    king queen prince princess emperor empress duke duchess baron baroness count countess earl
    sheikh sultan emir shah tsar czar crown
    pope cardinal archbishop bishop reverend rev father imam ayatollah rabbi patriarch
    president vice vice-president premier prime minister chancellor
    governor gov senator sen rep congressman congresswoman mayor ambassador secretary
    speaker chairman chairwoman chief commissioner
    judge justice magistrate prosecutor attorney
    general gen colonel col lieutenant lt major maj captain capt commander admiral adm
    sergeant sgt marshal brigadier brig corporal cpl private pvt spc cmdr
    coach inspector insp detective det superintendent supt hon honourable honorable fr
    brother sister uncle aunt auntie aunty grandpa grandma granny grandad granddad grandfather grandmother mom mum dad
    """.split()
) | frozenset(
    t + "."
    for t in "mr mrs ms dr prof rev gov sen rep gen col lt maj capt adm sgt brig cmdr cpl pvt spc hon fr supt insp "
    "det amb pres messrs mme mlle".split()
)

# occupations, which leave the start of a name as titles do ("Boxer Mike Tyson", "Singer
# Taylor Swift" at the start of a sentence or in a headline); compared in lower case. None
# of them begins a name in eng.train, 18 stand capitalised right before one. Not those that
# are also given names or begin names ("Wing", "Prop", "Forward", "Centre", "Rider").
ROLES = frozenset(
    """
    actor actress singer rapper comedian dancer pianist guitarist composer conductor
    novelist author writer poet playwright journalist reporter columnist photographer
    painter sculptor designer architect filmmaker producer director
    boxer striker midfielder defender goalkeeper winger quarterback pitcher batsman bowler
    spinner seamer jockey trainer cyclist golfer sprinter swimmer champion manager
    lawyer economist analyst historian philosopher astronaut chef
    businessman businesswoman tycoon billionaire entrepreneur activist dissident spokesman spokeswoman
    """.split()
)

# regnal numbers, written in capitals; "I" too, which is why only in text that shows case
REGNAL = frozenset("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI XXII XXIII".split())


# lower-case words that may be part of a name ("de", "van"; "al-Turabi", "el-Sayed"); in names of
# eng.train: de, van, der, den, della, dal, la, wa and al-...
PARTICLES = frozenset("de van von della da dal di du le la bin ibn ben do dos das del der den ter ten al el wa".split())
# particles that are English words too ("do"), which the network never takes for part of a
# name: one joins a name only between two parts already found ("[Edson Arantes] do [Nascimento]")
BETWEEN_PARTICLES = frozenset(["do"])


# the greetings and sign-offs of letters and e-mail, which the network, trained on news,
# takes for a first name before a name or alone ("Hi [Mark]", "Regards,"); compared in lower
# case, they leave the start of a name whatever its length. Not "Best" (a surname) nor "Kind".
# "Congrats [@SerenaWilliams]" as posts write it too.
GREETINGS = frozenset(
    "hi hello hey dear thanks cheers regards greetings sincerely yours congrats congratulations".split()
)


def is_greeting(word: str) -> bool:
    return word.lower() in GREETINGS


# the sign-offs of e-mail and letters, after which the sender's name ends the record:
# "Best, [Sofia]", "Kind regards, [Conor O'Sullivan] | Head of Operations". The network, trained
# on news, has no sign-offs to go by, and a name that is also a place ("Sofia", P(name) 0.01
# after "Best,") is left out; the last word before the comma, compared in lower case
SIGN_OFFS = frozenset("best regards thanks cheers sincerely yours wishes love again".split())
SIGN_OFF_PHRASE_WORDS = 3  # "Best", "Kind regards", "All the best" open the sentence, then the comma
SIGN_OFF_WORDS = frozenset([*SIGN_OFFS, *(w.title() for w in SIGN_OFFS)])
SIGNED_NAME_WORDS = 3  # at most this many capitalised words after the comma are the sender's name
SIGNATURE_ENDS = frozenset([".", "|", ",", "!"])  # what may follow the name: the end, a role, a firm


# the interjections and abbreviations of chat and posts, which a name typed in lower case may
# stand beside ("omg rachel and ben broke up", "love you jess lol"): never a word of a name in
# eng.train or the name lexicon, they leave the ends of one, compared in lower case
INTERJECTIONS = frozenset(
    """omg omfg lol lmao lmfao rofl haha hahaha hehe btw tbh idk imho smh fyi pls plz thx ugh
    wow yay yikes oops ok okay aww wtf yeah yep nope""".split()
)


# the offices of letters, contracts and signature blocks, which the network takes for a
# surname after a title ("Attention: General [Counsel]", "Jonathan R. Weiss, General
# [Counsel]"); none is a word of a person's name in eng.train or eng.testa, nor in the name
# lexicon, so they leave the ends of a name, as interjections do; compared in lower case.
# (The titles and roles, "Secretary", "Director", leave only the start of a name.)
OFFICES = frozenset(
    """counsel treasurer officer partner trustee controller comptroller auditor registrar
    solicitor barrister notary chairperson executive""".split()
)


NO_NAME_WORDS = INTERJECTIONS | OFFICES


# the contractions chat types without an apostrophe ("im at the gym with kofi"); as written, in
# lower case only ("Im" is a Korean surname); none is a word of a name in eng.train or eng.testa
CONTRACTIONS = frozenset(
    """im ive youre dont cant wont thats whats didnt isnt doesnt hes shes theyre wasnt gonna
    wanna gotta""".split()
)


def is_no_word_of_a_name(word: str) -> bool:
    """An interjection of chat (:data:`INTERJECTIONS`), an office (:data:`OFFICES`), or a
    contraction typed without its apostrophe, in lower case (:data:`CONTRACTIONS`)."""
    return word.lower() in NO_NAME_WORDS or word in CONTRACTIONS


# the titles that are never a name by themselves, as a letter's "Dear Sir or Madam" uses them;
# none is a one-word name in eng.train or eng.testa (where "King", "Shah" and "Sultan" are)
HONORIFICS = frozenset("mr mrs ms mx dr sir madam madame mr. mrs. ms. mx. dr.".split())


def is_honorific(word: str) -> bool:
    return word.lower() in HONORIFICS


# the prefixes of warships' and liners' names: the name after one is a ship's, even when it
# is a person's ("USS Dwight D. Eisenhower", "HMS Queen Elizabeth"; "RMS Titanic" is MISC in eng.testa)
SHIP_PREFIXES = frozenset("USS HMS HMAS HMCS HMNZS RMS".split())


# the words before a place's name ("Lake Victoria", "Mount McKinley", "Fort Bragg", "Cape
# Horn"): many places are named after people, and the name after one of these, with the word
# itself, is the place's; as written, capitalised or in capitals. In eng.train and eng.testa
# these words are only ever in places' names (26 tokens), never in a person's.
_PLACE_PREFIXES = "Mount Mt Mt. Lake Fort Cape".split()
PLACE_PREFIXES = frozenset(_PLACE_PREFIXES + [w.upper() for w in _PLACE_PREFIXES])


def is_place_prefix(word: str) -> bool:
    return word in PLACE_PREFIXES


# words that end the name of a place, a building, an event, a prize or a law named after a
# person ("Hoover Dam", "Kennedy Airport", "Nobel Prize", "Davis Cup", "Marshall Plan"): a
# name right before one, or ending in one, is that thing's and no person's. In eng.train and
# eng.testa no person name is followed by one of these words, and none but two ends in one
# ("Mind Games", a horse; "Domingo Hospital"), while other entities are followed by them 399
# times. Surnames that are such words as well are left out (Hall, Park, Field, Lane, Church,
# Temple, Castle, Day, Law, Island).
_FACILITIES = """
    Airport Bridge Dam Canal Tunnel Highway Expressway Freeway Parkway Boulevard Avenue Street Road Trail
    Station Terminal Circuit Raceway Speedway Stadium Arena Coliseum Pavilion Auditorium Theatre Theater
    Hospital Clinic University College School Academy Institute Seminary Conservatory Library Museum Gallery
    Observatory Zoo Gardens Garden Center Centre Plaza Mall Square Tower Towers Building Hotel Palace
    Cathedral Chapel Mosque Monument Memorial Prison Reservoir Glacier Peninsula Strait Crater Basin Desert
    Colony County Province District Foundation Prize Award Awards Medal Trophy Cup Fellowship Scholarship
    Lecture Lectures Festival Tournament Classic Open Invitational Championship Championships Games
    Act Amendment Plan Doctrine Syndrome Theorem Paradox Equation Principle Index
    Blvd Ave Rd Hwy Pkwy Expy Fwy
""".split()  # (and streets as addresses abbreviate them; none is in eng.train or eng.testa)
FACILITIES = frozenset(_FACILITIES + [w.upper() for w in _FACILITIES])

# A place in a postal address: a city, a comma, a US state and a ZIP code ("Charlotte, NC
# 28262", "Austin, Texas 78701"), as the notices of a contract and the signature of an
# e-mail write them; no person's name stands there (none in eng.train or eng.testa).
_STATE_NAMES = """
    Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho
    Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota
    Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah
    Vermont Virginia Washington Wisconsin Wyoming New Hampshire Jersey Mexico York North South Carolina
    Dakota West Rhode Island District Columbia
""".split()
_STATE_CODES = """
    AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND
    OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR
""".split()
STATES = frozenset(_STATE_NAMES + _STATE_CODES)  # words of a state's name, and its two-letter code
STATE_WORDS = 2  # at most this many words name a state in an address ("New York", "North Carolina")
_ZIP = re.compile(r"\d{5}(?:-\d{4})?")


def is_zip_code(word: str) -> bool:
    return _ZIP.fullmatch(word) is not None


def is_before_a_state(words: list[str], k: int) -> bool:
    """Whether ``words[k:]`` is a comma, a US state and a ZIP code: ", NC 28262", ", New York 10022"."""
    if k >= len(words) or words[k] != ",":
        return False
    j = k + 1
    while j < len(words) and j - k <= STATE_WORDS and words[j] in STATES:
        j += 1
    return k + 1 < j < len(words) and is_zip_code(words[j])


# Places that no person is named (ner_rnn/places.txt, written by scripts/make_places.py from
# GeoNames: countries, capitals, US states, continents, cities of half a million or more,
# less every word of a person name in eng.train and the common first names and surnames).
# A sentence alone that opens on one looks to the network like one on a name ("Bamako has a
# population of ...", "Bolivia is named after him": P(name) 0.79). In eng.train and
# eng.testa, 5,758 names of places, teams and other entities are one of these, and three
# person names (a "SAO PAULO" in capitals). Compared case-folded, word for word.
def _read_places() -> frozenset[str]:
    with open(Path(__file__).with_name("places.txt"), encoding="utf-8") as f:
        return frozenset(line.rstrip("\n").casefold() for line in f if line.strip() and not line.startswith("#"))


PLACES = _read_places()
PLACE_NAME_WORDS = frozenset(w for place in PLACES for w in place.split(" "))


def is_place(words: list[str]) -> bool:
    """Whether the words are, all together, the name of a place of :data:`PLACES`."""
    return " ".join(words).casefold() in PLACES


# The endings of the words for a people, a faith, a doctrine or its followers ("Albanians",
# "Christians", "Judaism", "Maoists", "Sandinistas", "Shiites"). In eng.train and eng.testa
# 117 capitalised words end so, none of them in a person name; a sentence alone that opens
# on one gave a name ("Judaism has a long history": P(name) 0.53). Not "-ist" or "-ian",
# which end surnames ("Lundqvist", "Khachaturian").
GROUP_ENDINGS = ("ism", "isms", "ists", "istas", "ians", "ites")


def is_group_word(word: str) -> bool:
    return word[:1].isupper() and word.lower().endswith(GROUP_ENDINGS)


# A batsman's line of a cricket scorecard: the batsman, how the wicket fell (caught by a
# fielder, stumped by the keeper, leg before, caught and bowled), the bowler, the runs:
# "M. Atherton c Rashid Latif b Waqar Younis 31", "G. Thorpe lbw b Mohammad Akram 54",
# "N. Knight c and b Mushtaq Ahmed 8", "D. Lehmann st Kaluwitharana b Chandana 2", and
# "J. Crawley not out 94". Each place names a person (see scorecard_names). So do the lines
# of the batsmen still to bat ("Did not bat : Dharmasena , Vaas , Muralitharan .") and of the
# bowlers' figures ("Bowling : Wasim Akram 29.2-9-83-3 , Waqar Younis 25-6-95-4").
FIELDED = frozenset(["c", "st"])  # caught, stumped: the fielder's name follows
NOT_BOWLED = (["not", "out"], ["run", "out"])  # a batsman's line without a bowler
TO_BAT = (["Did", "not", "bat"], ["To", "bat"], ["Yet", "to", "bat"])  # a list of names follows
BOWLING = "Bowling"  # "Bowling :", "Bowling ( to date ) :"; each bowler's figures follow the name
LIST_HEAD_WORDS = 6  # the words before the colon or dash: "Bowling ( to date ) :"
_FIGURES = re.compile(r"\d+(?:\.\d)?-\d+-\d+-\d+")  # overs-maidens-runs-wickets: "29.2-9-83-3"
SCORECARD_WORDS = frozenset(["b", "out", "bat", BOWLING])
SCORECARD_NAME_WORDS = 5  # at most this many words in each name of the line
_RUNS = re.compile(r"\d+\*?")  # the runs that end the line ("31", "94*")


def _is_name_run(words: list[str], start: int, end: int) -> bool:
    """May words[start:end] be a whole name: capitalised words, and particles before the
    last ("de Silva")?"""
    run = words[start:end]
    return (0 < len(run) <= SCORECARD_NAME_WORDS and run[-1][:1].isupper()
            and all(w[:1].isupper() or w in PARTICLES for w in run))  # fmt: skip


def _listed_names(words: list[str], start: int) -> list[tuple[int, int]]:
    """The names of a list from words[start] on, each ended by a comma, the figures of a
    bowler or the line's end (and its full stop); past the extras in brackets after the
    figures ("Streak 10-1-50-1 ( 2w , 2nb ) , Brandes 10-1-47-2")."""
    names, begin, k = [], start, start
    while k <= len(words):
        if k < len(words) and words[k] == "(":
            k = words.index(")", k) if ")" in words[k:] else len(words)
            begin = k + 1
        elif k == len(words) or words[k] in (",", ".") or _FIGURES.fullmatch(words[k]):
            if k > begin:
                names.append((begin, k))
            begin = k + 1
        k += 1
    return names


def _list_line_names(words: list[str]) -> list[tuple[int, int]] | None:
    """The names of a scorecard's line of batsmen to bat or of bowlers, or None for another line."""
    colon = next((k for k, w in enumerate(words[:LIST_HEAD_WORDS]) if w in (":", "-")), None)
    if colon is None:
        return None
    if words[:colon] in TO_BAT:
        return _listed_names(words, colon + 1)
    if words[:1] == [BOWLING] and (colon == 1 or words[1] == "(") and any(map(_FIGURES.fullmatch, words)):
        return _listed_names(words, colon + 1)
    return None


def scorecard_names(words: list[str]) -> list[tuple[int, int]]:
    """The names in a line of a cricket scorecard (a batsman's, those still to bat, the
    bowlers'), as (start, end) word ranges; [] for any other line. In eng.train and eng.testa,
    every name so found is a person's."""
    listed = _list_line_names(words)
    if listed is not None:
        return listed if listed and all(_is_name_run(words, start, stop) for start, stop in listed) else []
    if len(words) < 3 or not _RUNS.fullmatch(words[-1]):
        return []
    end = len(words) - 1
    if words[end - 2 : end] in NOT_BOWLED:
        names = [(0, end - 2)]
    elif "b" not in words[:end]:
        return []
    else:
        b = end - 1 - words[end - 1 :: -1].index("b")  # the last "b": the bowler follows
        if words[b - 1 : b] == ["lbw"]:
            names = [(0, b - 1)]
        elif words[b - 2 : b] == ["c", "and"]:
            names = [(0, b - 2)]
        else:
            fielded = [i for i in range(1, b) if words[i] in FIELDED]
            names = [(0, fielded[-1]), (fielded[-1] + 1, b)] if fielded else [(0, b)]
        names.append((b + 1, end))
    return names if all(_is_name_run(words, start, stop) for start, stop in names) else []


# Three kinds of line of sports results name a team where the network, which reads a
# capitalised word beside a person's name or a score as a surname, sees a person:
# - a row of a race's results: the rank, the driver or rider, the country in brackets, then the
#   team or the car and the time: "1. Gerhard Berger ( Austria ) Benetton 1:53.706",
#   "1. Alex Zanardi ( Italy ) , Reynard Honda , 53.980", "Wim Omloop ( Belgium ) Collstrop
#   same time". In eng.train 146 of the 149 runs after the brackets there are a team or a car
#   (ORG or MISC); the other three are annotation slips ("Damon Hill ( Britain ) Williams").
# - a side's score in a cricket report: one capitalised word, its runs ("326", "236-4"), then
#   the scorers in brackets or its other innings: "Durham 326 ( D. Cox 95 not out", "Sussex
#   389 and 112". In eng.train none of the 70 such words is a person's. Not a horse after its
#   rank, whose odds look like a score ("2. Eveningperformance 16-1 ( Chris Rutter )"): CoNLL
#   counts a horse as a person.
# - a line of match results, a team, its score, the other team and its score: "Boroughmuir 20
#   Hawick 23", "Obilic 2 Zeleznik ( B ) 0". In eng.train 939 of the 940 teams of such lines
#   are no person (the other, "Lotte", a baseball club, is an annotation slip).
RESULT_RANK = re.compile(r"\d+\.?")  # "1." as CoNLL writes it, "1" before the tokenizer's "."
RESULT_TIME = re.compile(r"\d[\d:.,]*")  # "53.980", "1:54.342", "4,800"
RESULT_TIME_WORDS = frozenset("same all one two three four five six seven eight nine ten".split())  # "same time"
RESULT_TEAM_WORDS = 4  # at most this many words name the team or the car ("Lola Ford Cosworth")
PLACE_BRACKET_WORDS = 3  # at most this many words in the brackets ("( South Africa )")
INNINGS = re.compile(r"\d+(?:-\d+)?")  # a side's runs, and its wickets down: "326", "236-4"
MAY_SCORE = re.compile(r" \d+(?:-\d+)? (?:\( [^\W\d_]|and \d)")  # a quick look, in C, for a score after a word
INNINGS_MARKS = frozenset(["(", "and"])  # a side's score comes before one of these


def _is_time(word: str) -> bool:
    return bool(RESULT_TIME.fullmatch(word)) or word in RESULT_TIME_WORDS


def _results_team(words: list[str]) -> tuple[int, int] | None:
    """The team or car in a row of a race's results, as a (start, end) word range."""
    if not words or not RESULT_RANK.fullmatch(words[0]):
        return None
    close = words.index(")") if ")" in words else -1
    if close < 0 or "(" not in words[max(0, close - PLACE_BRACKET_WORDS - 1) : close]:
        return None
    start = close + 1 + (words[close + 1 : close + 2] == [","])
    end = start
    while end < len(words) and end - start < RESULT_TEAM_WORDS and words[end][:1].isupper():
        end += 1
    after = end + (words[end : end + 1] == [","])
    if end == start or after >= len(words) or not _is_time(words[after]):
        return None
    return start, end


def _innings_sides(words: list[str]) -> list[tuple[int, int]]:
    """The sides before their scores in a line of a cricket report, as (start, end) ranges."""
    sides: list[tuple[int, int]] = []
    if not MAY_SCORE.search(" ".join(words)):
        return sides
    for k in range(len(words) - 3):
        if not words[k][:1].isupper() or (k and words[k - 1][:1].isupper()) or not INNINGS.fullmatch(words[k + 1]):
            continue
        if k and RESULT_RANK.fullmatch(words[0]) and all(w == "." for w in words[1:k]):
            continue  # a horse after its rank
        after, then = words[k + 2], words[k + 3]
        if (after == "(" and then[:1].isupper()) or (after == "and" and INNINGS.fullmatch(then)):
            sides.append((k, k + 1))
    return sides


_TEAM_JOINS = frozenset(["'s", "\u2019s", "(", ")", "&", "-"])  # "Heriot 's F.P.", "Zeleznik ( B )"


def _match_teams(words: list[str]) -> list[tuple[int, int]]:
    """The two teams of a line of match results ("Boroughmuir 20 Hawick 23")."""
    scores = [k for k, w in enumerate(words) if w.isdigit()]
    if len(scores) != 2 or scores[1] != len(words) - 1 or scores[0] in (0, scores[1] - 1):
        return []
    teams = [(0, scores[0]), (scores[0] + 1, scores[1])]
    for start, end in teams:
        if not words[start][:1].isupper() or not all(w[:1].isupper() or w in _TEAM_JOINS for w in words[start:end]):
            return []
    return teams


def team_names(words: list[str]) -> list[tuple[int, int]]:
    """The teams, cars and sides a line of sports results names where a person's name would
    stand, as (start, end) word ranges: none of them is a person."""
    if not words:
        return []
    team = _results_team(words)
    if team:
        return [team]
    return [*(_match_teams(words) if words[-1].isdigit() else ()), *_innings_sides(words)]


# "Looping in Hannah from legal", "Please loop in Rajesh Kumar": e-mail's way of adding a
# person to a thread. The network reads a capitalised word after "in" as a place (P(name)
# 0.00 for "Ingrid" there); eng.train and eng.testa have no "loop in". The capitalised words
# after it, at most LOOPED_IN_WORDS, are a name, unless they are in capitals or name a team
# ("Looping in Legal", "loop in HR", "Looping in Everyone": DEPARTMENTS, compared in lower case).
_LOOP = "loop loops looping looped".split()
LOOP_WORDS = frozenset(_LOOP + [w.title() for w in _LOOP] + [w.upper() for w in _LOOP])
LOOPED_IN_WORDS = 3
DEPARTMENTS = frozenset(
    """legal finance accounting accounts marketing sales procurement purchasing engineering support
    security compliance operations ops design product research payroll admin administration facilities
    it hr pr communications comms management leadership everyone all team teams staff counsel audit
    risk treasury tax logistics recruiting recruitment talent customer customers partners editorial
    """.split()
)

# the most common Korean surnames as English writes them; a Korean given name has two
# syllables, which English text often writes apart ("Kim Jong Un", "Moon Jae In"), where the
# training text writes them as one word ("Kim In-so", "Kang Young-hoon" in eng.testa)
KOREAN_SURNAMES = frozenset(
    """kim lee park choi jung chung kang cho yoon jang lim han oh seo shin kwon hwang ahn song
    yoo hong jeon ko moon yang son bae baek nam roh noh rhee ri pak chun ban bong byun heo hyun joo
    ryu sim woo yeo chae pyo kwak jun koo seong sung cha yu eom tak gil min jin""".split()
)


# the surnames as written capitalised, to find the sentences that have one at C speed
KOREAN_SURNAMES_WRITTEN = frozenset(w.title() for w in KOREAN_SURNAMES)
# a syllable of Korean romanised (Revised or McCune-Reischauer, without breves): an initial
# consonant, a vowel, a final consonant ("geun", "hye", "joon", "myung", "bak")
KOREAN_SYLLABLE = re.compile(
    r"(?:kk|tt|pp|ss|jj|ch|[gkndtrlmbpsjhyw])?(?:yae|yeo|wae|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|ou|[aeoui])"
    r"(?:ng|[kntlmp])?"
)


# English words of the shape of a Korean syllable, which lower-case text may put after a name
_ENGLISH_SYLLABLES = frozenset("at on in to up so no go do be me we he it an or oh yo ya ok um uh".split())


def is_korean_syllable_in_lower_case(word: str) -> bool:
    """Whether a lower-case word may be the second syllable of a Korean given name in text
    typed all in lower case ("kim jong un"; not "kim jong said", nor "kim jong at home")."""
    return KOREAN_SYLLABLE.fullmatch(word) is not None and word not in _ENGLISH_SYLLABLES


def is_korean_syllables(surname: str, syllable: str, after: str) -> bool:
    """Whether ``after`` is the second syllable of a Korean given name written apart, after a
    name of two words, ``surname`` and ``syllable`` ("Kim Jong" + "Un"): all three capitalised
    words, the syllables short."""
    return (
        surname.lower() in KOREAN_SURNAMES
        and syllable.isalpha() and after.isalpha()
        and len(syllable) <= 5 and 2 <= len(after) <= 4
        and syllable.istitle() and after.istitle() and surname[:1].isupper()
    )  # fmt: skip


# Chinese names in pinyin, surname first ("Zhou Enlai", "Zheng He", "Lao She"): the network,
# trained on 1996 news, often finds one of the two words and not the other, most of all when
# the given name is also an English word ("He", "She") or a single syllable ("Zhu Xi").
# The surnames are 125 common ones, a list written for this project; the syllables are the
# table of pinyin (ü as v), without tones.
CHINESE_SURNAMES = frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng
    liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye
    cheng wei su lv ding ren shen yao lu cui zhong tan fan liao shi jin jia xia fu fang zou
    xiong bai meng qin qiu hou yin xue yan duan lei long tao mao hao gu gong shao wan qian dai
    mo kong xiang chang wen ai lao lang kang niu hua bao zhan qi xi ji ke mi mu ni nie ou pang
    pei pu qu rao ruan shang shu si tong xing yi zhai zhuang zuo kuang ge guan geng bi""".split()
)
PINYIN = frozenset(
    """a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
    cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
    chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den
    deng di dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei
    fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui
    gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji
    jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng
    kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian
    liang liao lie lin ling liu long lou lu luan lun luo lv lve ma mai man mang mao me mei men
    meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
    niang niao nie nin ning niu nong nu nuan nuo nv nve o ou pa pai pan pang pao pei pen peng pi
    pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que
    qun ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng
    sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun
    shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong
    tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin
    xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za
    zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou
    zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo""".split()
)


CHINESE_SURNAMES_WRITTEN = frozenset(w.title() for w in CHINESE_SURNAMES)  # as written, found at C speed


def _is_pinyin(word: str, syllables: int) -> bool:
    """Whether ``word`` (lower case) is at most ``syllables`` pinyin syllables run together."""
    if not word:
        return True
    return syllables > 0 and any(
        word[:j] in PINYIN and _is_pinyin(word[j:], syllables - 1) for j in range(1, min(6, len(word)) + 1)
    )


def is_chinese_name(surname: str, given: str) -> bool:
    """Whether two capitalised words are a Chinese name in pinyin, surname first: a common
    surname, then a given name of one or two syllables, run together or joined by a hyphen
    ("Zhou Enlai", "Zheng He", "Chen Shui-bian"; not "Hong Kong", nor "Song Dynasty")."""
    if not (surname.isascii() and given.isascii() and surname.istitle() and surname.lower() in CHINESE_SURNAMES):
        return False
    first, _, second = given.partition("-")
    if not (first.istitle() and (not second or second.islower())):
        return False
    if second:
        return first.lower() in PINYIN and second in PINYIN
    return _is_pinyin(first.lower(), 2)


# Chinese surnames as Wade-Giles and Cantonese spell them, as Taiwan and Hong Kong write their
# names ("Chiang Kai-shek", "Tsai Ing-wen", "Chow Yun-fat"); a list written for this project
WADE_GILES_SURNAMES = frozenset(
    """chiang tsai lee chen hsu chang wu lin soong tung chow wong tsang lai sun kuo hsieh huang
    liu yang ma chu ho lau leung cheung chan tang yeung lam kwok fung tse siu yip tsui lo mak ng""".split()
)
# the surnames a hyphenated given name of two syllables may follow, as written
HYPHENATED_SURNAMES = KOREAN_SURNAMES_WRITTEN | CHINESE_SURNAMES_WRITTEN | frozenset(
    w.title() for w in WADE_GILES_SURNAMES
)

HYPHENATED_SURNAMES_LOWER = frozenset(w.lower() for w in HYPHENATED_SURNAMES)  # as text in lower case writes them


def is_hyphenated_name(surname: str, given: str) -> bool:
    """Whether two words are a Korean or Chinese name, surname first, with a given name of two
    syllables joined by a hyphen ("Park Geun-hye", "Ban Ki-moon", "Tsai Ing-wen", "Sun
    Yat-sen"; eng.testa writes "Kim In-so"), each syllable of the shape of a Korean one (an
    initial consonant, a vowel, a final consonant), which Wade-Giles and Cantonese spellings
    mostly have too. In eng.train and eng.testa such a pair is a person's name 5 times of 6,
    and the sixth is "Hwang Sun-ho", which the annotation splits."""
    first, _, second = given.partition("-")
    return (
        surname in HYPHENATED_SURNAMES
        and first.istitle() and second.islower()
        and KOREAN_SYLLABLE.fullmatch(first.lower()) is not None and KOREAN_SYLLABLE.fullmatch(second) is not None
    )  # fmt: skip


# Vietnamese names, surname first, three syllables as a rule ("Ho Chi Minh", "Vo Nguyen
# Giap", "Nguyen Tan Dung"), written with or without their diacritics: the network, trained on
# 1996 news, which has none, finds the given names and drops the surname ("Ho [Chi Minh]"), or
# the reverse ("[Nguyen] Tan Dung"). 32 common surnames (a list written for this project),
# and the shape of a syllable: an initial consonant, one to three vowels, a final consonant.
VIETNAMESE_SURNAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh trinh
    mai lam luong ha cao ta to doan thai lai kieu quach chu""".split()
)
_VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
# the surnames as written, with and without diacritics, to find the sentences that have one at C speed
VIETNAMESE_SURNAMES_WRITTEN = frozenset(
    [w.title() for w in VIETNAMESE_SURNAMES]
    + "Nguyễn Trần Lê Phạm Hoàng Huỳnh Võ Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Trương Đinh Trịnh Lâm Lương Hà Tạ Tô Đoàn".split()
)


# the surnames of the three rules above as written: a sentence without any is decided in C
EAST_ASIAN_SURNAMES = HYPHENATED_SURNAMES | VIETNAMESE_SURNAMES_WRITTEN


def _fold(word: str) -> str:
    """The word without its diacritics ("Nguyễn" -> "Nguyen", "Đỗ" -> "Do")."""
    word = word.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def is_vietnamese_syllable(word: str) -> bool:
    """A capitalised word with the shape of a Vietnamese syllable ("Chi", "Minh", "Giap"; not "Cruise")."""
    folded = _fold(word)
    return folded.isalpha() and folded.istitle() and _VIETNAMESE_SYLLABLE.fullmatch(folded.lower()) is not None


def is_vietnamese_surname(word: str) -> bool:
    return word in VIETNAMESE_SURNAMES_WRITTEN


# A name in its own script, in brackets right after the name in English, as encyclopedic
# text gives it: "Leo Tolstoy (Russian: Лев Николаевич Толстой)", "Shinzo Abe (安倍 晋三, Abe
# Shinzō)", "Moon Jae-in (Korean: 문재인; Hanja: 文在寅)"; or before them, "毛泽东 (Mao Zedong)".
# CoNLL-2003 is in ASCII and has none; a user's encyclopedic text has many.
OPENING_BRACKETS = frozenset("(（")
CLOSING_BRACKETS = frozenset(")）")
BRACKET_SEPARATORS = frozenset(";,；，、")  # between the parts of the brackets
LABEL_WORDS = 3  # at most this many words name a part's script or language ("Traditional Chinese:")
BRACKET_WORDS = 40  # the brackets are looked into up to this many words
_IN_A_WORD = frozenset("-'’·・‐")  # besides letters and their marks: "בן-גוריון"


def _is_latin(letter: str) -> bool:
    return unicodedata.name(letter, "").startswith("LATIN")


def is_in_other_script(word: str) -> bool:
    """A word in a script other than Latin: letters of it, their marks, and perhaps a hyphen
    or an apostrophe ("Путин", "毛泽东", "नरेन्द्र", "בן-גוריון"; not "Abe", "Shinzō", "1952")."""
    letters = 0
    for c in word:
        if c.isalpha():
            if _is_latin(c):
                return False
            letters += 1
        elif unicodedata.category(c)[0] != "M" and c not in _IN_A_WORD:
            return False
    return letters > 0


def is_label_word(word: str) -> bool:
    """A word of a label in the brackets, before its colon ("Russian", "Hanja", "chữ")."""
    return word.isalpha() and all(map(_is_latin, word))


def is_invisible(word: str) -> bool:
    """A token of format characters only: the left-to-right mark after an Arabic or Hebrew name."""
    return all(unicodedata.category(c) == "Cf" for c in word)


def after_label(words: list[str], j: int, end: int) -> int:
    """Where a part of the brackets that starts at ``words[j]`` begins after its label and
    colon, if it has one ("Russian :", "Traditional Chinese :"), up to ``end``; else ``j``."""
    k = j
    while k < end and k - j < LABEL_WORDS and is_label_word(words[k]):
        k += 1
    return k + 1 if j < k < end and words[k] == ":" else j


def names_in_own_script(words: list[str], opening: int) -> list[tuple[int, int, int]]:
    """The parts of the brackets that open at ``words[opening]`` that are a name in a script
    other than Latin: a run of such words (:func:`is_in_other_script`), perhaps after a label
    and a colon ("Russian :"), that is the whole part, up to ";", "," or the closing bracket.
    Parts in Latin letters are not ("born 1952", "pinyin : Máo Zédōng"). For each, where its
    label starts, where the name starts (after the colon) and where it ends."""
    found = []
    n, j = len(words), opening + 1
    end = min(n, opening + 1 + BRACKET_WORDS)
    while j < end:
        start = after_label(words, j, end)
        k = start
        while k < end and is_in_other_script(words[k]):
            k += 1
        stop = k
        while k < end and is_invisible(words[k]):
            k += 1
        if stop > start and k < end and (words[k] in BRACKET_SEPARATORS or words[k] in CLOSING_BRACKETS):
            found.append((j, start, stop))
        while k < end and words[k] not in BRACKET_SEPARATORS and words[k] not in CLOSING_BRACKETS:
            k += 1
        if k >= end or words[k] in CLOSING_BRACKETS:
            break
        j = k + 1
    return found


# what may stand before a title in one hyphenated word ("ex-president", "Deputy-Governor")
TITLE_PREFIXES = frozenset("ex deputy acting former".split())
FORMER = frozenset(("ex",))  # "ex-" before any role: "Ex-Yankee", "ex-Beatle"


def is_title(word: str) -> bool:
    """A title, or titles joined by hyphens ("Major-General", "Attorney-General", "ex-president"),
    or "ex-" before any role ("Ex-Yankee"), or an occupation (:data:`ROLES`).
    None of the 17 such words in eng.train is part of a name, ten stand right before one."""
    low = word.lower()
    if low in TITLES or low in ROLES:
        return True
    parts = low.split("-")
    if len(parts) > 1 and parts[0] in FORMER and parts[1]:  # a former role, whatever it was: "Ex-Yankee"
        return True
    return len(parts) > 1 and parts[-1] in TITLES and all(p in TITLES or p in TITLE_PREFIXES for p in parts[:-1])


# what follows the pronoun "I" and hardly ever a monarch's number: its clitics, first-person
# verb forms and the verbs and adverbs of chat and e-mail ("Tell Joe I said hi", "told Sarah
# I'd call"), where "Elizabeth I was crowned", "Charles I of England" keep theirs (in
# eng.train and eng.testa, "I" after a name is always a regnal number, followed by "born"
# and "became")
PRONOUN_NEXT = frozenset(
    """'m 'd 'll 've am do don't did didn't can can't cannot could couldn't will won't would
    wouldn't should shall must might may have said say think thought know knew guess hope want
    wanted need needed love loved like liked mean meant feel felt told asked saw got get just
    really also still never always""".split()
)


def is_regnal(word: str, next_word: str | None = None) -> bool:
    """A regnal number ("II", "XIV"); "I" only when the word after it is not one that follows
    the pronoun (:data:`PRONOUN_NEXT`)."""
    if word == "I" and next_word is not None and next_word.replace("\u2019", "'").lower() in PRONOUN_NEXT:
        return False
    return word in REGNAL


# the epithets of rulers and scholars written after "the" ("Catherine the Great", "Pliny the
# Elder"), part of the name as the number of "Henry VIII" is; written with a capital
EPITHETS = frozenset(
    """Great Terrible Conqueror Elder Younger Magnificent Lionheart Confessor Pious Navigator
    Lawgiver Unready Bold Wise""".split()
)


# Arabic articles and "son of", when tokenized text writes them apart from the name by a
# hyphen ("Hassan al - Turabi"; one token, "al-Turabi", in eng.train)
SPLIT_ARTICLES = frozenset("al el bin ibn".split())


def is_initial(word: str) -> bool:
    """A single capital letter, as an initial is when tokenized text splits off its dot ("E .")."""
    return len(word) == 1 and word.isupper()


_INITIALS = re.compile(r"(?:[A-Z]\.)+|[A-Z]|\.")


def is_initials(word: str) -> bool:
    """An initial with or without its dot, or a run of them ("E", "E.", "J.P."), or a dot: what
    no person name in eng.train or eng.testa is made of alone ("Option A. Then we left.")."""
    return _INITIALS.fullmatch(word) is not None


def is_particle(word: str) -> bool:
    return word in PARTICLES or word.startswith(("al-", "el-"))


def is_lower_word(word: str) -> bool:
    """A word in lower case that cannot be part of a name in text that shows case."""
    return word[:1].islower() and not is_particle(word)


# words in handles that organisations, not people, use ("@nytimes", "@BBCBreaking", "@CNNnews");
# none is found inside a common given name or surname
ORG_HANDLE_WORDS = (
    "news times daily press media radio club team store support breaking world weather police council ministry "
    "embassy"
).split()


def is_handle(word: str) -> bool:
    """An @-handle, as the tokenizer keeps it whole: "@" and a word with a letter."""
    body = word[1:].replace("_", "").replace(".", "")
    return word[:1] == "@" and body.isalnum() and not body.isdigit()


# the words a handle runs together by its capitals: an acronym before a word ("FC|Barcelona"),
# a word with "Mc"/"Mac" and its capital kept whole ("McDonalds"), a word, a run of capitals
_HANDLE_PART = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z])|(?:Ma?c)?[A-Z][a-z]+|[a-z]+|[A-Z]+")


def handle_parts(word: str) -> list[str]:
    """The words of a handle written in camel case ("@TheEconomist": "The", "Economist";
    "@FCBarcelona": "FC", "Barcelona"); the handle's body alone when its capitals mark no
    words, or it has more than letters ("@elonmusk", "@Reuters", "@jk_rowling")."""
    body = word[1:]
    parts = _HANDLE_PART.findall(body) if body.isalpha() else []
    return parts if len(parts) > 1 else [body]


_FUNCTION_WORDS = frozenset("of the for and at in on to".split())  # no name after a title in a handle


def is_titled_handle(parts: list[str]) -> bool:
    """Whether a handle's words (:func:`handle_parts`) are a title and a name, as officials
    and public figures write theirs ("@SpeakerPelosi", "@SenSchumer", "@DrBiden"): a
    person's, though its name may be a word of the language too."""
    return len(parts) >= 2 and is_title(parts[0]) and parts[1][:1].isupper() and parts[1].lower() not in _FUNCTION_WORDS


def is_person_handle(word: str) -> bool:
    """A handle that may be a person's: not an acronym in capitals, no organisation word."""
    body = word[1:]
    letters = "".join(c for c in body if c.isalpha())
    if letters.isupper() and len(letters) <= 6:
        return False
    low = body.lower()
    return not any(w in low for w in ORG_HANDLE_WORDS)
