"""Runs queued tasks in a test, on the database backend's own worker."""

from unittest import mock

from django_tasks_db.management.commands import db_worker


def worker(**options) -> db_worker.Worker:
    return db_worker.Worker(
        queue_names=["default"],
        interval=options.pop("interval", 0),
        batch=options.pop("batch", True),
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=options.pop("worker_id", "tests"),
        excluded_queue_names=[],
    )


def run_queued_tasks() -> None:
    """Everything queued so far, run as ``manage.py db_worker --batch`` runs it. The worker
    would close the test's connection between tasks (and with it the test's transaction),
    as Django's test client would after a request; like the client, this keeps it open."""
    with mock.patch.object(db_worker, "close_old_connections"):
        worker().run()
