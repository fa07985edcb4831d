"""Private calendar addresses and API tokens: issued, replaced and revoked by their owner."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from meetings.models import CalendarFeed, User


def calendar_feed_issue(*, user: User) -> str:
    """Give the person a new private calendar address, replacing (and so closing) any old one.

    Returns the secret of the address: it is stored only as a digest, so this is the one
    moment it can be shown.
    """
    token, digest = CalendarFeed.new_token()
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token=digest)
    return token


def calendar_feed_revoke(*, user: User) -> bool:
    """Close the person's calendar address; whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def api_token_issue(*, user: User) -> str:
    """Give the person a new API token, replacing (and so stopping) any old one; returns its key."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key


def api_token_revoke(*, user: User) -> bool:
    """Stop the person's API token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
