"""Widgets shared by forms and filters: type-ahead boxes, long choice lists, dates and times."""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from meetings.forms.fields import is_record_id


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


class AutocompleteSelect(forms.Select):
    """A select that holds only the chosen option and searches the server for others.

    Lists of people or organisations run to thousands; rendering them all as options
    would make every page heavy. static/js/app.js turns this into a Tom Select box that
    asks ``/autocomplete/<kind>/?q=…`` as the person types.
    """

    def __init__(self, kind: str, attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-autocomplete": reverse("autocomplete", args=[self.kind])}
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        # Only ids a database integer can hold: the box re-shows whatever the address asked for.
        chosen = {str(v) for v in value if is_record_id(str(v))}
        groups = []
        if chosen:
            queryset = self.choices.queryset.filter(pk__in=chosen)
            options = [self.create_option(name, obj.pk, str(obj), True, i) for i, obj in enumerate(queryset)]
            groups.append((None, options, 0))
        return [(None, [self.create_option(name, "", "", not chosen, 0)], 0), *groups]


class QuickSelect(forms.Select):
    """A select whose options are written in Python rather than one template each.

    Django renders every option through its own template; for the 250 countries of a
    filter that was a third of a list page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )
