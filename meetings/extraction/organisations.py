"""Organisations: those the app already holds (by acronym or name), those a text defines
with an acronym ("British Army Training Unit in Kenya (BATUK)"), and armed forces named
in the usual way ("Kenya Army", "Philippine Navy")."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from meetings.extraction.countries import find_countries
from meetings.extraction.text import Sentence

UP = "A-ZÀ-ÖØ-Þ"
JOIN = r"(?:of|and|for|the|in|on|de|des|du|la|le|to|&)"
ACRONYM_DEFINITION = re.compile(
    rf"(?P<name>[{UP}][\w’'\-.]*(?:\s+(?:{JOIN}\s+)*[{UP}][\w’'\-.]*){{1,12}})\s*\((?P<acronym>[{UP}][A-Za-z\-&]{{1,14}})\)"
)
ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{0,2}[A-Z]{1,10}s?)(?![\w-])")
FORCE = re.compile(
    rf"(?P<name>(?:[{UP}][\w’'\-.]*\s+){{1,4}}"
    r"(?:Army|Navy|Air Force|Armed Forces|Defence Forces|Defense Forces|"
    r"Defense Force|Defence Force|Coast Guard|Marine Corps|Contact Group|Command|Special Forces))\b"
    r"(?!\s+(?:and|College|Centre|Center|School|Staff|Training)\b)"
)
NOT_FORCE = re.compile(r"\b(Secretary|Press|Minister|Gen|General|Brig|Col)\b")
LEADING = re.compile(r"^(?:The|the|A|An|In|On|At|Under|During|With|And|By|Both|Of)\s+")
KINDS = [
    (re.compile(r"\b(Ministry|Department|Office)\b"), "ministry"),
    (re.compile(r"\b(Centre|Center|College|Academy|School|Institute)\b"), "centre"),
    (re.compile(r"\b(Unit|Battalion|Brigade|Regiment|Squadron|Division|Group|Fleet)\b"), "unit"),
    (re.compile(r"\b(Army|Navy|Air Force|Forces|Force|Command|Corps|Coast Guard)\b"), "armed_force"),
    (
        re.compile(r"\b(Union|Nations|Organi[sz]ation|Alliance|Authority|Mission|Community)\b"),
        "international",
    ),
]
NOT_ORGANISATIONS = {
    "UK",
    "US",
    "USA",
    "UAE",
    "DRC",
    "MOU",
    "MoU",
    "IED",
    "PS",
    "CS",
    "CEO",
    "ROK",
    "DPRK",
    "PRC",
    # Notes in brackets beside a name: "(Retd)", "(Dr)".
    "Retd",
    "Rtd",
    "Ret",
    "Retired",
    "Dr",
    "Prof",
    "Hon",
    "PhD",
}
# Groupings named in full without an acronym: "East African Community", "European Union".
GROUPING = re.compile(rf"\b(?P<name>(?:[{UP}][\w’'\-]*\s+){{1,3}}(?:Community|Union))\b")


@dataclass
class OrganisationFound:
    name: str
    acronym: str = ""
    country: str = ""
    kind: str = "other"
    sentence: str = ""
    known: object | None = None


def kind_of(name: str) -> str:
    for pattern, kind in KINDS:
        if pattern.search(name):
            return kind
    return "other"


def _trim_to_acronym(name: str, acronym: str) -> str:
    """ "the role of the British Army Training Unit in Kenya (BATUK)": start where the initials do."""
    words = LEADING.sub("", name).split()
    letters = [c for c in acronym.upper() if c.isalpha()]
    for start in range(len(words)):
        candidate = words[start:]
        capitals = [w[0].upper() for w in candidate if w[:1].isupper()]
        if capitals and capitals[0] == letters[0] and len(capitals) <= len(letters) + 2:
            return " ".join(candidate)
    return " ".join(words[-len(letters) :]) if letters else " ".join(words)


def find_organisations(text: str, sentences: list[Sentence], directory) -> list[OrganisationFound]:
    found: dict[str, OrganisationFound] = {}

    starts = [sentence.start for sentence in sentences]

    def sentence_at(position: int) -> str:
        at = bisect.bisect_right(starts, position) - 1
        return sentences[at].text if at >= 0 else ""

    def add(org: OrganisationFound) -> None:
        key = (org.acronym or org.name).casefold()
        if key in found or any(o.known is not None and o.known is org.known for o in found.values()):
            return
        found[key] = org

    for match in ACRONYM_DEFINITION.finditer(text):
        acronym = match["acronym"]
        if acronym in NOT_ORGANISATIONS:
            continue
        name = _trim_to_acronym(match["name"], acronym)
        countries = find_countries(name)
        country = countries[0].code if countries else ""
        known = _known(directory, name, acronym, country)
        add(OrganisationFound(name, acronym, country, kind_of(name), sentence_at(match.start()), known))

    if directory is not None:
        acronyms = {m.group(1) for m in ACRONYM.finditer(text)} - NOT_ORGANISATIONS
        for org in directory.organisations_by_acronym(acronyms):
            if org.acronym in ("MoD", "DoD"):
                continue  # every country has one: taken from attendees' titles instead
            position = re.search(rf"(?<![\w-]){re.escape(org.acronym)}(?![\w-])", text)
            if position:
                add(
                    OrganisationFound(
                        org.name, org.acronym, org.country, org.kind, sentence_at(position.start()), org
                    )
                )

    defined = [m.span() for m in ACRONYM_DEFINITION.finditer(text)]
    for match in FORCE.finditer(text):
        if any(a <= match.start() < b for a, b in defined):
            continue  # "British Army" inside "British Army Training Unit in Kenya (BATUK)"
        name = LEADING.sub("", match["name"]).strip()
        name = re.sub(r"^(?:[\w’']+['’]s\s+)", "", name)
        if NOT_FORCE.search(name):
            continue
        if len(name.split()) < 2 or re.match(r"(?:of|and|for)\b", name):
            continue
        countries = find_countries(name)
        country = countries[0].code if countries else ""
        known = _known(directory, name, "", country)
        if known is None and not country and not re.search(r"Contact Group|Command", name):
            continue
        add(
            OrganisationFound(
                known.name if known else name,
                known.acronym if known else "",
                country,
                kind_of(name),
                sentence_at(match.start()),
                known,
            )
        )

    for match in GROUPING.finditer(text):
        name = LEADING.sub("", match["name"]).strip()
        if any(a <= match.start() < b for a, b in defined) or len(name.split()) < 2:
            continue
        known = _known(directory, name, "", "")
        add(
            OrganisationFound(
                known.name if known else name,
                known.acronym if known else "",
                "",
                "international",
                sentence_at(match.start()),
                known,
            )
        )

    if directory is not None:
        in_text = directory.organisations_in_text(text)
        shared = {o.name for o in in_text if sum(p.name == o.name for p in in_text) > 1}
        for org in in_text:
            if org.name in shared:
                continue  # "Ministry of Defence": whose? Taken from the attendees' titles instead.
            position = text.find(org.name)
            if any(a <= position < b for a, b in defined):
                continue
            add(
                OrganisationFound(
                    org.name, org.acronym, org.country, org.kind, sentence_at(max(position, 0)), org
                )
            )
    return list(found.values())


def _known(directory, name: str, acronym: str, country: str):
    if directory is None:
        return None
    if acronym:
        by_acronym = [
            o
            for o in directory.organisations_by_acronym([acronym])
            if not country or o.country in ("", country)
        ]
        if by_acronym:
            return by_acronym[0]
    named = directory.organisations_named(name, country)
    return named[0] if named else None


DEFENCE_MINISTRY = re.compile(
    r"\b(Minister|Secretary)\b.*\b(Defen[cs]e|Armed Forces)\b|\bDefen[cs]e\b.*\b(Minister|Secretary)\b"
)


def ministry_for(title: str, country: str, directory):
    """The defence ministry of the country, for a defence minister or secretary."""
    if not country or directory is None or not DEFENCE_MINISTRY.search(title):
        return None
    candidates = [
        o
        for name in (
            "Ministry of Defence",
            "Ministry of Defense",
            "Department of Defense",
            "Federal Ministry of Defence",
        )
        for o in directory.organisations_named(name, country)
        if o.country == country
    ]
    return candidates[0] if candidates else None


def organisation_in(title: str, organisations: list[OrganisationFound]):
    """The organisation a title names: "Commander of BATUK", "Chief of … the Somali National Army"."""
    for org in organisations:
        if org.acronym and re.search(rf"(?<![\w-]){re.escape(org.acronym)}(?![\w-])", title):
            return org
        if org.name and org.name.casefold() in title.casefold():
            return org
    return None
