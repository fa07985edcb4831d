"""The security officer's page: who read, exported or tried to sign in, filterable and
exportable like every list."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator

from meetings import classification
from meetings.accounts.permissions import administrator_required
from meetings.audit.filters import EventFilter
from meetings.audit.models import Event
from meetings.audit.tables import EventTable
from meetings.listing import RecordListView
from meetings.models import Meeting


@method_decorator(administrator_required, name="dispatch")
class EventListView(RecordListView):
    model = Event
    template_name = "audit/event_list.html"
    filterset_class = EventFilter
    table_class = EventTable
    title = "Audit events"
    list_name = "audit"
    select_related = ("meeting",)
    marking_accessor = "marking"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.filterset.form.cleaned_data.get("meeting") if self.filterset.is_bound else None
        context.update(
            meeting=meeting,
            reads_from=classification.label(settings.AUDIT_READS_FROM_LEVEL),
            retention_days=settings.AUDIT_RETENTION_DAYS,
        )
        if meeting is not None:
            context["heading"] = f"Who read “{meeting.title}”"
        return context


READ_KINDS = [
    Event.Kind.MEETING,
    Event.Kind.BRIEF,
    Event.Kind.BRIEF_PDF,
    Event.Kind.CALENDAR,
    Event.Kind.API,
    Event.Kind.SOURCE,
]
MEETING_PAGE_READS = 10


@administrator_required
def meeting_readers(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest reads of one meeting, for its page (loaded when scrolled into view)."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    reads = Event.objects.filter(meeting=meeting, kind__in=READ_KINDS)[:MEETING_PAGE_READS]
    context = {
        "meeting": meeting,
        "reads": reads,
        "audited": meeting.classification >= settings.AUDIT_READS_FROM_LEVEL,
        "meeting_marking": classification.label(meeting.classification),
        "reads_from": classification.label(settings.AUDIT_READS_FROM_LEVEL),
    }
    return render(request, "audit/meeting_readers.html", context)
