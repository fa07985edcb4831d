"""Form widgets shared by filters and forms."""

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def is_record_id(value: str) -> bool:
    """Whether ``value`` could be a stored id: digits a database integer can hold (SQLite
    raises on a larger one rather than finding nothing)."""
    return value.isascii() and value.isdigit() and int(value) < 2**63


def unstorable_id(value) -> bool:
    """Whether ``value`` is a whole number, of either sign, too large for any database integer."""
    text = str(value).strip()
    digits = text[1:] if text[:1] in ("-", "+") else text
    return digits.isascii() and digits.isdigit() and not -(2**63) <= int(text) < 2**63


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
