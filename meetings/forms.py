"""Forms for entering records.

The meeting page is one ``MeetingEditor``: the meeting's own form plus four row formsets
(attendees, topics, actions, sources), validated together and saved through
``services.meeting_save``. People, organisations and topics have plain model forms,
which also serve the "add new" dialogs of the meeting page.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import cache
from html import escape

from django import forms
from django.db import models
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django_countries import countries

from meetings import classification, services, uploads
from meetings.country_names import country_name
from meetings.history import describe
from meetings.models import (
    Action,
    Attendance,
    Meeting,
    MeetingTopic,
    Organization,
    Person,
    Source,
    Topic,
    User,
)
from meetings.widgets import is_record_id, unstorable_id

LONG_TEXT = 20_000
NOTE_TEXT = 5_000
SOURCE_TEXT = 100_000
MAX_ROWS = 200


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def country_choices() -> list[tuple[str, str]]:
    return _country_choices(translation.get_language())


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    # Plain strings: the lazy names cost a translation lookup on every render of every list.
    return [(code, str(name)) for code, name in countries]


def unknown_country(value: str = "%(value)s") -> dict[str, str]:
    return {"invalid_choice": f"Unknown country code “{value}”."}


def person_label(person: Person) -> str:
    return f"{person.name} — {person.title}" if person.title else person.name


def organization_label(organization: Organization) -> str:
    """Many ministries share a name: the country tells them apart."""
    country = country_name(organization.country) if organization.country else ""
    return f"{organization} · {country}" if country else str(organization)


def topic_label(topic: Topic) -> str:
    return topic.path


# Widgets ----------------------------------------------------------------------------------


class LookupSelect(forms.Select):
    """A type-ahead select (Tom Select) asking ``url_name`` for matches as the person types.

    It renders only the chosen options, so a list of thousands of people stays light.
    With ``create`` set, the dropdown offers "Add new …", which opens the quick-create
    dialog of that kind (see templates/meetings/partials/quick_create_dialogs.html).
    """

    def __init__(self, url_name: str, *, url_args: tuple = (), create: str = "", label=str, attrs=None):
        super().__init__(attrs)
        self.url_name, self.url_args, self.create, self.label = url_name, url_args, create, label

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-lookup": reverse(self.url_name, args=self.url_args)}
        if self.create:
            attrs["data-create"] = self.create
        return super().get_context(name, value, attrs)

    def chosen(self, value) -> list:
        # Only whole numbers in range reach the database: a tampered value must not cause a 500.
        pks = {int(v) for v in value if str(v).isdigit() and len(str(v)) < 18}
        return list(self.choices.queryset.filter(pk__in=pks)) if pks else []

    def optgroups(self, name, value, attrs=None):
        chosen = self.chosen(value)
        options = [
            self.create_option(name, obj.pk, self.label(obj), True, i + 1) for i, obj in enumerate(chosen)
        ]
        if not self.allow_multiple_selected:
            options.insert(0, self.create_option(name, "", "", not chosen, 0))
        return [(None, options, 0)]


class LookupSelectMultiple(LookupSelect, forms.SelectMultiple):
    allow_multiple_selected = True


class QuickOptionsMixin:
    """Renders the options by joining strings.

    Django renders each option through its own template; a meeting page holds a dozen
    lists of 250 countries, which took seconds that way and takes milliseconds this way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(str(option["value"]))}"{" selected" if option["selected"] else ""}>'
            f"{escape(str(option['label']))}</option>"
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        attrs = flatatt(widget["attrs"])
        return mark_safe(f'<select name="{escape(widget["name"])}"{attrs}>{options}</select>')


class ChoicesSelect(QuickOptionsMixin, forms.Select):
    """A select with a long, fixed list (countries, time zones): searchable with Tom Select."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-choices": "", **(attrs or {})}, choices)


class ChoicesSelectMultiple(QuickOptionsMixin, forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-choices": "", **(attrs or {})}, choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class TextField(forms.CharField):
    """Text from a textarea, with line breaks as stored: browsers send CRLF, which would make
    every untouched text look changed (and be saved again) on each save."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def textarea(rows: int, max_length: int | None = None) -> forms.Textarea:
    attrs = {"rows": rows}
    if max_length:
        attrs["maxlength"] = max_length
    return forms.Textarea(attrs=attrs)


# Form basics ------------------------------------------------------------------------------


class StyledFormMixin:
    """Bootstrap classes on every widget, and ``is-invalid`` on those with errors."""

    country_fields: tuple[str, ...] = ()  # single-country model fields, listed to speed their rendering

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.country_fields:
            if name in self.fields:
                self.fields[name].choices = [("", ""), *country_choices()]
        for form_field in self.fields.values():
            widget = form_field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        # Every error passes here, including those a formset or the page adds after cleaning.
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class PrefetchedModelChoiceField(forms.ModelChoiceField):
    """A record choice that first looks among ``known``: the records its formset fetched
    for every row in one query, instead of one query per row and field.
    """

    known: dict[str, models.Model] | None = None

    def to_python(self, value):
        if self.known is not None and value not in self.empty_values:
            found = self.known.get(str(value))
            if found is not None:
                return found
        if unstorable_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class PrefetchedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several record choices, looked up among ``known`` like PrefetchedModelChoiceField."""

    known: dict[str, models.Model] | None = None

    def _check_values(self, value):
        keys = [str(v) for v in value]
        if self.known is not None and all(key in self.known for key in keys):
            return [self.known[key] for key in dict.fromkeys(keys)]
        for key in keys:
            if unstorable_id(key):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
                )
        return super()._check_values(value)


PREFETCHED_FIELDS = (PrefetchedModelChoiceField, PrefetchedModelMultipleChoiceField)


def record_formfield(db_field, **kwargs):
    """Form fields for model fields, with record choices that can be fetched in bulk and
    that take an id no database integer holds as no record."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", PrefetchedModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", PrefetchedModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class RowForm(StyledFormMixin, forms.ModelForm):
    """A row on the meeting page.

    Uniqueness between rows is checked by the formset on the submitted set (a row may be
    removed and added again in one save), not against the stored rows this save changes;
    the database constraints still hold the line when the service writes.
    """

    def validate_unique(self):
        pass

    def _get_validation_exclusions(self):
        # A record chosen in a ModelChoiceField was fetched from the database by that
        # field; the model's own foreign-key check would look it up a second time.
        exclusions = super()._get_validation_exclusions()
        exclusions.update(
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField)
            and not isinstance(field, forms.ModelMultipleChoiceField)
        )
        return exclusions

    # Check constraints this form's clean() already enforces, with a message on the field;
    # Django would check each again with a query per row.
    checked_in_clean: tuple[str, ...] = ()

    def validate_constraints(self):
        exclude = self._get_validation_exclusions()
        for constraint in self.instance._meta.constraints:
            if isinstance(constraint, UniqueConstraint) or constraint.name in self.checked_in_clean:
                continue
            try:
                constraint.validate(type(self.instance), self.instance, exclude=exclude)
            except forms.ValidationError as error:
                self._update_errors(error)


# The meeting ------------------------------------------------------------------------------


class MeetingForm(StyledFormMixin, forms.ModelForm):
    country_fields = ("country", "host_country")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    timezone = forms.ChoiceField(
        label="Time zone",
        initial="UTC",
        widget=ChoicesSelect,
        help_text="Of the times, e.g. Africa/Nairobi.",
    )
    summary = TextField(required=False, max_length=LONG_TEXT, widget=textarea(5, LONG_TEXT))
    outcome = TextField(
        required=False,
        max_length=LONG_TEXT,
        widget=textarea(4, LONG_TEXT),
        help_text="What was agreed or announced, e.g. a joint statement.",
    )
    participants = forms.MultipleChoiceField(
        label="Other countries taking part",
        required=False,
        widget=ChoicesSelectMultiple,
        error_messages=unknown_country(),
        help_text="The host and every delegation below are added on their own.",
    )
    mentioned = forms.MultipleChoiceField(
        label="Countries mentioned",
        required=False,
        widget=ChoicesSelectMultiple,
        error_messages=unknown_country(),
        help_text="Discussed, but not taking part.",
    )

    class Meta:
        formfield_callback = record_formfield
        model = Meeting
        fields = [
            "title",
            "kind",
            "status",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "timezone",
            "city",
            "venue",
            "country",
            "host_country",
            "parent",
            "series",
            "classification",
            "summary",
            "outcome",
            "organizations",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "start_time": TimeInput,
            "end_time": TimeInput,
            "country": ChoicesSelect,
            "host_country": ChoicesSelect,
            "parent": LookupSelect("autocomplete", url_args=("meetings",)),
            "organizations": LookupSelectMultiple(
                "organization-lookup", create="organization", label=organization_label
            ),
        }
        labels = {"start_date": "Date", "end_date": "End date", "country": "Country (where)"}
        help_texts = {"organizations": "Ministries, forces, units and centres involved or mentioned."}
        error_messages = {
            "country": unknown_country(),
            "host_country": unknown_country(),
            "start_date": {"invalid": "Enter a real date, e.g. 2024-02-26."},
            "end_date": {"invalid": "Enter a real date, e.g. 2024-02-27."},
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["timezone"].choices = timezone_choices()
        self.fields["participants"].choices = country_choices()
        self.fields["mentioned"].choices = country_choices()
        marking = self.fields["classification"]
        marking.choices = [
            (level, name) for level, name in classification.choices() if level <= user.clearance
        ]
        marking.error_messages["invalid_choice"] = (
            f"Choose a marking at or below your clearance ({user.clearance_label})."
        )
        parents = Meeting.objects.visible_to(user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = "This form is incomplete: reload the page."
            if not self.is_bound:
                self.initial["version"] = self.instance.version
                rows = list(self.instance.countries.all())
                self.initial["participants"] = self._extra_participants(rows)
                self.initial["mentioned"] = [r.country.code for r in rows if r.role == "mentioned"]
        self.fields["parent"].queryset = parents
        # An event above the person's clearance that this meeting sat on the margins of is
        # neither shown nor offered; left empty, the link is kept as it is (see clean_parent).
        self.withheld_parent_id = None
        stored_parent = self.instance.parent_id if self.instance.pk else None
        if stored_parent and not parents.filter(pk=stored_parent).exists():
            self.withheld_parent_id = stored_parent
            self.initial["parent"] = None
        self.fields["series"].empty_label = "None"
        self.fields["parent"].label = "On the margins of"

    def _extra_participants(self, rows) -> list[str]:
        derived = set(self.instance.attendances.exclude(delegation="").values_list("delegation", flat=True))
        if self.instance.host_country:
            derived.add(self.instance.host_country.code)
        return [r.country.code for r in rows if r.role == "participant" and r.country.code not in derived]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is None and self.withheld_parent_id:
            return Meeting.objects.filter(pk=self.withheld_parent_id).first()
        return parent

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if start and start_time and end_time and end in (None, start) and end_time < start_time:
            self.add_error("end_time", "On a one-day meeting the end time cannot be before the start time.")
        parent = data.get("parent")
        if parent and self.instance.pk:
            node, steps = parent, 0
            while node is not None and steps < 100:
                if node.pk == self.instance.pk:
                    self.add_error(
                        "parent", "A meeting cannot be on the margins of itself or of its own side meeting."
                    )
                    break
                node, steps = node.parent, steps + 1
        return data

    @property
    def warnings(self) -> list[str]:
        """Odd but allowed: the person is told after saving, not stopped."""
        data = getattr(self, "cleaned_data", {})
        found = []
        if data.get("kind") == Meeting.Kind.CALL and (data.get("city") or data.get("venue")):
            found.append(
                "This meeting is a phone or video call but has a place "
                f"({', '.join(p for p in (data.get('venue'), data.get('city')) if p)}): "
                "check whether the kind or the place is right."
            )
        return found


# Rows -----------------------------------------------------------------------------------


class AttendanceForm(RowForm):
    country_fields = ("delegation",)

    class Meta:
        model = Attendance
        fields = ["person", "organization", "title", "delegation", "role", "status"]
        widgets = {
            "person": LookupSelect("person-lookup", create="person"),
            "organization": LookupSelect(
                "organization-lookup", create="organization", label=organization_label
            ),
            "delegation": ChoicesSelect,
        }
        labels = {"organization": "Organisation on the day", "title": "Title on the day"}
        error_messages = {"delegation": unknown_country()}


class MeetingTopicForm(RowForm):
    note = TextField(
        required=False,
        max_length=NOTE_TEXT,
        widget=textarea(2, NOTE_TEXT),
        help_text="What was said about it.",
    )

    class Meta:
        model = MeetingTopic
        fields = ["topic", "note"]
        widgets = {
            "topic": LookupSelect("autocomplete", url_args=("topics",), create="topic", label=topic_label)
        }


def offer_carried_only_when_carried(form: forms.ModelForm) -> None:
    """ "Carried over" is set by carrying the action into a later meeting, never picked by hand."""
    if form.instance.status != Action.Status.CARRIED:
        status = form.fields["status"]
        status.choices = [choice for choice in status.choices if choice[0] != Action.Status.CARRIED]


class ActionForm(RowForm):
    countries = forms.MultipleChoiceField(
        label="Responsible countries",
        required=False,
        widget=ChoicesSelectMultiple,
        error_messages=unknown_country(),
    )
    organizations = PrefetchedModelMultipleChoiceField(
        label="Responsible organisations",
        queryset=Organization.objects.all(),
        required=False,
        widget=LookupSelectMultiple("organization-lookup", create="organization", label=organization_label),
    )
    completion_note = TextField(required=False, max_length=NOTE_TEXT, widget=textarea(1, NOTE_TEXT))
    checked_in_clean = ("action_done_has_completion_date", "action_completion_date_only_when_closed")

    class Meta:
        model = Action
        fields = [
            "description",
            "responsible_person",
            "due_date",
            "status",
            "completed_on",
            "completion_note",
        ]
        widgets = {
            "description": textarea(2, 500),
            "responsible_person": LookupSelect("person-lookup", create="person"),
            "due_date": DateInput,
            "completed_on": DateInput,
        }
        labels = {"responsible_person": "Responsible person", "completed_on": "Done on"}
        field_classes = {"description": TextField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_carried_only_when_carried(self)
        self.fields["countries"].choices = country_choices()
        if self.instance.pk:
            parties = list(self.instance.parties.all())
            self.initial.setdefault("countries", [p.country.code for p in parties if not p.organization_id])
            self.initial.setdefault(
                "organizations", [p.organization_id for p in parties if p.organization_id]
            )

    def clean(self):
        data = super().clean()
        status, done_on = data.get("status"), data.get("completed_on")
        if status == Action.Status.DONE and not done_on and "completed_on" not in self.errors:
            self.add_error("completed_on", "Give the date a done action was completed.")
        elif done_on and status and status not in (Action.Status.DONE, Action.Status.CANCELLED):
            self.add_error("completed_on", "Only a done or cancelled action has a completion date.")
        return data


def check_due_date(form: ActionForm, start: datetime.date) -> bool:
    """Puts the error on an action form due before its meeting's ``start``; whether it did."""
    due = form.cleaned_data.get("due_date")
    if due and due < start:
        form.add_error(
            "due_date", f"The due date cannot be before the meeting ({date_format(start, 'j M Y')})."
        )
        return True
    return False


class SourceForm(RowForm):
    text = TextField(
        required=False,
        max_length=SOURCE_TEXT,
        widget=textarea(3, SOURCE_TEXT),
        help_text="The text itself, or the passage that matters.",
    )
    checked_in_clean = ("source_has_link_file_or_text",)

    class Meta:
        model = Source
        fields = ["kind", "title", "url", "file", "published_on", "text"]
        widgets = {"published_on": DateInput, "url": forms.URLInput(attrs={"placeholder": "https://…"})}
        labels = {"published_on": "Published", "url": "Link"}
        help_texts = {"file": f"{uploads.ACCEPTED}; at most {uploads.MAX_FILE_BYTES // 1024 // 1024} MB."}

    def clean(self):
        data = super().clean()
        given = data.get("url") or data.get("file") or data.get("text")
        if not given and not self.errors.get("url") and not self.errors.get("file"):
            self.add_error("url", "Give a link, a file or the text itself.")
        return data


class RowFormSet(BaseInlineFormSet):
    """Rows of one kind on the meeting page; blank rows are ignored, removed rows skipped."""

    unique_field: str | None = None
    duplicate_message = "{value} is already listed above."
    row_label = "Row"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "id" in form.fields:
            form.fields["id"].error_messages["invalid_choice"] = (
                "This row was removed by someone else meanwhile: "
                "remove it here too, or add it again as a new row."
            )
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def full_clean(self):
        self._fetch_chosen_records()
        super().full_clean()

    def _fetch_chosen_records(self) -> None:
        """The records chosen in every row, one query per field, handed to the rows' fields."""
        if not self.is_bound or not self.forms:
            return
        chosen: dict[str, set[str]] = {}
        for form in self.forms:
            for name, field in form.fields.items():
                if isinstance(field, PREFETCHED_FIELDS):
                    data = form[name].data
                    values = {str(v) for v in (data if isinstance(data, list | tuple) else [data]) if v}
                    chosen.setdefault(name, set()).update(v for v in values if is_record_id(v))
        for name, values in chosen.items():
            queryset = self.forms[0].fields[name].queryset
            known = {str(pk): record for pk, record in queryset.in_bulk(values).items()} if values else {}
            for form in self.forms:
                form.fields[name].known = known

    def kept_forms(self) -> list:
        """Rows that will exist after saving: stored rows not removed, and filled-in new rows."""
        return [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]

    def clean(self):
        # Replaces Django's generic "Please correct the duplicate data" with a message on the row.
        if self.unique_field is None:
            return
        seen = set()
        for form in self.kept_forms():
            value = form.cleaned_data.get(self.unique_field)
            if value is None:
                continue
            if value.pk in seen:
                form.add_error(self.unique_field, self.duplicate_message.format(value=value))
            seen.add(value.pk)

    def rows(self) -> services.Rows:
        changed = [f.instance for f in self.kept_forms() if f.has_changed()]
        removed = [f.instance for f in self.deleted_forms if f.instance.pk]
        return services.Rows(save=changed, delete=removed)


class AttendanceFormSet(RowFormSet):
    unique_field = "person"
    duplicate_message = "{value} is already listed as an attendee."
    row_label = "Attendee"

    def clean(self):
        super().clean()
        heads = set()
        for form in self.kept_forms():
            data = form.cleaned_data
            if data.get("role") != Attendance.Role.HEAD or "delegation" in form.errors:
                continue
            delegation = data.get("delegation") or ""
            if delegation in heads:
                form.add_error(
                    "role",
                    "A delegation has one head: another attendee of the same delegation is already its head.",
                )
            heads.add(delegation)


class MeetingTopicFormSet(RowFormSet):
    unique_field = "topic"
    duplicate_message = "“{value}” is already listed as a topic."
    row_label = "Topic"


class ActionFormSet(RowFormSet):
    row_label = "Action"

    def rows(self) -> services.Rows:
        saved = [
            services.ActionInput(
                action=f.instance,
                countries=list(f.cleaned_data.get("countries") or []),
                organizations=list(f.cleaned_data.get("organizations") or []),
            )
            for f in self.kept_forms()
            if f.has_changed()
        ]
        return services.Rows(save=saved, delete=[f.instance for f in self.deleted_forms if f.instance.pk])


class SourceFormSet(RowFormSet):
    row_label = "Source"


def row_formset(model, form, formset, extra: int):
    return inlineformset_factory(
        Meeting,
        model,
        form=form,
        formset=formset,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
        formfield_callback=record_formfield,
    )


ROW_FORMSETS = {
    "attendees": row_formset(Attendance, AttendanceForm, AttendanceFormSet, extra=2),
    "topics": row_formset(MeetingTopic, MeetingTopicForm, MeetingTopicFormSet, extra=2),
    "actions": row_formset(Action, ActionForm, ActionFormSet, extra=2),
    "sources": row_formset(Source, SourceForm, SourceFormSet, extra=1),
}


class MeetingEditor:
    """The whole meeting page: the meeting form and its row formsets, valid or not together."""

    def __init__(self, *, user: User, instance: Meeting, data=None, files=None):
        self.user = user
        self.instance = instance
        self.data, self.files = data, files
        self.form = MeetingForm(data, files, instance=instance, user=user)
        self.formsets = {
            prefix: formset_class(data, files, instance=instance, prefix=prefix)
            for prefix, formset_class in ROW_FORMSETS.items()
        }
        if instance.pk:
            for formset in self.formsets.values():
                formset.extra = 1  # blank rows for entering without JavaScript; fewer once there are rows
        self.refusal: str = ""
        self.changes_meanwhile: list[str] | None = None

    def __getattr__(self, name):
        # Lets templates say editor.attendees, editor.topics, …
        formsets = self.__dict__.get("formsets", {})
        if name in formsets:
            return formsets[name]
        raise AttributeError(name)

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets.values()]
        start = self.form.cleaned_data.get("start_date") if hasattr(self.form, "cleaned_data") else None
        if start:
            for form in self.formsets["actions"].kept_forms():
                if check_due_date(form, start):
                    results.append(False)
        return all(results)

    @property
    def warnings(self) -> list[str]:
        return self.form.warnings

    def save(self) -> Meeting:
        data = self.form.cleaned_data
        return services.meeting_save(
            user=self.user,
            meeting=self.form.instance,
            expected_version=data.get("version"),
            organizations=data.get("organizations") or [],
            participants=data.get("participants") or [],
            mentioned=data.get("mentioned") or [],
            attendances=self.formsets["attendees"].rows(),
            topics=self.formsets["topics"].rows(),
            actions=self.formsets["actions"].rows(),
            sources=self.formsets["sources"].rows(),
        )

    def after_conflict(self, conflict: services.MeetingConflict) -> MeetingEditor:
        """The same typed values, now based on the current version: saving again replaces it."""
        data = self.data.copy()
        data["version"] = str(conflict.current.version)
        fresh = MeetingEditor(user=self.user, instance=conflict.current, data=data, files=self.files)
        fresh.changes_meanwhile = describe(conflict.changes)
        return fresh

    def error_summary(self) -> list[tuple[str, str, str]]:
        """Every error as (where, message, anchor), in page order, for the list at the top."""
        summary = []
        form = self.form
        if not form.is_bound:
            return summary
        for message in form.non_field_errors():
            summary.append(("Meeting", message, "meeting-fields"))
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            label = form.fields[name].label if name in form.fields else name
            anchor = f"group-{form[name].auto_id}" if name in form.fields else "meeting-fields"
            summary.extend((str(label or name).capitalize(), message, anchor) for message in errors)
        for prefix, formset in self.formsets.items():
            for message in formset.non_form_errors():
                summary.append((prefix.capitalize(), message, prefix))
            for index, row in enumerate(formset.forms):
                if formset.can_delete and formset._should_delete_form(row):
                    continue
                for name, errors in row.errors.items():
                    where = f"{formset.row_label} {index + 1}"
                    if name in row.fields and name != "__all__":
                        where += f" · {row.fields[name].label or name}"
                    summary.extend((where, message, f"{prefix}-{index}") for message in errors)
        if self.files and summary and any(f.name for f in self.files.values()):
            summary.append(
                ("Sources", "Files are not kept when the form has errors: choose them again.", "sources")
            )
        return summary


# People, organisations, topics -----------------------------------------------------------


class DuplicateGuardMixin:
    """Refuses a name that probably duplicates an existing record, unless the person confirms."""

    confirm_label = "This is a different record from those listed"

    def similar_records(self, name: str) -> list:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_new"] = forms.BooleanField(
            label=self.confirm_label,
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        )
        self.similar: list = []

    def clean(self):
        data = super().clean()
        name = data.get("name")
        renamed = not self.instance.pk or "name" in self.changed_data
        if name and renamed and not data.get("confirm_new"):
            self.similar = self.similar_records(name)
            if self.similar:
                names = "; ".join(self.describe(record) for record in self.similar)
                self.add_error(
                    "name",
                    f"Already recorded under a similar name: {names}. Use the existing record, "
                    f"or tick “{self.confirm_label}”.",
                )
        return data

    def describe(self, record) -> str:
        return str(record)


class VersionedFormMixin:
    """A hidden ``version``, the one the person opened: saving moves it on, and refuses
    (``services.VersionConflict``) when someone saved the record meanwhile. Left out (an
    import), the version still moves on. Save inside a transaction."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def save(self, commit=True):
        if commit:
            services.record_version_claim(self.instance, self.cleaned_data.get("version"))
        return super().save(commit)


class PersonForm(VersionedFormMixin, DuplicateGuardMixin, StyledFormMixin, forms.ModelForm):
    country_fields = ("country",)
    confirm_label = "This is a different person from those listed"
    notes = TextField(required=False, max_length=LONG_TEXT, widget=textarea(3, LONG_TEXT))

    class Meta:
        formfield_callback = record_formfield
        model = Person
        fields = ["name", "honorific", "country", "organization", "title", "email", "notes"]
        widgets = {
            "country": ChoicesSelect,
            "organization": LookupSelect("organization-lookup", label=organization_label),
        }
        labels = {"organization": "Current organisation", "title": "Current title"}
        error_messages = {"country": unknown_country()}

    def similar_records(self, name: str) -> list:
        return services.similar_people(name, exclude_pk=self.instance.pk)

    def describe(self, record) -> str:
        details = ", ".join(
            str(x) for x in (record.title, record.country.name if record.country else "") if x
        )
        return f"{record.name} ({details})" if details else record.name


class PersonQuickForm(PersonForm):
    """The "add new person" dialog of the meeting page."""

    notes = None

    class Meta(PersonForm.Meta):
        fields = ["name", "country", "organization", "title"]


class OrganizationForm(VersionedFormMixin, DuplicateGuardMixin, StyledFormMixin, forms.ModelForm):
    country_fields = ("country",)
    confirm_label = "This is a different organisation from those listed"

    class Meta:
        formfield_callback = record_formfield
        model = Organization
        fields = ["name", "acronym", "kind", "country", "parent", "contact_email"]
        widgets = {
            "country": ChoicesSelect,
            "parent": LookupSelect("organization-lookup", label=organization_label),
        }
        labels = {"parent": "Part of"}
        error_messages = {"country": unknown_country()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].queryset = Organization.objects.exclude(pk=self.instance.pk)

    def similar_records(self, name: str) -> list:
        country = self.cleaned_data.get("country") or ""
        return services.similar_organizations(name, country=str(country), exclude_pk=self.instance.pk)

    def describe(self, record) -> str:
        return f"{record} ({record.country.name})" if record.country else str(record)


class OrganizationQuickForm(OrganizationForm):
    class Meta(OrganizationForm.Meta):
        fields = ["name", "acronym", "kind", "country"]


class TopicForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    description = TextField(required=False, max_length=LONG_TEXT, widget=textarea(3, LONG_TEXT))
    related_countries = forms.MultipleChoiceField(
        required=False, widget=ChoicesSelectMultiple, error_messages=unknown_country()
    )

    class Meta:
        formfield_callback = record_formfield
        model = Topic
        fields = ["name", "parent", "description", "related_countries"]
        widgets = {"parent": LookupSelect("autocomplete", url_args=("topics",), label=topic_label)}
        labels = {"parent": "Under"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "related_countries" not in self.fields:
            return
        self.fields["related_countries"].choices = country_choices()
        if self.instance.pk and not self.is_bound:
            self.initial["related_countries"] = [c.code for c in self.instance.related_countries]

    def clean(self):
        data = super().clean()
        name, parent = data.get("name"), data.get("parent")
        if (
            name
            and Topic.objects.filter(parent=parent, name__iexact=name).exclude(pk=self.instance.pk).exists()
        ):
            where = f"under “{parent}”" if parent else "at the top level"
            self.add_error("name", f"There is already a topic “{name}” {where}.")
        return data


class TopicQuickForm(TopicForm):
    description = related_countries = None

    class Meta(TopicForm.Meta):
        fields = ["name", "parent"]


# Quick action updates ---------------------------------------------------------------------


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
