"""Declarative tables for every list. Columns listed in ``Meta.default_hidden`` start
hidden; the person can show them (and hide others) from the list's column chooser.
Columns made by ``export_only`` are never shown: they carry, in exports, what an import
needs to rebuild each record (see meetings/importing/).
"""

import django_tables2 as tables
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join

from meetings.country_names import country_name, country_url
from meetings.importing.notation import encode_item, encode_items
from meetings.labels import organization_label
from meetings.models import Action, Meeting, Organization, Person, Topic


class DayColumn(tables.Column):
    """A date as "5 Mar 2024". django-tables2's DateColumn compiles a template per cell."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return date_format(value, "j M Y")

    def value(self, value):
        return value  # exports keep the date itself


class CountryColumn(tables.Column):
    """A country by its name, looked up once per process rather than once per cell."""

    def render(self, value):
        return country_name(value)

    def value(self, value):
        return country_name(value)


def export_only(verbose_name: str, accessor: str = "pk") -> tables.Column:
    return tables.Column(accessor=accessor, verbose_name=verbose_name, visible=False, orderable=False)


class ListTable(tables.Table):
    """Shared options: Bootstrap styling, a hook for columns hidden by default, and rows
    rendered in one pass (see ``body_rows``).
    """

    class Meta:
        template_name = "lists/table.html"
        attrs = {"class": "table table-hover align-middle mb-0"}
        default_hidden: tuple[str, ...] = ()
        always_visible: tuple[str, ...] = ()

    def body_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The page's rows as ``(row attributes, [(cell attributes, cell), ...])``.

        Cell attributes are computed once per column rather than once per cell, so the
        columns' ``attrs`` must not depend on the record (none of this app's do).
        """
        columns = [(column.name, column.attrs["td"].as_html()) for column in self.columns]
        return [
            (row.attrs.as_html(), [(attrs, row.get_cell(name)) for name, attrs in columns])
            for row in self.paginated_rows
        ]


class MeetingTable(ListTable):
    title = tables.Column(linkify=True, attrs={"td": {"class": "fw-semibold col-title"}})
    start_date = DayColumn(verbose_name="Date", order_by=("date_key",))  # see selectors.by_date
    kind = tables.Column()
    status = tables.Column()
    place = tables.Column(accessor="city", verbose_name="Place", order_by=("country", "city"))
    host_country = CountryColumn(verbose_name="Host")
    countries = tables.Column(accessor="pk", verbose_name="Countries", orderable=False)
    topics = tables.Column(accessor="pk", verbose_name="Topics", orderable=False)
    series = tables.Column()
    classification = tables.Column(verbose_name="Marking")
    # For exports: what an import needs to rebuild the meeting and its rows.
    end_date = export_only("End date", "end_date")
    start_time = export_only("Start time", "start_time")
    end_time = export_only("End time", "end_time")
    timezone = export_only("Time zone", "timezone")
    venue = export_only("Venue", "venue")
    city = export_only("City", "city")
    country = export_only("Country (where)", "country")
    mentioned = export_only("Countries mentioned")
    organizations = export_only("Organisations")
    summary = export_only("Summary", "summary")
    outcome = export_only("Outcome", "outcome")
    attendees = export_only("Attendees")
    topic_notes = export_only("Topic notes")
    actions = export_only("Actions")

    class Meta(ListTable.Meta):
        model = Meeting
        fields = ()
        sequence = (
            "title",
            "start_date",
            "kind",
            "status",
            "place",
            "host_country",
            "countries",
            "topics",
            "series",
            "classification",
        )
        default_hidden = ("series", "host_country")
        always_visible = ("title",)
        order_by = ("-start_date",)

    def render_classification(self, record):
        return format_html(
            '<span class="badge text-bg-secondary marking-badge">{}</span>', record.classification_label
        )

    def value_classification(self, record):
        return record.classification_label

    def render_place(self, record):
        return record.place or "—"

    def value_place(self, record):
        return record.place

    def _participants(self, record) -> list[tuple[str, str]]:
        """(name, code) of each taking-part country, by name; read from the stored codes."""
        codes = (vars(c)["country"] for c in record.countries.all() if c.role == "participant")
        return sorted((country_name(code), code) for code in codes)

    def render_countries(self, record):
        links = ((country_url(code), name) for name, code in self._participants(record))
        return format_html_join(", ", '<a href="{}">{}</a>', links)

    def value_countries(self, record):
        return "; ".join(name for name, _code in self._participants(record))

    def render_topics(self, record):
        return format_html_join(
            " ",
            '<span class="badge rounded-pill text-bg-light border">{}</span>',
            ((note.topic.name,) for note in record.topic_notes.all()),
        )

    def value_topics(self, record):
        return "; ".join(note.topic.name for note in record.topic_notes.all())

    # Export-only values, in the notation of meetings/importing/notation.py.

    def value_mentioned(self, record):
        return "; ".join(sorted(c.country.name for c in record.countries.all() if c.role == "mentioned"))

    def value_organizations(self, record):
        return encode_items(sorted(encode_item([organization_label(o)]) for o in record.organizations.all()))

    def value_attendees(self, record):
        return encode_items(
            encode_item(
                a.person.name,
                a.title,
                organization_label(a.organization) if a.organization else "",
                a.delegation.name if a.delegation else "",
                a.get_role_display(),
                a.get_status_display(),
            )
            for a in record.attendances.all()
        )

    def value_topic_notes(self, record):
        return encode_items(
            encode_item(self._topic_path(note.topic_id), note.note) for note in record.topic_notes.all()
        )

    def value_actions(self, record):
        return encode_items(
            encode_item(
                action.description,
                action.due_date.isoformat() if action.due_date else "",
                action.get_status_display(),
                _party_labels(action),
                action.responsible_person.name if action.responsible_person else "",
                action.completed_on.isoformat() if action.completed_on else "",
                action.completion_note,
            )
            for action in record.actions.all()
        )

    def _topic_path(self, pk: int) -> str:
        """ "Regional security › Horn of Africa", from one query of the whole tree per export."""
        if not hasattr(self, "_topic_tree"):
            self._topic_tree = {
                pk: (parent, name)
                for pk, parent, name in Topic.objects.values_list("pk", "parent_id", "name")
            }
        names, seen = [], set()
        while pk is not None and pk not in seen:
            seen.add(pk)
            parent, name = self._topic_tree.get(pk, (None, ""))
            names.insert(0, name)
            pk = parent
        return " › ".join(names)


def _party_labels(action) -> list[str]:
    """Countries, then organisations, each sorted: the order does not depend on the ids."""
    parties = list(action.parties.all())
    countries = sorted(p.country.name for p in parties if not p.organization_id)
    organizations = sorted(organization_label(p.organization) for p in parties if p.organization_id)
    return countries + organizations


class ActionTable(ListTable):
    description = tables.Column(
        linkify=lambda record: record.get_absolute_url(), attrs={"td": {"class": "col-title"}}
    )
    meeting = tables.Column(linkify=True, order_by=("meeting__start_date",))
    parties = tables.Column(accessor="pk", verbose_name="Responsible", orderable=False)
    responsible_person = tables.Column(verbose_name="Person", linkify=True)
    due_date = DayColumn(verbose_name="Due")
    status = tables.Column()
    completed_on = DayColumn(verbose_name="Completed")
    completion_note = tables.Column(verbose_name="Completion note")

    class Meta(ListTable.Meta):
        model = Action
        fields = ()
        sequence = (
            "description",
            "meeting",
            "parties",
            "responsible_person",
            "due_date",
            "status",
            "completed_on",
            "completion_note",
        )
        default_hidden = ("responsible_person", "completion_note")
        always_visible = ("description",)
        order_by = ("due_date",)

    def render_meeting(self, record):
        return record.meeting.title

    def value_meeting(self, record):
        return record.meeting.title

    def render_parties(self, record):
        return ", ".join(str(p) for p in record.parties.all())

    def value_parties(self, record):
        return "; ".join(str(p) for p in record.parties.all())

    def render_status(self, record):
        badge = format_html('<span class="badge text-bg-light border">{}</span>', record.get_status_display())
        if record.is_overdue(timezone.localdate()):
            return format_html('{} <span class="badge text-bg-danger">Overdue</span>', badge)
        return badge

    def value_status(self, record):
        overdue = " (overdue)" if record.is_overdue(timezone.localdate()) else ""
        return f"{record.get_status_display()}{overdue}"


class PersonTable(ListTable):
    name = tables.Column(linkify=True, attrs={"td": {"class": "fw-semibold"}})
    honorific = tables.Column()
    title = tables.Column(verbose_name="Current title")
    organization = tables.Column(linkify=True, verbose_name="Organisation")
    country = CountryColumn()
    email = export_only("E-mail", "email")
    notes = export_only("Notes", "notes")

    class Meta(ListTable.Meta):
        model = Person
        fields = ()
        sequence = ("name", "honorific", "title", "organization", "country")
        default_hidden = ("honorific",)
        always_visible = ("name",)

    def value_organization(self, record):
        return organization_label(record.organization) if record.organization else ""


class OrganizationTable(ListTable):
    name = tables.Column(linkify=True, attrs={"td": {"class": "fw-semibold"}})
    acronym = tables.Column()
    kind = tables.Column()
    country = CountryColumn()
    parent = tables.Column(linkify=True, verbose_name="Part of")
    contact_email = export_only("Contact e-mail", "contact_email")

    class Meta(ListTable.Meta):
        model = Organization
        fields = ()
        sequence = ("name", "acronym", "kind", "country", "parent")
        always_visible = ("name",)

    def value_parent(self, record):
        return organization_label(record.parent) if record.parent else ""


class TopicTable(ListTable):
    name = tables.Column(linkify=True, attrs={"td": {"class": "fw-semibold"}})
    parent = tables.Column(linkify=True, verbose_name="Under")
    related_countries = tables.Column(accessor="pk", verbose_name="Related countries", orderable=False)
    description = tables.Column()

    class Meta(ListTable.Meta):
        model = Topic
        fields = ()
        sequence = ("name", "parent", "related_countries", "description")
        default_hidden = ("description",)
        always_visible = ("name",)

    def render_related_countries(self, record):
        return ", ".join(country_name(c) for c in record.related_countries)

    def value_related_countries(self, record):
        return "; ".join(country_name(c) for c in record.related_countries)
