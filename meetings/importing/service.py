"""The one import service the page, the worker and the command share: a dry run, or the
real import, in short transactions of ``CHUNK_ROWS`` rows.

Short transactions keep the import from holding the database's write lock (on SQLite, the
whole database's) for minutes: between two of them other people sign in and save, and
the progress is written where the page can read it. What that costs, and why it is
worth it:

- A dry run rolls back each chunk, so a record an earlier chunk would create is not there
  for a later one: a file that names the same new meeting twice, rows far apart, shows it
  created twice in the dry run where the import creates it once and matches it once.
  Every problem the import would meet is still found, since each row is checked whole.
- The import commits each chunk. It starts only after a dry run without a problem, so it
  stops part-way only if records changed in between (or the worker died); the report then
  says how many rows were written. Importing the same file again adds only the rest: what
  was written is matched, not duplicated.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from meetings.importing.kinds import IMPORTERS
from meetings.importing.reading import Table
from meetings.importing.references import References
from meetings.importing.report import KINDS, ImportReport, RowError
from meetings.models import User

__all__ = ["CHUNK_ROWS", "KINDS", "detect_kind", "import_records"]

CHUNK_ROWS = 100


class _NothingWritten(Exception):
    """Rolls back a chunk of a dry run, or a chunk with any problem."""


def detect_kind(table: Table) -> str | None:
    """The kind whose columns the headers name: meetings have a Title and a Date; a Name is
    a person's unless only organisations' columns (Acronym, Kind, Part of) come with it."""
    folded = {header.casefold() for header in table.headers}
    if {"title", "date"} <= folded or {"title", "start date"} <= folded:
        return "meetings"
    if "name" not in folded:
        return None
    shared = {"name", "country", "e-mail", "email"}
    people = folded & (IMPORTERS["people"].known_headers() - shared)
    organizations = folded & (IMPORTERS["organizations"].known_headers() - shared)
    return "organizations" if organizations and not people else "people"


def import_records(
    *,
    user: User,
    table: Table,
    kind: str,
    create_topics: bool = False,
    commit: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Imports every row, or, with ``commit`` False (a dry run), says what it would do.

    Either way the rows are really checked and written, chunk by chunk, each chunk in its
    own transaction; a dry run rolls each back, and so does the import for a chunk with a
    problem, after which it stops. ``progress`` is told how many rows are done after each
    chunk, outside any transaction.
    """
    if not user.is_authenticated or not user.can_edit:
        raise PermissionDenied("Only editors and administrators import records.")
    importer_class = IMPORTERS[kind]
    report = ImportReport(kind=kind, file_format=table.format, rows=len(table.rows))
    known = importer_class.known_headers()
    report.ignored_columns = [header for header in table.headers if header.casefold() not in known]
    references = References(create_topics=create_topics)
    importer = importer_class(user=user, table=table, references=references, report=report)
    missing = importer.missing_columns()
    if missing:
        for column in missing:
            report.errors.append(RowError(0, column, "", f"The file has no “{column}” column."))
        return report
    for start in range(0, len(table.rows), CHUNK_ROWS):
        chunk = table.rows[start : start + CHUNK_ROWS]
        try:
            with transaction.atomic():
                for row in chunk:
                    importer.run(row)
                if report.errors or not commit:
                    raise _NothingWritten
        except _NothingWritten:
            references.created.clear()  # rolled back: nothing this chunk created exists
        else:
            report.rows_written += len(chunk)
        if progress:
            progress(start + len(chunk))
        if commit and report.errors:
            break
    report.written = commit and not report.errors
    report.unlink_missing()
    return report
