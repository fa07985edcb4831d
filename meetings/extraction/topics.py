"""Topics: the app's topic tree matched against the text, and new topics suggested from
what the text says was discussed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from meetings.extraction.countries import find_countries
from meetings.extraction.text import Sentence, fold

# Words that mean the same in topic names and press releases.
SYNONYMS = {
    "dr": ("dr", "drc", "democratic republic"),
    "congo": ("congo", "drc"),
    "au": ("au", "african union"),
    "eu": ("eu", "european union"),
    "un": ("un", "united nations"),
    "sharing": ("sharing", "share", "shared", "exchange", "exchanges", "exchanging"),
    "relations": ("relations", "relationship", "ties", "tensions", "dispute"),
    "counter-terrorism": ("counter-terrorism", "counterterrorism", "terrorism", "terrorist"),
    "terrorism": ("terrorism", "counterterrorism", "terrorist"),
    "countering": ("countering", "counter", "counter-"),
    "piracy": ("piracy", "pirates", "counter-piracy"),
    "shipping": ("shipping", "ships", "vessels", "navigation"),
    "insecurity": ("insecurity", "instability", "violence", "conflict", "situation", "crisis"),
    "spending": ("spending", "expenditure", "budgets", "2%"),
    "training": ("training", "trained", "trains", "train"),
    "military": ("military", "officers", "armed forces", "army", "navy", "troops", "soldiers", "personnel"),
    "mission": ("mission", "missions", "atmis", "amisom", "aussom"),
    "support": ("support", "supporting", "assistance", "aid"),
    "operations": ("operations", "operation", "missions"),
}
STOP = {
    "the",
    "of",
    "in",
    "on",
    "and",
    "for",
    "by",
    "to",
    "a",
    "an",
    "with",
    "at",
    "off",
    "its",
    "against",
    "from",
}
AMERICAN = {"defense": "defence", "center": "centre", "program": "programme", "organization": "organisation"}
LIST_CUE = re.compile(
    r"\b(?:discussed|discussions? (?:on|of|about|revolving around|centred on|centered on|focused on|covered)|"
    r"talks (?:on|covered|focused on)|reviewed|covered|covering|addressed|focused on|focusing on|"
    r"exchanged views on|on the agenda(?: were| was)?|topics included|agenda included|concerning)\s+",
    re.IGNORECASE,
)
ITEM_LEAD = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?:(?:progress|situation|state|threat|future|question|issue|issues|importance|"
    r"strengthening|composition|coordination|role|need|security situation|prospects?|protection|financing|"
    r"funding|security)\s+(?:posed\s+by|of|on|in|for)\s+)?"
    r"(?:the\s+|a\s+)?",
    re.IGNORECASE,
)


@dataclass
class TopicFound:
    name: str
    sentence: str
    known: object | None = None
    score: float = 1.0


def _tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9%]+(?:-[a-z0-9]+)*", fold(text))
    return [AMERICAN.get(w, w) for w in words]


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _index(words: list[str]) -> dict[str, list[int]]:
    """Where each word (and, for "counter-piracy", each part) occurs: looked up, never scanned."""
    index: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        keys = {_stem(word)}
        if "-" in word:
            keys.update(word.split("-"))
        for key in keys:
            index.setdefault(key, []).append(i)
    return index


@lru_cache(maxsize=2048)
def _options(token: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The stems a token may be written as, and its phrases of several words."""
    options = SYNONYMS.get(token, (token,))
    return (
        tuple(_stem(o) for o in options if " " not in o),
        tuple(tuple(o.split()) for o in options if " " in o),
    )


def _present(token: str, words: list[str], joined: str, index: dict[str, list[int]]) -> list[int]:
    """Positions (word indexes) where ``token`` or one of its synonyms is in the sentence."""
    singles, phrases = _options(token)
    positions: list[int] = []
    for stem in singles:
        found = index.get(stem)
        if found:
            positions += found
    for phrase in phrases:
        for i in index.get(_stem(phrase[0]), ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                positions.append(i)
    return positions


def _signature(name: str) -> list[list[str]]:
    """The alternative word lists a topic name can be found by: "A and B" also as "A"."""
    words = [w for w in _tokens(name) if w not in STOP]
    # "Somalia–Ethiopia relations": both countries.
    proper_pairs = {fold(w) for w in re.findall(r"[A-Z][a-z]+[–-][A-Z][a-z]+", name)}
    words = [part for w in words for part in (w.split("-") if w in proper_pairs else [w])]
    alternatives = [words]
    if " and " in name:
        first = [w for w in _tokens(name.split(" and ")[0]) if w not in STOP]
        if len(first) >= 2:
            alternatives.append(first)
    return alternatives


def match_known_topics(sentences: list[Sentence], topics, acronyms: dict[str, str]) -> list[TopicFound]:
    """Known topics whose words all (or, for long names, nearly all) occur close together."""
    found: dict[object, TopicFound] = {}
    sentences_of: dict[object, set[str]] = {}
    prepared = []
    for sentence in sentences:
        text = sentence.text
        for acronym, full in acronyms.items():
            if acronym in text or full in text:
                text = f"{text} {acronym} {full}"
        words = _tokens(text)
        prepared.append((sentence, words, " ".join(words), _index(words)))
    # Which sentences hold which stems: a topic is only tried where its words occur.
    where: dict[str, set[int]] = {}
    for number, (_sentence, _words, _joined, index) in enumerate(prepared):
        for stem in index:
            where.setdefault(stem, set()).add(number)
    for topic in topics:
        best: TopicFound | None = None
        for alternative in _signature(topic.name):
            if not alternative:
                continue
            candidates: set[int] = set()
            for token in alternative:
                singles, phrases = _options(token)
                for stem in (*singles, *(_stem(p[0]) for p in phrases)):
                    candidates |= where.get(stem, set())
            proper = [
                w
                for w in alternative
                if re.search(rf"\b{re.escape(w)}\b", fold(topic.name)) and _is_proper(topic.name, w)
            ]
            for number in sorted(candidates):
                sentence, words, joined, index = prepared[number]
                if any(not _present(p, words, joined, index) for p in proper):
                    continue
                hits = {token: _present(token, words, joined, index) for token in alternative}
                present = [t for t, where in hits.items() if where]
                share = len(present) / len(alternative)
                needed = 1.0 if len(alternative) < 4 else 0.75
                if share < needed:
                    continue
                if _spread(hits, present) > max(10, 4 * len(alternative)):
                    continue
                sentences_of.setdefault(topic.pk, set()).add(sentence.text)
                if best is None or share > best.score:
                    best = TopicFound(topic.name, sentence.text, topic, share)
        if best:
            found[topic.pk] = best
    # A broader topic found only where a narrower one is ("CITSOS … the fight against
    # terrorism"): the narrower one says it all. Named in a sentence of its own, it stays.
    parents = {t.pk: t.parent for t in topics}
    below: dict[object, set[str]] = {}
    for pk in found:
        parent = parents.get(pk)
        while parent is not None and parent in parents:
            below.setdefault(parent, set()).update(sentences_of[pk])
            parent = parents.get(parent)
    kept = [f for pk, f in found.items() if not sentences_of[pk] <= below.get(pk, set())]
    order = {sentence.text: number for number, sentence in enumerate(sentences)}
    return sorted(kept, key=lambda f: order.get(f.sentence, 0))


def _spread(hits: dict[str, list[int]], present: list[str]) -> int:
    """The narrowest stretch of words holding one occurrence of every token found."""
    if len(present) < 2:
        return 0
    best = None
    for anchor in hits[present[0]]:
        chosen = [anchor] + [min(hits[t], key=lambda p: abs(p - anchor)) for t in present[1:]]
        spread = max(chosen) - min(chosen)
        best = spread if best is None else min(best, spread)
    return best or 0


def _is_proper(name: str, token: str) -> bool:
    for word in re.findall(r"[\w-]+", name):
        for part in word.split("-"):
            if fold(part) == token and part[:1].isupper() and word != name.split()[0]:
                return True
            if fold(part) == token and part.isupper():
                return True
    return False


def suggest_topics(sentences: list[Sentence], known: list[TopicFound], known_topics) -> list[TopicFound]:
    """New topics: items of "discussed A, B and C" lists that match nothing in the tree."""
    known_names = {fold(t.name) for t in known_topics}
    suggestions: dict[str, TopicFound] = {}
    for sentence in sentences:
        for cue in LIST_CUE.finditer(sentence.text):
            tail = sentence.text[cue.end() :]
            tail = re.split(
                r"[.;:]\s|\.$|\s[–—]\s|,\s+(?:which|who|and\s+(?:the|its)\s+\w+\s+(?:of|on))\b|\s\(", tail
            )[0]
            for item in re.split(
                r",\s*(?:and\s+|as well as\s+)?|\s+and\s+(?=the\s|[a-z]+\s+[a-z]+)|\s+as well as\s+", tail
            ):
                name = _clean_item(item)
                if not name or fold(name) in known_names:
                    continue
                if _covered_by(name, sentence, known, known_topics):
                    continue
                suggestions.setdefault(fold(name), TopicFound(name, sentence.text))
    return list(suggestions.values())[:8]


def _clean_item(item: str) -> str:
    item = item.strip(" ,.")
    item = re.sub(
        r"^(?:also|both|various|several|including|such as|in particular|especially)\s+", "", item, flags=re.I
    )
    item = ITEM_LEAD.sub("", item)
    item = re.sub(
        r"\s+(?:across|along|ahead of|between|among|within|over|during|in the region|in the coming|"
        r"in the [A-Z]|off the|for the [A-Z]).*$",
        "",
        item,
    )
    words = item.split()
    if (
        not words
        or len(words) > 6
        or words[0].lower() in ("its", "their", "his", "her", "how", "what", "which", "these")
    ):
        return ""
    if re.search(r"\b(?:was|were|is|are|had|has|will|would|said|agreed|signed)\b", item):
        return ""
    if (
        find_countries(item)
        and len(words) <= 2
        and not re.search(r"\b(security|relations|war|crisis|conflict)\b", item)
    ):
        return ""
    if not re.search(r"[a-z]", item):
        return ""
    if re.search(
        r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|meeting|talks|visit)\b", item
    ):
        return ""
    if sum(w[:1].isupper() for w in words) == len(words) and len(words) >= 2 and not find_countries(item):
        return ""  # a name ("Abraham Belay"), not a subject
    return item[0].upper() + item[1:]


GENERIC = {
    "concern",
    "concerns",
    "issue",
    "issues",
    "matters",
    "challenges",
    "situation",
    "questions",
    "threats",
}


def _covered_by(name: str, sentence: Sentence, known: list[TopicFound], known_topics=()) -> bool:
    """An item that a topic of the tree already stands for."""
    item = set(_tokens(name)) - STOP
    # "regional security concerns" is "Regional security".
    if item - GENERIC and any(item - GENERIC <= set(_tokens(t.name)) - STOP for t in known_topics):
        return True
    for found in known:
        if found.sentence != sentence.text:
            continue
        words = set(_tokens(found.name)) - STOP
        expanded = words | {s for w in words for option in SYNONYMS.get(w, ()) for s in option.split()}
        if item & expanded and len(item - expanded) <= max(1, len(item) // 2):
            return True
    return False
