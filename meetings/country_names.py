"""Country names and addresses by ISO code, looked up once per process.

django-countries translates a name every time one is asked for; a list page asks
hundreds of times, so the names are read once per language and kept.
"""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils.translation import get_language
from django_countries import countries


@functools.cache
def _names(language: str | None) -> dict[str, str]:
    return {code: str(name) for code, name in countries}


def country_name(code) -> str:
    """The name of the country with this code (a code or a django-countries Country)."""
    code = getattr(code, "code", code) or ""
    return _names(get_language()).get(code, code)


@functools.cache
def country_url(code: str) -> str:
    return reverse("country-detail", args=[code])
