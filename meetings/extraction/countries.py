"""Countries named in a text: names from django-countries, common short forms and demonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

# Short forms and adjectives that the country list does not hold. Adjectives matter as
# much as names: "his UK counterpart", "British Army", "Kenyan Cabinet Secretary".
ALIASES = {
    "GB": "UK|U.K.|Britain|Great Britain|British|United Kingdom|England|English|Scotland|Scottish|Wales",
    "US": "US|U.S.|USA|U.S.A.|United States|America|American|Pentagon",
    "CD": "DRC|DR Congo|D.R. Congo|Democratic Republic of Congo|Democratic Republic of the Congo|Congolese",
    "CG": "Republic of the Congo|Congo-Brazzaville",
    "KE": "Kenyan",
    "SO": "Somali|Somalian",
    "ET": "Ethiopian",
    "DJ": "Djiboutian",
    "UG": "Ugandan",
    "TZ": "Tanzanian",
    "RW": "Rwandan",
    "BI": "Burundian",
    "SS": "South Sudanese",
    "SD": "Sudanese",
    "ER": "Eritrean",
    "YE": "Yemeni|Yemeni's",
    "EG": "Egyptian",
    "SA": "Saudi|Saudi Arabian",
    "AE": "UAE|Emirati|Emirates",
    "QA": "Qatari",
    "TR": "Turkey|Turkish",
    "IL": "Israeli",
    "IR": "Iranian",
    "IQ": "Iraqi",
    "JO": "Jordanian",
    "FR": "French",
    "DE": "German",
    "IT": "Italian",
    "ES": "Spanish",
    "PT": "Portuguese",
    "NL": "Dutch|Netherlands",
    "BE": "Belgian",
    "DK": "Danish",
    "NO": "Norwegian",
    "SE": "Swedish",
    "FI": "Finnish",
    "PL": "Polish",
    "EE": "Estonian",
    "LV": "Latvian",
    "LT": "Lithuanian",
    "UA": "Ukrainian",
    "RU": "Russian|Russian Federation",
    "CZ": "Czech|Czech Republic",
    "SK": "Slovak",
    "HU": "Hungarian",
    "RO": "Romanian",
    "BG": "Bulgarian",
    "GR": "Greek",
    "IE": "Irish",
    "CA": "Canadian",
    "AU": "Australian",
    "NZ": "New Zealand",
    "JP": "Japanese",
    "CN": "Chinese|PRC",
    "KR": "South Korean|Republic of Korea|ROK",
    "KP": "North Korean|DPRK",
    "IN": "Indian",
    "PK": "Pakistani",
    "PH": "Philippine|Filipino",
    "ID": "Indonesian",
    "MY": "Malaysian",
    "SG": "Singaporean",
    "TH": "Thai",
    "VN": "Vietnamese",
    "NG": "Nigerian",
    "GH": "Ghanaian",
    "ZA": "South African",
    "MZ": "Mozambican",
    "ZM": "Zambian",
    "ZW": "Zimbabwean",
    "MW": "Malawian",
    "SN": "Senegalese",
    "ML": "Malian",
    "NE": "Nigerien",
    "TD": "Chadian",
    "HT": "Haitian",
    "BR": "Brazilian",
    "MX": "Mexican",
    "MA": "Moroccan",
    "DZ": "Algerian",
    "TN": "Tunisian",
    "LY": "Libyan",
}
# Country names that are also common first names or words: only taken when written in full
# context (never inside a person's name; see people.py) and never on their own as adjectives.
AMBIGUOUS = {"Chad", "Jordan", "Georgia", "Guinea", "Niger", "Turkey", "Mali", "Oman", "Israel", "Jersey"}
# "Indian Ocean", "South China Sea", "Korean Peninsula", "Gulf of Aden": places, not countries.
GEOGRAPHIC = re.compile(r"\s+(Ocean|Sea|Peninsula|Gulf|Strait|Basin|Subcontinent|Lakes?)\b")
SHORT_NAMES = {"GB": "UK", "US": "US", "CD": "DR Congo", "AE": "UAE"}


@dataclass(frozen=True)
class CountryMention:
    code: str
    start: int
    end: int
    text: str


@cache
def _table() -> tuple[re.Pattern, dict[str, str]]:
    from django_countries import countries

    names: dict[str, str] = {}
    for code, name in countries:
        name = str(name)
        if "(" in name or "," in name:
            continue
        names.setdefault(name, code)
    for code, aliases in ALIASES.items():
        for alias in aliases.split("|"):
            names[alias] = code
    # Longest first, so "South Sudan" wins over "Sudan" and "Congo" inside longer names.
    alternatives = sorted(names, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(name) for name in alternatives) + r")(?:['’]s)?(?![\w-])"
    )
    return pattern, names


def name_of(code: str) -> str:
    from django_countries import countries

    return SHORT_NAMES.get(code) or str(dict(countries).get(code, code))


@lru_cache(maxsize=4096)
def find_countries(text: str) -> tuple[CountryMention, ...]:
    pattern, names = _table()
    found = []
    for match in pattern.finditer(text):
        word = match.group(1)
        if word == "US" and not re.search(
            r"\b(US|U\.S\.)\b", text[max(0, match.start() - 1) : match.end() + 1]
        ):
            continue
        if word in AMBIGUOUS and not _looks_like_country_use(text, match):
            continue
        if GEOGRAPHIC.match(text, match.end()) and word not in ("Great Lakes",):
            continue
        if re.search(
            r"\b(?:Gulf|Bay|Sea|Strait|Straits|Horn) of (?:the )?$",
            text[max(0, match.start() - 16) : match.start()],
        ):
            continue  # "the Gulf of Guinea", "the Gulf of Aden" (Aden is a city, Guinea a country)
        if word == "Djibouti" and re.match(r"\s+(City|town)\b", text[match.end() :]):
            continue
        found.append(CountryMention(names[word], match.start(), match.end(), match.group(0)))
    return tuple(found)


def _looks_like_country_use(text: str, match: re.Match) -> bool:
    before = text[max(0, match.start() - 12) : match.start()]
    return bool(re.search(r"\b(in|of|to|from|and|with)\s+$", before)) or match.group(0).endswith("s")


def country_codes(text: str) -> list[str]:
    """The countries named in ``text``, first mention first, each once."""
    return list(dict.fromkeys(m.code for m in find_countries(text)))


def code_for(word: str) -> str:
    """The country code of a name or adjective, or ""."""
    _pattern, names = _table()
    return names.get(word.strip(), "")
