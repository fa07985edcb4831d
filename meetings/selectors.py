"""Reads shared by several pages: each question about the records asked in one place."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce

from meetings.models import CountryTally


def by_date(meetings: QuerySet) -> QuerySet:
    """Meetings with ``date_key``, the date their lists sort on: their own date, until
    ``engaging`` makes it the same date as carried by the country index."""
    return meetings.annotate(date_key=F("start_date"))


def engaging(meetings: QuerySet, code: str, since=None) -> QuerySet:
    """The meetings a country engaged in: held there, or taking part (host or delegation).

    Read through ``Engagement``, one row per meeting and country that carries the
    meeting's date, with an index on (country, date, meeting). Sorted on ``date_key``
    (that carried date) and then the id, newest first is a walk down that index which
    stops after a page, whether the country takes part in one meeting in a thousand or
    in most of them: no scan of every meeting in date order in search of a rare
    country's, no sort of a common country's hundreds of thousands. ``since`` keeps to
    meetings from that date on (in the same join, so still one walk).
    """
    on = {"engagements__country": code}
    if since is not None:  # a date, or an expression giving one
        on["engagements__start_date__gte"] = since
    return meetings.filter(**on).annotate(date_key=F("engagements__start_date"))


# A filter matching fewer rows than this is gathered and sorted rather than walked for.
FEW = 5000


def few(rows_behind: QuerySet) -> bool:
    """Whether a filter's rows (say, a topic's notes) are few: counting at most ``FEW`` of
    them is cheap, and tells a rare match from a common one."""
    return rows_behind.order_by()[:FEW].count() < FEW


def gathered(meetings: QuerySet) -> QuerySet:
    """Sorted for a filter that matches few meetings (see ``few``).

    A rare match may lie years back, so walking the date index for it would read most of
    the table first. Sorted on the date as an expression, which no index serves, the
    database gathers the few matches from their own index, then sorts them; a common match
    keeps ``date_key`` as it was, and the walk meets a page of it early.
    """
    return meetings.annotate(date_key=Coalesce("start_date", "end_date"))


def newest_first(meetings: QuerySet) -> QuerySet:
    """By ``date_key`` (see ``by_date`` and ``engaging``), then id, newest first."""
    return meetings.order_by("-date_key", "-pk")


FREQUENCIES_SECONDS = 3600


def engagement_frequencies() -> dict[str, int]:
    """About how many held meetings each country took part in, from the dashboard's
    tallies, kept an hour in the cache (each process's own, without a shared one).

    Only ever a guide to which country's meetings are fewer, never shown: an hour's
    change does not reorder countries that differ by thousands.
    """

    def count() -> dict[str, int]:
        rows = CountryTally.objects.values("country").annotate(total=Sum("n")).order_by()
        return {row["country"]: row["total"] for row in rows}

    return cache.get_or_set("engagement-frequencies", count, FREQUENCIES_SECONDS)
