"""What the reminder command would send today, to whom, and who cannot be reached."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meetings import classification
from meetings.forms import ReminderPreviewForm
from meetings.models import Action
from meetings.reminders import reminder_plan

DEFAULT_DAYS = 14


def action_reminders(request: HttpRequest) -> HttpResponse:
    """Starts from the reader's ``visible_to``: actions above their clearance are not shown or counted."""
    form = ReminderPreviewForm({"days": request.GET.get("days", DEFAULT_DAYS)})
    plan = None
    if form.is_valid():
        plan = reminder_plan(Action.objects.visible_to(request.user), days=form.cleaned_data["days"])
    shown = (
        [
            *(action for digest in plan.digests for action in digest.actions),
            *(action for row in plan.unaddressed for action in row.actions),
            *plan.unreachable,
        ]
        if plan
        else []
    )
    context = {
        "form": form,
        "plan": plan,
        "marking_label": classification.label(plan.marking) if plan else "",
        "page_marking": max((action.meeting.classification for action in shown), default=0),
    }
    return render(request, "meetings/action_reminders.html", context)
