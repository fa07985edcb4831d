"""Where a meeting took place (none for a call), what kind of meeting it was, and the
event it was held on the margins of."""

from __future__ import annotations

import re
from dataclasses import dataclass

from meetings.extraction.countries import find_countries
from meetings.extraction.text import Sentence

# Capitals and other cities where defence meetings are usually held, as "City:CC" separated
# by commas. The cities of the app's own meetings are added to these (Directory.country_of_city).
_CITIES = """
Nairobi:KE, Mombasa:KE, Nanyuki:KE, Kisumu:KE, Lamu:KE, Garissa:KE, Mandera:KE, Moyale:KE, Isiolo:KE,
Mogadishu:SO, Kismayo:SO, Baidoa:SO, Garowe:SO, Hargeisa:SO, Addis Ababa:ET, Dire Dawa:ET, Bahir Dar:ET,
Djibouti:DJ, Asmara:ER, Kampala:UG, Entebbe:UG, Jinja:UG, Dar es Salaam:TZ, Dodoma:TZ, Arusha:TZ,
Zanzibar:TZ, Kigali:RW, Bujumbura:BI, Gitega:BI, Juba:SS, Khartoum:SD, Port Sudan:SD, Kinshasa:CD,
Goma:CD, Cairo:EG, Abuja:NG, Lagos:NG, Accra:GH, Dakar:SN, Bamako:ML, Niamey:NE, Pretoria:ZA,
Johannesburg:ZA, Cape Town:ZA, Maputo:MZ, Lusaka:ZM, Harare:ZW, Lilongwe:MW, Luanda:AO, Rabat:MA,
Algiers:DZ, Tunis:TN, Tripoli:LY, London:GB, Portsmouth:GB, Plymouth:GB, Northwood:GB, Aldershot:GB,
Sandhurst:GB, Shrivenham:GB, Edinburgh:GB, Washington:US, Arlington:US, Tampa:US, Norfolk:US,
Honolulu:US, New York:US, Brussels:BE, Mons:BE, Paris:FR, Toulon:FR, Berlin:DE, Bonn:DE, Stuttgart:DE,
Ramstein:DE, Munich:DE, Rome:IT, Naples:IT, Madrid:ES, Lisbon:PT, The Hague:NL, Amsterdam:NL,
Copenhagen:DK, Oslo:NO, Stockholm:SE, Helsinki:FI, Warsaw:PL, Tallinn:EE, Riga:LV, Vilnius:LT, Kyiv:UA,
Kiev:UA, Moscow:RU, Prague:CZ, Bratislava:SK, Budapest:HU, Bucharest:RO, Sofia:BG, Athens:GR,
Dublin:IE, Ottawa:CA, Canberra:AU, Sydney:AU, Darwin:AU, Wellington:NZ, Tokyo:JP, Beijing:CN,
Seoul:KR, New Delhi:IN, Delhi:IN, Islamabad:PK, Manila:PH, Jakarta:ID, Kuala Lumpur:MY, Singapore:SG,
Bangkok:TH, Hanoi:VN, Ankara:TR, Istanbul:TR, Riyadh:SA, Jeddah:SA, Abu Dhabi:AE, Dubai:AE, Doha:QA,
Manama:BH, Muscat:OM, Amman:JO, Baghdad:IQ, Tehran:IR, Jerusalem:IL, Tel Aviv:IL, Beirut:LB, Sanaa:YE,
Aden:YE, Brasília:BR, Brasilia:BR, Mexico City:MX, Port-au-Prince:HT, Geneva:CH, Bern:CH, Vienna:AT,
Luxembourg:LU, Valletta:MT, Nicosia:CY
"""
CITIES = {
    city.strip(): code.strip()
    for city, code in (pair.split(":") for pair in _CITIES.replace("\n", " ").split(",") if pair.strip())
}

CALL = re.compile(
    r"\b(phone|tele(?:phone|conference)|video[- ]?(?:call|conference|link|teleconference)|videoconference|"
    r"virtual(?:ly)?|by (?:phone|telephone|video)|spoke (?:by|over|on) the (?:phone|telephone)|"
    r"(?:held|had) a call|on a call|a call (?:with|between)|online meeting|remotely)\b",
    re.IGNORECASE,
)
MARGINS = re.compile(
    r"\b(?i:on|at|in) the (?:margins?|sidelines?|fringes?) of (?:the\s+)?"
    r"(?P<event>(?:[A-Z0-9][\w'’.\-–]*|of|the|and|on|for|de|in)"
    r"(?:[ ]+(?:[A-Z0-9][\w'’.\-–]*|of|the|and|on|for|de|in))*)"
)
VISIT = re.compile(
    r"\b(visit(?:ed|s|ing)?|toured|tour of|courtesy call|paid a call|was received by|were received by|"
    r"arrived in|hosted a delegation|delegation (?:of|from)\b[^.]{0,80}\bvisit)",
    re.IGNORECASE,
)
DIALOGUE = re.compile(r"\b(Staff Talks|Dialogue|Forum|Strategic Talks|Joint Commission|Working Group)\b")
MULTILATERAL = re.compile(
    r"\b(ministerial|ministers of|defen[cs]e ministers (?:of|from)|Allies|Contact Group|summit|conference of|"
    r"troop-contributing|member states|chiefs of defen[cs]e (?:of|from)|"
    r"(?:EU|NATO|AU|ASEAN|IGAD|SADC|EAC|G7|G20|Nordic|Baltic)\s+(?:defen[cs]e\s+)?(?:ministers|chiefs))\b",
    re.IGNORECASE,
)
# "LONDON, 14 March", "Nairobi, Kenya –", "CAMP LEMONNIER, Djibouti (April", "Brussels, 15 February".
DATELINE_PLACE = re.compile(
    r"^(?:[A-Z][A-Za-z'’.\-]*(?: [A-Z][A-Za-z'’.\-]*){0,3})(?=,|\s[–—-]\s|\s\()",
)
IN_PLACE = re.compile(
    r"\b(?:in|at)\s+(?:the\s+)?(?P<place>[A-Z][\w'’\-]+(?:\s+(?:es\s+)?[A-Z][\w'’\-]+){0,2})"
    r"(?:,\s+(?P<country>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}))?"
)
VENUE = re.compile(
    r"\bat\s+(?P<venue>(?:the\s+)?(?:[A-Z][\w'’\-]+(?:\s+(?:of|the|and|de|du|des)?\s*[A-Z][\w'’\-]+){0,6}))"
    r"(?=\s+(?:in|on)\s+[A-Z]|\s*[,.;])"
)
VENUE_WORDS = re.compile(
    r"\b(Headquarters|Barracks|House|Building|Centre|Center|Base|Camp|Palace|Hall|Hotel|Bendlerblock|"
    r"Pentagon|Ministry|College|Academy|Office|Embassy|High Commission|Camp)\b"
)


MEETING_VERB = re.compile(r"\b(met|visited|hosted|held|received|took place|signed|welcomed|toured)\b")


@dataclass
class Place:
    city: str = ""
    country: str = ""
    venue: str = ""
    sentence: str = ""


def city_country(city: str, directory) -> str:
    return (
        CITIES.get(city) or CITIES.get(city.title()) or (directory.country_of_city(city) if directory else "")
    )


def find_place(lines: list[str], sentences: list[Sentence], meeting: Sentence | None, directory) -> Place:
    """The dateline's place when there is one, else a known city the meeting sentence names."""
    for line in lines[:4]:
        found = _dateline_place(line, directory)
        if found:
            found.venue = _venue(meeting.text) if meeting else ""
            return found
    candidates = ([meeting] if meeting else []) + [s for s in sentences[:6] if s is not meeting]
    for sentence in candidates:
        # "X of the High Commission in London visited … in Portsmouth": the place after the verb first.
        verb = MEETING_VERB.search(sentence.text)
        matches = list(IN_PLACE.finditer(sentence.text))
        if verb:
            matches.sort(key=lambda m: m.start() < verb.start())
        for match in matches:
            city = match["place"]
            code = city_country(city, directory)
            if code:
                return Place(city, code, _venue(sentence.text), sentence.text)
            if match["country"]:
                countries = find_countries(match["country"])
                if countries and city not in ("the",) and not find_countries(city):
                    return Place(city, countries[0].code, _venue(sentence.text), sentence.text)
    return Place()


def _dateline_place(line: str, directory) -> Place | None:
    head = re.split(r"\s[–—-]\s|\s\(|:\s", line, maxsplit=1)[0]
    if len(head) > 90:
        head = head[:90]
    parts = [p.strip() for p in head.split(",")]
    parts = [p for p in parts if p and not re.search(r"\d", p)]
    if not parts:
        return None
    first = parts[0]
    if len(first.split()) > 4 or not first[:1].isupper():
        return None
    country_codes = [m.code for p in parts[1:] for m in find_countries(p) if m.text == p]
    city = first.title() if first.isupper() else first
    code = city_country(city, directory)
    countries_in_first = find_countries(first)
    if countries_in_first and countries_in_first[0].text == first and not code:
        # "Djibouti" is a city too; a bare country name elsewhere is not a city.
        return None
    if country_codes:
        if code and code != country_codes[0]:
            code = country_codes[0]
        code = code or country_codes[0]
        if (not city_country(city, directory) and VENUE_WORDS.search(city)) or city.startswith("Camp "):
            capital = _capital(code)
            return Place(capital or city, code, city if capital else "", line)
        return Place(city, code, "", line)
    if code:
        return Place(city, code, "", line)
    return None


def _capital(code: str) -> str:
    # The first city listed for a country is its capital.
    return next((city for city, c in CITIES.items() if c == code), "")


def _venue(sentence: str) -> str:
    for match in VENUE.finditer(sentence):
        venue = match["venue"]
        venue = re.sub(r"^the\s+", "", venue)
        if VENUE_WORDS.search(venue) and not find_countries(venue.split()[0]):
            return venue
    return ""


def find_kind(text_start: str, meeting_text: str, delegations: int) -> tuple[str, str, str]:
    """The kind of meeting, the sentence that says so and the words that do."""
    checks = ((CALL, "call", 400), (MARGINS, "", 600), (VISIT, "visit", 300), (DIALOGUE, "dialogue", 600))
    for pattern, kind, reach in checks:
        in_sentence = pattern.search(meeting_text) if pattern is not MARGINS else None
        match = in_sentence or pattern.search(text_start[:reach])
        if match:
            kind = kind or ("multilateral" if delegations > 2 else "bilateral")
            sentence = meeting_text if in_sentence else _line_of(text_start, match.start())
            return kind, sentence, match.group()
    match = MULTILATERAL.search(meeting_text)
    if delegations > 2 or match:
        return "multilateral", meeting_text, match.group() if match else ""
    return "bilateral", meeting_text, ""


def _line_of(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


def find_parent_event(text: str, headline: str = "") -> tuple[str, str]:
    """The event named after "on the margins of"; the body names it more fully than a headline."""
    body = text[len(headline) :] if headline and text.startswith(headline) else text
    match = MARGINS.search(body) or MARGINS.search(text)
    if not match:
        return "", ""
    text = body if match.string is body else text
    event = re.sub(r"\s+(?:held|in|on|at)\s*$", "", match["event"]).strip()
    event = re.split(r"\s+(?:in|held in|on)\s+[A-Z]", event)[0]
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return event, text[start : end if end > 0 else len(text)]
