"""Form widgets shared by filters and forms."""

from django import forms
from django.urls import reverse


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
        chosen = {str(v) for v in value if v not in (None, "")}
        groups = []
        if chosen:
            queryset = self.choices.queryset.filter(pk__in=chosen)
            options = [self.create_option(name, obj.pk, str(obj), True, i) for i, obj in enumerate(queryset)]
            groups.append((None, options, 0))
        return [(None, [self.create_option(name, "", "", not chosen, 0)], 0), *groups]
