"""The second factor for local accounts: an authenticator app (TOTP) and recovery codes.

Who must have one is ``MFA_REQUIRED``: ``admins`` (administrators and staff), ``all`` or
``off``; whoever has set one up is always asked for it. People signing in through the
directory or OpenID Connect rely on their provider's own second factor.

Between the password and the code the person is not signed in: the session holds only
who passed the password, for a few minutes.
"""

from __future__ import annotations

import time

import segno
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

LOCAL_BACKEND = "meetings.accounts.backends.LocalAccounts"
PENDING = "sign_in_pending"
PENDING_SECONDS = 5 * 60
RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def is_local(backend: str | None) -> bool:
    return backend == LOCAL_BACKEND


def required_for(user) -> bool:
    """Whether the policy obliges this local account to use a second factor."""
    policy = settings.MFA_REQUIRED
    if policy == "all":
        return True
    if policy == "admins":
        return user.is_superuser or user.is_staff or user.groups.filter(name="administrator").exists()
    return False


def authenticator(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# The pending sign-in ----------------------------------------------------------------


def begin(request, user, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "until": time.time() + PENDING_SECONDS,
    }


def pending_user(request):
    """Who passed the password in this session a moment ago, or None."""
    from meetings.models import User

    pending = request.session.get(PENDING)
    if not pending or pending["until"] < time.time():
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def pending_next(request) -> str:
    return (request.session.get(PENDING) or {}).get("next", "")


def end(request) -> None:
    request.session.pop(PENDING, None)


# Devices ----------------------------------------------------------------------------


def start_enrolment(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same one until it is confirmed."""
    device = authenticator(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def qr_code(device: TOTPDevice) -> str:
    """The device's set-up address as an SVG QR code, drawn here, as a data: URI."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret(device: TOTPDevice) -> str:
    """The key as people type it into an app by hand: base32 in groups of four."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def current_code(device: TOTPDevice) -> str:
    """The code the device's app shows now (for tests and the set-up check)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms the authenticator if the code is right; returns new recovery codes."""
    if not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replaces the person's recovery codes; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def remove(user) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def verify(user, code: str) -> tuple[str | None, str]:
    """Checks a code from the app or a recovery code. Returns (what matched or None, why not).

    A code already used is refused (the app's device remembers the last time step used);
    each wrong code makes the next try wait longer (django-otp's throttling).
    """
    code = _digits(code).lower()
    with transaction.atomic():
        # A six-digit code is the app's; anything else can only be a recovery code.
        if code.isdigit() and len(code) == 6:
            devices = TOTPDevice.objects.filter(user=user, confirmed=True)
            matched = "authenticator app"
        else:
            devices = StaticDevice.objects.filter(user=user)
            matched = "recovery code"
        for device in devices.select_for_update():
            allowed, why = device.verify_is_allowed()
            if not allowed:
                return None, _wait_message(why)
            if device.verify_token(code):
                return matched, ""
    return None, "That code is not right, or it has been used already."


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def _wait_message(why: dict | None) -> str:
    locked_until = (why or {}).get("locked_until")
    if locked_until is None:
        return "Too many wrong codes: try again in a moment."
    from django.utils import timezone

    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return f"Too many wrong codes: wait {seconds} seconds before trying again."
