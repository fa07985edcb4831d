"""One action's status from the tracker, and carrying open actions into a later meeting."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F

from meetings.models import Action, ActionParty, Meeting, User
from meetings.services.base import SaveRefused, record_version_claim, require_editor


def action_update_status(
    *, user: User, action: Action, status: str, completed_on: datetime.date | None, completion_note: str
) -> Action:
    """Change an action's status from the tracker; moves the meeting's version on too,
    so a meeting form opened earlier cannot silently put the old status back."""
    require_editor(user)
    if action.meeting.classification > user.clearance:
        raise PermissionDenied
    action.status = status
    action.completed_on = completed_on if status in (Action.Status.DONE, Action.Status.CANCELLED) else None
    action.completion_note = completion_note
    try:
        with transaction.atomic():
            # The meeting first, as every write of a meeting's rows locks it: no deadlock.
            Meeting.objects.filter(pk=action.meeting_id).update(version=F("version") + 1)
            record_version_claim(action, None)
            action.save(update_fields=["status", "completed_on", "completion_note", "version", "updated_at"])
    except IntegrityError as error:
        raise SaveRefused("A done action needs the date it was done.") from error
    return action


def actions_carry_over(
    *, user: User, source: Meeting, target: Meeting, actions: Iterable[Action]
) -> list[Action]:
    """Copy open actions of ``source`` onto ``target``, a later meeting of its series.

    Each copy keeps the description, parties, responsible person, due date and status and
    points back through ``carried_from``; the original becomes "Carried over", so the
    tracker shows the commitment once, on the newer meeting. The target must be visible to
    the person and marked at least as high as the source: the copies' text would otherwise
    reach people not cleared for it. All or nothing; an action is carried at most once.
    """
    require_editor(user)
    visible = Meeting.objects.visible_to(user)
    if not visible.filter(pk=source.pk).exists():
        raise PermissionDenied
    if not visible.later_in_series(source).filter(pk=target.pk).exists():
        raise SaveRefused(
            "Actions are carried only into a later meeting of the same series that you can see."
        )
    if target.classification < source.classification:
        raise SaveRefused(
            f"“{target.title}” is marked {target.classification_label}, lower than this meeting "
            f"({source.classification_label}): its readers may not be cleared for these actions."
        )
    wanted = {action.pk for action in actions}
    if not wanted:
        raise SaveRefused("Tick at least one open action to carry over.")
    try:
        with transaction.atomic():
            # The meetings first, as every write of a meeting's rows locks it: no deadlock.
            Meeting.objects.filter(pk__in=[source.pk, target.pk]).update(version=F("version") + 1)
            originals = list(
                Action.objects.select_for_update()
                .filter(meeting=source, pk__in=wanted)
                .prefetch_related("parties")
                .order_by("pk")
            )
            if len(originals) != len(wanted):
                raise SaveRefused("An action was deleted or moved meanwhile. Nothing was carried over.")
            for original in originals:
                if original.status == Action.Status.CARRIED:
                    raise SaveRefused(f"“{original}” was already carried over. Nothing was carried over.")
                if not original.is_open:
                    raise SaveRefused(f"“{original}” is no longer open. Nothing was carried over.")
            copies = [_carry(original, target) for original in originals]
    except IntegrityError as error:
        raise SaveRefused(
            "One of these actions was already carried over. Nothing was carried over."
        ) from error
    return copies


def _carry(original: Action, target: Meeting) -> Action:
    copy = Action.objects.create(
        meeting=target,
        description=original.description,
        responsible_person_id=original.responsible_person_id,
        due_date=original.due_date,
        status=original.status,
        carried_from=original,
    )
    # Row by row rather than bulk_create: each write then reaches the change history.
    for party in original.parties.all():
        ActionParty.objects.create(action=copy, country=party.country, organization_id=party.organization_id)
    original.status = Action.Status.CARRIED
    record_version_claim(original, None)
    original.save(update_fields=["status", "version", "updated_at"])
    return copy
