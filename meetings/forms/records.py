"""People, organisations and topics: their pages' forms and the meeting page's "Add new" dialogs."""

from __future__ import annotations

from django import forms

from meetings import services
from meetings.choices import country_choices, unknown_country
from meetings.forms.base import StyledFormMixin
from meetings.forms.fields import LONG_TEXT, TextField, record_formfield, textarea
from meetings.forms.widgets import ChoicesSelect, ChoicesSelectMultiple, LookupSelect
from meetings.labels import organization_label, topic_label
from meetings.models import Organization, Person, Topic


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
