"""Prometheus metrics: request latency by view and database queries by database.

Off unless ``METRICS_ENABLED``. Written with ``prometheus_client``, the Prometheus
project's own library (django-prometheus does not install beside this Django version).
Labels are URL pattern names, never addresses, so an unknown address or an id adds no
new series. Under gunicorn each worker process counts for itself and ``/metrics`` adds
them up: ``bin/serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at an empty folder for that.

``/metrics`` itself is protected by ``METRICS_TOKEN`` (``Authorization: Bearer …``)
and/or ``METRICS_ALLOWED_ADDRESSES`` (the client's address, or networks such as
``10.0.0.0/8``); with neither set, only a signed-in administrator may read it.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import os
import time
from collections import Counter as Tally

import prometheus_client
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import MiddlewareNotUsed, PermissionDenied
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import multiprocess

from meetings.accounts.permissions import is_administrator

UNRESOLVED = "<unresolved>"  # no URL pattern matched: a 404 before any view

REQUEST_SECONDS = prometheus_client.Histogram(
    "meetings_request_duration_seconds",
    "Time from the request reaching the app to the response leaving it, by view and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUESTS = prometheus_client.Counter(
    "meetings_requests", "Requests answered, by view, method and status code.", ["view", "method", "status"]
)
QUERIES = prometheus_client.Counter(
    "meetings_db_queries",
    "Database queries made while answering requests, by view and database.",
    ["view", "database"],
)
QUERIES_PER_REQUEST = prometheus_client.Histogram(
    "meetings_db_queries_per_request",
    "Database queries one request made, all databases together, by view.",
    ["view"],
    buckets=(1, 2, 5, 10, 15, 20, 30, 50, 100, 200),
)


def view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or match._func_path) if match is not None else UNRESOLVED


class MetricsMiddleware:
    """Times each request and counts the queries it makes on each database."""

    def __init__(self, get_response):
        if not settings.METRICS_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries: Tally[str] = Tally()
        started = time.perf_counter()
        with contextlib.ExitStack() as wrappers:
            for alias in connections:
                wrappers.enter_context(connections[alias].execute_wrapper(_Counting(queries, alias)))
            response = self.get_response(request)
        view, method = view_name(request), request.method or ""
        REQUEST_SECONDS.labels(view, method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        for alias, count in queries.items():
            QUERIES.labels(view, alias).inc(count)
        QUERIES_PER_REQUEST.labels(view).observe(sum(queries.values()))
        return response


class _Counting:
    def __init__(self, tally: Tally, alias: str):
        self.tally, self.alias = tally, alias

    def __call__(self, execute, sql, params, many, context):
        self.tally[self.alias] += 1
        return execute(sql, params, many, context)


def _address_allowed(address: str) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in network for network in settings.METRICS_ALLOWED_NETWORKS)


def _token_matches(request: HttpRequest) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), settings.METRICS_TOKEN.encode()
    )


def _exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    return prometheus_client.generate_latest(registry)


@login_not_required  # each way of protecting it is checked below
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_ENABLED:
        raise Http404
    if settings.METRICS_TOKEN and not _token_matches(request):
        response = HttpResponse("A valid bearer token is needed.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if settings.METRICS_ALLOWED_NETWORKS and not _address_allowed(request.META.get("REMOTE_ADDR", "")):
        raise PermissionDenied
    if not (settings.METRICS_TOKEN or settings.METRICS_ALLOWED_NETWORKS):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_administrator(request.user):
            raise PermissionDenied
    return HttpResponse(_exposition(), content_type=prometheus_client.CONTENT_TYPE_LATEST)
