"""The meeting page: the meeting's own form and a formset per kind of row, as one editor.

The forms read what the browser sent into typed values (dates, records chosen, choices);
the editor turns them into a ``MeetingInput`` and ``services.meeting_save`` checks every
rule and writes. The rule-breaking values come back keyed by field and row, and the
editor puts each message next to the field it is about.
"""

from __future__ import annotations

from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from meetings import classification, services, uploads
from meetings.choices import country_choices, timezone_choices, unknown_country
from meetings.forms.actions import offer_carried_only_when_carried
from meetings.forms.base import StyledFormMixin
from meetings.forms.fields import (
    LONG_TEXT,
    NOTE_TEXT,
    PREFETCHED_FIELDS,
    SOURCE_TEXT,
    PrefetchedModelMultipleChoiceField,
    TextField,
    is_record_id,
    record_formfield,
    textarea,
)
from meetings.forms.widgets import (
    ChoicesSelect,
    ChoicesSelectMultiple,
    DateInput,
    LookupSelect,
    LookupSelectMultiple,
    TimeInput,
)
from meetings.history import describe
from meetings.labels import organization_label, topic_label
from meetings.models import Action, Attendance, Meeting, MeetingTopic, Organization, Source, User
from meetings.services.meetings import MAX_ROWS, ROW_KINDS

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
        fields = [*Meeting.EDITABLE_FIELDS, "organizations"]
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
                stored = services.MeetingInput.of(self.instance, rows=False)
                self.initial["version"] = self.instance.version
                self.initial["participants"] = stored.participants
                self.initial["mentioned"] = stored.mentioned
        self.fields["parent"].queryset = parents
        # An event above the person's clearance that this meeting sat on the margins of is
        # neither shown nor offered; left empty, the service keeps the link as it is.
        stored_parent = self.instance.parent_id if self.instance.pk else None
        if stored_parent and not parents.filter(pk=stored_parent).exists():
            self.initial["parent"] = None
        self.fields["series"].empty_label = "None"
        self.fields["parent"].label = "On the margins of"

    def validate_constraints(self):
        # The rules behind the check constraints are the service's, with a message on the field.
        pass

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


class RowForm(StyledFormMixin, forms.ModelForm):
    """A row on the meeting page: it reads the row's values; the service checks the rules
    across rows and writes (a row may be removed and added again in one save)."""

    def validate_unique(self):
        pass

    def validate_constraints(self):
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


class AttendanceForm(RowForm):
    country_fields = ("delegation",)

    class Meta:
        model = Attendance
        fields = list(Attendance.EDITABLE_FIELDS)
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
        fields = list(MeetingTopic.EDITABLE_FIELDS)
        widgets = {
            "topic": LookupSelect("autocomplete", url_args=("topics",), create="topic", label=topic_label)
        }


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

    class Meta:
        model = Action
        fields = list(Action.EDITABLE_FIELDS)
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


class SourceForm(RowForm):
    text = TextField(
        required=False,
        max_length=SOURCE_TEXT,
        widget=textarea(3, SOURCE_TEXT),
        help_text="The text itself, or the passage that matters.",
    )

    class Meta:
        model = Source
        fields = list(Source.EDITABLE_FIELDS)
        widgets = {"published_on": DateInput, "url": forms.URLInput(attrs={"placeholder": "https://…"})}
        labels = {"published_on": "Published", "url": "Link"}
        help_texts = {"file": f"{uploads.ACCEPTED}; at most {uploads.MAX_FILE_BYTES // 1024 // 1024} MB."}


class RowFormSet(BaseInlineFormSet):
    """Rows of one kind on the meeting page; blank rows are ignored, removed rows skipped."""

    row_label = "Row"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "id" in form.fields:
            form.fields["id"].error_messages["invalid_choice"] = services.meetings.REMOVED_MEANWHILE
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def validate_unique(self):
        # Two rows for the same person or topic are the service's to refuse, by name.
        pass

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

    def inputs(self, row_class: type[services.meetings.RowInput]) -> list:
        rows = []
        for form in self.kept_forms():
            values = {name: form.cleaned_data.get(name) for name in row_class.model.EDITABLE_FIELDS}
            rows.append(row_class(id=form.instance.pk, **values, **self.extra_values(form)))
        return rows

    def extra_values(self, form) -> dict:
        return {}


class AttendanceFormSet(RowFormSet):
    row_label = "Attendee"


class MeetingTopicFormSet(RowFormSet):
    row_label = "Topic"


class ActionFormSet(RowFormSet):
    row_label = "Action"

    def extra_values(self, form) -> dict:
        return {
            "countries": list(form.cleaned_data.get("countries") or []),
            "organizations": list(form.cleaned_data.get("organizations") or []),
        }


class SourceFormSet(RowFormSet):
    row_label = "Source"

    def inputs(self, row_class):
        rows = super().inputs(row_class)
        for row in rows:
            if row.file is False:  # "Clear" ticked
                row.file = None
        return rows


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


# The page ---------------------------------------------------------------------------------


class MeetingEditor:
    """The whole meeting page: the meeting form and its row formsets, saved as one
    ``MeetingInput``. ``initial`` (a ``MeetingInput``) fills in a new meeting, as a
    press-release draft does."""

    def __init__(
        self,
        *,
        user: User,
        instance: Meeting,
        data=None,
        files=None,
        initial: services.MeetingInput | None = None,
    ):
        self.user = user
        self.instance = instance
        self.data, self.files = data, files
        meeting_initial, rows_initial = _initial(initial) if initial else ({}, {})
        self.form = MeetingForm(data, files, instance=instance, user=user, initial=meeting_initial)
        self.formsets = {
            prefix: formset_class(
                data, files, instance=instance, prefix=prefix, initial=rows_initial.get(prefix)
            )
            for prefix, formset_class in ROW_FORMSETS.items()
        }
        for prefix, formset in self.formsets.items():
            if instance.pk:
                formset.extra = 1  # blank rows for entering without JavaScript; fewer once there are rows
            elif prefix in rows_initial:
                formset.extra = len(rows_initial[prefix]) + 1
        self.refusal: str = ""
        self.changes_meanwhile: list[str] | None = None

    def __getattr__(self, name):
        # Lets templates say editor.attendees, editor.topics, …
        formsets = self.__dict__.get("formsets", {})
        if name in formsets:
            return formsets[name]
        raise AttributeError(name)

    def is_valid(self) -> bool:
        """Whether every value could be read; the rules are checked when saving. When some
        could not, the rules are checked on the rest now, so the page lists every problem."""
        valid = all([self.form.is_valid()] + [formset.is_valid() for formset in self.formsets.values()])
        if not valid and self.form.is_bound:
            self.check()
        return valid

    def check(self) -> bool:
        """Checks the rules without saving and shows what breaks them; whether none does."""
        errors = services.meeting_validate(
            user=self.user, meeting=self.instance if self.instance.pk else None, data=self.input()
        )
        self.show(errors, beside_others=False)
        return not errors

    @property
    def warnings(self) -> list[str]:
        return self.form.warnings

    def input(self) -> services.MeetingInput:
        data = getattr(self.form, "cleaned_data", {})
        meeting = services.MeetingInput(**{name: data.get(name) for name in Meeting.EDITABLE_FIELDS})
        meeting.organizations = list(data.get("organizations") or [])
        meeting.participants = list(data.get("participants") or [])
        meeting.mentioned = list(data.get("mentioned") or [])
        self._kept = {prefix: formset.kept_forms() for prefix, formset in self.formsets.items()}
        for prefix, formset in self.formsets.items():
            setattr(meeting, prefix, formset.inputs(ROW_KINDS[prefix]))
        return meeting

    def save(self) -> Meeting:
        """Saves through the service; a broken rule puts its messages on the page and is raised."""
        try:
            return services.meeting_save(
                user=self.user,
                data=self.input(),
                meeting=self.instance if self.instance.pk else None,
                expected_version=self.form.cleaned_data.get("version"),
            )
        except services.MeetingInvalid as invalid:
            self.show(invalid.errors)
            raise

    def show(self, errors: dict, *, beside_others: bool = True) -> None:
        """Puts the service's messages next to the fields and rows they are about; with
        ``beside_others`` False, not on a field that already shows a problem of its own."""

        def put(form, name, messages):
            name = name if name in form.fields else None
            if beside_others or name is None or name not in form.errors:
                form.add_error(name, messages)

        for name, messages in errors.items():
            if name in ROW_KINDS:
                for position, row_errors in messages.items():
                    for field_name, row_messages in row_errors.items():
                        put(self._kept[name][position], field_name, row_messages)
            else:
                put(self.form, name, messages)

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


def _initial(data: services.MeetingInput) -> tuple[dict, dict[str, list[dict]]]:
    """A ``MeetingInput`` as the initial values of the page's forms."""
    meeting = {name: _initial_value(getattr(data, name)) for name in Meeting.EDITABLE_FIELDS}
    for name in ("organizations", "participants", "mentioned"):
        if getattr(data, name) is not None:
            meeting[name] = [_initial_value(value) for value in getattr(data, name)]
    rows = {}
    for prefix in ROW_KINDS:
        given = getattr(data, prefix)
        if given is not None:
            rows[prefix] = [_row_initial(row) for row in given]
    return meeting, rows


def _row_initial(row) -> dict:
    values = {name: _initial_value(value) for name, value in row.values().items()}
    if isinstance(row, services.ActionInput):
        values["countries"] = list(row.countries)
        values["organizations"] = [_initial_value(o) for o in row.organizations]
    return values


def _initial_value(value):
    return value.pk if hasattr(value, "pk") else value
