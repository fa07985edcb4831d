"""What the app already holds, as plain records: the extractor matches against these first.

``Directory`` keeps them in memory (the corpus report builds one from the demo data);
``meetings.extraction.database.DatabaseDirectory`` asks the database instead. The
extractor only calls the methods below, so it never touches the ORM itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class KnownPerson:
    pk: int | str
    name: str
    country: str = ""
    organization: int | str | None = None
    title: str = ""


@dataclass(frozen=True)
class KnownOrganisation:
    pk: int | str
    name: str
    acronym: str = ""
    country: str = ""
    kind: str = "other"


@dataclass(frozen=True)
class KnownTopic:
    pk: int | str
    name: str
    parent: int | str | None = None
    path: str = ""
    description: str = ""


@dataclass(frozen=True)
class Correction:
    """What a person chose for words an earlier draft read otherwise (see DraftCorrection)."""

    kind: str  # person, topic or place
    phrase: str
    person: KnownPerson | None = None
    topic: KnownTopic | None = None
    city: str = ""
    country: str = ""


CAPITALISED_PHRASE = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:of|and|for|the|in)?\s*[A-Z][\w'’\-]*)+")


def capitalised_phrases(text: str, limit: int = 3000) -> list[str]:
    """Runs of capitalised words and their shorter tails: the names an organisation may have."""
    phrases: dict[str, None] = {}
    for match in CAPITALISED_PHRASE.finditer(text):
        words = re.sub(r"['’]s\b", "", match.group()).split()
        for start in range(len(words)):
            for end in range(start + 2, min(len(words), start + 9) + 1):
                if words[start] not in ("of", "and", "for", "the", "in") and words[end - 1] not in (
                    "of",
                    "and",
                    "for",
                    "the",
                    "in",
                ):
                    phrases[" ".join(words[start:end])] = None
        if len(phrases) >= limit:
            break
    return list(phrases)[:limit]


NOT_NAME_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "hon",
        "honourable",
        "rt",
        "dr",
        "mr",
        "mrs",
        "ms",
        "sir",
        "dame",
        "prof",
        "general",
        "gen",
        "lt",
        "col",
        "maj",
        "brig",
        "adm",
        "cdr",
        "capt",
    ]
)


def name_tokens(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [w for w in re.findall(r"[^\W_]+", folded) if w not in NOT_NAME_WORDS]


def same_name(typed: str, existing: str) -> bool:
    """A small stand-in for ``services.names_match``: same words, a missing word, or a typo."""
    a, b = name_tokens(typed), name_tokens(existing)
    if not a or not b or (a[-1][:2] != b[-1][:2] and not set(a) & set(b)):
        return False
    if set(a) <= set(b) or set(b) <= set(a):
        return len(set(a) & set(b)) >= min(2, len(a), len(b)) and a[-1] in b
    return SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= 0.88


def correction_key(phrase: str) -> str:
    """The words folded: how a correction is found again (the same as DraftCorrection.key)."""
    from meetings.extraction.text import fold

    return fold(" ".join(phrase.split()))[:200]


class Directory:
    """Records held in memory, indexed by the words of their names."""

    def __init__(
        self,
        people: Iterable[KnownPerson] = (),
        organisations: Iterable[KnownOrganisation] = (),
        topics: Iterable[KnownTopic] = (),
        places: Iterable[tuple[str, str]] = (),
        name_matcher: Callable[[str, str], bool] = same_name,
        corrections: Iterable[Correction] = (),
    ):
        self._matches = name_matcher
        self._set_corrections(corrections)
        self._topics = list(topics)
        self._places = {city.casefold(): country for city, country in places if city and country}
        self._set_people(people)
        self._set_organisations(organisations)

    def _set_corrections(self, corrections: Iterable[Correction]) -> None:
        self._corrections = {(c.kind, correction_key(c.phrase)): c for c in corrections}

    def correction(self, kind: str, phrase: str) -> Correction | None:
        """What a person chose before for these words, if anyone did."""
        return self._corrections.get((kind, correction_key(phrase)))

    def _set_people(self, people: Iterable[KnownPerson]) -> None:
        self._people_by_word: dict[str, list[KnownPerson]] = {}
        for person in people:
            for word in set(name_tokens(person.name)):
                self._people_by_word.setdefault(word, []).append(person)

    def _set_organisations(self, organisations: Iterable[KnownOrganisation]) -> None:
        self._organisations = list(organisations)
        self._organisations_by_key: dict[str, list[KnownOrganisation]] = {}
        for org in self._organisations:
            for key in {" ".join(name_tokens(org.name)), " ".join(name_tokens(org.acronym))} - {""}:
                self._organisations_by_key.setdefault(key, []).append(org)

    def people_named(self, name: str) -> list[KnownPerson]:
        candidates = {p.pk: p for word in set(name_tokens(name)) for p in self._people_by_word.get(word, [])}
        return [p for p in candidates.values() if self._matches(name, p.name)]

    def organisations_named(self, name: str, country: str = "") -> list[KnownOrganisation]:
        return [
            o
            for o in self._organisations_by_key.get(" ".join(name_tokens(name)), [])
            if not country or not o.country or o.country == country
        ]

    def organisations_by_acronym(self, acronyms: Iterable[str]) -> list[KnownOrganisation]:
        wanted = {a.casefold() for a in acronyms}
        return [o for o in self._organisations if o.acronym and o.acronym.casefold() in wanted]

    def organisations_in_text(self, text: str) -> list[KnownOrganisation]:
        """Organisations whose full name the text contains (longer than one word)."""
        return [o for o in self._organisations if " " in o.name and o.name in text]

    def organisation(self, pk) -> KnownOrganisation | None:
        return next((o for o in self._organisations if o.pk == pk), None)

    def topics(self) -> list[KnownTopic]:
        return self._topics

    def country_of_city(self, city: str) -> str:
        return self._places.get(city.casefold(), "")


def demo_directory(name_matcher: Callable[[str, str], bool] = same_name) -> Directory:
    """The records of the demo data, without a database: what the corpus is measured against."""
    from meetings import demo_data

    topics_by_key = {row["key"]: row for row in demo_data.TOPICS}

    def path(row) -> str:
        chain = [row["name"]]
        while row.get("parent"):
            row = topics_by_key[row["parent"]]
            chain.insert(0, row["name"])
        return " › ".join(chain)

    return Directory(
        people=[
            KnownPerson(r["key"], r["name"], r.get("country", ""), r.get("organization"), r.get("title", ""))
            for r in demo_data.PEOPLE
        ],
        organisations=[
            KnownOrganisation(r["key"], r["name"], r.get("acronym", ""), r.get("country", ""), r["kind"])
            for r in demo_data.ORGANIZATIONS
        ],
        topics=[
            KnownTopic(r["key"], r["name"], r.get("parent"), path(r), r.get("description", ""))
            for r in demo_data.TOPICS
        ],
        places=[(m.get("city", ""), m.get("country", "")) for m in demo_data.MEETINGS],
        name_matcher=name_matcher,
    )
