"""An uploaded CSV, XLSX or JSON file as rows of text keyed by column.

Rows keep the number a person sees when opening the file: in a spreadsheet or CSV the
header is row 1 and blank rows count; in JSON the first object is row 1. The formats'
readers (``meetings.formats``) stop at the limits below as they read, so an oversized or
hostile file is refused at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from meetings.formats import FORMATS, UnreadableFile, restore

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000

__all__ = ["MAX_IMPORT_BYTES", "MAX_IMPORT_ROWS", "Row", "Table", "UnreadableFile", "read_table"]


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
        *others, last = [fmt.label for fmt in FORMATS.values()]
        labels = f"{', '.join(others)} or {last}"
        raise UnreadableFile(
            f"Files of type “{extension or 'none'}” cannot be imported. Use {labels} "
            "(the formats the lists export)."
        )
    return extension


def read_table(name: str, content: bytes) -> Table:
    fmt = FORMATS[file_format(name)]
    if len(content) > MAX_IMPORT_BYTES:
        raise UnreadableFile(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not content.strip():
        raise UnreadableFile("The file is empty.")
    records = fmt.read(content, MAX_IMPORT_ROWS)
    header = next(records, None)
    if header is None:
        raise UnreadableFile("The file is empty.")
    # Spreadsheet cells come as the export neutralised them against formulas.
    text = (lambda value: restore(_text(value))) if fmt.spreadsheet else _text
    headers = [text(cell) for cell in header]
    if not any(headers):
        raise UnreadableFile("The first row must name the columns, e.g. Name, Country.")
    folded = [header.casefold() for header in headers]
    repeated = sorted({h for h, f in zip(headers, folded, strict=True) if h and folded.count(f) > 1})
    if repeated:
        raise UnreadableFile(f"Each column may appear once; repeated: {', '.join(repeated)}.")
    table_rows = []
    for number, values in enumerate(records, start=fmt.first_row):
        cells = [text(value) for value in values]
        if any(cells):
            table_rows.append(
                Row(number, {key: cell for key, cell in zip(folded, cells, strict=False) if key})
            )
    if not table_rows:
        raise UnreadableFile("The file has a header but no rows.")
    return Table(fmt.name, [h for h in headers if h], table_rows)


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
