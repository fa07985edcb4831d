"""Work that runs on the task worker (``manage.py db_worker``), not in a web request."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.tasks import task

from meetings.importing import ImportReport, UnreadableFile, import_records, read_table
from meetings.models import ImportRun
from meetings.reminders import send_reminders

logger = logging.getLogger(__name__)


@task()
def run_import(run_id: str) -> dict:
    """The dry run of an uploaded file, or, once confirmed, its import; progress and report
    are kept on the ``ImportRun``."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    commit = run.stage == ImportRun.Stage.IMPORTING

    def progress(done: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(rows_done=done)

    try:
        table = read_table(run.file_name, bytes(run.content))
        report = import_records(
            user=run.user,
            table=table,
            kind=run.kind,
            create_topics=run.create_topics,
            commit=commit,
            progress=progress,
        )
    except Exception as error:
        logger.exception("import %s failed", run.pk)
        known = isinstance(error, UnreadableFile | PermissionDenied)
        reason = str(error) if known else "an unexpected error, logged for the administrators."
        failed = ImportReport(kind=run.kind, file_format="", rows=run.rows, failure=reason)
        run.stage, run.report = ImportRun.Stage.FAILED, failed.to_json()
        run.save(update_fields=["stage", "report", "updated_at"])
        raise
    run.report = report.to_json()
    run.rows_done = run.rows
    if commit:
        run.stage = ImportRun.Stage.IMPORTED if report.written else ImportRun.Stage.FAILED
        run.content = b""  # the records are in the database now; the file need not wait
    else:
        run.stage = ImportRun.Stage.CHECKED
    run.save(update_fields=["report", "rows_done", "stage", "content", "updated_at"])
    return report.counts


@task()
def send_action_reminders(days: int = 14) -> dict:
    """The reminder e-mails, as ``manage.py send_action_reminders`` sends them, for a
    scheduler that queues tasks rather than running commands."""
    return send_reminders(days=days).summary
