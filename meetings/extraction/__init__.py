"""A press release or readout turned into a draft meeting record.

``extract(text, directory=…, given_date=…)`` is a pure function of the text, the date the
person gives and the records the app already holds (a ``Directory``): it reads no
database and saves nothing. Every proposed value carries the sentence it came from, so
the person can check it before saving. Rules, not a model: dates come from dateparser,
countries from django-countries and a table of adjectives, titles and ranks from the
dictionaries in ``people.py``, and everything is matched to existing records first.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from meetings.extraction import dates as dates_module
from meetings.extraction.actions import ActionFound, find_actions, find_outcome, resolve_anaphora
from meetings.extraction.countries import find_countries, name_of
from meetings.extraction.directory import Directory
from meetings.extraction.organisations import (
    OrganisationFound,
    find_organisations,
    ministry_for,
    organisation_in,
)
from meetings.extraction.people import (
    PersonFound,
    before_hosts,
    delegation_country,
    find_people,
    national_title_country,
)
from meetings.extraction.places import MULTILATERAL, Place, find_kind, find_parent_event, find_place
from meetings.extraction.text import Sentence, clean, english_share, fold, split_sentences
from meetings.extraction.topics import TopicFound, match_known_topics, suggest_topics

MAX_CHARS = 300_000  # about 50,000 words: far beyond any readout, small enough to stay fast
MAX_SOURCE_CHARS = 100_000  # what a source row holds (forms.SOURCE_TEXT)
# A digest of many meetings names far more than one meeting holds: the page stays usable.
ROW_LIMITS = {"attendees": 60, "topics": 40, "actions": 60}
MEETING_WORDS = re.compile(
    r"\b(met|meet|meets|meeting|talks|held|hosted|welcomed|received|spoke|call|visit(?:ed)?|discussed|"
    r"conference|ministerial|summit|signed|dialogue)\b",
    re.IGNORECASE,
)
MEETING_SENTENCE = re.compile(
    r"\b(met|meets|held (?:talks|a|bilateral|discussions)|hosted|welcomed|received|spoke|visited|"
    r"(?:phone|video|telephone) call|talks|meeting|signed|took place)\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(will (?:meet|visit|hold|host|travel)|is (?:due|expected|scheduled) to|are (?:due|expected) to)\b"
)


class ExtractionRefused(ValueError):
    """The text cannot be turned into a meeting; the message says why, for the person."""


@dataclass
class Proposal:
    value: Any
    sentence: str = ""
    evidence: str = ""  # the words of the sentence that gave the value


@dataclass
class AttendeeDraft:
    name: str
    rank: str
    title: str
    country: str
    role: str
    sentence: str
    person: Any = None  # a KnownPerson
    organisation: Any = None  # a KnownOrganisation
    organisation_name: str = ""
    country_from: str = ""  # title, organisation, known, delegation, companion or place
    leads: bool = False
    mention: str = ""  # the name as written, with rank
    learnt: bool = False  # the person chosen for this name in an earlier draft


@dataclass
class TopicDraft:
    name: str
    sentence: str
    topic: Any = None  # a KnownTopic; None for a suggested new topic
    learnt: bool = False  # chosen for the phrase the text uses in an earlier draft
    phrase: str = ""  # a suggested topic's words, which a correction is remembered by


@dataclass
class ActionDraft:
    description: str
    sentence: str
    countries: list[str]
    organisations: list[Any]  # KnownOrganisations
    organisation_names: list[str]
    due_date: datetime.date | None = None


@dataclass
class OrganisationDraft:
    name: str
    acronym: str
    country: str
    kind: str
    sentence: str
    organisation: Any = None  # a KnownOrganisation; None when new


@dataclass
class Draft:
    title: Proposal
    kind: Proposal
    status: Proposal
    start_date: Proposal
    end_date: Proposal
    city: Proposal
    venue: Proposal
    country: Proposal
    host_country: Proposal
    timezone: Proposal
    parent_event: Proposal
    summary: Proposal
    outcome: Proposal
    participants: Proposal
    mentioned: Proposal
    attendees: list[AttendeeDraft] = field(default_factory=list)
    organisations: list[OrganisationDraft] = field(default_factory=list)
    topics: list[TopicDraft] = field(default_factory=list)
    actions: list[ActionDraft] = field(default_factory=list)
    source: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys([*self.participants.value, *self.mentioned.value]))


def check(text: str) -> str:
    """The cleaned text, or ExtractionRefused with a message a person can act on."""
    if text is None or not text.strip():
        raise ExtractionRefused("Paste the text of a press release or readout first: the box is empty.")
    if len(text) > MAX_CHARS:
        raise ExtractionRefused(
            f"This text has {len(text):,} characters; the limit is {MAX_CHARS:,} (about 50,000 words). "
            "Paste only the press release or readout."
        )
    cleaned = clean(text)
    if len(re.findall(r"[^\W\d_]{2,}", cleaned)) < 8:
        raise ExtractionRefused(
            "This text is too short to describe a meeting. Paste the whole press release."
        )
    if english_share(cleaned) < 0.12:
        raise ExtractionRefused(
            "This text does not look like English. Only English press releases can be read for now; "
            "enter the meeting by hand instead."
        )
    return cleaned


def extract(
    text: str,
    *,
    directory: Directory | None = None,
    given_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Draft:
    cleaned = check(text)
    today = today or datetime.date.today()
    directory = directory or Directory()
    sentences = split_sentences(cleaned)
    lines = [line for line in cleaned.split("\n") if line.strip()]
    headline = _headline(lines)
    body = [s for s in sentences if not (headline and s.text == headline)]

    people = find_people(body, directory)
    meeting = _meeting_sentence(body, people)
    if not people and not MEETING_WORDS.search(cleaned[:20_000]):
        raise ExtractionRefused(
            "No meeting was found in this text: it names no officials and no talks, call or visit. "
            "Check that you pasted the right text."
        )
    notes: list[str] = []
    start, end, date_sentence, date_evidence = _meeting_dates(
        cleaned, lines, body, meeting, given_date, today, notes
    )
    organisations = find_organisations(cleaned, sentences, directory)
    place = find_place(lines, body, meeting, directory)
    chosen = directory.correction("place", place.city) if place.city else None
    if chosen is not None:
        place = Place(
            chosen.city or place.city, chosen.country, place.venue, place.sentence, written=place.city
        )

    opening = "\n".join(lines[:4])
    many = bool(MULTILATERAL.search(opening) or (meeting and MULTILATERAL.search(meeting.text)))
    visitors = [
        c for c in _countries_in("\n".join([headline, meeting.text if meeting else ""])) if c != place.country
    ]
    attendees = _attendees(people, organisations, directory, place, many=many, visitors=visitors)
    delegations = list(dict.fromkeys(a.country for a in attendees if a.country))
    kind, kind_sentence, kind_evidence = find_kind(
        opening, meeting.text if meeting else opening, len(delegations)
    )
    if kind == "call":
        place = Place()
    host = place.country if place.country else ""
    if not host and kind != "call" and delegations:
        host = delegations[0]
    participants = list(dict.fromkeys([*delegations, *([host] if host else [])]))
    mentioned = [code for code in _countries_in(cleaned) if code not in participants]
    parent_event, parent_sentence = find_parent_event(cleaned, headline)

    acronyms = {o.acronym: o.name for o in organisations if o.acronym}
    # "supporting this initiative in the fight against terrorism": the initiative is CITSOS.
    resolved = [
        Sentence(
            resolve_anaphora(s.text, body[max(0, n - 2) : n], organisations), s.start, s.index, s.paragraph
        )
        for n, s in enumerate(body)
    ]
    known_topics = match_known_topics(
        resolved, directory.topics(), acronyms, tuple(o.name for o in organisations)
    )
    by_text = {r.text: s.text for r, s in zip(resolved, body, strict=True)}
    for topic in known_topics:
        topic.sentence = by_text.get(topic.sentence, topic.sentence)
    names = {fold(part) for p in people for part in (p.name, p.surname)}
    new_topics = suggest_topics(body, known_topics, directory.topics(), names)
    learnt_topics = set()
    for topic in list(new_topics):
        chosen = directory.correction("topic", topic.name)
        if chosen is not None and chosen.topic is not None:
            new_topics.remove(topic)
            if all(t.known != chosen.topic for t in known_topics):
                known_topics.append(TopicFound(chosen.topic.name, topic.sentence, chosen.topic))
                learnt_topics.add(chosen.topic.pk)
    actions = find_actions(
        body, delegations=delegations, people=people, organisations=organisations, meeting_date=start
    )
    outcome, outcome_sentence = find_outcome(body, headline)
    summary_sentences = [s.text for s in body[:2]]
    summary = _strip_dateline(" ".join(summary_sentences))

    title = headline or _title(kind, participants, place, parent_event)
    status = (
        "planned"
        if meeting and FUTURE.search(meeting.text) and not re.search(r"\b(met|held)\b", meeting.text)
        else "held"
    )
    timezone = _timezone(place.country or host)
    draft = Draft(
        title=Proposal(title, headline or ""),
        kind=Proposal(kind, kind_sentence, kind_evidence),
        status=Proposal(status, meeting.text if meeting else "", _verb(meeting)),
        start_date=Proposal(start, date_sentence, date_evidence),
        end_date=Proposal(end, date_sentence if end else "", date_evidence),
        city=Proposal(place.city, place.sentence, place.written or place.city),
        venue=Proposal(place.venue, place.sentence if place.venue else "", place.venue),
        country=Proposal(place.country, place.sentence, place.city),
        host_country=Proposal(host, place.sentence or (meeting.text if meeting else ""), place.city),
        timezone=Proposal(timezone, place.sentence if timezone != "UTC" else ""),
        parent_event=Proposal(parent_event, parent_sentence),
        summary=Proposal(summary, summary_sentences[0] if summary_sentences else ""),
        outcome=Proposal(outcome, outcome_sentence),
        participants=Proposal(participants, meeting.text if meeting else ""),
        mentioned=Proposal(mentioned, ""),
        attendees=attendees,
        organisations=[
            OrganisationDraft(o.name, o.acronym, o.country, o.kind, o.sentence, o.known)
            for o in organisations
        ],
        topics=[
            TopicDraft(t.known.name, t.sentence, t.known, t.known.pk in learnt_topics) for t in known_topics
        ]
        + [TopicDraft(t.name, t.sentence, phrase=t.name) for t in new_topics],
        actions=[_action_draft(a) for a in actions],
        notes=notes,
    )
    draft.source = {
        "kind": _source_kind(cleaned),
        "title": (headline or f"Press release: {title}")[:200],
        "published_on": _published_on(lines, given_date, today, start),
        "text": cleaned[:MAX_SOURCE_CHARS],
    }
    for what, rows in (("attendees", attendees), ("topics", draft.topics), ("actions", actions)):
        limit = ROW_LIMITS[what]
        if len(rows) > limit:
            notes.append(
                f"The text names {len(rows)} {what}; the first {limit} are proposed. Is it one meeting?"
            )
    if len(cleaned) > MAX_SOURCE_CHARS:
        notes.append(f"The source keeps the first {MAX_SOURCE_CHARS:,} characters of the text.")
    return draft


# Parts -------------------------------------------------------------------------------------


def _headline(lines: list[str]) -> str:
    if len(lines) < 2:
        return ""
    first = lines[0].strip()
    if (
        len(first.split()) <= 18
        and not re.search(r"[.!?]$", first)
        and not dates_module.find_dates(first)
        and not re.match(r"^[A-Z][A-Za-z .'-]+,\s", first)
    ):
        return first
    return ""


def _meeting_sentence(sentences: list[Sentence], people: list[PersonFound]) -> Sentence | None:
    with_people = {p.sentence.index for p in people}
    for sentence in sentences[:12]:
        if MEETING_SENTENCE.search(sentence.text) and sentence.index in with_people:
            return sentence
    for sentence in sentences[:12]:
        if MEETING_SENTENCE.search(sentence.text):
            return sentence
    return sentences[0] if sentences else None


def _dateline(lines: list[str]) -> dates_module.DateMention | None:
    for line in lines[:4]:
        mentions = dates_module.find_dates(line[:160])
        if mentions and mentions[0].start < 80:
            return mentions[0]
    return None


def _meeting_dates(cleaned, lines, sentences, meeting, given, today, notes):
    """The first and last day of the meeting, and the sentence that gives them."""
    dateline = _dateline(lines)
    look_in = [meeting] if meeting else []
    look_in += [s for s in sentences[:3] if s is not meeting]
    relative = None
    relative_sentence = None
    for sentence in look_in:
        found = dates_module.find_relative(sentence.text)
        if found:
            relative, relative_sentence = found[0], sentence
            break
    dateline_date = None
    if dateline is not None:
        year = dateline.year
        if year is None:
            year = dates_module.infer_year(
                dateline, weekday=relative.weekday if relative else None, given=given, today=today
            )
            if given is None:
                weekday = relative.weekday if relative else dateline.weekday
                how = "from the weekday the text names" if weekday is not None else "as the latest past year"
                notes.append(f"The text gives no year: {year} was inferred {how}. Check it.")
        dateline_date = dateline.resolve(year)
    # An explicit date in the meeting sentence (not the dateline itself) wins.
    for sentence in look_in[:1]:
        for mention in dates_module.find_dates(sentence.text):
            if (
                dateline is not None
                and sentence.start + mention.start <= 120
                and mention.text == dateline.text
            ):
                continue
            year = mention.year or (dateline_date.year if dateline_date else None)
            if year is None:
                year = dates_module.infer_year(mention, weekday=None, given=given, today=today)
            value = mention.resolve(year)
            if value:
                return value, mention.end_date(year), sentence.text, mention.text
    if relative is not None:
        anchor = dateline_date or given or today
        if dateline_date is None and given is None:
            notes.append(
                "The text gives no date: the day was worked out from today. Give the date of the text."
            )
        return dates_module.resolve_relative(relative, anchor), None, relative_sentence.text, relative.text
    if dateline_date is not None:
        line = next((line for line in lines[:4] if dateline.text in line), "")
        return dateline_date, None, line, dateline.text
    return given, None, "", ""


def _verb(sentence: Sentence | None) -> str:
    match = MEETING_SENTENCE.search(sentence.text) if sentence else None
    return match.group() if match else ""


def _published_on(lines, given, today, start):
    dateline = _dateline(lines)
    if dateline is None:
        return given or start
    if dateline.year:
        return dateline.resolve(dateline.year)
    return start


def _attendees(
    people: list[PersonFound], organisations, directory, place: Place, *, many: bool, visitors: list[str]
) -> list[AttendeeDraft]:
    by_sentence: dict[int, list[PersonFound]] = {}
    for person in people:
        by_sentence.setdefault(person.sentence.index, []).append(person)
    last_delegation = ""
    for person in people:
        # "The delegation, which also included …": the delegation named in an earlier sentence.
        own = delegation_country(person.sentence.text)
        last_delegation = own or last_delegation
        org = organisation_in(f"{person.title} {person.organisation_text}", organisations)
        if not person.country and org is not None and (org.country or (org.known and org.known.country)):
            person.country, person.country_from = org.country or org.known.country, "organisation"
        if not person.country and person.known is not None and person.known.country:
            person.country, person.country_from = person.known.country, "known"
        if (
            not person.country
            and last_delegation
            and re.search(r"\b[Tt]he delegation\b", person.sentence.text)
            and before_hosts(person)
        ):
            person.country, person.country_from = last_delegation, "delegation"
        if not person.country and national_title_country(person.title):
            person.country, person.country_from = national_title_country(person.title), "title"
    for group in by_sentence.values():
        for i, person in enumerate(group):
            # "…, accompanied by Maj Gen Fred Leuria and Col Peter Otieno": a bare rank and name
            # takes the country of whoever was named before them; someone with a title of their
            # own and no country is more likely from an international body.
            if not person.country and not person.title:
                earlier = [p for p in group[:i] if p.country]
                if earlier:
                    person.country, person.country_from = earlier[-1].country, "companion"
    attendees = []
    heads: set[str] = set()
    for person in people:
        country, country_from = person.country, person.country_from
        if not country and place.country and not many and len({p.country for p in people if p.country}) <= 2:
            country, country_from = _host_or_visitor(person, [*people, *attendees], place, visitors)
        org = organisation_in(f"{person.title} {person.organisation_text}", organisations)
        known_org = org.known if org else None
        if known_org is None:
            # "his UK counterpart": the same office in the other government.
            title = "Defence Minister" if _counterpart(person) else person.title
            known_org = ministry_for(title, country, directory)
        if known_org is None and person.known is not None and person.known.organization is not None:
            known_org = directory.organisation(person.known.organization)
        attendees.append(
            AttendeeDraft(
                name=person.known.name if person.known is not None else person.name,
                rank=person.rank,
                title=person.title,
                country=country,
                role="delegate",
                sentence=person.sentence.text,
                person=person.known,
                organisation=known_org,
                organisation_name=(org.name if org else ""),
                country_from=country_from,
                leads=person.leads,
                mention=person.name,
                learnt=person.learnt,
            )
        )
    # One head per delegation: whoever leads it, else the first named.
    for attendee, person in zip(attendees, people, strict=True):
        if person.leads and attendee.country not in heads:
            attendee.role = "head"
            heads.add(attendee.country)
    for attendee in attendees:
        if attendee.country not in heads:
            attendee.role = "head"
            heads.add(attendee.country)
    return attendees


def _office(title: str) -> str:
    """The office a title names, by its head word: "Minister of National Defence" → "minister"."""
    heads = [w for w in re.findall(r"[\w-]+", title.lower()) if w in OFFICES]
    return heads[0] if heads else ""


OFFICES = {"minister", "secretary", "commander", "chief", "director", "ambassador", "commandant", "chairman"}


def _host_or_visitor(person: PersonFound, people: list, place: Place, visitors: list[str]):
    """The country of someone the text gives none for: the host's, unless the host already has
    someone in that office ("the Minister of National Defence … met Japan's Minister of
    Defense"), when they are the visitor, from the one other country the opening names."""
    office = _office(person.title)
    taken = office and any(p.country == place.country and _office(p.title) == office for p in people)
    if not taken:
        return place.country, "place"
    if len(visitors) == 1:
        return visitors[0], "visitor"
    return "", ""


def _counterpart(person: PersonFound) -> bool:
    return "counterpart" in person.sentence.text[max(0, person.start - 40) : person.start]


def _countries_in(text: str) -> list[str]:
    return list(dict.fromkeys(m.code for m in find_countries(text)))


def _strip_dateline(text: str) -> str:
    return re.sub(r"^[^–—]{0,80}\d[^–—]{0,40}\s[–—-]\s", "", text).strip()


def _title(kind: str, participants: list[str], place: Place, parent_event: str) -> str:
    names = [name_of(code) for code in participants[:3]]
    pair = "–".join(names) if names else ""
    if kind == "call":
        return f"{pair} call".strip() if pair else "Call"
    if kind == "visit":
        return f"Visit to {place.city or name_of(place.country)}" if place.city or place.country else "Visit"
    if kind == "multilateral" and parent_event:
        return f"Meeting on the margins of {parent_event}"[:200]
    if kind == "multilateral":
        return f"Defence ministers' meeting in {place.city}" if place.city else "Multilateral defence meeting"
    return f"{pair} defence talks" if pair else "Defence talks"


def _timezone(country: str) -> str:
    if not country:
        return "UTC"
    import pytz

    zones = pytz.country_timezones.get(country.lower()) or pytz.country_timezones.get(country)
    return zones[0] if zones else "UTC"


def _source_kind(text: str) -> str:
    start = text[:400].lower()
    if "readout" in start:
        return "readout"
    if "joint statement" in start.split("\n")[0]:
        return "joint_statement"
    return "press_release"


def _action_draft(action: ActionFound) -> ActionDraft:
    orgs: list[OrganisationFound] = action.organisations
    return ActionDraft(
        description=action.description,
        sentence=action.sentence,
        countries=action.countries,
        organisations=[o.known for o in orgs if o.known is not None],
        organisation_names=[o.acronym or o.name for o in orgs],
        due_date=action.due_date,
    )
