"""JSON in, the app's own forms out: an API write is checked exactly as the page checks it.

A JSON object becomes the data a browser would post: for a record, its form's fields; for
a meeting, the meeting form plus one formset per row list (``attendees``, ``topics``,
``actions``, ``sources``). Fields left out take the stored value (PATCH) or the default
of a new record (POST, PUT). A row list, when given, is the whole list: a stored row
listed by its ``id`` is kept (with the fields given changed), a row without ``id`` is
added, and a stored row left out is removed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django import forms
from django.db import models
from django_countries.fields import Country
from rest_framework.exceptions import ValidationError

from meetings.forms import ROW_FORMSETS, MeetingEditor, MeetingForm
from meetings.models import Meeting, User

NON_FIELD = "non_field_errors"
ROW_LISTS = tuple(ROW_FORMSETS)


def as_form_value(value):
    """A stored or initial value as a browser would post it."""
    if isinstance(value, list | tuple | set):
        return [as_form_value(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Country):
        return value.code
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return "" if value is None else value


def _checked_scalars(payload: Mapping, names, errors: dict) -> dict:
    """The payload's values for these fields, refusing objects where a value belongs."""
    data = {}
    for name in names:
        if name not in payload:
            continue
        value = payload[name]
        if isinstance(value, Mapping) or (
            isinstance(value, list) and any(isinstance(item, Mapping | list) for item in value)
        ):
            errors[name] = ["Expected a value or a list of values, not an object."]
            continue
        data[name] = "" if value is None else value
    return data


def require_object(payload) -> Mapping:
    if not isinstance(payload, Mapping):
        raise ValidationError({NON_FIELD: ["Send a JSON object."]})
    return payload


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    return {
        (NON_FIELD if name == "__all__" else name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


def record_form(form_class, instance: models.Model, payload, *, partial: bool) -> forms.ModelForm:
    """A bound record form (person, organisation, topic): stored values under the payload's."""
    payload = require_object(payload)
    blank = form_class(instance=instance if partial else type(instance)())
    base = {name: as_form_value(blank[name].initial) for name in blank.fields}
    errors: dict = {}
    data = base | _checked_scalars(payload, blank.fields, errors)
    if errors:
        raise ValidationError(errors)
    return form_class(data=data, instance=instance)


# Meetings ---------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """Where each row of one posted list went: formset index → position in the JSON list."""

    positions: dict[int, int] = field(default_factory=dict)
    length: int = 0


@dataclass
class MeetingWrite:
    """A bound ``MeetingEditor`` and how its rows map back to the JSON lists, for errors."""

    editor: MeetingEditor
    plans: dict[str, RowPlan]

    def errors(self) -> dict:
        editor = self.editor
        errors = form_errors(editor.form)
        for prefix, formset in editor.formsets.items():
            plan = self.plans[prefix]
            label = formset.row_label
            general = [f"{label}s: {message}" for message in formset.non_form_errors()]
            rows: list[dict] = [{} for _ in range(plan.length)]
            for index, form in enumerate(formset.forms):
                if not form.errors:
                    continue
                position = plan.positions.get(index)
                if position is None:
                    general += [
                        f"{label} {form.instance.pk}: {message}"
                        for messages in form.errors.values()
                        for message in messages
                    ]
                else:
                    rows[position] = form_errors(form)
            if any(rows):
                errors[prefix] = rows
            if general:
                errors.setdefault(NON_FIELD, []).extend(general)
        return errors


def meeting_write(
    *, user: User, meeting: Meeting, payload, partial: bool, version: int | None = None
) -> MeetingWrite:
    """The meeting page's editor, bound to what a browser would post for this JSON."""
    payload = require_object(payload)
    stored = meeting.pk is not None
    blank = MeetingForm(instance=meeting if partial else Meeting(), user=user)
    errors: dict = {}
    names = [name for name in blank.fields if name != "version"]
    data = {name: as_form_value(blank[name].initial) for name in names}
    data |= _checked_scalars(payload, names, errors)
    if stored:
        given = payload.get("version", version)
        if given in (None, ""):
            errors["version"] = [
                "Send the meeting's version as you read it, so that no change is overwritten."
            ]
        data["version"] = given
    plans = {}
    for prefix in ROW_LISTS:
        rows, plan = _row_data(meeting, prefix, payload.get(prefix), errors)
        data |= rows
        plans[prefix] = plan
    if errors:
        raise ValidationError(errors)
    editor = MeetingEditor(user=user, instance=meeting, data=data, files={})
    return MeetingWrite(editor, plans)


def _row_data(meeting: Meeting, prefix: str, given, errors: dict) -> tuple[dict, RowPlan]:
    """The formset data for one row list; ``given`` None keeps the stored rows as they are."""
    formset = ROW_FORMSETS[prefix](instance=meeting if meeting.pk else Meeting(), prefix=prefix)
    noun = formset.row_label.lower()
    replacing = given is not None
    if replacing and not (isinstance(given, list) and all(isinstance(row, Mapping) for row in given)):
        errors[prefix] = [f"Expected a list of objects, one per {noun}."]
        return {}, RowPlan()
    given = given or []
    stored = {form.instance.pk: form for form in formset.initial_forms}
    names = list(formset.empty_form.fields)
    blank = {name: as_form_value(formset.empty_form[name].initial) for name in names}
    row_errors: list[dict] = [{} for _ in given]
    listed: dict[int, int] = {}
    for position, row in enumerate(given):
        pk = row.get("id")
        if pk in (None, ""):
            continue
        if isinstance(pk, int) and not isinstance(pk, bool) and pk in stored and pk not in listed:
            listed[pk] = position
        else:
            row_errors[position]["id"] = [f"This meeting has no other {noun} with id {pk}."]

    # Stored rows first (the formset's initial forms), then the new ones.
    order = [(pk, listed.get(pk)) for pk in stored]
    order += [(None, position) for position, row in enumerate(given) if row.get("id") in (None, "")]
    data: dict = {}
    plan = RowPlan(length=len(given))
    for index, (pk, position) in enumerate(order):
        base = {name: as_form_value(stored[pk][name].initial) for name in names} if pk else blank
        values = given[position] if position is not None else {}
        if position is not None:
            plan.positions[index] = position
        checked = _checked_scalars(values, names, row_errors[position] if position is not None else {})
        row = base | checked | {"id": pk or "", "DELETE": replacing and pk is not None and position is None}
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    if any(row_errors):
        errors[prefix] = row_errors
    data |= {
        f"{prefix}-TOTAL_FORMS": len(order),
        f"{prefix}-INITIAL_FORMS": len(stored),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": formset.max_num,
    }
    return data, plan
