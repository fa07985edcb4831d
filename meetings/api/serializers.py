"""What the API reads and writes.

The fields below describe the JSON (and so the OpenAPI schema); writing never uses them
to validate. ``FormWriter`` hands the JSON to the app's own form instead (see
``form_data``), so an API client gets the page's rules and the page's messages.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from meetings import classification
from meetings.api.form_data import NON_FIELD, form_errors, record_form
from meetings.filters import COUNTRY_CHOICES
from meetings.forms import MeetingForm, OrganizationForm, PersonForm, TopicForm
from meetings.models import (
    Action,
    Attendance,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Organization,
    Person,
    Source,
    Topic,
)

CONFIRM_NEW_HELP = "Set to true to save a name that resembles an existing record's (the reply lists them)."


class CountryCode(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code, "" for none."""

    def __init__(self, **kwargs):
        super().__init__(COUNTRY_CHOICES, **kwargs)

    def to_representation(self, value) -> str:
        return getattr(value, "code", value) or ""


def country_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=CountryCode(), **kwargs)


def optional_country(**kwargs) -> CountryCode:
    return CountryCode(allow_blank=True, required=False, **kwargs)


class FormWriter(serializers.ModelSerializer):
    """A record written through its form: ``form_class`` validates, cleans and saves."""

    form_class = None

    def run_validation(self, data=serializers.empty):
        instance = self.instance or self.Meta.model()
        self.form = record_form(self.form_class, instance, data, partial=self.partial)
        if not self.form.is_valid():
            raise ValidationError(form_errors(self.form))
        return {}

    def _save(self):
        try:
            with transaction.atomic():
                return self.form.save()
        except IntegrityError as error:
            noun = self.Meta.model._meta.verbose_name
            raise ValidationError(
                {NON_FIELD: [f"This {noun} could not be saved: it clashes with a record added meanwhile."]}
            ) from error

    def create(self, validated_data):
        return self._save()

    def update(self, instance, validated_data):
        return self._save()


# People, organisations, topics -------------------------------------------------------------


class PersonSerializer(FormWriter):
    form_class = PersonForm
    country = optional_country()
    organization_name = serializers.StringRelatedField(source="organization", read_only=True, allow_null=True)
    email = serializers.CharField(read_only=True, help_text="Set on the person's page.")
    confirm_new = serializers.BooleanField(write_only=True, required=False, help_text=CONFIRM_NEW_HELP)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "honorific",
            "country",
            "organization",
            "organization_name",
            "title",
            "email",
            "notes",
            "confirm_new",
        ]


class OrganizationSerializer(FormWriter):
    form_class = OrganizationForm
    country = optional_country()
    contact_email = serializers.CharField(read_only=True, help_text="Set on the organisation's page.")
    confirm_new = serializers.BooleanField(write_only=True, required=False, help_text=CONFIRM_NEW_HELP)

    class Meta:
        model = Organization
        fields = ["id", "name", "acronym", "kind", "country", "parent", "contact_email", "confirm_new"]


class TopicSerializer(FormWriter):
    form_class = TopicForm
    path = serializers.CharField(read_only=True, help_text="The topic under its ancestors.")
    related_countries = country_list(required=False)

    class Meta:
        model = Topic
        fields = ["id", "name", "parent", "path", "description", "related_countries"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["related_countries"] = [country.code for country in instance.related_countries]
        return data


# Meetings and their rows -------------------------------------------------------------------


class RowId(serializers.IntegerField):
    """A stored row's id: give it back to keep or change that row; leave it out to add one."""

    def __init__(self, **kwargs):
        super().__init__(required=False, help_text=self.__doc__, **kwargs)


class AttendeeSerializer(serializers.ModelSerializer):
    id = RowId()
    person_name = serializers.StringRelatedField(source="person", read_only=True)
    organization_name = serializers.StringRelatedField(source="organization", read_only=True, allow_null=True)
    delegation = optional_country()

    class Meta:
        model = Attendance
        fields = [
            "id",
            "person",
            "person_name",
            "organization",
            "organization_name",
            "title",
            "delegation",
            "role",
            "status",
        ]


class TopicNoteSerializer(serializers.ModelSerializer):
    id = RowId()
    topic_path = serializers.CharField(source="topic.path", read_only=True)

    class Meta:
        model = MeetingTopic
        fields = ["id", "topic", "topic_path", "note"]


class ActionRowSerializer(serializers.ModelSerializer):
    """An agreed action with the countries and organisations responsible for it."""

    id = RowId()
    countries = country_list(required=False, help_text="Responsible countries.")
    organizations = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Responsible organisations (ids)."
    )
    responsible_person_name = serializers.StringRelatedField(
        source="responsible_person", read_only=True, allow_null=True
    )
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "description",
            "responsible_person",
            "responsible_person_name",
            "due_date",
            "status",
            "completed_on",
            "completion_note",
            "countries",
            "organizations",
            "is_overdue",
        ]

    def get_is_overdue(self, action: Action) -> bool:
        return action.is_overdue()

    def to_representation(self, action):
        data = super().to_representation(action)
        parties = action.parties.all()
        data["countries"] = [p.country.code for p in parties if not p.organization_id]
        data["organizations"] = [p.organization_id for p in parties if p.organization_id]
        return data


class SourceSerializer(serializers.ModelSerializer):
    id = RowId()
    file = serializers.FileField(
        read_only=True,
        help_text="The address that downloads the file (for those cleared for the meeting). "
        "Files are uploaded on the meeting page.",
    )
    file_name = serializers.CharField(read_only=True, help_text="The name the file was uploaded with.")

    class Meta:
        model = Source
        fields = ["id", "kind", "title", "url", "file", "file_name", "published_on", "text"]


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting with every row; writes go through the meeting page's forms (see views)."""

    country = optional_country()
    host_country = optional_country()
    parent = serializers.IntegerField(
        source="visible_parent_id",
        allow_null=True,
        required=False,
        help_text="The meeting this one was held on the margins of.",
    )
    classification = serializers.ChoiceField(
        classification.choices(), required=False, help_text="Position on the marking scale, lowest 0."
    )
    classification_label = serializers.CharField(read_only=True)
    participants = country_list(
        required=False,
        help_text="Countries taking part; the host and every delegation are added on their own.",
    )
    mentioned = country_list(required=False, help_text="Countries discussed but not taking part.")
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Required when changing a meeting: the version you read. A stale one answers 409.",
    )
    attendees = AttendeeSerializer(source="attendances", many=True, required=False)
    topics = TopicNoteSerializer(source="topic_notes", many=True, required=False)
    actions = ActionRowSerializer(many=True, required=False)
    sources = SourceSerializer(many=True, required=False)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Meeting
        # The meeting form's own fields, then what the API adds around them.
        fields = [
            "id",
            *MeetingForm.Meta.fields,
            "classification_label",
            "participants",
            "mentioned",
            "version",
            "attendees",
            "topics",
            "actions",
            "sources",
            "created_at",
            "updated_at",
            "web_url",
        ]

    def to_representation(self, meeting):
        data = super().to_representation(meeting)
        rows = meeting.countries.all()
        data["participants"] = [r.country.code for r in rows if r.role == MeetingCountry.Role.PARTICIPANT]
        data["mentioned"] = [r.country.code for r in rows if r.role == MeetingCountry.Role.MENTIONED]
        return data


class ActionSerializer(ActionRowSerializer):
    """An action on its own, with the meeting it was agreed at (set when it is created)."""

    meeting = serializers.IntegerField(source="meeting_id", help_text="Set when the action is created.")
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)

    class Meta(ActionRowSerializer.Meta):
        fields = ["id", "meeting", "meeting_title", *ActionRowSerializer.Meta.fields[1:]]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    kind = serializers.CharField()
    what = serializers.CharField()
    label = serializers.CharField()
    changes = ChangeSerializer(many=True)


class ApiRootSerializer(serializers.Serializer):
    meetings = serializers.URLField()
    people = serializers.URLField()
    organizations = serializers.URLField()
    topics = serializers.URLField()
    actions = serializers.URLField()
    schema = serializers.URLField(help_text="This API's OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="Interactive documentation of the schema.")
