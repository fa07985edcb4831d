from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalAccounts(ModelBackend):
    """Passwords kept by the app. ``LOCAL_SIGN_IN=false`` stops them signing anyone in
    (permissions still come from here for everyone)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_SIGN_IN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
