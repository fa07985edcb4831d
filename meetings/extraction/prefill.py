"""A draft turned into what the meeting page needs: initial values for the meeting form
and its rows, and, for every proposed value, why it was proposed.

A row shows its sentence once, beside its first field; the other fields of the row say
in a few words where their value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.extraction import ROW_LIMITS, Draft
from meetings.extraction.countries import name_of
from meetings.models import Meeting
from meetings.services.meetings import ActionInput, AttendeeInput, MeetingInput, SourceInput, TopicInput

NOTE_LIMIT = 5_000
KIND_REASONS = {"bilateral": "Two delegations", "multilateral": "More than two delegations"}
COUNTRY_REASONS = {
    "title": "Named in the title",
    "organisation": "The country of their organisation",
    "known": "Their country in the app",
    "delegation": "Named as that delegation",
    "companion": "Named with the person before them",
    "place": "The host country",
    "visitor": "The visiting country: the host's office is held by someone else",
    "counterpart": "Named as the counterpart's country",
}


@dataclass
class Hint:
    """What the page says beside a proposed value."""

    sentence: str = ""
    note: str = ""  # e.g. "not in the app yet"
    create: dict | None = None  # an "Add …" button: the kind of record and what to fill in
    focus: str = ""  # the words of the sentence that gave the value, shown marked


LEARNT = "Chosen for “{}” when an earlier draft was saved"


@dataclass
class Prefill:
    meeting: MeetingInput  # the draft as the meeting page's typed input, rows included
    hints: dict[str, Hint] = field(default_factory=dict)  # meeting form field → hint
    row_hints: dict[str, list[dict[str, Hint]]] = field(default_factory=dict)  # prefix → per row
    # The words each proposal was read from, by row: what a correction on saving is remembered by.
    read_from: dict = field(default_factory=dict)


def prefill(draft: Draft, *, parent: Meeting | None = None) -> Prefill:
    parent_pk = parent.pk if parent else None
    meeting = _meeting(draft, parent_pk)
    attendees, attendee_hints = _attendees(draft)
    topics, topic_hints = _topics(draft)
    actions, action_hints = _actions(draft)
    source = draft.source
    sources = [{name: source[name] for name in ("kind", "title", "published_on", "text")}]
    source_hints = {
        "kind": Hint(note="Readout, joint statement or press release, as the text reads"),
        "title": Hint(note="The headline" if draft.title.sentence else "Made up from the title"),
        "text": Hint(note="The text you pasted"),
    }
    if source["published_on"]:
        source_hints["published_on"] = Hint(note="The dateline")
    rows = {"attendees": attendees, "topics": topics, "actions": actions, "sources": sources}
    return Prefill(
        read_from=_read_from(draft),
        meeting=_as_input(draft, meeting, rows, parent),
        hints=_meeting_hints(draft, meeting, parent_pk),
        row_hints={
            "attendees": attendee_hints,
            "topics": topic_hints,
            "actions": action_hints,
            "sources": [source_hints],
        },
    )


def _as_input(draft: Draft, meeting: dict, rows: dict[str, list[dict]], parent) -> MeetingInput:
    """The proposed values as a ``MeetingInput``, with the records the draft found."""
    found = {
        ("organization", o.organisation.pk): o.organisation for o in draft.organisations if o.organisation
    }
    for attendee in draft.attendees:
        if attendee.person is not None:
            found["person", attendee.person.pk] = attendee.person
        if attendee.organisation is not None:
            found["organization", attendee.organisation.pk] = attendee.organisation
    found |= {("topic", t.topic.pk): t.topic for t in draft.topics if t.topic is not None}
    for action in draft.actions:
        found |= {("organization", o.pk): o for o in action.organisations}

    def record(kind: str, pk):
        return found.get((kind, pk)) if pk else None

    data = MeetingInput(**{name: value for name, value in meeting.items() if name in Meeting.EDITABLE_FIELDS})
    data.parent = parent
    data.organizations = [record("organization", pk) for pk in meeting["organizations"]]
    data.participants, data.mentioned = list(meeting["participants"]), list(meeting["mentioned"])
    data.attendees = [
        AttendeeInput(
            **row
            | {
                "person": record("person", row["person"]),
                "organization": record("organization", row["organization"]),
            }
        )
        for row in rows["attendees"]
    ]
    data.topics = [
        TopicInput(topic=record("topic", row["topic"]), note=row["note"]) for row in rows["topics"]
    ]
    data.actions = [
        ActionInput(**row | {"organizations": [record("organization", pk) for pk in row["organizations"]]})
        for row in rows["actions"]
    ]
    data.sources = [SourceInput(**row) for row in rows["sources"]]
    return data


def _read_from(draft: Draft) -> dict:
    """For each proposed row, the words it was read from and the record proposed for them."""
    return {
        "attendees": [
            {"words": a.mention, "proposed": a.person.pk if a.person is not None else None}
            for a in draft.attendees[: ROW_LIMITS["attendees"]]
        ],
        "topics": [
            {"words": t.phrase, "proposed": t.topic.pk if t.topic is not None else None}
            for t in draft.topics[: ROW_LIMITS["topics"]]
        ],
        "place": {"words": draft.city.evidence, "city": draft.city.value, "country": draft.country.value},
    }


def _meeting(draft: Draft, parent_pk) -> dict:
    organisations = [o.organisation.pk for o in draft.organisations if o.organisation is not None]
    organisations += [a.organisation.pk for a in draft.attendees if a.organisation is not None]
    delegations = {a.country for a in draft.attendees if a.country}
    host = draft.host_country.value
    meeting = {
        "title": draft.title.value,
        "kind": draft.kind.value,
        "status": draft.status.value,
        "start_date": draft.start_date.value,
        "end_date": draft.end_date.value,
        "timezone": draft.timezone.value,
        "city": draft.city.value,
        "venue": draft.venue.value,
        "country": draft.country.value,
        "host_country": host,
        "summary": draft.summary.value,
        "outcome": draft.outcome.value,
        # The host and the delegations are counted as taking part on their own.
        "participants": [c for c in draft.participants.value if c not in delegations and c != host],
        "mentioned": draft.mentioned.value,
        "organizations": list(dict.fromkeys(organisations)),
    }
    if parent_pk:
        meeting["parent"] = parent_pk
    return meeting


def _meeting_hints(draft: Draft, meeting: dict, parent_pk) -> dict[str, Hint]:
    hints: dict[str, Hint] = {}

    def hint(name: str, sentence: str = "", note: str = "", focus: str = "") -> None:
        if meeting.get(name) not in (None, "", []) and (sentence or note):
            hints[name] = Hint(sentence, note, focus=focus)

    hint("title", note="The headline" if draft.title.sentence else "Made up from the countries")
    if draft.kind.evidence:
        hint("kind", draft.kind.sentence, focus=draft.kind.evidence)
    else:
        hint("kind", note=KIND_REASONS.get(meeting["kind"], ""))
    hint("status", draft.status.sentence, "", draft.status.evidence)
    date_note = next((n for n in draft.notes if "year" in n or "no date" in n), "")
    hint("start_date", draft.start_date.sentence, date_note, draft.start_date.evidence)
    hint("end_date", draft.end_date.sentence, "", draft.end_date.evidence)
    learnt_place = draft.city.evidence != draft.city.value
    hint(
        "city",
        draft.city.sentence,
        LEARNT.format(draft.city.evidence) if learnt_place else "",
        draft.city.evidence,
    )
    hint("venue", draft.venue.sentence, "", draft.venue.evidence)
    hint("country", note=f"Where {meeting['city']} is" if meeting["city"] else "")
    hint("host_country", note="Where it took place" if meeting["country"] else "The first delegation named")
    hint("timezone", note=f"The time zone of {name_of(meeting['country'] or meeting['host_country'])}")
    hint("summary", note="The opening of the text")
    hint("outcome", note="The joint statement or agreement, as the text words it")
    hint("mentioned", note="Named in the text, not taking part")
    hint("participants", note="Named as taking part")
    if draft.kind.value == "call":
        hints["city"] = Hint(draft.kind.sentence, "A call: no place proposed", focus=draft.kind.evidence)
    if draft.parent_event.value:
        recorded = "" if parent_pk else ": not recorded yet. Add it as a meeting, or leave this empty"
        hints["parent"] = Hint(
            draft.parent_event.sentence,
            f"On the margins of “{draft.parent_event.value}”{recorded}",
            focus=draft.parent_event.value,
        )
    new = [o for o in draft.organisations if o.organisation is None]
    if meeting["organizations"] or new:
        hints["organizations"] = Hint(
            note="Found in the text" + (": some are not in the app yet" if new else ""),
            create={
                "kind": "organization",
                "items": [
                    {"name": o.name, "acronym": o.acronym, "country": o.country, "kind": o.kind} for o in new
                ],
            },
        )
    return hints


def _attendees(draft: Draft) -> tuple[list[dict], list[dict[str, Hint]]]:
    rows, hints = [], []
    for attendee in draft.attendees[: ROW_LIMITS["attendees"]]:
        organisation = attendee.organisation
        rows.append(
            {
                "person": attendee.person.pk if attendee.person is not None else None,
                "organization": organisation.pk if organisation is not None else None,
                "title": attendee.title,
                "delegation": attendee.country,
                "role": attendee.role,
                "status": "attended",
            }
        )
        spoken = " ".join(filter(None, [attendee.rank, attendee.name]))
        person = Hint(attendee.sentence, focus=attendee.mention)
        if attendee.learnt:
            person.note = LEARNT.format(attendee.mention)
        if attendee.person is None:
            person.note = f"“{spoken}” is not in the app yet"
            person.create = {
                "kind": "person",
                "items": [
                    {
                        "name": attendee.name,
                        "country": attendee.country,
                        "title": attendee.title,
                        "organization": organisation.pk if organisation is not None else "",
                        "organization_label": organisation.name if organisation is not None else "",
                    }
                ],
            }
        row = {"person": person}
        if organisation is not None:
            row["organization"] = Hint(
                note="Named in the title" if attendee.organisation_name else "From the title"
            )
        elif attendee.organisation_name:
            row["organization"] = Hint(note=f"“{attendee.organisation_name}” is not in the app yet")
        if attendee.title:
            row["title"] = Hint(note="As the text gives it")
        if attendee.country:
            row["delegation"] = Hint(note=COUNTRY_REASONS.get(attendee.country_from, "From the text"))
        if attendee.role == "head":
            row["role"] = Hint(
                note="Leads the delegation" if attendee.leads else "First named of the delegation"
            )
        hints.append(row)
    return rows, hints


def _topics(draft: Draft) -> tuple[list[dict], list[dict[str, Hint]]]:
    rows, hints = [], []
    for topic in draft.topics[: ROW_LIMITS["topics"]]:
        known = topic.topic is not None
        rows.append({"topic": topic.topic.pk if known else None, "note": topic.sentence[:NOTE_LIMIT]})
        row = {
            "topic": Hint(
                note="" if known else f"New topic suggested: “{topic.name}”",
                create=None if known else {"kind": "topic", "items": [{"name": topic.name}]},
            ),
            "note": Hint(note="The sentence it came from"),
        }
        if known:
            row["topic"].note = "Found in the sentence below"
        if topic.learnt:
            row["topic"].note = "Chosen for words of the sentence below when an earlier draft was saved"
        hints.append(row)
    return rows, hints


def _actions(draft: Draft) -> tuple[list[dict], list[dict[str, Hint]]]:
    rows, hints = [], []
    for action in draft.actions[: ROW_LIMITS["actions"]]:
        rows.append(
            {
                "description": action.description[:500],
                "countries": action.countries,
                "organizations": [o.pk for o in action.organisations],
                "due_date": action.due_date,
                "status": "agreed",
            }
        )
        words = action.description.split()
        focus = next(
            (
                f
                for f in (" ".join(words[-2:]), " ".join(words[1:4]))
                if f.casefold() in action.sentence.casefold()
            ),
            "",
        )
        row = {"description": Hint(action.sentence, focus=focus)}
        if action.countries:
            row["countries"] = Hint(note="Who agreed or committed to it")
        known = {o.acronym or o.name for o in action.organisations}
        missing = [name for name in action.organisation_names if name not in known]
        if action.organisations:
            row["organizations"] = Hint(note="Who committed to it")
        if missing:
            row["organizations"] = Hint(note=f"Not in the app yet: {', '.join(missing)}")
        if action.due_date:
            row["due_date"] = Hint(note="The deadline the sentence gives")
        hints.append(row)
    return rows, hints
