"""Every list page: a few declarations on the shared list view."""

from django.db.models import Prefetch

from meetings.filters import ActionFilter, MeetingFilter, OrganizationFilter, PersonFilter, TopicFilter
from meetings.listing import RecordListView
from meetings.models import Action, ActionParty, Meeting, MeetingTopic, Organization, Person, Topic
from meetings.tables import ActionTable, MeetingTable, OrganizationTable, PersonTable, TopicTable


class MeetingListView(RecordListView):
    model = Meeting
    filterset_class = MeetingFilter
    table_class = MeetingTable
    title = "Meetings"
    list_name = "meetings"
    select_related = ("series",)
    prefetch_related = (
        "countries",
        Prefetch("topic_notes", queryset=MeetingTopic.objects.select_related("topic")),
    )
    marking_accessor = "classification"


class ActionListView(RecordListView):
    model = Action
    filterset_class = ActionFilter
    table_class = ActionTable
    title = "Actions"
    list_name = "actions"
    select_related = ("meeting", "responsible_person")
    prefetch_related = (Prefetch("parties", queryset=ActionParty.objects.select_related("organization")),)
    marking_accessor = "meeting__classification"


class PersonListView(RecordListView):
    model = Person
    filterset_class = PersonFilter
    table_class = PersonTable
    title = "People"
    list_name = "people"
    select_related = ("organization",)


class OrganizationListView(RecordListView):
    model = Organization
    filterset_class = OrganizationFilter
    table_class = OrganizationTable
    title = "Organisations"
    list_name = "organizations"
    select_related = ("parent",)


class TopicListView(RecordListView):
    model = Topic
    filterset_class = TopicFilter
    table_class = TopicTable
    title = "Topics"
    list_name = "topics"
    select_related = ("parent",)
