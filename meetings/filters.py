"""Filters for every list. Plain query parameters, so a filtered view is a link:
``/meetings/?country=GB&topic=4&date_after=2024-01-01&q=BATUK``.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_countries import countries

from meetings import classification, search, selectors
from meetings.forms.fields import unstorable_id
from meetings.forms.widgets import AutocompleteSelect, QuickSelect
from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingTopic,
    Organization,
    Person,
    Topic,
)

COUNTRY_CHOICES = list(countries)


class ListFilterSet(django_filters.FilterSet):
    """Base for list filters: Bootstrap classes on every widget, labels kept short."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            for sub in getattr(widget, "widgets", [widget]):
                sub.attrs.setdefault("class", css)


def search_box(label: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method="filter_search",
        label=label,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words or names"}),
    )


def date_range(field_name: str, label: str) -> django_filters.DateFromToRangeFilter:
    return django_filters.DateFromToRangeFilter(
        field_name=field_name,
        label=label,
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )


def country_choice(label: str, method: str | None = None, empty_label: str = "Any country"):
    return django_filters.ChoiceFilter(
        choices=COUNTRY_CHOICES, method=method, label=label, empty_label=empty_label, widget=QuickSelect
    )


class RecordField(django_filters.fields.ModelChoiceField):
    """A record chosen by id; an id no database integer can hold is simply no record."""

    def to_python(self, value):
        if unstorable_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RecordFilter(django_filters.ModelChoiceFilter):
    field_class = RecordField


def autocomplete(model, kind: str, label: str, method: str) -> django_filters.ModelChoiceFilter:
    return RecordFilter(
        queryset=model.objects.all(),
        label=label,
        method=method,
        widget=AutocompleteSelect(kind, attrs={"aria-label": label}),
    )


class MeetingFilter(ListFilterSet):
    q = search_box("Search")
    date = date_range("start_date", "Date")
    country = country_choice("Country", "filter_country")
    organization = autocomplete(Organization, "organizations", "Organisation", "filter_organization")
    person = autocomplete(Person, "people", "Person", "filter_person")
    topic = autocomplete(Topic, "topics", "Topic (with subtopics)", "filter_topic")
    kind = django_filters.MultipleChoiceFilter(
        distinct=False,  # a column of the row itself: no duplicates, and no costly SELECT DISTINCT
        choices=Meeting.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=Meeting.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    marking = django_filters.ChoiceFilter(
        field_name="classification",
        choices=classification.choices,
        label="Marking",
        empty_label="Any marking",
    )

    class Meta:
        model = Meeting
        fields = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Title, summary, outcome, topic names and attendee names (full-text on PostgreSQL)."""
        return search.filter_meetings(queryset, value)

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Where it took place, or a taking-part country (the host and every delegation)."""
        return selectors.engaging(queryset, value)

    def filter_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        attended = Attendance.objects.filter(organization=value)
        involved = Meeting.organizations.through.objects.filter(organization=value)
        if not selectors.few(attended):
            return queryset.filter(
                Exists(attended.filter(meeting=OuterRef("pk")))
                | Exists(involved.filter(meeting=OuterRef("pk")))
            )
        # Gathered as one list of their meetings: two EXISTS joined by OR no index serves.
        either = attended.values("meeting_id").union(involved.values("meeting_id"))
        return selectors.gathered(queryset.filter(pk__in=either))

    def filter_person(self, queryset: QuerySet, name: str, value: Person) -> QuerySet:
        attended = Attendance.objects.filter(person=value)
        matching = queryset.filter(Exists(attended.filter(meeting=OuterRef("pk"))))
        return selectors.gathered(matching) if selectors.few(attended) else matching

    def filter_topic(self, queryset: QuerySet, name: str, value: Topic) -> QuerySet:
        notes = MeetingTopic.objects.filter(topic_id__in=Topic.subtree_ids([value.pk]))
        matching = queryset.filter(Exists(notes.filter(meeting=OuterRef("pk"))))
        return selectors.gathered(matching) if selectors.few(notes) else matching


class ActionFilter(ListFilterSet):
    q = search_box("Search")
    status = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=Action.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue only",
        widget=forms.CheckboxInput,
    )
    due = date_range("due_date", "Due")
    country = country_choice("Responsible country", "filter_country", empty_label="Any")
    organization = autocomplete(
        Organization, "organizations", "Responsible organisation", "filter_organization"
    )
    meeting = autocomplete(Meeting, "meetings", "Meeting", "filter_meeting")
    topic = autocomplete(Topic, "topics", "Topic (with subtopics)", "filter_topic")

    class Meta:
        model = Action
        fields = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(description__icontains=word)
                | Q(completion_note__icontains=word)
                | Q(meeting__title__icontains=word)
            )
        return queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status__in=Action.OPEN_STATUSES, due_date__lt=timezone.localdate())

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Exists(ActionParty.objects.filter(action=OuterRef("pk"), country=value)))

    def filter_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(Exists(ActionParty.objects.filter(action=OuterRef("pk"), organization=value)))

    def filter_meeting(self, queryset: QuerySet, name: str, value: Meeting) -> QuerySet:
        return queryset.filter(meeting=value)

    def filter_topic(self, queryset: QuerySet, name: str, value: Topic) -> QuerySet:
        subtree = Topic.subtree_ids([value.pk])
        return queryset.filter(
            Exists(MeetingTopic.objects.filter(meeting=OuterRef("meeting_id"), topic_id__in=subtree))
        )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The meeting choice, like the list itself, only offers what the person may see.
        if request is not None:
            self.filters["meeting"].queryset = Meeting.objects.visible_to(request.user)
            self.form.fields["meeting"].queryset = Meeting.objects.visible_to(request.user)


class PersonFilter(ListFilterSet):
    q = search_box("Name or title")
    country = country_choice("Country")
    organization = autocomplete(Organization, "organizations", "Organisation", "filter_organization")

    class Meta:
        model = Person
        fields = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(title__icontains=word))
        return queryset

    def filter_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(organization=value)


class OrganizationFilter(ListFilterSet):
    q = search_box("Name or acronym")
    country = country_choice("Country")
    kind = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=Organization.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    parent = autocomplete(Organization, "organizations", "Part of", "filter_parent")

    class Meta:
        model = Organization
        fields = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
        return queryset

    def filter_parent(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(parent=value)


class TopicFilter(ListFilterSet):
    q = search_box("Name")
    country = country_choice("Related country", "filter_country")
    parent = autocomplete(Topic, "topics", "Under", "filter_parent")

    class Meta:
        model = Topic
        fields = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
        return queryset

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Stored as comma-separated codes; match a whole code only.
        return queryset.filter(
            Q(related_countries=value)
            | Q(related_countries__startswith=f"{value},")
            | Q(related_countries__endswith=f",{value}")
            | Q(related_countries__contains=f",{value},")
        )

    def filter_parent(self, queryset: QuerySet, name: str, value: Topic) -> QuerySet:
        return queryset.filter(pk__in=Topic.subtree_ids([value.pk]) - {value.pk})
