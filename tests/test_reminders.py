"""Action reminders: the digest e-mails, the command that sends them, the page that previews
them, and the contact addresses they go to."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import Organization, Person
from tests.conftest import RESTRICTED, SECRET
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def send(*args: str) -> str:
    out = io.StringIO()
    call_command("send_action_reminders", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


@pytest.fixture
def harding():
    return PersonFactory(name="Tom Harding", email="tom.harding@batuk.example.org")


# The command ------------------------------------------------------------------------------


def test_each_responsible_person_and_organisation_gets_one_digest(harding, settings):
    settings.SITE_URL = "https://meetings.example.org"
    batuk = OrganizationFactory(name="BATUK", contact_email="liaison@batuk.example.org")
    meeting = MeetingFactory(title="Kenya–UK staff talks")
    late = ActionFactory(
        meeting=meeting,
        description="Agree a community liaison plan",
        responsible_person=harding,
        due_date=days(-3),
    )
    ActionPartyFactory(action=late, country="", organization=batuk)
    ActionFactory(
        meeting=meeting,
        description="Publish the training calendar",
        responsible_person=harding,
        due_date=days(10),
    )

    output = send("--days", "14")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["liaison@batuk.example.org", "tom.harding@batuk.example.org"]
    to_harding = by_address["tom.harding@batuk.example.org"]
    assert to_harding.subject == "Action reminder: 1 overdue, 1 due in the next 14 days"
    for body in (to_harding.body, html(to_harding)):
        assert "Agree a community liaison plan" in body
        assert "Publish the training calendar" in body
        assert f"https://meetings.example.org/meetings/{meeting.pk}/#action-{late.pk}" in body
        assert "Kenya–UK staff talks" in body
    to_batuk = by_address["liaison@batuk.example.org"]
    assert to_batuk.subject == "Action reminder: 1 overdue, 0 due in the next 14 days"
    assert "Publish the training calendar" not in to_batuk.body
    assert "2 recipient(s), 2 action(s). E-mails sent: 2, skipped: 0, failed: 0." in output


def test_nobody_with_nothing_due_is_written_to(harding):
    ActionFactory(responsible_person=harding, due_date=days(30))  # beyond the window
    ActionFactory(responsible_person=harding, due_date=days(-5), status="done", completed_on=TODAY)
    ActionFactory(responsible_person=harding, due_date=None)
    output = send("--days", "14")
    assert mail.outbox == []
    assert "0 recipient(s), 0 action(s). E-mails sent: 0" in output


def test_actions_above_the_reminder_marking_are_only_counted(harding, settings):
    restricted = MeetingFactory(title="Restricted border talks", classification=RESTRICTED)
    ActionFactory(
        meeting=restricted, description="Move the border post", responsible_person=harding, due_date=days(2)
    )
    ActionFactory(description="Share the exercise dates", responsible_person=harding, due_date=days(3))

    send("--days", "7")
    [message] = mail.outbox
    assert message.subject == "Action reminder: 0 overdue, 2 due in the next 7 days"
    for body in (message.body, html(message)):
        assert "Share the exercise dates" in body
        assert "Move the border post" not in body
        assert "Restricted border talks" not in body
        assert "1 more action comes from meetings marked above UNCLASSIFIED" in body
        assert harding.get_absolute_url() in body

    mail.outbox.clear()
    settings.REMINDER_MAX_CLASSIFICATION = "RESTRICTED"
    send("--days", "7")
    [message] = mail.outbox
    assert "Move the border post" in message.body
    assert "[RESTRICTED]" in message.body
    assert "more action" not in message.body


def test_a_dry_run_sends_nothing_and_says_what_it_would_send(harding):
    ActionFactory(responsible_person=harding, due_date=days(1))
    output = send("--days", "14", "--dry-run")
    assert mail.outbox == []
    assert "would send to tom.harding@batuk.example.org: Action reminder: 0 overdue, 1 due" in output
    assert "E-mails sent: 0, skipped: 1 (dry run), failed: 0." in output


def test_records_sharing_an_address_get_one_e_mail_and_countries_reach_nobody():
    desk = "africa-desk@mod.example.org"
    person = PersonFactory(name="Rachel Thompson", email=desk.upper())
    ministry = OrganizationFactory(name="UK MoD", contact_email=desk)
    shared = ActionFactory(responsible_person=person, due_date=days(1))
    ActionPartyFactory(action=shared, country="", organization=ministry)
    ActionPartyFactory(action=ActionFactory(description="Country only", due_date=days(-1)), country="KE")
    nameless = OrganizationFactory(name="Kenya Defence Forces")
    ActionPartyFactory(action=ActionFactory(due_date=days(2)), country="", organization=nameless)

    output = send("--days", "14")

    [message] = mail.outbox
    assert message.to == [desk.upper()]
    assert message.body.startswith("To Rachel Thompson, UK MoD,")
    assert message.body.count(shared.description) == 1
    assert "Without an e-mail address: 1.\n  Kenya Defence Forces (1 action(s))" in output
    assert "Owed only by countries, so reaching nobody: 1 action(s)." in output


@pytest.mark.parametrize("value", ["-1", "366"])
def test_the_command_refuses_an_impossible_number_of_days(value):
    with pytest.raises(CommandError, match="--days must be between 0 and 365"):
        send("--days", value)
    assert mail.outbox == []


# The page ---------------------------------------------------------------------------------


def test_the_page_shows_recipients_their_actions_and_who_has_no_address(viewer_client, harding):
    ActionFactory(description="Share the exercise dates", responsible_person=harding, due_date=days(3))
    hidden = MeetingFactory(title="SECRET talks", classification=SECRET)
    ActionFactory(meeting=hidden, description="Secret step", responsible_person=harding, due_date=days(1))
    no_address = PersonFactory(name="Aden Duale")
    ActionFactory(description="Host the next round", responsible_person=no_address, due_date=days(-2))
    ActionPartyFactory(action=ActionFactory(description="Kenya's part", due_date=days(4)), country="KE")

    response = viewer_client.get(reverse("action-reminders"), {"days": "14"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "tom.harding@batuk.example.org" in page
    assert "Action reminder: 0 overdue, 1 due in the next 14 days" in page
    assert "Share the exercise dates" in page
    assert "Secret step" not in page and "SECRET talks" not in page
    assert "Aden Duale" in page.split('id="unaddressed"')[1]
    assert "Add an address" not in page  # a viewer cannot edit
    assert "Kenya&#x27;s part" in page


def test_editors_are_sent_to_add_the_missing_address(editor_client):
    ministry = OrganizationFactory(name="Kenya Defence Forces")
    ActionPartyFactory(action=ActionFactory(due_date=days(2)), country="", organization=ministry)
    page = editor_client.get(reverse("action-reminders")).content.decode()
    assert reverse("organization-update", args=[ministry.pk]) in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Give a whole number of days, e.g. 14."),
        ("-3", "Ensure this value is greater than or equal to 0."),
        ("9999", "Ensure this value is less than or equal to 365."),
    ],
)
def test_the_page_explains_a_bad_number_of_days_and_keeps_it(viewer_client, value, message):
    response = viewer_client.get(reverse("action-reminders"), {"days": value})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{value}"' in page


def test_the_page_costs_the_same_for_many_recipients(viewer_client, django_assert_max_num_queries):
    def recipients(count: int) -> None:
        for _ in range(count):
            person = PersonFactory(email="someone@example.org")
            organization = OrganizationFactory(contact_email="")
            action = ActionFactory(responsible_person=person, due_date=days(1))
            ActionPartyFactory(action=action, country="", organization=organization)
            ActionPartyFactory(action=action, country="KE")

    recipients(2)
    with django_assert_max_num_queries(12):
        viewer_client.get(reverse("action-reminders"))
    recipients(20)
    with django_assert_max_num_queries(12):
        response = viewer_client.get(reverse("action-reminders"))
    assert response.content.decode().count("Add an address") == 0


def test_the_action_tracker_links_to_the_reminders(viewer_client):
    assert reverse("action-reminders") in viewer_client.get(reverse("action-list")).content.decode()


# Contact addresses ------------------------------------------------------------------------


def test_people_and_organisations_take_an_e_mail_address(editor_client):
    editor_client.post(reverse("person-create"), {"name": "Tom Harding", "email": "tom@batuk.example.org"})
    editor_client.post(
        reverse("organization-create"),
        {"name": "BATUK", "kind": "unit", "contact_email": "liaison@batuk.example.org"},
    )
    person, organization = Person.objects.get(), Organization.objects.get()
    assert person.email == "tom@batuk.example.org"
    assert organization.contact_email == "liaison@batuk.example.org"
    assert (
        'href="mailto:tom@batuk.example.org"' in editor_client.get(person.get_absolute_url()).content.decode()
    )
    page = editor_client.get(organization.get_absolute_url()).content.decode()
    assert 'href="mailto:liaison@batuk.example.org"' in page


def test_a_malformed_address_is_refused_next_to_the_field(editor_client):
    response = editor_client.post(reverse("person-create"), {"name": "Tom Harding", "email": "tom at batuk"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page
    assert 'value="tom at batuk"' in page
    assert not Person.objects.exists()


def test_an_unreachable_mail_server_is_reported_and_fails_the_run(harding, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 5},
        }
    }
    ActionFactory(responsible_person=harding, due_date=days(1))
    with pytest.raises(CommandError, match="1 e-mail"):
        send("--days", "14")
