"""The API's endpoints: list, read, create, change and delete, for each kind of record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, F, Prefetch, When
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from meetings import services
from meetings.api import serializers
from meetings.api.errors import Conflict, Unprocessable
from meetings.api.form_data import NON_FIELD, MeetingWrite, form_errors, meeting_write, record_form
from meetings.audit import record as audit
from meetings.filters import ActionFilter, MeetingFilter, OrganizationFilter, PersonFilter, TopicFilter
from meetings.forms.meeting import ActionForm
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

ENDPOINTS = {
    "meetings": "api-meeting-list",
    "people": "api-person-list",
    "organizations": "api-organization-list",
    "topics": "api-topic-list",
    "actions": "api-action-list",
}


@extend_schema_view(get=extend_schema(summary="Where everything is: the record lists, the schema, the docs"))
class ApiRoot(APIView):
    @classmethod
    def as_view(cls, **kwargs):
        return login_not_required(super().as_view(**kwargs))

    @extend_schema(responses=serializers.ApiRootSerializer)
    def get(self, request):
        links = {name: reverse(url_name, request=request) for name, url_name in ENDPOINTS.items()}
        links["schema"] = reverse("api-schema", request=request)
        links["docs"] = reverse("api-docs", request=request)
        return Response(links)


class RecordViewSet(viewsets.ModelViewSet):
    """Every API list and record: access from ``visible_to``, filters from the lists' FilterSets."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_converter = "int"
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()

    @classmethod
    def as_view(cls, *args, **kwargs):
        # Sign-in here is the API's own: an anonymous request gets a 401 in JSON, not the
        # sign-in page the rest of the app redirects to.
        return login_not_required(super().as_view(*args, **kwargs))

    create_serializer_class = None
    update_serializer_class = None

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class:
            return self.create_serializer_class
        if self.action in ("update", "partial_update") and self.update_serializer_class:
            return self.update_serializer_class
        return self.serializer_class

    def get_queryset(self):
        queryset = self.queryset.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.prefetch_related(*self.prefetch_related)

    def perform_destroy(self, instance):
        try:
            services.record_delete(user=self.request.user, record=instance)
        except services.DeleteRefused as refusal:
            raise Conflict(str(refusal)) from refusal

    def fresh(self, pk: int):
        """A record as the API shows it, re-read after a write with everything it shows."""
        return self.get_queryset().get(pk=pk)


@extend_schema_view(
    list=extend_schema(summary="People, filtered as on /people/"),
    retrieve=extend_schema(summary="A person"),
)
class PersonViewSet(RecordViewSet):
    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    update_serializer_class = serializers.PersonUpdateSerializer
    filterset_class = PersonFilter
    ordering_fields = ["name", "country", "title", "id"]
    select_related = ("organization",)


@extend_schema_view(
    list=extend_schema(summary="Organisations, filtered as on /organizations/"),
    retrieve=extend_schema(summary="An organisation"),
)
class OrganizationViewSet(RecordViewSet):
    queryset = Organization.objects.all()
    serializer_class = serializers.OrganizationSerializer
    update_serializer_class = serializers.OrganizationUpdateSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "acronym", "kind", "country", "id"]


@extend_schema_view(
    list=extend_schema(summary="Topics, filtered as on /topics/"),
    retrieve=extend_schema(summary="A topic"),
)
class TopicViewSet(RecordViewSet):
    queryset = Topic.objects.all()
    serializer_class = serializers.TopicSerializer
    update_serializer_class = serializers.TopicUpdateSerializer
    filterset_class = TopicFilter
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        # ``path`` walks up the tree: parents and grandparents come with the row.
        return super().get_queryset().select_related("parent__parent__parent")


def save_meeting(write: MeetingWrite) -> Meeting:
    """A meeting written through the meeting page's editor and ``services.meeting_save``."""
    editor = write.editor
    if not editor.is_valid():
        raise Unprocessable(write.errors())
    try:
        return editor.save()
    except services.MeetingInvalid as invalid:
        raise Unprocessable(write.errors()) from invalid
    except services.MeetingConflict as conflict:
        raise Conflict(
            str(conflict),
            current_version=conflict.current.version,
            changes=serializers.HistoryEntrySerializer(conflict.changes.entries, many=True).data,
        ) from conflict
    except services.SaveRefused as refusal:
        raise Unprocessable({NON_FIELD: [str(refusal)]}) from refusal


MEETING_ROWS = (
    Prefetch("attendances", queryset=Attendance.objects.select_related("person", "organization")),
    Prefetch("topic_notes", queryset=MeetingTopic.objects.select_related("topic__parent__parent")),
    Prefetch(
        "actions",
        queryset=Action.objects.select_related("responsible_person").prefetch_related("parties"),
    ),
    "sources",
    "countries",
    "organizations",
)


@extend_schema_view(
    list=extend_schema(summary="Meetings, filtered as on /meetings/"),
    retrieve=extend_schema(summary="A meeting with its attendees, topics, actions and sources"),
    create=extend_schema(summary="Record a meeting with its rows, all or nothing"),
    update=extend_schema(
        summary="Replace a meeting: row lists required, other fields left out take their defaults"
    ),
    partial_update=extend_schema(
        summary="Change some of a meeting's fields or row lists; the rest stays as it is"
    ),
)
class MeetingViewSet(RecordViewSet):
    queryset = Meeting.objects.all()
    serializer_class = serializers.MeetingSerializer
    update_serializer_class = serializers.MeetingUpdateSerializer
    filterset_class = MeetingFilter
    ordering_fields = [
        "start_date",
        "title",
        "kind",
        "status",
        "country",
        "host_country",
        "classification",
        "id",
    ]
    prefetch_related = MEETING_ROWS

    def get_queryset(self):
        # A parent above the person's clearance is not named, not even by its id.
        clearance = self.request.user.clearance
        return (
            super()
            .get_queryset()
            .annotate(
                visible_parent_id=Case(When(parent__classification__lte=clearance, then=F("parent_id")))
            )
        )

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        audit.meeting_read(request, meeting, audit.Kind.API)
        return Response(self.get_serializer(meeting).data)

    def perform_create(self, serializer):
        meeting = Meeting()
        serializer.instance = self._write(meeting, partial=False)

    def perform_update(self, serializer):
        serializer.instance = self._write(serializer.instance, partial=serializer.partial)

    def _write(self, meeting: Meeting, *, partial: bool) -> Meeting:
        try:
            write = meeting_write(
                user=self.request.user, meeting=meeting, payload=self.request.data, partial=partial
            )
        except ValidationError as error:  # a row id this meeting does not have
            raise Unprocessable(error.detail) from error
        return self.fresh(save_meeting(write).pk)


@extend_schema_view(
    list=extend_schema(summary="Agreed actions, filtered as on /actions/"),
    retrieve=extend_schema(summary="An action"),
    create=extend_schema(summary="Add an action to a meeting"),
    update=extend_schema(summary="Replace an action: fields left out take their defaults"),
    partial_update=extend_schema(summary="Change some of an action's fields; the rest stays as it is"),
    destroy=extend_schema(summary="Remove an action from its meeting"),
)
class ActionViewSet(RecordViewSet):
    """One action written on its own (``services.action_save``), checked by the meeting
    page's action form; its meeting's version moves on with it."""

    queryset = Action.objects.all()
    serializer_class = serializers.ActionSerializer
    create_serializer_class = serializers.ActionCreateSerializer
    update_serializer_class = serializers.ActionUpdateSerializer
    filterset_class = ActionFilter
    ordering_fields = ["due_date", "status", "description", "id"]
    select_related = ("meeting", "responsible_person")
    prefetch_related = (Prefetch("parties", queryset=ActionParty.objects.select_related("organization")),)

    def perform_create(self, serializer):
        meeting = (
            Meeting.objects.visible_to(self.request.user).filter(pk=self.request.data["meeting"]).first()
        )
        if meeting is None:
            raise Unprocessable({"meeting": ["No meeting with this id."]})
        serializer.instance = self._save(Action(meeting=meeting), partial=False)

    def perform_update(self, serializer):
        action = serializer.instance
        if self.request.data.get("meeting", action.meeting_id) != action.meeting_id:
            raise Unprocessable({"meeting": ["An action stays with the meeting it was agreed at."]})
        serializer.instance = self._save(action, partial=serializer.partial)

    def perform_destroy(self, instance):
        services.action_delete(user=self.request.user, action=instance)

    def _save(self, action: Action, *, partial: bool) -> Action:
        payload = {k: v for k, v in self.request.data.items() if k not in ("id", "meeting", "version")}
        form = record_form(ActionForm, action, payload, partial=partial)
        if not form.is_valid():
            raise Unprocessable(form_errors(form))
        values = {name: form.cleaned_data.get(name) for name in Action.EDITABLE_FIELDS}
        data = services.ActionInput(
            id=action.pk,
            countries=list(form.cleaned_data["countries"]),
            organizations=list(form.cleaned_data["organizations"]),
            **values,
        )
        expected = self.request.data.get("version")
        try:
            saved = services.action_save(
                user=self.request.user, meeting=action.meeting, data=data, expected_version=expected
            )
        except services.MeetingInvalid as invalid:
            raise Unprocessable(invalid.errors) from invalid
        except services.VersionConflict as conflict:
            raise serializers.stale(conflict, expected, self.request.user) from conflict
        except services.SaveRefused as refusal:
            raise Unprocessable({NON_FIELD: [str(refusal)]}) from refusal
        return self.fresh(saved.pk)
