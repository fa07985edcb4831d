"""Where a meeting took place (none for a call), what kind of meeting it was, and the
event it was held on the margins of."""

from __future__ import annotations

import re
from dataclasses import dataclass

from meetings.extraction import gazetteer
from meetings.extraction.countries import find_countries
from meetings.extraction.text import Sentence, clause_end, fold

# Capitalised words after "in" that are never the place of a meeting, though a town somewhere
# bears the name ("in March", "in Support of").
NOT_PLACES = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "support",
    "defence",
    "defense",
    "operation",
    "exercise",
    "parliament",
    "addition",
    "line",
    "light",
    "view",
    "order",
    "response",
    "recognition",
    "honour",
    "honor",
    "memory",
    "force",
    "charge",
    "command",
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
    written: str = ""  # the town as the text writes it, when a correction changed it


def city_country(city: str, directory, *, within: str = "", mentioned: bool = False) -> str:
    """The country of a town: from the gazetteer (within the country or region written beside
    it, else the most populous of the name), else from the app's own meetings. A town only
    ``mentioned`` in a sentence (not a dateline) is taken by its official name alone."""
    if fold(city) in NOT_PLACES:
        return ""
    found = gazetteer.towns(city, alternatives=not mentioned)
    if within:
        if any(t.country == within for t in found):
            return within
    elif found:
        named = find_countries(city)
        # "Jordan" or "Panama" in a sentence is the country, unless the town is its capital.
        if not named or named[0].text != city or found[0].country == named[0].code:
            return found[0].country
    known = directory.country_of_city(city) if directory else ""
    return known if not within or known == within else ""


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
            beside = match["country"] or ""
            named = find_countries(beside)
            within = (named[0].code if named and named[0].text == beside else "") or (
                gazetteer.region_country(beside) if beside else ""
            )
            code = city_country(city, directory, within=within, mentioned=True)
            if code:
                return Place(city, code, _venue(sentence.text), sentence.text)
            if within and city not in ("the",) and not find_countries(city) and fold(city) not in NOT_PLACES:
                return Place(city, within, _venue(sentence.text), sentence.text)
    return Place()


def _dateline_place(line: str, directory) -> Place | None:
    head = re.split(r"\s[–—-](?:\s|$)|\s\(|:\s", line, maxsplit=1)[0]
    if len(head) > 90:
        head = head[:90]
    parts = [p.strip() for p in head.split(",")]
    parts = [p for p in parts if p and not re.search(r"\d", p)]
    if not parts:
        return None
    first = parts[0]
    if len(first.split()) > 4 or not first[:1].isupper():
        return None
    city = first.title() if first.isupper() else first
    # "Nairobi, Kenya", "Fort Bragg, North Carolina", "Kingston, Ontario": the country, or
    # the region's country, said beside the town.
    within = next(
        (m.code for p in parts[1:] for m in find_countries(p) if m.text == p),
        next((code for p in parts[1:] if (code := gazetteer.region_country(p))), ""),
    )
    code = city_country(city, directory, within=within)
    countries_in_first = find_countries(first)
    if countries_in_first and countries_in_first[0].text == first and not code:
        # "Djibouti" is a city too; a bare country name elsewhere is not a city.
        return None
    if within:
        code = code or within
        if (not city_country(city, directory) and VENUE_WORDS.search(city)) or city.startswith("Camp "):
            capital = gazetteer.capital(code)
            return Place(capital or city, code, city if capital else "", line)
        return Place(city, code, "", line)
    # A town alone opens a dateline only with the date or a dash after it ("LONDON, 14 March").
    if code and (re.search(r"\d", line) or len(head) < len(line)):
        return Place(city, code, "", line)
    return None


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
            if kind == "dialogue":
                # "the bilateral defence forum" between two countries is a bilateral meeting;
                # a dialogue of more than two delegations, a multilateral one.
                before = (meeting_text if in_sentence else text_start)[: match.start()]
                if re.search(r"\bbilateral\s+(?:[\w-]+\s+){0,2}$", before, re.IGNORECASE):
                    kind = "bilateral"
                elif delegations > 2:
                    kind = "multilateral"
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
    event = match["event"][: clause_end(match["event"])]  # "… NATO Summit. The ministers": not one name
    event = re.sub(r"\s+(?:held|in|on|at)\s*$", "", event).strip()
    event = re.split(r"\s+(?:in|held in|on)\s+[A-Z]", event)[0]
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return event, text[start : end if end > 0 else len(text)]
