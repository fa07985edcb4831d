"""Countries, organisations, people, topics and series named in an imported row.

Existing records are matched the way the forms match them (``names_match`` through
``similar_people`` and ``similar_organizations``, plus the country); a person or
organisation not found is created through its own form, so the same checks apply.
Topics are created only when the import allows it.
"""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django_countries import countries

from meetings import services
from meetings.extraction.countries import code_for
from meetings.forms import OrganizationForm, PersonForm, TopicForm
from meetings.labels import organization_label
from meetings.models import MeetingSeries, Organization, Person, Topic

LABEL_COUNTRY = " · "  # organization_label: "Ministry of Defence (MOD) · United Kingdom"
ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[^()]{1,30})\)$")
TOPIC_PATH = re.compile(r"\s+[›>]\s+")

PersonImportForm = modelform_factory(Person, form=PersonForm, fields=[*PersonForm.Meta.fields, "email"])
OrganizationImportForm = modelform_factory(
    Organization, form=OrganizationForm, fields=[*OrganizationForm.Meta.fields, "contact_email"]
)


class Refused(Exception):
    """A value that cannot be used; the message says why, for the person."""


def form_messages(form) -> str:
    return " ".join(message for errors in form.errors.values() for message in errors)


@functools.lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """An ISO code for a code, an English name or a common short name ("UK"); None if unknown.
    Kept per name: reading a name walks every country's, and an import names the same few
    countries in every row."""
    text = text.strip()
    if not text:
        return ""
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    return countries.by_name(text, insensitive=True) or code_for(text) or None


def parse_organization_label(label: str) -> tuple[str, str, str]:
    """ "Ministry of Defence (MOD) · United Kingdom" → (name, acronym, country code)."""
    label, country = label.strip(), ""
    if LABEL_COUNTRY in label:
        head, _, tail = label.rpartition(LABEL_COUNTRY)
        code = country_code(tail)
        if code:
            label, country = head.strip(), code
    found = ACRONYM.match(label)
    if found:
        return found["name"].strip(), found["acronym"].strip(), country
    return label, "", country


class References:
    """Finds or creates the records rows refer to; remembers what this import created."""

    def __init__(self, *, create_topics: bool):
        self.create_topics = create_topics
        self.created: set[tuple[type, int]] = set()

    def is_new(self, record) -> bool:
        return (type(record), record.pk) in self.created

    def _created(self, record):
        self.created.add((type(record), record.pk))
        return record

    # Countries --------------------------------------------------------------------

    def country(self, text: str) -> str:
        code = country_code(text)
        if code is None:
            raise Refused(f"Unknown country “{text}”: give its ISO code (KE) or its English name (Kenya).")
        return code

    # Organisations ----------------------------------------------------------------

    def organization(self, label: str, *, country: str = "") -> Organization:
        """The organisation a label names (name, acronym and country), created if new."""
        name, acronym, named_country = parse_organization_label(label)
        country = named_country or country
        found = self.match_organization(name, acronym, country)
        if found:
            return found
        return self.create_organization({"name": name, "acronym": acronym, "country": country})

    def match_organization(self, name: str, acronym: str, country: str) -> Organization | None:
        """By name, then by acronym, in that country when one is given. Names are compared
        without case, accents, punctuation and word order, but no word may be missing: a unit
        is often named like its parent with words added ("British Army Training Unit Kenya")."""
        candidates = Organization.objects.filter(country=country) if country else Organization.objects.all()
        found = candidates.filter(name__iexact=name).first()
        if found is None:
            found = candidates.exclude(acronym="").filter(acronym__iexact=acronym or name).first()
        if found is None:
            words = sorted(services.name_tokens(name))
            similar = services.similar_organizations(name, country=country, limit=20)
            found = next((o for o in similar if sorted(services.name_tokens(o.name)) == words), None)
        return found

    def create_organization(self, data: dict) -> Organization:
        values = {"kind": Organization.Kind.OTHER, **data, "confirm_new": "on"}
        form = OrganizationImportForm(data={k: v for k, v in values.items() if v not in (None, "")})
        if not form.is_valid():
            raise Refused(f"New organisation “{data.get('name')}”: {form_messages(form)}")
        return self._created(form.save())

    # People -----------------------------------------------------------------------

    def match_person(self, name: str, country: str) -> Person | None:
        """The recorded person of that name (fuzzy, as the forms match) and compatible country."""
        for person in services.similar_people(name, limit=20):
            if not country or not person.country or person.country.code == country:
                return person
        return None

    def person(self, name: str, *, country: str = "", title: str = "", organization=None) -> Person:
        found = self.match_person(name, country)
        if found:
            return found
        return self.create_person(
            {"name": name, "country": country, "title": title, "organization": organization}
        )

    def create_person(self, data: dict) -> Person:
        values = {**data, "confirm_new": "on"}
        if isinstance(values.get("organization"), Organization):
            values["organization"] = values["organization"].pk
        form = PersonImportForm(data={k: v for k, v in values.items() if v not in (None, "")})
        if not form.is_valid():
            raise Refused(f"New person “{data.get('name')}”: {form_messages(form)}")
        return self._created(form.save())

    # Topics and series ------------------------------------------------------------

    def topic(self, path: str) -> Topic:
        """A topic by its path ("Regional security › Horn of Africa") or, if unique, its name."""
        names = [name.strip() for name in TOPIC_PATH.split(path.strip()) if name.strip()]
        if len(names) == 1:
            same_name = list(Topic.objects.filter(name__iexact=names[0])[:2])
            if len(same_name) > 1:
                raise Refused(
                    f"Several topics are called “{names[0]}”: give its path, e.g. “Parent › {names[0]}”."
                )
            if same_name:
                return same_name[0]
        parent = None
        for depth, name in enumerate(names):
            node = Topic.objects.filter(parent=parent, name__iexact=name).first()
            if node is None:
                if not self.create_topics:
                    shown = " › ".join(names[: depth + 1])
                    raise Refused(
                        f"Unknown topic “{shown}”. Record it first, or allow new topics for this import."
                    )
                form = TopicForm(data={"name": name, "parent": parent.pk if parent else ""})
                if not form.is_valid():
                    raise Refused(f"New topic “{name}”: {form_messages(form)}")
                node = self._created(form.save())
            parent = node
        return parent

    def series(self, name: str) -> MeetingSeries:
        found = MeetingSeries.objects.filter(name__iexact=name).first()
        if found:
            return found
        series = MeetingSeries(name=name)
        try:
            series.full_clean()
        except ValidationError as error:
            raise Refused(f"New series “{name}”: {' '.join(error.messages)}") from None
        series.save()
        return self._created(series)


def describe(record) -> str:
    if isinstance(record, Organization):
        return organization_label(record)
    if isinstance(record, Topic):
        return record.path
    return str(record)
