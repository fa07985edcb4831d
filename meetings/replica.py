"""Reads from a PostgreSQL streaming replica, writes to the primary (``DATABASE_REPLICA_URL``).

A request may read from the replica when all of these hold; otherwise everything it does
goes to the primary:

- it is a GET, HEAD or OPTIONS, and its sender has not written in the last
  ``DATABASE_REPLICA_PIN_SECONDS`` (read-your-own-writes: every POST, PUT, PATCH or
  DELETE pins its sender, by a cookie and, for API tokens, in the cache, so the page
  shown after a save never comes from a replica that has not replayed it yet);
- the replica answered this process's last check (every ``DATABASE_REPLICA_CHECK_SECONDS``)
  and lagged by at most ``DATABASE_REPLICA_MAX_LAG_SECONDS``.

Within a request on the replica, a query inside a transaction (``transaction.atomic``),
``select_for_update`` and every write go to the primary, as do the records that guard
access (sessions, tokens, sign-in attempts, second factors) and the task queue, so a
sign-out, a revoked token or a lock is in force at once. Outside requests (commands, the
task worker) everything uses the primary.

A request whose replica read fails (the replica stopped, or cancelled a query while
replaying) is answered again from the primary, and the replica is left alone until its
next check: the person sees the page, not an error.
"""

from __future__ import annotations

import collections
import contextvars
import hashlib
import logging
import sys
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.core.signals import got_request_exception
from django.db import DatabaseError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY, REPLICA = "default", "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "primary_reads_until"
# Records that say who may do what right now, and the queue the worker takes tasks from.
PRIMARY_ONLY_APPS = frozenset({"sessions", "authtoken", "axes", "otp_totp", "otp_static", "django_tasks_db"})

# Where the replica has replayed to, and how old its last replayed commit is.
REPLAYED_SQL = """
    SELECT pg_is_in_recovery(),
           COALESCE(pg_last_wal_replay_lsn() - '0/0'::pg_lsn, 0),
           COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
"""
WRITTEN_SQL = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"


def configured() -> bool:
    return REPLICA in connections.settings


@dataclass
class _Attempt:
    """One try at answering a request with reads on the replica."""

    used: bool = False
    failed: bool = False


_attempt: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar("replica_attempt", default=None)


class PrimaryReplicaRouter:
    """Installed always; sends nothing to the replica unless the middleware allowed it."""

    def db_for_read(self, model, **hints):
        attempt = _attempt.get()
        if attempt is None:
            return None  # Django's own choice: the primary, or where the instance came from
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        attempt.used = True
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class _Health:
    """This process's view of the replica: usable or not, measured again now and then.

    The lag is measured in time without a heartbeat table: each check notes where the
    primary's WAL stood, and the replica is as far behind as the oldest noted position it
    has not replayed yet. Until it has notes, the age of its last replayed commit stands in
    (too much when the primary is idle, never too little).
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = False
        self.lag: float | None = None
        self.written: collections.deque[tuple[float, int]] = collections.deque(maxlen=256)

    def usable_now(self) -> bool:
        if time.monotonic() - self.checked_at < settings.DATABASE_REPLICA_CHECK_SECONDS:
            return self.usable
        with self.lock:
            if time.monotonic() - self.checked_at >= settings.DATABASE_REPLICA_CHECK_SECONDS:
                self.lag = self.measure_lag()
                self.usable = self.lag is not None and self.lag <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS
                if self.lag is not None and not self.usable:
                    logger.warning("replica lags %.1f s: reading from the primary", self.lag)
                self.checked_at = time.monotonic()
        return self.usable

    def measure_lag(self) -> float | None:
        """Seconds the replica is behind the primary, or None when it does not answer."""
        replica = connections[REPLICA]
        try:
            with connections[PRIMARY].cursor() as cursor:
                cursor.execute(WRITTEN_SQL)
                written = int(cursor.fetchone()[0])
            now = time.monotonic()
            with replica.cursor() as cursor:
                cursor.execute(REPLAYED_SQL)
                recovering, replayed, last_commit_age = cursor.fetchone()
        except DatabaseError:
            logger.warning("replica does not answer: reading from the primary", exc_info=True)
            replica.close()
            return None
        self.written.append((now, written))
        if not recovering or replayed >= written:
            return 0.0
        noted = [at for at, position in self.written if position <= replayed]
        if noted:
            return now - noted[-1]
        if len(self.written) > 1:
            return now - self.written[0][0]
        return float(last_commit_age)

    def mark_down(self) -> None:
        self.usable, self.lag, self.checked_at = False, None, time.monotonic()

    def forget(self) -> None:
        """Measure again at the next request."""
        self.checked_at = float("-inf")


health = _Health()


def _pin_key(request: HttpRequest) -> str | None:
    authorization = request.headers.get("Authorization")
    if not authorization:
        return None
    return "replica-pin:" + hashlib.sha256(authorization.encode()).hexdigest()


def _pinned(request: HttpRequest) -> bool:
    now = time.time()
    try:
        if float(request.COOKIES.get(PIN_COOKIE, 0)) > now:
            return True
    except ValueError:
        pass
    key = _pin_key(request)
    return key is not None and (cache.get(key) or 0) > now


def _pin(request: HttpRequest, response: HttpResponse) -> None:
    seconds = settings.DATABASE_REPLICA_PIN_SECONDS
    until = time.time() + seconds
    response.set_cookie(
        PIN_COOKIE,
        f"{until:.3f}",
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    key = _pin_key(request)
    if key is not None:
        cache.set(key, until, seconds)


class ReplicaMiddleware:
    """Decides, per request, whether its reads may go to the replica (see the module)."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            _pin(request, response)
            return response
        if _pinned(request) or not health.usable_now():
            return self.get_response(request)
        attempt = _Attempt()
        token = _attempt.set(attempt)
        try:
            response = self.get_response(request)
        finally:
            _attempt.reset(token)
        if attempt.failed and not response.streaming:
            logger.warning("replica read failed: %s answered again from the primary", request.path)
            health.mark_down()
            connections[REPLICA].close()
            response = self.get_response(request)
        return response


@receiver(got_request_exception)
def _note_replica_failure(sender, request=None, **kwargs) -> None:
    attempt = _attempt.get()
    error = sys.exc_info()[1]
    if attempt is not None and attempt.used and isinstance(error, DatabaseError):
        attempt.failed = True
