"""JSON values of the type the schema declares, and no other.

DRF's own fields coerce: ``12345`` becomes the name "12345", ``"1"`` the integer 1,
``"yes"`` true. Here a value of the wrong JSON type is refused (400) before any form sees
it, so what the schema says is what the API takes.
"""

from __future__ import annotations

import datetime

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from meetings.filters import COUNTRY_CHOICES

# The largest id a database integer holds.
MAX_ID = 2**63 - 1
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


class Text(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Email(Text, serializers.EmailField):
    pass


class Url(Text, serializers.URLField):
    pass


class Integer(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class RecordId(Integer):
    """The id of a record: a whole number from 1."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class RecordRef(serializers.PrimaryKeyRelatedField):
    """A record chosen by id. Only the type is checked here: whether the record exists, and
    may be chosen, is the form's rule (422)."""

    default_error_messages = {"incorrect_type": "Expected the id of a record (a whole number from 1)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= MAX_ID:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return data


class Flag(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class Choice(serializers.ChoiceField):
    """One of the listed values, of the listed type: the marking ``1``, not ``"1"``."""

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        if isinstance(data, bool) or not any(type(data) is type(key) and data == key for key in self.choices):
            self.fail("invalid_choice", input=data)
        return data


class CountryCode(Choice):
    """An ISO 3166-1 alpha-2 code, "" for none."""

    default_error_messages = {"invalid_choice": "Unknown country code “{input}”."}

    def __init__(self, **kwargs):
        super().__init__(COUNTRY_CHOICES, **kwargs)

    def to_representation(self, value) -> str:
        return getattr(value, "code", value) or ""


def country_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=CountryCode(), **kwargs)


def optional_country(**kwargs) -> CountryCode:
    return CountryCode(allow_blank=True, required=False, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "pattern": TIME_PATTERN,
        "example": "15:00:00",
        "description": "A time of day in the meeting's own time zone, without an offset.",
    }
)
class LocalTime(Text):
    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(TIME_PATTERN, "Enter a time of day as HH:MM or HH:MM:SS, without an offset.")
        )

    def to_representation(self, value):
        return value.isoformat() if isinstance(value, datetime.time) else value


class VersionField(Integer):
    """The version the client read. Required to change a record, in a PATCH too: a stale
    one answers 409 with what changed meanwhile."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", self.__doc__.strip().replace("\n    ", " "))
        super().__init__(min_value=1, max_value=2**31 - 1, **kwargs)

    def validate_empty_values(self, data):
        if data is empty:
            self.fail("required")
        return super().validate_empty_values(data)
