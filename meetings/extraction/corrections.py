"""Learning from the corrections a person makes to a draft before saving it.

The session keeps, for each proposed row of a draft, the words it was read from and the
record it proposed (``Prefill.read_from``). When the meeting is saved, every row where the person chose
another record than the one proposed is remembered as a ``DraftCorrection``, and the next
draft that reads the same words proposes that choice.

Corrections are reference data, like people and topics, and every editor's next draft uses
them: so they are learnt only from meetings saved at the lowest marking, and keep only the
words and the choice, never the meeting, its sentence or its marking.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from meetings.extraction.directory import correction_key, same_name
from meetings.models import DraftCorrection, Meeting, Person, Topic

SESSION_KEY = "draft-read-from"  # Prefill.read_from of the drafts open, by their text


def remember(user, meeting: Meeting, data, proposed: dict) -> list[DraftCorrection]:
    """Remembers what the saved meeting's rows chose where they differ from the draft."""
    if meeting.classification != 0 or not isinstance(proposed, dict):
        return []
    learnt: list[DraftCorrection] = []
    with transaction.atomic():
        for index, row in _rows(proposed, "attendees"):
            chosen = _chosen(data, f"attendees-{index}", "person", Person)
            if (
                chosen is not None
                and chosen.pk != row.get("proposed")
                and not same_name(row["words"], chosen.name)
            ):
                learnt.append(_keep(user, DraftCorrection.Kind.PERSON, row["words"], person=chosen))
        for index, row in _rows(proposed, "topics"):
            chosen = _chosen(data, f"topics-{index}", "topic", Topic)
            if (
                chosen is not None
                and row.get("proposed") is None
                and fold_equal(row["words"], chosen.name) is False
            ):
                learnt.append(_keep(user, DraftCorrection.Kind.TOPIC, row["words"], topic=chosen))
        place = proposed.get("place") if isinstance(proposed.get("place"), dict) else {}
        words = str(place.get("words") or "")[:200]
        city, country = meeting.city, meeting.country.code if meeting.country else ""
        if words and country and (city, country) != (place.get("city"), place.get("country")):
            learnt.append(_keep(user, DraftCorrection.Kind.PLACE, words, city=city, country=country))
    return learnt


def fold_equal(a: str, b: str) -> bool:
    return correction_key(a) == correction_key(b)


def _rows(proposed: dict, prefix: str):
    rows = proposed.get(prefix)
    if not isinstance(rows, list):
        return
    for index, row in enumerate(rows[:200]):
        if isinstance(row, dict) and isinstance(row.get("words"), str) and row["words"].strip():
            row["words"] = row["words"][:200]
            yield index, row


def _chosen(data, prefix: str, name: str, model):
    """The record a row of the saved form chose, unless the row was removed."""
    if data.get(f"{prefix}-DELETE"):
        return None
    value = data.get(f"{prefix}-{name}") or ""
    if not value.isdigit() or len(value) > 18:
        return None
    return model.objects.filter(pk=int(value)).first()


def _keep(user, kind: str, words: str, **choice) -> DraftCorrection:
    """One correction per kind and words: a later choice replaces an earlier one."""
    correction = DraftCorrection.objects.filter(kind=kind, key=correction_key(words)).first()
    if correction is None:
        correction = DraftCorrection(kind=kind, phrase=words, created_by=user, **choice)
        correction.save()
        return correction
    for name, value in choice.items():
        setattr(correction, name, value)
    correction.times = F("times") + 1
    correction.save()
    correction.refresh_from_db()
    return correction
