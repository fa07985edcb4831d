"""Reads on a real PostgreSQL streaming replica, writes on the primary.

The module makes a replica of the test server with ``bin/pg-replica`` (``pg_basebackup
-R`` into a second cluster on a free loopback port), reads the test database's copy on
it, and removes it at the end. Data is committed (transactional tests) so that the
replica receives it; a test waits for the replica to have replayed what it needs.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from meetings import replica as routing
from meetings.models import Meeting, Person
from tests.conftest import RESTRICTED, SECRET
from tests.factories import MeetingFactory, PersonFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="a streaming replica is a PostgreSQL feature"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@dataclass
class Replica:
    folder: str
    port: int

    def script(self, command: str) -> None:
        subprocess.run([ROOT / "bin" / "pg-replica", command, self.folder], check=True, timeout=300)

    def sql(self, statement: str):
        with connections["replica"].cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchone()[0]

    def caught_up(self, timeout: float = 60) -> None:
        """Waits until the replica has replayed everything the primary has written so far."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + timeout
        while not self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.02)

    def pause(self) -> None:
        self.sql("SELECT pg_wal_replay_pause()::text")

    def unpause(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()::text")


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    if not shutil.which("pg_basebackup"):
        message = "pg_basebackup is not installed (Debian: postgresql-client)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = tempfile.mkdtemp(prefix="meetings-replica-")
    started = time.monotonic()
    made = subprocess.run(
        [ROOT / "bin" / "pg-replica", "start", folder], capture_output=True, text=True, timeout=600
    )
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"bin/pg-replica start failed:\n{made.stdout}\n{made.stderr}")
    port = int(made.stdout.split()[-1])
    print(f"\nreplica of the test server on 127.0.0.1:{port}, made in {time.monotonic() - started:.1f} s")
    # The test database's copy on the replica: its settings with the replica's address.
    replica_settings = copy.deepcopy(connections["default"].settings_dict)
    replica_settings.update(HOST="127.0.0.1", PORT=port, TEST={"MIRROR": "default"})
    replica_settings["OPTIONS"] = {**replica_settings["OPTIONS"], "connect_timeout": 2}
    connections.settings["replica"] = replica_settings
    try:
        yield Replica(folder, port)
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]
        subprocess.run([ROOT / "bin" / "pg-replica", "stop", folder], check=False, timeout=120)


@pytest.fixture(autouse=True)
def fresh_state(replica, settings):
    """Every request measures the replica again, unless a test says otherwise."""
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    routing.health.forget()
    yield
    if replica.sql("SELECT pg_is_wal_replay_paused()"):
        replica.unpause()
    routing.health.forget()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries_of(client: Client, path: str) -> tuple[object, list[str], list[str]]:
    """The response, then the SQL it ran on the primary and on the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as copy_,
    ):
        response = client.get(path)
    return response, [q["sql"] for q in primary], [q["sql"] for q in copy_]


def test_it_is_a_real_streaming_replica(replica):
    assert replica.sql("SELECT pg_is_in_recovery()") is True
    assert replica.sql("SELECT status FROM pg_stat_wal_receiver") == "streaming"
    assert replica.sql("SELECT current_database()") == connections["default"].settings_dict["NAME"]


def test_pages_read_from_the_replica_and_sessions_from_the_primary(replica):
    viewer = UserFactory(role="viewer", clearance=RESTRICTED)
    MeetingFactory(title="Kenya–UK defence talks", classification=0)
    client = signed_in(viewer)
    replica.caught_up()
    response, primary, copy_ = queries_of(client, reverse("meeting-list"))
    assert response.status_code == 200
    assert "Kenya–UK defence talks" in response.content.decode()
    assert any("meetings_meeting" in sql for sql in copy_)
    assert not any("meetings_meeting" in sql for sql in primary)
    assert any("django_session" in sql for sql in primary)  # who is signed in: the primary's word
    assert not any("django_session" in sql for sql in copy_)


def test_whoever_saved_sees_it_at_once_though_the_replica_lags(replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600  # keep reading the lagging replica
    editor = UserFactory(role="editor", clearance=SECRET)
    onlooker = signed_in(UserFactory(role="viewer", clearance=RESTRICTED))
    client = signed_in(editor)
    replica.caught_up()
    replica.pause()

    saved = client.post(reverse("person-create"), {"name": "Wanjiku Ngũgĩ", "country": "KE"})
    assert saved.status_code == 302
    page, _primary, copy_ = queries_of(client, saved["Location"])
    assert page.status_code == 200 and "Wanjiku Ngũgĩ" in page.content.decode()
    assert copy_ == []  # pinned to the primary after the save

    # Someone else still reads the replica, which has not replayed the save.
    listing, _primary, copy_ = queries_of(onlooker, reverse("person-list") + "?q=Wanjiku")
    assert copy_ and "Wanjiku Ngũgĩ" not in listing.content.decode()

    replica.unpause()
    replica.caught_up()
    assert "Wanjiku Ngũgĩ" in onlooker.get(reverse("person-list") + "?q=Wanjiku").content.decode()


def test_an_api_token_that_wrote_reads_its_write_back(replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600
    token = Token.objects.create(user=UserFactory(role="editor", clearance=SECRET))
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    other = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory(role='viewer')).key}")
    replica.caught_up()
    replica.pause()
    created = api.post(
        "/api/v1/people/", {"name": "Aden Duale", "country": "KE"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    api.cookies.clear()  # a client that keeps no cookies: the token itself is pinned
    path = f"/api/v1/people/{created.json()['id']}/"
    assert api.get(path).json()["name"] == "Aden Duale"
    assert other.get(path).status_code == 404  # not on the paused replica yet


def test_a_replica_lagging_too_far_is_not_read(replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    client = signed_in(UserFactory(role="viewer", clearance=RESTRICTED))
    replica.caught_up()
    replica.pause()
    PersonFactory(name="James Heapey")
    deadline = time.monotonic() + 60
    while (routing.health.measure_lag() or 0) <= 1:
        assert time.monotonic() < deadline, "the paused replica never counted as lagging"
        time.sleep(0.05)
    listing, _primary, copy_ = queries_of(client, reverse("person-list") + "?q=Heapey")
    assert "James Heapey" in listing.content.decode()
    assert all("pg_last_wal_replay_lsn" in sql for sql in copy_)  # only the app measuring the lag


def test_transactions_and_locking_reads_use_the_primary(replica):
    token = routing._attempt.set(routing._Attempt())
    try:
        assert Meeting.objects.all().db == "replica"
        assert Session.objects.all().db == "default"
        assert Meeting.objects.select_for_update().db == "default"
        with transaction.atomic():
            assert Meeting.objects.all().db == "default"
    finally:
        routing._attempt.reset(token)
    assert Meeting.objects.all().db == "default"  # outside a request: commands, the worker


def test_the_health_check_sees_the_replica(replica):
    assert Client().get("/healthz").json() == {"status": "ok", "database": "ok", "replica": "ok"}


def test_a_replica_that_goes_down_costs_the_person_nothing(replica, settings):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3600  # the app still believes it is up
    MeetingFactory(title="UK–Djibouti call", classification=0)
    viewer = UserFactory(role="viewer", clearance=RESTRICTED)
    client = Client(raise_request_exception=False)
    client.force_login(viewer)
    replica.caught_up()
    _response, _primary, copy_ = queries_of(client, reverse("meeting-list"))
    assert copy_, "the replica was not read while it was up"

    replica.script("halt")
    try:
        response = client.get(reverse("meeting-list"))
        assert response.status_code == 200
        assert "UK–Djibouti call" in response.content.decode()
        assert client.get(reverse("dashboard")).status_code == 200
        health = Client().get("/healthz")
        assert health.status_code == 503
        assert health.json() == {"status": "error", "database": "ok", "replica": "down"}
    finally:
        replica.script("resume")
    routing.health.forget()
    replica.caught_up()
    _response, _primary, copy_ = queries_of(client, reverse("meeting-list"))
    assert copy_, "the replica was not read again once it was back"


def test_a_short_load_run_reads_mostly_from_the_replica(replica, settings, capsys):
    """A few people browsing and one saving, each on its own thread and connections."""
    settings.DATABASE_REPLICA_CHECK_SECONDS = 2
    meetings = MeetingFactory.create_batch(20, classification=0)
    readers = [UserFactory(role="viewer", clearance=RESTRICTED) for _ in range(3)]
    writer = UserFactory(role="editor", clearance=SECRET)
    replica.caught_up()
    pages = [reverse("dashboard"), reverse("meeting-list"), reverse("person-list"), reverse("action-list")]
    pages += [meeting.get_absolute_url() for meeting in meetings[:6]]
    tally: Counter[tuple[str, str]] = Counter()
    lock = threading.Lock()
    errors: list[str] = []

    def counting(alias):
        def wrapper(execute, sql, params, many, context):
            kind = "read" if sql.lstrip().upper().startswith("SELECT") else "write"
            with lock:
                tally[alias, kind] += 1
            return execute(sql, params, many, context)

        return wrapper

    def person(user, requests: int, saves: bool):
        client = signed_in(user)
        try:
            with (
                connections["default"].execute_wrapper(counting("default")),
                connections["replica"].execute_wrapper(counting("replica")),
            ):
                for number in range(requests):
                    if saves and number % 5 == 0:
                        response = client.post(
                            reverse("person-create"), {"name": f"Load person {number}", "confirm_new": "on"}
                        )
                        ok = response.status_code == 302
                    else:
                        ok = client.get(pages[number % len(pages)]).status_code == 200
                    if not ok:
                        errors.append(f"request {number} of {user.username}")
        finally:
            connections.close_all()

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(user, 40, False)) for user in readers]
    threads.append(threading.Thread(target=person, args=(writer, 40, True)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - started
    assert not errors
    reads = tally["default", "read"] + tally["replica", "read"]
    with capsys.disabled():
        print(
            f"\nload run: 160 requests in {elapsed:.1f} s by 4 people (one saving every fifth request); "
            f"reads: {tally['replica', 'read']} on the replica "
            f"({100 * tally['replica', 'read'] / reads:.0f} %), "
            f"{tally['default', 'read']} on the primary; writes: {tally['default', 'write']} on the primary, "
            f"{tally['replica', 'write']} on the replica"
        )
    assert tally["replica", "write"] == 0
    assert tally["replica", "read"] > tally["default", "read"]
    assert Person.objects.filter(name__startswith="Load person").count() == 8
