"""The tables the database keeps from the records (meetings/derived.py): after every kind
of write, the dashboard's tallies and the country index hold exactly what recomputing them
from the records gives, and the dashboard's figures are exact per clearance."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from meetings import derived, services
from meetings.models import Action, Engagement, Meeting, MeetingCountry, MeetingTopic
from tests.conftest import RESTRICTED
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MeetingTopicFactory,
    TopicFactory,
)
from tests.test_meeting_form import edit_post, reference_post, reference_records  # noqa: F401

pytestmark = pytest.mark.django_db


def derived_state() -> dict:
    """Each tally as {key: count} (keys whose rows cancel left out), and the country index."""
    state = {}
    with connection.cursor() as cursor:
        for tally in derived.TALLIES:
            keys = ", ".join(derived.TALLY_KEYS[tally])
            cursor.execute(
                f"SELECT {keys}, SUM(n) FROM {tally._meta.db_table} GROUP BY {keys} HAVING SUM(n) <> 0"
            )
            state[tally.__name__] = {tuple(map(str, row[:-1])): row[-1] for row in cursor.fetchall()}
    state["Engagement"] = set(Engagement.objects.values_list("meeting_id", "country", "start_date"))
    return state


def assert_exact() -> dict:
    """The derived tables hold what a rebuild from the records gives; returns that state."""
    kept = derived_state()
    with transaction.atomic():
        derived.rebuild()
        rebuilt = derived_state()
        transaction.set_rollback(True)
    assert kept == rebuilt
    return kept


def today() -> datetime.date:
    return timezone.localdate()


def held_meeting(**kwargs) -> Meeting:
    kwargs.setdefault("start_date", today() - datetime.timedelta(days=40))
    return MeetingFactory(status=Meeting.Status.HELD, **kwargs)


def dashboard_stats(client) -> dict[str, int]:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return {stat.label: stat.value for stat in response.context["stats"]}


# Each way of writing ---------------------------------------------------------------------


def test_the_meeting_form_create_and_edit_keep_them_exact(editor_client, editor, reference_records):  # noqa: F811
    response = editor_client.post(reverse("meeting-create"), reference_post(reference_records))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    state = assert_exact()
    assert state["Engagement"] >= {
        (meeting.pk, "KE", meeting.start_date),
        (meeting.pk, "GB", meeting.start_date),
    }
    assert sum(state["CountryTally"].values()) == 2  # Kenya and the UK took part; mentioned ones not

    data = edit_post(meeting, editor)
    data.update(start_date="2023-11-05", classification="2", status="cancelled", country="FR")
    assert editor_client.post(reverse("meeting-update", args=[meeting.pk]), data).status_code == 302
    state = assert_exact()
    assert (meeting.pk, "FR", datetime.date(2023, 11, 5)) in state["Engagement"]
    assert state["CountryTally"] == {} and state["TopicTally"] == {}  # no longer held


def test_the_api_keeps_them_exact(client, editor):
    from tests.test_api import patch, post, token_client

    api = token_client(editor)
    topic = TopicFactory()
    created = post(
        api,
        "/api/v1/meetings/",
        {
            "title": "Talks",
            "kind": "bilateral",
            "status": "held",
            "start_date": (today() - datetime.timedelta(days=3)).isoformat(),
            "host_country": "KE",
            "topics": [{"topic": topic.pk}],
            "actions": [{"description": "Follow up", "countries": ["KE"]}],
        },
    )
    assert created.status_code == 201, created.json()
    assert assert_exact()["TopicTally"]
    pk = created.json()["id"]
    assert patch(api, f"/api/v1/meetings/{pk}/", {"version": 1, "status": "postponed"}).status_code == 200
    assert assert_exact()["TopicTally"] == {}
    assert api.delete(f"/api/v1/meetings/{pk}/").status_code == 204
    assert assert_exact() == {
        "MeetingTally": {},
        "CountryTally": {},
        "TopicTally": {},
        "ActionTally": {},
        "Engagement": set(),
    }


def test_deleting_a_meeting_keeps_them_exact(editor_client):
    meeting = held_meeting(host_country="KE")
    MeetingCountry.objects.create(meeting=meeting, country="KE")
    MeetingTopicFactory(meeting=meeting)
    ActionFactory(meeting=meeting, status=Action.Status.AGREED)
    AttendanceFactory(meeting=meeting)
    assert assert_exact()["ActionTally"]
    assert editor_client.post(reverse("meeting-delete", args=[meeting.pk])).status_code == 302
    assert not Meeting.objects.exists()
    assert assert_exact()["ActionTally"] == {}


def test_a_one_click_action_status_keeps_them_exact(editor):
    action = ActionFactory(meeting=held_meeting(), status=Action.Status.AGREED, due_date=today())
    assert sum(assert_exact()["ActionTally"].values()) == 1
    services.action_update_status(
        user=editor, action=action, status=Action.Status.DONE, completed_on=today(), completion_note=""
    )
    assert assert_exact()["ActionTally"] == {}


def test_carrying_actions_over_keeps_them_exact(editor):
    series = MeetingSeriesFactory()
    first = held_meeting(series=series)
    later = MeetingFactory(series=series, start_date=today() + datetime.timedelta(days=30), classification=2)
    action = ActionFactory(meeting=first, status=Action.Status.AGREED, due_date=today())
    services.actions_carry_over(user=editor, source=first, target=later, actions=[action])
    state = assert_exact()
    assert state["ActionTally"] == {("2", str(today())): 1}  # the copy, under the later meeting's marking


def test_the_importer_keeps_them_exact(editor_client):
    from tests.test_import import MEETINGS_CSV, confirm, csv_bytes, upload

    TopicFactory(name="Training")
    response = upload(editor_client, csv_bytes(MEETINGS_CSV), create_topics="on")
    confirm(editor_client, response)
    assert Meeting.objects.count() == 1
    assert assert_exact()["Engagement"]


def test_the_synthetic_data_generator_keeps_them_exact():
    call_command("generate_meetings", meetings=120, people=60, chunk_size=50, stdout=io.StringIO())
    state = assert_exact()
    assert sum(state["MeetingTally"].values()) == 120


def test_changing_rows_directly_keeps_them_exact():
    meeting = held_meeting(country="KE")
    row = MeetingCountry.objects.create(meeting=meeting, country="GB")
    topic = MeetingTopicFactory(meeting=meeting)
    assert_exact()
    row.role = MeetingCountry.Role.MENTIONED
    row.save()
    topic.topic = TopicFactory()
    topic.save()
    Meeting.objects.filter(pk=meeting.pk).update(country="")
    state = assert_exact()
    assert state["Engagement"] == set() and state["CountryTally"] == {}
    MeetingTopic.objects.all().delete()
    Meeting.objects.filter(pk=meeting.pk).update(start_date=datetime.date(2001, 1, 1), country="FR")
    assert assert_exact()["Engagement"] == {(meeting.pk, "FR", datetime.date(2001, 1, 1))}


def test_folding_keeps_every_count_and_leaves_one_row_per_key():
    meeting = held_meeting()
    for status in (
        Meeting.Status.PLANNED,
        Meeting.Status.HELD,
        Meeting.Status.CANCELLED,
        Meeting.Status.HELD,
    ):
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    before = assert_exact()
    derived.fold()
    assert derived_state() == before
    from meetings.models import MeetingTally

    assert MeetingTally.objects.filter(folded=False).count() == 0


# The dashboard's figures ------------------------------------------------------------------


def test_the_dashboard_counts_per_clearance_without_a_cache(client, viewer, editor, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    last_month = today().replace(day=1) - datetime.timedelta(days=10)
    for marking in (0, RESTRICTED, 3):
        held_meeting(classification=marking, start_date=last_month)
        MeetingFactory(status=Meeting.Status.PLANNED, classification=marking, start_date=today())
        ActionFactory(
            meeting=held_meeting(classification=marking, start_date=today()),
            status=Action.Status.AGREED,
            due_date=today() - datetime.timedelta(days=1),
        )
    client.force_login(viewer)
    assert dashboard_stats(client) == {
        "Meetings held": 4,
        "Upcoming meetings": 2,
        "Open actions": 2,
        "Overdue actions": 2,
    }
    client.force_login(editor)
    assert dashboard_stats(client)["Meetings held"] == 6


@pytest.mark.django_db(transaction=True)
def test_emptying_the_database_leaves_the_tallies_empty():
    """SQLite empties table by table, firing the triggers; the tallies go last."""
    meeting = held_meeting(host_country="KE")
    MeetingCountry.objects.create(meeting=meeting, country="KE")
    ActionFactory(meeting=meeting, status=Action.Status.AGREED)
    call_command("flush", interactive=False, verbosity=0)
    assert derived_state() == {
        "MeetingTally": {},
        "CountryTally": {},
        "TopicTally": {},
        "ActionTally": {},
        "Engagement": set(),
    }


def test_every_trigger_stands_after_the_migrations():
    """SQLite drops a table's triggers when a migration rebuilds the table; they are put back."""
    expected = {
        derived.trigger_name(table, event) for table in derived.TALLIES_BY_TABLE for event in derived.EVENTS
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        found = {row[0] for row in cursor.fetchall()}
    assert expected <= found
