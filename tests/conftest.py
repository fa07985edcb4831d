"""Shared fixtures: signed-in clients for each role and clearance."""

import os

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

# Browser tests drive a live server from Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CI shares two cores between the live server, Chromium and the database: give the
# browser's assertions room beyond Playwright's 5-second default before calling them failed.
expect.set_options(timeout=20_000)

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


def pytest_sessionstart(session):
    """On CI a PostgreSQL run must really reach PostgreSQL: fail loudly, never skip."""
    url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("CI") == "true" and url.startswith("postgres"):
        import psycopg

        try:
            psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5).close()
        except psycopg.OperationalError as error:
            pytest.exit(f"CI=true and PostgreSQL at DATABASE_URL is unreachable: {error}", returncode=1)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive the system's Chromium: Playwright's own browser download is not available here."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def signed_in_page(page, live_server, editor):
    """A Chromium page signed in as an editor through the real sign-in form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def demo_page(page, live_server):
    """A Chromium page signed in as the demo administrator over the full demo data."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("demo-password-2024")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    yield page
    assert blocked == [], "the Content-Security-Policy blocked something on the page"


AXE = os.path.join(os.path.dirname(__file__), "..", "node_modules", "axe-core", "axe.min.js")


def serious_accessibility_violations(page) -> list[str]:
    """Runs axe-core in the page; returns the serious and critical violations found."""
    # Served as a same-origin file: the Content-Security-Policy rightly refuses inline scripts.
    origin = page.evaluate("location.origin")
    page.route(f"{origin}/__axe__.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url=f"{origin}/__axe__.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pytest_configure(config):
    # Hashing passwords at full strength only slows the suite; tests check behaviour, not cost.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
