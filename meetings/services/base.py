"""What every write shares: its refusals, who may write, and how rows reach the history."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from meetings.models import Source, User, Versioned


class SaveRefused(Exception):
    """A write was refused; the message says why, in words for the person."""


class DeleteRefused(Exception):
    """A record is still used elsewhere; the message explains where."""


class VersionConflict(SaveRefused):
    """Someone else saved a person, organisation, topic or action after this person read it."""

    def __init__(self, current: models.Model):
        super().__init__(
            f"Someone else saved this {current._meta.verbose_name} since you read it. Nothing was saved."
        )
        self.current = current


def require_editor(user: User) -> None:
    if not user.is_authenticated or not user.can_edit:
        raise PermissionDenied("Only editors and administrators change records.")


def create_with_history(user: User, rows: list[models.Model], new_rows: list) -> None:
    """Insert new rows of one model in bulk, each with its change-history entry."""
    if not rows:
        return
    bulk_create_with_history(rows, type(rows[0]), default_user=user)
    new_rows.extend(rows)


def delete_files(names: Iterable[str]) -> None:
    storage = Source._meta.get_field("file").storage
    for name in names:
        if name:
            storage.delete(name)


def version_claim(record: Versioned, expected: int | None = None, *, stored=None) -> bool:
    """Move the stored version of ``record`` on by one, and ``record.version`` with it.

    With ``expected`` (the version the writer read), only from that version: whether it
    was still the stored one. The conditional UPDATE is atomic in the database, so of two
    writers holding the same version exactly one succeeds, on SQLite and PostgreSQL alike.
    Without, the version simply moves on (the admin, carrying over, a status change).
    ``stored`` narrows the records the writer may reach (``visible_to``).
    """
    rows = (stored if stored is not None else type(record)._base_manager).filter(pk=record.pk)
    if expected is not None:
        if not rows.filter(version=expected).update(version=F("version") + 1):
            return False
        record.version = expected + 1
        return True
    if not rows.update(version=F("version") + 1):
        return False
    record.version = rows.values_list("version", flat=True).get()
    return True


def record_version_claim(record: Versioned, expected: int | None, *, stored=None) -> None:
    """``version_claim`` for a stored record, refusing with ``VersionConflict`` (or, when the
    record is gone or out of reach, ``SaveRefused``)."""
    if record.pk is None:
        record.version = 1
        return
    if version_claim(record, expected, stored=stored):
        return
    current = (stored if stored is not None else type(record)._base_manager).filter(pk=record.pk).first()
    if current is None:
        noun = record._meta.verbose_name
        raise SaveRefused(f"This {noun} was deleted, or is no longer visible to you. Nothing was saved.")
    raise VersionConflict(current)
