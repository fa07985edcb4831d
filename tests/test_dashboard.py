"""The dashboard at /: counts, short lists, charts, access by clearance, and a fixed query count."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import charts, demo_data
from meetings.dashboard import month_start
from meetings.models import Action, Meeting, MeetingCountry
from tests.conftest import CONFIDENTIAL, RESTRICTED, SECRET
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    MeetingFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

Kind, Status = Meeting.Kind, Meeting.Status


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def in_month(offset: int, day: int = 10) -> datetime.date:
    """A day in the month ``offset`` months from this one (always in the past for offset < 0)."""
    return month_start(today(), offset).replace(day=day)


def stats(response) -> dict[str, int]:
    return {stat.label: stat.value for stat in response.context["stats"]}


def panel(response, key: str) -> list:
    return next(p for p in response.context["panels"] if p.key == key).rows


def banner(response) -> str:
    return re.search(r'class="marking-banner[^"]*"[^>]*>([^<]+)<', response.content.decode()).group(1)


def held(**kwargs) -> Meeting:
    return MeetingFactory(status=Status.HELD, **kwargs)


# Counts ------------------------------------------------------------------------------


def test_the_counts_cover_the_right_meetings_and_actions(viewer_client):
    held(start_date=days(-3))
    held(start_date=in_month(-11, day=1))  # the first day of the twelve-month window
    held(start_date=in_month(-12, day=28))  # just before it
    MeetingFactory(status=Status.CANCELLED, start_date=days(-5))
    MeetingFactory(status=Status.PLANNED, start_date=days(0))
    MeetingFactory(status=Status.CONFIRMED, start_date=days(40))
    MeetingFactory(status=Status.PLANNED, start_date=days(-2))  # in the past: not upcoming
    MeetingFactory(status=Status.CANCELLED, start_date=days(10))
    ActionFactory(due_date=days(-1))  # open and overdue
    ActionFactory(due_date=days(10), status=Action.Status.IN_PROGRESS)
    ActionFactory(due_date=None, status=Action.Status.BLOCKED)
    ActionFactory(due_date=days(-20), status=Action.Status.DONE, completed_on=days(-21))
    ActionFactory(due_date=days(-20), status=Action.Status.CANCELLED)

    response = viewer_client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert stats(response) == {
        "Meetings held": 2,
        "Upcoming meetings": 2,
        "Open actions": 3,
        "Overdue actions": 1,
    }
    html = response.content.decode()
    assert '<span class="stat-value">3</span>' in html


def test_each_count_links_to_the_matching_filtered_list(viewer_client):
    response = viewer_client.get(reverse("dashboard"))
    urls = {stat.label: stat.url for stat in response.context["stats"]}

    start = month_start(today(), -11).isoformat()
    assert urls["Meetings held"] == (
        f"/meetings/?date_after={start}&date_before={today().isoformat()}&status=held"
    )
    assert urls["Upcoming meetings"] == (
        f"/meetings/?date_after={today().isoformat()}&status=planned&status=confirmed"
    )
    assert urls["Open actions"] == "/actions/?status=proposed&status=agreed&status=in_progress&status=blocked"
    assert urls["Overdue actions"] == "/actions/?overdue=true"
    html = response.content.decode()
    for url in urls.values():
        assert f'href="{url.replace("&", "&amp;")}"' in html
        assert viewer_client.get(url).status_code == 200


# Lists -------------------------------------------------------------------------------


def test_upcoming_and_recently_held_meetings_are_listed_apart(viewer_client):
    soon = MeetingFactory(title="Talks next week", status=Status.CONFIRMED, start_date=days(7))
    later = MeetingFactory(title="Talks next month", status=Status.PLANNED, start_date=days(30))
    last_week = held(title="Talks last week", start_date=days(-7))
    last_year = held(title="Talks last year", start_date=days(-400))
    MeetingFactory(title="Called off", status=Status.CANCELLED, start_date=days(3))

    response = viewer_client.get(reverse("dashboard"))

    assert panel(response, "upcoming") == [soon, later]  # soonest first
    assert panel(response, "recent") == [last_week, last_year]  # latest first
    html = response.content.decode()
    assert "in 7 days" in html
    assert "Called off" not in html


def test_the_lists_stop_at_eight(viewer_client):
    for n in range(10):
        MeetingFactory(status=Status.PLANNED, start_date=days(n + 1))
        held(start_date=days(-n - 1))

    response = viewer_client.get(reverse("dashboard"))

    assert len(panel(response, "upcoming")) == 8
    assert len(panel(response, "recent")) == 8
    assert stats(response)["Upcoming meetings"] == 10


def test_overdue_and_due_soon_actions_are_listed_with_meeting_and_parties(viewer_client):
    meeting = held(title="Kenya–UK defence talks", start_date=days(-100))
    late = ActionFactory(meeting=meeting, description="Enhance intelligence sharing", due_date=days(-12))
    ActionPartyFactory(action=late, country="KE")
    ActionPartyFactory(
        action=late, country="", organization=OrganizationFactory(name="British Army", acronym="BA")
    )
    soon = ActionFactory(meeting=meeting, description="Support CITSOS", due_date=days(5))
    ActionPartyFactory(action=soon, country="GB")
    ActionFactory(
        meeting=meeting,
        description="Finished already",
        due_date=days(-5),
        status=Action.Status.DONE,
        completed_on=days(-6),
    )
    ActionFactory(meeting=meeting, description="Far off", due_date=days(90))

    response = viewer_client.get(reverse("dashboard"))

    assert panel(response, "overdue") == [late]
    assert panel(response, "due-soon") == [soon]
    html = response.content.decode()
    overdue_item = html[html.index(f'id="overdue-action-{late.pk}"') :]
    overdue_item = overdue_item[: overdue_item.index("</li>")]
    assert "Enhance intelligence sharing" in overdue_item
    assert "12 days late" in overdue_item
    assert "Kenya" in overdue_item and ">BA</abbr>" in overdue_item
    assert "Kenya–UK defence talks" in overdue_item
    assert "Finished already" not in html
    assert "Far off" not in html
    assert "in 5 days" in html


def test_an_empty_dashboard_says_so(viewer_client):
    response = viewer_client.get(reverse("dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "No meetings planned or confirmed from today." in html
    assert "Nothing overdue." in html
    assert "No meetings held in the last 12 months." in html
    assert "No meetings held in the last 24 months." in html
    assert "No topics recorded" in html
    assert '<svg class="chart-svg' not in html
    assert banner(response) == "UNCLASSIFIED"


def reference_meeting(**kwargs) -> Meeting:
    return MeetingFactory(title=demo_data.REFERENCE_TITLE, start_date=demo_data.REFERENCE_DATE, **kwargs)


def test_the_demo_points_newcomers_to_the_reference_meeting(viewer_client, settings):
    settings.DEMO = True
    meeting = reference_meeting(classification=0)
    page = viewer_client.get(reverse("dashboard")).content.decode()
    hint = re.search(r'<aside[^>]*id="demo-hint".*?</aside>', page, re.S).group(0)
    assert f'href="{meeting.get_absolute_url()}">Kenya–UK defence talks</a>' in hint
    assert "26 February 2024" in hint


def test_outside_the_demo_or_above_the_clearance_there_is_no_such_hint(viewer_client, settings):
    reference_meeting(classification=0)
    assert 'id="demo-hint"' not in viewer_client.get(reverse("dashboard")).content.decode()
    settings.DEMO = True
    Meeting.objects.update(classification=SECRET)
    assert 'id="demo-hint"' not in viewer_client.get(reverse("dashboard")).content.decode()


# Charts ------------------------------------------------------------------------------


def test_the_month_chart_shows_each_months_meetings_by_kind(viewer_client):
    month = in_month(-2)
    held(start_date=month, kind=Kind.BILATERAL)
    held(start_date=month.replace(day=20), kind=Kind.BILATERAL)
    held(start_date=month, kind=Kind.CALL)
    held(start_date=in_month(-1), kind=Kind.VISIT)
    MeetingFactory(start_date=month, kind=Kind.CALL, status=Status.CANCELLED)

    response = viewer_client.get(reverse("dashboard"))

    html = response.content.decode()
    label = f"{month:%B %Y}: 3 meetings (2 bilateral, 1 call)"
    assert f'aria-label="{label}"' in html
    assert f"<title>{label}</title>" in html
    assert f'aria-label="{in_month(-1):%B %Y}: 1 meeting (1 visit)"' in html
    assert f'aria-label="{in_month(-3):%B %Y}: 0 meetings"' in html
    chart = response.context["month_chart"]
    assert [bar.total for bar in chart.bars][-3:-1] == [3, 1]
    assert chart.total == 4 == stats(response)["Meetings held"]
    assert [s.label for s in chart.series] == ["Bilateral", "Call", "Visit"]  # the legend: kinds shown
    # The bar's total is written above it, and the month links to its meetings.
    assert '<text class="chart-total"' in html and ">3</text>" in html
    first = month.replace(day=1).isoformat()
    assert f"/meetings/?date_after={first}&amp;date_before=" in html


def test_the_partner_chart_ranks_participant_countries_and_links_to_them(viewer_client):
    for n in range(3):
        meeting = held(start_date=days(-30 * (n + 1)))
        MeetingCountry.objects.create(meeting=meeting, country="KE")
        if n < 2:
            MeetingCountry.objects.create(meeting=meeting, country="GB")
        if n == 0:
            MeetingCountry.objects.create(meeting=meeting, country="SO", role=MeetingCountry.Role.MENTIONED)
    old = held(start_date=days(-800))
    MeetingCountry.objects.create(meeting=old, country="FR")

    response = viewer_client.get(reverse("dashboard"))

    partners = [(bar.key, bar.value) for bar in response.context["partners"]]
    assert partners == [("KE", 3), ("GB", 2)]  # mentioned and out-of-window countries left out
    html = response.content.decode()
    assert f'href="{reverse("country-detail", args=["KE"])}"' in html
    assert '<span class="bar-list-label">United Kingdom</span>' in html
    assert '2<span class="visually-hidden"> meetings</span>' in html


def test_the_topic_trend_counts_topics_per_quarter(viewer_client):
    topic = TopicFactory(name="Counter-terrorism")
    other = TopicFactory(name="Maritime security")
    for offset in (0, -3, -3):
        MeetingTopicFactory(
            meeting=held(start_date=in_month(offset, day=1) if offset else days(0)), topic=topic
        )
    MeetingTopicFactory(meeting=held(start_date=days(-1) if today().day > 1 else days(0)), topic=other)

    response = viewer_client.get(reverse("dashboard"))

    rows = response.context["topic_trend"].rows
    assert [row.label for row in rows] == ["Counter-terrorism", "Maritime security"]
    assert rows[0].total == 3
    assert rows[0].cells[-1].value == 1 and rows[0].cells[-2].value == 2
    assert rows[0].cells[-2].level == 4
    assert "Counter-terrorism" in response.content.decode()


# Access ------------------------------------------------------------------------------


def test_a_meeting_above_the_clearance_is_counted_charted_and_listed_nowhere(viewer_client, editor):
    month = in_month(-1)
    held(title="Open talks", start_date=month, kind=Kind.BILATERAL, classification=RESTRICTED)
    secret = held(
        title="Secret strategic talks", start_date=month, kind=Kind.BILATERAL, classification=SECRET
    )
    MeetingCountry.objects.create(meeting=secret, country="IL")
    MeetingTopicFactory(meeting=secret, topic=TopicFactory(name="Covert capability"))
    action = ActionFactory(meeting=secret, description="Deliver the covert package", due_date=days(-3))
    ActionPartyFactory(action=action, country="IL")
    MeetingFactory(
        title="Secret upcoming visit", status=Status.PLANNED, start_date=days(4), classification=SECRET
    )

    as_viewer = viewer_client.get(reverse("dashboard"))
    viewer_html = as_viewer.content.decode()
    for text in (
        "Secret strategic talks",
        "Deliver the covert package",
        "Secret upcoming visit",
        "Covert capability",
        "Israel",
    ):
        assert text not in viewer_html
    assert f'aria-label="{month:%B %Y}: 1 meeting (1 bilateral)"' in viewer_html
    assert banner(as_viewer) == "RESTRICTED"

    editor_client = Client()  # viewer_client and editor_client share one test client
    editor_client.force_login(editor)
    as_editor = editor_client.get(reverse("dashboard"))
    editor_html = as_editor.content.decode()
    for text in (
        "Secret strategic talks",
        "Deliver the covert package",
        "Secret upcoming visit",
        "Covert capability",
        "Israel",
    ):
        assert text in editor_html
    assert f'aria-label="{month:%B %Y}: 2 meetings (2 bilateral)"' in editor_html
    assert banner(as_editor) == "SECRET"

    assert stats(as_viewer) == {
        "Meetings held": 1,
        "Upcoming meetings": 0,
        "Open actions": 0,
        "Overdue actions": 0,
    }
    assert stats(as_editor) == {
        "Meetings held": 2,
        "Upcoming meetings": 1,
        "Open actions": 1,
        "Overdue actions": 1,
    }


def test_the_banner_shows_the_highest_marking_among_what_the_page_uses(editor_client):
    held(start_date=days(-10), classification=RESTRICTED)
    held(start_date=days(-400), classification=CONFIDENTIAL)  # counted in the partner chart window

    response = editor_client.get(reverse("dashboard"))

    assert response.context["page_marking"] == CONFIDENTIAL
    assert banner(response) == "CONFIDENTIAL"


def test_an_old_meeting_with_an_open_action_raises_the_banner(editor_client):
    ActionFactory(meeting=held(start_date=days(-2000), classification=SECRET), due_date=None)

    response = editor_client.get(reverse("dashboard"))

    assert banner(response) == "SECRET"


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Speed -------------------------------------------------------------------------------


def make_meetings(count: int) -> None:
    topics = [TopicFactory() for _ in range(3)]
    organization = OrganizationFactory()
    for n in range(count):
        start = days(-25 * n + 60)
        meeting = MeetingFactory(
            start_date=start,
            status=Status.HELD if start <= today() else Status.PLANNED,
            kind=list(Kind)[n % len(Kind)],
        )
        MeetingCountry.objects.create(meeting=meeting, country=["KE", "GB", "SO", "ET"][n % 4])
        MeetingTopicFactory(meeting=meeting, topic=topics[n % 3])
        action = ActionFactory(meeting=meeting, due_date=days(n * 7 - 60))
        ActionPartyFactory(action=action, country="KE")
        ActionPartyFactory(action=action, country="", organization=organization)


def dashboard_queries(client) -> list[str]:
    client.get(reverse("dashboard"))  # settles the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def test_the_number_of_queries_does_not_grow_with_the_data(editor_client):
    make_meetings(3)
    few = dashboard_queries(editor_client)
    make_meetings(30)
    many = dashboard_queries(editor_client)

    assert len(few) == len(many)
    # Besides reading the session and the user (and saving the session, which the idle
    # time-out does on every request), the page itself needs thirteen: five for the lists,
    # seven for the figures (the tallies, and this month's records), one to see whether
    # the tallies are due to be folded.
    page = [sql for sql in many if "meetings_" in sql and '"meetings_user"' not in sql]
    assert len(page) == 13


# Chart layout ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "step"), [(0, 1), (1, 1), (3, 1), (4, 1), (5, 2), (9, 5), (17, 5), (40, 10), (130, 50)]
)
def test_gridlines_fall_on_round_numbers(maximum, step):
    assert charts.nice_step(maximum) == step


def test_stacked_bars_stack_each_series_from_the_baseline():
    series = [charts.Series("a", "A", "#000", "solid"), charts.Series("b", "B", "#111", "dots")]
    columns = [charts.Column(1, "Jan", "", "January"), charts.Column(2, "Feb", "", "February")]

    chart = charts.stacked_bars(columns, series, {(1, "a"): 2, (1, "b"): 2, (2, "b"): 1}, chart_id="t")

    tall, short = chart.bars
    assert tall.total == 4 and short.total == 1
    assert tall.segments[0].y + tall.segments[0].height == pytest.approx(chart.baseline, abs=0.2)
    assert tall.top == pytest.approx(chart.top, abs=0.2)  # the tallest bar reaches the top gridline
    assert tall.segments[1].fill == "url(#t-b)"
    assert short.description == "February: 1 meeting (1 b)"
    assert [tick.value for tick in chart.ticks] == [0, 1, 2, 3, 4]
