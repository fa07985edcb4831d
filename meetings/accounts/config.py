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
