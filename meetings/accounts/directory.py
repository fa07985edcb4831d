"""Signing in with the organisation's directory: its groups give the role and the clearance.

The same mapping serves LDAP / Active Directory (groups by distinguished name) and OpenID
Connect (groups as the provider names them in a claim). Someone in no group that gives a
role is refused, not given a default one. Role and clearance are set again at every
sign-in, so a group taken away in the directory counts from the next sign-in on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ldap
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error

from meetings import classification
from meetings.roles import ROLES

NO_ROLE = "Your directory account is in no group that gives access to this app. Ask your administrator."
DIRECTORY_DOWN = "The directory cannot be reached just now. Try again in a few minutes."


@dataclass(frozen=True)
class Access:
    role: str | None
    clearance: int


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def access_for(
    groups: Iterable[str],
    role_groups: list[tuple[str, str]],
    clearance_groups: list[tuple[str, str]],
    clearance_values: Iterable[str] = (),
) -> Access:
    """The highest role and the highest clearance that the person's groups (or a clearance
    attribute or claim holding a marking) give; group names compared without letter case."""
    held = {_fold(group) for group in groups}
    ranks = [ROLES.index(role) for role, group in role_groups if _fold(group) in held and role in ROLES]
    levels = [level.upper() for level in classification.levels()]
    markings = [marking.upper() for marking, group in clearance_groups if _fold(group) in held]
    markings += [value.strip().upper() for value in clearance_values]
    clearance = max((levels.index(m) for m in markings if m in levels), default=0)
    return Access(ROLES[max(ranks)] if ranks else None, clearance)


@transaction.atomic
def apply(user, access: Access) -> None:
    """Gives the user the role and clearance from the directory, replacing what they had."""
    user.clearance = access.clearance
    user.is_staff = access.role == "administrator"
    user.save(update_fields=["clearance", "is_staff"])
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=access.role))
    if access.role:
        user.groups.add(Group.objects.get(name=access.role))


def refuse(request, reason: str) -> None:
    """Marks the sign-in as refused by the directory mapping, for the page and the audit."""
    if request is not None:
        request.directory_refusal = reason


def _attribute(attrs, name: str) -> list[str]:
    if not name:
        return []
    return next((values for key, values in attrs.items() if key.lower() == name.lower()), [])


class DirectoryBackend(LDAPBackend):
    """LDAP / Active Directory, configured by the ``LDAP_*`` environment variables."""

    def ldap_to_django_username(self, username: str) -> str:
        return username.strip().lower()  # directories match names whatever their letter case

    def get_or_build_user(self, username, ldap_user):
        found = access_for(
            ldap_user.group_dns,
            settings.LDAP_ROLE_GROUPS,
            settings.LDAP_CLEARANCE_GROUPS,
            _attribute(ldap_user.attrs, settings.LDAP_CLEARANCE_ATTRIBUTE),
        )
        ldap_user.access = found
        if found.role is None:
            existing = self.get_user_model().objects.filter(username=username).first()
            if existing is not None:
                apply(existing, found)  # whatever role they had is taken away too
            refuse(ldap_user._request, "no group that gives a role")
            raise ldap_user.AuthenticationFailed("no group that gives a role")
        return super().get_or_build_user(username, ldap_user)

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            apply(user, ldap_user.access)
        return user


@receiver(ldap_error)
def note_directory_down(sender, context, user, request, exception, **kwargs) -> None:
    if isinstance(exception, ldap.SERVER_DOWN | ldap.TIMEOUT | ldap.CONNECT_ERROR) and request is not None:
        request.directory_down = True
