"""Meetings as iCalendar (RFC 5545) events: one meeting's download and a person's feed.

Events carry the meeting's own time zone (with a VTIMEZONE), or whole days when no time
is recorded; a marked meeting says its marking at the start of its summary, since a
calendar shows the summary wherever the event appears.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.delegations import delegations
from meetings.models import Attendance, Meeting

PRODID = "-//Defence meetings//Meeting calendar//EN"
UID_DOMAIN = "defence-meetings"
# A feed holds meetings from a year back onwards; clients poll it about hourly.
FEED_HISTORY = datetime.timedelta(days=365)
FEED_REFRESH = datetime.timedelta(hours=1)
# Per side of today, so that a vast history never pushes the coming meetings out.
FEED_LIMIT = 1000
# A timed meeting without an end time is shown for an hour rather than as a point.
DEFAULT_LENGTH = datetime.timedelta(hours=1)

STATUSES = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CONFIRMED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


# Control characters have no place in a calendar line; line breaks become the one RFC 5545
# escapes (a bare CR would end the content line and the whole file would be refused).
_CONTROLS = dict.fromkeys((*range(0, 9), *range(11, 32), 127)) | {13: "\n"}


def _text(value: str | None) -> str | None:
    """Stored text as an event may carry it, whatever it holds."""
    if value is None:
        return None
    return value.replace("\r\n", "\n").translate(_CONTROLS)


def feed_meetings(visible: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """The meetings a feed lists: coming ones and those of the past year, nearest to today first."""
    today = today or timezone.localdate()
    window = visible.filter(start_date__gte=today - FEED_HISTORY)
    coming = window.filter(start_date__gte=today).order_by("start_date", "pk")
    past = window.filter(start_date__lt=today).order_by("-start_date", "-pk")
    ids = [*coming.values_list("pk", flat=True)[:FEED_LIMIT], *past.values_list("pk", flat=True)[:FEED_LIMIT]]
    return visible.filter(pk__in=ids).with_attendees_and_topics().order_by("start_date", "pk")


def calendar(meetings: Iterable[Meeting], *, name: str, url_of: Callable[[Meeting], str]) -> bytes:
    """A VCALENDAR of the meetings; ``url_of`` gives each meeting's absolute address."""
    cal = Calendar.new(
        prodid=PRODID, method="PUBLISH", name=_text(name), refresh_interval=FEED_REFRESH, calscale="GREGORIAN"
    )
    stamp = timezone.now()
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url=url_of(meeting), stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def meeting_event(meeting: Meeting, *, url: str, stamp: datetime.datetime) -> Event:
    start, end = _span(meeting)
    event = Event.new(
        uid=f"meeting-{meeting.pk}@{UID_DOMAIN}",
        stamp=stamp,
        start=start,
        end=end,
        summary=_text(summary(meeting)),
        description=_text(_description(meeting, url)),
        location=None if meeting.kind == Meeting.Kind.CALL else _text(meeting.place) or None,
        status=STATUSES.get(meeting.status),
        sequence=max(meeting.version - 1, 0),
        last_modified=meeting.updated_at,
        categories=[meeting.get_kind_display()],
        url=url,
    )
    return event


def summary(meeting: Meeting) -> str:
    """The title, led by the marking when it is above the lowest: "[RESTRICTED] Defence talks"."""
    if meeting.classification > 0:
        return f"[{meeting.classification_label}] {meeting.title}"
    return meeting.title


def _zone(meeting: Meeting) -> ZoneInfo:
    try:
        return ZoneInfo(meeting.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _span(meeting: Meeting) -> tuple[datetime.date | datetime.datetime, datetime.date | datetime.datetime]:
    """Start and (exclusive) end: whole days without a start time, else times in its own zone."""
    last_day = meeting.end_date or meeting.start_date
    if meeting.start_time is None:
        return meeting.start_date, last_day + datetime.timedelta(days=1)
    zone = _zone(meeting)
    start = datetime.datetime.combine(meeting.start_date, meeting.start_time, zone)
    if meeting.end_time is not None:
        end = datetime.datetime.combine(last_day, meeting.end_time, zone)
    elif last_day > meeting.start_date:
        end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(), zone)
    else:
        end = start + DEFAULT_LENGTH
    return start, max(end, start)


def _description(meeting: Meeting, url: str) -> str:
    lines = [f"{meeting.get_kind_display()} · {meeting.get_status_display()}"]
    if meeting.classification > 0:
        lines.insert(0, f"Marking: {meeting.classification_label}")
    groups = delegations(meeting, meeting.attendances.all())
    if groups:
        lines += ["", "Attendees"]
        for group in groups:
            country = group.country.name if group.country else "No delegation recorded"
            lines.append(f"{country}{' (host)' if group.is_host else ''}:")
            lines += [f"  {_attendee(attendance)}" for attendance in group.attendances]
    notes = list(meeting.topic_notes.all())
    if notes:
        lines += ["", "Topics"]
        lines += [f"- {note.topic.name}" + (f": {note.note}" if note.note else "") for note in notes]
    lines += ["", url]
    return "\n".join(lines)


def _attendee(attendance: Attendance) -> str:
    person = attendance.person
    name = f"{person.honorific} {person.name}" if person.honorific else person.name
    details = ", ".join(part for part in (attendance.title, str(attendance.organization or "")) if part)
    return f"{name} ({details})" if details else name
