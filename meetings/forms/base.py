"""What every form of the app shares: its look, and errors marked on the widgets."""

from __future__ import annotations

from django import forms

from meetings.choices import country_choices


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
