"""The meeting list's export rows, built from ``values()`` queries rather than table cells.

A meeting's row carries its attendees, topics, actions and their parties (see
``meetings/importing/notation.py``). Rendering each through django-tables2 and model
instances costs milliseconds a row; here the meetings are read in batches of
``BATCH`` as plain values, each batch's related rows with one query per kind, and the
names they refer to (organisations, topics, countries, choice labels) are looked up once
per export. The values are the table's own, column for column (a test holds the two
together), so an export still imports back whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from meetings import classification
from meetings.country_names import country_name
from meetings.importing.notation import encode_item, encode_items
from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Organization,
    Topic,
)

BATCH = 2_000

MEETING_FIELDS = (
    "pk",
    "title",
    "start_date",
    "kind",
    "status",
    "venue",
    "city",
    "country",
    "host_country",
    "series__name",
    "classification",
    "end_date",
    "start_time",
    "end_time",
    "timezone",
    "summary",
    "outcome",
)


def _iso(value) -> str:
    return value.isoformat() if value else ""


class _Names:
    """Labels looked up once per export: organisations as the app labels them, topics by path."""

    def __init__(self):
        self.organizations: dict[int, str] = {}
        tree = Topic.objects.values_list("pk", "parent_id", "name")
        self.topics = {pk: (parent, name) for pk, parent, name in tree}
        self.paths: dict[int, str] = {}

    def load_organizations(self, pks: set[int]) -> None:
        missing = Organization.objects.filter(pk__in=pks - self.organizations.keys())
        for pk, name, acronym, country in missing.values_list("pk", "name", "acronym", "country"):
            label = f"{name} ({acronym})" if acronym else name
            self.organizations[pk] = f"{label} · {country_name(country)}" if country else label

    def topic_name(self, pk: int) -> str:
        return self.topics.get(pk, (None, ""))[1]

    def topic_path(self, pk: int) -> str:
        if pk not in self.paths:
            names, seen, node = [], set(), pk
            while node is not None and node not in seen:
                seen.add(node)
                parent, name = self.topics.get(node, (None, ""))
                names.insert(0, name)
                node = parent
            self.paths[pk] = " › ".join(names)
        return self.paths[pk]


def _grouped(queryset, *fields) -> dict[int, list[tuple]]:
    """``queryset``'s rows as tuples of ``fields`` (the first is the owner's id), by owner."""
    grouped = defaultdict(list)
    for row in queryset.values_list(*fields):
        grouped[row[0]].append(row)
    return grouped


def _ordered(model, pks: list[int], owner: str = "meeting"):
    """The rows of ``model`` owned by ``pks``, in the order the model's pages show them."""
    return model.objects.filter(**{f"{owner}__in": pks}).order_by(f"{owner}_id", *model._meta.ordering)


def _countries(codes) -> str:
    return "; ".join(sorted(country_name(code) for code in codes))


class _Batch:
    """The rows of one batch of meetings, fetched with one query per kind."""

    def __init__(self, pks: list[int], names: _Names):
        self.countries = _grouped(
            MeetingCountry.objects.filter(meeting__in=pks), "meeting_id", "country", "role"
        )
        self.topics = _grouped(_ordered(MeetingTopic, pks), "meeting_id", "topic_id", "note")
        through = Meeting.organizations.through.objects.filter(meeting__in=pks)
        self.organizations = _grouped(through, "meeting_id", "organization_id")
        self.attendances = _grouped(
            _ordered(Attendance, pks),
            *("meeting_id", "person__name", "title", "organization_id", "delegation", "role", "status"),
        )
        self.actions = _grouped(
            _ordered(Action, pks),
            *("meeting_id", "pk", "description", "due_date", "status", "responsible_person__name"),
            *("completed_on", "completion_note"),
        )
        action_pks = [action[1] for rows in self.actions.values() for action in rows]
        parties = ActionParty.objects.filter(action__in=action_pks)
        self.parties = _grouped(parties, "action_id", "country", "organization_id")
        names.load_organizations(
            {row[1] for rows in self.organizations.values() for row in rows}
            | {row[3] for rows in self.attendances.values() for row in rows if row[3]}
            | {row[2] for rows in self.parties.values() for row in rows if row[2]}
        )
        self.labels = names.organizations

    def party_labels(self, action: int) -> list[str]:
        """Countries, then organisations, each sorted: the order does not depend on the ids."""
        parties = self.parties.get(action, ())
        countries = sorted(country_name(code) for _a, code, organization in parties if not organization)
        return countries + sorted(
            self.labels[organization] for _a, _c, organization in parties if organization
        )


CHOICES = {
    "kind": dict(Meeting.Kind.choices),
    "status": dict(Meeting.Status.choices),
    "role": dict(Attendance.Role.choices),
    "attendance": dict(Attendance.Status.choices),
    "action": dict(Action.Status.choices),
}


def _label(choice: str, value: str) -> str:
    return CHOICES[choice].get(value, value)


def _values(meeting: dict, batch: _Batch, names: _Names) -> dict:
    pk, labels = meeting["pk"], batch.labels
    roles = batch.countries.get(pk, ())
    notes = batch.topics.get(pk, ())
    where = country_name(meeting["country"]) if meeting["country"] else ""
    attendees = (
        encode_item(
            name,
            title,
            labels[organization] if organization else "",
            country_name(delegation) if delegation else "",
            _label("role", role),
            _label("attendance", status),
        )
        for _m, name, title, organization, delegation, role, status in batch.attendances.get(pk, ())
    )
    actions = (
        encode_item(
            description,
            _iso(due),
            _label("action", status),
            batch.party_labels(action),
            person or "",
            _iso(completed),
            note,
        )
        for _m, action, description, due, status, person, completed, note in batch.actions.get(pk, ())
    )
    organizations = (
        encode_item([labels[organization]]) for _m, organization in batch.organizations.get(pk, ())
    )
    return {
        "title": meeting["title"],
        "start_date": _iso(meeting["start_date"]),
        "kind": _label("kind", meeting["kind"]),
        "status": _label("status", meeting["status"]),
        "place": ", ".join(part for part in (meeting["venue"], meeting["city"], where) if part),
        "host_country": country_name(meeting["host_country"]),
        "countries": _countries(code for _m, code, role in roles if role == MeetingCountry.Role.PARTICIPANT),
        "topics": "; ".join(names.topic_name(topic) for _m, topic, _note in notes),
        "series": meeting["series__name"] or "",
        "classification": classification.label(meeting["classification"]),
        "end_date": _iso(meeting["end_date"]),
        "start_time": _iso(meeting["start_time"]),
        "end_time": _iso(meeting["end_time"]),
        "timezone": meeting["timezone"],
        "venue": meeting["venue"],
        "city": meeting["city"],
        "country": where,
        "mentioned": _countries(code for _m, code, role in roles if role == MeetingCountry.Role.MENTIONED),
        "organizations": encode_items(sorted(organizations)),
        "summary": meeting["summary"],
        "outcome": meeting["outcome"],
        "attendees": encode_items(attendees),
        "topic_notes": encode_items(encode_item(names.topic_path(topic), note) for _m, topic, note in notes),
        "actions": encode_items(actions),
    }


def meeting_rows(queryset, columns: list[str]) -> Iterator[list]:
    """One list of plain values per meeting of ``queryset`` (already filtered by what the
    person may see, and sorted), for the table columns named in ``columns``."""
    names = _Names()
    meetings = queryset.values(*MEETING_FIELDS).iterator(chunk_size=BATCH)
    while chunk := list(islice(meetings, BATCH)):
        batch = _Batch([meeting["pk"] for meeting in chunk], names)
        for meeting in chunk:
            values = _values(meeting, batch, names)
            yield [values[column] for column in columns]
