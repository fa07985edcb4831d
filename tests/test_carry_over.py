"""Carrying a meeting's open actions into a later meeting of its series."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Action
from tests.conftest import CONFIDENTIAL, RESTRICTED, SECRET
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    """Three rounds of staff talks: the 2024 one with two open actions and a done one."""
    talks = MeetingSeriesFactory(name="Kenya–UK staff talks")
    rounds = [
        MeetingFactory(title=f"Staff talks {year}", series=talks, start_date=datetime.date(year, 11, 19))
        for year in (2024, 2025, 2026)
    ]
    harding = PersonFactory(name="Tom Harding")
    batuk = OrganizationFactory(name="BATUK")
    liaison = ActionFactory(
        meeting=rounds[0],
        description="Agree a community liaison plan",
        responsible_person=harding,
        due_date=datetime.date(2025, 3, 1),
        status=Action.Status.IN_PROGRESS,
    )
    ActionPartyFactory(action=liaison, country="KE")
    ActionPartyFactory(action=liaison, country="", organization=batuk)
    calendar = ActionFactory(meeting=rounds[0], description="Publish the training calendar")
    ActionFactory(
        meeting=rounds[0], description="Done already", status="done", completed_on=datetime.date(2025, 1, 1)
    )
    return {"rounds": rounds, "liaison": liaison, "calendar": calendar, "harding": harding, "batuk": batuk}


def carry(client, meeting, actions, target):
    return client.post(
        reverse("meeting-carry-over", args=[meeting.pk]),
        {"actions": [action.pk for action in actions], "target": target.pk},
    )


def test_the_meeting_page_offers_the_open_actions_all_ticked_and_the_next_meeting(editor_client, series):
    source, following, _ = series["rounds"]
    page = editor_client.get(source.get_absolute_url()).content.decode()
    form = page[page.index('class="carry-over-form"') :]
    assert form.count('type="checkbox"') == 2
    assert form.count("checked") == 2
    assert "Done already" not in form
    assert f'<option value="{following.pk}" selected>Staff talks 2025, 19 Nov 2025 (UNCLASSIFIED)' in form


def test_carrying_copies_the_actions_onto_the_target_and_marks_the_originals(editor_client, series):
    source, following, _ = series["rounds"]
    response = carry(editor_client, source, [series["liaison"], series["calendar"]], following)

    assert response.status_code == 302 and response["Location"] == following.get_absolute_url()
    copy = following.actions.get(description="Agree a community liaison plan")
    assert copy.carried_from == series["liaison"]
    assert (copy.responsible_person, copy.due_date, copy.status) == (
        series["harding"],
        datetime.date(2025, 3, 1),
        Action.Status.IN_PROGRESS,
    )
    assert {str(party) for party in copy.parties.all()} == {"Kenya", "BATUK"}
    assert following.actions.count() == 2
    series["liaison"].refresh_from_db()
    assert series["liaison"].status == Action.Status.CARRIED
    # The tracker counts the commitment once, on the newer meeting.
    assert list(Action.objects.open().filter(description="Agree a community liaison plan")) == [copy]


def test_both_meeting_pages_show_the_link(editor_client, series):
    source, following, _ = series["rounds"]
    carry(editor_client, source, [series["liaison"]], following)
    copy = following.actions.get()
    on_target = editor_client.get(following.get_absolute_url()).content.decode()
    assert "Carried 1 action from “Staff talks 2024” into this meeting." in on_target
    assert "Carried from</dt>" in on_target
    assert f"/meetings/{source.pk}/#action-{series['liaison'].pk}" in on_target
    on_source = editor_client.get(source.get_absolute_url()).content.decode()
    assert "Carried into</dt>" in on_source
    assert f"/meetings/{following.pk}/#action-{copy.pk}" in on_source
    assert "Carried over</span>" in on_source


def test_an_action_is_carried_only_once(editor_client, series):
    source, following, last = series["rounds"]
    carry(editor_client, source, [series["liaison"]], following)
    response = carry(editor_client, source, [series["liaison"]], last)
    assert response.status_code == 200
    assert "This action is no longer open on this meeting; reload the page." in response.content.decode()
    assert Action.objects.filter(carried_from=series["liaison"]).count() == 1
    assert not last.actions.exists()


def test_the_service_refuses_a_second_carry_even_past_the_form(editor, series):
    from meetings.services import SaveRefused, actions_carry_over

    source, following, last = series["rounds"]
    actions_carry_over(user=editor, source=source, target=following, actions=[series["liaison"]])
    with pytest.raises(SaveRefused, match="already carried over"):
        actions_carry_over(user=editor, source=source, target=last, actions=[series["liaison"]])
    assert Action.objects.filter(carried_from=series["liaison"]).count() == 1


def test_a_lower_marked_target_is_refused_and_nothing_is_carried(editor_client, series):
    source, following, last = series["rounds"]
    source.classification = CONFIDENTIAL
    source.save()
    following.classification = RESTRICTED
    following.save()
    last.classification = SECRET
    last.save()

    page = editor_client.get(reverse("meeting-carry-over", args=[source.pk])).content.decode()
    assert "Not offered, being marked lower than this meeting: Staff talks 2025" in page
    assert f'<option value="{following.pk}"' not in page

    response = carry(editor_client, source, [series["liaison"]], following)
    assert "Choose a later meeting of this series marked CONFIDENTIAL or higher." in response.content.decode()
    assert not following.actions.exists()
    assert carry(editor_client, source, [series["liaison"]], last).status_code == 302
    assert last.actions.count() == 1


def test_a_target_the_editor_cannot_see_is_not_offered(client, series):
    source, following, last = series["rounds"]
    following.classification = SECRET
    following.save()
    low = UserFactory(username="low", role="editor", clearance=RESTRICTED)
    client.force_login(low)
    page = client.get(reverse("meeting-carry-over", args=[source.pk])).content.decode()
    assert "Staff talks 2025" not in page
    assert f'<option value="{last.pk}" selected>' in page
    response = carry(client, source, [series["liaison"]], following)
    assert "Choose a later meeting of this series" in response.content.decode()
    assert not following.actions.exists()


def test_an_earlier_meeting_or_another_series_is_not_a_target(editor_client, series):
    first, following, _ = series["rounds"]
    open_later = ActionFactory(meeting=following)
    other = MeetingFactory(series=MeetingSeriesFactory(), start_date=datetime.date(2030, 1, 1))
    for target in (first, other):
        response = carry(editor_client, following, [open_later], target)
        assert "Choose a later meeting of this series" in response.content.decode()
    assert Action.objects.filter(carried_from__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        ("last", "There is no later meeting in “Kenya–UK staff talks” yet. Add the next meeting first."),
        ("no-series", "This meeting is not part of a series, so there is no next meeting"),
        ("nothing-open", "This meeting has no open actions to carry over."),
    ],
)
def test_nothing_to_carry_gets_a_clear_message(editor_client, series, arrange, message):
    meeting = series["rounds"][2] if arrange == "last" else series["rounds"][0]
    if arrange == "last":
        ActionFactory(meeting=meeting)
    elif arrange == "no-series":
        meeting.series = None
        meeting.save()
    else:
        meeting.actions.update(status="cancelled")
    url = reverse("meeting-carry-over", args=[meeting.pk])
    assert message in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"actions": [], "target": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Action.objects.filter(carried_from__isnull=False).count() == 0


def test_ticking_nothing_is_refused_next_to_the_list(editor_client, series):
    source, following, _ = series["rounds"]
    response = carry(editor_client, source, [], following)
    assert "Tick at least one open action to carry over." in response.content.decode()
    assert not following.actions.exists()


def test_viewers_may_not_carry_and_do_not_see_the_form(viewer_client, series):
    source, following, _ = series["rounds"]
    assert carry(viewer_client, source, [series["liaison"]], following).status_code == 403
    assert "carry-over-form" not in viewer_client.get(source.get_absolute_url()).content.decode()
    assert not following.actions.exists()


def test_carrying_leaves_change_history(editor_client, series):
    source, following, _ = series["rounds"]
    carry(editor_client, source, [series["liaison"]], following)
    original = series["liaison"]
    latest = original.history.first()
    assert latest.status == Action.Status.CARRIED
    assert latest.history_user.username == "editor"
    copy = following.actions.get()
    assert copy.history.first().history_type == "+"
    assert copy.parties.first().history.exists()


def test_carried_over_is_not_offered_by_hand(editor_client, series):
    page = editor_client.get(reverse("meeting-update", args=[series["rounds"][0].pk])).content.decode()
    assert 'value="carried"' not in page
