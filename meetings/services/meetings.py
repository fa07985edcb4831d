"""A meeting with its rows as one typed value, validated once and saved all or nothing.

Every way in turns what it received into a ``MeetingInput``: the meeting page from its
forms, the API from its serializers, the importer from a row of a file, the press-release
draft from what it read. ``meeting_save`` then checks every rule that holds whoever
writes — the fields' own (through the models' validation), those across fields and rows
(an end before the start, one head per delegation, a due date before the meeting, …),
the writer's clearance, and that nobody else saved meanwhile — and writes it all in one
transaction. Errors come back keyed by field and by row, so each entry point can show
them where the person put the value.

A row list left as ``None`` keeps the stored rows; a list given is the whole list: a
stored row listed by ``id`` is kept (and changed where its values differ), a row without
``id`` is added, a stored row left out is removed.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.formats import date_format
from django_countries import countries

from meetings.history import History, meeting_changes_since
from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Organization,
    Person,
    Source,
    Topic,
    User,
    Versioned,
)
from meetings.services.base import (
    SaveRefused,
    create_with_history,
    delete_files,
    record_version_claim,
    require_editor,
)

MAX_ROWS = 200
ALL = "__all__"
REMOVED_MEANWHILE = (
    "This row was removed by someone else meanwhile: remove it here too, or add it again as a new row."
)


# The typed value ------------------------------------------------------------------------


@dataclass
class RowInput:
    """One row of a meeting; ``id`` names the stored row it changes, None a new one."""

    model: ClassVar[type[models.Model]]
    id: int | None = None

    @classmethod
    def of(cls, row: models.Model) -> RowInput:
        """A stored row as input, unchanged."""
        return cls(id=row.pk, **{name: getattr(row, name) for name in row.EDITABLE_FIELDS})

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model.EDITABLE_FIELDS}


@dataclass
class AttendeeInput(RowInput):
    model = Attendance
    person: Person | None = None
    organization: Organization | None = None
    title: str = ""
    delegation: str = ""
    role: str = Attendance.Role.DELEGATE
    status: str = Attendance.Status.ATTENDED


@dataclass
class TopicInput(RowInput):
    model = MeetingTopic
    topic: Topic | None = None
    note: str = ""


@dataclass
class ActionInput(RowInput):
    """An action with the countries and organisations responsible for it."""

    model = Action
    description: str = ""
    responsible_person: Person | None = None
    due_date: datetime.date | None = None
    status: str = Action.Status.AGREED
    completed_on: datetime.date | None = None
    completion_note: str = ""
    countries: list[str] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)

    @classmethod
    def of(cls, row: Action) -> ActionInput:
        action = super().of(row)
        parties = list(row.parties.all())
        action.countries = [p.country.code for p in parties if not p.organization_id]
        action.organizations = [p.organization for p in parties if p.organization_id]
        return action


@dataclass
class SourceInput(RowInput):
    """``file``: a new upload, the stored file (kept), or None (none, or removed)."""

    model = Source
    kind: str = Source.Kind.READOUT
    title: str = ""
    url: str = ""
    file: Any = None
    published_on: datetime.date | None = None
    text: str = ""


ROW_KINDS: dict[str, type[RowInput]] = {
    "attendees": AttendeeInput,
    "topics": TopicInput,
    "actions": ActionInput,
    "sources": SourceInput,
}
RELATED = {"attendees": "attendances", "topics": "topic_notes", "actions": "actions", "sources": "sources"}


@dataclass
class MeetingInput:
    """A meeting with its rows, as typed values; ``Meeting.EDITABLE_FIELDS`` and more.

    ``parent`` None on a meeting whose stored parent event the writer may not see keeps
    that link: nobody drops, by saving, what they were never shown.
    """

    title: str = ""
    kind: str = Meeting.Kind.BILATERAL
    status: str = Meeting.Status.PLANNED
    start_date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_date: datetime.date | None = None
    end_time: datetime.time | None = None
    timezone: str = "UTC"
    city: str = ""
    venue: str = ""
    country: str = ""
    host_country: str = ""
    parent: Meeting | None = None
    series: Any = None
    classification: int = 0
    summary: str = ""
    outcome: str = ""
    organizations: list[Organization] | None = None
    participants: list[str] | None = None  # taking part beyond the host and the delegations
    mentioned: list[str] | None = None
    attendees: list[AttendeeInput] | None = None
    topics: list[TopicInput] | None = None
    actions: list[ActionInput] | None = None
    sources: list[SourceInput] | None = None

    @classmethod
    def of(cls, meeting: Meeting, *, rows: bool = True) -> MeetingInput:
        """The stored meeting as input, unchanged; with ``rows`` False its row lists are None (kept)."""
        data = cls(**{name: _plain(getattr(meeting, name)) for name in Meeting.EDITABLE_FIELDS})
        stored = list(meeting.countries.all())
        derived = set(meeting.attendances.exclude(delegation="").values_list("delegation", flat=True))
        if meeting.host_country:
            derived.add(meeting.host_country.code)
        data.organizations = list(meeting.organizations.all())
        data.participants = [
            r.country.code
            for r in stored
            if r.role == MeetingCountry.Role.PARTICIPANT and r.country.code not in derived
        ]
        data.mentioned = [r.country.code for r in stored if r.role == MeetingCountry.Role.MENTIONED]
        if rows:
            for kind, row_class in ROW_KINDS.items():
                manager = getattr(meeting, RELATED[kind])
                setattr(data, kind, [row_class.of(row) for row in manager.all().order_by("pk")])
        return data

    def meeting_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in Meeting.EDITABLE_FIELDS}


def _plain(value):
    """Countries as their codes: the input holds plain values."""
    return value.code if hasattr(value, "code") and hasattr(value, "name") else value


# Refusals ---------------------------------------------------------------------------------


class MeetingInvalid(SaveRefused):
    """The input breaks rules; ``errors`` holds the messages by field, and by row list and
    position: ``{"end_date": [...], "attendees": {1: {"role": [...]}}, "__all__": [...]}``."""

    def __init__(self, errors: dict):
        super().__init__("The meeting was not saved: some values need correcting.")
        self.errors = errors


class MeetingConflict(SaveRefused):
    """Someone else saved the meeting after this person opened it; ``changes`` are the
    history entries written since, as far as the person is cleared to read them."""

    def __init__(self, changes: History, current: Meeting):
        super().__init__("Someone else saved this meeting while you were editing it.")
        self.changes = changes
        self.current = current


# Validating -----------------------------------------------------------------------------


class _Errors:
    def __init__(self):
        self.found: dict = {}

    def add(self, name: str, message: str, *, rows: str | None = None, position: int | None = None) -> None:
        target = self.found
        if rows is not None:
            target = target.setdefault(rows, {}).setdefault(position, {})
        messages = target.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    def add_validation(self, error: ValidationError, **where) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add(name, message, **where)


def _model_errors(instance: models.Model, errors: _Errors, **where) -> None:
    """The fields' own rules (length, choices, one line, a file's type), from the model.

    Related records arrive as records, so they are not looked up again; the database's
    check constraints are rules this module states itself, with a message on the field.
    """
    related = [f.name for f in instance._meta.fields if f.is_relation]
    try:
        instance.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.add_validation(error, **where)


def _stored_rows(meeting: Meeting | None, kind: str) -> dict[int, models.Model]:
    if meeting is None:
        return {}
    rows = getattr(meeting, RELATED[kind]).all()
    if kind == "actions":
        rows = rows.prefetch_related("parties")
    return {row.pk: row for row in rows}


@dataclass
class _Plan:
    """What the save will write, worked out while validating."""

    meeting: Meeting
    rows: dict[str, list[models.Model]] = field(default_factory=dict)  # instances, in input order
    changed: dict[str, list[bool]] = field(default_factory=dict)
    removed: dict[str, list[models.Model]] = field(default_factory=dict)
    inputs: dict[str, list[RowInput]] = field(default_factory=dict)
    stored: dict[str, dict[int, models.Model]] = field(default_factory=dict)


def _known_parent(user: User, stored: Meeting | None, wanted: Meeting | None) -> Meeting | None:
    """The parent to store: the one chosen, or a stored one the writer may not see, kept."""
    hidden = (
        wanted is None
        and stored is not None
        and stored.parent_id
        and not Meeting.objects.visible_to(user).filter(pk=stored.parent_id).exists()
    )
    return stored.parent if hidden else wanted


def _plan(user: User, stored: Meeting | None, data: MeetingInput) -> tuple[_Plan, dict]:
    errors = _Errors()
    meeting = copy.copy(stored) if stored is not None else Meeting()
    for name, value in data.meeting_values().items():
        setattr(meeting, name, value)
    meeting.parent = _known_parent(user, stored, data.parent)
    _model_errors(meeting, errors)
    _meeting_rules(user, stored, meeting, errors)
    for name in ("participants", "mentioned"):
        for code in getattr(data, name) or []:
            if code and code not in countries:
                errors.add(name, f"Unknown country code “{code}”.")
    plan = _Plan(meeting=meeting)
    for kind in ROW_KINDS:
        given = getattr(data, kind)
        if given is not None:
            _plan_rows(plan, kind, given, stored, errors)
    _row_rules(plan, errors)
    return plan, errors.found


def _meeting_rules(user: User, stored: Meeting | None, meeting: Meeting, errors: _Errors) -> None:
    start, end = meeting.start_date, meeting.end_date
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        errors.add("end_date", "The end date cannot be before the start date.")
    start_time, end_time = meeting.start_time, meeting.end_time
    if start and start_time and end_time and end in (None, start) and end_time < start_time:
        errors.add("end_time", "On a one-day meeting the end time cannot be before the start time.")
    if isinstance(meeting.classification, int) and meeting.classification > user.clearance:
        errors.add("classification", f"Choose a marking at or below your clearance ({user.clearance_label}).")
    parent = meeting.parent
    if parent is not None:
        visible = Meeting.objects.visible_to(user).filter(pk=parent.pk).exists()
        kept = stored is not None and parent.pk == stored.parent_id
        if not (visible or kept):
            errors.add("parent", "Choose a meeting you can see.")
        node, steps = parent, 0
        while stored is not None and node is not None and steps < 100:
            if node.pk == stored.pk:
                errors.add(
                    "parent", "A meeting cannot be on the margins of itself or of its own side meeting."
                )
                break
            node, steps = node.parent, steps + 1


def _plan_rows(
    plan: _Plan, kind: str, given: list[RowInput], stored: Meeting | None, errors: _Errors
) -> None:
    if len(given) > MAX_ROWS:
        errors.add(ALL, f"At most {MAX_ROWS} {kind} per meeting.")
        given = given[:MAX_ROWS]
    existing = _stored_rows(stored, kind)
    listed: set[int] = set()
    instances, changed = [], []
    for position, row in enumerate(given):
        where = {"rows": kind, "position": position}
        if row.id is not None and (row.id not in existing or row.id in listed):
            errors.add("id", REMOVED_MEANWHILE, **where)
            instance = row.model()
        elif row.id is not None:
            listed.add(row.id)
            instance = copy.copy(existing[row.id])
        else:
            instance = row.model()
        before = _comparable(instance) if row.id else None
        for name, value in row.values().items():
            setattr(instance, name, value)
        instance.meeting = plan.meeting
        _model_errors(instance, errors, **where)
        differs = before is None or before != _comparable(instance)
        if kind == "actions" and not differs and row.id in existing:
            differs = _parties_differ(existing[row.id], row)
        instances.append(instance)
        changed.append(differs)
    plan.rows[kind], plan.changed[kind], plan.inputs[kind] = instances, changed, list(given)
    plan.removed[kind] = [row for pk, row in existing.items() if pk not in listed]
    plan.stored[kind] = existing


def _comparable(instance: models.Model) -> tuple:
    """A row's editable values as plain data: related records by id, files by name, a new
    upload as itself (so it always counts as a change)."""
    values = []
    for name in instance.EDITABLE_FIELDS:
        model_field = instance._meta.get_field(name)
        value = getattr(instance, model_field.attname)
        if isinstance(model_field, models.FileField):
            value = ("upload", id(value.file)) if value and not value._committed else (value.name or "")
        values.append(_plain(value))
    return tuple(values)


def _parties_differ(action: Action, row: ActionInput) -> bool:
    parties = list(action.parties.all())
    stored_countries = {p.country.code for p in parties if not p.organization_id}
    stored_organizations = {p.organization_id for p in parties if p.organization_id}
    return stored_countries != {c for c in row.countries if c} or stored_organizations != {
        o.pk for o in row.organizations
    }


def _row_rules(plan: _Plan, errors: _Errors) -> None:
    """The rules across the rows of a meeting, and between a row and its meeting."""
    start = plan.meeting.start_date
    seen_people: set[int] = set()
    heads: set[str] = set()
    for position, (row, attendance) in enumerate(
        zip(plan.inputs.get("attendees", []), plan.rows.get("attendees", []), strict=True)
    ):
        where = {"rows": "attendees", "position": position}
        if row.person is None:
            errors.add("person", "This field is required.", **where)
        elif row.person.pk in seen_people:
            errors.add("person", f"{row.person} is already listed as an attendee.", **where)
        else:
            seen_people.add(row.person.pk)
        if attendance.role == Attendance.Role.HEAD:
            delegation = str(_plain(attendance.delegation) or "")
            if delegation in heads:
                errors.add(
                    "role",
                    "A delegation has one head: another attendee of the same delegation is already its head.",
                    **where,
                )
            heads.add(delegation)
    seen_topics: set[int] = set()
    for position, row in enumerate(plan.inputs.get("topics", [])):
        where = {"rows": "topics", "position": position}
        if row.topic is None:
            errors.add("topic", "This field is required.", **where)
        elif row.topic.pk in seen_topics:
            errors.add("topic", f"“{row.topic}” is already listed as a topic.", **where)
        else:
            seen_topics.add(row.topic.pk)
    for position, row in enumerate(plan.inputs.get("actions", [])):
        stored = plan.stored["actions"].get(row.id)
        _action_rules(row, stored, start, errors, rows="actions", position=position)
    for position, row in enumerate(plan.inputs.get("sources", [])):
        if not (row.url or row.file or row.text):
            errors.add("url", "Give a link, a file or the text itself.", rows="sources", position=position)


def _action_rules(row: ActionInput, stored: Action | None, start, errors: _Errors, **where) -> None:
    status, done_on = row.status, row.completed_on
    if status == Action.Status.DONE and not done_on:
        errors.add("completed_on", "Give the date a done action was completed.", **where)
    elif done_on and status not in (Action.Status.DONE, Action.Status.CANCELLED):
        errors.add("completed_on", "Only a done or cancelled action has a completion date.", **where)
    if status == Action.Status.CARRIED and (stored is None or stored.status != status):
        errors.add("status", "“Carried over” is set by carrying the action into a later meeting.", **where)
    if isinstance(start, datetime.date) and isinstance(row.due_date, datetime.date) and row.due_date < start:
        errors.add(
            "due_date", f"The due date cannot be before the meeting ({date_format(start, 'j M Y')}).", **where
        )
    for code in row.countries:
        if code and code not in countries:
            errors.add("countries", f"Unknown country code “{code}”.", **where)


def meeting_validate(*, user: User, meeting: Meeting | None, data: MeetingInput) -> dict:
    """Every rule ``meeting_save`` checks, without writing: the errors, empty when it would save."""
    stored = Meeting.objects.filter(pk=meeting.pk).first() if meeting is not None and meeting.pk else None
    return _plan(user, stored, data)[1]


# Saving -----------------------------------------------------------------------------------


def meeting_save(
    *, user: User, data: MeetingInput, meeting: Meeting | None = None, expected_version: int | None = None
) -> Meeting:
    """Create (``meeting`` None or unsaved) or update a meeting with its rows, all or nothing.

    For an existing meeting, ``expected_version`` is the version the person started from;
    if the stored version moved on, ``MeetingConflict`` tells what was saved since, from
    the change history (nothing of it travels through the person's browser). Broken rules
    raise ``MeetingInvalid``. Participant countries are derived: the host, every
    attendee's delegation and ``participants``; ``mentioned`` countries are kept unless
    they also take part.
    """
    require_editor(user)
    is_new = meeting is None or meeting.pk is None
    written_files: list[str] = []
    new_rows: list[models.Model] = []
    plan = None
    try:
        with transaction.atomic():
            stored = None
            if not is_new:
                stored = Meeting.objects.visible_to(user).select_for_update().filter(pk=meeting.pk).first()
                if stored is None:
                    raise SaveRefused(
                        "This meeting was deleted, or is no longer visible to you. Nothing was saved."
                    )
                _claim_version(user, stored, expected_version)
            plan, errors = _plan(user, stored, data)
            if errors:
                raise MeetingInvalid(errors)
            saved = plan.meeting
            saved.version = 1 if is_new else expected_version + 1
            saved.save()
            if data.organizations is not None:
                saved.organizations.set(list(data.organizations))
            replaced_files = _replaced_files(plan)
            for kind in ROW_KINDS:
                if kind in plan.rows:
                    _write_rows(user, plan, kind, new_rows, written_files)
            _sync_countries(user, saved, data.participants, data.mentioned)
            still_used = set(Source.objects.filter(file__in=replaced_files).values_list("file", flat=True))
            unused = [name for name in replaced_files if name not in still_used]
            transaction.on_commit(lambda: delete_files(unused))
    except IntegrityError as error:
        _undo(plan, is_new, new_rows, written_files)
        raise SaveRefused(
            "The meeting could not be saved because two rows clash or a record you chose was "
            "changed or deleted meanwhile. Nothing was saved; check the rows and save again."
        ) from error
    except SaveRefused:
        _undo(plan, is_new, new_rows, written_files)
        raise
    if meeting is not None and is_new:
        meeting.pk, meeting.version = saved.pk, saved.version
    return saved


def _claim_version(user: User, stored: Meeting, expected_version: int | None) -> None:
    """Move the stored version on by one, or refuse if it is not the one the person saw.

    The conditional UPDATE is atomic in the database, so of two people saving the same
    version at the same moment exactly one succeeds, on SQLite and PostgreSQL alike.
    """
    claimed = expected_version is not None and (
        Meeting.objects.filter(pk=stored.pk, version=expected_version).update(version=F("version") + 1)
    )
    if not claimed:
        current = Meeting.objects.get(pk=stored.pk)
        since = expected_version if expected_version is not None else current.version
        raise MeetingConflict(meeting_changes_since(current, since, user), current)


def _write_rows(user: User, plan: _Plan, kind: str, new_rows: list, written_files: list) -> None:
    """Delete, update and create one kind of row; new rows go in with one insert (and one
    for their history) rather than two per row."""
    for row in plan.removed[kind]:
        row.delete()
    created, parties = [], []
    for row, instance, differs in zip(plan.inputs[kind], plan.rows[kind], plan.changed[kind], strict=True):
        instance.meeting = plan.meeting
        uploading = isinstance(instance, Source) and instance.file and not instance.file._committed
        if instance.pk is None and not uploading:
            created.append(instance)
        elif differs:
            if instance.pk is None:
                new_rows.append(instance)
            elif isinstance(instance, Versioned):
                # The meeting's version, claimed above, already keeps other writers of its rows out.
                instance.version += 1
            instance.save()
            if uploading:
                written_files.append(instance.file.name)
        if isinstance(row, ActionInput):
            parties.append((row, instance))
    create_with_history(user, created, new_rows)
    if kind == "actions":
        wanted = []
        for row, action in parties:
            wanted += _party_changes(action, row.countries, row.organizations, stored=row.id is not None)
        create_with_history(user, wanted, new_rows)


def _party_changes(
    action: Action, countries_: Iterable[str], organizations: Iterable[Organization], *, stored: bool
) -> list[ActionParty]:
    """Delete the parties no longer wanted; return the new ones to create."""
    wanted_countries = {code for code in countries_ if code}
    wanted_organizations = {organization.pk for organization in organizations}
    for party in action.parties.all() if stored else ():
        if party.organization_id in wanted_organizations:
            wanted_organizations.discard(party.organization_id)
        elif party.organization_id is None and party.country.code in wanted_countries:
            wanted_countries.discard(party.country.code)
        else:
            party.delete()
    return [ActionParty(action=action, country=code) for code in sorted(wanted_countries)] + [
        ActionParty(action=action, organization_id=pk) for pk in sorted(wanted_organizations)
    ]


def _sync_countries(
    user: User, meeting: Meeting, participants: Iterable[str] | None, mentioned: Iterable[str] | None
) -> None:
    """Participants are the host, every delegation and the extra participants; the rest are mentioned."""
    stored = {
        role: [row.country.code for row in meeting.countries.all() if row.role == role]
        for role in MeetingCountry.Role
    }
    participants = stored[MeetingCountry.Role.PARTICIPANT] if participants is None else participants
    mentioned = stored[MeetingCountry.Role.MENTIONED] if mentioned is None else mentioned
    taking_part = {code for code in participants if code}
    if meeting.host_country:
        taking_part.add(_plain(meeting.host_country))
    taking_part |= set(meeting.attendances.exclude(delegation="").values_list("delegation", flat=True))
    wanted = {code: MeetingCountry.Role.MENTIONED for code in mentioned if code}
    wanted |= dict.fromkeys(taking_part, MeetingCountry.Role.PARTICIPANT)
    for row in meeting.countries.all():
        role = wanted.pop(row.country.code, None)
        if role is None:
            row.delete()
        elif role != row.role:
            row.role = role
            row.save(update_fields=["role"])
    create_with_history(
        user,
        [MeetingCountry(meeting=meeting, country=code, role=role) for code, role in sorted(wanted.items())],
        [],
    )


def _replaced_files(plan: _Plan) -> list[str]:
    """Files of stored sources that this save deletes or replaces."""
    if "sources" not in plan.rows:
        return []
    names = [row.file.name for row in plan.removed["sources"] if row.file]
    stored = plan.stored["sources"]
    for instance in plan.rows["sources"]:
        before = stored.get(instance.pk)
        if (
            before is not None
            and before.file
            and (not instance.file or instance.file.name != before.file.name)
        ):
            names.append(before.file.name)
    return names


def _undo(plan: _Plan | None, is_new: bool, new_rows: list, written_files: list[str]) -> None:
    """After a rollback: forget primary keys that no longer exist and remove files written."""
    delete_files(written_files)
    for row in [*new_rows, *([plan.meeting] if plan is not None and is_new else [])]:
        row.pk = None
        row._state.adding = True


# One action on its own --------------------------------------------------------------------


def action_save(
    *, user: User, meeting: Meeting, data: ActionInput, expected_version: int | None = None
) -> Action:
    """Save one action of ``meeting`` (``data.id`` None adds it) with the countries and
    organisations responsible for it, all or nothing, without saving the rest of the meeting.

    The action's rules are the meeting page's. A stored action is written only from
    ``expected_version`` (``VersionConflict`` otherwise); its version and its meeting's
    move on by one, so a meeting page opened earlier cannot put the old action back.
    """
    require_editor(user)
    if not Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists():
        raise PermissionDenied
    stored = None
    if data.id is not None:
        stored = Action.objects.filter(pk=data.id, meeting=meeting).prefetch_related("parties").first()
        if stored is None:
            raise SaveRefused("This action was deleted, or is no longer visible to you. Nothing was saved.")
    errors = _Errors()
    action = copy.copy(stored) if stored is not None else Action()
    for name, value in data.values().items():
        setattr(action, name, value)
    action.meeting = meeting
    _model_errors(action, errors)
    _action_rules(data, stored, meeting.start_date, errors)
    if errors.found:
        raise MeetingInvalid(errors.found)
    try:
        with transaction.atomic():
            # The meeting first, as every write of a meeting's rows locks it: no deadlock.
            Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
            record_version_claim(action, expected_version, stored=Action.objects.visible_to(user))
            action.save()
            parties = _party_changes(action, data.countries, data.organizations, stored=stored is not None)
            create_with_history(user, parties, [])
    except IntegrityError as error:
        if stored is None:
            action.pk = None
        raise SaveRefused(
            "The action could not be saved: a record it names was changed or deleted meanwhile. "
            "Nothing was saved."
        ) from error
    return action


def action_delete(*, user: User, action: Action) -> None:
    """Remove an action from its meeting; the meeting's version moves on."""
    require_editor(user)
    if not Meeting.objects.visible_to(user).filter(pk=action.meeting_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        Meeting.objects.filter(pk=action.meeting_id).update(version=F("version") + 1)
        action.delete()
