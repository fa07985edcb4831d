"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit in provider
mode, run as a process of its own on a loopback port (``tests/oidc_server.py`` starts it).
It signs ID tokens with RS256, requires PKCE, and names each person's groups in a claim."""
