"""Django admin in the hands of an administrator cleared below the top of the scale."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting, User
from tests.conftest import CONFIDENTIAL, RESTRICTED, SECRET, UNCLASSIFIED
from tests.factories import ActionFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db
WORD = "NIGHTJAR"


@pytest.fixture
def confidential_admin(client):
    admin = UserFactory(username="ops-admin", role="administrator", clearance=CONFIDENTIAL, is_staff=True)
    client.force_login(admin)
    return admin


def user_change_data(client, user: User) -> dict:
    """The user's change form as the admin page fills it in."""
    form = client.get(reverse("admin:meetings_user_change", args=[user.pk])).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name, field.initial)
        if isinstance(value, datetime.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.strftime("%H:%M:%S")
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value
    data.pop("password", None)
    return data


def test_an_administrator_cannot_raise_their_own_clearance_or_make_themselves_superuser(
    client, confidential_admin
):
    data = user_change_data(client, confidential_admin) | {"clearance": str(SECRET), "is_superuser": "on"}
    client.post(reverse("admin:meetings_user_change", args=[confidential_admin.pk]), data)
    confidential_admin.refresh_from_db()
    assert (confidential_admin.clearance, confidential_admin.is_superuser) == (CONFIDENTIAL, False)


def test_an_administrator_grants_at_most_their_own_clearance(client, confidential_admin):
    analyst = UserFactory(username="analyst", role="viewer", clearance=UNCLASSIFIED)
    url = reverse("admin:meetings_user_change", args=[analyst.pk])
    response = client.post(url, user_change_data(client, analyst) | {"clearance": str(SECRET)})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.clearance == UNCLASSIFIED

    response = client.post(url, user_change_data(client, analyst) | {"clearance": str(CONFIDENTIAL)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    analyst.refresh_from_db()
    assert analyst.clearance == CONFIDENTIAL


def test_an_administrator_cannot_make_a_superuser(client, confidential_admin):
    analyst = UserFactory(username="analyst", role="viewer", clearance=RESTRICTED)
    url = reverse("admin:meetings_user_change", args=[analyst.pk])
    client.post(url, user_change_data(client, analyst) | {"is_superuser": "on"})
    analyst.refresh_from_db()
    assert not analyst.is_superuser


@pytest.mark.parametrize("kind", ["higher cleared", "superuser"])
def test_an_administrator_cannot_take_over_a_higher_account(client, confidential_admin, kind):
    target = UserFactory(
        username="chief",
        clearance=SECRET if kind == "higher cleared" else UNCLASSIFIED,
        is_superuser=kind == "superuser",
    )
    password_url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(password_url, {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!"})
    assert response.status_code in (403, 404)
    target.refresh_from_db()
    assert not target.check_password("Taken-over-2026!")
    change = client.post(reverse("admin:meetings_user_change", args=[target.pk]), {"username": "chief"})
    assert change.status_code == 403


def test_meetings_are_read_only_in_the_admin_and_linked_to_the_app(client, confidential_admin):
    meeting = MeetingFactory(title="Open talks")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert reverse("meeting-update", args=[meeting.pk]) in page
    response = client.post(url, {"title": "Re-marked", "classification": str(SECRET)})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert (meeting.title, meeting.classification, meeting.version) == ("Open talks", UNCLASSIFIED, 1)
    assert client.get(reverse("admin:meetings_meeting_add")).status_code == 403


def test_the_admin_does_not_name_a_hidden_parent_or_carried_action(client, confidential_admin):
    summit = MeetingFactory(title=f"{WORD} summit", classification=SECRET)
    side = MeetingFactory(title="Talks on the margins", parent=summit)
    page = client.get(reverse("admin:meetings_meeting_change", args=[side.pk])).content.decode()
    assert WORD not in page
    assert "A record above your clearance" in page

    hidden = ActionFactory(meeting=summit, description=f"{WORD} deliveries", status="carried")
    carried = ActionFactory(meeting=side, description="Deliveries, continued", carried_from=hidden)
    page = client.get(reverse("admin:meetings_action_change", args=[carried.pk])).content.decode()
    assert WORD not in page


def test_admin_lists_hold_only_what_the_administrator_may_see(client, confidential_admin):
    MeetingFactory(title=f"{WORD} summit", classification=SECRET)
    MeetingFactory(title="Open talks")
    page = client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert "Open talks" in page
    assert WORD not in page
    assert Meeting.objects.count() == 2
