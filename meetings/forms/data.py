"""What a browser posts on the meeting page, built in one place.

The API and the importer read a meeting through the meeting page's editor, and the tests
and the benchmark post the page as a person would; all of them build that data here,
from plain values (records, countries, dates, lists), so none spells out the page's field
names or its formsets' management fields by itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.files import File
from django.db import models
from django_countries.fields import Country

from meetings.services.meetings import MAX_ROWS, ROW_KINDS

MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def form_value(value):
    """A stored or typed value as a browser posts it."""
    if isinstance(value, File):
        return value  # an upload travels as itself
    if isinstance(value, list | tuple | set):
        return [form_value(item) for item in value]
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Country):
        return value.code
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    """The management form of one row list: how many rows, how many of them stored."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(MAX_ROWS),
    }


def meeting_post(
    meeting: Mapping | None = None,
    rows: Mapping[str, Iterable[Mapping]] | None = None,
    *,
    stored: Mapping[str, int] | None = None,
) -> dict:
    """The meeting page's POST data: the meeting's fields, then each row list (all four,
    empty when not given). ``stored`` counts the rows of each list that are stored ones
    (listed first, with their ``id``); the rest are new."""
    data = {name: form_value(value) for name, value in (meeting or {}).items()}
    for prefix in ROW_KINDS:
        given = list((rows or {}).get(prefix, []))
        data |= management(prefix, len(given), (stored or {}).get(prefix, 0))
        for index, row in enumerate(given):
            for name, value in row.items():
                posted = form_value(value)
                if posted not in ("", []):
                    data[f"{prefix}-{index}-{name}"] = posted
    return data


def page_data(editor, extra_rows: Mapping[str, int] | None = None) -> dict:
    """What the page posts back when saved as it is shown: every field of the meeting and of
    its stored rows, plus ``extra_rows`` blank new rows per list."""
    data = {}
    forms = [editor.form]
    for prefix, formset in editor.formsets.items():
        stored = formset.initial_form_count()
        data |= management(prefix, stored + (extra_rows or {}).get(prefix, 0), stored)
        forms.extend(formset.forms[:stored])
    for form in forms:
        for bound in form:
            if getattr(bound.field.widget, "input_type", "") == "file":
                continue
            posted = form_value(bound.value())
            if posted not in ("", []):
                data[bound.html_name] = posted
    return data
