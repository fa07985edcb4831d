"""Sign-in throttling: how many guesses a name, an address and a password reset get.

Four limits, each counted from the audit's sign-in events:

- one name from one address: django-axes locks it for a while (``SIGN_IN_FAILURE_LIMIT``
  failures, ``SIGN_IN_LOCKOUT_MINUTES``);
- one name from any address: after ``SIGN_IN_SLOW_AFTER`` failures since its last
  successful sign-in or unlock, each further try must wait twice as long as the one
  before; after ``SIGN_IN_LOCK_AFTER`` the name is locked until an administrator unlocks it;
- one address, any names (password spraying): after ``SIGN_IN_ADDRESS_LIMIT`` failures in
  ``SIGN_IN_ADDRESS_MINUTES``, the address may try only names that have signed in from it
  before, so the people of an office behind one shared address keep working;
- password reset: ``PASSWORD_RESET_PER_ACCOUNT`` mails an hour to one address and
  ``PASSWORD_RESET_PER_ADDRESS`` requests an hour from one network address.

A refused try is recorded as a refusal, not as a failure, so waiting out a slow-down is
never punished.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.utils import timezone

from meetings.audit.models import Event
from meetings.audit.record import client_address, normalise_username, sign_in_event

Kind = Event.Kind
LONGEST_WAIT = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class Refusal:
    reason: str  # "name-and-address", "name-slowed", "name-locked" or "address"
    message: str
    wait_seconds: int = 0


def _events(**filters):
    return Event.objects.filter(meeting__isnull=True, **filters)


def name_failures(username: str) -> tuple[int, datetime.datetime | None]:
    """Failures of this name, from any address, since its last sign-in or unlock; and the latest."""
    name = normalise_username(username)
    since = _events(username=name, kind__in=[Kind.SIGN_IN, Kind.UNLOCKED]).aggregate(last=Max("at"))[
        "last"
    ] or datetime.datetime.min.replace(tzinfo=datetime.UTC)
    counted = _events(username=name, kind=Kind.SIGN_IN_FAILED, at__gt=since).aggregate(
        failures=Count("id"), latest=Max("at")
    )
    return counted["failures"], counted["latest"]


def wait_after(failures: int) -> datetime.timedelta:
    """How long a name must wait after its latest failure before the next try."""
    over = failures - settings.SIGN_IN_SLOW_AFTER
    if over < 0:
        return datetime.timedelta(0)
    return min(datetime.timedelta(seconds=2**over), LONGEST_WAIT)


def refusal(request, username: str) -> Refusal | None:
    """Why this try must be refused before its password is checked, or None to go ahead."""
    now = timezone.now()
    failures, latest = name_failures(username)
    if failures >= settings.SIGN_IN_LOCK_AFTER:
        return Refusal(
            "name-locked",
            "This account is locked after too many failed sign-ins. An administrator can unlock it.",
        )
    if latest is not None:
        ready = latest + wait_after(failures)
        if ready > now:
            seconds = int((ready - now).total_seconds()) + 1
            return Refusal(
                "name-slowed",
                f"Too many failed sign-ins for this name: wait {seconds} seconds before trying again.",
                seconds,
            )
    address = client_address(request)
    if address and _address_over_limit(address, now) and not _known_here(username, address, now):
        return Refusal(
            "address",
            "Too many failed sign-ins from your network address. Try again in a few minutes.",
        )
    return None


def _address_over_limit(address: str, now) -> bool:
    window = now - datetime.timedelta(minutes=settings.SIGN_IN_ADDRESS_MINUTES)
    recent = _events(address=address, kind=Kind.SIGN_IN_FAILED, at__gte=window)
    return recent.count() >= settings.SIGN_IN_ADDRESS_LIMIT


def _known_here(username: str, address: str, now) -> bool:
    """Whether this name has signed in from this address lately: a colleague, not a guess."""
    since = now - datetime.timedelta(days=settings.SIGN_IN_KNOWN_ADDRESS_DAYS)
    return _events(
        username=normalise_username(username), address=address, kind=Kind.SIGN_IN, at__gte=since
    ).exists()


def name_is_locked(username: str) -> bool:
    return name_failures(username)[0] >= settings.SIGN_IN_LOCK_AFTER


def locked_names() -> list[dict]:
    """The names now locked until an administrator unlocks them, with their latest failure."""
    failed = (
        _events(kind=Kind.SIGN_IN_FAILED)
        .values("username")
        .annotate(failures=Count("id"), latest=Max("at"))
        .filter(failures__gte=settings.SIGN_IN_LOCK_AFTER)
    )
    locked = []
    for row in failed:
        failures, latest = name_failures(row["username"])
        if failures >= settings.SIGN_IN_LOCK_AFTER:
            locked.append({"username": row["username"], "failures": failures, "latest": latest})
    return sorted(locked, key=lambda row: row["latest"], reverse=True)


def unlock(username: str, *, by=None, request=None) -> None:
    """Lift every lock on a name: the administrator's unlock (all addresses)."""
    AxesProxyHandler.reset_attempts(username=username)
    sign_in_event(request, Kind.UNLOCKED, username, by=by.get_username() if by else "command line")


def password_reset_allowed(request, email: str) -> tuple[bool, bool]:
    """(address allowed, account allowed): whether to answer at all, and whether to send."""
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    asked = _events(kind=Kind.PASSWORD_RESET, at__gte=hour_ago)
    address = client_address(request)
    by_address = asked.filter(address=address).count() if address else 0
    by_account = asked.filter(username=normalise_username(email)).count()
    return (
        by_address < settings.PASSWORD_RESET_PER_ADDRESS,
        by_account < settings.PASSWORD_RESET_PER_ACCOUNT,
    )


class ThrottledBackend(AxesStandaloneBackend):
    """First of the authentication backends: refuses a try that a limit stops, before
    any backend checks the password, and tells the sign-in page why."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        try:
            super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.sign_in_refusal = Refusal(
                "name-and-address", "Too many failed sign-ins for this account from this address."
            )
            raise
        found = refusal(request, username)
        if found is not None:
            request.sign_in_refusal = found
            raise PermissionDenied(found.message)
        return None
