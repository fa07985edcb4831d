"""Server-side sessions that keep the idle timeout without a database write on every request.

Django pushes a session's expiry on by re-saving it on every request
(``SESSION_SAVE_EVERY_REQUEST``): one ``UPDATE`` per page view. This store skips that
save when nothing in the session changed and it was last saved less than
``SESSION_REFRESH_SECONDS`` ago, so a busy person costs one write a minute. The session
then ends between ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and
``SESSION_COOKIE_AGE`` after the last request (29 to 30 minutes by default), never later.

With a shared cache (``CACHE_URL``, Redis or the database) sessions are read from the
cache and written through to the database (``cached_db``): no query at all to read one.
Without one they are read from the database, since a per-process memory cache would let
a signed-out session live on in another process.
"""

import time

from django.conf import settings
from django.contrib.sessions.backends import cached_db, db

SAVED_AT = "_saved_at"


class _RefreshNowAndThen:
    def save(self, must_create: bool = False) -> None:
        session = self._get_session(no_load=must_create)
        now = int(time.time())
        if not must_create and not self.modified and now - session.get(SAVED_AT, 0) < refresh_seconds():
            return
        session[SAVED_AT] = now
        super().save(must_create=must_create)


def refresh_seconds() -> int:
    return getattr(settings, "SESSION_REFRESH_SECONDS", 60)


_Base = cached_db.SessionStore if getattr(settings, "SESSIONS_IN_CACHE", False) else db.SessionStore


class SessionStore(_RefreshNowAndThen, _Base):
    pass
