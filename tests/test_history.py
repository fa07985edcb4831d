"""Change history and lost-update reports, read by people cleared below what they record."""

import datetime
import re

import pytest
from django.urls import reverse

from meetings import services
from tests.conftest import RESTRICTED, SECRET, UNCLASSIFIED
from tests.factories import MeetingFactory, UserFactory
from tests.probes import hidden_text

pytestmark = pytest.mark.django_db
WORD = "NIGHTJAR"


@pytest.fixture
def secret_editor():
    return UserFactory(role="editor", clearance=SECRET)


@pytest.fixture
def remarked(secret_editor):
    """A meeting created SECRET with an action, then re-marked UNCLASSIFIED, cleaned and
    the action removed."""
    data = services.MeetingInput(
        title=f"{WORD} planning",
        summary=f"{WORD} summary",
        start_date=datetime.date(2024, 2, 26),
        classification=SECRET,
        actions=[services.ActionInput(description=f"Deliver {WORD} kit")],
    )
    meeting = services.meeting_save(user=secret_editor, data=data)
    cleaned = services.MeetingInput.of(meeting)
    cleaned.title, cleaned.summary, cleaned.classification = "Routine talks", "Routine.", UNCLASSIFIED
    cleaned.actions = []
    return services.meeting_save(user=secret_editor, data=cleaned, meeting=meeting, expected_version=1)


def history_page(client, user, meeting) -> str:
    client.force_login(user)
    response = client.get(reverse("meeting-history", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_history_does_not_retell_what_was_re_marked_away(client, remarked):
    viewer = UserFactory(role="viewer", clearance=UNCLASSIFIED)
    page = history_page(client, viewer, remarked)
    assert WORD not in page
    assert "written while the meeting was marked above your clearance" in page
    assert "Routine talks" in page  # what was written under its present marking is shown


def test_readers_cleared_for_the_old_marking_see_the_whole_history(client, remarked, secret_editor):
    page = history_page(client, secret_editor, remarked)
    assert f"{WORD} planning" in page
    assert f"Deliver {WORD} kit" in page
    assert "above your clearance" not in page


def test_a_side_meetings_history_does_not_name_its_hidden_parent(client, secret_editor):
    summit = MeetingFactory(title=f"{WORD} summit", classification=SECRET)
    side = services.meeting_save(
        user=secret_editor,
        data=services.MeetingInput(title="Talks on the margins", start_date=datetime.date(2024, 2, 26)),
    )
    changed = services.MeetingInput.of(side)
    changed.parent, changed.summary = summit, "Now on the margins of the summit."
    services.meeting_save(user=secret_editor, data=changed, meeting=side, expected_version=1)

    viewer = UserFactory(role="viewer", clearance=RESTRICTED)
    page = history_page(client, viewer, side)
    assert WORD not in page
    assert f"#{summit.pk}" not in page
    assert "Now on the margins of the summit." in page
    assert "a record above your clearance" in page


def test_the_edit_page_carries_nothing_of_a_hidden_parent(client, secret_editor):
    summit = MeetingFactory(title=f"{WORD} summit", classification=SECRET)
    side = MeetingFactory(title="Talks on the margins", parent=summit, classification=RESTRICTED)
    editor = UserFactory(role="editor", clearance=RESTRICTED)
    client.force_login(editor)
    page = client.get(reverse("meeting-update", args=[side.pk])).content.decode()
    assert WORD not in page
    assert WORD not in hidden_text(page)
    parent_box = re.search(r'<select name="parent".*?</select>', page, re.DOTALL).group(0)
    assert f'value="{summit.pk}"' not in parent_box


def test_a_refused_save_tells_only_what_the_person_may_read(client, secret_editor):
    summit = MeetingFactory(title=f"{WORD} summit", classification=SECRET)
    side = MeetingFactory(title="Talks on the margins", classification=RESTRICTED)
    editor = UserFactory(role="editor", clearance=RESTRICTED)
    client.force_login(editor)
    from tests.test_meeting_form import edit_post

    mine = edit_post(side, editor)
    changed = services.MeetingInput.of(side)
    changed.parent, changed.summary = summit, "Changed meanwhile."
    services.meeting_save(user=secret_editor, data=changed, meeting=side, expected_version=1)

    response = client.post(reverse("meeting-update", args=[side.pk]), {**mine, "outcome": "Mine"})
    page = response.content.decode()
    assert "Someone else saved this meeting while you were editing it" in page
    assert "Summary: “—” → “Changed meanwhile.”" in page
    assert WORD not in page
    assert f"#{summit.pk}" not in page
