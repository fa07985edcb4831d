"""Text search for the meeting list: PostgreSQL full-text search, substring matching elsewhere.

On PostgreSQL every meeting carries ``search_document``, a ``tsvector`` of its title,
summary and outcome that the database itself keeps up to date (a stored generated
column, added by migration 0005 and not declared on the model, so the ORM never reads
or writes it), with a GIN index. A word matches the words of the meeting that begin
with it ("hydro" finds "hydrography"), after English stemming ("exercises" finds
"exercise").

Topic names and attendee names are looked up in their own (small) tables first; a
word that names a topic or a person then also matches the meetings with that topic
or attendee. So renaming a person or a topic never needs a meeting's document
rewritten, and a word that names nobody costs nothing extra.

Elsewhere (SQLite, for development and tests) every word is a case-insensitive
substring of one of those fields, as before.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from django.db import NotSupportedError, connections
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, QuerySet, Value

from meetings.models import Attendance, MeetingTopic, Person, Topic

CONFIG = "english"
COLUMN = "search_document"
MAX_WORDS = 8


class DocumentMatches(Expression):
    """True where the meeting's stored search document matches ``query`` (a ``to_tsquery`` string)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, query: str, pk=None):
        super().__init__()
        self.query = query
        self.pk = pk if pk is not None else F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.pk = self.pk.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        raise NotSupportedError("The meeting search document exists on PostgreSQL only.")

    def as_postgresql(self, compiler, connection):
        # The column sits next to the primary key, under whatever alias the query gives the table.
        table = compiler.quote_name(self.pk.alias)
        column = connection.ops.quote_name(COLUMN)
        return f"{table}.{column} @@ to_tsquery(%s::regconfig, %s)", [CONFIG, self.query]


def full_text(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def prefix_query(term: str) -> str:
    """A ``to_tsquery`` string: every word of ``term`` as a prefix, all required."""
    return " & ".join(f"'{word}':*" for word in re.findall(r"\w+", term))


def names_matching(terms: list[str]) -> dict[str, tuple[set[int], set[int]]]:
    """For each term, the topics and the people whose name contains it: one query for all."""
    found = {term: (set(), set()) for term in terms}
    if not terms:
        return found
    topics = Topic.objects.filter(reduce(or_, [Q(name__icontains=t) for t in terms])).values_list(
        Value(0), "pk", "name"
    )
    people = Person.objects.filter(reduce(or_, [Q(name__icontains=t) for t in terms])).values_list(
        Value(1), "pk", "name"
    )
    for kind, pk, name in topics.union(people, all=True):
        folded = name.casefold()
        for term in terms:
            if term.casefold() in folded:
                found[term][kind].add(pk)
    return found


def filter_meetings(queryset: QuerySet, text: str) -> QuerySet:
    """Meetings in which every word of ``text`` is in the title, summary, outcome, a topic
    name or an attendee's name."""
    terms = text.split()[:MAX_WORDS]
    if not terms:
        return queryset
    if not full_text(queryset.db):
        return _filter_substrings(queryset, terms)
    names = names_matching(terms)
    plain = []  # terms that name no topic and nobody: one document match for all of them
    for term in terms:
        topics, people = names[term]
        query = prefix_query(term)
        if not topics and not people:
            if query:
                plain.append(query)
            else:
                return queryset.none()  # punctuation only, in no document and no name
            continue
        condition = DocumentMatches(query) if query else Q(pk__in=[])
        if topics:
            condition |= Exists(MeetingTopic.objects.filter(meeting=OuterRef("pk"), topic_id__in=topics))
        if people:
            condition |= Exists(Attendance.objects.filter(meeting=OuterRef("pk"), person_id__in=people))
        queryset = queryset.filter(condition)
    if plain:
        queryset = queryset.filter(DocumentMatches(" & ".join(plain)))
    return queryset


def _filter_substrings(queryset: QuerySet, terms: list[str]) -> QuerySet:
    for term in terms:
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(outcome__icontains=term)
            | Exists(MeetingTopic.objects.filter(meeting=OuterRef("pk"), topic__name__icontains=term))
            | Exists(Attendance.objects.filter(meeting=OuterRef("pk"), person__name__icontains=term))
        )
    return queryset
