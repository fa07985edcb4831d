"""Reading change history: who changed what and when, field by field.

django-simple-history writes a historical row on every create, update and delete. Here
those rows are turned into entries a person can read, oldest differences computed in
Python from one query per model, so a long history costs no more queries than a short one.

A meeting's history is marked like the meeting was: an entry carries the highest marking
in force when the values it shows were written (a change shows the old values too), and
only readers cleared for that marking see it. A meeting re-marked downwards therefore does
not re-tell its earlier, higher-marked contents; the page says that entries were withheld.
"""

from __future__ import annotations

import bisect
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
    User,
)
from meetings.uploads import clean_file_name

KINDS = {"+": "created", "~": "changed", "-": "deleted"}
# A source's file is shown by the name it was uploaded with, never by its storage name.
SKIPPED = {"id", "version", "created_at", "updated_at", "file_name"}
# Foreign keys whose target may be marked above the reader: named only when visible.
MARKED_TARGETS = (Meeting, Action)
HIDDEN_TARGET = "a record above your clearance"


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
    marking: int = 0


@dataclass
class History:
    """The entries a reader may see, newest first, and whether any were withheld."""

    entries: list[Entry]
    withheld: bool = False

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):
        return self.entries[index]


class _Markings:
    """The meeting's marking at any moment, from its own historical rows."""

    def __init__(self, meeting_rows):
        self.times = [row.history_date for row in meeting_rows]
        self.levels = [row.classification for row in meeting_rows]

    def at(self, when: datetime) -> int:
        index = bisect.bisect_right(self.times, when) - 1
        return self.levels[index] if index >= 0 else (self.levels[0] if self.levels else 0)


class _Targets:
    """Which marked records a foreign key in the history may name for this reader."""

    def __init__(self, user: User | None, rows_by_model: dict):
        self.visible: dict[type, set[int]] = {}
        for target in MARKED_TARGETS:
            ids = {
                getattr(row, f.attname)
                for model, rows in rows_by_model.items()
                for f in model._meta.concrete_fields
                if isinstance(f, models.ForeignKey) and f.related_model is target
                for row in rows
                if getattr(row, f.attname) is not None
            }
            if not ids:
                self.visible[target] = set()
            elif user is None:
                self.visible[target] = ids
            else:
                self.visible[target] = set(
                    target.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
                )

    def shows(self, model_field, value) -> bool:
        target = model_field.related_model
        return target not in self.visible or value in self.visible[target]


def _display(row, model_field, targets: _Targets | None = None) -> str:
    value = getattr(row, model_field.attname)
    if value in (None, ""):
        return "—"
    if isinstance(value, list):  # several countries in one field
        return ", ".join(getattr(item, "name", str(item)) for item in value) or "—"
    if model_field.choices and model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        if targets is not None and not targets.shows(model_field, value):
            return HIDDEN_TARGET
        return f"#{value}"
    if isinstance(model_field, models.FileField):
        return getattr(row, "file_name", "") or clean_file_name(value)
    return str(value)


def _entries(
    model, rows, *, targets: _Targets | None = None, markings: _Markings | None = None
) -> list[Entry]:
    tracked = [f for f in model._meta.concrete_fields if f.name not in SKIPPED]
    noun = str(model._meta.verbose_name)
    previous, entries = {}, []
    for row in rows:
        before = previous.get(row.id)
        changes = []
        if before is not None and row.history_type == "~":
            for model_field in tracked:
                old, new = _display(before, model_field, targets), _display(row, model_field, targets)
                if old != new:
                    changes.append(Change(str(model_field.verbose_name), old, new))
        previous[row.id] = row
        if row.history_type == "~" and not changes:
            continue  # saved without a visible change
        user = row.history_user
        marking = 0
        if markings is not None:
            # The values shown were written now and, for a change or deletion, before.
            written = [row.history_date] + ([before.history_date] if before is not None else [])
            marking = max(markings.at(when) for when in written)
        if model is Meeting:
            marking = max(row.classification, before.classification if before is not None else 0)
        entries.append(
            Entry(
                when=row.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "system",
                kind=KINDS[row.history_type],
                what=noun,
                label=_label(row),
                changes=changes,
                marking=marking,
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
    return list(
        model.history.filter(**filters)
        .select_related("history_user", *related)
        .order_by("history_date", "history_id")
    )


def meeting_history(meeting: Meeting, user: User | None = None) -> History:
    """The meeting and all its inline rows (attendees, topics, actions, parties, sources),
    newest first; with ``user``, only the entries they are cleared for."""
    rows = {Meeting: _rows(Meeting, id=meeting.pk)}
    for model in (Attendance, MeetingTopic, Action, Source, MeetingCountry):
        rows[model] = _rows(model, meeting_id=meeting.pk)
    action_ids = Action.history.filter(meeting_id=meeting.pk).values("id")
    rows[ActionParty] = _rows(ActionParty, action_id__in=action_ids)
    targets, markings = _Targets(user, rows), _Markings(rows[Meeting])
    entries = [
        entry
        for model, model_rows in rows.items()
        for entry in _entries(model, model_rows, targets=targets, markings=markings)
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    if user is None:
        return History(entries)
    shown = [entry for entry in entries if entry.marking <= user.clearance]
    return History(shown, withheld=len(shown) < len(entries))


def record_history(instance) -> History:
    """A single record's own history (a person, organisation or topic), newest first."""
    model = type(instance)
    return History(sorted(_entries(model, _rows(model, id=instance.pk)), key=lambda e: e.when, reverse=True))


def meeting_changes_since(meeting: Meeting, version: int, user: User | None = None) -> History:
    """What was written after the meeting stood at ``version``, newest first.

    Told to someone whose save was refused because they started from that version. A
    change of an action's status moves the version on without a meeting row of its own;
    then everything after the last save at or before ``version`` is listed.
    """
    saves = Meeting.history.filter(id=meeting.pk)
    later = saves.filter(version__gt=version).order_by("history_date").first()
    history = meeting_history(meeting, user)
    if later is not None:
        return History([e for e in history if e.when >= later.history_date], history.withheld)
    last = saves.filter(version__lte=version).order_by("-history_date").first()
    return History([e for e in history if last is None or e.when > last.history_date], history.withheld)


def changes_since(instance, version: int, user: User | None = None) -> History:
    """What was written to a person, organisation, topic or action after it stood at
    ``version``, newest first: for a writer whose save was refused because it started there.
    An action's entries include its parties, and carry its meeting's marking."""
    model = type(instance)
    later = model.history.filter(id=instance.pk, version__gt=version).order_by("history_date").first()
    if later is None:
        return History([])
    rows = {model: _rows(model, id=instance.pk)}
    markings = targets = None
    if isinstance(instance, Action):
        rows[ActionParty] = _rows(ActionParty, action_id=instance.pk)
        markings = _Markings(_rows(Meeting, id=instance.meeting_id))
        targets = _Targets(user, rows)
    entries = [
        entry
        for entry_model, model_rows in rows.items()
        for entry in _entries(entry_model, model_rows, targets=targets, markings=markings)
        if entry.when >= later.history_date
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    shown = [entry for entry in entries if user is None or entry.marking <= user.clearance]
    return History(shown, withheld=len(shown) < len(entries))


def _quoted(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def describe(entries) -> list[str]:
    """Lines for a person told what changed meanwhile, oldest first: "Title: “A” → “B”",
    "Action “Deliver kit”: Status “Agreed” → “Done”", "Attendee added: “Aden Duale”"."""
    lines = []
    for entry in reversed(list(entries)):
        what = entry.what[:1].upper() + entry.what[1:]
        if entry.kind != "changed":
            lines.append(
                f"{what} {'added' if entry.kind == 'created' else 'removed'}: {_quoted(entry.label, 120)}"
            )
            continue
        changes = [(c.field[:1].upper() + c.field[1:], _quoted(c.old), _quoted(c.new)) for c in entry.changes]
        if entry.what == "meeting":
            lines += [f"{name}: {old} → {new}" for name, old, new in changes]
        else:
            lines.append(
                f"{what} {_quoted(entry.label)}: " + "; ".join(f"{n} {o} → {v}" for n, o, v in changes)
            )
    return lines
