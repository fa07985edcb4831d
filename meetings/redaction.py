"""Secrets that travel in addresses are cut to a short prefix before a log line is written.

A calendar program reads the private feed at ``/calendar/feed/<token>.ics`` and a password
reset link carries its token in the path: whoever reads a full address in a log can use it.
A path parameter named ``token`` in the URL patterns is such a secret, and so is the value
of a query parameter in ``SECRET_QUERY_PARAMETERS``; a prefix is kept so that a line can
still be matched with the address its owner holds.

``RedactSecrets`` filters Django's log handlers (development server access log included,
see ``LOGGING``); ``GunicornLogger`` applies it to gunicorn's access and error logs.
"""

from __future__ import annotations

import contextlib
import logging
import re
from urllib.parse import quote, unquote, unquote_plus

from django.apps import apps
from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger

SECRET_PATH_PARAMETERS = frozenset({"token"})
SECRET_QUERY_PARAMETERS = frozenset(
    {"token", "access_token", "id_token", "refresh_token", "api_key", "key", "code", "secret", "password"}
)

# An address in a log line: a path that starts the line or follows a space or a quote.
ADDRESS = re.compile(r"""(?:^|(?<=[\s"'(]))/[^\s"'<>]*""")
QUERY_VALUE = re.compile(r"(?P<name>[^&=;]+)=(?P<value>[^&;]*)")


def shorten(secret: str) -> str:
    """A secret's first characters, never more than a quarter of it."""
    return f"{secret[: min(6, len(secret) // 4)]}…"


def redact_address(address: str) -> str:
    """The address with every secret in its path or query string shortened."""
    path, question, query = address.partition("?")
    # Until the apps are loaded no request has been served, and the URLs cannot be read.
    match = None
    if apps.ready:
        with contextlib.suppress(Resolver404):
            match = resolve(unquote(path))
    if match is not None:
        # Imported here: logging is configured before the apps that this module would load.
        from django.contrib.auth.views import PasswordResetConfirmView

        for name in SECRET_PATH_PARAMETERS & match.kwargs.keys():
            secret = str(match.kwargs[name])
            # After its first visit, a reset link's token waits in the session under this name.
            if secret and secret != PasswordResetConfirmView.reset_url_token:
                if secret not in path:
                    path = unquote(path)
                path = path.replace(secret, shorten(secret))
    if question:
        query = QUERY_VALUE.sub(lambda m: f"{m['name']}={_redact_value(m['name'], m['value'])}", query)
    return path + question + query


def _redact_value(name: str, value: str) -> str:
    if not value:
        return value
    if unquote(name).lower() in SECRET_QUERY_PARAMETERS:
        return shorten(value)
    # An address inside an address: the sign-in page's ?next= holds the page asked for.
    inner = unquote_plus(value)
    if inner.startswith("/") and (redacted := redact_address(inner)) != inner:
        return quote(redacted, safe="/")
    return value


def redact(text: str) -> str:
    return ADDRESS.sub(lambda m: redact_address(m[0]), text)


class RedactSecrets(logging.Filter):
    """Rewrites each record's message with the secrets in its addresses shortened."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class GunicornLogger(Logger):
    """Gunicorn's logger, with secrets in addresses shortened in its access and error logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactSecrets) for f in log.filters):
                log.addFilter(RedactSecrets())
