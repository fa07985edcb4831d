"""Signing in with an OpenID Connect provider (mozilla-django-oidc): the authorisation-code
flow with PKCE, the provider's groups claim mapped to role and clearance as for LDAP, and
signing out ending the provider's session where it offers an end-session endpoint."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from meetings.accounts import directory

BACKEND = "meetings.accounts.oidc.ProviderBackend"


def _claim_list(claims: dict, name: str) -> list[str]:
    value = claims.get(name) if name else None
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


class ProviderBackend(OIDCAuthenticationBackend):
    def get_username(self, claims) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or claims["sub"]).strip().lower()[:150]

    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=self.get_username(claims))

    def _access(self, claims) -> directory.Access:
        found = directory.access_for(
            _claim_list(claims, settings.OIDC_GROUPS_CLAIM),
            settings.OIDC_ROLE_GROUPS,
            settings.OIDC_CLEARANCE_GROUPS,
            _claim_list(claims, settings.OIDC_CLEARANCE_CLAIM),
        )
        if found.role is None:
            request = self.request
            request.sign_in_name = self.get_username(claims)
            directory.refuse(request, "no group that gives a role")
            messages.error(request, directory.NO_ROLE)
            existing = self.filter_users_by_claims(claims).first()
            if existing is not None:
                directory.apply(existing, found)
            raise SuspiciousOperation("no group that gives a role")
        return found

    def create_user(self, claims):
        found = self._access(claims)
        user = self.UserModel(username=self.get_username(claims))
        user.set_unusable_password()
        self._copy_names(user, claims)
        user.save()
        directory.apply(user, found)
        return user

    def update_user(self, user, claims):
        found = self._access(claims)
        self._copy_names(user, claims)
        user.save(update_fields=["first_name", "last_name", "email"])
        directory.apply(user, found)
        return user

    @staticmethod
    def _copy_names(user, claims) -> None:
        user.first_name = str(claims.get("given_name", ""))[:150]
        user.last_name = str(claims.get("family_name", ""))[:150]
        user.email = str(claims.get("email", ""))[:254]


def provider_sign_out_url(request) -> str | None:
    """Where to send someone who signed in through the provider, to end its session too."""
    endpoint = getattr(settings, "OIDC_END_SESSION_ENDPOINT", "")
    if not endpoint or request.session.get("_auth_user_backend") != BACKEND:
        return None
    query = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    if request.session.get("oidc_id_token"):
        query["id_token_hint"] = request.session["oidc_id_token"]
    return f"{endpoint}?{urlencode(query)}"
