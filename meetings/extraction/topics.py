"""Topics: the app's topic tree matched against the text, and new topics suggested from
what the text says was discussed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from meetings.extraction.countries import find_countries
from meetings.extraction.text import Sentence, clause_end, fold

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
# What introduces the subjects of a meeting: "discussed A, B and C", "talks centred on A",
# "with a focus on A", "exchanged views on A", "matters of mutual interest including A".
LIST_CUE = re.compile(
    r"\b(?:(?:discussed|discussing|reviewed|reviewing|covered|covering|addressed|addressing|examined|explored|"
    r"assessed|touched on|focus(?:s)?ed on|focusing on|focussing on|cent(?:re|er)d on|concentrated on|"
    r"(?:exchanged|shared) (?:views|ideas|perspectives|notes) (?:on|about)|spoke about|talked about|"
    r"(?:were|was) briefed on)"
    r"|(?:discussions?|talks|deliberations|conversations?|exchanges|"
    r"the (?:meeting|call|visit|agenda|dialogue))\s+"
    r"(?:on|of|about|revolving around|cent(?:re|er)d on|focus(?:s)?ed on|concentrated on|covered|included|"
    r"touched on|dealt with|(?:were|was) about|concerned|addressed|looked at)"
    r"|with (?:a|an|particular) (?:focus|emphasis) on|on the agenda(?: were| was)?|topics included|"
    r"agenda included|concerning|progress (?:on|in|towards)|"
    r"(?:matters|issues|areas|questions|subjects) of (?:mutual|common|shared) (?:interest|concern),?"
    r"(?:\s+(?:including|such as|notably))?)\s+",
    re.IGNORECASE,
)
# "On the war in Ukraine, the ministers …": a subject named before the clause about it.
TOPIC_FIRST = re.compile(
    r"^(?:On|Regarding|Concerning|As for|As regards)\s+(?P<topic>[^,]{3,80}),\s+"
    r"(?:the|both|they|he|she|ministers?|leaders?|officials?|[A-Z][a-z]+\s+[A-Z])"
)
# A cue followed by a day is about when, not what: "held talks on Tuesday with …".
WHEN = re.compile(
    r"^(?:the\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|\d|January|February|March|April|"
    r"May\b|June|July|August|September|October|November|December|the (?:sidelines|margins|fringes)|"
    r"arrival|behalf)",
    re.IGNORECASE,
)
ITEM_LEAD = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?:(?:progress|state|threat|future|question|issue|issues|importance|"
    r"strengthening|composition|coordination|role|need|prospects?|financing|"
    r"funding)\s+(?:posed\s+by|of|on|in|for)\s+)?"
    r"(?:the\s+|a\s+)?",
    re.IGNORECASE,
)
# "the situation in Somalia": a place is a subject only with what is happening there.
SITUATION = re.compile(
    r"^(?:the\s+)?(?P<lead>(?:security\s+|political\s+|humanitarian\s+)?situation|war|crisis|conflict|fighting|"
    r"tensions|instability)\s+(?:in|on|around|along)\s+(?P<where>.+)$",
    re.IGNORECASE,
)
# One adjective before a comma belongs with the next item: "long-range, precision-guided munitions".
ADJECTIVE = re.compile(r"^(?:[a-z]+-[a-z]+|[a-z]+(?:al|ed|ive|ic|ous|ary|ile|ant|ent))$")
CLAUSE_WORDS = re.compile(
    r"\b(?:was|were|is|are|had|has|have|will|would|said|agreed|signed|can|could|should|may|must|did|does|"
    r"been|being|they|we|he|she|it|that|whether|how)\b"
)
FRAGMENT_START = {
    "along",
    "across",
    "between",
    "among",
    "within",
    "over",
    "during",
    "off",
    "to",
    "for",
    "with",
    "by",
    "from",
    "as",
    "of",
    "in",
    "on",
    "at",
    "into",
    "its",
    "their",
    "his",
    "her",
    "how",
    "what",
    "which",
    "these",
    "this",
    "those",
    "that",
    "our",
    "whether",
    "other",
    "such",
}
FRAGMENT_END = {"the", "of", "and", "to", "in", "on", "for", "with", "a", "an", "by", "at", "from", "or"}


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


def match_known_topics(
    sentences: list[Sentence], topics, acronyms: dict[str, str], organisations: tuple[str, ...] = ()
) -> list[TopicFound]:
    """Known topics whose words all (or, for long names, nearly all) occur close together."""
    found: dict[object, TopicFound] = {}
    sentences_of: dict[object, set[str]] = {}
    prepared = []
    for sentence in sentences:
        text = sentence.text
        for acronym, full in acronyms.items():
            if acronym in text or full in text:
                text = f"{text} {acronym} {full}"
        # "the Kofi Annan International Peacekeeping Training Centre" names a place, not a subject.
        for name in organisations:
            if len(name.split()) >= 3 and name in text and name not in acronyms.values():
                text = text.replace(name, " ; ")
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
                # Words of a short name far apart in the sentence are about other things:
                # "the security of the Gulf … closer regional coordination" is not "Regional security".
                # A short name found through a synonym ("navy" for "military") only when the
                # words stand together.
                literal = all(_stem(t) in index for t in alternative)
                reach = max(10, 4 * len(alternative)) if len(alternative) > 2 else (6 if literal else 2)
                if _spread(hits, present) > reach:
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


def suggest_topics(
    sentences: list[Sentence], known: list[TopicFound], known_topics, names: set[str] = frozenset()
) -> list[TopicFound]:
    """New topics: items of "discussed A, B and C" lists that match nothing in the tree.
    ``names`` are the people the text names, folded: never a topic."""
    known_names = {fold(t.name) for t in known_topics}
    suggestions: dict[str, TopicFound] = {}
    for sentence in sentences:
        for tail in _topic_tails(sentence.text):
            for item in _items(tail):
                name = _clean_item(item, names)
                if not name or fold(name) in known_names:
                    continue
                if _covered_by(name, sentence, known, known_topics):
                    continue
                broader = _by_head(name, known_topics)
                if broader is not None:
                    if all(f.known is not broader for f in known):
                        known.append(TopicFound(broader.name, sentence.text, broader))
                    continue
                suggestions.setdefault(fold(name), TopicFound(name, sentence.text))
    return list(suggestions.values())[:10]


def _by_head(name: str, known_topics):
    """The topic of the tree an item is a case of: "the training of Angolan pilots" is
    "Military training", the broadest topic named by the activity the item begins with."""
    head = re.match(r"^([a-z-]+) (?:of|for|by) ", fold(name))
    if not head or head.group(1) in GENERIC:
        return None
    word = AMERICAN.get(head.group(1), head.group(1))
    cases = [t for t in known_topics if _tokens(t.name)[-1:] == [word] and len(_tokens(t.name)) <= 3]
    return min(cases, key=lambda t: (t.parent is not None, len(t.name)), default=None)


def _topic_tails(text: str) -> list[str]:
    """The stretches of a sentence that list what was discussed, each up to its clause's end."""
    tails = []
    first = TOPIC_FIRST.match(text)
    if first:
        tails.append(first["topic"])
    cues = list(LIST_CUE.finditer(text))
    for number, cue in enumerate(cues):
        tail = text[cue.end() :]
        if WHEN.match(tail):
            continue
        if number + 1 < len(cues):
            tail = text[cue.end() : cues[number + 1].start()]
        tail = tail[: clause_end(tail)]
        tail = re.split(
            r",\s+(?:which|who|where|while|whereas|and\s+(?:the|its)\s+\w+\s+(?:of|on))\b|\s\(|"
            r",?\s+(?:with|during|after|before|ahead of|following|under|amid)\s+(?:the|a|an|his|her|their)\b",
            tail,
        )[0]
        tails.append(tail)
    return tails


def _items(tail: str) -> list[str]:
    parts = re.split(
        r",\s*(?:and\s+|as well as\s+|including\s+|such as\s+|notably\s+|in particular\s+)?|"
        r"\s+(?:and|as well as)\s+(?=the\s|[A-Za-z]+\s+[a-z]+)|"
        r"\s+(?:as well as|including|such as|notably)\s+",
        tail,
    )
    items: list[str] = []
    for part in parts:
        part = part.strip()
        if items and ADJECTIVE.match(items[-1]) and part:
            items[-1] = f"{items[-1]}, {part}"
            continue
        items.append(part)
    return items


def _clean_item(item: str, names: set[str] = frozenset()) -> str:
    item = item.strip(" ,.")
    item = re.sub(
        r"^(?:also|both|various|several|including|such as|in particular|especially|notably|further)\s+",
        "",
        item,
        flags=re.I,
    )
    situation = SITUATION.match(item)
    if situation and find_countries(situation["where"]) and len(situation["where"].split()) <= 3:
        item = f"{situation['lead']} in {re.sub(r'^the\s+', '', situation['where'])}"
    else:
        item = ITEM_LEAD.sub("", item)
        item = re.sub(
            r"\s+(?:across|along|ahead of|between|among|within|over|during|in the region|in the coming|"
            r"off the|for the [A-Z]|since|until|through|by (?:the|their|its))\b.*$",
            "",
            item,
        )
    # "the UK's Indo-Pacific tilt", "cooperation on defence industry": the subject itself.
    item = re.sub(
        r"^[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?['’]s\s+",
        lambda m: "" if find_countries(m.group()) else m.group(),
        item,
    )
    item = re.sub(
        r"^(?:co-?operation|collaboration|partnership|dialogue)\s+(?:on|in)\s+", "", item, flags=re.I
    )
    item = item.strip(" ,.")
    words = item.split()
    if re.fullmatch(
        r"(?:the\s+|a\s+|an\s+)?(?:memorandum of understanding|mou|agreement|agreements|treaty|"
        r"arrangement|letter of intent|roadmap|framework)",
        item,
        re.I,
    ):
        return ""  # a document with no name says nothing of what it is about
    if not words or len(words) > 7 or words[0].lower() in FRAGMENT_START or words[-1].lower() in FRAGMENT_END:
        return ""
    if CLAUSE_WORDS.search(item):
        return ""
    if (
        not situation
        and find_countries(item)
        and len(words) <= 2
        and not re.search(r"\b(security|relations|war|crisis|conflict)\b", item)
    ):
        return ""
    if not re.search(r"[^\W\d_]{3}", item):
        return ""
    if re.search(
        r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|meeting|talks|visit|counterpart)\b",
        item,
    ):
        return ""
    folded = fold(re.sub(r"^(?:the|The)\s+", "", item))
    if folded in names or any(folded.endswith(" " + n.split()[-1]) and folded in n for n in names):
        return ""  # a person ("Abraham Belay", "Minister Heapey"), not a subject
    if sum(w[:1].isupper() for w in words) == len(words) and _a_name(words):
        return ""
    return item[0].upper() + item[1:]


def _a_name(words: list[str]) -> bool:
    """Capitalised words that read like a person's name: a given name and a surname, with no
    word that names a thing ("Black Sea", "Operation Eastern Shield", "Global Combat Air Programme")."""
    from meetings.extraction.people import NOT_NAME, TITLE_HEADS

    if len(words) not in (2, 3) or find_countries(" ".join(words)):
        return False
    return not any(w in NOT_NAME or w.lower() in TITLE_HEADS or w.isupper() or "-" in w for w in words)


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
    "cooperation",
    "co-operation",
    "efforts",
    "developments",
}


# Words that qualify a subject without saying what it is: "shared security concerns".
QUALIFIERS = {
    "shared",
    "common",
    "mutual",
    "key",
    "various",
    "bilateral",
    "several",
    "new",
    "current",
    "recent",
    "ongoing",
    "emerging",
    "other",
    "further",
    "wider",
    "broader",
    "overall",
    "growing",
    "continued",
}


def _covered_by(name: str, sentence: Sentence, known: list[TopicFound], known_topics=()) -> bool:
    """An item that a topic of the tree already stands for: every word that says what it is
    about is in the topic's name ("regional security concerns" is "Regional security"; "border
    security" is not)."""
    content = set(_tokens(name)) - STOP - GENERIC - QUALIFIERS
    if not content:
        return True
    # A place on its own ("the situation in Somalia") is not what a broader topic about that
    # place ("AU mission in Somalia") is about.
    place_only = all(find_countries(word.title()) for word in content)
    if not place_only and any(content <= set(_tokens(t.name)) - STOP for t in known_topics):
        return True
    for found in known:
        if found.sentence != sentence.text:
            continue
        words = set(_tokens(found.name)) - STOP
        expanded = words | {s for w in words for option in SYNONYMS.get(w, ()) for s in option.split()}
        if content <= expanded or (len(content & expanded) >= 2 and len(content - expanded) <= 1):
            return True
    return False
