"""What the dashboard shows: counts, short lists and chart data, aggregated in the database.

Everything starts from ``visible_to(user)``, so a meeting above the person's clearance is
counted, charted and listed nowhere. The number of queries is fixed (ten at most) whatever
the amount of data: counts and charts are ``GROUP BY`` queries, lists are sliced.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, Max, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import TruncMonth, TruncQuarter
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from meetings import charts
from meetings.models import Action, ActionParty, Meeting, MeetingCountry, MeetingTopic

LIST_LENGTH = 8
DUE_SOON_DAYS = 30
CHART_MONTHS = 12
PARTNER_MONTHS = 24
PARTNER_COUNT = 10
TREND_QUARTERS = 8
TREND_QUARTERS_ON_PHONE = 4
TREND_TOPICS = 5

UPCOMING_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.CONFIRMED)

# A colour per kind that holds 3:1 against white, and a pattern so kinds stay apart in grey print.
KIND_SERIES = [
    charts.Series(Meeting.Kind.BILATERAL, "Bilateral", "#1f4e79", "solid"),
    charts.Series(Meeting.Kind.MULTILATERAL, "Multilateral", "#b35c00", "diagonal"),
    charts.Series(Meeting.Kind.CALL, "Call", "#2e7d32", "dots", "calls"),
    charts.Series(Meeting.Kind.VISIT, "Visit", "#7b3294", "cross", "visits"),
    charts.Series(Meeting.Kind.DIALOGUE, "Dialogue or forum", "#c2185b", "horizontal", "dialogues or forums"),
    charts.Series(Meeting.Kind.OTHER, "Other", "#616161", "vertical"),
]


def month_start(day: datetime.date, offset: int = 0) -> datetime.date:
    """The first day of the month ``offset`` months after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def quarter_start(day: datetime.date, offset: int = 0) -> datetime.date:
    return month_start(day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1), 3 * offset)


def list_url(name: str, **params) -> str:
    """A list address with filters; a list or tuple value repeats the parameter."""
    pairs = [
        (key, value)
        for key, values in params.items()
        for value in (values if isinstance(values, list | tuple) else [values])
    ]
    return f"{reverse(name)}?{urlencode(pairs)}"


@dataclass(frozen=True)
class Stat:
    label: str
    value: int
    note: str
    url: str
    icon: str
    tone: str  # a Bootstrap colour name


@dataclass(frozen=True)
class Panel:
    """One short list on the dashboard: a heading, up to ``LIST_LENGTH`` rows and a link to all."""

    key: str
    title: str
    icon: str
    rows: list
    count: int | None  # None: no total worth showing
    url: str
    empty: str
    tone: str = "secondary"

    @property
    def shows_actions(self) -> bool:
        return self.key in ("overdue", "due-soon")


@dataclass(frozen=True)
class Windows:
    """The date ranges every part of the dashboard uses, from one ``today``."""

    today: datetime.date

    @property
    def chart_start(self) -> datetime.date:
        return month_start(self.today, 1 - CHART_MONTHS)

    @property
    def partner_start(self) -> datetime.date:
        return month_start(self.today, 1 - PARTNER_MONTHS)

    @property
    def trend_start(self) -> datetime.date:
        return quarter_start(self.today, 1 - TREND_QUARTERS)

    @property
    def earliest(self) -> datetime.date:
        return min(self.chart_start, self.partner_start, self.trend_start)

    @property
    def due_soon_end(self) -> datetime.date:
        return self.today + datetime.timedelta(days=DUE_SOON_DAYS)


def held(today: datetime.date, since: datetime.date | None = None, prefix: str = "") -> Q:
    """Meetings held on or before today (and since ``since``); ``prefix`` reaches a related meeting."""
    q = Q(**{f"{prefix}status": Meeting.Status.HELD, f"{prefix}start_date__lte": today})
    if since:
        q &= Q(**{f"{prefix}start_date__gte": since})
    return q


def upcoming(today: datetime.date) -> Q:
    return Q(status__in=UPCOMING_STATUSES, start_date__gte=today)


def build(user, today: datetime.date | None = None) -> dict:
    """The dashboard's whole context for ``user``: the short lists live, the figures cached.

    The lists (next and latest meetings, overdue and due-soon actions) are four sliced
    queries on indexes and are always read afresh, so a meeting or action just saved is
    there on the next view. The figures (counts and charts) aggregate two years of
    records, which takes seconds on a million meetings; they are kept per clearance and
    day (see ``figures``).
    """
    w = Windows(today or timezone.localdate())
    return assemble(w, figures(user, w), live_lists(user, w))


# Every table the dashboard reads, with the change history that records each save and delete.
SOURCES = (Meeting, Action, MeetingCountry, MeetingTopic, ActionParty)


def data_version() -> str:
    """A fingerprint of the dashboard's data that changes with every insert, update and delete.

    The newest id of each table catches inserts (even bulk ones without history); the
    newest entry of each change history catches updates and deletes. Timestamps keep
    it apart from an earlier state even where ids are reused after a rollback. All from
    indexes, in one query of well under a millisecond.
    """
    qn = connection.ops.quote_name
    parts = []
    for model in SOURCES:
        history = model.history.model._meta.db_table
        parts.append(f"(SELECT MAX(id) FROM {qn(model._meta.db_table)})")
        parts.append(f"(SELECT MAX(history_id) FROM {qn(history)})")
        parts.append(f"(SELECT MAX(history_date) FROM {qn(history)})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        row = cursor.fetchone()
    return hashlib.blake2b(repr(row).encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class Cached:
    version: str
    computed_at: datetime.datetime
    figures: dict


def figures(user, w: Windows) -> dict:
    """The counts and charts for ``user``'s clearance, from the cache when they still hold.

    Kept per clearance and day under the ``data_version`` they were computed at. When a
    record has changed since, the figures are computed afresh before the page is shown;
    or, with ``DASHBOARD_STALE_SECONDS`` set, the earlier figures are shown (marked with
    the time they were computed) while one background thread per clearance computes
    the new ones, so nobody waits seconds for a chart after every save.
    ``DASHBOARD_CACHE_SECONDS`` (0 turns the cache off) bounds how long writes that
    bypass the ORM (raw SQL updates) go unseen.
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    clearance = getattr(user, "clearance", None)
    if not seconds or clearance is None or not user.is_authenticated:
        return compute_figures(user, w)
    key = f"dashboard:{clearance}:{w.today.isoformat()}"
    version = data_version()
    cached = cache.get(key)
    if cached is not None and cached.version == version:
        return cached.figures
    stale_for = settings.DASHBOARD_STALE_SECONDS
    if cached is not None and timezone.now() - cached.computed_at < datetime.timedelta(seconds=stale_for):
        if cache.add(f"{key}:refreshing", True, stale_for):
            start_refresh(user, w, key)
        return {**cached.figures, "figures_as_of": cached.computed_at}
    return store(key, version, compute_figures(user, w))


def store(key: str, version: str, computed: dict) -> dict:
    cache.set(key, Cached(version, timezone.now(), computed), settings.DASHBOARD_CACHE_SECONDS)
    return computed


def refresh(user, w: Windows, key: str) -> None:
    """Compute the figures for ``key`` and keep them (run by ``start_refresh``'s thread)."""
    try:
        version = data_version()  # read first: a write made meanwhile gives a newer version
        store(key, version, compute_figures(user, w))
    finally:
        cache.delete(f"{key}:refreshing")


def start_refresh(user, w: Windows, key: str) -> None:
    def run():
        try:
            refresh(user, w, key)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"refresh {key}", daemon=True).start()


def compute_figures(user, w: Windows) -> dict:
    """Counts and charts: aggregates over two years of the records ``user`` may see."""
    meetings = Meeting.objects.visible_to(user)
    actions = Action.objects.visible_to(user).open()

    # Meeting counts, and the highest marking among every meeting a chart or count uses.
    meeting_totals = (
        meetings.filter(held(w.today, w.earliest) | upcoming(w.today))
        .order_by()
        .aggregate(
            held=Count("pk", filter=Q(start_date__gte=w.chart_start, status=Meeting.Status.HELD)),
            upcoming=Count("pk", filter=upcoming(w.today)),
            marking=Max("classification"),
        )
    )
    # Action counts, and the highest marking among their meetings.
    action_totals = actions.order_by().aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=w.today)),
        due_soon=Count("pk", filter=Q(due_date__gte=w.today, due_date__lte=w.due_soon_end)),
        marking=Max("meeting__classification"),
    )
    return {
        "meeting_totals": meeting_totals,
        "action_totals": action_totals,
        **month_charts(meetings, w),
        "partners": partner_chart(user, w),
        "partner_start": w.partner_start,
        "topic_trend": topic_trend(user, w),
    }


def live_lists(user, w: Windows) -> dict[str, list]:
    """The next and the latest meetings, and overdue and due-soon actions with their parties."""
    meetings = Meeting.objects.visible_to(user)
    upcoming_meetings = list(
        meetings.filter(upcoming(w.today)).order_by("start_date", "start_time", "pk")[:LIST_LENGTH]
    )
    recent_meetings = list(meetings.filter(held(w.today)).order_by("-start_date", "-pk")[:LIST_LENGTH])
    for meeting in upcoming_meetings:
        meeting.days_away = (meeting.start_date - w.today).days

    action_rows = Action.objects.visible_to(user).select_related("meeting", "responsible_person")
    overdue = list(action_rows.overdue(w.today).order_by("due_date", "pk")[:LIST_LENGTH])
    due_soon = list(action_rows.due_within(DUE_SOON_DAYS, w.today).order_by("due_date", "pk")[:LIST_LENGTH])
    prefetch_related_objects(
        overdue + due_soon, Prefetch("parties", queryset=ActionParty.objects.select_related("organization"))
    )
    for action in overdue + due_soon:
        action.days_left = (action.due_date - w.today).days
        action.days_late = -action.days_left
    return {
        "upcoming": upcoming_meetings,
        "recent": recent_meetings,
        "overdue": overdue,
        "due_soon": due_soon,
    }


def assemble(w: Windows, figures: dict, lists: dict[str, list]) -> dict:
    """The template's context: count cards, the four panels, charts and the page's marking."""
    meeting_totals, action_totals = figures["meeting_totals"], figures["action_totals"]
    open_statuses = [str(status) for status in Action.OPEN_STATUSES]
    listed = [m.classification for m in lists["upcoming"] + lists["recent"]]
    listed += [a.meeting.classification for a in lists["overdue"] + lists["due_soon"]]
    page_marking = max([meeting_totals["marking"] or 0, action_totals["marking"] or 0, *listed])
    stats = [
        Stat(
            "Meetings held",
            meeting_totals["held"],
            f"since {w.chart_start.day} {w.chart_start:%b %Y}",
            list_url(
                "meeting-list",
                date_after=w.chart_start.isoformat(),
                date_before=w.today.isoformat(),
                status=Meeting.Status.HELD,
            ),
            "bi-calendar-check",
            "primary",
        ),
        Stat(
            "Upcoming meetings",
            meeting_totals["upcoming"],
            "planned or confirmed",
            list_url(
                "meeting-list", date_after=w.today.isoformat(), status=[str(s) for s in UPCOMING_STATUSES]
            ),
            "bi-calendar-event",
            "info",
        ),
        Stat(
            "Open actions",
            action_totals["open"],
            "proposed, agreed, in progress or blocked",
            list_url("action-list", status=open_statuses),
            "bi-list-check",
            "secondary",
        ),
        Stat(
            "Overdue actions",
            action_totals["overdue"],
            "open and past their due date",
            list_url("action-list", overdue="true"),
            "bi-exclamation-triangle",
            "danger" if action_totals["overdue"] else "success",
        ),
    ]

    due_soon_url = list_url(
        "action-list",
        status=open_statuses,
        due_after=w.today.isoformat(),
        due_before=w.due_soon_end.isoformat(),
    )
    # In reading order: on a wide screen, meetings on the left and actions on the right.
    panels = [
        Panel(
            "upcoming",
            "Upcoming meetings",
            "bi-calendar-event",
            lists["upcoming"],
            meeting_totals["upcoming"],
            stats[1].url,
            "No meetings planned or confirmed from today.",
            "info",
        ),
        Panel(
            "overdue",
            "Overdue actions",
            "bi-exclamation-triangle",
            lists["overdue"],
            action_totals["overdue"],
            stats[3].url,
            "Nothing overdue.",
            "danger",
        ),
        Panel(
            "recent",
            "Recently held",
            "bi-clock-history",
            lists["recent"],
            None,
            list_url("meeting-list", date_before=w.today.isoformat(), status=Meeting.Status.HELD),
            "No meetings held yet.",
        ),
        Panel(
            "due-soon",
            f"Due in the next {DUE_SOON_DAYS} days",
            "bi-hourglass-split",
            lists["due_soon"],
            action_totals["due_soon"],
            due_soon_url,
            f"No open action falls due in the next {DUE_SOON_DAYS} days.",
            "warning",
        ),
    ]

    return {
        **figures,
        "today": w.today,
        "stats": stats,
        "panels": panels,
        "page_marking": page_marking,
    }


def month_charts(meetings, w: Windows) -> dict[str, charts.StackedBars]:
    """8. Meetings held per month by kind, for the last twelve months including this one.

    Laid out twice: SVG text scales with the drawing, so a phone gets a narrower drawing
    whose labels stay legible, and a wide screen one whose labels do not grow too large.
    """
    rows = (
        meetings.filter(held(w.today, w.chart_start))
        .annotate(month=TruncMonth("start_date"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    values = {(row["month"], row["kind"]): row["n"] for row in rows}
    columns = []
    for offset in range(CHART_MONTHS):
        first = month_start(w.chart_start, offset)
        last = month_start(first, 1) - datetime.timedelta(days=1)
        columns.append(
            charts.Column(
                key=first,
                label=f"{first:%b}",
                sublabel=str(first.year) if offset == 0 or first.month == 1 else "",
                full_label=f"{first:%B %Y}",
                url=list_url(
                    "meeting-list",
                    date_after=first.isoformat(),
                    date_before=min(last, w.today).isoformat(),
                    status=Meeting.Status.HELD,
                ),
            )
        )
    return {
        "month_chart": charts.stacked_bars(columns, KIND_SERIES, values, chart_id="months"),
        "month_chart_narrow": charts.stacked_bars(
            # Two-digit years: "2025" under December would run into "2026" under January.
            [replace(c, sublabel=f"’{c.sublabel[2:]}" if c.sublabel else "") for c in columns],
            KIND_SERIES,
            values,
            chart_id="months-narrow",
            width=340,
            height=240,
        ),
    }


def partner_chart(user, w: Windows) -> list[charts.ListBar]:
    """9. The countries taking part in most meetings held over the last two years."""
    rows = (
        MeetingCountry.objects.visible_to(user)
        .filter(held(w.today, w.partner_start, prefix="meeting__"), role=MeetingCountry.Role.PARTICIPANT)
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[:PARTNER_COUNT]
    )
    return charts.bar_list(
        [
            (
                countries.name(row["country"]) or row["country"],
                row["n"],
                reverse("country-detail", args=[row["country"]]),
                row["country"],
            )
            for row in rows
        ]
    )


@dataclass
class TopicTrend:
    quarters: list[tuple[str, int, bool]]  # ("Q1", 2026, left out on a phone)
    rows: list[charts.HeatRow]
    start: datetime.date


def topic_trend(user, w: Windows) -> TopicTrend:
    """10. The topics discussed most over the last eight quarters, counted quarter by quarter."""
    rows = (
        MeetingTopic.objects.visible_to(user)
        .filter(held(w.today, w.trend_start, prefix="meeting__"))
        .annotate(quarter=TruncQuarter("meeting__start_date"))
        .values("quarter", "topic_id", "topic__name", "topic__parent__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    starts = [quarter_start(w.trend_start, offset) for offset in range(TREND_QUARTERS)]
    quarters = [
        (f"Q{(start.month - 1) // 3 + 1}", start.year, i < TREND_QUARTERS - TREND_QUARTERS_ON_PHONE)
        for i, start in enumerate(starts)
    ]
    counts: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    names: dict[int, tuple[str, str]] = {}
    for row in rows:
        counts[row["topic_id"]][row["quarter"]] = row["n"]
        names[row["topic_id"]] = (row["topic__name"], row["topic__parent__name"] or "")
    top = sorted(counts, key=lambda pk: (-sum(counts[pk].values()), names[pk][0]))[:TREND_TOPICS]
    heat = charts.heat_levels(
        [
            (
                names[pk][0],
                names[pk][1],
                list_url("meeting-list", topic=pk, date_after=w.trend_start.isoformat()),
                [counts[pk].get(start, 0) for start in starts],
            )
            for pk in top
        ],
        [f"{quarter} {year}" for quarter, year, _ in quarters],
        keep_on_phone=TREND_QUARTERS_ON_PHONE,
    )
    return TopicTrend(quarters, heat, w.trend_start)
