"""Choices offered in forms and filters, built once per language: countries and time zones."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.utils import translation
from django_countries import countries


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def country_choices() -> list[tuple[str, str]]:
    return _country_choices(translation.get_language())


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    # Plain strings: the lazy names cost a translation lookup on every render of every list.
    return [(code, str(name)) for code, name in countries]


def unknown_country(value: str = "%(value)s") -> dict[str, str]:
    return {"invalid_choice": f"Unknown country code “{value}”."}
