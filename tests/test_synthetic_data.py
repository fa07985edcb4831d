"""The synthetic benchmark data: sizes, ratios, constraints, determinism, on the suite's database."""

import datetime
import hashlib
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q

from meetings import synthetic
from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingCountry,
    MeetingSeries,
    MeetingTopic,
    Organization,
    Person,
    Topic,
)

TODAY = datetime.date(2025, 6, 1)
PEOPLE = synthetic.MIN_PEOPLE


def run(meetings=200, seed=1, **options):
    out = io.StringIO()
    call_command(
        "generate_meetings", meetings=meetings, seed=seed, people=PEOPLE, today=TODAY, stdout=out, **options
    )
    return out.getvalue()


def digest() -> str:
    """The generated content, without database ids."""
    h = hashlib.sha256()
    for row in Meeting.objects.order_by("id").values_list(
        "title", "kind", "status", "start_date", "end_date", "start_time", "host_country", "summary"
    ):
        h.update(repr(row).encode())
    for model, fields in [
        (Attendance, ("meeting__title", "person__name", "delegation", "role", "status")),
        (MeetingCountry, ("meeting__title", "country", "role")),
        (MeetingTopic, ("meeting__title", "topic__name", "note")),
        (Action, ("meeting__title", "description", "due_date", "status", "completed_on")),
        (ActionParty, ("action__description", "country", "organization__name")),
    ]:
        for row in model.objects.order_by("id").values_list(*fields):
            h.update(repr(row).encode())
    return h.hexdigest()


def all_rows(seed, meetings, **options):
    chunks = synthetic.generate_rows(seed, meetings, today=TODAY, **options)
    rows = {}
    for chunk in chunks:
        for model, chunk_rows in chunk.items():
            rows.setdefault(model, []).extend(chunk_rows)
    return rows


def test_generator_is_deterministic_and_seed_dependent():
    first = all_rows(5, 500, chunk_size=120)
    assert first == all_rows(5, 500, chunk_size=120)
    assert first == all_rows(5, 500, chunk_size=500), "chunking does not change the data"
    other = all_rows(6, 500)
    assert [m[1] for m in other[Meeting]] != [m[1] for m in first[Meeting]]


def test_title_words_have_known_frequencies():
    rows = all_rows(2, 20_000)
    titles = [m[1] for m in rows[Meeting]]
    for word in synthetic.RARE_WORDS:
        share = sum(word in title for title in titles) / len(titles)
        assert 0.005 < share < 0.015, (word, share)
    assert sum(synthetic.SUBJECTS[0] in t for t in titles) / len(titles) > 0.15
    assert sum("defence" in t.lower() for t in titles) / len(titles) > 0.5


@pytest.mark.django_db
def test_generates_the_right_amount_with_realistic_ratios():
    output = run(200)
    assert "200/200 meetings" in output
    n = Meeting.objects.count()
    assert n == 200
    assert 2.5 <= Attendance.objects.count() / n <= 3.5
    assert 1.8 <= MeetingTopic.objects.count() / n <= 2.2
    actions = Action.objects.count()
    assert 1.2 <= actions / n <= 1.8
    assert 0.8 <= ActionParty.objects.count() / actions <= 1.2
    assert 2.0 <= MeetingCountry.objects.count() / n <= 3.5
    assert 1000 > Person.objects.count() >= PEOPLE
    assert 300 <= Organization.objects.count() <= 800
    assert 150 <= Topic.objects.count() <= 250
    assert Topic.objects.filter(parent__parent__isnull=False).exists(), "three levels"
    assert MeetingSeries.objects.exists()

    kinds = Counter(Meeting.objects.values_list("kind", flat=True))
    assert set(kinds) == set(Meeting.Kind.values)
    statuses = Counter(Meeting.objects.values_list("status", flat=True))
    assert set(statuses) == set(Meeting.Status.values)
    levels = Counter(Meeting.objects.values_list("classification", flat=True))
    assert levels[0] > 0.7 * n and set(levels) - {0}
    dates = Meeting.objects.values_list("start_date", flat=True)
    assert (max(dates) - min(dates)).days > 25 * 365
    future = Meeting.objects.filter(start_date__gt=TODAY)
    assert future.exists()
    assert not future.filter(status="held").exists()
    assert not Meeting.objects.filter(start_date__lte=TODAY, status__in=["planned", "confirmed"]).exists()
    calls = Meeting.objects.filter(kind="call")
    assert calls.exists() and not calls.exclude(country="", city="", venue="").exists()
    assert Meeting.objects.exclude(summary="").count() == n
    assert Meeting.objects.filter(parent__isnull=False).exists()

    statuses = Counter(Action.objects.values_list("status", flat=True))
    assert {"done", "agreed", "in_progress"} <= set(statuses)
    assert Action.objects.overdue(TODAY).exists()


@pytest.mark.django_db
def test_every_constraint_holds():
    run(300, seed=3)
    connection.check_constraints()  # deferred foreign keys

    assert not Attendance.objects.values("meeting", "person").annotate(n=Count("id")).filter(n__gt=1)
    heads = Attendance.objects.filter(role="head").values("meeting", "delegation").annotate(n=Count("id"))
    assert not heads.filter(n__gt=1)
    assert not MeetingCountry.objects.values("meeting", "country").annotate(n=Count("id")).filter(n__gt=1)
    assert not MeetingTopic.objects.values("meeting", "topic").annotate(n=Count("id")).filter(n__gt=1)

    participants = set(MeetingCountry.objects.filter(role="participant").values_list("meeting", "country"))
    delegations = set(Attendance.objects.exclude(delegation="").values_list("meeting", "delegation"))
    assert delegations <= participants
    hosts = set(Meeting.objects.exclude(host_country="").values_list("id", "host_country"))
    assert hosts <= participants
    assert participants <= delegations | hosts
    assert not Meeting.objects.filter(attendances__isnull=True).exists()

    assert not Action.objects.filter(status="done", completed_on__isnull=True).exists()
    assert not Action.objects.filter(completed_on__isnull=False).exclude(status__in=["done", "cancelled"])
    assert not Action.objects.filter(due_date__lte=F("meeting__start_date")).exists()
    assert not Action.objects.filter(completed_on__lte=F("meeting__start_date")).exists()
    assert not Action.objects.filter(completed_on__gt=TODAY).exists()
    assert Action.objects.overdue(TODAY).exists()
    assert not ActionParty.objects.filter(country="", organization__isnull=True).exists()
    assert not Meeting.objects.filter(end_date__lt=F("start_date")).exists()
    assert not Meeting.objects.filter(
        Q(end_date__isnull=True) | Q(end_date=F("start_date")), end_time__lt=F("start_time")
    ).exists()
    assert not Meeting.objects.filter(parent=F("id")).exists()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data():
    run(150, seed=11)
    first = digest()
    Meeting.objects.update(parent=None)
    Meeting.objects.all().delete()
    run(150, seed=11)
    assert digest() == first
    Meeting.objects.update(parent=None)
    Meeting.objects.all().delete()
    run(150, seed=12)
    assert digest() != first


@pytest.mark.django_db
def test_appends_and_resets_sequences():
    run(100, seed=1)
    before = list(Meeting.objects.order_by("id").values_list("id", "title"))
    orgs, topics = Organization.objects.count(), Topic.objects.count()
    run(100, seed=1, chunk_size=30)
    assert Meeting.objects.count() == 200
    assert list(Meeting.objects.order_by("id").values_list("id", "title")[:100]) == before
    assert (Organization.objects.count(), Topic.objects.count()) == (orgs, topics), "reference data reused"
    assert Person.objects.count() == 2 * PEOPLE
    connection.check_constraints()

    # the ORM carries on after the explicit ids
    meeting = Meeting.objects.create(title="After", start_date=TODAY)
    assert meeting.pk > max(pk for pk, _ in before) + 100
    action = Action.objects.create(meeting=meeting, description="Follow up")
    assert action.pk > Action.objects.exclude(pk=action.pk).order_by("-pk").values_list("pk", flat=True)[0]
    assert Attendance.objects.create(meeting=meeting, person=Person.objects.first()).pk


@pytest.mark.django_db
def test_uses_copy_on_postgresql_and_bulk_create_elsewhere():
    output = run(10)
    expected = "COPY" if connection.vendor == "postgresql" else "bulk_create"
    assert f"writing with {expected}" in output
    assert Meeting.objects.count() == 10


def test_rejects_a_negative_count():
    with pytest.raises(CommandError):
        call_command("generate_meetings", meetings=-1, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_give_the_same_data_as_one_transaction_at_a_time():
    # Outside a test transaction, PostgreSQL writes chunks on several connections at once,
    # committing them in order (later chunks refer to earlier ones); elsewhere one at a time.
    output = run(240, seed=4, chunk_size=40, workers=2)
    connection.check_constraints()
    connections = 2 if connection.vendor == "postgresql" else 1
    assert f"on {connections} connection(s)" in output
    assert "240/240 meetings" in output
    assert Meeting.objects.filter(parent__isnull=False).exists()
    parallel = digest()
    Meeting.objects.update(parent=None)
    Meeting.objects.all().delete()
    run(240, seed=4, chunk_size=240, workers=1)
    assert digest() == parallel
    meeting = Meeting.objects.create(title="After", start_date=TODAY)
    assert meeting.pk > Meeting.objects.exclude(pk=meeting.pk).order_by("-pk")[0].pk
