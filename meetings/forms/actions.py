"""Forms about actions: a one-click status update, the reminder preview, carrying actions over."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from meetings.forms.base import StyledFormMixin
from meetings.forms.fields import NOTE_TEXT, TextField, textarea
from meetings.forms.widgets import DateInput
from meetings.models import Action, Meeting


def offer_carried_only_when_carried(form: forms.ModelForm) -> None:
    """ "Carried over" is set by carrying the action into a later meeting, never picked by hand."""
    if form.instance.status != Action.Status.CARRIED:
        status = form.fields["status"]
        status.choices = [choice for choice in status.choices if choice[0] != Action.Status.CARRIED]


class ActionStatusForm(StyledFormMixin, forms.ModelForm):
    """Status, completion date and note of one action, from the tracker or the meeting page."""

    completion_note = TextField(
        label="Note", required=False, max_length=NOTE_TEXT, widget=textarea(2, NOTE_TEXT)
    )

    class Meta:
        model = Action
        fields = ["status", "completed_on", "completion_note"]
        widgets = {"completed_on": DateInput}
        labels = {"completed_on": "Done on"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_carried_only_when_carried(self)
        if not self.is_bound and not self.instance.completed_on:
            self.initial["completed_on"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        done = data.get("status") == Action.Status.DONE
        if done and not data.get("completed_on") and "completed_on" not in self.errors:
            self.add_error("completed_on", "Give the date it was done.")
        return data

    def _post_clean(self):
        # The completion date only belongs to a closed action; for an open one it is dropped
        # rather than refused, so changing "done" back to "in progress" is one click.
        if self.cleaned_data.get("status") not in (Action.Status.DONE, Action.Status.CANCELLED):
            self.cleaned_data["completed_on"] = None
        super()._post_clean()


# Action reminders -------------------------------------------------------------------------


class ReminderPreviewForm(StyledFormMixin, forms.Form):
    """The reminder page's one question: how many days ahead to remind of."""

    days = forms.IntegerField(
        label="Due within (days)",
        min_value=0,
        max_value=365,
        help_text="Overdue actions are always included.",
        error_messages={"invalid": "Give a whole number of days, e.g. 14."},
        # Text, not a number input: the browser would blank what was typed instead of showing it.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )


# Carrying actions into a later meeting ----------------------------------------------------


class CarryOverForm(forms.Form):
    """Which open actions of a meeting to carry, and into which later meeting of its series.

    Only meetings the person can see and marked at least as high as this one are offered;
    ``problem`` says plainly why nothing can be carried, when that is so.
    """

    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Open actions",
        error_messages={
            "required": "Tick at least one open action to carry over.",
            "invalid_choice": "This action is no longer open on this meeting; reload the page.",
            "invalid_pk_value": "Tick the actions in the list.",
        },
    )
    target = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        empty_label=None,
        label="Carry into",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Choose the meeting to carry them into."},
    )

    def __init__(
        self,
        *args,
        meeting: Meeting,
        user,
        later: list[Meeting] | None = None,
        open_actions: list[Action] | None = None,
        **kwargs,
    ):
        """``later`` (the visible later meetings of the series, in order) and ``open_actions``
        may be given by a page that has them already; the choices are then shown without
        querying again, and only a submitted form is checked against the database."""
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.later = Meeting.objects.visible_to(user).later_in_series(meeting)
        actions = self.fields["actions"]
        actions.queryset = meeting.actions.open().order_by("pk")
        self.open_actions = list(actions.queryset) if open_actions is None else open_actions
        actions.choices = [(action.pk, _action_choice_label(action)) for action in self.open_actions]
        self.initial.setdefault("actions", [action.pk for action in self.open_actions])
        target = self.fields["target"]
        target.queryset = self.later.filter(classification__gte=meeting.classification)
        later = list(self.later) if later is None else later
        self.offered = [other for other in later if other.classification >= meeting.classification]
        self.lower_marked = [other for other in later if other.classification < meeting.classification]
        target.choices = [(other.pk, _meeting_choice_label(other)) for other in self.offered]
        self.next_meeting = self.offered[0] if self.offered else None
        if self.next_meeting:
            self.initial.setdefault("target", self.next_meeting.pk)
        target.error_messages["invalid_choice"] = (
            f"Choose a later meeting of this series marked {meeting.classification_label} or higher."
        )

    @property
    def problem(self) -> str:
        """Why nothing can be carried from this meeting, or empty when something can."""
        if not self.meeting.series_id:
            return "This meeting is not part of a series, so there is no next meeting to carry actions into."
        if not self.open_actions:
            return "This meeting has no open actions to carry over."
        if self.next_meeting is None:
            if self.lower_marked:
                return (
                    f"The later meetings of “{self.meeting.series}” are marked lower than this one "
                    f"({self.meeting.classification_label}), so its actions cannot be carried into them."
                )
            return f"There is no later meeting in “{self.meeting.series}” yet. Add the next meeting first."
        return ""


def _meeting_choice_label(meeting: Meeting) -> str:
    return f"{meeting.title}, {date_format(meeting.start_date, 'j M Y')} ({meeting.classification_label})"


def _action_choice_label(action: Action) -> str:
    due = f" (due {date_format(action.due_date, 'j M Y')})" if action.due_date else ""
    return f"{action.description}{due}"
