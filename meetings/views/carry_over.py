"""Carrying a meeting's open actions into a later meeting of its series."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from meetings import services
from meetings.forms import CarryOverForm
from meetings.models import Meeting
from meetings.views.editing import editor_required


@editor_required
@require_http_methods(["GET", "POST"])
def meeting_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    """The form also sits on the meeting page; this page shows it again with its errors."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related("series"), pk=pk)
    form = CarryOverForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            copies = services.actions_carry_over(
                user=request.user, source=meeting, target=target, actions=form.cleaned_data["actions"]
            )
        except services.SaveRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            count = f"{len(copies)} action{'s' if len(copies) != 1 else ''}"
            messages.success(request, f"Carried {count} from “{meeting.title}” into this meeting.")
            return redirect(target)
    context = {
        "meeting": meeting,
        "form": form,
        "page_marking": max([meeting.classification, *(m.classification for m in form.offered)]),
    }
    return render(request, "meetings/meeting_carry_over.html", context)
