"""The audit page's filters: person, meeting, date and kind, as plain query parameters."""

import django_filters
from django import forms

from meetings.audit.models import Event
from meetings.filters import ListFilterSet, RecordFilter, date_range
from meetings.forms.widgets import AutocompleteSelect
from meetings.models import Meeting


class EventFilter(ListFilterSet):
    person = django_filters.CharFilter(
        field_name="username", lookup_expr="iexact", label="Person (username)", widget=forms.TextInput
    )
    meeting = RecordFilter(
        queryset=Meeting.objects.none(),
        label="Meeting",
        widget=AutocompleteSelect("meetings", attrs={"aria-label": "Meeting"}),
    )
    date = date_range("at__date", "Date")
    kind = django_filters.MultipleChoiceFilter(
        distinct=False, choices=Event.Kind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # A meeting is offered, and named in the box, only if the reader may see it.
        user = request.user if request is not None else None
        self.filters["meeting"].queryset = Meeting.objects.visible_to(user)
        self.form.fields["meeting"].queryset = Meeting.objects.visible_to(user)
