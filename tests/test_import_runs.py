"""Imports run on the task worker: the page shows their progress, then what they did."""

import datetime
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.importing import service
from meetings.importing.service import import_records
from meetings.models import ImportRun, Meeting, Person
from tests.conftest import CONFIDENTIAL
from tests.factories import ActionFactory, MeetingFactory, PersonFactory, UserFactory
from tests.test_import import POLL, confirm, csv_bytes, upload
from tests.worker import run_queued_tasks, worker

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


NAMES = ["Aden Duale", "James Heapey", "Amina Mohamed", "Grant Shapps", "Njeri Kamau", "Omar Haji"]


def people(count: int) -> bytes:
    return csv_bytes([["Name", "Country"], *[[name, "KE"] for name in NAMES[:count]]])


class TestProgress:
    def test_an_upload_becomes_a_run_the_page_follows_until_its_dry_run_is_done(self, editor_client):
        response = editor_client.post(reverse("import"), {"file": _file(people(3))})
        run = ImportRun.objects.get()
        assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
        waiting = editor_client.get(run.get_absolute_url())
        page = waiting.content.decode()
        assert "Checking people.csv" in page and "0 of 3 rows checked (0%)" in page
        assert 'hx-trigger="every 1s"' in page and '<progress class="import-bar" max="3" value="0"' in page
        run_queued_tasks()
        done = editor_client.get(run.get_absolute_url(), headers=POLL)
        assert "The import would" in done.content.decode() and "every 1s" not in done.content.decode()
        assert done.context["report"].counts == {"created": 3, "updated": 0, "matched": 0}
        assert b"<html" not in done.content  # only the part that asked

    def test_progress_is_reported_after_each_chunk_outside_any_transaction(self, editor, monkeypatch):
        monkeypatch.setattr(service, "CHUNK_ROWS", 2)
        from meetings.importing import read_table

        reported = []
        table = read_table("people.csv", people(5))
        import_records(
            user=editor,
            table=table,
            kind="people",
            commit=True,
            progress=lambda done: reported.append((done, connection.in_atomic_block, Person.objects.count())),
        )
        # In a test everything sits in the test's own transaction; outside one, none is open.
        outer = connection.in_atomic_block
        assert reported == [(2, outer, 2), (4, outer, 4), (5, outer, 5)]

    def test_a_run_waiting_long_for_the_worker_says_so(self, editor_client):
        editor_client.post(reverse("import"), {"file": _file(people(1))})
        run = ImportRun.objects.get()
        ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=1))
        page = editor_client.get(run.get_absolute_url()).content.decode()
        assert "the task worker (<code>manage.py db_worker</code>) may not be running" in page

    def test_a_run_that_breaks_says_so_and_writes_nothing(self, editor_client):
        editor_client.post(reverse("import"), {"file": _file(people(2))})
        ImportRun.objects.update(content=b"\xff\xfe not the file")
        run_queued_tasks()
        run = ImportRun.objects.get()
        assert run.stage == ImportRun.Stage.FAILED
        page = editor_client.get(run.get_absolute_url()).content.decode()
        assert "The work stopped before the end:" in page and "not UTF-8" in page
        assert not Person.objects.exists()


class TestReport:
    def test_the_dry_run_links_only_records_that_exist(self, editor_client):
        recorded = MeetingFactory(title="Recorded talks", start_date=datetime.date(2024, 1, 5))
        rows = [
            ["Title", "Date"],
            ["New talks", "2024-02-01"],
            ["New talks", "2024-02-01"],
            ["Recorded talks", "2024-01-05"],
        ]
        response = upload(editor_client, csv_bytes(rows))
        outcomes = response.context["report"].outcomes
        assert [(o.action, o.url) for o in outcomes] == [
            ("created", ""),
            ("matched", ""),  # by the row before, whose meeting the dry run did not keep
            ("matched", recorded.get_absolute_url()),
        ]
        assert not Meeting.objects.filter(title="New talks").exists()

    def test_the_import_writes_in_chunks_and_a_second_try_adds_only_the_rest(self, client, monkeypatch):
        monkeypatch.setattr(service, "CHUNK_ROWS", 2)
        importer = UserFactory(role="editor", clearance=CONFIDENTIAL)
        client.force_login(importer)
        rows = [
            ["Title", "Date", "Marking"],
            *[[f"Talks {n}", "2024-03-01", "CONFIDENTIAL"] for n in range(5)],
        ]
        response = upload(client, csv_bytes(rows))
        assert response.context["report"].errors == []
        # Between the dry run and the import, the importer's clearance is lowered.
        ImportRun.objects.update(rows=5)
        original = import_records

        def lowered_midway(**kwargs):
            calls = []

            def progress(done):
                kwargs["progress"](done)
                calls.append(done)
                if done == 2:
                    type(importer).objects.filter(pk=importer.pk).update(clearance=0)
                    kwargs["user"].clearance = 0

            return original(**{**kwargs, "progress": progress})

        monkeypatch.setattr("meetings.tasks.import_records", lowered_midway)
        confirm(client, response)
        run = ImportRun.objects.get()
        assert run.stage == ImportRun.Stage.FAILED and run.report["rows_written"] == 2
        page = client.get(run.get_absolute_url()).content.decode()
        assert "The first 2 rows were imported; nothing after them." in page
        assert Meeting.objects.count() == 2
        monkeypatch.undo()
        type(importer).objects.filter(pk=importer.pk).update(clearance=CONFIDENTIAL)
        again = upload(client, csv_bytes(rows))
        assert again.context["report"].counts == {"created": 3, "updated": 0, "matched": 2}
        confirm(client, again)
        assert Meeting.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_dry_run_from_the_database(editor_client):
    """The real backend and worker: the upload queues a row in the task table, the worker
    (a separate process on PostgreSQL; a thread on SQLite's in-memory test database)
    claims and runs it, and the run is done."""
    editor_client.post(reverse("import"), {"file": _file(people(2))})
    run = ImportRun.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY" and queued.task_path == "meetings.tasks.run_import"
    if connection.vendor == "postgresql":
        environment = {**os.environ, "DATABASE_URL": _url_of_test_database()}
        command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
        subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True, timeout=120)
    else:
        thread = threading.Thread(target=worker().run)
        thread.start()
        thread.join(timeout=120)
    queued.refresh_from_db()
    run.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and run.stage == ImportRun.Stage.CHECKED
    assert run.report["outcomes"][0]["label"] == "Aden Duale" and not Person.objects.exists()


class TestReminders:
    def test_the_reminders_can_be_queued_for_the_worker(self, settings):
        person = PersonFactory(email="heapey@example.org")
        ActionFactory(responsible_person=person, due_date=timezone.localdate())
        call_command("send_action_reminders", "--enqueue", stdout=open(os.devnull, "w"))  # noqa: SIM115
        assert mail.outbox == []
        run_queued_tasks()
        assert [message.to for message in mail.outbox] == [["heapey@example.org"]]
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    def test_queued_for_later_they_wait(self):
        later = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
        call_command("send_action_reminders", "--enqueue", "--at", later, stdout=open(os.devnull, "w"))  # noqa: SIM115
        run_queued_tasks()
        assert DBTaskResult.objects.get().status == "READY"


def _file(content: bytes, name: str = "people.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _url_of_test_database() -> str:
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


def test_an_import_reads_each_country_name_once(editor_client, monkeypatch):
    from django_countries import countries

    from meetings.importing import references

    references.country_code.cache_clear()
    calls = []
    original = countries.by_name
    monkeypatch.setattr(
        countries, "by_name", lambda *args, **kwargs: calls.append(args) or original(*args, **kwargs)
    )
    rows = [
        ["Title", "Date", "Host", "Countries"],
        *[[f"Talks {n}", "2024-03-01", "Kenya", "Kenya; Somalia"] for n in "ABCD"],
    ]
    assert upload(editor_client, csv_bytes(rows)).context["report"].errors == []
    assert sorted(calls) == [("Kenya",), ("Somalia",)]
