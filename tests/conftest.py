"""Shared fixtures: signed-in clients for each role and clearance."""

import os

import pytest

from tests.factories import UserFactory

# Browser tests drive a live server from Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET = range(4)


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer", role="viewer", clearance=RESTRICTED)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="editor", clearance=SECRET)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role="administrator", clearance=SECRET, is_staff=True)


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def admin_client_secret(client, administrator):
    client.force_login(administrator)
    return client
