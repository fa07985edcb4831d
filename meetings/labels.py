"""How a record is named where one is chosen: in type-ahead boxes, lists and exports."""

from __future__ import annotations

from meetings.country_names import country_name
from meetings.models import Organization, Person, Topic


def person_label(person: Person) -> str:
    return f"{person.name} — {person.title}" if person.title else person.name


def organization_label(organization: Organization) -> str:
    """Many ministries share a name: the country tells them apart."""
    country = country_name(organization.country) if organization.country else ""
    return f"{organization} · {country}" if country else str(organization)


def topic_label(topic: Topic) -> str:
    return topic.path
