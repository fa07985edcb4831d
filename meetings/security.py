"""Sign-in events go to the ``meetings.security`` log and to the audit: who, from where,
success, failure or refusal, one line each.

django-axes' own lines about the same attempts show only with ``LOG_LEVEL=DEBUG`` (see
``LOGGING``): the lockouts it decides are said here.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from meetings.accounts import throttling
from meetings.audit.models import Event
from meetings.audit.record import sign_in_event

logger = logging.getLogger("meetings.security")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?") if request is not None else "?"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    logger.info("sign-in ok user=%s address=%s", user.get_username(), _address(request))
    detail = getattr(request, "sign_in_detail", {})
    sign_in_event(request, Event.Kind.SIGN_IN, user.get_username(), user=user, **detail)


@receiver(user_login_failed)
def log_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:
    username = credentials.get("username") or getattr(request, "sign_in_name", "?")
    refusal = getattr(request, "sign_in_refusal", None)
    if refusal is not None:
        logger.warning(
            "sign-in refused user=%s address=%s reason=%s", username, _address(request), refusal.reason
        )
        sign_in_event(request, Event.Kind.LOCKED_OUT, username, reason=refusal.reason)
        return
    reason = getattr(request, "directory_refusal", None)
    if reason is not None:
        logger.warning("sign-in refused by the directory user=%s address=%s", username, _address(request))
        sign_in_event(request, Event.Kind.DIRECTORY_REFUSED, username, reason=reason)
        return
    logger.warning("sign-in failed user=%s address=%s", username, _address(request))
    detail = {"directory": "unreachable"} if getattr(request, "directory_down", False) else {}
    sign_in_event(request, Event.Kind.SIGN_IN_FAILED, username, **detail)
    if getattr(request, "axes_locked_out", False):
        logger.warning("sign-in locked user=%s address=%s", username, _address(request))
        sign_in_event(request, Event.Kind.LOCKED_OUT, username, reason="name-and-address")
    elif throttling.name_failures(username)[0] == settings.SIGN_IN_LOCK_AFTER:
        logger.warning("sign-in locked user=%s until an administrator unlocks it", username)
        sign_in_event(request, Event.Kind.LOCKED_OUT, username, reason="name-locked")


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    logger.info("sign-out user=%s address=%s", user.get_username() if user else "?", _address(request))
