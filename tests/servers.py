"""A file-based copy of the SQLite test database, and real server processes serving it.

For tests of what only a separate process shows: its terminal output and logs, how it
stops on a signal, and how two connections to one SQLite file wait for each other.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

BASE_DIR = Path(settings.BASE_DIR)
ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
needs_sqlite = pytest.mark.skipif(
    not ON_SQLITE, reason="copies the SQLite test database into a file for another process"
)


def copy_test_database(path: Path) -> None:
    """The SQLite test database as it stands (committed data only), written to ``path``."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()


@contextlib.contextmanager
def file_database(path: Path) -> Iterator[None]:
    """New threads' connections open ``path`` with the project's settings for that URL."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{path}")
        project = runpy.run_path(str(BASE_DIR / "config" / "settings.py"))
        configured = connections.configure_settings({"default": project["DATABASES"]["default"]})
        patch.setitem(connections.settings, "default", configured["default"])
        yield


class Thread(threading.Thread):
    """Runs ``work`` on its own database connection; keeps its result or its exception."""

    def __init__(self, work: Callable):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None

    def run(self) -> None:
        try:
            self.result = self.work()
        except Exception as error:
            self.error = error
        finally:
            connections.close_all()


def in_file_database(path: Path, work: Callable):
    """``work()``'s result, run with ``path`` as the database."""
    with file_database(path):
        thread = Thread(work)
        thread.start()
        thread.join(timeout=120)
    if thread.error is not None:
        raise thread.error
    return thread.result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ignoring_sigint() -> None:
    """What a shell does for a command it starts in the background."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Server:
    """A process started as from a shell, its output (stdout and stderr together) in a file."""

    def __init__(self, args: list[str], *, log: Path, env: dict[str, str] | None = None, background=True):
        self.log_path = log
        self.output = log.open("wb")
        self.process = subprocess.Popen(
            args,
            cwd=BASE_DIR,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=self.output,
            stderr=subprocess.STDOUT,
            preexec_fn=ignoring_sigint if background else None,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, text: str, timeout: float = 120) -> str:
        """The output once it holds ``text``; fails if the process ends or time runs out first."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log()):
            if self.process.poll() is not None:
                pytest.fail(f"the server ended ({self.process.returncode}) before saying {text!r}:\n{log}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not say {text!r} within {timeout} s:\n{log}")
            time.sleep(0.05)
        return log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


class Browser:
    """Plain HTTP requests with cookies, as a person's browser makes them; no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == name)


def manage(*args: str) -> list[str]:
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]
