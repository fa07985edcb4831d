"""Writing the audit: one insert per event, from what the view has already loaded.

Reads and exports are kept only when what was read is marked at least
``AUDIT_READS_FROM`` (by default the second marking of the scale); sign-in events always.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest

from meetings.audit.models import Event

Kind = Event.Kind


def client_address(request: HttpRequest | None) -> str | None:
    """The address a request came from, as sign-in protection sees it (proxies included)."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None)
    if address is None:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    return address or None


def reads_from_lowest() -> bool:
    return settings.AUDIT_READS_FROM_LEVEL == 0


def _audited(marking: int) -> bool:
    return marking >= settings.AUDIT_READS_FROM_LEVEL


def _event(request: HttpRequest | None, kind: str, **fields) -> Event:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        fields.setdefault("user", user)
        fields.setdefault("username", user.get_username())
    return _insert(kind=kind, address=client_address(request), **fields)


def _insert(**fields) -> Event:
    """One INSERT. On PostgreSQL, outside a transaction of the caller's, it commits without
    waiting for the disk (a flush would be most of its cost): a crash of the database
    server itself may then lose the last fraction of a second of events, never half of one.
    ``AUDIT_SYNCHRONOUS=true`` waits for the disk every time."""
    if connection.vendor != "postgresql" or settings.AUDIT_SYNCHRONOUS or connection.in_atomic_block:
        return Event.objects.create(**fields)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return Event.objects.create(**fields)


def meeting_read(request: HttpRequest, meeting, kind: str = Kind.MEETING) -> Event | None:
    """A person saw one meeting: its page, brief, PDF, calendar file or API record."""
    if not _audited(meeting.classification):
        return None
    return _event(request, kind, meeting=meeting, marking=meeting.classification)


def export(request: HttpRequest, *, list_name: str, filters: dict, rows: int, marking: int, fmt: str):
    """A person downloaded a list: which one, filtered how, how many rows, marked how high."""
    if not _audited(marking):
        return None
    detail = {"list": list_name, "filters": filters, "rows": rows, "format": fmt}
    return _event(request, Kind.EXPORT, marking=marking, detail=detail)


def source_download(request: HttpRequest, source) -> Event | None:
    """A person downloaded a meeting's uploaded source file."""
    meeting = source.meeting
    if not _audited(meeting.classification):
        return None
    detail = {"source": source.pk, "title": source.title}
    return _event(request, Kind.SOURCE, meeting=meeting, marking=meeting.classification, detail=detail)


def sign_in_event(request: HttpRequest | None, kind: str, username: str, user=None, **detail) -> Event:
    """A sign-in, failure, refusal or unlock. The name is kept folded to lower case, the way
    throttling counts it, so that "Alice" and "alice" share one count."""
    fields = {"username": normalise_username(username), "detail": detail}
    if user is not None:
        fields["user"] = user
    return _insert(kind=kind, address=client_address(request), **fields)


def normalise_username(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]
