"""The meeting page (create and edit with every row on one page) and meeting deletion."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from meetings import services
from meetings.forms import MeetingEditor, OrganizationQuickForm, PersonQuickForm, TopicQuickForm
from meetings.models import Meeting


def editor_required(view: Callable) -> Callable:
    """403 for signed-in people who may only read; sign-in itself is the middleware's job."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not getattr(request.user, "can_edit", False):
            raise PermissionDenied("Only editors and administrators change records.")
        return view(request, *args, **kwargs)

    return wrapper


@editor_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _meeting_page(request, Meeting())


@editor_required
@require_http_methods(["GET", "POST"])
def meeting_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    return _meeting_page(request, meeting)


def _meeting_page(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    stored_title, stored_marking = meeting.title, meeting.classification
    if request.method == "POST":
        editor = MeetingEditor(user=request.user, instance=meeting, data=request.POST, files=request.FILES)
        if editor.is_valid():
            try:
                saved = editor.save()
            except services.MeetingInvalid:
                pass  # the editor shows each message next to its field
            except services.MeetingConflict as conflict:
                editor = editor.after_conflict(conflict)
            except services.SaveRefused as refusal:
                editor.refusal = str(refusal)
            else:
                messages.success(request, f"Saved “{saved.title}”.")
                for warning in editor.warnings:
                    messages.warning(request, warning)
                return redirect(saved)
    else:
        editor = MeetingEditor(user=request.user, instance=meeting)
    typed_marking = getattr(editor.form, "cleaned_data", {}).get("classification") or 0
    context = {
        "editor": editor,
        "form": editor.form,
        "meeting_pk": meeting.pk,
        "stored_title": stored_title,
        "page_marking": max(stored_marking or 0, typed_marking),
        "quick_forms": {
            "person": PersonQuickForm(prefix="quick-person"),
            "organization": OrganizationQuickForm(prefix="quick-organization"),
            "topic": TopicQuickForm(prefix="quick-topic"),
        },
    }
    return render(request, "meetings/meeting_form.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    refusal, status = "", 200
    if request.method == "POST":
        title = meeting.title
        try:
            services.record_delete(user=request.user, record=meeting)
        except services.DeleteRefused as error:
            refusal, status = str(error), 409
        else:
            messages.success(request, f"Deleted “{title}”.")
            return redirect("meeting-list")
    side_meetings = list(meeting.side_meetings.visible_to(request.user))
    context = {
        "meeting": meeting,
        "refusal": refusal,
        "side_meetings": side_meetings,
        "hidden_side_meetings": meeting.side_meetings.exclude(pk__in=[m.pk for m in side_meetings]).exists(),
        "counts": {
            "attendees": meeting.attendances.count(),
            "topics": meeting.topic_notes.count(),
            "actions": meeting.actions.count(),
            "sources": meeting.sources.count(),
        },
        "page_marking": meeting.classification,
    }
    return render(request, "meetings/meeting_confirm_delete.html", context, status=status)
