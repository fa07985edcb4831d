"""Bulk import of meetings (with attendees, topics and actions), people and organisations
from the CSV, XLSX and JSON files the lists export, or files written to match them.

``reading`` turns a file into numbered rows; ``kinds`` has one importer per kind of
record, checking each row with the pages' own forms; ``references`` matches or creates
the people, organisations, topics and series rows name; ``service`` runs a dry run or the
real import in one transaction; ``notation`` is the one-cell format of a meeting's rows.
"""

from meetings.importing.reading import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, UnreadableFile, read_table
from meetings.importing.report import ImportReport
from meetings.importing.service import KINDS, detect_kind, import_records

__all__ = [
    "KINDS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "ImportReport",
    "UnreadableFile",
    "detect_kind",
    "import_records",
    "read_table",
]
