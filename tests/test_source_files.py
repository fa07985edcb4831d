"""Uploaded source files: served only through a clearance-checked download, under names
nobody can guess, as attachments a browser never renders.
"""

import importlib
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, reverse

from meetings import uploads
from meetings.models import Source
from tests.conftest import RESTRICTED, SECRET, UNCLASSIFIED
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def secret_source(media):
    meeting = MeetingFactory(title="Closed talks", classification=SECRET)
    return Source.objects.create(
        meeting=meeting, title="Minutes", file=SimpleUploadedFile("minutes 2024.pdf", PDF)
    )


def signed_in(clearance: int, role: str = "viewer") -> Client:
    client = Client()
    client.force_login(UserFactory(username=f"{role}-{clearance}", role=role, clearance=clearance))
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def file_url(source: Source) -> str:
    return reverse("source-file", args=[source.pk])


# Who may download ---------------------------------------------------------------------------


def test_a_cleared_reader_downloads_the_file_as_an_attachment(secret_source):
    response = signed_in(SECRET).get(file_url(secret_source))
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes 2024.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]


def test_an_uncleared_reader_gets_not_found_as_for_a_file_that_does_not_exist(secret_source):
    client = signed_in(UNCLASSIFIED)
    hidden = client.get(file_url(secret_source))
    missing = client.get(reverse("source-file", args=[secret_source.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert b"Minutes" not in hidden.content and b"minutes" not in hidden.content


def test_signed_out_visitors_are_sent_to_sign_in(secret_source):
    response = Client().get(file_url(secret_source))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_source_without_a_file_has_no_download(media):
    source = Source.objects.create(meeting=MeetingFactory(), title="Readout", url="https://example.org/")
    assert signed_in(SECRET).get(file_url(source)).status_code == 404


def test_a_file_missing_from_storage_is_not_found_not_an_error(secret_source):
    secret_source.file.storage.delete(secret_source.file.name)
    assert signed_in(SECRET).get(file_url(secret_source)).status_code == 404


def media_routes(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from media_routes(entry)
        elif isinstance(entry, URLPattern) and entry.callback.__module__ == "django.views.static":
            yield entry


@pytest.fixture
def debug_urls(settings):
    """The project's URLs as loaded by the development server (DEBUG on)."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_no_route_serves_the_media_folder_even_in_development(secret_source, debug_urls):
    assert list(media_routes()) == []
    for client in (signed_in(UNCLASSIFIED), signed_in(SECRET)):
        assert client.get(f"/media/{secret_source.file.name}").status_code == 404


def test_with_nginx_in_front_the_app_checks_clearance_and_nginx_sends_the_bytes(secret_source, settings):
    settings.FILE_SERVER = "nginx"
    response = signed_in(SECRET).get(file_url(secret_source))
    assert response["X-Accel-Redirect"] == f"/protected-files/{secret_source.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes 2024.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    hidden = signed_in(UNCLASSIFIED).get(file_url(secret_source))
    assert hidden.status_code == 404 and "X-Accel-Redirect" not in hidden


def test_with_sendfile_the_front_server_gets_the_files_path(secret_source, settings, media):
    settings.FILE_SERVER = "sendfile"
    response = signed_in(SECRET).get(file_url(secret_source))
    assert response["X-Sendfile"] == str(media / secret_source.file.name)
    assert "X-Sendfile" not in signed_in(UNCLASSIFIED).get(file_url(secret_source))


# Names ----------------------------------------------------------------------------------------


def test_files_are_stored_under_a_random_name_and_keep_the_uploaded_one_for_display(secret_source, media):
    stored = secret_source.file.name
    assert re.fullmatch(r"sources/[0-9a-f]{2}/[0-9a-f]{32}\.pdf", stored), stored
    assert "minutes" not in stored
    assert secret_source.file_name == "minutes 2024.pdf"
    assert (media / stored).read_bytes() == PDF
    other = Source.objects.create(
        meeting=secret_source.meeting, title="Again", file=SimpleUploadedFile("minutes 2024.pdf", PDF)
    )
    assert other.file.name != stored


def test_a_file_of_a_type_not_on_the_list_is_stored_without_its_extension_and_served_as_bytes(media):
    source = Source.objects.create(
        meeting=MeetingFactory(),
        title="Page",
        file=SimpleUploadedFile("evil.html", b"<script>alert(1)</script>"),
    )
    assert re.fullmatch(r"sources/[0-9a-f]{2}/[0-9a-f]{32}", source.file.name)
    response = signed_in(SECRET).get(file_url(source))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("uploaded", "header"),
    [
        ("minutes.pdf", 'attachment; filename="minutes.pdf"'),
        ('bad"name.pdf', 'attachment; filename="badname.pdf"'),
        ("line\r\nSet-Cookie: x=1.pdf", 'attachment; filename="line Set-Cookie x=1.pdf"'),
        ("../../etc/passwd.txt", 'attachment; filename="passwd.txt"'),
        ("C:\\Users\\me\\notes.txt", 'attachment; filename="notes.txt"'),
        ("nul\x00byte.pdf", 'attachment; filename="nulbyte.pdf"'),
        ("report\u202efdp.exe", 'attachment; filename="reportfdp.exe"'),
        ("...", 'attachment; filename="download"'),
        (
            "Communiqué conjoint.pdf",
            'attachment; filename="Communique conjoint.pdf"; '
            "filename*=UTF-8''Communiqu%C3%A9%20conjoint.pdf",
        ),
        (
            "Коммюнике.pdf",
            'attachment; filename="download.pdf"; '
            "filename*=UTF-8''%D0%9A%D0%BE%D0%BC%D0%BC%D1%8E%D0%BD%D0%B8%D0%BA%D0%B5.pdf",
        ),
    ],
)
def test_the_download_name_is_the_uploaded_one_made_safe(uploaded, header):
    assert uploads.content_disposition(uploads.clean_file_name(uploaded)) == header


def test_a_hostile_uploaded_name_never_breaks_the_download(media):
    source = Source.objects.create(
        meeting=MeetingFactory(), title="Odd", file=SimpleUploadedFile('a"\r\nb\x00.pdf', PDF)
    )
    response = signed_in(SECRET).get(file_url(source))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="a b.pdf"'


# Where files are linked -----------------------------------------------------------------------


def test_the_meeting_page_links_the_download_and_names_the_file(secret_source):
    page = signed_in(SECRET).get(secret_source.meeting.get_absolute_url()).content.decode()
    assert f'href="{file_url(secret_source)}"' in page
    assert "minutes 2024.pdf" in page
    assert "/media/" not in page
    assert secret_source.file.name not in page


def test_the_edit_page_links_the_current_file_through_the_download(secret_source):
    client = signed_in(SECRET, role="editor")
    page = client.get(reverse("meeting-update", args=[secret_source.meeting.pk])).content.decode()
    assert f'href="{file_url(secret_source)}"' in page
    assert "/media/" not in page
    assert secret_source.file.name not in page


def test_the_api_links_the_download_and_never_the_storage_path(secret_source):
    client = signed_in(SECRET)
    data = client.get(f"/api/v1/meetings/{secret_source.meeting.pk}/").json()
    source = data["sources"][0]
    assert source["file"] == f"http://testserver{file_url(secret_source)}"
    assert source["file_name"] == "minutes 2024.pdf"
    assert secret_source.file.name not in str(data)
    assert signed_in(RESTRICTED).get(f"/api/v1/meetings/{secret_source.meeting.pk}/").status_code == 404


def test_the_admin_links_the_download_and_never_the_storage_path(secret_source):
    admin = UserFactory(username="admin", role="administrator", clearance=SECRET, is_staff=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:meetings_source_change", args=[secret_source.pk])).content.decode()
    assert f'href="{file_url(secret_source)}"' in page
    assert secret_source.file.name not in page


# Files stored before random names -------------------------------------------------------------


@pytest.fixture
def before_random_names(transactional_db, media):
    """The database as it was before the migration that renames files, restored afterwards."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("meetings", "0007_action_carried_over")])
    yield MigrationExecutor(connection)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_moves_stored_files_to_random_names(before_random_names, media):
    executor = before_random_names
    old_apps = executor.loader.project_state([("meetings", "0007_action_carried_over")]).apps
    OldMeeting, OldSource = (
        old_apps.get_model("meetings", "Meeting"),
        old_apps.get_model("meetings", "Source"),
    )
    meeting = OldMeeting.objects.create(title="Old talks", start_date="2024-01-10", classification=SECRET)
    (media / "sources/2024/05").mkdir(parents=True)
    (media / "sources/2024/05/Joint statement.pdf").write_bytes(PDF)
    OldSource.objects.create(meeting=meeting, title="Kept", file="sources/2024/05/Joint statement.pdf")
    OldSource.objects.create(meeting=meeting, title="Lost", file="sources/2024/05/gone.pdf")

    executor.loader.build_graph()
    executor.migrate([("meetings", "0008_source_file_random_names")])

    kept, lost = Source.objects.get(title="Kept"), Source.objects.get(title="Lost")
    assert re.fullmatch(r"sources/[0-9a-f]{2}/[0-9a-f]{32}\.pdf", kept.file.name)
    assert kept.file_name == "Joint statement.pdf"
    assert (media / kept.file.name).read_bytes() == PDF
    assert not (media / "sources/2024/05/Joint statement.pdf").exists()
    assert lost.file.name == "sources/2024/05/gone.pdf" and lost.file_name == "gone.pdf"
    client = signed_in(SECRET)
    download = client.get(file_url(kept))
    assert body(download) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="Joint statement.pdf"'
    assert client.get(file_url(lost)).status_code == 404


# In production --------------------------------------------------------------------------------

SET_UP_PRODUCTION = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from meetings.models import Meeting, Source, User

meeting = Meeting.objects.create(title="Closed talks", start_date="2024-01-10", classification=3)
body = b"%PDF-1.4\\n" + bytes(range(256)) * 12_000
source = Source.objects.create(meeting=meeting, title="Minutes", file=SimpleUploadedFile("minutes.pdf", body))
for name, clearance in (("cleared", 3), ("uncleared", 0)):
    client = Client()
    client.force_login(User.objects.create_user(name, clearance=clearance))
    print(name, client.cookies["sessionid"].value)
print("source", source.pk)
"""


def test_production_serves_a_file_through_gunicorn(tmp_path):
    """DJANGO_ENV=production behind gunicorn: the download streams, as in development."""
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "production-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "CACHE_URL": "",
    }
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=root)
    printed = subprocess.run(
        [*manage, "shell", "-c", SET_UP_PRODUCTION],
        env=env,
        check=True,
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout
    values = dict(line.split(" ", 1) for line in printed.splitlines() if " " in line)

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"fd://{listener.fileno()}", "--workers", "1"],
        env=env,
        cwd=root,
        pass_fds=[listener.fileno()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    listener.close()  # gunicorn holds its own copy; connections wait in the backlog until it accepts

    def get(session: str | None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/sources/{values['source']}/file/",
            headers={"X-Forwarded-Proto": "https", **({"Cookie": f"sessionid={session}"} if session else {})},
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), b""

    try:
        status, headers, content = get(values["cleared"])
        assert status == 200
        assert content.startswith(b"%PDF-1.4\n") and len(content) == 9 + 256 * 12_000
        assert headers["Content-Length"] == str(len(content))
        assert headers["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert get(values["uncleared"])[0] == 404
        assert get(None)[0] == 302  # to the sign-in page
    finally:
        server.terminate()
        server.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
