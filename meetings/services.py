"""Writes that touch several records at once, each inside one transaction.

Forms check what a person typed; these functions do the writing and enforce the rules
that must hold whoever calls them: only editors write, nobody marks a meeting above
their own clearance, and nobody overwrites a meeting someone else saved meanwhile.
Every failure is an exception carrying a message for the person, never a half-saved
meeting: the transaction is rolled back and any file written on the way is removed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import F, ProtectedError, Q
from rest_framework.authtoken.models import Token
from simple_history.utils import bulk_create_with_history

from meetings import classification
from meetings.history import History, meeting_changes_since
from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    CalendarFeed,
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

# Errors ---------------------------------------------------------------------------------


class SaveRefused(Exception):
    """A write was refused; the message says why, in words for the person."""


class MeetingConflict(SaveRefused):
    """Someone else saved the meeting after this person opened it; ``changes`` are the
    history entries written since, as far as the person is cleared to read them."""

    def __init__(self, changes: History, current: Meeting):
        super().__init__("Someone else saved this meeting while you were editing it.")
        self.changes = changes
        self.current = current


class VersionConflict(SaveRefused):
    """Someone else saved a person, organisation, topic or action after this person read it."""

    def __init__(self, current: models.Model):
        super().__init__(
            f"Someone else saved this {current._meta.verbose_name} since you read it. Nothing was saved."
        )
        self.current = current


class DeleteRefused(Exception):
    """A record is still used elsewhere; the message explains where."""


# Versions -------------------------------------------------------------------------------


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


# Meeting saving -------------------------------------------------------------------------


@dataclass
class Rows[T]:
    """Inline rows of one kind: new or changed rows to save, stored rows to delete."""

    save: list[T] = field(default_factory=list)
    delete: list[models.Model] = field(default_factory=list)


@dataclass
class ActionInput:
    """An action with the countries and organisations responsible for it."""

    action: Action
    countries: list[str] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)


def _require_editor(user: User) -> None:
    if not user.is_authenticated or not user.can_edit:
        raise PermissionDenied("Only editors and administrators change records.")


def meeting_save(
    *,
    user: User,
    meeting: Meeting,
    expected_version: int | None = None,
    organizations: Iterable[Organization] | None = None,
    participants: Iterable[str] | None = None,
    mentioned: Iterable[str] | None = None,
    attendances: Rows[Attendance] | None = None,
    topics: Rows[MeetingTopic] | None = None,
    actions: Rows[ActionInput] | None = None,
    sources: Rows[Source] | None = None,
) -> Meeting:
    """Create or update a meeting with its rows, all or nothing.

    ``meeting`` carries the new field values (unsaved for a new meeting). For an existing
    meeting, ``expected_version`` is the version the person started from; if the stored
    version moved on, ``MeetingConflict`` tells what was saved since, from the change
    history (nothing of it travels through the person's browser). Participant countries are
    derived: the host, every attendee's delegation and ``participants``; ``mentioned``
    countries are kept unless they also take part. Leaving ``organizations``,
    ``participants`` or ``mentioned`` out (None) keeps what is stored.
    """
    _require_editor(user)
    if meeting.classification > user.clearance:
        raise SaveRefused(
            f"You cannot mark a meeting {classification.label(meeting.classification)}: "
            f"your clearance is {user.clearance_label}."
        )
    attendances = attendances or Rows()
    topics = topics or Rows()
    actions = actions or Rows()
    sources = sources or Rows()
    is_new = meeting.pk is None
    written_files: list[str] = []
    replaced_files: list[str] = []
    new_rows: list[models.Model] = []
    try:
        with transaction.atomic():
            if is_new:
                meeting.version = 1
            else:
                _claim_version(user, meeting, expected_version)
            meeting.save()
            if organizations is not None:
                meeting.organizations.set(list(organizations))
            _write_rows(user, meeting, attendances, new_rows)
            _write_rows(user, meeting, topics, new_rows)
            _write_actions(user, meeting, actions, new_rows)
            replaced_files = _stored_files(meeting, sources)
            _write_rows(user, meeting, sources, new_rows, written_files)
            _sync_countries(user, meeting, participants, mentioned)
            still_used = set(Source.objects.filter(file__in=replaced_files).values_list("file", flat=True))
            unused = [name for name in replaced_files if name not in still_used]
            transaction.on_commit(lambda: _delete_files(unused))
    except IntegrityError as error:
        _undo(meeting if is_new else None, new_rows, written_files)
        raise SaveRefused(
            "The meeting could not be saved because two rows clash or a record you chose was "
            "changed or deleted meanwhile. Nothing was saved; check the rows and save again."
        ) from error
    except SaveRefused:
        _undo(meeting if is_new else None, new_rows, written_files)
        raise
    return meeting


def _claim_version(user: User, meeting: Meeting, expected_version: int | None) -> None:
    """Move the stored version on by one, or refuse if it is not the one the person saw.

    The conditional UPDATE is atomic in the database, so of two people saving the same
    version at the same moment exactly one succeeds, on SQLite and PostgreSQL alike.
    """
    stored = Meeting.objects.visible_to(user).filter(pk=meeting.pk)
    if expected_version is None or not stored.filter(version=expected_version).update(
        version=F("version") + 1
    ):
        current = stored.first()
        if current is None:
            raise SaveRefused("This meeting was deleted, or is no longer visible to you. Nothing was saved.")
        since = expected_version if expected_version is not None else current.version
        raise MeetingConflict(meeting_changes_since(current, since, user), current)
    meeting.version = expected_version + 1


def _write_rows(
    user: User, meeting: Meeting, rows: Rows, new_rows: list, written_files: list | None = None
) -> None:
    """Delete, update and create one kind of row; new rows go in with one insert (and one
    for their history) rather than two per row.
    """
    for row in rows.delete:
        if row.meeting_id != meeting.pk:
            raise SaveRefused("A row belongs to another meeting. Nothing was saved.")
        row.delete()
    created = []
    for row in rows.save:
        if row.pk is not None and row.meeting_id != meeting.pk:
            raise SaveRefused("A row belongs to another meeting. Nothing was saved.")
        row.meeting = meeting
        uploading = isinstance(row, Source) and row.file and not row.file._committed
        if row.pk is None and not uploading:
            created.append(row)
            continue
        if row.pk is None:
            new_rows.append(row)
        row.save()
        if uploading and written_files is not None:
            written_files.append(row.file.name)
    _create_with_history(user, created, new_rows)


def _create_with_history(user: User, rows: list[models.Model], new_rows: list) -> None:
    """Insert new rows of one model in bulk, each with its change-history entry."""
    if not rows:
        return
    bulk_create_with_history(rows, type(rows[0]), default_user=user)
    new_rows.extend(rows)


def _write_actions(user: User, meeting: Meeting, actions: Rows[ActionInput], new_rows: list) -> None:
    existing = {item.action.pk for item in actions.save if item.action.pk is not None}
    for item in actions.save:
        # The meeting's version, claimed above, already keeps other writers of its rows out.
        if item.action.pk is not None:
            item.action.version += 1
    _write_rows(
        user, meeting, Rows(save=[item.action for item in actions.save], delete=actions.delete), new_rows
    )
    parties = []
    for item in actions.save:
        parties += _party_changes(
            item.action, item.countries, item.organizations, stored=item.action.pk in existing
        )
    _create_with_history(user, parties, new_rows)


def _party_changes(
    action: Action, countries: Iterable[str], organizations: Iterable[Organization], *, stored: bool
) -> list[ActionParty]:
    """Delete the parties no longer wanted; return the new ones to create."""
    wanted_countries = {code for code in countries if code}
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
        for role in ("participant", "mentioned")
    }
    participants = stored["participant"] if participants is None else participants
    mentioned = stored["mentioned"] if mentioned is None else mentioned
    taking_part = {code for code in participants if code}
    if meeting.host_country:
        taking_part.add(meeting.host_country.code)
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
    _create_with_history(
        user,
        [MeetingCountry(meeting=meeting, country=code, role=role) for code, role in sorted(wanted.items())],
        [],
    )


def _stored_files(meeting: Meeting, sources: Rows[Source]) -> list[str]:
    """Files of stored sources that this save deletes or replaces."""
    deleted = {row.pk for row in sources.delete}
    changed = {row.pk: row.file.name if row.file else "" for row in sources.save if row.pk}
    stored = Source.objects.filter(meeting=meeting, pk__in=deleted | set(changed)).exclude(file="")
    return [name for pk, name in stored.values_list("pk", "file") if pk in deleted or changed.get(pk) != name]


def _delete_files(names: Iterable[str]) -> None:
    storage = Source._meta.get_field("file").storage
    for name in names:
        if name:
            storage.delete(name)


def _undo(new_meeting: Meeting | None, new_rows: list, written_files: list[str]) -> None:
    """After a rollback: forget primary keys that no longer exist and remove files written."""
    _delete_files(written_files)
    for row in [*new_rows, *([new_meeting] if new_meeting else [])]:
        row.pk = None
        row._state.adding = True


# Deleting -------------------------------------------------------------------------------

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
    _require_editor(user)
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
            transaction.on_commit(lambda: _delete_files(files))
    except ProtectedError as error:
        uses = _describe_uses(_uses(record, error.protected_objects), user)
        raise DeleteRefused(
            f"{record} cannot be deleted while in use: {uses}. Change or remove those first."
        ) from error
    except IntegrityError as error:
        raise DeleteRefused(f"{record} cannot be deleted: other records still refer to it.") from error


# Quick action updates --------------------------------------------------------------------


def action_update_status(
    *, user: User, action: Action, status: str, completed_on: datetime.date | None, completion_note: str
) -> Action:
    """Change an action's status from the tracker; moves the meeting's version on too,
    so a meeting form opened earlier cannot silently put the old status back."""
    _require_editor(user)
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


def action_save(
    *,
    user: User,
    action: Action,
    countries: Iterable[str],
    organizations: Iterable[Organization],
    expected_version: int | None = None,
) -> Action:
    """Save one action with the countries and organisations responsible for it, all or
    nothing, without saving the rest of its meeting.

    A stored action is written only from ``expected_version`` (``VersionConflict``
    otherwise); its version and its meeting's move on by one, so a meeting page opened
    earlier cannot put the old action back.
    """
    _require_editor(user)
    if not Meeting.objects.visible_to(user).filter(pk=action.meeting_id).exists():
        raise PermissionDenied
    is_new = action.pk is None
    new_rows: list[models.Model] = []
    try:
        with transaction.atomic():
            Meeting.objects.filter(pk=action.meeting_id).update(version=F("version") + 1)
            record_version_claim(action, expected_version, stored=Action.objects.visible_to(user))
            action.save()
            parties = _party_changes(action, countries, organizations, stored=not is_new)
            _create_with_history(user, parties, new_rows)
    except IntegrityError as error:
        if is_new:
            action.pk = None
        raise SaveRefused(
            "The action could not be saved: a record it names was changed or deleted meanwhile. "
            "Nothing was saved."
        ) from error
    return action


def action_delete(*, user: User, action: Action) -> None:
    """Remove an action from its meeting; the meeting's version moves on."""
    _require_editor(user)
    if not Meeting.objects.visible_to(user).filter(pk=action.meeting_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        Meeting.objects.filter(pk=action.meeting_id).update(version=F("version") + 1)
        action.delete()


# Calendar subscriptions ------------------------------------------------------------------


def calendar_feed_issue(*, user: User) -> str:
    """Give the person a new private calendar address, replacing (and so closing) any old one.

    Returns the secret of the address: it is stored only as a digest, so this is the one
    moment it can be shown.
    """
    token, digest = CalendarFeed.new_token()
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token=digest)
    return token


def calendar_feed_revoke(*, user: User) -> bool:
    """Close the person's calendar address; whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def api_token_issue(*, user: User) -> str:
    """Give the person a new API token, replacing (and so stopping) any old one; returns its key."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key


def api_token_revoke(*, user: User) -> bool:
    """Stop the person's API token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


# Carrying actions into a later meeting ------------------------------------------------------


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
    _require_editor(user)
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


# Names that probably mean the same person or organisation --------------------------------

# Words that do not tell people apart: honorifics, ranks and joining words.
IGNORED_WORDS = frozenset(
    {"the", "of", "and", "for", "hon", "honourable", "rt", "right", "dr", "mr", "mrs", "ms", "miss"}
    | {"sir", "dame", "prof", "general", "gen", "lt", "col", "maj", "brig", "adm", "cdr", "capt"}
)


def name_tokens(name: str) -> list[str]:
    """Lower-case words without accents, punctuation or honorifics: "Hon. Adén Duale" → ["aden", "duale"]."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [word for word in re.findall(r"[^\W_]+", folded) if word not in IGNORED_WORDS]


def _same_word(a: str, b: str) -> bool:
    """Equal, or a long word spelt slightly differently ("heappey", "heapey")."""
    return a == b or (min(len(a), len(b)) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.85)


def _covers(short: list[str], long: list[str]) -> bool:
    """Every word of ``short`` is a word or an initial of a different word of ``long``, one in full."""
    remaining = list(long)
    full_match = False
    for word in sorted(short, key=len, reverse=True):
        for candidate in remaining:
            initial = (len(word) == 1 and candidate.startswith(word)) or (
                len(candidate) == 1 and word.startswith(candidate)
            )
            same = len(word) > 1 and len(candidate) > 1 and _same_word(word, candidate)
            if same or initial:
                full_match |= same
                remaining.remove(candidate)
                break
        else:
            return False
    return full_match


def names_match(typed: str, existing: str) -> bool:
    """Whether two names probably mean the same person or organisation.

    Ignores case, accents, punctuation, honorifics and word order; accepts initials
    ("J. Heapey") and a missing word ("Heapey"); forgives a small misspelling
    ("Heappey"). Pure, so it is cheap to test and to run over a short list of candidates.
    """
    a, b = name_tokens(typed), name_tokens(existing)
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if _covers(short, long):
        return True
    return SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio() >= 0.88


def _candidates(queryset, typed: str, limit: int = 500):
    """Records sharing a word or a word's first letters with ``typed``: a cheap pre-filter."""
    words = [word for word in name_tokens(typed) if len(word) > 1][:6]
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition |= Q(name__icontains=word) | Q(name__icontains=word[:3])
        if "acronym" in {f.name for f in queryset.model._meta.fields}:
            condition |= Q(acronym__iexact=word)
    return queryset.filter(condition)[:limit]


def similar_people(name: str, *, exclude_pk: int | None = None, limit: int = 5) -> list[Person]:
    """Existing people whose name probably means the same person as ``name``."""
    found = [
        p
        for p in _candidates(Person.objects.select_related("organization"), name)
        if names_match(name, p.name)
    ]
    found = [p for p in found if p.pk != exclude_pk]
    found.sort(key=lambda p: (sorted(name_tokens(p.name)) != sorted(name_tokens(name)), p.name))
    return found[:limit]


def similar_organizations(
    name: str, *, country: str = "", exclude_pk: int | None = None, limit: int = 5
) -> list[Organization]:
    """Existing organisations (in the same country, when one is given) probably meaning ``name``."""
    queryset = Organization.objects.all()
    if country:
        queryset = queryset.filter(Q(country=country) | Q(country=""))
    typed = name_tokens(name)
    found = [
        o
        for o in _candidates(queryset, name)
        if o.pk != exclude_pk
        and (names_match(name, o.name) or (o.acronym and typed == name_tokens(o.acronym)))
    ]
    found.sort(key=lambda o: (sorted(name_tokens(o.name)) != sorted(typed), o.name))
    return found[:limit]
