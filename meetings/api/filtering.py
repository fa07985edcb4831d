"""The lists' own FilterSets as API query parameters, each typed in the schema and checked
before filtering: a value of the wrong type is a 400 that names the parameter.

An id of the right type that names no record is no error: the list simply has nothing
for it, as a bookmarked link to a deleted topic would.
"""

from __future__ import annotations

import datetime

import django_filters
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from rest_framework.exceptions import ValidationError

from meetings.api.fields import MAX_ID
from meetings.filters import RecordFilter

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
BOOLEAN_VALUES = {"true": True, "false": False}


def _range_names(name: str) -> tuple[str, str]:
    return f"{name}_after", f"{name}_before"


def _choice_schema(choices) -> dict:
    values = [value for value, _label in (choices() if callable(choices) else choices)]
    kind = "integer" if values and all(isinstance(value, int) for value in values) else "string"
    return {"type": kind, "enum": values}


def parameters(filterset_class) -> list[dict]:
    """The query parameters of a FilterSet, typed."""
    found = []
    for name, spec in filterset_class.base_filters.items():
        label = str(spec.label or name)
        if isinstance(spec, django_filters.DateFromToRangeFilter):
            after, before = _range_names(name)
            found += [
                (after, {"type": "string", "format": "date"}, f"{label}: on or after (YYYY-MM-DD)."),
                (before, {"type": "string", "format": "date"}, f"{label}: on or before (YYYY-MM-DD)."),
            ]
        elif isinstance(spec, RecordFilter):
            found.append((name, ID_SCHEMA, f"{label}: the record's id."))
        elif isinstance(spec, django_filters.MultipleChoiceFilter):
            schema = {"type": "array", "items": _choice_schema(spec.extra["choices"])}
            found.append((name, schema, f"{label}: one or more (repeat the parameter)."))
        elif isinstance(spec, django_filters.ChoiceFilter):
            found.append((name, _choice_schema(spec.extra["choices"]), label))
        elif isinstance(spec, django_filters.BooleanFilter):
            found.append((name, {"type": "boolean"}, f"{label}: true or false."))
        else:
            found.append((name, {"type": "string"}, label))
    return [
        {"name": name, "in": "query", "required": False, "description": text, "schema": schema}
        | ({"style": "form", "explode": True} if schema["type"] == "array" else {})
        for name, schema, text in found
    ]


def _type_errors(filterset_class, query: QueryDict) -> dict[str, list[str]]:
    """Parameters of the wrong type, by name, with their messages."""
    errors: dict[str, list[str]] = {}
    for name, spec in filterset_class.base_filters.items():
        if isinstance(spec, django_filters.DateFromToRangeFilter):
            for param in _range_names(name):
                value = query.get(param, "")
                if value and not _is_date(value):
                    errors[param] = ["Enter a date as YYYY-MM-DD."]
        elif not query.get(name, ""):
            continue
        elif isinstance(spec, RecordFilter) and not _is_id(query[name]):
            errors[name] = ["Expected the id of a record (a whole number from 1)."]
        elif isinstance(spec, django_filters.BooleanFilter) and query[name].lower() not in BOOLEAN_VALUES:
            errors[name] = ["Expected true or false."]
    return errors


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID


class Filters(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for name, spec in self.get_filterset_class(view, queryset).base_filters.items():
            # The form's check box takes any value but "false" as ticked: here only "true" is.
            if isinstance(spec, django_filters.BooleanFilter) and name in data:
                data[name] = "true" if BOOLEAN_VALUES.get(data[name].lower()) else "false"
        kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        errors = _type_errors(filterset_class, request.query_params)
        if errors:
            raise ValidationError(errors)
        filterset = self.get_filterset(request, queryset, view)
        if filterset.is_valid():
            return filterset.qs
        missing = {
            name
            for name, field_errors in filterset.errors.as_data().items()
            if isinstance(filterset.filters.get(name), RecordFilter)
            and all(error.code == "invalid_choice" for error in field_errors)
        }
        if missing and set(filterset.errors) <= missing:
            return queryset.none()  # an id that names no record the person may see: nothing matches
        raise ValidationError(
            {name: [str(message) for message in messages] for name, messages in filterset.errors.items()}
        )


class FiltersExtension(OpenApiFilterExtension):
    target_class = Filters
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        view = auto_schema.view
        filterset_class = self.target.get_filterset_class(view, view.queryset.none())
        return parameters(filterset_class) if filterset_class else []
