"""A draft turned into what the meeting page needs: initial values for the meeting form
and its rows, and, for every proposed value, the sentence it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.extraction import ROW_LIMITS, Draft
from meetings.extraction.countries import name_of

NOTE_LIMIT = 5_000


@dataclass
class Hint:
    """What the page says beside a proposed value."""

    sentence: str
    note: str = ""  # e.g. "not in the app yet"
    create: dict | None = None  # an "Add new …" button: kind, name and fields to prefill


@dataclass
class Prefill:
    meeting: dict
    rows: dict[str, list[dict]]
    hints: dict[str, Hint] = field(default_factory=dict)  # form field name → hint
    row_hints: dict[str, list[dict[str, Hint]]] = field(default_factory=dict)
    proposed_parent: str = ""


def prefill(draft: Draft, *, parent_pk=None) -> Prefill:
    hints: dict[str, Hint] = {}

    def hint(name: str, value, sentence: str, note: str = "") -> None:
        if value not in (None, "", []) and (sentence or note):
            hints[name] = Hint(sentence, note)

    organisation_pks = [o.organisation.pk for o in draft.organisations if o.organisation is not None]
    organisation_pks += [a.organisation.pk for a in draft.attendees if a.organisation is not None]
    organisation_pks = list(dict.fromkeys(organisation_pks))
    delegations = {a.country for a in draft.attendees if a.country}
    host = draft.host_country.value
    extra_participants = [c for c in draft.participants.value if c not in delegations and c != host]

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
        "participants": extra_participants,
        "mentioned": draft.mentioned.value,
        "organizations": organisation_pks,
    }
    if parent_pk:
        meeting["parent"] = parent_pk
    hint(
        "title",
        meeting["title"],
        draft.title.sentence,
        "" if draft.title.sentence else "Made up from the countries",
    )
    hint("kind", meeting["kind"], draft.kind.sentence)
    hint("status", meeting["status"], draft.status.sentence)
    hint("start_date", meeting["start_date"], draft.start_date.sentence, " ".join(draft.notes[:1]))
    hint("end_date", meeting["end_date"], draft.end_date.sentence)
    hint("city", meeting["city"], draft.city.sentence)
    hint("venue", meeting["venue"], draft.venue.sentence)
    hint("country", meeting["country"], draft.country.sentence)
    hint("host_country", meeting["host_country"], draft.host_country.sentence)
    hint("timezone", meeting["timezone"], "", f"The time zone of {name_of(draft.country.value or host)}")
    if draft.kind.value == "call":
        hints["city"] = Hint(draft.kind.sentence, "A call: no place proposed")
    hint("summary", meeting["summary"], draft.summary.sentence)
    hint("outcome", meeting["outcome"], draft.outcome.sentence)
    hint("mentioned", meeting["mentioned"], "", "Named in the text, not taking part")
    hint("participants", meeting["participants"], draft.participants.sentence)
    if draft.parent_event.value:
        hints["parent"] = Hint(
            draft.parent_event.sentence,
            f"On the margins of “{draft.parent_event.value}”"
            + ("" if parent_pk else ": not recorded yet. Add it as a meeting, or leave this empty"),
        )
    new_organisations = [o for o in draft.organisations if o.organisation is None]
    if organisation_pks or new_organisations:
        hints["organizations"] = Hint(
            "",
            "Found in the text" + (": some are not in the app yet" if new_organisations else ""),
        )
        hints["organizations"].create = {
            "kind": "organization",
            "items": [
                {"name": o.name, "acronym": o.acronym, "country": o.country, "kind": o.kind}
                for o in new_organisations
            ],
        }

    attendees, attendee_hints = [], []
    for attendee in draft.attendees[: ROW_LIMITS["attendees"]]:
        attendees.append(
            {
                "person": attendee.person.pk if attendee.person is not None else None,
                "organization": attendee.organisation.pk if attendee.organisation is not None else None,
                "title": attendee.title,
                "delegation": attendee.country,
                "role": attendee.role,
                "status": "attended",
            }
        )
        spoken = " ".join(filter(None, [attendee.rank, attendee.name]))
        person_hint = Hint(
            attendee.sentence, "" if attendee.person is not None else f"“{spoken}” is not in the app yet"
        )
        if attendee.person is None:
            person_hint.create = {
                "kind": "person",
                "items": [
                    {
                        "name": attendee.name,
                        "country": attendee.country,
                        "title": attendee.title,
                        "organization": attendee.organisation.pk if attendee.organisation is not None else "",
                        "organization_label": attendee.organisation.name
                        if attendee.organisation is not None
                        else "",
                    }
                ],
            }
        row = {"person": person_hint}
        for name in ("organization", "title", "delegation", "role"):
            value = attendees[-1][name]
            if value not in (None, ""):
                row[name] = Hint(attendee.sentence)
        if attendee.organisation_name and attendee.organisation is None:
            row["organization"] = Hint(
                attendee.sentence, f"“{attendee.organisation_name}” is not in the app yet"
            )
        attendee_hints.append(row)

    topics, topic_hints = [], []
    for topic in draft.topics[: ROW_LIMITS["topics"]]:
        topics.append(
            {
                "topic": topic.topic.pk if topic.topic is not None else None,
                "note": topic.sentence[:NOTE_LIMIT],
            }
        )
        topic_hint = Hint(
            topic.sentence, "" if topic.topic is not None else f"New topic suggested: “{topic.name}”"
        )
        if topic.topic is None:
            topic_hint.create = {"kind": "topic", "items": [{"name": topic.name}]}
        topic_hints.append({"topic": topic_hint})

    actions, action_hints = [], []
    for action in draft.actions[: ROW_LIMITS["actions"]]:
        actions.append(
            {
                "description": action.description[:500],
                "countries": action.countries,
                "organizations": [o.pk for o in action.organisations],
                "due_date": action.due_date,
                "status": "agreed",
            }
        )
        row = {"description": Hint(action.sentence)}
        if action.countries or action.organisations:
            row["countries"] = Hint(action.sentence)
        missing = [
            n
            for n in action.organisation_names
            if n not in {o.acronym or o.name for o in action.organisations}
        ]
        if missing:
            row["organizations"] = Hint(action.sentence, f"Not in the app yet: {', '.join(missing)}")
        if action.due_date:
            row["due_date"] = Hint(action.sentence)
        action_hints.append(row)

    source = draft.source
    sources = [
        {
            "kind": source["kind"],
            "title": source["title"],
            "published_on": source["published_on"],
            "text": source["text"],
        }
    ]
    source_hints = [{"text": Hint("", "The text you pasted")}]
    return Prefill(
        meeting=meeting,
        rows={"attendees": attendees, "topics": topics, "actions": actions, "sources": sources},
        hints=hints,
        row_hints={
            "attendees": attendee_hints,
            "topics": topic_hints,
            "actions": action_hints,
            "sources": source_hints,
        },
    )
