"""The defence meetings domain: meetings, who attended, what was discussed and agreed."""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django_countries.fields import CountryField
from simple_history import register as register_history

from meetings import classification
from meetings.country_names import country_name
from meetings.uploads import SourceFileField, clean_file_name, stored_name
from meetings.validators import single_line, single_line_constraints

EDITOR_GROUPS = ("editor", "administrator")


class User(AbstractUser):
    clearance = models.PositiveSmallIntegerField(
        choices=classification.choices,
        default=0,
        help_text="The highest classification marking this person may see.",
    )

    @property
    def clearance_label(self) -> str:
        return classification.label(self.clearance)

    @functools.cached_property
    def can_edit(self) -> bool:
        """Editors and administrators write records; viewers only read (asked once per request)."""
        if self.is_superuser:
            return True
        return self.groups.filter(name__in=EDITOR_GROUPS).exists()


def _has_ancestor(node, candidate) -> bool:
    """Whether ``candidate`` is ``node`` itself or one of its ancestors (by parent)."""
    seen = set()
    while node is not None and node.pk not in seen:
        if candidate.pk is not None and node.pk == candidate.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


class ReferenceQuerySet(models.QuerySet):
    """People, organisations and topics carry no marking: every signed-in user sees them."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.all()


class ChoiceLabels(models.Model):
    """``get_FOO_display`` from a table of labels built once per field and language.

    Django rebuilds the whole table on every call, which for a country (250 choices) made
    the label lookups most of a 100,000-row export's time.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(
            _choice_labels(field, get_language()).get(make_hashable(value), value), strings_only=True
        )


@functools.cache
def _choice_labels(field, language: str | None) -> dict:
    return dict(make_hashable(field.flatchoices))


class Versioned(models.Model):
    """A record whose version moves on by one with every save, so that a writer holding an
    older one is refused rather than overwriting what it never saw (``services.version_claim``)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class TreeNode(ChoiceLabels):
    """A record with a parent of its own kind; refuses to become its own ancestor."""

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.pk and _has_ancestor(self.parent, self):
            raise ValidationError({"parent": "A record cannot sit under itself or its own descendant."})

    def ancestors(self) -> list:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.insert(0, node)
            seen.add(node.pk)
            node = node.parent
        return chain


class Organization(Versioned, TreeNode):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Ministry"
        ARMED_FORCE = "armed_force", "Armed force"
        UNIT = "unit", "Unit"
        CENTRE = "centre", "Centre"
        INTERNATIONAL = "international", "International organisation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, validators=[single_line])
    acronym = models.CharField(max_length=30, blank=True, validators=[single_line])
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    country = CountryField(blank=True, help_text="Leave empty for international organisations.")
    contact_email = models.EmailField(
        "contact e-mail", blank=True, help_text="Where reminders of this organisation's actions go."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organization_unique_name_country"),
            *single_line_constraints("organization", "name", "acronym"),
        ]
        indexes = [models.Index(fields=["country", "name"]), models.Index(fields=["acronym"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("organization-detail", args=[self.pk])


class Person(Versioned, ChoiceLabels):
    name = models.CharField(max_length=150, validators=[single_line])
    honorific = models.CharField(
        max_length=60, blank=True, help_text="e.g. Hon., Dr, Maj Gen", validators=[single_line]
    )
    country = CountryField(blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name="current organisation",
    )
    title = models.CharField("current title", max_length=200, blank=True, validators=[single_line])
    email = models.EmailField("e-mail", blank=True, help_text="Where reminders of their actions go.")
    notes = models.TextField(blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = single_line_constraints("person", "name", "honorific", "title")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["country", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", args=[self.pk])


class Topic(Versioned, TreeNode):
    name = models.CharField(max_length=120, validators=[single_line])
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    related_countries = CountryField(multiple=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="topic_unique_name_under_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="topic_unique_root_name"
            ),
            *single_line_constraints("topic", "name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic-detail", args=[self.pk])

    @property
    def path(self) -> str:
        """The topic with its ancestors: "Regional security › Horn of Africa"."""
        return " › ".join(node.name for node in [*self.ancestors(), self])

    @classmethod
    def subtree_ids(cls, topic_ids) -> set[int]:
        """The given topics and all their descendants, from one query of the whole tree."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in cls.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = set(), [int(pk) for pk in topic_ids]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, []))
        return found


class MeetingSeries(models.Model):
    name = models.CharField(max_length=200, unique=True, validators=[single_line])
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"
        constraints = single_line_constraints("series", "name")

    def __str__(self) -> str:
        return self.name


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Meetings marked at or below the user's clearance; nothing for anonymous users."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(classification__lte=user.clearance)

    def with_attendees_and_topics(self) -> MeetingQuerySet:
        """Attendances (person, organisation) and topic notes (topic) in two more queries, however many."""
        return self.prefetch_related(
            models.Prefetch(
                "attendances", queryset=Attendance.objects.select_related("person", "organization")
            ),
            models.Prefetch("topic_notes", queryset=MeetingTopic.objects.select_related("topic")),
        )

    def later_in_series(self, meeting: Meeting) -> MeetingQuerySet:
        """The meetings after ``meeting`` in its series, in the series' order (date, then id)."""
        if not meeting.series_id:
            return self.none()
        later = Q(start_date__gt=meeting.start_date) | Q(start_date=meeting.start_date, pk__gt=meeting.pk)
        return self.filter(later, series_id=meeting.series_id).order_by("start_date", "pk")


class Meeting(ChoiceLabels):
    class Kind(models.TextChoices):
        BILATERAL = "bilateral", "Bilateral"
        MULTILATERAL = "multilateral", "Multilateral"
        CALL = "call", "Phone or video call"
        VISIT = "visit", "Visit"
        DIALOGUE = "dialogue", "Dialogue or forum"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CONFIRMED = "confirmed", "Confirmed"
        HELD = "held", "Held"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200, validators=[single_line])
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.BILATERAL)
    status = models.CharField(max_length=20, choices=Status, default=Status.PLANNED)
    start_date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        help_text="IANA time zone of the times, e.g. Africa/Nairobi.",
        validators=[single_line],
    )
    city = models.CharField(max_length=100, blank=True, validators=[single_line])
    venue = models.CharField(max_length=200, blank=True, validators=[single_line])
    country = CountryField(blank=True, help_text="Where it took place; empty for a call.")
    host_country = CountryField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="side_meetings",
        verbose_name="on the margins of",
    )
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    classification = models.PositiveSmallIntegerField(
        "classification marking", choices=classification.choices, default=0
    )
    summary = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="meetings_involved",
        verbose_name="organisations involved or mentioned",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    # What a person edits on a meeting, in the order its page, export and import use; the
    # forms, the typed input, the export and the importer are all derived from this list.
    EDITABLE_FIELDS = (
        "title",
        "kind",
        "status",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "timezone",
        "city",
        "venue",
        "country",
        "host_country",
        "parent",
        "series",
        "classification",
        "summary",
        "outcome",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(end_date__gt=F("start_date"))
                | Q(start_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="meeting_end_time_not_before_start_time",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="meeting_not_its_own_parent"),
            *single_line_constraints("meeting", "title", "timezone", "city", "venue"),
        ]
        # Each sortable column has an index on (column, id), the order the list pages in;
        # the marking rides along so that counting and skipping rows never read the table.
        # PostgreSQL also has a GIN index on the search document (meetings/search.py).
        indexes = [
            models.Index(fields=["start_date", "id"], include=["classification"], name="meeting_sort_date"),
            models.Index(fields=["title", "id"], include=["classification"], name="meeting_sort_title"),
            models.Index(fields=["kind", "id"], include=["classification"], name="meeting_sort_kind"),
            models.Index(fields=["status", "id"], include=["classification"], name="meeting_sort_status"),
            models.Index(
                fields=["country", "city", "id"], include=["classification"], name="meeting_sort_place"
            ),
            models.Index(fields=["host_country", "id"], include=["classification"], name="meeting_sort_host"),
            models.Index(fields=["classification", "id"], name="meeting_sort_marking"),
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["kind", "start_date"]),
            models.Index(fields=["classification", "start_date"]),
            models.Index(fields=["host_country", "start_date"]),
            models.Index(fields=["country", "start_date"]),
            # A meeting's neighbours in its series, and the later meetings to carry actions into.
            models.Index(fields=["series", "start_date", "id"], name="meeting_series_order"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", args=[self.pk])

    @property
    def classification_label(self) -> str:
        return classification.label(self.classification)

    @property
    def place(self) -> str:
        country = country_name(self.country) if self.country else ""
        return ", ".join(p for p in (self.venue, self.city, country) if p)


class MeetingScopedQuerySet(models.QuerySet):
    """Rows that belong to a meeting inherit its marking."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(meeting__classification__lte=user.clearance)


class MeetingCountry(ChoiceLabels):
    """A country taking part in, or mentioned at, a meeting: the index behind country filters."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", "Participant"
        MENTIONED = "mentioned", "Mentioned"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="countries")
    country = CountryField()
    role = models.CharField(max_length=20, choices=Role, default=Role.PARTICIPANT)

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "meeting countries"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "country"], name="meeting_country_once"),
        ]
        indexes = [models.Index(fields=["country", "role", "meeting"])]

    def __str__(self) -> str:
        return f"{self.country.name} ({self.get_role_display().lower()})"


class MeetingTopic(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topic_notes")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="meeting_notes")
    note = models.TextField(blank=True, help_text="What was said about this topic.")

    objects = MeetingScopedQuerySet.as_manager()
    EDITABLE_FIELDS = ("topic", "note")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "topic"], name="meeting_topic_once"),
        ]
        indexes = [models.Index(fields=["topic", "meeting"])]

    def __str__(self) -> str:
        return str(self.topic)


class Attendance(ChoiceLabels):
    class Role(models.TextChoices):
        HEAD = "head", "Head of delegation"
        DELEGATE = "delegate", "Delegate"
        HOST = "host", "Host"
        OBSERVER = "observer", "Observer"
        NOTE_TAKER = "note_taker", "Note-taker"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ATTENDED = "attended", "Attended"
        DECLINED = "declined", "Declined"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name="organisation on the day",
    )
    title = models.CharField("title on the day", max_length=200, blank=True, validators=[single_line])
    delegation = CountryField(blank=True, help_text="The country whose delegation they were in.")
    role = models.CharField(max_length=20, choices=Role, default=Role.DELEGATE)
    status = models.CharField(max_length=20, choices=Status, default=Status.ATTENDED)

    objects = MeetingScopedQuerySet.as_manager()
    EDITABLE_FIELDS = ("person", "organization", "title", "delegation", "role", "status")

    class Meta:
        ordering = ["delegation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_person_once"),
            models.UniqueConstraint(
                fields=["meeting", "delegation"],
                condition=Q(role="head"),
                name="attendance_one_head_per_delegation",
            ),
            *single_line_constraints("attendance", "title"),
        ]
        indexes = [
            models.Index(fields=["person", "meeting"]),
            models.Index(fields=["organization", "meeting"]),
            models.Index(fields=["delegation", "meeting"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"

    @property
    def is_host(self) -> bool:
        return bool(self.delegation) and self.delegation == self.meeting.host_country


class ActionQuerySet(MeetingScopedQuerySet):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=Action.OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> ActionQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_within(self, days: int, today: datetime.date | None = None) -> ActionQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))


class Action(Versioned, ChoiceLabels):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        IN_PROGRESS = "in_progress", "In progress"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        # Continued by a copy on a later meeting of the series (``carried_into``): the copy
        # is the open one, so the tracker never counts the same commitment twice.
        CARRIED = "carried", "Carried over"

    OPEN_STATUSES = (Status.PROPOSED, Status.AGREED, Status.IN_PROGRESS, Status.BLOCKED)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    responsible_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.AGREED)
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
        help_text="The earlier action this one continues.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()
    EDITABLE_FIELDS = (
        "description",
        "responsible_person",
        "due_date",
        "status",
        "completed_on",
        "completion_note",
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="action_done_has_completion_date",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status__in=["done", "cancelled"]),
                name="action_completion_date_only_when_closed",
            ),
            # An action is carried forward at most once; carrying it again would open it twice.
            models.UniqueConstraint(fields=["carried_from"], name="action_carried_once"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["due_date"]),
            # The tracker's usual view: open actions (OPEN_STATUSES) by due date, overdue first.
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status__in=["proposed", "agreed", "in_progress", "blocked"]),
                name="action_open_by_due",
            ),
            models.Index(fields=["meeting", "status"]),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#action-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Open and past its due date; computed, never stored."""
        return self.is_open and self.due_date is not None and self.due_date < (today or timezone.localdate())


class ActionParty(ChoiceLabels):
    """A country or organisation responsible for an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="parties")
    country = CountryField(blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="action_parties"
    )

    class Meta:
        verbose_name_plural = "action parties"
        constraints = [
            models.CheckConstraint(
                condition=~Q(country="") | Q(organization__isnull=False),
                name="action_party_names_someone",
            ),
            models.UniqueConstraint(
                fields=["action", "country"],
                condition=Q(organization__isnull=True),
                name="action_party_country_once",
            ),
            models.UniqueConstraint(
                fields=["action", "organization"],
                condition=Q(organization__isnull=False),
                name="action_party_organization_once",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "action"]),
            models.Index(fields=["organization", "action"]),
        ]

    def __str__(self) -> str:
        if self.organization_id:
            return str(self.organization)
        return self.country.name


class Source(ChoiceLabels):
    """Where the record comes from: a joint statement, readout, minutes or article."""

    class Kind(models.TextChoices):
        JOINT_STATEMENT = "joint_statement", "Joint statement"
        READOUT = "readout", "Readout"
        PRESS_RELEASE = "press_release", "Press release"
        MINUTES = "minutes", "Minutes"
        ARTICLE = "article", "News article"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.READOUT)
    title = models.CharField(max_length=200, validators=[single_line])
    url = models.URLField("link", max_length=500, blank=True)
    file = SourceFileField(upload_to=stored_name, max_length=255, blank=True)
    file_name = models.CharField(
        "file name",
        max_length=255,
        blank=True,
        editable=False,
        help_text="The name the file was uploaded with.",
    )
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="The text itself, or the passage that matters.")

    objects = MeetingScopedQuerySet.as_manager()
    EDITABLE_FIELDS = ("kind", "title", "url", "file", "published_on", "text")

    class Meta:
        ordering = ["published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file="") | ~Q(text=""),
                name="source_has_link_file_or_text",
            ),
            *single_line_constraints("source", "title"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.file:
            self.file_name = ""
        elif not self.file._committed:  # a new upload: remember its name before storing it
            self.file_name = clean_file_name(self.file.name)
        super().save(*args, **kwargs)


class Engagement(models.Model):
    """A country engaging in a meeting: where it took place, or taking part (host, a
    delegation or named as a participant), with the meeting's date.

    Kept by the database (``meetings/derived.py``), never written by the app: its index on
    (country, date, meeting) lets the country filter and the country page read a
    country's meetings newest first, without walking every meeting in date order in
    search of a rare country's.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="engagements")
    country = CountryField()
    start_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "country"], name="engagement_once"),
        ]
        indexes = [models.Index(fields=["country", "start_date", "meeting"], name="engagement_by_date")]

    def __str__(self) -> str:
        return f"{self.country.code} at {self.meeting_id}"


class TallyQuerySet(models.QuerySet):
    def visible_to(self, user) -> TallyQuerySet:
        """Counts of records marked at or below the user's clearance, as ``Meeting.objects.visible_to``."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(classification__lte=user.clearance)


class Tally(models.Model):
    """Counts behind the dashboard, kept by the database (``meetings/derived.py``).

    Every write appends a row of +1s and -1s rather than updating one shared row, so
    saves never wait on each other or deadlock over a count; a key's count is the sum of
    its rows. ``derived.fold`` sums each key's rows into one ``folded`` row now and then.
    """

    classification = models.PositiveSmallIntegerField()
    n = models.IntegerField()
    folded = models.BooleanField(default=False)

    objects = TallyQuerySet.as_manager()

    class Meta:
        abstract = True


class MeetingTally(Tally):
    """Meetings per marking, month (of their start date), kind and status."""

    month = models.DateField()
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20)

    class Meta:
        db_table = "meetings_tally_meetings"
        indexes = [
            models.Index(fields=["month", "classification"], name="tally_meetings_month"),
            models.Index(fields=["id"], condition=Q(folded=False), name="tally_meetings_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.status}: {self.n:+}"


class CountryTally(Tally):
    """Participant countries of held meetings per marking and month."""

    month = models.DateField()
    country = models.CharField(max_length=2)

    class Meta:
        db_table = "meetings_tally_countries"
        indexes = [
            models.Index(fields=["month", "classification"], name="tally_countries_month"),
            models.Index(fields=["id"], condition=Q(folded=False), name="tally_countries_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.country}: {self.n:+}"


class TopicTally(Tally):
    """Topics of held meetings per marking and month."""

    month = models.DateField()
    # No constraint: a tally outlives nothing, but a topic's deletion need not wait on it.
    topic = models.ForeignKey(Topic, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        db_table = "meetings_tally_topics"
        indexes = [
            models.Index(fields=["month", "classification"], name="tally_topics_month"),
            models.Index(fields=["id"], condition=Q(folded=False), name="tally_topics_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} topic {self.topic_id}: {self.n:+}"


class ActionTally(Tally):
    """Open actions per marking (of their meeting) and due date; ``NO_DUE_DATE`` for none."""

    NO_DUE_DATE = datetime.date.max

    due_date = models.DateField()

    class Meta:
        db_table = "meetings_tally_actions"
        indexes = [
            models.Index(fields=["due_date", "classification"], name="tally_actions_due"),
            models.Index(fields=["id"], condition=Q(folded=False), name="tally_actions_pending"),
        ]

    def __str__(self) -> str:
        return f"due {self.due_date}: {self.n:+}"


class ListPreference(models.Model):
    """The columns a person chose for one list, remembered between visits."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="list_preferences")
    list_name = models.CharField(max_length=50)
    columns = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "list_name"], name="list_preference_once_per_list"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.list_name}"


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def for_token(self, token: str) -> CalendarFeed | None:
        """The feed whose address holds this token, found through the unique index on its digest."""
        return self.select_related("user").filter(token=_token_digest(token)).first()


class CalendarFeed(models.Model):
    """A person's private calendar subscription: the secret in its address is the only key.

    Only a SHA-256 digest of the secret is stored, so a copy of the database opens no
    feed. Revoking deletes the row, so the old address answers 404 at once; a new row
    gives a new address.
    """

    # How stale ``last_used_at`` may get: calendar clients poll often, and writing on
    # every poll would turn each read into a write.
    USE_RECORDED_EVERY = datetime.timedelta(hours=1)

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """A fresh secret for an address, and the digest to store for it."""
        token = secrets.token_urlsafe(32)
        return token, _token_digest(token)

    def record_use(self) -> None:
        """Note that a calendar read the feed, at most once per ``USE_RECORDED_EVERY``."""
        now = timezone.now()
        if self.last_used_at and now - self.last_used_at < self.USE_RECORDED_EVERY:
            return
        CalendarFeed.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now


class DraftCorrection(models.Model):
    """What a person chose, when saving a draft from a press release, for words the draft had
    read otherwise: a person for a name, a topic for a suggested phrase, a place for a town.
    The next draft uses it. Reference data like people and topics, seen by everyone, so it is
    learnt only from meetings saved at the lowest marking and keeps no meeting, no sentence and
    nothing but the words themselves."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person for a name"
        TOPIC = "topic", "Topic for a phrase"
        PLACE = "place", "Place for a town"

    kind = models.CharField(max_length=10, choices=Kind)
    phrase = models.CharField(max_length=200, help_text="The words as a draft read them.")
    key = models.CharField(max_length=200, editable=False, help_text="The words folded, to look them up by.")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    times = models.PositiveIntegerField(default=1, help_text="How many saved drafts chose it.")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="draft_correction_once_per_phrase"),
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(person__isnull=False))
                | (Q(kind="topic") & Q(topic__isnull=False))
                | (Q(kind="place") & ~Q(country="")),
                name="draft_correction_has_its_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.phrase}” → {self.choice}"

    def save(self, *args, **kwargs):
        from meetings.extraction.directory import correction_key

        self.key = correction_key(self.phrase)
        super().save(*args, **kwargs)

    @property
    def choice(self) -> str:
        if self.kind == self.Kind.PERSON:
            return str(self.person)
        if self.kind == self.Kind.TOPIC:
            return str(self.topic)
        return ", ".join(p for p in (self.city, country_name(self.country.code) if self.country else "") if p)


class ImportRun(models.Model):
    """An uploaded import file and the work done on it: the dry run, then, once the person
    confirms, the import itself. Both run on the task worker (``meetings.tasks``); the
    page reads the progress and, at the end, the report from here. The file is kept in
    the database so that any worker can read it, and dropped once imported."""

    class Stage(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"

    KEPT_FOR = datetime.timedelta(hours=24)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_runs")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    kind = models.CharField(max_length=20)
    create_topics = models.BooleanField(default=False)
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.CHECKING)
    rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_stage_display()})"

    def get_absolute_url(self) -> str:
        return reverse("import-run", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.stage in (self.Stage.CHECKING, self.Stage.IMPORTING)

    @property
    def percent(self) -> int:
        return round(100 * self.rows_done / self.rows) if self.rows else 0


# Every record keeps its change history: who changed what, when, field by field, inline
# rows included. History is read on the record's own page, never edited through the app.
for _model in (
    Organization,
    Person,
    Topic,
    MeetingSeries,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Attendance,
    Action,
    ActionParty,
    Source,
):
    register_history(_model)
register_history(User, excluded_fields=["password", "last_login"])
