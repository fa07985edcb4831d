"""An uploaded CSV, XLSX or JSON file as rows of text keyed by column.

Rows keep the number a person sees when opening the file: in a spreadsheet or CSV the
header is row 1 and blank rows count; in JSON the first object is row 1. (tablib, used
for the exports, skips blank rows while reading, which would shift every number after
one, so CSV is read with the csv module and XLSX with openpyxl.)
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from meetings.formats import restore

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
FORMATS = ("csv", "xlsx", "json")


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why, for the person."""


@dataclass
class Row:
    number: int
    values: dict[str, str]  # keyed by column name folded to lower case

    def get(self, column: str) -> str:
        return self.values.get(column.casefold(), "")


@dataclass
class Table:
    format: str
    headers: list[str]  # as written in the file
    rows: list[Row]

    def has(self, column: str) -> bool:
        return column.casefold() in {header.casefold() for header in self.headers}


def file_format(name: str) -> str:
    """The format named by a file's extension, or UnreadableFile."""
    extension = Path(name or "").suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise UnreadableFile(
            f"Files of type “{extension or 'none'}” cannot be imported. Use CSV, XLSX or JSON "
            "(the formats the lists export)."
        )
    return extension


def read_table(name: str, content: bytes) -> Table:
    fmt = file_format(name)
    if len(content) > MAX_IMPORT_BYTES:
        raise UnreadableFile(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not content.strip():
        raise UnreadableFile("The file is empty.")
    headers, rows = {"csv": _csv, "xlsx": _xlsx, "json": _json}[fmt](content)
    # Spreadsheet cells come as the export neutralised them against formulas.
    text = _text if fmt == "json" else lambda value: restore(_text(value))
    headers = [text(header) for header in headers]
    if not any(headers):
        raise UnreadableFile("The first row must name the columns, e.g. Name, Country.")
    folded = [header.casefold() for header in headers]
    repeated = sorted({h for h, f in zip(headers, folded, strict=True) if h and folded.count(f) > 1})
    if repeated:
        raise UnreadableFile(f"Each column may appear once; repeated: {', '.join(repeated)}.")
    table_rows = [
        Row(number, {key: text(value) for key, value in zip(folded, values, strict=False) if key})
        for number, values in rows
        if any(_text(value) for value in values)
    ]
    if len(table_rows) > MAX_IMPORT_ROWS:
        raise UnreadableFile(
            f"The file has {len(table_rows):,} rows; the limit is {MAX_IMPORT_ROWS:,}. Split it."
        )
    if not table_rows:
        raise UnreadableFile("The file has a header but no rows.")
    return Table(fmt, [h for h in headers if h], table_rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”.") from None
    if "\x00" in text:
        raise UnreadableFile("This does not look like a CSV file.")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise UnreadableFile(f"The CSV file cannot be read: {error}.") from None
    if not records:
        raise UnreadableFile("The file is empty.")
    return records[0], list(enumerate(records[1:], start=2))


def _xlsx(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile("This is not an Excel workbook (.xlsx) that can be read.") from None
    try:
        records = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    if not records:
        raise UnreadableFile("The first sheet of the workbook is empty.")
    return [_text(h) for h in records[0]], list(enumerate(records[1:], start=2))


def _json(content: bytes):
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise UnreadableFile("The file is not valid JSON.") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise UnreadableFile("The JSON file must be a list of objects, one per record, as the lists export.")
    headers = list(dict.fromkeys(key for item in data for key in item))
    for item in data:
        for key, value in item.items():
            if isinstance(value, dict | list):
                raise UnreadableFile(f"The value of “{key}” must be text, a number or empty.")
    return headers, [(number, [item.get(h) for h in headers]) for number, item in enumerate(data, start=1)]
