"""The meeting brief: one printable page for the official who walks into the room.

The same ``Brief`` feeds the print-ready HTML page and the PDF (``meetings/brief_pdf.py``).
Everything on it starts from what the reader may see, and it carries the highest marking
of everything it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from meetings import brief_pdf
from meetings.audit import record as audit
from meetings.delegations import Delegation, delegations
from meetings.models import Action, Meeting, MeetingCountry, MeetingTopic, User
from meetings.views.details import (
    ACTION_LIMIT,
    Limited,
    _fill_parent_chains,
    _highest_marking,
    _newest_first_of_few,
    _open_first,
    _parties,
    _series_neighbours,
    _utc_offset,
    _with_participants,
)


@dataclass
class Brief:
    meeting: Meeting
    utc_offset: str
    partners: list
    delegations: list[Delegation]
    topic_notes: list[MeetingTopic]
    previous_in_series: Meeting | None
    last_meeting: Meeting | None
    open_actions: Limited
    marking: int


def meeting_brief(user: User, pk: int) -> Brief:
    """What the brief shows of one meeting, in a fixed number of queries.

    Open actions and the last meeting come from earlier meetings in which every partner
    country of this one took part, as the meeting page's related meetings do.
    """
    visible = Meeting.objects.visible_to(user)
    meeting = get_object_or_404(
        visible.select_related("series")
        .with_attendees_and_topics()
        .prefetch_related(
            Prefetch(
                "countries",
                queryset=MeetingCountry.objects.filter(role=MeetingCountry.Role.PARTICIPANT).order_by("id"),
            ),
        ),
        pk=pk,
    )
    topic_notes = list(meeting.topic_notes.all())
    _fill_parent_chains(note.topic for note in topic_notes)
    partners = [row.country for row in meeting.countries.all()]
    previous, _ = _series_neighbours(visible, meeting)

    last_meeting, open_actions = None, Limited([], False)
    if partners:
        earlier = _with_participants(
            visible.filter(start_date__lte=meeting.start_date).exclude(pk=meeting.pk),
            [c.code for c in partners],
        )
        last_meeting = _newest_first_of_few(
            earlier.filter(status=Meeting.Status.HELD, start_date__lte=timezone.localdate())
        ).first()
        open_actions = Limited.of(
            _open_first(Action.objects.visible_to(user).open().filter(meeting__in=earlier.values("pk")))
            .select_related("meeting", "responsible_person")
            .prefetch_related(_parties()),
            ACTION_LIMIT,
        )
    shown = [meeting, *(m for m in (previous, last_meeting) if m), *(a.meeting for a in open_actions.rows)]
    return Brief(
        meeting=meeting,
        utc_offset=_utc_offset(meeting),
        partners=partners,
        delegations=delegations(meeting, meeting.attendances.all()),
        topic_notes=topic_notes,
        previous_in_series=previous,
        last_meeting=last_meeting,
        open_actions=open_actions,
        marking=_highest_marking(shown),
    )


@require_GET
def meeting_brief_page(request: HttpRequest, pk: int) -> HttpResponse:
    brief = meeting_brief(request.user, pk)
    audit.meeting_read(request, brief.meeting, audit.Kind.BRIEF)
    return render(
        request,
        "meetings/meeting_brief.html",
        {"brief": brief, "meeting": brief.meeting, "page_marking": brief.marking},
    )


@require_GET
def meeting_brief_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    brief = meeting_brief(request.user, pk)
    audit.meeting_read(request, brief.meeting, audit.Kind.BRIEF_PDF)
    response = HttpResponse(brief_pdf.render(brief), content_type="application/pdf")
    filename = (
        f"brief-{slugify(brief.meeting.title)[:60] or 'meeting'}-{brief.meeting.start_date:%Y-%m-%d}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
