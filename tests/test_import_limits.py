"""Oversized and hostile import files are refused at once, with a message by the file field."""

import datetime
import io
import json
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from meetings import formats
from meetings.importing import MAX_IMPORT_ROWS, UnreadableFile, read_table
from meetings.models import Person

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(content: bytes, parts) -> bytes:
    """A copy of a workbook whose first sheet's XML is written from ``parts``, streamed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                copy.writestr(info.filename, source.read(info.filename))
        with copy.open(SHEET, "w") as sheet:
            for part in parts:
                sheet.write(part)
    return out.getvalue()


def xlsx_bomb(rows: int) -> bytes:
    """A workbook of a few hundred kilobytes holding ``rows`` rows and no declared dimensions,
    so that openpyxl's read-only worksheet would parse all of them before returning one."""
    row = b'<row><c t="inlineStr"><is><t>Official</t></is></c></row>'
    chunk = row * 10_000
    parts = [
        SHEET_START,
        b"<sheetData>",
        row,
        *(chunk for _ in range(rows // 10_000)),
        b"</sheetData></worksheet>",
    ]
    return with_sheet(workbook([["Name"]]), parts)


def upload(client, content: bytes, name: str):
    return client.post(reverse("import"), {"file": SimpleUploadedFile(name, content), "kind": "people"})


def refusal(client, content: bytes, name: str) -> tuple[str, float]:
    started = time.perf_counter()
    response = upload(client, content, name)
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    return response.context["form"].errors["file"][0], elapsed


@pytest.mark.django_db
class TestRefusedAtOnce:
    def test_a_workbook_of_three_million_rows_is_refused_in_a_moment(self, editor_client):
        bomb = xlsx_bomb(3_000_000)
        assert len(bomb) < 1024 * 1024
        message, seconds = refusal(editor_client, bomb, "people.xlsx")
        assert (
            message
            == f"The file has more than {MAX_IMPORT_ROWS:,} rows; the limit is {MAX_IMPORT_ROWS:,}. Split it."
        )
        assert seconds < 10  # about half a second here; reading every row took minutes
        assert not Person.objects.exists()

    def test_a_workbook_that_unpacks_too_far_is_refused_before_it_is_parsed(self, editor_client, monkeypatch):
        content = workbook([["Name"], *[[f"Official {n}"] for n in range(50)]])
        monkeypatch.setattr(formats, "MAX_UNPACKED_BYTES", 4096)
        message, _seconds = refusal(editor_client, content, "people.xlsx")
        assert "The workbook unpacks to" in message and "more than the 0 MB" in message

    def test_a_workbook_with_xml_entity_expansion_is_refused(self, editor_client):
        laughs = b'<!DOCTYPE s [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        parts = [laughs, SHEET_START, b'<sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row>']
        message, _seconds = refusal(
            editor_client, with_sheet(workbook([["Name"]]), [*parts, b"</sheetData></worksheet>"]), "p.xlsx"
        )
        assert message == "This is not an Excel workbook (.xlsx) that can be read."

    def test_csv_rows_past_the_limit_are_refused_blank_ones_included(self, editor_client):
        rows = "Name\n" + "".join(f"Official {n}\n" for n in range(MAX_IMPORT_ROWS + 1))
        message, _seconds = refusal(editor_client, rows.encode(), "people.csv")
        assert message.startswith(f"The file has more than {MAX_IMPORT_ROWS:,} rows")
        message, seconds = refusal(editor_client, b"Name\nAden Duale\n" + b"\n" * 4_000_000, "people.csv")
        assert message.startswith("The file has more than") and seconds < 10

    def test_a_file_with_too_many_columns_is_refused(self, editor_client):
        wide = ",".join(f"Column {n}" for n in range(101)).encode() + b"\nx\n"
        message, _seconds = refusal(editor_client, wide, "people.csv")
        assert message == "The file has more than 100 columns; the lists export fewer than 30."
        sheet = workbook([["Name", *[None] * 150, "Far away"], ["Aden Duale"]])
        assert refusal(editor_client, sheet, "people.xlsx")[0] == message

    @pytest.mark.parametrize("opening", [b"[", b'[{"Name": '])
    def test_json_nested_a_hundred_thousand_levels_deep_is_refused_not_a_500(self, editor_client, opening):
        deep = opening + b"[" * 100_000 + b"]" * 100_000 + (b"}]" if opening != b"[" else b"]")
        message, seconds = refusal(editor_client, deep, "people.json")
        assert message in (
            "The JSON file must be a list of objects, one per record, as the lists export.",
            "The value of “Name” must be text, a number or empty.",
        )
        assert seconds < 10

    def test_json_objects_past_the_limit_are_refused_as_they_are_read(self, editor_client):
        many = b"[" + b",".join([b"{}"] * (MAX_IMPORT_ROWS + 1)) + b"]"
        message, _seconds = refusal(editor_client, many, "people.json")
        assert message.startswith(f"The file has more than {MAX_IMPORT_ROWS:,} rows")
        keys = json.dumps([{f"Column {n}": "x" for n in range(101)}]).encode()
        assert refusal(editor_client, keys, "people.json")[0].startswith("The file has more than 100 columns")

    def test_broken_json_says_so(self, editor_client):
        for content in (b'[{"Name": "Aden"}', b'[{"Name": "Aden"}] trailing', b'"a string"', b"\xff\xfe[]"):
            message, _seconds = refusal(editor_client, content, "people.json")
            assert message.startswith(("The file is not valid JSON", "The JSON file must be a list"))


class TestStillRead:
    def test_a_workbook_made_by_hand_keeps_its_dates_and_row_numbers(self):
        content = workbook(
            [["Title", "Date"], ["Talks", datetime.date(2024, 2, 26)], [], ["Call", "2024-03-05"]]
        )
        table = read_table("meetings.xlsx", content)
        assert [(row.number, row.get("title"), row.get("date")) for row in table.rows] == [
            (2, "Talks", "2024-02-26"),
            (4, "Call", "2024-03-05"),
        ]

    def test_rows_a_workbook_leaves_out_still_count(self):
        parts = [
            SHEET_START,
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>',
            b'<row r="7"><c r="B7" t="inlineStr"><is><t>x</t></is></c>',
            b'<c r="A7" t="inlineStr"><is><t>Aden</t></is></c></row>',
            b"</sheetData></worksheet>",
        ]
        table = read_table("people.xlsx", with_sheet(workbook([["Name"]]), parts))
        assert [(row.number, row.get("name")) for row in table.rows] == [(7, "Aden")]

    def test_json_rows_keep_their_values(self):
        content = json.dumps([{"Name": "Aden Duale", "Age": 1.0}, {"Name": "James", "E-mail": None}]).encode()
        table = read_table("people.json", b"\xef\xbb\xbf" + content)
        assert table.headers == ["Name", "Age", "E-mail"]
        assert [(row.number, row.get("name"), row.get("age")) for row in table.rows] == [
            (1, "Aden Duale", "1"),
            (2, "James", ""),
        ]

    def test_an_empty_or_headless_file_is_unreadable(self):
        for name, content in (("a.csv", b"\n\n"), ("a.json", b"[]"), ("a.xlsx", workbook([]))):
            with pytest.raises(UnreadableFile):
                read_table(name, content)
