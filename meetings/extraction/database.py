"""The records the app holds, asked for by the extractor as it needs them.

Each look-up is one small query (people by name, organisations by acronym or name),
so a draft costs a few dozen queries at most, however many records the app holds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q

from meetings import services
from meetings.extraction.directory import (
    Correction,
    Directory,
    KnownOrganisation,
    KnownPerson,
    KnownTopic,
    capitalised_phrases,
)
from meetings.extraction.text import fold
from meetings.models import DraftCorrection, Meeting, MeetingCountry, Organization, Person, Topic


def _person(p: Person) -> KnownPerson:
    return KnownPerson(p.pk, p.name, p.country.code or "", p.organization_id, p.title)


def _organisation(o: Organization) -> KnownOrganisation:
    return KnownOrganisation(o.pk, o.name, o.acronym, o.country.code or "", o.kind)


class DatabaseDirectory(Directory):
    """The app's people and organisations, read once when there are not too many of them
    (the usual case) and otherwise asked for name by name."""

    PRELOAD_LIMIT = 20_000

    def __init__(self, user):
        super().__init__(name_matcher=services.names_match)
        self._user = user
        self._topic_cache: list[KnownTopic] | None = None
        self._city_cache: dict[str, str] = {}
        people = list(
            Person.objects.values_list("pk", "name", "country", "organization_id", "title")[
                : self.PRELOAD_LIMIT + 1
            ]
        )
        self._people_loaded = len(people) <= self.PRELOAD_LIMIT
        if self._people_loaded:
            self._set_people(KnownPerson(*row) for row in people)
        organisations = list(
            Organization.objects.values_list("pk", "name", "acronym", "country", "kind")[
                : self.PRELOAD_LIMIT + 1
            ]
        )
        self._organisations_loaded = len(organisations) <= self.PRELOAD_LIMIT
        if self._organisations_loaded:
            self._set_organisations(KnownOrganisation(*row) for row in organisations)
        self._set_corrections(
            _correction(c) for c in DraftCorrection.objects.select_related("person", "topic")
        )

    def people_named(self, name: str) -> list[KnownPerson]:
        if self._people_loaded:
            return super().people_named(name)
        return [_person(p) for p in services.similar_people(name, limit=3)]

    def organisations_named(self, name: str, country: str = "") -> list[KnownOrganisation]:
        if self._organisations_loaded:
            return super().organisations_named(name, country)
        queryset = Organization.objects.filter(Q(name__iexact=name) | Q(acronym__iexact=name))
        if country:
            queryset = queryset.filter(Q(country=country) | Q(country=""))
        return [_organisation(o) for o in queryset.order_by("pk")[:5]]

    def organisations_by_acronym(self, acronyms: Iterable[str]) -> list[KnownOrganisation]:
        if self._organisations_loaded:
            return super().organisations_by_acronym(acronyms)
        wanted = [a for a in acronyms if a][:500]
        if not wanted:
            return []
        query = Q()
        for acronym in wanted:
            query |= Q(acronym__iexact=acronym)
        return [_organisation(o) for o in Organization.objects.filter(query).exclude(acronym="")[:200]]

    def organisations_in_text(self, text: str) -> list[KnownOrganisation]:
        if self._organisations_loaded:
            return super().organisations_in_text(text)
        phrases = [p for p in capitalised_phrases(text) if " " in p]
        if not phrases:
            return []
        return [_organisation(o) for o in Organization.objects.filter(name__in=phrases)[:200]]

    def organisation(self, pk) -> KnownOrganisation | None:
        if self._organisations_loaded:
            return super().organisation(pk)
        found = Organization.objects.filter(pk=pk).first()
        return _organisation(found) if found else None

    def topics(self) -> list[KnownTopic]:
        if self._topic_cache is None:
            rows = list(Topic.objects.values_list("pk", "name", "parent_id", "description"))
            names = {pk: (name, parent) for pk, name, parent, _ in rows}

            def path(pk) -> str:
                chain, seen = [], set()
                while pk is not None and pk in names and pk not in seen:
                    seen.add(pk)
                    chain.insert(0, names[pk][0])
                    pk = names[pk][1]
                return " › ".join(chain)

            self._topic_cache = [
                KnownTopic(pk, name, parent, path(pk), description) for pk, name, parent, description in rows
            ]
        return self._topic_cache

    def country_of_city(self, city: str) -> str:
        key = city.casefold()
        if key not in self._city_cache:
            self._city_cache[key] = (
                Meeting.objects.visible_to(self._user)
                .filter(city__iexact=city)
                .exclude(country="")
                .values_list("country", flat=True)
                .first()
                or ""
            )
        return self._city_cache[key]


def _correction(row: DraftCorrection) -> Correction:
    return Correction(
        row.kind,
        row.phrase,
        person=_person(row.person) if row.person_id else None,
        topic=KnownTopic(row.topic.pk, row.topic.name, row.topic.parent_id) if row.topic_id else None,
        city=row.city,
        country=row.country.code or "",
    )


# Duplicates -------------------------------------------------------------------------------------

SIMILAR_TITLE = 0.85
SAME_DAY_LIMIT = 500  # meetings of one day looked at for a similar title: far more than any day holds


@dataclass
class Recorded:
    meeting: Meeting
    reason: str


def recorded_already(user, *, day, partners: list[str], title: str) -> list[Recorded]:
    """Meetings the user may see that the draft may be: the same day and the same partner
    countries (two of them, or the only one the draft names), or the same day and a title
    that reads nearly the same. Nothing above the user's clearance is looked at."""
    if not isinstance(day, datetime.date):
        return []
    same_day = Meeting.objects.visible_to(user).filter(start_date=day)
    found: dict[int, Recorded] = {}
    partners = list(dict.fromkeys(p for p in partners if p))
    if partners:
        shared: dict[int, set[str]] = {}
        rows = MeetingCountry.objects.filter(
            meeting__in=same_day, role=MeetingCountry.Role.PARTICIPANT, country__in=partners
        ).values_list("meeting_id", "country")
        for meeting_id, country in rows[:SAME_DAY_LIMIT]:
            shared.setdefault(meeting_id, set()).add(country)
        needed = min(2, len(partners))
        wanted = {pk: codes for pk, codes in shared.items() if len(codes) >= needed}
        for meeting in same_day.filter(pk__in=wanted).order_by("pk"):
            found[meeting.pk] = Recorded(meeting, "same day, same countries taking part")
    if title:
        folded = fold(title)
        for meeting in same_day.exclude(pk__in=found).order_by("pk")[:SAME_DAY_LIMIT]:
            if SequenceMatcher(None, folded, fold(meeting.title)).ratio() >= SIMILAR_TITLE:
                found[meeting.pk] = Recorded(meeting, "same day, nearly the same title")
    return list(found.values())
