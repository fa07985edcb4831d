"""Directory sign-in settings read from the environment (used by config/settings.py).

Kept apart from the backends, which need Django's models: settings are read before those exist.
"""

from __future__ import annotations

from collections.abc import Mapping


def pairs(text: str) -> list[tuple[str, str]]:
    """``"viewer=cn=a,dc=x; editor=cn=b,dc=x"`` → ``[("viewer", "cn=a,dc=x"), ("editor", "cn=b,dc=x")]``.

    Semicolons separate the pairs (distinguished names hold commas); a key may repeat.
    """
    found = []
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        if sep and key.strip() and value.strip():
            found.append((key.strip(), value.strip()))
    return found


def origin(url: str) -> str:
    """``https://idp.mod.example/realms/x/logout`` → ``https://idp.mod.example``."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def ldap_settings(env: Mapping[str, str]) -> dict:
    """The django-auth-ldap settings (``AUTH_LDAP_*``) and the app's group mappings."""
    import ldap
    from django_auth_ldap import config

    group_types = {
        "groupofnames": config.GroupOfNamesType,
        "nested-groupofnames": config.NestedGroupOfNamesType,
        "activedirectory": config.ActiveDirectoryGroupType,
        "nested-activedirectory": config.NestedActiveDirectoryGroupType,
        "posix": config.PosixGroupType,
    }
    group_type = env.get("LDAP_GROUP_TYPE", "groupofnames").strip().lower()
    if group_type not in group_types:
        raise ValueError(f"LDAP_GROUP_TYPE must be one of {', '.join(group_types)}.")
    options = {
        ldap.OPT_NETWORK_TIMEOUT: int(env.get("LDAP_TIMEOUT_SECONDS", "5")),
        ldap.OPT_TIMEOUT: int(env.get("LDAP_TIMEOUT_SECONDS", "5")),
        ldap.OPT_REFERRALS: 0,  # Active Directory's referrals would need credentials of their own
    }
    if env.get("LDAP_CA_FILE"):
        options[ldap.OPT_X_TLS_CACERTFILE] = env["LDAP_CA_FILE"]
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0
    return {
        "AUTH_LDAP_SERVER_URI": env["LDAP_SERVER_URI"],
        "AUTH_LDAP_START_TLS": env.get("LDAP_START_TLS", "").strip().lower() in {"1", "true", "yes", "on"},
        "AUTH_LDAP_BIND_DN": env.get("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(
            env.get("LDAP_USER_SEARCH_BASE", ""),
            ldap.SCOPE_SUBTREE,
            env.get("LDAP_USER_FILTER", "(uid=%(user)s)"),
        ),
        "AUTH_LDAP_GROUP_SEARCH": config.LDAPSearch(
            env.get("LDAP_GROUP_SEARCH_BASE", env.get("LDAP_USER_SEARCH_BASE", "")),
            ldap.SCOPE_SUBTREE,
            env.get("LDAP_GROUP_FILTER", "(objectClass=*)"),
        ),
        "AUTH_LDAP_GROUP_TYPE": group_types[group_type](),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
        "LDAP_ROLE_GROUPS": pairs(env.get("LDAP_ROLE_GROUPS", "")),
        "LDAP_CLEARANCE_GROUPS": pairs(env.get("LDAP_CLEARANCE_GROUPS", "")),
        "LDAP_CLEARANCE_ATTRIBUTE": env.get("LDAP_CLEARANCE_ATTRIBUTE", ""),
    }


def oidc_settings(env: Mapping[str, str]) -> dict:
    """mozilla-django-oidc's settings (``OIDC_OP_*``, ``OIDC_RP_*``) and the app's mappings."""
    return {
        "OIDC_RP_CLIENT_ID": env["OIDC_CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env["OIDC_AUTHORIZATION_ENDPOINT"],
        "OIDC_OP_TOKEN_ENDPOINT": env["OIDC_TOKEN_ENDPOINT"],
        "OIDC_OP_USER_ENDPOINT": env["OIDC_USERINFO_ENDPOINT"],
        "OIDC_OP_JWKS_ENDPOINT": env["OIDC_JWKS_ENDPOINT"],
        "OIDC_END_SESSION_ENDPOINT": env.get("OIDC_END_SESSION_ENDPOINT", ""),
        "OIDC_RP_SIGN_ALGO": env.get("OIDC_SIGN_ALGORITHM", "RS256"),
        "OIDC_RP_SCOPES": env.get("OIDC_SCOPES", "openid email profile"),
        "OIDC_USE_PKCE": True,
        "OIDC_STORE_ID_TOKEN": True,  # sent back to the provider to end its session too
        "OIDC_VERIFY_SSL": env.get("OIDC_CA_FILE") or True,
        "OIDC_TIMEOUT": int(env.get("OIDC_TIMEOUT_SECONDS", "10")),
        "OIDC_PROVIDER_NAME": env.get("OIDC_PROVIDER_NAME", "your organisation"),
        "OIDC_USERNAME_CLAIM": env.get("OIDC_USERNAME_CLAIM", "preferred_username"),
        "OIDC_GROUPS_CLAIM": env.get("OIDC_GROUPS_CLAIM", "groups"),
        "OIDC_ROLE_GROUPS": pairs(env.get("OIDC_ROLE_GROUPS", "")),
        "OIDC_CLEARANCE_GROUPS": pairs(env.get("OIDC_CLEARANCE_GROUPS", "")),
        "OIDC_CLEARANCE_CLAIM": env.get("OIDC_CLEARANCE_CLAIM", ""),
        "LOGIN_REDIRECT_URL_FAILURE": "/accounts/login/",
    }
