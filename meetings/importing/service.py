"""The one import service the page and the command share: a dry run, or the real import,
all or nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from meetings.importing.kinds import IMPORTERS
from meetings.importing.reading import Table
from meetings.importing.references import References
from meetings.importing.report import KINDS, ImportReport, RowError
from meetings.models import User

__all__ = ["KINDS", "detect_kind", "import_records"]


class _NothingWritten(Exception):
    """Rolls back a dry run, or an import with any problem."""


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
    *, user: User, table: Table, kind: str, create_topics: bool = False, commit: bool = False
) -> ImportReport:
    """Imports every row, or, with ``commit`` False (a dry run), says what it would do.

    Either way the rows are really checked and written inside one transaction, so a dry
    run reports exactly what the import would do; the transaction is then rolled back
    unless this is the real import and no row has a problem.
    """
    if not user.is_authenticated or not user.can_edit:
        raise PermissionDenied("Only editors and administrators import records.")
    importer_class = IMPORTERS[kind]
    report = ImportReport(kind=kind, file_format=table.format, rows=len(table.rows))
    known = importer_class.known_headers()
    report.ignored_columns = [header for header in table.headers if header.casefold() not in known]
    importer = importer_class(
        user=user, table=table, references=References(create_topics=create_topics), report=report
    )
    missing = importer.missing_columns()
    if missing:
        for column in missing:
            report.errors.append(RowError(0, column, "", f"The file has no “{column}” column."))
        return report
    try:
        with transaction.atomic():
            for row in table.rows:
                importer.run(row)
            if report.errors or not commit:
                raise _NothingWritten
    except _NothingWritten:
        pass
    else:
        report.written = True
    return report
