"""SQLite under concurrent writes: people wait for another's write transaction, never a 500.

Each test copies the test database into a file and points new threads at it with the
project's own settings for a file-based SQLite URL: one thread holds a write transaction,
as a long import does, while another person signs in or saves.
"""

import contextlib
import datetime
import sqlite3
import threading

import pytest
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.test import Client
from django.urls import reverse

from meetings.models import Action
from tests.factories import ActionFactory, MeetingFactory, MeetingSeriesFactory
from tests.servers import Thread, copy_test_database, needs_sqlite
from tests.servers import file_database as file_database_of

# On PostgreSQL writers do not lock each other out: SQLite's locking is what is tested.
pytestmark = [pytest.mark.django_db(transaction=True), needs_sqlite]

# How long SQLite waits for a lock unless told otherwise (Python's sqlite3 default).
DEFAULT_WAIT_SECONDS = 5


class WriteHolder(Thread):
    """Holds a write transaction open until ``release`` is set."""

    def __init__(self):
        super().__init__(self.hold)
        self.holding, self.release = threading.Event(), threading.Event()

    def hold(self):
        with transaction.atomic():
            MeetingFactory(title="Written by the long transaction")
            self.holding.set()
            assert self.release.wait(timeout=60)


@pytest.fixture
def file_database(tmp_path):
    """Call it once the records are made: copies them to a file that new threads then open."""
    with contextlib.ExitStack() as stack:

        def copy() -> None:
            copy_test_database(tmp_path / "db.sqlite3")
            stack.enter_context(file_database_of(tmp_path / "db.sqlite3"))

        yield copy


@pytest.fixture
def holding():
    """Starts a thread that holds a write transaction; ends it after the test in any case."""
    holder = WriteHolder()

    def start() -> WriteHolder:
        holder.start()
        assert holder.holding.wait(timeout=30)
        return holder

    yield start
    holder.release.set()
    if holder.is_alive():
        holder.join(timeout=60)


@pytest.fixture
def when_writing():
    """``when_writing(thread)``: an event set as soon as the thread's connection starts to write."""
    receivers = []

    def watch_thread(thread: threading.Thread) -> threading.Event:
        writing = threading.Event()

        def trace(sql: str) -> None:
            if sql.lstrip().upper().startswith(("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE")):
                writing.set()

        def watch(sender, connection, **kwargs):
            if threading.current_thread() is thread:
                connection.connection.set_trace_callback(trace)

        connection_created.connect(watch, weak=False)
        receivers.append(watch)
        return writing

    yield watch_thread
    for receiver in receivers:
        connection_created.disconnect(receiver)


def test_a_sign_in_waits_for_a_write_transaction_longer_than_sqlites_default(
    viewer, file_database, holding, when_writing
):
    file_database()
    holder = holding()
    client = Client(REMOTE_ADDR="10.0.0.7")
    journal = []

    def sign_in():
        with connections["default"].cursor() as cursor:
            journal.append(cursor.execute("PRAGMA journal_mode").fetchone()[0])
        return client.post(reverse("login"), {"username": "viewer", "password": "correct-horse-battery"})

    person = Thread(sign_in)
    writing = when_writing(person)
    person.start()
    assert writing.wait(timeout=30)
    # An import holds its transaction for longer than SQLite waits by default: the sign-in
    # must still be waiting then, not have failed with "database is locked".
    person.join(timeout=DEFAULT_WAIT_SECONDS + 1)
    assert person.is_alive(), f"the sign-in did not wait: {person.error or person.result}"
    holder.release.set()
    person.join(timeout=60)
    holder.join(timeout=60)
    assert person.error is None and holder.error is None
    assert person.result.status_code == 302
    assert journal == ["wal"]  # and readers never wait for a writer


def test_saving_that_reads_before_it_writes_waits_for_a_write_transaction(
    editor, file_database, holding, when_writing
):
    talks = MeetingSeriesFactory(name="Kenya–UK staff talks")
    source, target = (
        MeetingFactory(title=f"Staff talks {year}", series=talks, start_date=datetime.date(year, 11, 19))
        for year in (2024, 2025)
    )
    action = ActionFactory(meeting=source, description="Publish the training calendar")
    client = Client()
    client.force_login(editor)
    file_database()
    holder = holding()

    # Carrying over reads the actions, then writes the copies, in one transaction.
    person = Thread(
        lambda: client.post(
            reverse("meeting-carry-over", args=[source.pk]), {"actions": [action.pk], "target": target.pk}
        )
    )
    writing = when_writing(person)
    person.start()
    assert writing.wait(timeout=30)
    holder.release.set()
    person.join(timeout=60)
    holder.join(timeout=60)
    assert person.error is None, person.error
    assert person.result.status_code == 302
    assert holder.error is None

    copied = sqlite3.connect(connections.settings["default"]["NAME"])
    statuses = dict(
        copied.execute("SELECT description, status FROM meetings_action WHERE meeting_id = ?", [source.pk])
    )
    carried = copied.execute(
        "SELECT COUNT(*) FROM meetings_action WHERE meeting_id = ?", [target.pk]
    ).fetchone()
    written = copied.execute(
        "SELECT COUNT(*) FROM meetings_meeting WHERE title = 'Written by the long transaction'"
    ).fetchone()
    copied.close()
    assert statuses == {"Publish the training calendar": Action.Status.CARRIED}
    assert carried == (1,)
    assert written == (1,)
