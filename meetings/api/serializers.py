"""What the API reads and writes.

The fields below describe the JSON (and so the OpenAPI schema) and check its shape: a
value of the wrong type, format or length is a 400. ``FormWriter`` then hands the JSON to
the app's own form (see ``form_data``), so an API client gets the page's rules and the
page's messages, as a 422.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from rest_framework import serializers

from meetings import classification, services
from meetings.api import fields
from meetings.api.errors import Conflict, Unprocessable
from meetings.api.fields import country_list, optional_country
from meetings.api.form_data import NON_FIELD, form_errors, record_form
from meetings.choices import timezone_choices
from meetings.forms import MeetingForm, OrganizationForm, PersonForm, TopicForm
from meetings.history import changes_since
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

VERSION_HELP = "Moves on by one with every save; send it back to change the record."
CONFIRM_NEW_HELP = "Set to true to save a name that resembles an existing record's (the reply lists them)."


class Strict(serializers.ModelSerializer):
    """Fields of the JSON types the schema declares (``meetings.api.fields``); whether the
    values make a record that can be saved is for the app's forms to say."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: fields.Text,
        models.TextField: fields.Text,
        models.EmailField: fields.Email,
        models.URLField: fields.Url,
        models.TimeField: fields.LocalTime,
        models.BooleanField: fields.Flag,
        models.IntegerField: fields.Integer,
        models.PositiveIntegerField: fields.Integer,
        models.PositiveSmallIntegerField: fields.Integer,
    }
    serializer_choice_field = fields.Choice
    serializer_related_field = fields.RecordRef

    def get_validators(self):
        return []  # uniqueness is a rule of the forms (422), not a question of shape


class FormWriter(Strict):
    """A record written through its form: the JSON's shape is checked here (400), then
    ``form_class`` validates (422), cleans and saves."""

    form_class = None

    def run_validation(self, data=serializers.empty):
        super().run_validation(data)
        instance = self.instance or self.Meta.model()
        self.form = record_form(self.form_class, instance, data, partial=self.partial)
        if not self.form.is_valid():
            raise Unprocessable(form_errors(self.form))
        return {}

    def _save(self):
        request = self.context["request"]
        try:
            with transaction.atomic():
                return self.form.save()
        except IntegrityError as error:
            noun = self.Meta.model._meta.verbose_name
            raise Unprocessable(
                {NON_FIELD: [f"This {noun} could not be saved: it clashes with a record added meanwhile."]}
            ) from error
        except services.VersionConflict as conflict:
            raise stale(conflict, self.form.cleaned_data["version"], request.user) from conflict
        except services.SaveRefused as refusal:
            raise Unprocessable({NON_FIELD: [str(refusal)]}) from refusal

    def create(self, validated_data):
        return self._save()

    def update(self, instance, validated_data):
        return self._save()


# People, organisations, topics -------------------------------------------------------------


class PersonSerializer(FormWriter):
    form_class = PersonForm
    country = optional_country()
    organization_name = serializers.StringRelatedField(source="organization", read_only=True, allow_null=True)
    confirm_new = fields.Flag(write_only=True, required=False, help_text=CONFIRM_NEW_HELP)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

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
            "version",
        ]


class OrganizationSerializer(FormWriter):
    form_class = OrganizationForm
    country = optional_country()
    confirm_new = fields.Flag(write_only=True, required=False, help_text=CONFIRM_NEW_HELP)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "country",
            "parent",
            "contact_email",
            "confirm_new",
            "version",
        ]


class TopicSerializer(FormWriter):
    form_class = TopicForm
    path = serializers.CharField(read_only=True, help_text="The topic under its ancestors.")
    related_countries = country_list(required=False)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Topic
        fields = ["id", "name", "parent", "path", "description", "related_countries", "version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["related_countries"] = [country.code for country in instance.related_countries]
        return data


class PersonUpdateSerializer(PersonSerializer):
    version = fields.VersionField()


class OrganizationUpdateSerializer(OrganizationSerializer):
    version = fields.VersionField()


class TopicUpdateSerializer(TopicSerializer):
    version = fields.VersionField()


def stale(conflict: services.VersionConflict, version: int, user) -> Conflict:
    """A 409 for a write from an old version: the current one, and what was saved since."""
    changes = changes_since(conflict.current, version, user)
    return Conflict(
        str(conflict),
        current_version=conflict.current.version,
        changes=HistoryEntrySerializer(changes.entries, many=True).data,
    )


# Meetings and their rows -------------------------------------------------------------------


class RowId(fields.RecordId):
    """A stored row's id: give it back to keep or change that row; leave it out to add one."""

    def __init__(self, **kwargs):
        super().__init__(required=False, help_text=self.__doc__, **kwargs)


class AttendeeSerializer(Strict):
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


class TopicNoteSerializer(Strict):
    id = RowId()
    topic_path = serializers.CharField(source="topic.path", read_only=True)

    class Meta:
        model = MeetingTopic
        fields = ["id", "topic", "topic_path", "note"]


class ActionRowSerializer(Strict):
    """An agreed action with the countries and organisations responsible for it."""

    id = RowId()
    countries = country_list(required=False, help_text="Responsible countries.")
    organizations = serializers.ListField(
        child=fields.RecordId(), required=False, help_text="Responsible organisations (ids)."
    )
    responsible_person_name = serializers.StringRelatedField(
        source="responsible_person", read_only=True, allow_null=True
    )
    is_overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

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
            "version",
        ]

    def get_is_overdue(self, action: Action) -> bool:
        return action.is_overdue()

    def to_representation(self, action):
        data = super().to_representation(action)
        parties = action.parties.all()
        data["countries"] = [p.country.code for p in parties if not p.organization_id]
        data["organizations"] = [p.organization_id for p in parties if p.organization_id]
        return data


class SourceSerializer(Strict):
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


class MeetingSerializer(Strict):
    """A meeting with every row; writes go through the meeting page's forms (see views)."""

    country = optional_country()
    host_country = optional_country()
    parent = fields.RecordId(
        source="visible_parent_id",
        allow_null=True,
        required=False,
        help_text="The meeting this one was held on the margins of.",
    )
    classification = fields.Choice(
        classification.choices(), required=False, help_text="Position on the marking scale, lowest 0."
    )
    timezone = fields.Choice(
        timezone_choices(), required=False, help_text="IANA time zone of the times, e.g. Africa/Nairobi."
    )
    classification_label = serializers.CharField(read_only=True)
    participants = country_list(
        required=False,
        help_text="Countries taking part; the host and every delegation are added on their own.",
    )
    mentioned = country_list(required=False, help_text="Countries discussed but not taking part.")
    version = serializers.IntegerField(read_only=True, help_text="Moves on by one with every save.")
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


class MeetingUpdateSerializer(MeetingSerializer):
    """A change of a meeting. PUT replaces it: the row lists are required (send ``[]`` for
    none), other fields left out take their defaults. PATCH changes only what it is given."""

    version = fields.VersionField()
    attendees = AttendeeSerializer(source="attendances", many=True)
    topics = TopicNoteSerializer(source="topic_notes", many=True)
    actions = ActionRowSerializer(many=True)
    sources = SourceSerializer(many=True)


class ActionSerializer(ActionRowSerializer):
    """An action on its own, with the meeting it was agreed at (set when it is created)."""

    meeting = serializers.IntegerField(
        source="meeting_id", read_only=True, help_text="Set when the action is created."
    )
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)

    class Meta(ActionRowSerializer.Meta):
        fields = ["id", "meeting", "meeting_title", *ActionRowSerializer.Meta.fields[1:]]


class ActionUpdateSerializer(ActionSerializer):
    """A change of an action. PUT replaces it: fields left out take their defaults (no
    person, no due date, no parties). PATCH changes only what it is given."""

    version = fields.VersionField()


class ActionCreateSerializer(ActionSerializer):
    meeting = fields.RecordId(
        source="meeting_id", help_text="The meeting the action was agreed at; it stays there."
    )


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
