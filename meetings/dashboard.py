"""What the dashboard shows: counts, short lists and chart data.

Everything starts from ``visible_to(user)`` (the tallies' own for the counts), so a
meeting above the person's clearance is counted, charted and listed nowhere. The number
of queries is fixed whatever the amount of data: counts and charts add up tallies kept
by the database (``meetings/derived.py``) and the current month's records, lists are sliced.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, Sum, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from meetings import charts, derived
from meetings.models import (
    Action,
    ActionParty,
    ActionTally,
    CountryTally,
    Meeting,
    MeetingCountry,
    MeetingTally,
    MeetingTopic,
    TopicTally,
)

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
    """The dashboard's whole context for ``user``.

    The lists (next and latest meetings, overdue and due-soon actions) are four sliced
    queries on indexes. The figures (counts and charts) add up the tallies the database
    keeps on every write (``meetings/derived.py``): whole months from the tallies, and
    the current month, which today cuts in two, from its own records. So the figures cost
    a few small queries on a million meetings as on ten, without any cache; a cache (see
    ``figures``) only saves those.
    """
    w = Windows(today or timezone.localdate())
    return assemble(w, figures(user, w), live_lists(user, w))


@dataclass(frozen=True)
class Cached:
    version: tuple
    figures: dict


def figures(user, w: Windows) -> dict:
    """The counts and charts for ``user``'s clearance, from the cache while no tally has moved.

    With ``DASHBOARD_CACHE_SECONDS`` (0, the default without a shared cache, turns it off)
    they are kept per clearance and day under ``derived.version()``, which every write
    that changes a count moves on.
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    clearance = getattr(user, "clearance", None)
    if not seconds or clearance is None or not user.is_authenticated:
        return compute_figures(user, w)
    key = f"dashboard:{clearance}:{w.today.isoformat()}"
    version = derived.version()
    cached = cache.get(key)
    if cached is not None and cached.version == version:
        return cached.figures
    computed = compute_figures(user, w)
    cache.set(key, Cached(version, computed), seconds)
    return computed


def compute_figures(user, w: Windows) -> dict:
    """Counts and charts over the records ``user`` may see, from the tallies."""
    derived.fold_if_due()
    meeting_totals, by_month = meeting_counts(user, w)
    return {
        "meeting_totals": meeting_totals,
        "action_totals": action_counts(user, w),
        **month_charts(by_month, w),
        "partners": partner_chart(user, w),
        "partner_start": w.partner_start,
        "topic_trend": topic_trend(user, w),
    }


def this_month(w: Windows) -> tuple[datetime.date, datetime.date]:
    """The month that today cuts in two: counted from its records, not from the tallies."""
    return month_start(w.today), month_start(w.today, 1)


def meeting_counts(user, w: Windows) -> tuple[dict, dict]:
    """Meetings held since the chart's start and upcoming, with the highest marking among
    every meeting a count or chart uses; and the held ones per (month, kind)."""
    current, following = this_month(w)
    tallied = (
        MeetingTally.objects.visible_to(user)
        .filter(
            Q(status=Meeting.Status.HELD, month__gte=w.earliest, month__lt=current)
            | Q(status__in=UPCOMING_STATUSES, month__gte=following)
        )
        .values("classification", "month", "kind", "status")
        .annotate(total=Sum("n"))
        .order_by()
    )
    recent = (
        Meeting.objects.visible_to(user)
        .filter(held(w.today, current) | (upcoming(w.today) & Q(start_date__lt=following)))
        .values("classification", "kind", "status")
        .annotate(total=Count("pk"))
        .order_by()
    )
    by_month: dict[tuple[datetime.date, str], int] = defaultdict(int)
    coming, marking = 0, None
    for row in [*tallied, *({**row, "month": current} for row in recent)]:
        if row["total"] <= 0:
            continue
        marking = max(marking or 0, row["classification"])
        if row["status"] == Meeting.Status.HELD:
            by_month[row["month"], row["kind"]] += row["total"]
        else:
            coming += row["total"]
    held_total = sum(n for (month, _), n in by_month.items() if month >= w.chart_start)
    return {"held": held_total, "upcoming": coming, "marking": marking}, by_month


def action_counts(user, w: Windows) -> dict:
    """Open, overdue and due-soon actions, and the highest marking among their meetings."""
    rows = (
        ActionTally.objects.visible_to(user)
        .values("classification")
        .annotate(
            open=Sum("n"),
            overdue=Sum("n", filter=Q(due_date__lt=w.today)),
            due_soon=Sum("n", filter=Q(due_date__gte=w.today, due_date__lte=w.due_soon_end)),
        )
        .order_by()
    )
    totals = {"open": 0, "overdue": 0, "due_soon": 0, "marking": None}
    for row in rows:
        for name in ("open", "overdue", "due_soon"):
            totals[name] += row[name] or 0
        if row["open"]:
            totals["marking"] = max(totals["marking"] or 0, row["classification"])
    return totals


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


def month_charts(values: dict[tuple[datetime.date, str], int], w: Windows) -> dict[str, charts.StackedBars]:
    """8. Meetings held per month by kind, for the last twelve months including this one.

    Laid out twice: SVG text scales with the drawing, so a phone gets a narrower drawing
    whose labels stay legible, and a wide screen one whose labels do not grow too large.
    """
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
    current, _ = this_month(w)
    tallied = (
        CountryTally.objects.visible_to(user)
        .filter(month__gte=w.partner_start, month__lt=current)
        .values("country")
        .annotate(total=Sum("n"))
        .order_by()
    )
    recent = (
        MeetingCountry.objects.visible_to(user)
        .filter(held(w.today, current, prefix="meeting__"), role=MeetingCountry.Role.PARTICIPANT)
        .values("country")
        .annotate(total=Count("pk"))
        .order_by()
    )
    totals: Counter[str] = Counter()
    for row in [*tallied, *recent]:
        totals[row["country"]] += row["total"]
    top = sorted((code for code, n in totals.items() if n > 0), key=lambda code: (-totals[code], code))
    rows = [{"country": code, "n": totals[code]} for code in top[:PARTNER_COUNT]]
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
    current, _ = this_month(w)
    tallied = (
        TopicTally.objects.visible_to(user)
        .filter(month__gte=w.trend_start, month__lt=current)
        .values("month", "topic_id", "topic__name", "topic__parent__name")
        .annotate(total=Sum("n"))
        .order_by()
    )
    recent = (
        MeetingTopic.objects.visible_to(user)
        .filter(held(w.today, current, prefix="meeting__"))
        .values("topic_id", "topic__name", "topic__parent__name")
        .annotate(total=Count("pk"))
        .order_by()
    )
    starts = [quarter_start(w.trend_start, offset) for offset in range(TREND_QUARTERS)]
    quarters = [
        (f"Q{(start.month - 1) // 3 + 1}", start.year, i < TREND_QUARTERS - TREND_QUARTERS_ON_PHONE)
        for i, start in enumerate(starts)
    ]
    counts: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, tuple[str, str]] = {}
    for row in [*tallied, *({**row, "month": current} for row in recent)]:
        counts[row["topic_id"]][quarter_start(row["month"])] += row["total"]
        names[row["topic_id"]] = (row["topic__name"], row["topic__parent__name"] or "")
    totals = {pk: sum(by_quarter.values()) for pk, by_quarter in counts.items()}
    top = sorted((pk for pk, n in totals.items() if n > 0), key=lambda pk: (-totals[pk], names[pk][0]))[
        :TREND_TOPICS
    ]
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
