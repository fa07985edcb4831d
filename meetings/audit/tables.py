import django_tables2 as tables
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from meetings.audit.models import Event
from meetings.tables import ListTable


def describe(event: Event) -> str:
    """What was read or tried, in a few words."""
    detail = event.detail or {}
    if event.kind == Event.Kind.EXPORT:
        filters = ", ".join(f"{key}={value}" for key, value in sorted(detail.get("filters", {}).items()))
        rows = detail.get("rows", 0)
        plural = "" if rows == 1 else "s"
        text = f"{detail.get('list', '?')} list, {rows} row{plural}, {detail.get('format', '')}"
        return f"{text}; filtered by {filters}" if filters else f"{text}; no filter"
    if event.kind == Event.Kind.SOURCE:
        return f"source “{detail.get('title', '')}”"
    parts = [f"{key.replace('_', ' ')}: {value}" for key, value in sorted(detail.items())]
    return "; ".join(parts)


class EventTable(ListTable):
    at = tables.Column(verbose_name="When", attrs={"td": {"class": "text-nowrap"}})
    kind = tables.Column(verbose_name="What")
    username = tables.Column(verbose_name="Who")
    address = tables.Column(verbose_name="From")
    meeting = tables.Column(verbose_name="Meeting", orderable=False)
    marking = tables.Column(verbose_name="Marking")
    details = tables.Column(verbose_name="Details", accessor="pk", orderable=False, empty_values=())

    class Meta(ListTable.Meta):
        model = Event
        fields = ()
        sequence = ("at", "kind", "username", "address", "meeting", "marking", "details")
        always_visible = ("at", "kind", "username")
        order_by = ("-at",)

    def render_at(self, value):
        return date_format(value, "j M Y H:i:s")

    def value_at(self, value):
        return value.isoformat()

    def render_meeting(self, record):
        if record.meeting_id is None:
            return "—"
        if record.meeting is None:
            return f"#{record.meeting_id} (deleted)"
        return format_html('<a href="{}">{}</a>', record.meeting.get_absolute_url(), record.meeting.title)

    def value_meeting(self, record):
        if record.meeting_id is None:
            return ""
        return record.meeting.title if record.meeting else f"#{record.meeting_id} (deleted)"

    def render_details(self, record):
        return describe(record)

    def value_details(self, record):
        return describe(record)
