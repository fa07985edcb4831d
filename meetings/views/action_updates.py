"""One-click action updates (status, done with date and note) from the tracker and meeting page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from meetings import services
from meetings.forms import ActionStatusForm
from meetings.models import Action
from meetings.tables import ActionTable
from meetings.views.editing import editor_required

FRAGMENT = "meetings/includes/action_status.html"


def status_context(action: Action, form: ActionStatusForm | None = None, can_edit: bool = True) -> dict:
    """What the status fragment needs: the action, and the form when it has errors to show."""
    return {"action": action, "form": form, "can_edit": can_edit}


@editor_required
@require_http_methods(["GET", "POST"])
def action_update_status(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx swaps the returned fragment in place; without htmx the person goes back where they were."""
    actions = Action.objects.visible_to(request.user).select_related("meeting")
    action = get_object_or_404(actions, pk=pk)
    form = None
    if request.method == "POST":
        form = ActionStatusForm(request.POST, instance=action, prefix=f"action-{pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_update_status(
                    user=request.user,
                    action=action,
                    status=data["status"],
                    completed_on=data.get("completed_on"),
                    completion_note=data.get("completion_note", ""),
                )
            except services.SaveRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                form = None
                if not request.htmx:
                    messages.success(request, f"Updated “{action}”: {action.get_status_display().lower()}.")
        if not request.htmx:
            if form is not None:
                errors = "; ".join(str(m) for errors in form.errors.values() for m in errors)
                messages.error(request, f"“{action}” was not updated: {errors}")
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
                back = ""
            return redirect(back or "action-list")
    shown = get_object_or_404(actions, pk=pk)  # as stored, whatever was typed
    return render(request, FRAGMENT, status_context(shown, form))


class ActionTrackerTable(ActionTable):
    """The action list; for editors the status cell also holds the one-click update."""

    class Meta(ActionTable.Meta):
        pass

    def before_render(self, request):
        self.can_edit = bool(getattr(request.user, "can_edit", False))
        # One template and one context for every row: render_to_string would run every
        # context processor again for each of up to 100 rows.
        self.status_template = get_template(FRAGMENT)
        self.status_base = {"request": request, "csrf_token": get_token(request)}

    def render_status(self, record):
        if not getattr(self, "can_edit", False):
            return super().render_status(record)
        return self.status_template.render({**self.status_base, **status_context(record)})
