import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("health check: database %r is down", alias, exc_info=True)
        # The broken connection is not reused by the next check.
        connections[alias].close()
        return False


def _cache() -> bool:
    """A value written to the shared cache can be read back."""
    key, value = "healthz", get_random_string(12)
    try:
        cache.set(key, value, 30)
        return cache.get(key) == value
    except Exception:
        logger.warning("health check: the cache is down", exc_info=True)
        return False


def checks() -> dict[str, bool]:
    """Each part the app needs, with whether it answers: the database, and the replica and
    the shared cache when they are configured."""
    parts = {"database": _database("default")}
    if "replica" in connections.settings:
        parts["replica"] = _database("replica")
    if settings.CACHE_URL:
        parts["cache"] = _cache()
    return parts


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when every part answers, 503 naming the
    parts that do not. Says nothing else about the app."""
    parts = checks()
    healthy = all(parts.values())
    body = {"status": "ok" if healthy else "error"}
    body.update({name: "ok" if up else "down" for name, up in parts.items()})
    return JsonResponse(body, status=200 if healthy else 503)
