"""One importer per kind of record: its columns, and how one row becomes a record.

Each row is checked by the same forms the pages use (``PersonForm``,
``OrganizationForm``, and for a meeting the whole ``MeetingEditor`` with its attendee,
topic and action rows), and saved through the same services. Every problem of a row is
reported, not only the first; a row with any problem writes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from meetings import classification, services
from meetings.forms import MeetingEditor
from meetings.forms.data import meeting_post
from meetings.importing.notation import Item, decode_items, encode_item, split_list
from meetings.importing.reading import Row, Table
from meetings.importing.references import (
    OrganizationImportForm,
    PersonImportForm,
    References,
    Refused,
    country_code,
    describe,
)
from meetings.importing.report import ImportReport, Outcome, RowError
from meetings.models import Action, Attendance, Meeting, Organization, Person, User


class _RowRefused(Exception):
    """Rolls back the savepoint of a row that has problems."""


def choice(choices, text: str, default: str) -> str:
    """A choice's stored value from its value or its label, any case; unknown text is left
    for the form to refuse with its own message."""
    if not text:
        return default
    for value, label in choices:
        if text.casefold() in (str(value).casefold(), str(label).casefold()):
            return value
    return text


class RowImporter:
    kind = ""
    noun = ""
    # Column key → accepted headers; the first is the one the list exports.
    columns: dict[str, tuple[str, ...]] = {}
    required: tuple[str, ...] = ()

    def __init__(self, *, user: User, table: Table, references: References, report: ImportReport):
        self.user, self.table, self.references, self.report = user, table, references, report
        self.headers = {}
        for key, accepted in self.columns.items():
            present = next(
                (h for h in table.headers if h.casefold() in {a.casefold() for a in accepted}), None
            )
            self.headers[key] = present or accepted[0]

    @classmethod
    def known_headers(cls) -> set[str]:
        return {header.casefold() for accepted in cls.columns.values() for header in accepted}

    def missing_columns(self) -> list[str]:
        return [self.columns[key][0] for key in self.required if not self.table.has(self.headers[key])]

    def value(self, row: Row, key: str) -> str:
        return row.get(self.headers[key])

    def error(self, row: Row, key: str, message: str, value: str | None = None) -> None:
        shown = self.value(row, key) if value is None else value
        self.report.errors.append(RowError(row.number, self.headers[key], shown, message))

    def attempt(self, row: Row, key: str, lookup, *args, item: Item | None = None, value=None, **kwargs):
        """``lookup(*args)``, or None with the refusal reported against the column (and line)."""
        try:
            return lookup(*args, **kwargs)
        except Refused as refusal:
            if item is not None:
                self.error(row, key, f"Line {item.number}: {refusal}", item.raw)
            else:
                self.error(row, key, str(refusal), value)
            return None

    def failed(self) -> bool:
        """Whether the row being imported has problems so far."""
        return len(self.report.errors) > self._errors_before

    def refer(self, outcome: Outcome, what: str, record) -> None:
        entry = ("new" if self.references.is_new(record) else "matched", what, describe(record))
        if entry not in outcome.references:
            outcome.references.append(entry)

    def form_errors(self, row: Row, form, keys: dict[str, str] | None = None) -> None:
        for name, messages in form.errors.items():
            key = (keys or {}).get(name, name)
            key = key if key in self.columns else self.required[0]
            for message in messages:
                self.error(row, key, message)

    def run(self, row: Row) -> None:
        """Imports one row inside a savepoint; a row with problems leaves nothing behind."""
        self._errors_before, created = len(self.report.errors), set(self.references.created)
        outcome = Outcome(row=row.number, action="created", label="")
        try:
            with transaction.atomic():
                self.import_row(row, outcome)
                if self.failed():
                    raise _RowRefused
        except _RowRefused:
            self.references.created = created
            return
        self.report.outcomes.append(outcome)

    def import_row(self, row: Row, outcome: Outcome) -> None:
        raise NotImplementedError

    def write(self, row: Row, outcome: Outcome, form_class, existing, given: dict, stored: dict) -> None:
        """Creates the record from the row's values, or fills the matched record's empty fields
        with them (an update; a match when there is nothing to fill), through its own form."""
        data = given
        if existing:
            data, outcome.changes = dict(stored), []
            for key, value in given.items():
                if value not in ("", None) and data.get(key) in ("", None):
                    data[key] = value
                    outcome.changes.append(self.headers[key])
            outcome.action = "updated" if outcome.changes else "matched"
            if self.references.is_new(existing):
                outcome.action = "created"  # by an earlier row of this file
            outcome.label = describe(existing)
            outcome.link(existing)
            if not outcome.changes:
                return
        data = {key: value for key, value in data.items() if value not in ("", None)}
        form = form_class(data={**data, "confirm_new": "on"}, instance=existing)
        if not form.is_valid():
            self.form_errors(row, form)
            return
        record = form.save()
        outcome.label = outcome.label or describe(record)


class PersonImporter(RowImporter):
    kind, noun = "people", "person"
    columns = {
        "name": ("Name",),
        "honorific": ("Honorific",),
        "title": ("Current title", "Title"),
        "organization": ("Organisation", "Organization", "Current organisation"),
        "country": ("Country",),
        "email": ("E-mail", "Email"),
        "notes": ("Notes",),
    }
    required = ("name",)

    def import_row(self, row: Row, outcome: Outcome) -> None:
        name = self.value(row, "name")
        country = self.attempt(row, "country", self.references.country, self.value(row, "country"))
        organization = None
        if self.value(row, "organization"):
            organization = self.attempt(
                row,
                "organization",
                self.references.organization,
                self.value(row, "organization"),
                country=country or "",
            )
            if organization:
                self.refer(outcome, "organisation", organization)
        if self.failed():
            return
        given = {
            "name": name,
            "honorific": self.value(row, "honorific"),
            "country": country,
            "organization": organization.pk if organization else None,
            "title": self.value(row, "title"),
            "email": self.value(row, "email"),
            "notes": self.value(row, "notes"),
        }
        existing = self.references.match_person(name, country) if name else None
        stored = {}
        if existing:
            stored = {key: getattr(existing, key) for key in given}
            stored.update(country=existing.country.code or "", organization=existing.organization_id)
        self.write(row, outcome, PersonImportForm, existing, given, stored)


class OrganizationImporter(RowImporter):
    kind, noun = "organizations", "organisation"
    columns = {
        "name": ("Name",),
        "acronym": ("Acronym",),
        "kind": ("Kind", "Type"),
        "country": ("Country",),
        "parent": ("Part of", "Parent"),
        "contact_email": ("Contact e-mail", "Contact email", "E-mail", "Email"),
    }
    required = ("name",)

    def import_row(self, row: Row, outcome: Outcome) -> None:
        name, acronym = self.value(row, "name"), self.value(row, "acronym")
        country = self.attempt(row, "country", self.references.country, self.value(row, "country"))
        if country is None:
            return
        parent = None
        if self.value(row, "parent"):
            parent = self.attempt(
                row, "parent", self.references.organization, self.value(row, "parent"), country=country
            )
            if parent is None:
                return
        kind = choice(Organization.Kind.choices, self.value(row, "kind"), "")
        given = {
            "name": name,
            "acronym": acronym,
            "kind": kind,
            "country": country,
            "parent": parent.pk if parent else None,
            "contact_email": self.value(row, "contact_email"),
        }
        existing = self.references.match_organization(name, acronym, country) if name else None
        if existing and parent and parent.pk == existing.pk:
            parent = None
            given["parent"] = None
        if parent:
            self.refer(outcome, "organisation", parent)
        stored = {}
        if existing:
            stored = {key: getattr(existing, key) for key in ("name", "acronym", "contact_email")}
            stored.update(
                kind="" if existing.kind == Organization.Kind.OTHER else existing.kind,
                country=existing.country.code or "",
                parent=existing.parent_id,
            )
        else:
            given["kind"] = given["kind"] or Organization.Kind.OTHER
        self.write(row, outcome, OrganizationImportForm, existing, given, stored)


class MeetingImporter(RowImporter):
    kind, noun = "meetings", "meeting"
    columns = {
        "title": ("Title",),
        "start_date": ("Date", "Start date"),
        "kind": ("Kind",),
        "status": ("Status",),
        "place": ("Place",),  # the list's composed column: read from City, Venue and Country instead
        "host_country": ("Host", "Host country"),
        "participants": ("Countries", "Countries taking part"),
        "topics": ("Topics",),
        "series": ("Series",),
        "classification": ("Marking", "Classification"),
        "end_date": ("End date",),
        "start_time": ("Start time",),
        "end_time": ("End time",),
        "timezone": ("Time zone", "Timezone"),
        "venue": ("Venue",),
        "city": ("City",),
        "country": ("Country (where)", "Country"),
        "mentioned": ("Countries mentioned", "Mentioned"),
        "organizations": ("Organisations", "Organizations"),
        "summary": ("Summary",),
        "outcome": ("Outcome",),
        "attendees": ("Attendees",),
        "topic_notes": ("Topic notes",),
        "actions": ("Actions",),
    }
    required = ("title", "start_date")
    # Form fields whose errors belong to a differently named column.
    FIELD_COLUMNS = {"__all__": "title", "parent": "title", "version": "title"}

    def import_row(self, row: Row, outcome: Outcome) -> None:
        title = self.value(row, "title")
        existing = self._existing(title, self.value(row, "start_date"))
        if existing:
            outcome.action, outcome.label = "matched", str(existing)
            outcome.link(existing)
            return
        data: dict = {}
        for key in ("title", "start_date", "start_time", "end_date", "end_time", "city", "venue"):
            data[key] = self.value(row, key)
        data["summary"], data["outcome"] = self.value(row, "summary"), self.value(row, "outcome")
        data["timezone"] = self.value(row, "timezone") or "UTC"
        data["kind"] = choice(Meeting.Kind.choices, self.value(row, "kind"), Meeting.Kind.BILATERAL)
        data["status"] = choice(Meeting.Status.choices, self.value(row, "status"), Meeting.Status.PLANNED)
        data["classification"] = self._marking(row)
        for key in ("country", "host_country"):
            data[key] = self.attempt(row, key, self.references.country, self.value(row, key)) or ""
        for key in ("participants", "mentioned"):
            for name in split_list(self.value(row, key)):
                code = self.attempt(row, key, self.references.country, name)
                if code:
                    data.setdefault(key, []).append(code)
        if self.value(row, "series"):
            series = self.attempt(row, "series", self.references.series, self.value(row, "series"))
            if series:
                data["series"] = series
                self.refer(outcome, "series", series)
        for item in decode_items(self.value(row, "organizations")):
            for label in item.values(0):
                organization = self.attempt(
                    row, "organizations", self.references.organization, label, item=item
                )
                if organization:
                    data.setdefault("organizations", []).append(organization)
                    self.refer(outcome, "organisation", organization)
        rows: dict[str, list[dict]] = {"attendees": [], "topics": [], "actions": [], "sources": []}
        lines = {
            "attendees": self._attendees(row, rows["attendees"], outcome),
            "topics": self._topics(row, rows["topics"], outcome),
            "actions": self._actions(row, rows["actions"], outcome, [a["person"] for a in rows["attendees"]]),
            "sources": [],
        }
        editor = MeetingEditor(user=self.user, instance=Meeting(), data=meeting_post(data, rows))
        meeting = None
        valid = editor.is_valid()
        if valid and self.failed():
            editor.check()  # every problem of the row at once, not only those of its references
        elif valid:
            try:
                meeting = editor.save()
            except services.MeetingInvalid:
                pass  # the editor has put each message on its field and line
            except services.SaveRefused as refusal:
                self.error(row, "title", str(refusal))
                return
        self.form_errors(row, editor.form, self.FIELD_COLUMNS)
        for prefix, items in lines.items():
            self._row_errors(row, prefix, editor.formsets[prefix], items)
        if meeting is None or self.failed():
            return
        outcome.label = str(meeting)

    def _existing(self, title: str, start: str) -> Meeting | None:
        """A meeting already recorded with the same title on the same day, if this person sees it."""
        try:
            day = datetime.date.fromisoformat(start)
        except ValueError:
            return None
        return (
            Meeting.objects.visible_to(self.user).filter(title__iexact=title.strip(), start_date=day).first()
        )

    def _marking(self, row: Row) -> str:
        text = self.value(row, "classification")
        if not text:
            return "0"
        for level, name in classification.choices():
            if text.casefold() in (name.casefold(), str(level)):
                self.report.marking = max(self.report.marking, level)
                return str(level)
        names = ", ".join(classification.levels())
        self.error(row, "classification", f"Unknown marking “{text}”: use one of {names}.")
        return "0"  # the row is refused already; the form need not say the marking is missing

    def _attendees(self, row: Row, rows: list[dict], outcome: Outcome) -> list[Item]:
        """Name | title on the day | organisation on the day | delegation | role | status."""
        kept = []
        for item in decode_items(self.value(row, "attendees")):
            delegation = self.attempt(row, "attendees", self.references.country, item.text(3), item=item)
            if delegation is None:
                continue
            organization = None
            if item.text(2):
                organization = self.attempt(
                    row,
                    "attendees",
                    self.references.organization,
                    item.text(2),
                    country=delegation,
                    item=item,
                )
                if organization is None:
                    continue
                self.refer(outcome, "organisation", organization)
            person = self.attempt(
                row,
                "attendees",
                self.references.person,
                item.text(0),
                country=delegation,
                title=item.text(1),
                organization=organization,
                item=item,
            )
            if person is None:
                continue
            self.refer(outcome, "person", person)
            rows.append(
                {
                    "person": person,
                    "organization": organization,
                    "title": item.text(1),
                    "delegation": delegation,
                    "role": choice(Attendance.Role.choices, item.text(4), Attendance.Role.DELEGATE),
                    "status": choice(Attendance.Status.choices, item.text(5), Attendance.Status.ATTENDED),
                }
            )
            kept.append(item)
        return kept

    def _topic_column(self) -> str:
        return "topic_notes" if self.table.has(self.headers["topic_notes"]) else "topics"

    def _topics(self, row: Row, rows: list[dict], outcome: Outcome) -> list[Item]:
        """Topic path | note, a line each; or, without a Topic notes column, topic names."""
        key = self._topic_column()
        if key == "topic_notes":
            items = decode_items(self.value(row, key))
        else:
            items = [Item(encode_item(name), n) for n, name in enumerate(split_list(self.value(row, key)), 1)]
        kept = []
        for item in items:
            topic = self.attempt(row, key, self.references.topic, item.text(0), item=item)
            if topic is None:
                continue
            self.refer(outcome, "topic", topic)
            rows.append({"topic": topic, "note": item.text(1)})
            kept.append(item)
        return kept

    def _actions(self, row: Row, rows: list[dict], outcome: Outcome, attending: list[Person]) -> list[Item]:
        """Description | due | status | responsible countries and organisations | person | done on | note."""
        kept = []
        for item in decode_items(self.value(row, "actions")):
            action, usable = {"countries": [], "organizations": []}, True
            for party in item.values(3):
                code = country_code(party)
                if code:
                    action["countries"].append(code)
                    continue
                organization = self.attempt(row, "actions", self.references.organization, party, item=item)
                if organization is None:
                    usable = False
                    continue
                action["organizations"].append(organization)
                self.refer(outcome, "organisation", organization)
            person = None
            if item.text(4):
                name = item.text(4)
                person = next((p for p in attending if services.names_match(name, p.name)), None)
                person = person or self.attempt(row, "actions", self.references.person, name, item=item)
                usable = usable and person is not None
                if person:
                    self.refer(outcome, "person", person)
            if not usable:
                continue
            action |= {
                "description": item.text(0),
                "due_date": item.text(1),
                "status": choice(Action.Status.choices, item.text(2), Action.Status.AGREED),
                "responsible_person": person,
                "completed_on": item.text(5),
                "completion_note": item.text(6),
            }
            rows.append(action)
            kept.append(item)
        return kept

    def _row_errors(self, row: Row, prefix: str, formset, items: list[Item]) -> None:
        key = self._topic_column() if prefix == "topics" else prefix
        for message in formset.non_form_errors():
            self.error(row, key, message)
        for form, item in zip(formset.forms, items, strict=False):
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for message in messages:
                    where = f"Line {item.number}" + (f", {str(label).lower()}" if label else "")
                    self.error(row, key, f"{where}: {message}", value=item.raw)


IMPORTERS: dict[str, type[RowImporter]] = {
    importer.kind: importer for importer in (MeetingImporter, PersonImporter, OrganizationImporter)
}
