"""Deleting people, organisations, topics and meetings, or saying plainly why not."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError

from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingTopic,
    Organization,
    Person,
    Topic,
    User,
)
from meetings.services.base import DeleteRefused, delete_files, require_editor

USES = {
    (Attendance, "person"): "recorded as attending {n} meeting(s)",
    (Attendance, "organization"): "the organisation of {n} attendee(s) on the day",
    (Action, "responsible_person"): "responsible for {n} action(s)",
    (Person, "organization"): "the current organisation of {n} person/people",
    (Organization, "parent"): "the parent of {n} organisation(s)",
    (ActionParty, "organization"): "a responsible party for {n} action(s)",
    (MeetingTopic, "topic"): "discussed at {n} meeting(s)",
    (Topic, "parent"): "the parent of {n} topic(s)",
    (Meeting, "parent"): "the parent event of {n} meeting(s) held on its margins",
    (Meeting, "organizations"): "involved in {n} meeting(s)",
}


HIDDEN_USES = "records above your clearance"


def _visible(model, pks, user: User) -> models.QuerySet:
    """Those of ``pks`` that ``user`` may see: rows of a meeting follow its marking."""
    rows = model.objects.filter(pk__in=pks)
    if model is ActionParty:
        return rows.filter(action__meeting__classification__lte=user.clearance)
    return rows.visible_to(user)


def _uses(record: models.Model, protected: Iterable[models.Model]) -> dict[tuple, list[int]]:
    """The records that still refer to ``record``, by (model, field)."""
    found: dict[tuple, list[int]] = {}
    for obj in protected:
        for model_field in obj._meta.get_fields():
            refers = getattr(model_field, "many_to_one", False) and model_field.related_model is type(record)
            if refers and getattr(obj, model_field.attname) == record.pk:
                found.setdefault((type(obj), model_field.name), []).append(obj.pk)
    return found


def _describe_uses(found: dict[tuple, list[int]], user: User) -> str:
    """What still uses a record, counting only what ``user`` may see; records above their
    clearance are said to exist, never counted or named."""
    order = list(USES)
    parts, hidden = [], False
    for key in sorted(found, key=lambda key: order.index(key) if key in order else len(order)):
        visible = _visible(key[0], found[key], user).count()
        hidden |= visible < len(found[key])
        if visible:
            parts.append(
                USES.get(key, "used by {n} " + str(key[0]._meta.verbose_name_plural)).format(n=visible)
            )
    if hidden:
        parts.append(f"used by {HIDDEN_USES}")
    return "; ".join(parts) or "still used by other records"


def record_delete(*, user: User, record: Person | Organization | Topic | Meeting) -> None:
    """Delete a record, or refuse with an explanation while anything still uses it."""
    require_editor(user)
    if isinstance(record, Meeting) and record.classification > user.clearance:
        raise PermissionDenied
    if isinstance(record, Organization) and record.meetings_involved.exists():
        involved = {(Meeting, "organizations"): list(record.meetings_involved.values_list("pk", flat=True))}
        raise DeleteRefused(
            f"{record} cannot be deleted while in use: {_describe_uses(involved, user)}. "
            "Remove it from those meetings first."
        )
    files = (
        list(record.sources.exclude(file="").values_list("file", flat=True))
        if isinstance(record, Meeting)
        else []
    )
    try:
        with transaction.atomic():
            record.delete()
            transaction.on_commit(lambda: delete_files(files))
    except ProtectedError as error:
        uses = _describe_uses(_uses(record, error.protected_objects), user)
        raise DeleteRefused(
            f"{record} cannot be deleted while in use: {uses}. Change or remove those first."
        ) from error
    except IntegrityError as error:
        raise DeleteRefused(f"{record} cannot be deleted: other records still refer to it.") from error
