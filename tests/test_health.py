"""/healthz: what a load balancer or monitoring sees of each part the app needs."""

import copy
import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.db.utils import ConnectionHandler
from django.urls import reverse

from meetings.views import health


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unreachable(settings_dict: dict) -> dict:
    """The same database, at an address where nothing answers."""
    dead = copy.deepcopy(settings_dict)
    if dead["ENGINE"].endswith("sqlite3"):
        dead["NAME"] = "/nonexistent-folder/db.sqlite3"
        dead["OPTIONS"] = {}
    else:
        dead.update(HOST="127.0.0.1", PORT=_free_port(), OPTIONS={"connect_timeout": 2})
    return dead


@pytest.fixture
def replica_down(monkeypatch):
    """The app configured with a replica that does not answer."""
    databases = {
        "default": connections["default"].settings_dict,
        "replica": _unreachable(connections["default"].settings_dict),
    }
    monkeypatch.setattr(health, "connections", ConnectionHandler(databases))
    yield
    health.connections["replica"].close()


@pytest.mark.django_db
def test_it_answers_ok_without_sign_in_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_it_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    monkeypatch.setattr(
        health,
        "connections",
        ConnectionHandler({"default": _unreachable(connections["default"].settings_dict)}),
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "down"}


@pytest.mark.django_db
def test_a_configured_replica_is_checked_and_named_when_down(client, replica_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "replica": "down"}


@pytest.mark.django_db
def test_a_configured_cache_is_checked(client, settings):
    settings.CACHE_URL = "locmem://"  # the check only asks whether one is configured
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_is_named(client, settings, monkeypatch):
    settings.CACHE_URL = "redis://127.0.0.1/0"
    monkeypatch.setattr(health, "cache", RedisCache(f"redis://127.0.0.1:{_free_port()}/0", {}))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "down"}


@pytest.mark.django_db
def test_it_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405
