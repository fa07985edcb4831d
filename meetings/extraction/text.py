"""Cleaning pasted text and cutting it into sentences, with their positions kept."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{0,2000}>", re.IGNORECASE | re.DOTALL)
BLOCK_TAG = re.compile(
    r"<\s*/?\s*(p|div|br|li|h[1-6]|tr|section|article|header|footer)\b[^>]*>", re.IGNORECASE
)
# Control and format characters (zero-width spaces, direction marks), but not tabs or new lines.
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A full stop ends a sentence unless it closes an abbreviation, an initial or a rank.
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "hon",
    "gen",
    "lt",
    "col",
    "maj",
    "brig",
    "capt",
    "cdr",
    "adm",
    "sgt",
    "cpl",
    "pte",
    "st",
    "no",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "amb",
    "prof",
    "rev",
    "gov",
    "sen",
    "rep",
    "jr",
    "sr",
    "co",
    "corp",
    "inc",
    "ltd",
    "mt",
    "ft",
    "rtd",
    "retd",
    "cmdr",
    "wo",
}
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z\"“])")
WORD = re.compile(r"[^\W_]+(?:[’'\-–][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    index: int
    paragraph: int

    def __str__(self) -> str:
        return self.text


def clean(raw: str) -> str:
    """Plain text from what a person pasted: tags dropped, entities decoded, spaces tidied."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if re.search(r"<\s*(p|div|br|span|a|li|h\d|body|html)\b", text, re.IGNORECASE):
        text = BLOCK_TAG.sub("\n", text)
        text = TAG.sub(" ", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = CONTROL.sub("", text)
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _abbreviation_before(chunk: str) -> bool:
    """Whether the full stop that ends ``chunk`` closes an abbreviation or an initial
    ("Brig. Gen. Pat", "J. Austin", "U.S. Navy", "No. 2 Squadron"), not a sentence."""
    before = re.search(r"([\w.]+)[.!?]+[\"'”’)]*$", chunk)
    word = before.group(1).lower() if before else ""
    return (
        word in ABBREVIATIONS
        or (len(word) == 1 and word.isalpha())
        or bool(re.fullmatch(r"(?:\w\.)+\w", word))
    )


def clause_end(text: str) -> int:
    """Where the first clause of ``text`` ends: at a full stop that ends a sentence (not one
    inside "U.S." or "Gen."), a semicolon, a colon or a dash between spaces."""
    for match in re.finditer(r"[.!?](?=\s|$)|[;:]\s|\s[–—]\s", text):
        if match.group()[0] in ".!?" and _abbreviation_before(text[: match.end()]):
            continue
        return match.start()
    return len(text)


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph, start = 0, 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        chunk = text[start:end]
        if match.group().strip() == "" or "\n" in match.group():
            pass
        elif _abbreviation_before(chunk):
            continue
        _add(sentences, text, start, end, paragraph)
        if "\n" in match.group() or "\n" in text[end : end + 2]:
            paragraph += 1
        start = end
    _add(sentences, text, start, len(text), paragraph)
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    offset = start + chunk.index(stripped[0])
    sentences.append(Sentence(" ".join(stripped.split()), offset, len(sentences), paragraph))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def fold(text: str) -> str:
    """Lower case without accents, with one kind of dash and apostrophe."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("’", "'").replace("–", "-").replace("—", "-")


ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "on",
        "for",
        "with",
        "was",
        "were",
        "is",
        "are",
        "by",
        "that",
        "this",
        "at",
        "as",
        "from",
        "his",
        "her",
        "their",
        "its",
        "has",
        "have",
        "had",
        "be",
        "been",
        "will",
        "would",
        "an",
        "which",
        "also",
        "both",
        "two",
        "said",
        "met",
        "meeting",
    ]
)


def english_share(text: str, sample_words: int = 3000) -> float:
    """The share of very common English words among the first words: low for other languages."""
    sample = [w.lower() for w in words(text[:40_000])][:sample_words]
    if not sample:
        return 0.0
    return sum(w in ENGLISH_WORDS for w in sample) / len(sample)
