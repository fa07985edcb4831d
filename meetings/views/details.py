"""Detail pages: a meeting, and the people, organisations, topics and countries around it.

Every meeting these pages list, link or count comes from ``Meeting.objects.visible_to``
(or the meeting-scoped ``visible_to`` of actions and attendances), so a meeting above the
reader's clearance never shows: not as a row, a parent, a series neighbour or a count.
Related rows are fetched with ``select_related``/``prefetch_related`` so the number of
queries stays the same however many attendees, topics or actions a page shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_countries import countries
from django_countries.fields import Country

from meetings import selectors
from meetings.audit import record as audit
from meetings.delegations import delegations
from meetings.forms import CarryOverForm
from meetings.history import meeting_history, record_history
from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Engagement,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Organization,
    Person,
    Topic,
)

# Lists on a detail page show the most recent rows and link to the filtered list for the rest.
MEETING_LIMIT = 50
ACTION_LIMIT = 25
RELATED_LIMIT = 5
# Related meetings of countries that all take part often are looked for among this many of the latest.
RELATED_SEARCH = 1000
TOP_TOPICS = 10
# A country's topic counts and the actions owed to it come from its most recent meetings,
# so the page costs the same for a country met a million times as for one met twice.
COUNTRY_SAMPLE = 500
OPEN_STATUS_QUERY = "&".join(f"status={status}" for status in Action.OPEN_STATUSES)


@dataclass
class Limited:
    """The first rows of a longer list, and whether there are more."""

    rows: list
    more: bool

    @classmethod
    def of(cls, queryset: QuerySet, limit: int) -> Limited:
        rows = list(queryset[: limit + 1])
        return cls(rows[:limit], len(rows) > limit)


def _parties() -> Prefetch:
    return Prefetch("parties", queryset=ActionParty.objects.select_related("organization").order_by("id"))


def _open_first(actions: QuerySet) -> QuerySet:
    """Earliest due first, actions without a due date last."""
    return actions.order_by(F("due_date").asc(nulls_last=True), "id")


def _open_first_of_few(actions: QuerySet) -> QuerySet:
    """As ``_open_first``, for a filter that matches few actions (one person's, one organisation's).

    Open actions sit at the recent end of the due-date index, so walking it from the oldest
    date to find a rare match reads most of the table; sorting on an expression instead makes
    the database gather the matches first, then sort them.
    """
    return actions.order_by(Coalesce("due_date", Value(datetime.date.max)), "id")


def _fill_parent_chains(nodes: Iterable) -> None:
    """Load the parents of tree nodes (topics, organisations) one level per query.

    ``ancestors()`` and ``Topic.path`` then walk cached parents: the cost grows with the
    depth of the tree, never with the number of nodes on the page.
    """
    nodes = list(nodes)
    if not nodes:
        return
    model = type(nodes[0])
    parent_field = model._meta.get_field("parent")
    known = {node.pk: node for node in nodes}
    done: set[int] = set()
    pending = [node for node in nodes if node.parent_id]
    while pending:
        for node in pending:  # parents already fetched with the nodes (select_related) cost nothing
            if parent_field.is_cached(node) and node.parent is not None:
                known.setdefault(node.parent_id, node.parent)
        missing = {node.parent_id for node in pending if node.parent_id not in known}
        if missing:
            known.update(model.objects.in_bulk(missing))
        next_round = []
        for node in pending:
            if id(node) in done:
                continue
            done.add(id(node))
            parent = known.get(node.parent_id)
            if parent is None:
                continue
            node.parent = parent
            if parent.parent_id and id(parent) not in done:
                next_round.append(parent)
        pending = next_round


def _highest_marking(*groups: Iterable[Meeting]) -> int:
    return max((meeting.classification for group in groups for meeting in group), default=0)


def _utc_offset(meeting: Meeting) -> str:
    """The meeting's time zone as an offset on its day, e.g. "UTC+03:00"; empty if unknown."""
    try:
        zone = ZoneInfo(meeting.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    moment = datetime.datetime.combine(meeting.start_date, meeting.start_time or datetime.time(12), zone)
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else ""


def _open_first_for(actions: QuerySet, rows_behind: QuerySet, many: int = 5000) -> QuerySet:
    """Earliest due first, in the way that suits how many actions the filter matches (as
    ``_newest_first_for``): walk the open actions' due-date index for a common match,
    gather and sort a rare one's."""
    if rows_behind.order_by()[:many].count() == many:
        return _open_first(actions)
    return _open_first_of_few(actions)


def _newest_first(meetings: QuerySet) -> QuerySet:
    return meetings.order_by("-start_date", "-pk")


def _newest_first_of_few(meetings: QuerySet) -> QuerySet:
    """Newest first, for a filter that matches few meetings (one person's, a set of countries').

    Sorting on an expression keeps PostgreSQL from walking the whole date index in the hope
    of meeting a rare match early: it gathers the matches from their own index, then sorts.
    """
    return meetings.order_by(Coalesce("start_date", "end_date").desc(), "-pk")


def _recent_ids(*ordered: QuerySet, limit: int) -> list[int]:
    """The ids of the most recent meetings in any of the (newest-first) querysets, newest first.

    Each part is ordered and cut on its own rather than joined with OR: the database then
    uses the best index for each, where one OR hides how selective each part is.
    """
    found: set[tuple[datetime.date, int]] = set()
    for queryset in ordered:
        found.update(queryset.values_list("start_date", "pk")[:limit])
    return [pk for _, pk in sorted(found, reverse=True)[:limit]]


def _newest_first_for(meetings: QuerySet, rows_behind: QuerySet, many: int = 5000) -> QuerySet:
    """Newest first, in the way that suits how many meetings the filter matches.

    ``rows_behind`` are the rows the filter looks for (say, an organisation's attendances);
    counting at most ``many`` of them is cheap and tells a common match (walk the date
    index) from a rare one (gather, then sort).
    """
    if rows_behind.order_by()[:many].count() == many:
        return _newest_first(meetings)
    return _newest_first_of_few(meetings)


# (The outer date bound is what the series index can seek to; the rest sorts out a shared day.)
def _later_in_series(meeting: Meeting) -> Q:
    return Q(series_id=meeting.series_id, start_date__gte=meeting.start_date) & (
        Q(start_date__gt=meeting.start_date) | Q(pk__gt=meeting.pk)
    )


def _earlier_in_series(meeting: Meeting) -> Q:
    return Q(series_id=meeting.series_id, start_date__lte=meeting.start_date) & (
        Q(start_date__lt=meeting.start_date) | Q(pk__lt=meeting.pk)
    )


def _series_neighbours(visible: QuerySet, meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
    """The meetings before and after this one in its series, each read off the series index."""
    if not meeting.series_id:
        return None, None
    previous = visible.filter(_earlier_in_series(meeting)).order_by("-start_date", "-pk").first()
    following = visible.filter(_later_in_series(meeting)).order_by("start_date", "pk").first()
    return previous, following


def _linked_meetings(
    visible: QuerySet, meeting: Meeting, carried: set[int], all_later: bool
) -> list[Meeting]:
    """In one query, the visible meetings this one links to: its parent, its side meetings,
    the meetings before and after it in its series (or, with ``all_later``, every later one,
    for carrying actions), and those actions were carried from or into (``carried``)."""
    wanted = Q(parent_id=meeting.pk)
    if meeting.parent_id:
        wanted |= Q(pk=meeting.parent_id)
    if carried:
        wanted |= Q(pk__in=carried)
    if meeting.series_id:
        previous = visible.filter(_earlier_in_series(meeting)).order_by("-start_date", "-pk").values("pk")[:1]
        wanted |= Q(pk=Subquery(previous))
        if all_later:
            wanted |= _later_in_series(meeting)
        else:
            following = (
                visible.filter(_later_in_series(meeting)).order_by("start_date", "pk").values("pk")[:1]
            )
            wanted |= Q(pk=Subquery(following))
    return list(visible.filter(wanted).exclude(pk=meeting.pk))


def _series_order(meeting: Meeting) -> tuple[datetime.date, int]:
    return meeting.start_date, meeting.pk


def _country_codes(role: str) -> Subquery:
    """A meeting's countries in one role, as "KE,GB": read with the meeting itself rather
    than in a query of their own (SQLite cannot order inside the aggregate; ``_countries``
    sorts them)."""
    rows = MeetingCountry.objects.filter(meeting=OuterRef("pk"), role=role).order_by().values("meeting")
    return Subquery(rows.annotate(codes=StringAgg("country", Value(","))).values("codes"))


def _countries(codes: str | None) -> list[Country]:
    return [Country(code) for code in sorted((codes or "").split(",")) if code]


def _with_participants(visible: QuerySet, codes: list[str]) -> QuerySet:
    """Meetings in which every one of these countries took part."""
    for code in codes:
        visible = visible.filter(
            Exists(
                MeetingCountry.objects.filter(
                    meeting=OuterRef("pk"), country=code, role=MeetingCountry.Role.PARTICIPANT
                )
            )
        )
    return visible


def _related(visible: QuerySet, codes: list[str]) -> list[Meeting]:
    """The latest meetings every one of these countries took part in.

    Walked newest first down the country index of the one that takes part least often
    (``selectors.engagement_frequencies``), checking the others as it goes: a page of
    matches ends the walk. When even that country takes part in very many meetings, only
    its latest ``RELATED_SEARCH`` are searched, so a combination that hardly ever meets
    cannot cost a walk through hundreds of thousands.
    """
    frequency = selectors.engagement_frequencies()
    driver = min(codes, key=lambda code: (frequency.get(code, 0), code))
    # The date of the driver's RELATED_SEARCH-th latest meeting, if it has that many.
    floor = Engagement.objects.filter(country=driver).order_by("-start_date").values("start_date")
    floor = Coalesce(Subquery(floor[RELATED_SEARCH - 1 : RELATED_SEARCH]), Value(datetime.date.min))
    # Checked meeting by meeting as the walk goes (one small subquery), not joined once per
    # country: with a join per country the planner would gather every match before sorting.
    together = (
        MeetingCountry.objects.filter(
            meeting=OuterRef("pk"), role=MeetingCountry.Role.PARTICIPANT, country__in=codes
        )
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    candidates = selectors.engaging(visible.alias(together=Subquery(together)), driver, since=floor)
    candidates = candidates.filter(together=len(set(codes)))
    return list(selectors.newest_first(candidates)[:RELATED_LIMIT])


# --- Pages ---------------------------------------------------------------------------------


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Meeting.objects.visible_to(request.user)
    meeting = get_object_or_404(
        visible.select_related("series")
        .annotate(
            participant_codes=_country_codes(MeetingCountry.Role.PARTICIPANT),
            mentioned_codes=_country_codes(MeetingCountry.Role.MENTIONED),
        )
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("person", "organization")),
            Prefetch("topic_notes", queryset=MeetingTopic.objects.select_related("topic__parent__parent")),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("responsible_person", "carried_from")
                # At most one copy (a database constraint); its meeting is fetched with the others.
                .annotate(
                    copy_id=Subquery(Action.objects.filter(carried_from=OuterRef("pk")).values("pk")[:1]),
                    copy_meeting_id=Subquery(
                        Action.objects.filter(carried_from=OuterRef("pk")).values("meeting_id")[:1]
                    ),
                )
                .prefetch_related(_parties()),
            ),
            "sources",
            "organizations",
        ),
        pk=pk,
    )
    audit.meeting_read(request, meeting)
    topic_notes = list(meeting.topic_notes.all())
    _fill_parent_chains(note.topic for note in topic_notes)

    actions = sorted(meeting.actions.all(), key=lambda action: action.pk)
    carry = bool(meeting.series_id and any(action.is_open for action in actions) and request.user.can_edit)
    carried_ids = {action.carried_from.meeting_id for action in actions if action.carried_from_id}
    carried_ids |= {action.copy_meeting_id for action in actions if action.copy_meeting_id}
    linked = _linked_meetings(visible, meeting, carried_ids, all_later=carry)
    by_pk = {other.pk: other for other in linked}
    # An action carried from or into another meeting links to it only if that meeting is visible.
    for action in actions:
        action.carried_from_meeting = (
            by_pk.get(action.carried_from.meeting_id) if action.carried_from_id else None
        )
        action.carried_into_meeting = by_pk.get(action.copy_meeting_id)
    carried_from = [a.carried_from_meeting for a in actions if a.carried_from_meeting]
    carried_into = [a.carried_into_meeting for a in actions if a.carried_into_meeting]
    parent = by_pk.get(meeting.parent_id)
    side_meetings = sorted((m for m in linked if m.parent_id == meeting.pk), key=_series_order)
    in_series = sorted(
        (m for m in linked if meeting.series_id and m.series_id == meeting.series_id), key=_series_order
    )
    here = _series_order(meeting)
    previous = next((m for m in reversed(in_series) if _series_order(m) < here), None)
    later = [m for m in in_series if _series_order(m) > here]
    following = later[0] if later else None
    carry_over = (
        CarryOverForm(
            meeting=meeting, user=request.user, later=later, open_actions=[a for a in actions if a.is_open]
        )
        if carry
        else None
    )
    offered = carry_over.offered if carry_over else []

    participants = _countries(meeting.participant_codes)
    mentioned = _countries(meeting.mentioned_codes)
    neighbours = [m for m in (parent, previous, following) if m]
    related = []
    if participants:
        others = visible.exclude(pk__in=[meeting.pk, *(m.pk for m in neighbours)])
        related = _related(others, [c.code for c in participants])
    # The banner carries the highest marking on the page: the meeting's own, unless a
    # meeting it links to (parent, side, series, related, carried from or into, or offered to
    # carry actions into) is marked higher.
    shown = [meeting, *side_meetings, *neighbours, *related, *carried_from, *carried_into, *offered]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "page_marking": _highest_marking(shown),
            "utc_offset": _utc_offset(meeting),
            "parent": parent,
            "side_meetings": side_meetings,
            "delegations": delegations(meeting, meeting.attendances.all()),
            "topic_notes": topic_notes,
            "actions": actions,
            "participants": participants,
            "mentioned": mentioned,
            "previous": previous,
            "following": following,
            "related": related,
            "carry_over_form": carry_over,
        },
    )


def meeting_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's change history, inline rows included: loaded into the meeting page
    when it scrolls into view (htmx), or as a page of its own without JavaScript."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    template = "includes/history.html" if request.htmx else "meetings/meeting_history.html"
    context = {
        "meeting": meeting,
        "history": meeting_history(meeting, request.user),
        "page_marking": meeting.classification,
    }
    return render(request, template, context)


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("organization"), pk=pk)
    meetings = Limited.of(
        _newest_first_of_few(
            Meeting.objects.visible_to(request.user)
            .filter(Exists(Attendance.objects.filter(meeting=OuterRef("pk"), person=person)))
            .prefetch_related(
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.filter(person=person).select_related("organization"),
                    to_attr="person_attendances",
                )
            )
        ),
        MEETING_LIMIT,
    )
    titles = (
        Attendance.objects.visible_to(request.user)
        .filter(person=person, status=Attendance.Status.ATTENDED)
        .exclude(title="")
        .values("title")
        .annotate(first=Min("meeting__start_date"), last=Max("meeting__start_date"), count=Count("id"))
        .order_by("-last", "title")
    )
    today = timezone.localdate()
    last_met = next(
        (
            meeting
            for meeting in meetings.rows
            if meeting.start_date <= today
            and meeting.status == Meeting.Status.HELD
            and meeting.person_attendances[0].status == Attendance.Status.ATTENDED
        ),
        None,
    )
    actions = Limited.of(
        _open_first_of_few(Action.objects.visible_to(request.user).filter(responsible_person=person))
        .select_related("meeting", "responsible_person")
        .prefetch_related(_parties()),
        ACTION_LIMIT,
    )
    return render(
        request,
        "meetings/person_detail.html",
        {
            "person": person,
            "meetings": meetings,
            "titles": list(titles),
            "last_met": last_met,
            "actions": actions,
            "page_marking": _highest_marking(meetings.rows, (action.meeting for action in actions.rows)),
            "history": record_history(person),
        },
    )


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user).select_related("parent"), pk=pk
    )
    _fill_parent_chains([organization])
    visible = Meeting.objects.visible_to(request.user)
    attendances = Attendance.objects.filter(organization=organization)
    ids = _recent_ids(
        _newest_first_for(
            visible.filter(Exists(attendances.filter(meeting=OuterRef("pk")))), attendances.values("pk")
        ),
        _newest_first_of_few(
            visible.filter(
                Exists(
                    Meeting.organizations.through.objects.filter(
                        meeting=OuterRef("pk"), organization=organization
                    )
                )
            )
        ),
        limit=MEETING_LIMIT + 1,
    )
    meetings = Limited.of(
        _newest_first(
            visible.filter(pk__in=ids).prefetch_related(
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.filter(organization=organization).select_related("person"),
                    to_attr="organization_attendances",
                )
            )
        ),
        MEETING_LIMIT,
    )
    actions = Limited.of(
        _open_first_of_few(
            Action.objects.visible_to(request.user)
            .open()
            .filter(Exists(ActionParty.objects.filter(action=OuterRef("pk"), organization=organization)))
        )
        .select_related("meeting", "responsible_person")
        .prefetch_related(_parties()),
        ACTION_LIMIT,
    )
    return render(
        request,
        "meetings/organization_detail.html",
        {
            "organization": organization,
            "ancestors": organization.ancestors(),
            "children": list(organization.children.all()),
            "people": Limited.of(organization.people.all(), MEETING_LIMIT),
            "meetings": meetings,
            "actions": actions,
            "actions_url": f"{reverse('action-list')}?organization={organization.pk}&{OPEN_STATUS_QUERY}",
            "page_marking": _highest_marking(meetings.rows, (action.meeting for action in actions.rows)),
            "history": record_history(organization),
        },
    )


def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.visible_to(request.user).select_related("parent"), pk=pk)
    children = list(topic.children.all())
    _fill_parent_chains([topic, *children])
    subtree = Topic.subtree_ids([topic.pk])
    meetings = Limited.of(
        _newest_first(
            Meeting.objects.visible_to(request.user)
            .filter(Exists(MeetingTopic.objects.filter(meeting=OuterRef("pk"), topic_id__in=subtree)))
            .prefetch_related(
                Prefetch(
                    "topic_notes",
                    queryset=MeetingTopic.objects.filter(topic_id__in=subtree).select_related("topic"),
                    to_attr="matching_notes",
                )
            )
        ),
        MEETING_LIMIT,
    )
    return render(
        request,
        "meetings/topic_detail.html",
        {
            "topic": topic,
            "ancestors": topic.ancestors(),
            "children": children,
            "meetings": meetings,
            "page_marking": _highest_marking(meetings.rows),
            "history": record_history(topic),
        },
    )


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if len(code) != 2 or code not in countries:
        raise Http404("No such country code.")
    country = Country(code=code)
    visible = Meeting.objects.visible_to(request.user)
    # Engagement, as the meeting list's country filter: it took part, or the meeting was held there.
    recent = list(
        selectors.newest_first(selectors.engaging(visible, code)).values_list("pk", flat=True)[
            :COUNTRY_SAMPLE
        ]
    )
    meetings = Limited.of(
        _newest_first(
            visible.filter(pk__in=recent[: MEETING_LIMIT + 1]).prefetch_related(
                Prefetch(
                    "countries", queryset=MeetingCountry.objects.filter(role=MeetingCountry.Role.PARTICIPANT)
                )
            )
        ),
        MEETING_LIMIT,
    )
    for meeting in meetings.rows:
        meeting.other_countries = [mc.country for mc in meeting.countries.all() if mc.country.code != code]
    # Where it was only mentioned: from its most recently recorded mentions, read off the
    # (country, role, meeting) index, so a country mentioned rarely costs no table scan.
    mentions = (
        MeetingCountry.objects.filter(country=code, role=MeetingCountry.Role.MENTIONED)
        .order_by("-meeting_id")
        .values_list("meeting_id", flat=True)[:COUNTRY_SAMPLE]
    )
    mentioned_at = Limited.of(
        _newest_first(visible.filter(pk__in=list(mentions)).exclude(country=code)), RELATED_LIMIT * 2
    )
    open_actions = (
        Action.objects.visible_to(request.user)
        .open()
        .select_related("meeting", "responsible_person")
        .prefetch_related(_parties())
    )
    its_party = Exists(ActionParty.objects.filter(action=OuterRef("pk"), country=code))
    owed_by = Limited.of(
        _open_first_for(open_actions.filter(its_party), ActionParty.objects.filter(country=code)),
        ACTION_LIMIT,
    )
    owed_to = Limited.of(
        _open_first(open_actions.filter(meeting_id__in=recent).exclude(its_party)), ACTION_LIMIT
    )
    topic_counts = list(
        MeetingTopic.objects.filter(meeting_id__in=recent)
        .values("topic")
        .annotate(meetings=Count("meeting", distinct=True))
        .order_by("-meetings", "topic")[:TOP_TOPICS]
    )
    topics = Topic.objects.in_bulk([row["topic"] for row in topic_counts])
    _fill_parent_chains(topics.values())
    top_topics = [(topics[row["topic"]], row["meetings"]) for row in topic_counts if row["topic"] in topics]
    by_year = [(year, list(rows)) for year, rows in groupby(meetings.rows, key=lambda m: m.start_date.year)]
    today = timezone.localdate()
    upcoming = [m for m in meetings.rows if m.start_date > today and m.status != Meeting.Status.CANCELLED]
    return render(
        request,
        "meetings/country_detail.html",
        {
            "country": country,
            "meetings": meetings,
            "by_year": by_year,
            "last_meeting": next((m for m in meetings.rows if m.start_date <= today), None),
            "next_meeting": upcoming[-1] if upcoming else None,
            "mentioned_at": mentioned_at,
            "owed_by": owed_by,
            "owed_by_url": f"{reverse('action-list')}?country={code}&{OPEN_STATUS_QUERY}",
            "owed_to": owed_to,
            "sampled": len(recent) == COUNTRY_SAMPLE,
            "sample_size": COUNTRY_SAMPLE,
            "top_topics": top_topics,
            "page_marking": _highest_marking(
                meetings.rows,
                mentioned_at.rows,
                (action.meeting for action in owed_by.rows),
                (action.meeting for action in owed_to.rows),
            ),
        },
    )
