"""Who's who: the people a brief's passages name, each with the role the text gives them.

Rules over English news prose rather than a statistical tagger. A tagger finds names but not
roles, and roles are what a who's-who is for ("Russian Foreign Minister"); news prose states
them in a handful of fixed shapes that rules read exactly, and a rule that fires can be
explained to the desk. The shapes, each a piece of evidence that a capitalised run is a person:

* title + name: "Russian Foreign Minister Sergey Lavrov", "Deputy Speaker of the Federation
  Council Konstantin Kosachev", "Throgs Neck resident Michael Lopiano", "President Trump";
* role, then name after a comma: "Turkey's foreign minister, Hakan Fidan,";
* name, then role after a comma: "Hakan Fidan, Turkey's foreign minister,", "Jim Davis, who
  was a state senator"; an age ("Dennise Laboy, 55,") or a bare "who" also makes a person;
* attribution: "Jeff Miller said", "said Aubrey Woodard";
* an honorific: "Dr Anthony Fauci", "Mr Putin";
* a list with someone already known: "Elizabeth Warren, Bernie Sanders and Pete Buttigieg".

A bare capitalised pair with none of these ("pulling for Joe Biden") is left out: without a
gazetteer of given names it cannot be told from "North Carolina" or "Goldman Sachs", and a
wrong entry costs the desk more than a missing one. A surname alone is a person only after
a title ("President Trump") or an honorific. Later mentions by surname alone link their
passages to the person: the one with that surname introduced first in the same article,
else the first anywhere. Nothing here reads files or the network.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from briefing.model import Passage


@dataclass(frozen=True)
class Person:
    key: str
    """A slug of the full name: the same passages give the same key."""
    name: str
    role: str
    """The longest role the text gave them ("" when none)."""
    passages: tuple[str, ...]
    """Ids of the passages naming them (full name or surname), in input order."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that head a role: before a name ("Minister Lavrov"), after "a"/"the" in an
# apposition ("the ministry's spokeswoman"). Compared in lower case, without a final dot.
_ROLE_HEADS = _words(
    """
    president president-elect vice-president premier minister secretary secretary-general
    undersecretary under-secretary chancellor governor governor-general gov mayor senator sen
    representative rep congressman congresswoman congressmember councilman councilwoman
    councilmember councillor councilor alderman alderwoman assemblyman assemblywoman
    assemblymember lawmaker legislator mp mep speaker chairman chairwoman chairperson chair
    vice-chairman vice-chair aide adviser advisor ambassador envoy consul diplomat emissary
    spokesman spokeswoman spokesperson judge justice magistrate prosecutor attorney lawyer
    counsel solicitor barrister rabbi reverend rev pastor priest vicar bishop archbishop pope
    cardinal imam cleric ayatollah patriarch metropolitan mufti king queen prince princess emir
    sultan sheikh monarch lord lady baron baroness duke duchess general gen colonel col
    lieutenant lt major maj captain capt admiral adm commander cmdr commander-in-chief sergeant
    sgt corporal officer detective inspector superintendent supt constable sheriff marshal
    chief director director-general commissioner administrator coordinator head leader founder
    co-founder cofounder executive ceo cfo coo cto manager treasurer comptroller auditor
    registrar clerk ombudsman professor prof lecturer dean principal provost rector researcher
    scientist economist analyst strategist historian expert editor correspondent reporter
    journalist columnist commentator anchor host co-host presenter writer author novelist poet
    artist actor actress singer musician filmmaker photographer activist campaigner organizer
    organiser supporter volunteer candidate nominee challenger incumbent contender member
    official staffer employee worker resident citizen student teacher doctor physician nurse
    surgeon epidemiologist virologist engineer entrepreneur businessman businesswoman
    billionaire millionaire investor banker owner farmer pilot soldier veteran negotiator
    mediator delegate deputy assistant coach player striker goalkeeper referee athlete
    champion boss elder warden fellow partner consultant counsellor counselor lobbyist
    politician statesman stateswoman ally rival opponent successor predecessor wife husband
    son daughter brother sister mother father grandson granddaughter grandfather grandmother
    nephew niece uncle aunt cousin widow widower spouse fiancé fiancée son-in-law
    daughter-in-law father-in-law mother-in-law brother-in-law sister-in-law friend colleague
    ringleader suspect defendant victim witness plaintiff
    survivor detainee prisoner inmate hostage taoiseach tánaiste supervisor
    """
)
"""Role nouns. Roles of organisations ("producer", "lender", "operator") are left out on
purpose: "Gazprom, the gas producer," must not make Gazprom a person."""

_TITLES = _words(
    """
    president president-elect vice-president premier minister secretary chancellor governor gov
    mayor senator sen representative rep congressman congresswoman councilman councilwoman
    councillor councilor alderman assemblyman assemblywoman speaker chairman chairwoman
    ambassador envoy judge justice rabbi reverend rev pastor father bishop archbishop pope
    cardinal imam ayatollah patriarch king queen prince princess emir sultan sheikh lord lady
    baron baroness duke duchess general gen colonel col lieutenant lt major maj captain capt
    admiral adm commander cmdr sergeant sgt corporal detective inspector superintendent supt
    constable sheriff marshal commissioner professor prof taoiseach tánaiste director chief
    leader counsel administrator prosecutor coach
    """
)
"""Role words that stand before a surname alone ("President Trump", "Judge Montoya-Lewis");
the other role nouns need a full name after them ("writer Sheri Berman", not "Author
Contributions")."""

_ROLE_SUFFIXES = ("ist", "man", "woman", "person", "ian")
"""Endings of role nouns not listed ("physicist", "chairman", "politician")."""

_HONORIFICS = _words(
    "mr mrs ms miss mx dr drs hon honourable honorable rt sir dame messrs mme mlle"
)
"""Marks of a person that are no role: "Dr the Rt. Hon. Keith Mitchell" has none."""

_ABBREVIATIONS = _words(
    "rep sen gov lt gen col capt maj adm cmdr sgt rev prof supt dr mr mrs ms hon rt st jr sr "
    "messrs amb atty dept no vs"
)
"""Words whose following dot ends no sentence."""

_EXPAND = {
    "Rep.": "Representative",
    "Sen.": "Senator",
    "Gov.": "Governor",
    "Lt.": "Lieutenant",
    "Gen.": "General",
    "Col.": "Colonel",
    "Capt.": "Captain",
    "Maj.": "Major",
    "Adm.": "Admiral",
    "Cmdr.": "Commander",
    "Sgt.": "Sergeant",
    "Rev.": "Reverend",
    "Prof.": "Professor",
    "Supt.": "Superintendent",
    "Amb.": "Ambassador",
    "Atty.": "Attorney",
    "Dept.": "Department",
}
"""A brief is read by people outside the trade: "Rep." is spelled out in a role."""

_MODIFIERS = _words(
    """
    former ex then-former acting interim deputy vice first second chief senior junior top lead
    principal executive general managing assistant associate outgoing incoming retiring
    longtime long-time veteran current new newly elected appointed designated presumptive
    prime foreign defense defence finance interior justice health education trade energy
    security tourism economy culture transport labour labor agriculture environment state city
    county district federal national regional local provincial municipal party campaign
    government presidential parliamentary congressional senior press political military
    police army navy law legal court senate house council committee white alleged
    suspected convicted
    """
)
"""Lower-case words that may stand in a role before its head ("former government minister",
"state Sen.", "University of the West Indies law lecturer")."""

_APPOSITION_LEADS = _words("now then once formerly himself herself also still currently")
"""Words that may open a role after a name: "Jim Davis, now a state senator"."""

_ADJECTIVAL = _words("major general lead")
"""Role words that after a comma are mostly adjectives: "Mark Rothko, major works"."""

_DETERMINERS = _words("the a an his her their its our my your this that these those")

_CONNECTORS = _words("of for in on")
"""Join a title to the body it belongs to: "Deputy Speaker of the Federation Council"."""

_PARTICLES = _words("de da di du del della der den van von ter ten la le bin ibn al el dos das abu")

_SAY = _words(
    """
    said says told added stated noted explained wrote tweeted argued insisted replied declared
    concluded warned stressed recalled announced confirmed admitted acknowledged asked answered
    """
)

_AUXILIARIES = _words(
    "is are was were be been being am has have had do does did will would shall should can "
    "could may might must"
)

_STOP = _words(
    """
    the a an this that these those it he she we they you i his her their our its my your in
    on at by for from with without after before during since until under over as if when while
    where what who whom whose which why how but and or nor so yet also then now here there
    today yesterday tomorrow tonight according meanwhile however although though because
    despite amid among between both each every all some many most more other another such no
    not only even just still already last next earlier later once again further thus therefore
    instead indeed perhaps maybe nevertheless nonetheless moreover besides otherwise overall
    finally ultimately currently recently previously sources officials asked speaking
    reached via by per re dear thanks please yes
    """
)
"""Capitalised function words: at a sentence start they are no part of a name or a title."""

_MONTHS = _words(
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DAYS = _words("monday tuesday wednesday thursday friday saturday sunday")

_ORG_WORDS = _words(
    """
    ministry department council committee commission parliament assembly congress senate house
    court party government administration office agency bureau service services authority
    board bank fund foundation institute institution university college school academy
    association union federation organization organisation corporation company corp inc ltd
    llc plc group holdings forum summit conference club society league alliance coalition
    movement front army navy force forces police guard command centre center hospital clinic
    church mosque temple cathedral museum library gallery theatre theater stadium airport
    station plant project program programme platform initiative network channel news times
    post journal herald tribune gazette daily weekly magazine review press media radio
    television caucus pac treasury cabinet kremlin pentagon embassy consulate mission
    delegation secretariat tribunal chamber duma rada knesset bundestag politburo presidium
    directorate division unit brigade battalion regiment corps fleet squadron exchange market
    markets index airlines airways railways motors oil gas power pipeline stream nuclear
    cooperation agreement treaty accord declaration memorandum deal act code constitution
    report inquiry investigation operation crisis war revolution games cup championship
    olympics award prize festival week era foreign defense defence finance interior health
    education tourism trade economy economic affairs home security energy agriculture transport
    labour labor culture environment commerce industry communications information development
    social public national federal central supreme international internal external human
    rights civil military intelligence emergency emergencies situations resources relations
    planning works housing welfare youth sports sport women family children veterans science
    technology research innovation digital climate water land mines mining fisheries forestry
    investment revenue customs immigration border migration correction corrections prisons
    business tea road roads bay gulf strait coast peninsula desert forest park square street
    avenue boulevard lane bridge tower building hall palace castle city town village county
    district province region state states republic kingdom empire territory territories
    oblast krai governorate prefecture canton municipality borough neighborhood neighbourhood
    heights hills hill point beach harbor harbour port links golf field fields gardens garden
    north south east west northern southern eastern western upper lower new los las san santa
    saint st united middle far near greater great island islands sea ocean river lake mountain
    mountains valley crown internet web online app bar pub restaurant cafe café hotel inn shop
    store stores mall salon spa studio studios system systems practice limited zone
    """
)
"""Words of organisations, places and events: a capitalised run holding one is no name."""

_NATIONS = _words(
    """
    russian turkish ukrainian american british english scottish welsh irish french german
    italian spanish portuguese dutch belgian swiss austrian polish czech slovak hungarian
    romanian bulgarian greek serbian croatian bosnian albanian swedish norwegian danish finnish
    estonian latvian lithuanian belarusian georgian armenian azerbaijani kazakh uzbek turkmen
    kyrgyz tajik mongolian chinese japanese korean taiwanese vietnamese thai indonesian
    malaysian filipino philippine indian pakistani afghan iranian iraqi syrian lebanese israeli
    palestinian jordanian saudi emirati qatari kuwaiti omani yemeni egyptian libyan tunisian
    algerian moroccan sudanese ethiopian kenyan nigerian ghanaian african canadian mexican
    cuban brazilian argentine argentinian chilean colombian venezuelan peruvian bolivian
    ecuadorian uruguayan paraguayan panamanian rican guatemalan honduran salvadoran nicaraguan
    haitian dominican jamaican barbadian grenadian trinidadian bahamian australian european
    asian arab soviet ottoman caribbean latin hispanic jewish muslim catholic orthodox sunni
    shia shiite kurdish native democratic republican democrat democrats republicans
    conservative liberal socialist communist independent presidential parliamentary
    congressional ministerial gubernatorial royal imperial islamic tory tories whig
    russia turkey ukraine america britain england scotland wales ireland france germany italy
    spain portugal netherlands holland belgium switzerland austria poland hungary romania
    bulgaria greece serbia croatia bosnia albania sweden norway denmark finland estonia latvia
    lithuania belarus armenia azerbaijan kazakhstan uzbekistan turkmenistan kyrgyzstan
    tajikistan mongolia china japan korea taiwan vietnam thailand indonesia malaysia
    philippines india pakistan afghanistan iran iraq syria lebanon israel palestine gaza saudi
    arabia emirates qatar kuwait oman yemen egypt libya tunisia algeria morocco sudan ethiopia
    kenya nigeria ghana africa canada mexico cuba brazil argentina chile colombia venezuela
    peru bolivia ecuador uruguay paraguay panama costa rica guatemala honduras salvador
    nicaragua haiti jamaica barbados grenada trinidad tobago bahamas australia zealand europe
    asia moscow ankara istanbul kyiv kiev washington london paris berlin beijing brussels
    tehran damascus baghdad jerusalem cairo riyadh doha dubai astana kazan antalya tokyo delhi
    minsk tbilisi baku yerevan warsaw vienna geneva rome madrid lisbon athens sochi crimea
    donbas donetsk luhansk kharkiv odesa odessa mariupol kherson zaporizhzhia caucasus
    balkans nato eu un alabama alaska arizona arkansas california colorado connecticut
    delaware florida hawaii idaho illinois indiana iowa kansas kentucky louisiana maine
    maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    hampshire jersey mexico carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee
    texas utah vermont wisconsin wyoming
    """
)
"""Nations, their adjectives, parties and some capitals: title words, never a name."""

_AMBIGUOUS = _words(
    "king judge bishop major marshal chancellor dean prince cardinal pope chief lord chair head "
    "fellow speaker sheriff clerk pastor priest warden constable justice mayor power hill "
    "street banks field fields park north west south law"
)
"""Both a title (or a place word) and a surname: "Gayle King", "John Major", "Judge Smith"."""

_SUFFIXES = _words("jr sr ii iii iv")

_COMMON_STARTS = _words("will may grace mark bill rich hope faith joy art guy frank sue pat")
"""Given names that are also words: at a sentence start they begin no name."""

_NOT_NAME = (
    _ROLE_HEADS | _HONORIFICS | _STOP | _MONTHS | _DAYS | _ORG_WORDS | _NATIONS | _MODIFIERS
) - _AMBIGUOUS

_QUOTES = frozenset("\"“”‘’'«»")
_TERMINATORS = frozenset(",.;:!?—–()[]") | _QUOTES
_CLAUSE_WORDS = _words("who which that whose whom where when while but said says told")
_PREPOSITIONS = _words("of in at for to from with on based by and")

_TOKEN_RX = re.compile(
    r"(?P<abbr>(?:[A-Z]\.)+[A-Z]\b\.?)"
    r"|(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
    r"|(?P<num>\d+(?:[.,:]\d+)*)"
    r"|(?P<punct>\S)"
)


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    kind: str
    """word, abbr (an acronym with dots: "U.S."), num or punct."""
    bare: str = ""
    """A word without its possessive 's."""
    low: str = ""
    cap: bool = False
    possessive: bool = False
    sent_start: bool = False


def _abbreviated(t: _Tok) -> bool:
    """A word whose following dot ends no sentence: "Rep.", "then-Rep.", an initial."""
    if t.kind != "word":
        return False
    return t.low.rsplit("-", 1)[-1] in _ABBREVIATIONS or (len(t.bare) == 1 and t.cap)


def _tokenise(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pending = True  # the next word starts a sentence
    for m in _TOKEN_RX.finditer(text):
        kind, word = m.lastgroup or "punct", m.group()
        if kind == "word":
            possessive = len(word) > 2 and word[-2:] in ("'s", "’s")
            bare = word[:-2] if possessive else word
            toks.append(
                _Tok(
                    word,
                    m.start(),
                    m.end(),
                    kind,
                    bare,
                    bare.lower(),
                    bare[0].isupper(),
                    possessive,
                    pending,
                )
            )
            pending = False
        elif kind == "abbr":
            bare = word.rstrip(".")
            toks.append(
                _Tok(word, m.start(), m.end(), kind, bare, bare.lower(), True, False, pending)
            )
            pending = False
        else:
            if kind == "punct":
                stop = word in ".!?…:" and not (toks and _abbreviated(toks[-1]))
                if stop or word in "“‘\"«'":  # speech opens with a capital too
                    pending = True
            toks.append(_Tok(word, m.start(), m.end(), kind))
    return toks


def _fold(text: str) -> str:
    """Case and diacritics do not make another person: "Erdoğan" is "Erdogan"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")


def _is_head(t: _Tok) -> bool:
    if t.kind == "abbr":
        return False
    low = t.low
    if low in _ROLE_HEADS:
        return True
    if "-" in low:
        parts = low.split("-")
        if parts[-1] in _ROLE_HEADS or (parts[-1] == "elect" and parts[-2] in _ROLE_HEADS):
            return True
    return False


def _is_role_noun(t: _Tok) -> bool:
    """An apposition's head: a listed role, or a word shaped like one ("physicist")."""
    if _is_head(t):
        return True
    if t.kind != "word" or t.cap or len(t.low) < 5:
        return False  # "Berman" ends like "chairman" but is a surname
    if t.low.endswith(_ROLE_SUFFIXES):
        return True  # "physicist", "chairman"
    # a compound ending in a role: "ghostwriter", "ringleader" (but not "ghost")
    return any(t.low[k:] in _ROLE_HEADS for k in range(3, len(t.low) - 4))


@dataclass
class _Text:
    """One passage, tokenised once, and which of its tokens could be part of a name."""

    passage: Passage
    order: int
    toks: list[_Tok]
    name_word: list[bool] = field(default_factory=list)


def _name_words(toks: list[_Tok], common: set[str]) -> list[bool]:
    """Which tokens could be part of a person's name (before any rule looks at them)."""
    n = len(toks)
    plain: list[bool] = []
    for i, t in enumerate(toks):
        ok = t.kind == "word" and t.cap and len(t.bare) > 1 and not t.bare.isupper()
        if ok and t.bare[:-1].isupper() and t.bare.endswith("s"):
            ok = False  # "MPs", "CEOs"
        if ok and t.low in _NOT_NAME:
            ok = False
        if ok and t.sent_start and (t.low in common or t.low in _COMMON_STARTS):
            ok = False
        if ok and "-" in t.low and _is_head(t):
            ok = False
        if ok and t.low == "may":  # the month: "On May 16", "in May"
            nxt = toks[i + 1] if i + 1 < n else None
            prv = toks[i - 1] if i else None
            if (nxt and nxt.kind == "num") or (prv and prv.low in _STOP | {"early", "late"}):
                ok = False
        plain.append(ok)
    # A title (or place word) that is also a surname is a name only after a given name, and
    # a title only when no name follows: "Gayle King", "Kanye West" yes; "King Charles",
    # "St. Louis Park Mayor Jake Spano" no.
    out = list(plain)
    for i, t in enumerate(toks):
        if t.kind == "word" and t.cap and t.low in _AMBIGUOUS and not t.bare.isupper():
            before = bool(i and plain[i - 1] and not t.sent_start)
            after = i + 1 < n and plain[i + 1] and t.low in _TITLES
            out[i] = before and not after
    return out


@dataclass
class _Run:
    """A maximal run of name words (with initials and particles inside): a candidate name."""

    first: int
    last: int  # inclusive token index
    words: tuple[str, ...]


def _runs(toks: list[_Tok], nw: list[bool]) -> list[_Run]:
    runs: list[_Run] = []
    i, n = 0, len(toks)
    while i < n:
        if not nw[i]:
            i += 1
            continue
        first, words, j = i, [toks[i].bare], i
        while not toks[j].possessive:
            k = j + 1
            if k < n and nw[k]:
                j = k
                words.append(toks[k].bare)
                continue
            # an initial: "Michael R. Bloomberg"
            if (
                k + 2 < n
                and toks[k].kind == "word"
                and len(toks[k].bare) == 1
                and toks[k].cap
                and toks[k + 1].text == "."
                and nw[k + 2]
            ):
                words.append(toks[k].bare + ".")
                words.append(toks[k + 2].bare)
                j = k + 2
                continue
            # a particle: "Bill de Blasio"
            if k + 1 < n and toks[k].low in _PARTICLES and not toks[k].cap and nw[k + 1]:
                words.append(toks[k].bare)
                words.append(toks[k + 1].bare)
                j = k + 1
                continue
            break
        # "Martin Luther King Jr."
        k = j + 1
        if k < n and toks[k].low in _SUFFIXES and toks[k].kind == "word":
            j = k + 1 if k + 1 < n and toks[k + 1].text == "." else k
        runs.append(_Run(first, j, tuple(words)))
        i = j + 1
    return runs


def _core(words: tuple[str, ...]) -> list[str]:
    """The words that count: no initials, particles or suffixes ("Walid Abu Hatab" and "Abu
    Hatab" are one person, as are "Bill de Blasio" and "De Blasio")."""
    return [
        w
        for k, w in enumerate(words)
        if not w.endswith(".")
        and w not in _PARTICLES
        and not (w.lower() in _PARTICLES - {"al", "el", "la"} and k < len(words) - 1)
        and w.lower().rstrip(".") not in _SUFFIXES
    ]


def _surname(words: tuple[str, ...]) -> str:
    core = _core(words)
    return core[-1] if core else words[-1]


def _clean_role(text: str) -> str:
    text = " ".join(text.split())
    text = text.strip(" ,;:—–-")
    while True:
        head, _, rest = text.partition(" ")
        if rest and head.lower() in _DETERMINERS:
            text = rest
            continue
        break
    # unbalanced quotes at either end
    for q_open, q_close in (("“", "”"), ('"', '"')):
        if text.startswith(q_open) and text.count(q_close) < (2 if q_open == q_close else 1):
            text = text[1:].lstrip()
        if text.endswith(q_close) and text.count(q_open) < (2 if q_open == q_close else 1):
            text = text[:-1].rstrip()
    for short, long in _EXPAND.items():
        text = re.sub(r"(?<![\w.])" + re.escape(short) + r"(?!\w)", long, text)
        text = re.sub(r"(?<=-)" + re.escape(short) + r"(?!\w)", long, text)
    return text.strip()


def _skip_honorifics(toks: list[_Tok], i: int) -> tuple[int, bool]:
    """Step left over "Dr the Rt. Hon." before a name: the index left of it, and whether
    there was an honorific."""
    found = False
    while i >= 0:
        t = toks[i]
        if t.text == "." and i and toks[i - 1].low in _HONORIFICS:
            i -= 1
            continue
        if t.kind == "word" and t.low in _HONORIFICS:
            found, i = True, i - 1
            continue
        if (
            found
            and t.kind == "word"
            and t.low in ("the", "most", "right")
            and i + 1 < len(toks)
            and toks[i + 1].low in _HONORIFICS | {"most", "right"}
        ):
            i -= 1
            continue
        break
    return i, found


def _quote_start(toks: list[_Tok], i: int) -> int | None:
    """The opening quote of a short quoted name closed at token `i`, or None when the quote
    closes a sentence of speech (a comma or stop inside, or too far)."""
    for k in range(i - 1, max(-1, i - 9), -1):
        t = toks[k]
        if t.text in _QUOTES:
            return k if k < i - 1 else None
        if t.text in ",.;:!?":
            return None
    return None


def _title_zone(toks: list[_Tok], end: int) -> tuple[int, int] | None:
    """The title ending at token `end` ("Russian Foreign Minister", "Deputy Speaker of the
    Federation Council"), as (first, last) token indices, or None when `end` ends none."""
    i = end
    while i >= 0:
        t = toks[i]
        if t.text == "." and i and _abbreviated(toks[i - 1]):
            i -= 1
            continue
        if t.kind == "abbr" or t.text in "()":
            i -= 1
            continue
        if t.text in _QUOTES:
            opening = _quote_start(toks, i)
            if opening is None:
                break
            i = opening - 1  # a quoted name inside a title: '"CBS This Morning" co-host'
            continue
        if t.kind != "word":
            break
        if t.low in _HONORIFICS:
            i -= 1
            continue
        if _is_head(t) or t.low in _MODIFIERS:
            i -= 1
            continue
        right = toks[i + 1] if i + 1 <= end else None
        left = toks[i - 1] if i else None
        if (
            not t.cap
            and right is not None
            and _is_head(right)
            and not right.cap
            and (
                left is None
                or left.possessive
                or left.low in _DETERMINERS | _STOP
                or (left.cap and left.kind == "word")
                or left.text in _TERMINATORS
            )
            and t.low not in _STOP | _SAY | _DETERMINERS | _CONNECTORS | _AUXILIARIES
            and not t.low.endswith(("ed", "ing"))
        ):
            # a noun before a role noun: "the BVI's port director", "Buttigieg campaign
            # organizer" (but not "the gracious welcome billionaire")
            i -= 1
            continue
        if t.cap:
            if t.low in _STOP or t.low in _MONTHS or t.low in _DAYS:
                break
            if t.sent_start and t.low.endswith(("ing", "ed", "ly")):
                break  # "Joining Foreign Minister…": a sentence's first word, not a title's
            i -= 1
            continue
        if "-" in t.low or t.possessive:
            i -= 1
            continue
        if t.low in _CONNECTORS and left is not None and right is not None:
            right_ok = right.cap or right.low == "the"
            if left.text == ")" and i >= 3:
                # "Chief Executive Officer (Acting) of the…"
                opening = next(
                    (k for k in range(i - 2, max(-1, i - 6), -1) if toks[k].text == "("), None
                )
                if opening and _is_head(toks[opening - 1]) and right_ok:
                    i -= 1
                    continue
            if (
                left.cap
                and left.kind == "word"
                and right_ok
                and (_is_head(left) or left.low in _ORG_WORDS | _NATIONS)
            ):
                i -= 1  # "Speaker of the Federation Council", not "Book of Hours of King"
                continue
        if t.low == "the" and left is not None and left.low in _CONNECTORS and right and right.cap:
            i -= 1
            continue
        if (
            t.low == "and"
            and left is not None
            and right is not None
            and _is_head(left)
            and (right.cap or _is_head(right))
        ):
            i -= 1  # "Prime Minister and Chairman of the OECS Authority"
            continue
        break
    first = i + 1
    # trim: leading words that are no part of a title, trailing honorifics
    while first <= end:
        t = toks[first]
        lead_word = t.kind == "word" and (
            t.low in _DETERMINERS | _CONNECTORS | _HONORIFICS | {"and", "most", "right"}
            or (t.cap and t.low in _STOP)
        )
        lone_quote = t.text in _QUOTES and not any(
            x.text in _QUOTES for x in toks[first + 1 : end + 1]
        )
        if not (lead_word or lone_quote or t.text == ")"):
            break
        first += 1
    last = end
    while last >= first:
        t = toks[last]
        honorific = t.low in _HONORIFICS or (
            t.text == "." and last > first and toks[last - 1].low in _HONORIFICS
        )
        if not (honorific or t.text in _QUOTES or t.text == "("):
            break
        last -= 1
    if last < first:
        return None
    zone = toks[first : last + 1]
    heads = [
        k
        for k, t in enumerate(zone)
        if t.kind == "word" and _is_head(t) and (t.cap or t.low not in _ADJECTIVAL)
    ]
    if not heads:
        return None  # none, or "a major Mark Rothko retrospective"
    tail = zone[heads[-1] + 1 :]
    if (
        tail
        and not any(t.low in _CONNECTORS for t in tail)
        and not all(t.text == "." for t in tail)
    ):
        return None  # "Minister Putin's ally" style: the title must end the zone
    return first, last


@dataclass
class _Mention:
    """One rule's finding: a name (and a role) at a place in one passage."""

    words: tuple[str, ...]
    role: str
    order: int
    """The passage's place in the input."""
    pos: int
    """The name's first token in the passage."""
    article: str


def _role_text(text: str, toks: list[_Tok], first: int, last: int) -> str:
    return _clean_role(text[toks[first].start : toks[last].end])


def _namelike(t: _Tok) -> bool:
    return t.kind == "word" and t.cap and not t.bare.isupper() and t.low not in _NOT_NAME


def _apposition(text: str, toks: list[_Tok], start: int) -> tuple[str, int] | None:
    """A role phrase starting at token `start` ("the ministry's spokeswoman"), up to the next
    comma or clause: the role and the index just past it, or None when it names no role."""
    n = len(toks)
    end = start
    while end < n:
        t = toks[end]
        if t.text == "." and end and _abbreviated(toks[end - 1]):
            end += 1
            continue
        if (
            t.text == ","
            and end + 1 < n
            and toks[end - 1].cap
            and toks[end + 1].cap
            and (end + 2 >= n or toks[end + 2].text in _TERMINATORS)
        ):
            end += 2  # "a rabbi based in Olympia, Washington."
            continue
        if t.text in _TERMINATORS or (t.kind == "word" and t.low in _CLAUSE_WORDS):
            break
        if (
            end > start
            and _is_role_noun(toks[end - 1])
            and not toks[end - 1].cap
            and end + 1 < n
            and all(_namelike(x) for x in toks[end : end + 2])
        ):
            break  # a list run together: "writer and teacher Cary Nelson"
        end += 1
    if end == start or end - start > 18:
        return None
    span = toks[start:end]
    lead = span[0]
    if not (
        lead.low in _DETERMINERS | _APPOSITION_LEADS
        or lead.possessive
        or _is_head(lead)
        or lead.low in _MODIFIERS
        or (lead.kind == "word" and "-" in lead.low and not lead.cap)
        or (len(span) > 1 and _is_role_noun(span[1]) and not lead.cap and lead.low not in _SAY)
    ):
        return None  # "Gerald Ford, pardoned his former boss": a verb, not a role
    # the head: the last word before the first preposition (or the end)
    words = [t for t in span if t.kind in ("word", "abbr")]
    head = None
    for k, t in enumerate(words):
        if k and t.low in _PREPOSITIONS:
            break
        head = t
    if head is None or not _is_role_noun(head) or (not head.cap and head.low in _ADJECTIVAL):
        return None
    role = _clean_role(text[toks[start].start : toks[end - 1].end])
    return (role, end) if role else None


def _apposition_before(text: str, toks: list[_Tok], comma: int) -> str | None:
    """A role phrase ending at the comma before a name: "a lawyer in attendance, Shannon
    Kilpatrick" (a title would have been read by `_title_zone`)."""
    for k in range(comma - 1, max(-1, comma - 13), -1):
        t = toks[k]
        if t.text in _TERMINATORS and not (t.text == "." and k and _abbreviated(toks[k - 1])):
            return None
        if t.kind == "word" and (t.low in _DETERMINERS or (t.possessive and not t.cap)):
            found = _apposition(text, toks, k)
            if found and found[1] == comma:
                return found[0]
    return None


def _last_two(toks: list[_Tok], nw: list[bool], run: _Run) -> _Run:
    """After "of" the first words of a long run end the title and the name is its last two:
    "Mayor of Bristol Marvin Rees", "CEO of Super Value Debra Symonette"."""
    starts = [k for k in range(run.first, run.last + 1) if nw[k]]
    start = starts[-2]
    mask = [ok and start <= k <= run.last for k, ok in enumerate(nw)]
    return next((r for r in _runs(toks, mask) if r.first == start), run)


def _surname_title(toks: list[_Tok], run: _Run, zone: tuple[int, int]) -> bool:
    """Whether a title makes the single word after it a surname: a title word ("Minister",
    not "Author") right before it, and no capitalised word after it ("Chief Financial
    Officer" has no Mr Financial)."""
    last = zone[1] - 1 if toks[zone[1]].text == "." else zone[1]
    t = toks[last]
    if t.low.rsplit("-", 1)[-1] not in _TITLES or not (t.cap or "-" in t.low):
        return False
    n = len(toks)
    nxt = toks[run.last + 1] if run.last + 1 < n else None
    if (
        nxt is not None
        and nxt.text == "."
        and run.last + 2 < n
        and toks[run.last + 2].kind == "num"
    ):
        return False  # a citation: "Annu Rev Med. 2015;66:439"
    return nxt is None or not (nxt.kind == "word" and nxt.cap)


def _known_part(toks: list[_Tok], first: int, last: int) -> int:
    """Where the title before a bare surname starts, leaving out capitalised words that are
    no title ("Leading Candidates To Replace Senator Harris" gives "Senator")."""
    k = last
    while k >= first:
        t = toks[k]
        known = (
            t.kind == "abbr"
            or t.text in ".()"
            or t.possessive
            or (
                t.kind == "word"
                and (
                    _is_head(t)
                    or t.low in _MODIFIERS | _ORG_WORDS | _NATIONS | _CONNECTORS | _HONORIFICS
                    or t.low in ("the", "and")
                )
            )
        )
        if not known:
            break
        k -= 1
    k += 1
    while k < last and toks[k].low in _CONNECTORS | {"the", "and"}:
        k += 1
    return k


_SMALL_WORDS = _words("a an the of to in on for and or at by as with from")


def _title_cased(toks: list[_Tok]) -> list[bool]:
    """Tokens in a stretch of title case ("How Major Hospitals are Already Using AI", "The
    Art of the Deal"): capitals there say nothing about names. A stretch is found by a
    function word capitalised mid-sentence, which prose never does."""
    n = len(toks)
    marked = [False] * n

    def capital(t: _Tok) -> bool:
        return t.kind in ("word", "abbr") and t.cap

    def inside(t: _Tok) -> bool:
        return capital(t) or (t.kind == "word" and t.low in _SMALL_WORDS | _AUXILIARIES)

    for k, t in enumerate(toks):
        if not (
            t.kind == "word"
            and t.cap
            and not t.sent_start
            and t.low in _STOP | _AUXILIARIES
            and t.low not in ("i", "may")
            and not t.bare.isupper()
            and not (k + 1 < n and toks[k + 1].low in _HONORIFICS | {"most"})
        ):
            continue
        lo = k
        while lo > 0 and inside(toks[lo - 1]):
            lo -= 1
        hi = k
        while hi + 1 < n and inside(toks[hi + 1]):
            hi += 1
        for j in range(lo, hi + 1):
            marked[j] = True
    return marked


def _mentions(item: _Text) -> list[_Mention]:
    """Every rule, over one passage."""
    toks, nw, text = item.toks, item.name_word, item.passage.text
    found: list[_Mention] = []
    n = len(toks)
    shouted = _title_cased(toks)
    for run in _runs(toks, nw):
        if (
            run.first >= 2
            and toks[run.first - 1].low in _CONNECTORS
            and toks[run.first - 2].cap
            and len(_core(run.words)) >= 3
        ):
            run = _last_two(toks, nw, run)
        core = _core(run.words)
        if not core or len(core) > 4 or shouted[run.first] or shouted[run.last]:
            continue
        full = len(core) >= 2
        roles: list[str] = []
        person = False
        # the title or honorific right before
        before, honorific = _skip_honorifics(toks, run.first - 1)
        if honorific:
            person = True
        if before >= 0:
            b = toks[before]
            if b.text == "," and full:
                # role, then name: "Turkey's foreign minister, Hakan Fidan"
                zone = _title_zone(toks, before - 1)
                if zone:
                    person = True
                    roles.append(_role_text(text, toks, *zone))
                else:
                    role = _apposition_before(text, toks, before)
                    if role:
                        person = True
                        roles.append(role)
            elif b.kind in ("word", "abbr") or b.text in ".)" or b.text in _QUOTES:
                zone = _title_zone(toks, before)
                if zone and full:
                    person = True
                    roles.append(_role_text(text, toks, *zone))
                elif zone and _surname_title(toks, run, zone) and not shouted[zone[1]]:
                    # a surname alone takes a title only: "President Trump", "Gov. Inslee";
                    # after a capitalised word mid-sentence the title is part of a heading
                    # or a name ("How Major Hospitals…", "The Princess Diaries", "Annu Rev")
                    known = _known_part(toks, *zone)
                    prev = toks[known - 1] if known else None
                    heading = (
                        prev is not None
                        and prev.kind == "word"
                        and prev.cap
                        and not prev.sent_start
                        and prev.low not in _DAYS | _MONTHS
                    )
                    if not heading:
                        person = True
                        roles.append(_role_text(text, toks, known, zone[1]))
        # what follows: a comma and a role, an age, "who", or a say verb
        after = run.last + 1
        if full and after < n:
            a = toks[after]
            if a.low == "who" or (a.text == "," and after + 1 < n):
                nxt = a if a.low == "who" else toks[after + 1]
                if nxt.kind == "num" and 0 < len(nxt.text) <= 3:
                    person = True
                elif nxt.low == "who":
                    person = True
                    k = after + 1 if a.low == "who" else after + 2
                    if k < n and toks[k].low in ("is", "was", "has", "had", "serves", "served"):
                        k += 1
                        if k < n and toks[k].low in ("been", "as"):
                            k += 1
                        found_role = _apposition(text, toks, k) if k < n else None
                        if found_role:
                            roles.append(found_role[0])
                else:
                    found_role = _apposition(text, toks, after + 1)
                    if found_role:
                        person = True
                        roles.append(found_role[0])
            elif a.text in "—–" and after + 1 < n:
                found_role = _apposition(text, toks, after + 1)
                if found_role:
                    person = True
                    roles.append(found_role[0])
            elif a.text == "(" and after + 1 < n and toks[after + 1].text == "@":
                person = True  # an embedded post's signature: "— Seth Goldstein (@Rabbi_360)"
            elif a.kind == "word" and a.low in _SAY:
                person = True
            if before >= 0 and toks[before].low in _SAY:
                prev = toks[before - 1] if before else None
                if prev is None or prev.text in _TERMINATORS or prev.text in _QUOTES:
                    person = True
        if person:
            found.append(
                _Mention(
                    run.words,
                    max(roles, key=_role_rank) if roles else "",
                    item.order,
                    run.first,
                    item.passage.article_id,
                )
            )
    return found


def _ident(words: tuple[str, ...]) -> tuple[str, str] | None:
    core = _core(words)
    return (_fold(core[0]), _fold(core[-1])) if len(core) >= 2 else None


def _coordinated(items: list[_Text], mentions: list[_Mention]) -> list[_Mention]:
    """Full names listed with a known person are people too: in "pulling for Elizabeth
    Warren, Bernie Sanders and Pete Buttigieg" one known name vouches for the others."""
    known = {i for m in mentions if (i := _ident(m.words))}
    found: list[_Mention] = []
    for item in items:
        toks = item.toks
        runs = [r for r in _runs(toks, item.name_word) if 2 <= len(_core(r.words)) <= 3]
        changed = True
        while changed:
            changed = False
            for a, b in itertools.pairwise(runs):
                between = [t.text.lower() for t in toks[a.last + 1 : b.first]]
                if not between or len(between) > 2 or not set(between) <= {",", "and", "or"}:
                    continue
                ia, ib = _ident(a.words), _ident(b.words)
                for have, new, run in ((ia, ib, b), (ib, ia, a)):
                    if have in known and new is not None and new not in known:
                        known.add(new)
                        found.append(
                            _Mention(run.words, "", item.order, run.first, item.passage.article_id)
                        )
                        changed = True
    return found


def _role_rank(role: str) -> tuple[int, int]:
    """The most specific role is the longest: "Russian Foreign Minister" over "Minister"."""
    return (len(role.split()), len(role))


@dataclass
class _Cluster:
    words: tuple[str, ...]
    first: tuple[int, int]
    roles: list[str] = field(default_factory=list)
    passages: set[int] = field(default_factory=set)
    articles: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Where the full name was first seen in each article."""
    spots: set[tuple[int, int]] = field(default_factory=set)
    """Every (passage, token) where the full name stands."""

    @property
    def surname(self) -> str:
        return _fold(_surname(self.words))


class _Aliases:
    """Spelling variants, mapped word by word and as whole names, case and accents aside."""

    def __init__(self, aliases: Mapping[str, str] | None) -> None:
        self.map = {_fold(k): v for k, v in (aliases or {}).items()}
        self.rx = (
            re.compile(
                r"(?<!\w)("
                + "|".join(re.escape(k) for k in sorted(aliases or {}, key=len, reverse=True))
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if aliases
            else None
        )

    def name(self, words: tuple[str, ...]) -> tuple[str, ...]:
        whole = self.map.get(_fold(" ".join(words)))
        if whole:
            return tuple(whole.split())
        return tuple(w2 for w in words for w2 in self.map.get(_fold(w), w).split())

    def text(self, text: str) -> str:
        if not self.rx:
            return text
        return self.rx.sub(lambda m: self.map.get(_fold(m.group()), m.group()), text)


def find_people(
    passages: Iterable[Passage], aliases: Mapping[str, str] | None = None
) -> list[Person]:
    """The people the passages name, in order of first mention, each with their longest role
    and every passage that names them (full name or surname)."""
    al = _Aliases(aliases)
    items = [_Text(p, k, _tokenise(p.text)) for k, p in enumerate(passages)]
    # Words seen in lower case somewhere: capitalised at a sentence start they are no name.
    common: set[str] = set()
    for item in items:
        common.update(t.low for t in item.toks if t.kind == "word" and not t.cap)
    for item in items:
        item.name_word = _name_words(item.toks, common)

    mentions = [m for item in items for m in _mentions(item)]
    mentions += _coordinated(items, mentions)
    for m in mentions:
        m.words = al.name(m.words)

    # Full names first: the same given name and surname is one person.
    clusters: dict[tuple[str, str], _Cluster] = {}
    singles: list[_Mention] = []
    for m in sorted(mentions, key=lambda m: (m.order, m.pos)):
        core = _core(m.words)
        if len(core) < 2:
            singles.append(m)
            continue
        ident = (_fold(core[0]), _fold(core[-1]))
        c = clusters.get(ident)
        if c is None:
            c = clusters[ident] = _Cluster(m.words, (m.order, m.pos))
        elif len(m.words) > len(c.words):
            c.words = m.words
        c.articles.setdefault(m.article, (m.order, m.pos))
        c.spots.add((m.order, m.pos))
        c.passages.add(m.order)
        if m.role:
            c.roles.append(m.role)

    by_surname: dict[str, list[_Cluster]] = {}
    for c in clusters.values():
        by_surname.setdefault(c.surname, []).append(c)

    def choose(surname: str, article: str, order: int, pos: int) -> _Cluster | None:
        """The person a bare surname means: the one named in full last before it in its
        passage ("Mark Meadows, a congressman, said… Meadows left"), else the one introduced
        first in its article, else the one introduced first anywhere."""
        cands = by_surname.get(surname)
        if not cands:
            return None
        before = [
            (max(p for o, p in c.spots if o == order and p < pos), k)
            for k, c in enumerate(cands)
            if any(o == order and p < pos for o, p in c.spots)
        ]
        if before:
            return cands[max(before)[1]]
        here = [c for c in cands if article in c.articles]
        if here:
            return min(here, key=lambda c: c.articles[article])
        return min(cands, key=lambda c: c.first)

    for m in singles:
        surname = _fold(_surname(m.words))
        c = choose(surname, m.article, m.order, m.pos)
        if c is None:
            c = _Cluster(m.words, (m.order, m.pos))
            by_surname[surname] = [c]
            clusters[("", surname)] = c
        c.passages.add(m.order)
        c.first = min(c.first, (m.order, m.pos))
        if m.role:
            c.roles.append(m.role)

    # Link every passage that names someone known, by full name or by surname alone.
    for item in items:
        toks = item.toks
        for run in _runs(toks, _link_words(toks)):
            words = al.name(run.words)
            core = _core(words)
            if not core:
                continue
            target = None
            if len(core) >= 2:
                target = clusters.get((_fold(core[0]), _fold(core[-1])))
                if target is not None:
                    target.spots.add((item.order, run.first))
            if target is None:
                # a surname alone, or a full name no rule vouched for ("Sergei Lavrov"
                # without the alias): the known person with that surname
                target = choose(_fold(core[-1]), item.passage.article_id, item.order, run.first)
            if target is not None:
                target.passages.add(item.order)
                target.first = min(target.first, (item.order, run.first))

    people: list[Person] = []
    ids = [item.passage.id for item in items]
    seen_keys: dict[str, int] = {}
    for c in sorted(clusters.values(), key=lambda c: c.first):
        name = " ".join(c.words)
        key = _slug(name) or "person"
        if key in seen_keys:  # two people whose full names fold alike: keep keys apart
            seen_keys[key] += 1
            key = f"{key}-{seen_keys[key]}"
        else:
            seen_keys[key] = 1
        role = al.text(max(c.roles, key=_role_rank)) if c.roles else ""
        people.append(
            Person(
                key=key,
                name=name,
                role=role,
                passages=tuple(dict.fromkeys(ids[k] for k in sorted(c.passages))),
            )
        )
    return people


def _link_words(toks: list[_Tok]) -> list[bool]:
    """Looser than `_name_words`: any capitalised word may be a surname mention once the
    person is known ("Fidan hopes", at a sentence start too)."""
    return [
        t.kind == "word"
        and t.cap
        and len(t.bare) > 1
        and not t.bare.isupper()
        and t.low not in _NOT_NAME
        for t in toks
    ]
