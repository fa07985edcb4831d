"""What the logs say: each line once, one line per sign-in event, secrets in addresses cut short.

The servers run as separate processes on a copy of the test database and are read from
their own output, as a developer or an administrator reads them.
"""

from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from meetings import services
from meetings.redaction import redact
from tests.factories import UserFactory
from tests.servers import (
    BASE_DIR,
    Browser,
    Server,
    copy_test_database,
    free_port,
    in_file_database,
    manage,
    needs_sqlite,
)

FEED_PREFIX_LENGTH = 6
PASSWORD = "correct-horse-battery"


def user_with_password(username: str):
    hasher = PBKDF2PasswordHasher()  # the servers' own; the tests' quick hasher is not theirs
    user = UserFactory(username=username, role="viewer", clearance=1)
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save()
    return user


def records() -> dict[str, str]:
    """An analyst who signs in, and a viewer with a calendar address and a password reset link."""
    user_with_password("analyst")
    viewer = user_with_password("viewer")
    return {
        "feed": services.calendar_feed_issue(user=viewer),
        "uid": urlsafe_base64_encode(force_bytes(viewer.pk)),
        "reset": default_token_generator.make_token(viewer),
    }


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("secrets") / "db.sqlite3"
    with django_db_blocker.unblock():
        copy_test_database(path)
        secrets = in_file_database(path, records)
    return path, secrets


def serve(args: list[str], port: int, database, log: Path, ready: str) -> tuple[Server, Browser]:
    server = Server(args, log=log, env={"DATABASE_URL": f"sqlite:///{database}"})
    server.wait_for(ready)
    return server, Browser(f"http://127.0.0.1:{port}")


@pytest.fixture(scope="module")
def development_server(database, tmp_path_factory):
    """``manage.py runserver`` as a developer starts it, reloader and all."""
    port = free_port()
    log = tmp_path_factory.mktemp("runserver") / "server.log"
    server, browser = serve(
        manage("runserver", f"127.0.0.1:{port}"), port, database[0], log, "Quit the server"
    )
    yield server, browser
    server.stop()


def visit_the_secret_addresses(browser: Browser, secrets: dict[str, str]) -> None:
    feed, uid, reset = secrets["feed"], secrets["uid"], secrets["reset"]
    assert browser.request(f"/calendar/feed/{feed}.ics")[0] == 200
    assert browser.request(f"/calendar/feed/{feed[:-4]}oops.ics")[0] == 404
    assert browser.request(f"/accounts/reset/{uid}/{reset}/")[0] == 302  # moved into the session
    assert browser.request(f"/accounts/reset/{uid}/set-password/")[0] == 200


def assert_logged_as_prefixes(output: str, secrets: dict[str, str]) -> None:
    feed, reset = secrets["feed"], secrets["reset"]
    assert feed[:20] not in output
    assert reset not in output and reset.split("-")[1][:12] not in output
    assert f"/calendar/feed/{feed[:FEED_PREFIX_LENGTH]}….ics" in output
    assert f"/accounts/reset/{secrets['uid']}/{reset[:6]}…/" in output
    assert f"/accounts/reset/{secrets['uid']}/set-password/" in output  # no secret: left alone


@needs_sqlite
@pytest.mark.django_db
def test_every_log_line_is_printed_once(development_server):
    server, browser = development_server
    assert browser.request("/no-such-page/")[0] == 404
    output = server.wait_for('"GET /no-such-page/ HTTP/1.1" 404')
    assert output.count("Not Found: /no-such-page/") == 1
    assert output.count('"GET /no-such-page/ HTTP/1.1" 404') == 1
    assert output.count("Watching for file changes") == 1


def sign_in(browser: Browser, password: str) -> int:
    browser.request("/accounts/login/")
    form = {"username": "analyst", "password": password, "csrfmiddlewaretoken": browser.cookie("csrftoken")}
    return browser.request("/accounts/login/", form)[0]


@needs_sqlite
@pytest.mark.django_db
def test_a_sign_in_and_a_failed_one_are_one_line_each(development_server):
    server, browser = development_server
    assert sign_in(browser, "wrong") == 200
    assert sign_in(browser, PASSWORD) == 302
    output = server.wait_for("sign-in ok user=analyst")
    about_the_analyst = [line for line in output.splitlines() if "user=analyst" in line or "AXES" in line]
    assert about_the_analyst == [
        "sign-in failed user=analyst address=127.0.0.1",
        "sign-in ok user=analyst address=127.0.0.1",
    ]


@needs_sqlite
@pytest.mark.django_db
def test_the_development_server_logs_only_a_prefix_of_each_secret(database, development_server):
    server, browser = development_server
    visit_the_secret_addresses(browser, database[1])
    output = server.wait_for("/set-password/ HTTP/1.1")
    assert "Not Found: /calendar/feed/" in output  # Django's own warning, shortened as well
    assert_logged_as_prefixes(output, database[1])


@needs_sqlite
@pytest.mark.django_db
def test_gunicorn_as_bin_serve_runs_it_logs_only_a_prefix_of_each_secret(database, tmp_path):
    path, secrets = database
    assert "--logger-class meetings.redaction.GunicornLogger" in (BASE_DIR / "bin" / "serve").read_text()
    port = free_port()
    gunicorn = [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    logging = ["--logger-class", "meetings.redaction.GunicornLogger", "--access-logfile", "-"]
    server, browser = serve(
        [*gunicorn, "--workers", "1", *logging], port, path, tmp_path / "log", "Booting worker"
    )
    try:
        visit_the_secret_addresses(browser, secrets)
        output = server.wait_for("/set-password/ HTTP/1.1")
    finally:
        server.stop()
    assert_logged_as_prefixes(output, secrets)


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ('"GET /meetings/?token=0123456789abcdef&country=GB HTTP/1.1" 200', "?token=0123…&country=GB"),
        ('"GET /oidc/callback/?code=SplxlOBeZQQYbYS6WxSbIA&state=af0i HTTP/1.1"', "?code=Splxl…&state=af0"),
        (
            '"GET /accounts/login/?next=/calendar/feed/Qx7rT2vLp9WmZ4nB8cK1dF6hJ3sA5yE0uI.ics HTTP/1.1"',
            "?next=/calendar/feed/Qx7rT2%E2%80%A6.ics",
        ),
        ('"GET /meetings/?q=BATUK&page=2 HTTP/1.1" 200', "/meetings/?q=BATUK&page=2 "),
    ],
    ids=["query token", "sign-in code", "page asked for before signing in", "nothing secret"],
)
def test_secrets_in_query_strings_are_shortened_too(line, logged):
    assert logged in redact(line)
