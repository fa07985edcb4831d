"""Reads shared by several pages: each question about the records asked in one place."""

from __future__ import annotations

from django.db.models import F, QuerySet


def by_date(meetings: QuerySet) -> QuerySet:
    """Meetings with ``date_key``, the date their lists sort on: their own date, until
    ``engaging`` makes it the same date as carried by the country index."""
    return meetings.annotate(date_key=F("start_date"))


def engaging(meetings: QuerySet, code: str) -> QuerySet:
    """The meetings a country engaged in: held there, or taking part (host or delegation).

    Read through ``Engagement``, one row per meeting and country that carries the
    meeting's date, with an index on (country, date, meeting). Sorted on ``date_key``
    (that carried date) and then the id, newest first is a walk down that index which
    stops after a page, whether the country takes part in one meeting in a thousand or
    in most of them: no scan of every meeting in date order in search of a rare
    country's, no sort of a common country's hundreds of thousands.
    """
    return meetings.filter(engagements__country=code).annotate(date_key=F("engagements__start_date"))


def newest_first(meetings: QuerySet) -> QuerySet:
    """By ``date_key`` (see ``by_date`` and ``engaging``), then id, newest first."""
    return meetings.order_by("-date_key", "-pk")
