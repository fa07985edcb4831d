"""Names that probably mean the same person or organisation: the duplicate guard's test."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from django.db.models import Q

from meetings.models import Organization, Person

# Words that do not tell people apart: honorifics, ranks and joining words.
IGNORED_WORDS = frozenset(
    {"the", "of", "and", "for", "hon", "honourable", "rt", "right", "dr", "mr", "mrs", "ms", "miss"}
    | {"sir", "dame", "prof", "general", "gen", "lt", "col", "maj", "brig", "adm", "cdr", "capt"}
)


def name_tokens(name: str) -> list[str]:
    """Lower-case words without accents, punctuation or honorifics: "Hon. Adén Duale" → ["aden", "duale"]."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [word for word in re.findall(r"[^\W_]+", folded) if word not in IGNORED_WORDS]


def _same_word(a: str, b: str) -> bool:
    """Equal, or a long word spelt slightly differently ("heappey", "heapey")."""
    return a == b or (min(len(a), len(b)) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.85)


def _covers(short: list[str], long: list[str]) -> bool:
    """Every word of ``short`` is a word or an initial of a different word of ``long``, one in full."""
    remaining = list(long)
    full_match = False
    for word in sorted(short, key=len, reverse=True):
        for candidate in remaining:
            initial = (len(word) == 1 and candidate.startswith(word)) or (
                len(candidate) == 1 and word.startswith(candidate)
            )
            same = len(word) > 1 and len(candidate) > 1 and _same_word(word, candidate)
            if same or initial:
                full_match |= same
                remaining.remove(candidate)
                break
        else:
            return False
    return full_match


def names_match(typed: str, existing: str) -> bool:
    """Whether two names probably mean the same person or organisation.

    Ignores case, accents, punctuation, honorifics and word order; accepts initials
    ("J. Heapey") and a missing word ("Heapey"); forgives a small misspelling
    ("Heappey"). Pure, so it is cheap to test and to run over a short list of candidates.
    """
    a, b = name_tokens(typed), name_tokens(existing)
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if _covers(short, long):
        return True
    return SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio() >= 0.88


def _candidates(queryset, typed: str, limit: int = 500):
    """Records sharing a word or a word's first letters with ``typed``: a cheap pre-filter."""
    words = [word for word in name_tokens(typed) if len(word) > 1][:6]
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition |= Q(name__icontains=word) | Q(name__icontains=word[:3])
        if "acronym" in {f.name for f in queryset.model._meta.fields}:
            condition |= Q(acronym__iexact=word)
    return queryset.filter(condition)[:limit]


def similar_people(name: str, *, exclude_pk: int | None = None, limit: int = 5) -> list[Person]:
    """Existing people whose name probably means the same person as ``name``."""
    found = [
        p
        for p in _candidates(Person.objects.select_related("organization"), name)
        if names_match(name, p.name)
    ]
    found = [p for p in found if p.pk != exclude_pk]
    found.sort(key=lambda p: (sorted(name_tokens(p.name)) != sorted(name_tokens(name)), p.name))
    return found[:limit]


def similar_organizations(
    name: str, *, country: str = "", exclude_pk: int | None = None, limit: int = 5
) -> list[Organization]:
    """Existing organisations (in the same country, when one is given) probably meaning ``name``."""
    queryset = Organization.objects.all()
    if country:
        queryset = queryset.filter(Q(country=country) | Q(country=""))
    typed = name_tokens(name)
    found = [
        o
        for o in _candidates(queryset, name)
        if o.pk != exclude_pk
        and (names_match(name, o.name) or (o.acronym and typed == name_tokens(o.acronym)))
    ]
    found.sort(key=lambda o: (sorted(name_tokens(o.name)) != sorted(typed), o.name))
    return found[:limit]
