"""Form fields: text as stored, record choices fetched in bulk, ids no database could hold."""

from __future__ import annotations

from django import forms
from django.db import models

LONG_TEXT = 20_000
NOTE_TEXT = 5_000
SOURCE_TEXT = 100_000


def is_record_id(value: str) -> bool:
    """Whether ``value`` could be a stored id: digits a database integer can hold (SQLite
    raises on a larger one rather than finding nothing)."""
    return value.isascii() and value.isdigit() and int(value) < 2**63


def unstorable_id(value) -> bool:
    """Whether ``value`` is a whole number, of either sign, too large for any database integer."""
    text = str(value).strip()
    digits = text[1:] if text[:1] in ("-", "+") else text
    return digits.isascii() and digits.isdigit() and not -(2**63) <= int(text) < 2**63


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
