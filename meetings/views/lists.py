"""Every list page: a few declarations on the shared list view."""

from django.db.models import Prefetch

from meetings import exports, selectors
from meetings.filters import ActionFilter, MeetingFilter, OrganizationFilter, PersonFilter, TopicFilter
from meetings.listing import RecordListView
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
from meetings.tables import MeetingTable, OrganizationTable, PersonTable, TopicTable
from meetings.views.action_updates import ActionTrackerTable

EDITABLE_LIST = "meetings/record_list_editable.html"


class MeetingListView(RecordListView):
    model = Meeting
    template_name = EDITABLE_LIST
    create_url_name, create_label = "meeting-create", "New meeting"
    filterset_class = MeetingFilter
    table_class = MeetingTable
    title = "Meetings"
    list_name = "meetings"
    select_related = ("series",)
    prefetch_related = (
        "countries",
        Prefetch("topic_notes", queryset=MeetingTopic.objects.select_related("topic")),
    )
    export_prefetch_related = (
        "organizations",
        Prefetch("attendances", queryset=Attendance.objects.select_related("person", "organization")),
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("responsible_person").prefetch_related(
                Prefetch("parties", queryset=ActionParty.objects.select_related("organization"))
            ),
        ),
    )
    marking_accessor = "classification"
    export_builder = exports.meeting_rows

    def get_queryset(self):
        return selectors.by_date(super().get_queryset())


class ActionListView(RecordListView):
    model = Action
    template_name = "meetings/action_list.html"
    filterset_class = ActionFilter
    table_class = ActionTrackerTable
    title = "Actions"
    list_name = "actions"
    select_related = ("meeting", "responsible_person")
    prefetch_related = (Prefetch("parties", queryset=ActionParty.objects.select_related("organization")),)
    marking_accessor = "meeting__classification"


class PersonListView(RecordListView):
    model = Person
    template_name = EDITABLE_LIST
    create_url_name, create_label = "person-create", "New person"
    filterset_class = PersonFilter
    table_class = PersonTable
    title = "People"
    list_name = "people"
    select_related = ("organization",)


class OrganizationListView(RecordListView):
    model = Organization
    template_name = EDITABLE_LIST
    create_url_name, create_label = "organization-create", "New organisation"
    filterset_class = OrganizationFilter
    table_class = OrganizationTable
    title = "Organisations"
    list_name = "organizations"
    select_related = ("parent",)


class TopicListView(RecordListView):
    model = Topic
    template_name = EDITABLE_LIST
    create_url_name, create_label = "topic-create", "New topic"
    filterset_class = TopicFilter
    table_class = TopicTable
    title = "Topics"
    list_name = "topics"
    select_related = ("parent",)
