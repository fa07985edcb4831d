"""Attendees: names with their rank, title on the day, country and organisation.

Three shapes cover most readouts: a title or rank before the name ("Defence Cabinet
Secretary Aden Duale", "Maj Gen Fred Leuria", "Somalia's State Minister of Defence,
Abdullahi Warsame"), a title after it ("Rachel Thompson, Director Africa"), and a
counterpart ("his UK counterpart, James Heapey"). Later mentions by surname ("Minister
Heapey", "Col Otieno") are folded into the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from meetings.extraction.countries import code_for, find_countries
from meetings.extraction.text import Sentence

# Latin letters with accents too ("Władysław"); Latin Extended-A mixes cases, so it is in both.
UP = "A-ZÀ-ÖØ-ÞĀ-ž"
LOW = "a-zß-öø-ÿĀ-ž"
NAME_WORD = (
    rf"(?:[{UP}][{LOW}]+(?:[-'’][{UP}]?[{LOW}]+)*|[{UP}]['’][{UP}][{LOW}]+|Ma?c[{UP}][{LOW}]+|[{UP}]\.)"
)
PARTICLE = r"(?:bin|ibn|al|el|de|van|von|der|da|dos|du|le|la|wa)(?=\s)"
SUFFIX = r"(?:\s+(?:III|II|IV|Jr\.?|Sr\.?))?"
NAME = rf"{NAME_WORD}(?:\s+(?:{PARTICLE}\s+)?{NAME_WORD}){{0,4}}{SUFFIX}(?![\w'’])"

RANKS = [
    "Field Marshal",
    "General",
    "Gen",
    "Lieutenant General",
    "Lt Gen",
    "Lt-Gen",
    "Major General",
    "Maj Gen",
    "Maj-Gen",
    "Brigadier General",
    "Brig Gen",
    "Brigadier",
    "Brig",
    "Colonel",
    "Col",
    "Lieutenant Colonel",
    "Lt Col",
    "Lt-Col",
    "Major",
    "Maj",
    "Captain",
    "Capt",
    "Lieutenant",
    "Lt",
    "Second Lieutenant",
    "Admiral",
    "Adm",
    "Vice Admiral",
    "Vice Adm",
    "Rear Admiral",
    "Rear Adm",
    "Commodore",
    "Cdre",
    "Commander",
    "Cdr",
    "Lieutenant Commander",
    "Lt Cdr",
    "Air Chief Marshal",
    "Air Marshal",
    "Air Vice-Marshal",
    "Air Vice Marshal",
    "Air Commodore",
    "Group Captain",
    "Wing Commander",
    "Squadron Leader",
    "Command Sergeant Major",
    "Command Sgt Maj",
    "Sergeant Major",
    "Sgt Maj",
    "Chief Master Sergeant",
    "Sergeant",
    "Sgt",
    "Warrant Officer",
    "WO1",
    "WO2",
    "Corporal",
    "Cpl",
    "Private",
    "Pte",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Hon",
    "Amb",
    "Ambassador",
    "Prof",
    "Sir",
    "Dame",
]
SERVICE = (
    r"(?:(?:U\.?S\.?|UK|British|Kenyan|Royal)\s+)?(?:Army|Navy|Air Force|Marine Corps|Marines|Space Force)\s+"
)
RANK = "|".join(
    r"\.?\s+".join(re.escape(part) for part in rank.replace("-", " - ").split()).replace(
        r"\.?\s+\-\.?\s+", r"[\s-]"
    )
    + r"\.?"
    for rank in sorted(RANKS, key=len, reverse=True)
)
RANK_RE = re.compile(rf"(?<![\w.])(?P<service>{SERVICE})?(?P<rank>{RANK})\s+(?=[{UP}])")
# Ranks that are also titles: "Commander of the Kenya Army" is a title, "Cdr Helen Marsh" a rank.
RANK_ALSO_TITLE = {"commander", "general", "major", "private", "ambassador"}
COURTESY = {"mr", "mrs", "ms", "dr", "hon", "prof", "sir", "dame"}

TITLE_HEADS = {
    "minister",
    "secretary",
    "commander",
    "chief",
    "director",
    "adviser",
    "advisor",
    "attaché",
    "attache",
    "ambassador",
    "commissioner",
    "chairman",
    "chairperson",
    "chair",
    "president",
    "head",
    "officer",
    "spokesperson",
    "spokesman",
    "envoy",
    "representative",
    "undersecretary",
    "commandant",
    "governor",
    "chancellor",
    "leader",
    "deputy",
    "director-general",
    "secretary-general",
    "general",
}
TITLE_WORDS = TITLE_HEADS | {
    "defence",
    "defense",
    "cabinet",
    "state",
    "principal",
    "permanent",
    "assistant",
    "under",
    "vice",
    "prime",
    "federal",
    "national",
    "armed",
    "forces",
    "force",
    "army",
    "navy",
    "air",
    "marine",
    "corps",
    "staff",
    "general",
    "command",
    "directorate",
    "high",
    "commission",
    "policy",
    "affairs",
    "veteran",
    "veterans",
    "foreign",
    "international",
    "relations",
    "cooperation",
    "co-operation",
    "operations",
    "intelligence",
    "security",
    "joint",
    "desk",
    "senior",
    "military",
    "press",
    "council",
    "department",
    "office",
    "services",
    "logistics",
    "plans",
    "strategy",
    "training",
    "unit",
    "centre",
    "center",
    "africa",
    "east",
    "west",
    "north",
    "south",
    "europe",
    "asia",
    "pacific",
    "indo-pacific",
    "region",
    "regional",
    "ministry",
    "the",
    "of",
    "for",
    "and",
    "at",
    "in",
    "to",
    "on",
    "acting",
    "designate",
    "chiefs",
    "personnel",
    "procurement",
    "industry",
    "programme",
    "program",
    "special",
    "task",
    "mission",
    "headquarters",
    "development",
    "planning",
    "communications",
    "general's",
    "affairs,",
    "minister's",
    "parliamentary",
    "interior",
    "justice",
    "homeland",
    "war",
    "colonel",
    "major",
    "political",
    "peace",
    "legal",
    "economic",
    "public",
    "naval",
    "maritime",
    "land",
    "cyber",
    "space",
    "technology",
    "science",
    "capability",
    "capabilities",
    "readiness",
    "acquisition",
    "materiel",
    "engineering",
    "medical",
    "health",
    "finance",
    "budget",
    "administration",
    "human",
    "resources",
    "education",
    "doctrine",
}
CONNECTORS = {"the", "of", "for", "and", "at", "in", "to", "on"}
NOT_ATTENDING = re.compile(r"\b(press secretary|spokes(?:person|man|woman)|press officer)\b", re.IGNORECASE)
NOT_NAME = {
    "The",
    "This",
    "That",
    "These",
    "Both",
    "His",
    "Her",
    "Their",
    "They",
    "He",
    "She",
    "It",
    "In",
    "On",
    "At",
    "A",
    "An",
    "And",
    "But",
    "During",
    "Under",
    "After",
    "Before",
    "Following",
    "Central",
    "Another",
    "Ministers",
    "Minister",
    "Secretary",
    "Allies",
    "Participants",
    "Officials",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Exercise",
    "Operation",
    "Defence",
    "Defense",
    "Ministry",
    "Army",
    "Navy",
    "Forces",
    "Force",
    "Command",
    "Centre",
    "Center",
    "Council",
    "Union",
    "Group",
    "Summit",
    "Agreement",
    "Memorandum",
    "Headquarters",
    "Barracks",
    "House",
    "Building",
    "Unit",
    "Mission",
    "Office",
    "Department",
    "Commission",
    "College",
    "Academy",
    "Coast",
    "Guard",
    "Corps",
    "Conference",
    "Dialogue",
    "Talks",
    "Cell",
    "Brigade",
    "Battalion",
    "Division",
    "Regiment",
    "Squadron",
    "Fleet",
    "Ocean",
    "Sea",
    "Gulf",
    "Strait",
    "Peninsula",
    "Horn",
    "Lakes",
    "Region",
    "Regional",
    "Staff",
    "Chief",
    "Chiefs",
    "Director",
    "Readout",
    "Release",
    "Date",
    "Press",
    "Government",
    "Republic",
    "Kingdom",
    "States",
    "United",
    "Federal",
    "National",
    "Royal",
    "Joint",
    "Support",
    "Stabilization",
    "Stabilisation",
    "Transition",
    "African",
    "Africa",
    "European",
    "Europe",
    "Framework",
    "Arrangement",
    "Treaty",
    "Plan",
    "Programme",
    "Program",
    "Initiative",
    "Strategy",
    "Statement",
    "Communiqué",
    "Communique",
    "Declaration",
    "Secretariat",
    "Authority",
    "Development",
    "Intergovernmental",
    "Organisation",
    "Organization",
    "Alliance",
    "Contact",
    "Parliament",
    "Senate",
    "Palace",
    "Camp",
    "Base",
    "Port",
    "Airport",
    "Hotel",
    "Hall",
    "Embassy",
    "High",
    "Pentagon",
}


@dataclass
class PersonFound:
    name: str
    sentence: Sentence
    start: int
    rank: str = ""
    title: str = ""
    country: str = ""
    country_from: str = ""  # how the country was found: title, known, delegation, companion, place
    organisation_text: str = ""
    leads: bool = False
    known: object | None = None
    mentions: list[str] = field(default_factory=list)
    learnt: bool = False  # the known person is the one chosen for this name in an earlier draft

    @cached_property
    def surname(self) -> str:
        parts = [p for p in re.split(r"\s+", self.name) if not re.fullmatch(r"III|II|IV|Jr\.?|Sr\.?", p)]
        return parts[-1] if parts else self.name


def _is_name(candidate: str, *, allow_single: bool = False) -> bool:
    parts = candidate.split()
    if not parts or (len(parts) < 2 and not allow_single):
        return False
    if any(p in NOT_NAME or p.lower() in TITLE_HEADS for p in parts):
        return False
    if all(re.fullmatch(r"[A-Z]\.", p) for p in parts):
        return False
    if any(re.fullmatch(r"[A-Z]{2,}", p) and p not in ("II", "III", "IV") for p in parts):
        return False  # an acronym: "IISS Shangri-La"
    whole_country = find_countries(candidate)
    return not any(m.text in (candidate, parts[0], parts[-1]) for m in whole_country)


def _split_title_name(run: str) -> tuple[str, str, str]:
    """Title, name and the rest of a run of capitalised words.

    "Defence Cabinet Secretary Aden Duale and UK …" → ("Defence Cabinet Secretary", "Aden Duale", "UK …").
    """
    words = run.split()
    index = 0
    while index < len(words):
        word = words[index].rstrip(",")
        lowered = word.lower()
        if lowered in TITLE_WORDS or code_for(word) or word in ("U.S.", "UK", "U.K."):
            index += 1
            continue
        if index == 0 and re.fullmatch(r"[A-Z]{2,8}", word) and len(words) > 2:
            index += 1  # "NATO Deputy Secretary General …", "UPDF Chief of Staff"
            continue
        # "Ambassador to Djibouti": a country name after a connector stays in the title.
        if index and words[index - 1].lower() in CONNECTORS:
            mentions = find_countries(" ".join(words[index : index + 3]))
            if mentions and mentions[0].start == 0:
                index += len(mentions[0].text.split())
                continue
        break
    title_words = words[:index]
    while title_words and title_words[-1].lower() in CONNECTORS:
        title_words.pop()
    # The name ends at the first joining word or possessive: "Duale for Kenya's leadership".
    name_words, rest = [], []
    for i, word in enumerate(words[index:]):
        if word in CONNECTORS or re.search(r"['’]s$", word):
            rest = words[index + i + (1 if word in CONNECTORS else 0) :]
            if word not in CONNECTORS:
                name_words.append(re.sub(r"['’]s$", "", word))
                rest = []
            break
        name_words.append(word)
    return " ".join(title_words), " ".join(name_words), " ".join(rest)


def _title_word(word: str) -> bool:
    return word.lower().strip(",") in TITLE_WORDS or bool(code_for(word)) or word in ("U.S.", "UK", "U.K.")


def _title_ok(title: str) -> bool:
    return any(w.lower().strip(",") in TITLE_HEADS for w in title.split())


CAPITALISED_RUN = re.compile(
    rf"(?:(?P<owner>(?:[{UP}][\w.’'\-]*\s+){{0,2}}[{UP}][\w.\-]*)['’]s\s+)?"
    rf"(?P<run>(?:[{UP}][\w.’'\-]*)(?:\s+(?:[{UP}][\w.’'\-]*|of|for|the|and|at|in|to|on|"
    rf"{PARTICLE}))*)"
)
TITLE_AFTER = re.compile(
    rf"^,\s+(?:the\s+)?(?P<title>(?:[{UP}][\w.’'\-]*|(?:commander|director|head|chief|deputy|minister|secretary)\b)"
    rf"(?:\s+(?:[{UP}][\w.’'\-]*|of|for|the|and|at|in|to|on|es|de|du|des|da|al|el))*)"
    r"(?=\s*(?:[,.;)(]|$|\s+(?:who|and|with|was|were|led|had|is)\b))"
)
COUNTERPART = re.compile(
    rf"\b(?:his|her|their|its)\s+(?P<adj>[{UP}][\w.]*(?:\s+[{UP}][\w.]*)?)\s+counterparts?,?\s+(?P<name>{NAME})"
)
DELEGATION = re.compile(
    rf"\b(?:The\s+|the\s+)?(?P<adj>[{UP}][\w.]*(?:\s+[{UP}][\w.]*)?)\s+"
    r"(?:delegation|side|team|contingent|party|commander|minister|secretary|chief|officials)\b"
)
DELEGATION_OF = re.compile(r"\bdelegation\s+(?:of|from)\b(?P<of>[^.,;]{0,80})")
RECEIVED = re.compile(r"\b(?:(?:was|were) received by|received by|met with|welcomed by|hosted by)\b")
LEADS = re.compile(r"\b(?:led by|headed by|chaired by|hosted by|was led by|led the)\s+$", re.IGNORECASE)


def find_people(sentences: list[Sentence], directory=None) -> list[PersonFound]:
    found: list[PersonFound] = []
    for sentence in sentences:
        found.extend(_people_in(sentence))
    return _merge(found, directory)


# "Air Commodore (Retd) Jane Doe", "Captain (Dr.) Grace Wambui": a note between rank and name.
BRACKETED = re.compile(
    r"\(\s*(?:Retd|Rtd|Ret|Retired|retd|rtd|ret|retired|Dr|Prof|Hon|PhD|Eng|Engr|Rev)\.?\s*\)", re.UNICODE
)


def _people_in(sentence: Sentence) -> list[PersonFound]:
    # Blanked, not removed, so that every position still points into the sentence.
    text = BRACKETED.sub(lambda m: " " * len(m.group()), sentence.text)
    if not re.search(rf"[{UP}][{LOW}'’.-]*\s+[{UP}]", text):
        return []  # no two capitalised words in a row: no name here
    people: list[PersonFound] = []
    taken: list[tuple[int, int]] = []
    titles_after: list[int] = []  # where titles written after a name end: not the next person's

    def add(person: PersonFound, span: tuple[int, int]) -> None:
        if any(a < span[1] and span[0] < b for a, b in taken):
            return
        if NOT_ATTENDING.search(person.title) or NOT_ATTENDING.search(text[max(0, span[0] - 30) : span[0]]):
            return
        person.leads = bool(LEADS.search(text[max(0, span[0] - 40) : span[0]])) or person.leads
        taken.append(span)
        people.append(person)

    for match in COUNTERPART.finditer(text) if "counterpart" in text else ():
        name = _trim_name(match["name"])
        if _is_name(name):
            country = find_countries(match["adj"])
            add(
                PersonFound(
                    name,
                    sentence,
                    match.start("name"),
                    country=country[0].code if country else "",
                    country_from="counterpart" if country else "",
                ),
                (match.start("name"), match.start("name") + len(name)),
            )

    for match in RANK_RE.finditer(text):
        rank = match["rank"].strip()
        if rank.lower().rstrip(".") in RANK_ALSO_TITLE and re.match(r"\s*of\b", text[match.end() :]):
            continue
        if re.search(
            r"\b(?:Secretary|Attorney|Inspector|Director|Consul|Governor|Adjutant)[\s-]+$",
            text[: match.start("rank")],
        ):
            continue  # "Secretary General Jens Stoltenberg": part of a title
        name_match = re.compile(NAME).match(text, match.end())
        if not name_match:
            continue
        name = _trim_name(name_match.group())
        title_before, owner = _title_before(text, match.start())
        if title_before and match.start() - 2 in titles_after:
            title_before, owner = "", ""
        single = len(name.split()) == 1
        if single and title_before and rank.lower().rstrip(".") not in COURTESY:
            # "Japan's Minister of Defense, Gen Nakatani": a first name that reads like a rank.
            name, rank = f"{rank.rstrip('.')} {name}", ""
            single = False
        if single:
            people.append(PersonFound(name, sentence, name_match.start(), rank=rank, mentions=["surname"]))
            continue
        if not _is_name(name):
            continue
        title_after = _title_after(text, name_match.start() + len(name))
        if title_after:
            titles_after.append(text.index(title_after, name_match.start()) + len(title_after))
        title = title_before or title_after
        prefix = " ".join(filter(None, [owner, match["service"] or ""]))
        add(
            PersonFound(
                name,
                sentence,
                name_match.start(),
                rank=rank,
                title=title,
                organisation_text=f"{prefix} {title}".strip(),
            ),
            (match.start(), name_match.start() + len(name)),
        )

    for match in CAPITALISED_RUN.finditer(text):
        _people_in_run(text, match.start("run"), match["run"], match["owner"] or "", sentence, people, add)
    for person in people:
        person.title = _tidy_title(person.title)
        if not person.country:
            owner_country = find_countries(person.organisation_text)
            if owner_country:
                person.country, person.country_from = owner_country[0].code, "title"
    # "The Kenyan delegation was led by …, and the Ethiopian delegation by …": each person
    # belongs to the delegation named last before them.
    delegations = _delegations(text)
    for person in people:
        before = [(code, where) for code, where in delegations if where < person.start]
        if person.country or not before:
            continue
        code, where = before[-1]
        hosts = RECEIVED.search(text, where)
        if hosts is None or person.start < hosts.start():
            person.country, person.country_from = code, "delegation"
    return sorted(people, key=lambda p: p.start)


def _delegations(text: str) -> list[tuple[str, int]]:
    found = []
    for match in [*DELEGATION.finditer(text), *DELEGATION_OF.finditer(text)]:
        named = find_countries(match.groupdict().get("adj") or match.groupdict().get("of") or "")
        if named:
            found.append((named[0].code, match.start()))
    return sorted(found, key=lambda pair: pair[1])


def _delegation(text: str) -> tuple[str, int]:
    for match in [*DELEGATION.finditer(text), *DELEGATION_OF.finditer(text)]:
        named = find_countries(match.groupdict().get("adj") or match.groupdict().get("of") or "")
        if named:
            return named[0].code, match.start()
    return "", 0


def delegation_country(text: str) -> str:
    """The country of "the Kenyan delegation" or "a delegation of … the Tanzania People's Defence Force"."""
    return _delegation(text)[0]


def before_hosts(person: PersonFound) -> bool:
    """Whether the person is named before "was received by" (so on the visiting side) in their sentence."""
    hosts = RECEIVED.search(person.sentence.text)
    return hosts is None or person.start < hosts.start()


# National titles that name the country on their own.
NATIONAL_TITLES = [
    (re.compile(r"\b(?:Deputy |Under |Assistant )?Secretary of Defense\b"), "US"),
    (re.compile(r"\bSecretary of State for Defence\b|\bMinister for the Armed Forces\b"), "GB"),
    (re.compile(r"\bCabinet Secretary (?:for|of) Defen[cs]e\b|\bDefen[cs]e Cabinet Secretary\b"), "KE"),
    (re.compile(r"\bBundesminister|\bFederal Minister of Defence\b"), "DE"),
    (re.compile(r"\bMinistre des Armées\b|\bMinister for the Armed Forces of France\b"), "FR"),
]


def national_title_country(title: str) -> str:
    for pattern, code in NATIONAL_TITLES:
        if pattern.search(title):
            return code
    return ""


def _people_in_run(text, start, run, owner, sentence, people, add) -> None:
    """People in one run of capitalised words; a run may hold several ("A and UK Minister B")."""
    title, name, rest = _split_title_name(run)
    name = _trim_name(name)
    end = start + len(run)
    if title and name and _title_ok(title) and _is_name(name):
        name_start = start + run.index(name, len(title))
        add(
            PersonFound(
                name, sentence, name_start, title=title, organisation_text=f"{owner} {title}".strip()
            ),
            (start, name_start + len(name)),
        )
    elif title and name and _title_ok(title) and len(name.split()) == 1 and not RANK_RE.match(name + " "):
        name_start = start + run.index(name, len(title))
        people.append(PersonFound(name, sentence, name_start, title=title, mentions=["surname"]))
    elif not title and _is_name(name) and len(name.split()) <= 5 and not rest:
        # "Rachel Thompson, Director Africa,": the title after the name.
        after = _title_after(text, end)
        if after:
            add(PersonFound(name, sentence, start, title=after, organisation_text=after), (start, end))
    elif title == run.strip() and _title_ok(run):
        # "The Minister for the Armed Forces, James Heapey": the name after a comma.
        tail = text[end:]
        after = re.match(
            rf",\s+(?P<name>{NAME})(?=\s*[,.;)]|\s+(?:on|and|who|held|met|spoke|signed)\b)", tail
        )
        if after and not RANK_RE.match(tail, 2):
            found = _trim_name(after["name"])
            if _is_name(found):
                name_start = end + after.start("name")
                add(
                    PersonFound(
                        found, sentence, name_start, title=run, organisation_text=f"{owner} {run}".strip()
                    ),
                    (start, name_start + len(found)),
                )
    if rest:
        offset = run.index(rest, len(run) - len(rest) - 1) if rest in run else len(run)
        sub = re.match(rf"(?:(?P<owner>[{UP}][\w.\-]*)['’]s\s+)?(?P<run>.*)", rest, re.DOTALL)
        _people_in_run(
            text, start + offset + sub.start("run"), sub["run"], sub["owner"] or "", sentence, people, add
        )


def _trim_name(name: str) -> str:
    parts = name.split()
    while parts and (
        parts[-1] in NOT_NAME or parts[-1].lower() in CONNECTORS or parts[-1].lower() in TITLE_HEADS
    ):
        parts.pop()
    return " ".join(parts).rstrip(",.")


def _title_before(text: str, position: int) -> tuple[str, str]:
    """ "the Commander of the Kenya Army, Lt Gen …" → ("Commander of the Kenya Army", "")."""
    before = text[:position].rstrip()
    had_comma = before.endswith(",")
    before = before.rstrip(",").rstrip()
    match = re.search(
        rf"(?:(?P<owner>[{UP}][\w.’'\-]*(?:\s+[{UP}][\w.’'\-]*){{0,2}})['’]s\s+)?(?:the\s+|The\s+)?"
        rf"(?P<title>[{UP}][\w.’'\-]*(?:\s+(?:[{UP}][\w.’'\-]*|of|for|the|and|at|in|to|on))*)$",
        before,
    )
    if not match:
        return "", ""
    # "Commissioner for Political Affairs, Peace and Security, Dr …": a title with a comma in it,
    # the part after the comma a list of its areas ("Peace and Security").
    words = match["title"].split()
    if not _title_ok(match["title"]) and " and " in f" {match['title']} " and len(words) <= 5:
        head, owner = _title_before(before, match.start("title"))
        if head and head.split()[-1].lower() not in TITLE_HEADS:
            return f"{head}, {match['title']}", owner
    words = match["title"].split()
    if any(not _title_word(words[i]) and not _title_word(words[i + 1]) for i in range(len(words) - 1)):
        # Two name-like words in a row: "Ambassador to Djibouti Cynthia Moore and": not one title.
        return "", ""
    first = words[0]
    if first.lower() in TITLE_WORDS or code_for(first) or first in ("U.S.", "UK"):
        keep = 0
    else:
        # Keep only the trailing words that can belong to a title.
        keep = len(words)
        for i in range(len(words) - 1, -1, -1):
            if words[i].lower() in TITLE_WORDS or code_for(words[i]) or words[i] in ("U.S.", "UK"):
                keep = i
            else:
                break
    title = " ".join(words[keep:])
    if not title or not _title_ok(title) or (not had_comma and title.split()[0].lower() in CONNECTORS):
        return "", ""
    owner = (match["owner"] or "") if keep == 0 else ""
    return title, owner


def _title_after(text: str, position: int) -> str:
    match = TITLE_AFTER.match(text[position:])
    if not match:
        return ""
    title = match["title"]
    # A rank and name that follow a name ("X, Lt Gen Y") is a second person, not a title.
    if RANK_RE.match(title + " ") and not _title_ok(title.split()[0]):
        return ""
    return title if _title_ok(title) else ""


def _tidy_title(title: str) -> str:
    title = re.sub(r"\s*\([^)]*\)\s*$", "", title).strip(" ,.")
    title = re.sub(r"^(?:the|The)\s+", "", title)
    words = title.split()
    # "UK Defence Secretary" → "Defence Secretary": the country is recorded on its own.
    while words and (code_for(words[0]) or words[0] in ("U.S.", "UK", "U.K.")) and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def _merge(found: list[PersonFound], directory) -> list[PersonFound]:
    """One entry per person: later mentions by surname or in full join the first."""
    people: list[PersonFound] = []
    by_surname: dict[str, list[PersonFound]] = {}
    for person in found:
        same = next((p for p in by_surname.get(person.surname, []) if _same(p, person)), None)
        if same is None:
            if "surname" in person.mentions:
                continue  # a surname never introduced in full: too unsure to propose
            people.append(person)
            by_surname.setdefault(person.surname, []).append(person)
            continue
        if not same.title and person.title:
            same.title = person.title
            same.organisation_text = same.organisation_text or person.organisation_text
        if not same.rank and person.rank and person.rank.lower().rstrip(".") not in COURTESY:
            same.rank = person.rank
        if not same.country and person.country:
            same.country, same.country_from = person.country, person.country_from
        same.leads = same.leads or person.leads
    if directory is not None:
        for person in people:
            chosen = directory.correction("person", person.name)
            if chosen is not None and chosen.person is not None:
                person.known, person.learnt = chosen.person, True
                if not person.country:
                    person.country, person.country_from = chosen.person.country, "known"
                continue
            matches = directory.people_named(person.name)
            if matches:
                person.known = matches[0]
    return people


def _same(a: PersonFound, b: PersonFound) -> bool:
    if a.name == b.name:
        return True
    a_parts, b_parts = a.name.split(), b.name.split()
    if len(b_parts) == 1 or len(a_parts) == 1:
        return a.surname == b.surname
    return a.surname == b.surname and a_parts[0][0] == b_parts[0][0]
