"""Sign-in events go to the ``meetings.security`` log: who, from where, success or failure.

Lockouts are logged by django-axes itself (logger ``axes``).
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("meetings.security")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?") if request is not None else "?"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    logger.info("sign-in ok user=%s address=%s", user.get_username(), _address(request))


@receiver(user_login_failed)
def log_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:
    logger.warning("sign-in failed user=%s address=%s", credentials.get("username", "?"), _address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    logger.info("sign-out user=%s address=%s", user.get_username() if user else "?", _address(request))
