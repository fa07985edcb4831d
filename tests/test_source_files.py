"""Uploaded source files: served only through a clearance-checked download, under names
nobody can guess, as attachments a browser never renders.
"""

import html
import importlib
import io
import os
import re
import socket
import struct
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, reverse

from meetings import uploads
from meetings.models import Source
from tests.conftest import RESTRICTED, SECRET, UNCLASSIFIED
from tests.factories import MeetingFactory, UserFactory
from tests.test_meeting_form import counts, meeting_post

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


# What is accepted -----------------------------------------------------------------------------


def real_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Joint statement")
    page.save()
    return out.getvalue()


def image(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, fmt)
    return out.getvalue()


def office_open_xml(main_part: str, content_type: str, *extra: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="' + main_part + '" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        archive.writestr(main_part, "<document>Joint statement</document>")
        for name, content in extra:
            archive.writestr(name, content)
    return out.getvalue()


OOXML = "application/vnd.openxmlformats-officedocument."


def docx() -> bytes:
    return office_open_xml("word/document.xml", OOXML + "wordprocessingml.document.main+xml")


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Agreed actions"
    workbook.save(out)
    return out.getvalue()


def pptx() -> bytes:
    return office_open_xml("ppt/presentation.xml", OOXML + "presentationml.presentation.main+xml")


def docm() -> bytes:
    return office_open_xml(
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        ("word/vbaProject.bin", b"Attribute VB_Name"),
    )


def compound_file(stream: str, *storages: str) -> bytes:
    """A minimal OLE compound file (version 3) with one 4 KB stream and empty storages, as
    Word 97–2003 (stream "WordDocument") or Excel ("Workbook") writes its main part.
    """
    free, end, fat_sector, no_entry = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )
    fat = [fat_sector, end, *range(3, 10), end]
    fat_bytes = struct.pack("<128I", *fat, *[free] * (128 - len(fat)))

    def entry(
        name: str, kind: int, left=no_entry, right=no_entry, child=no_entry, start=end, size=0
    ) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,
            1,
            left,
            right,
            child,
            bytes(16),
            0,
            0,
            0,
            start,
            size,
        )

    entries = [
        entry("Root Entry", 5, child=1),
        entry(stream, 2, left=2 if storages else no_entry, start=2, size=4096),
    ]
    entries += [entry(name, 1) for name in storages]
    entries += [entry("", 0)] * (4 - len(entries))
    return header + fat_bytes + b"".join(entries) + b"minutes " * 512


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
)
ACCEPTED_FILES = [
    ("statement.pdf", real_pdf, "application/pdf"),
    ("Statement.PDF", real_pdf, "application/pdf"),
    ("photo.png", lambda: image("PNG"), "image/png"),
    ("photo.jpg", lambda: image("JPEG"), "image/jpeg"),
    ("photo.gif", lambda: image("GIF"), "image/gif"),
    ("photo.webp", lambda: image("WEBP"), "image/webp"),
    ("statement.docx", docx, OOXML + "wordprocessingml.document"),
    ("actions.xlsx", xlsx, OOXML + "spreadsheetml.sheet"),
    ("briefing.pptx", pptx, OOXML + "presentationml.presentation"),
    ("minutes.doc", lambda: compound_file("WordDocument"), "application/msword"),
    ("actions.xls", lambda: compound_file("Workbook"), "application/vnd.ms-excel"),
    ("notes.txt", lambda: "Réunion à Nairobi — notes\n".encode(), "text/plain; charset=utf-8"),
    ("notes.md", lambda: b"# Notes\n\nA > B, and 2 < 3.\n", "text/plain; charset=utf-8"),
]
NOT_ACCEPTED = "Files of this type are not accepted."
MARKUP = "HTML, SVG and XML files are not accepted"
REFUSED_FILES = [
    ("evil.html", lambda: HTML, MARKUP),
    ("drawing.svg", lambda: SVG, MARKUP),
    ("statement.pdf", lambda: HTML, MARKUP),  # HTML renamed
    ("notes.txt", lambda: b"\xef\xbb\xbf  \n<svg onload=alert(1)>", MARKUP),
    ("photo.png", lambda: image("JPEG"), "This file is a JPEG image, but its name ends in “.png”"),
    ("report.html", real_pdf, "This file is a PDF, but its name ends in “.html”"),
    ("statement", real_pdf, "This file is a PDF, but its name has no extension"),
    ("statement.docx", docm, "Documents with macros are not accepted"),
    (
        "minutes.doc",
        lambda: compound_file("WordDocument", "Macros"),
        "Documents with macros are not accepted",
    ),
    ("setup.msi", lambda: compound_file("SummaryInformation"), NOT_ACCEPTED),
    ("archive.docx", lambda: zip_of(("evil.html", HTML)), NOT_ACCEPTED),
    ("broken.docx", lambda: b"PK\x03\x04" + bytes(200), "This file is damaged"),
    ("broken.png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(100), "This image is damaged"),
    ("tool.exe", lambda: b"MZ\x90\x00\x03\x00\x00\x00" + bytes(100), NOT_ACCEPTED),
    ("notes.txt", lambda: "UTF-16 notes".encode("utf-16"), NOT_ACCEPTED),
    ("notes.txt", lambda: b"Latin-1 caf\xe9", NOT_ACCEPTED),
    ("sound.webp", lambda: b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40), NOT_ACCEPTED),
]


def zip_of(*members: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return out.getvalue()


def post_meeting_with_file(client: Client, upload: SimpleUploadedFile):
    data = meeting_post(
        {"title": "Talks with a file", "classification": str(RESTRICTED)},
        sources=[{"kind": "minutes", "title": "The minutes", "file": upload}],
    )
    return client.post(reverse("meeting-create"), data)


def field_error(response, field: str = "sources-0-file") -> str:
    """The message shown right under the field, or "" if there is none."""
    found = re.search(rf'id="id_{field}_error">([^<]*)<', response.content.decode())
    return html.unescape(found.group(1)) if found else ""


@pytest.mark.parametrize(("name", "make", "content_type"), ACCEPTED_FILES)
def test_accepted_documents_are_stored_and_served_as_their_type(media, name, make, content_type):
    content = make()
    client = signed_in(SECRET, role="editor")
    response = post_meeting_with_file(client, SimpleUploadedFile(name, content, "application/octet-stream"))
    assert response.status_code == 302, field_error(response)
    source = Source.objects.get()
    assert source.file_name == name
    download = client.get(file_url(source))
    assert body(download) == content
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'


@pytest.mark.parametrize(("name", "make", "message"), REFUSED_FILES)
def test_other_content_is_refused_next_to_the_field_whatever_its_name_and_declared_type(
    media, name, make, message
):
    client = signed_in(SECRET, role="editor")
    response = post_meeting_with_file(client, SimpleUploadedFile(name, make(), "application/pdf"))
    assert response.status_code == 200
    assert message in field_error(response)
    page = response.content.decode()
    assert 'value="Talks with a file"' in page and 'value="The minutes"' in page  # what was typed
    assert counts()["Meeting"] == counts()["Source"] == 0
    assert not [path for path in media.rglob("*") if path.is_file()]


def huge_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (60_000, 60_000)).save(out, "PNG")  # 3.6 gigapixels in 0.4 MB
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("notes.txt", lambda: b"Plain notes", None),
        ("notes.txt", lambda: b"<html>", MARKUP),
        ("huge.png", huge_png, "This image has too many pixels to be opened safely"),
        (
            "statement.docx",
            # 200 MB of zeros inside; only the archive's directory and content types are read
            lambda: office_open_xml(
                "word/document.xml",
                OOXML + "wordprocessingml.document.main+xml",
                ("word/media/x", bytes(200 << 20)),
            ),
            None,
        ),
    ],
)
def test_the_check_works_on_any_file_not_only_a_form_upload(name, make, message):
    if message is None:
        uploads.validate_source_file(SimpleUploadedFile(name, make()))
    else:
        with pytest.raises(ValidationError, match=message):
            uploads.validate_source_file(SimpleUploadedFile(name, make()))


def test_a_file_over_ten_megabytes_is_refused_next_to_the_field(media):
    big = SimpleUploadedFile("minutes.txt", b"a" * (10 * 1024 * 1024 + 1), "text/plain")
    response = post_meeting_with_file(signed_in(SECRET, role="editor"), big)
    assert field_error(response) == "The file is 10.0 MB; the limit is 10 MB."
    assert counts()["Source"] == 0


def test_the_admin_takes_no_uploads_at_all(media):
    """Sources are written only through the meeting page, which checks every file."""
    admin = UserFactory(username="admin", role="administrator", clearance=SECRET, is_staff=True)
    client = Client()
    client.force_login(admin)
    meeting = MeetingFactory()
    response = client.post(
        reverse("admin:meetings_source_add"),
        {
            "meeting": meeting.pk,
            "kind": "minutes",
            "title": "Page",
            "file": SimpleUploadedFile("evil.html", HTML),
        },
    )
    assert response.status_code == 403
    assert not Source.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_the_api_cannot_point_a_source_at_another_meetings_stored_file(secret_source, media):
    """Files come only as uploads on the meeting page: a storage name sent to the API is ignored."""
    editor = UserFactory(username="restricted-editor", role="editor", clearance=RESTRICTED)
    own = Source.objects.create(
        meeting=MeetingFactory(classification=RESTRICTED),
        title="Own",
        file=SimpleUploadedFile("own.txt", b"own notes"),
    )
    client = Client()
    client.force_login(editor)
    url = f"/api/v1/meetings/{own.meeting.pk}/"
    version = client.get(url).json()["version"]
    row = {"id": own.pk, "kind": "minutes", "title": "Own", "file": secret_source.file.name}
    response = client.patch(url, {"version": version, "sources": [row]}, content_type="application/json")
    assert response.status_code == 200, response.content
    own.refresh_from_db()
    assert own.file.name != secret_source.file.name
    assert body(client.get(file_url(own))) == b"own notes"


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


def test_the_history_names_a_replaced_file_as_uploaded_never_by_its_storage_name(secret_source):
    first = secret_source.file.name
    secret_source.file = SimpleUploadedFile("minutes final.pdf", PDF)
    secret_source.save()
    page = signed_in(SECRET).get(reverse("meeting-history", args=[secret_source.meeting.pk])).content.decode()
    assert "minutes 2024.pdf" in page and "minutes final.pdf" in page
    assert first not in page and secret_source.file.name not in page and "sources/" not in page


def test_stored_files_are_readable_by_the_app_s_own_user_and_group_only(secret_source, media):
    assert (media / secret_source.file.name).stat().st_mode & 0o777 == 0o640
    assert (media / secret_source.file.name).parent.stat().st_mode & 0o777 == 0o750


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

    from meetings import derived

    # As ``migrate`` does: the derived tables' triggers step aside while tables are rebuilt.
    derived.before_migrate(using=connection.alias)
    executor = MigrationExecutor(connection)
    executor.migrate([("meetings", "0007_action_carried_over")])
    yield MigrationExecutor(connection)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    derived.after_migrate(using=connection.alias)


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
        [*manage, "shell", "--no-imports", "-c", SET_UP_PRODUCTION],
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


# In object storage ----------------------------------------------------------------------------


def settings_in_a_process(**environ: str) -> subprocess.CompletedProcess:
    code = (
        'from django.core.files.storage import storages; s = storages["default"];'
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location, s.file_overwrite, s.default_acl)"
    )
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, str(root / "manage.py"), "shell", "--no-imports", "-c", code],
        env={**os.environ, **environ},
        cwd=root,
        capture_output=True,
        text=True,
    )


def test_storage_backend_s3_puts_files_in_the_bucket_from_the_environment():
    done = settings_in_a_process(
        STORAGE_BACKEND="s3",
        S3_BUCKET="meetings-files",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_PREFIX="uploads",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "S3Storage",
        "meetings-files",
        "http://127.0.0.1:9000",
        "uploads",
        "False",
        "None",
    ]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"STORAGE_BACKEND": "s3"}, "STORAGE_BACKEND=s3 needs S3_BUCKET."),
        ({"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "FILE_SERVER": "nginx"}, "leave it empty with S3"),
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND is 'filesystem' or 's3'."),
        ({"FILE_SERVER": "apache"}, "FILE_SERVER is '' (the app), 'nginx' or 'sendfile'."),
    ],
)
def test_a_storage_setting_that_cannot_work_stops_the_start(environ, message):
    done = settings_in_a_process(**environ)
    assert done.returncode != 0
    assert message in done.stderr


BUCKET = "meetings-files"


@pytest.fixture
def bucket(settings, media):
    """An S3-compatible server on loopback (moto), with an empty bucket as the default storage."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": f"http://{host}:{port}",
        "region_name": "us-east-1",
        "access_key": "test-key",
        "secret_key": "test-secret",
        "default_acl": None,
        "file_overwrite": False,
    }
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield client
    server.stop()


def test_files_in_an_s3_bucket_are_stored_checked_and_served_the_same_way(bucket, media):
    pdf = real_pdf()
    editor = signed_in(SECRET, role="editor")
    response = post_meeting_with_file(editor, SimpleUploadedFile("statement.pdf", pdf))
    assert response.status_code == 302, field_error(response)
    source = Source.objects.get()
    keys = [item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [source.file.name] and "statement" not in source.file.name
    assert not [path for path in media.rglob("*") if path.is_file()]

    download = editor.get(file_url(source))
    assert body(download) == pdf
    assert download["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert signed_in(UNCLASSIFIED).get(file_url(source)).status_code == 404  # the meeting is RESTRICTED

    refused = post_meeting_with_file(editor, SimpleUploadedFile("evil.pdf", HTML))
    assert MARKUP in field_error(refused)
    bucket.delete_object(Bucket=BUCKET, Key=source.file.name)
    assert editor.get(file_url(source)).status_code == 404


def test_deleting_a_meeting_deletes_its_files_from_the_bucket(bucket, django_capture_on_commit_callbacks):
    from meetings.services import record_delete

    editor = UserFactory(username="bucket-editor", role="editor", clearance=SECRET)
    source = Source.objects.create(
        meeting=MeetingFactory(), title="Minutes", file=SimpleUploadedFile("minutes.txt", b"notes")
    )
    assert bucket.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        record_delete(user=editor, record=source.meeting)
    assert bucket.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
