"""Reading change history: who changed what and when, field by field.

django-simple-history writes a historical row on every create, update and delete. Here
those rows are turned into entries a person can read, oldest differences computed in
Python from one query per model, so a long history costs no more queries than a short one.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Source,
)
from meetings.uploads import clean_file_name

KINDS = {"+": "created", "~": "changed", "-": "deleted"}
# A source's file is shown by the name it was uploaded with, never by its storage name.
SKIPPED = {"id", "version", "created_at", "updated_at", "file_name"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    kind: str
    what: str
    label: str
    changes: list[Change] = field(default_factory=list)


def _display(row, model_field) -> str:
    value = getattr(row, model_field.attname)
    if value in (None, ""):
        return "—"
    if isinstance(value, list):  # several countries in one field
        return ", ".join(getattr(item, "name", str(item)) for item in value) or "—"
    if model_field.choices and model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return f"#{value}"
    if isinstance(model_field, models.FileField):
        return getattr(row, "file_name", "") or clean_file_name(value)
    return str(value)


def _entries(model, rows) -> list[Entry]:
    tracked = [f for f in model._meta.concrete_fields if f.name not in SKIPPED]
    noun = str(model._meta.verbose_name)
    previous, entries = {}, []
    for row in rows:
        before = previous.get(row.id)
        changes = []
        if before is not None and row.history_type == "~":
            for model_field in tracked:
                old, new = _display(before, model_field), _display(row, model_field)
                if old != new:
                    changes.append(Change(str(model_field.verbose_name), old, new))
        previous[row.id] = row
        if row.history_type == "~" and not changes:
            continue  # saved without a visible change
        user = row.history_user
        entries.append(
            Entry(
                when=row.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "system",
                kind=KINDS[row.history_type],
                what=noun,
                label=_label(row),
                changes=changes,
            )
        )
    return entries


# How each kind of row is named in the history, from the historical row itself and the
# relations fetched with it, so that naming costs no query per entry.
LABELS = {
    Attendance: (("person",), lambda row: str(row.person) if row.person_id else "—"),
    MeetingTopic: (("topic",), lambda row: str(row.topic) if row.topic_id else "—"),
    ActionParty: (
        ("organization",),
        lambda row: str(row.organization) if row.organization_id else row.country.name,
    ),
    MeetingCountry: ((), lambda row: f"{row.country.name} ({row.get_role_display().lower()})"),
    Action: ((), lambda row: row.description),
    Source: ((), lambda row: row.title),
    Meeting: ((), lambda row: row.title),
}


def _label(row) -> str:
    if row.instance_type in LABELS:
        return LABELS[row.instance_type][1](row)
    return getattr(row, "name", None) or f"#{row.id}"


def _rows(model, **filters):
    related = LABELS[model][0] if model in LABELS else ()
    return (
        model.history.filter(**filters)
        .select_related("history_user", *related)
        .order_by("history_date", "history_id")
    )


def meeting_history(meeting: Meeting) -> list[Entry]:
    """The meeting and all its inline rows (attendees, topics, actions, parties, sources), newest first."""
    entries = _entries(Meeting, _rows(Meeting, id=meeting.pk))
    for model in (Attendance, MeetingTopic, Action, Source, MeetingCountry):
        entries += _entries(model, _rows(model, meeting_id=meeting.pk))
    action_ids = Action.history.filter(meeting_id=meeting.pk).values("id")
    entries += _entries(ActionParty, _rows(ActionParty, action_id__in=action_ids))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def record_history(instance) -> list[Entry]:
    """A single record's own history (a person, organisation or topic), newest first."""
    model = type(instance)
    return sorted(_entries(model, _rows(model, id=instance.pk)), key=lambda e: e.when, reverse=True)


def meeting_changes_since(meeting: Meeting, version: int) -> list[Entry]:
    """What was written after the meeting stood at ``version``, newest first.

    Told to someone whose save was refused because they started from that version. A
    change of an action's status moves the version on without a meeting row of its own;
    then everything after the last save at or before ``version`` is listed.
    """
    saves = Meeting.history.filter(id=meeting.pk)
    later = saves.filter(version__gt=version).order_by("history_date").first()
    if later is not None:
        return [entry for entry in meeting_history(meeting) if entry.when >= later.history_date]
    last = saves.filter(version__lte=version).order_by("-history_date").first()
    return [entry for entry in meeting_history(meeting) if last is None or entry.when > last.history_date]
