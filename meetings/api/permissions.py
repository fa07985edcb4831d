"""Who may call the API, and how often."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import UserRateThrottle


class ReadOrEdit(BasePermission):
    """Signed-in people read; editors and administrators also write (403 for viewers)."""

    message = "Only editors and administrators change records."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or user.can_edit


class TokenThrottle(UserRateThrottle):
    """A request budget per token (``API_TOKEN_RATE``); the browser's session is not counted."""

    scope = "token"
    PERIODS = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}

    @classmethod
    def budget(cls) -> str:
        """The budget as people say it: "3600/hour" → "3,600 requests an hour"."""
        throttle = cls()
        return f"{throttle.num_requests:,} requests {cls.PERIODS[throttle.duration]}"

    def get_rate(self) -> str:
        return settings.API_TOKEN_RATE

    def allow_request(self, request, view) -> bool:
        if request.auth is None:
            return True
        return super().allow_request(request, view)
