"""People, organisations and topics: forms, delete protection, duplicate guard, look-ups,
"add new" from the meeting page, and who may use any write address at all."""

import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse

from meetings.models import Meeting, Organization, Person, Topic
from meetings.services import names_match, similar_people
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
)


def record_counts() -> dict:
    return {model.__name__: model.objects.count() for model in (Person, Organization, Topic, Meeting)}


# Matching names: a pure function ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "existing"),
    [
        ("James Heapey", "James Heapey"),
        ("james heapey", "James Heapey"),  # case
        ("heapey james", "James Heapey"),  # word order
        ("Heapey, James", "James Heapey"),  # punctuation
        ("J. Heapey", "James Heapey"),  # initial
        ("J Heapey", "James Heapey"),
        ("Heapey", "James Heapey"),  # a word missing
        ("James Heappey", "James Heapey"),  # spelling
        ("J. Heappey", "James Heapey"),  # an initial and a spelling
        ("Adén Duale", "Aden Duale"),  # accents
        ("Hon. Aden Duale", "Aden Duale"),  # honorific
        ("Lloyd Austin", "Lloyd J. Austin III"),
        ("ministry of defense", "Ministry of Defence"),
        ("Ángela Merkel", "ANGELA MERKEL"),
        ("Владимир Путин", "владимир путин"),  # other scripts too
    ],
)
def test_names_that_mean_the_same_person_match(typed, existing):
    assert names_match(typed, existing)


@pytest.mark.parametrize(
    ("typed", "existing"),
    [
        ("John Healey", "James Heapey"),
        ("J. Healey", "James Heapey"),  # another minister altogether
        ("Aden Duale", "James Heapey"),
        ("J. Smith", "James Heapey"),
        ("Ministry of Justice", "Ministry of Defence"),
        ("", "James Heapey"),
        ("Dr", "Dr Jones"),  # an honorific alone says nothing
        ("K. H.", "Karl Heinz"),  # initials alone are not enough
    ],
)
def test_different_names_do_not_match(typed, existing):
    assert not names_match(typed, existing)


def test_close_people_come_first_and_exact_ones_before_approximate(db):
    heapey = PersonFactory(name="James Heapey")
    heappey = PersonFactory(name="James Heappey")
    PersonFactory(name="John Healey")
    assert similar_people("heapey james") == [heapey, heappey]


# People -------------------------------------------------------------------------------------


def test_an_editor_adds_a_person(editor_client):
    ministry = OrganizationFactory(name="Ministry of Defence", country="KE")
    response = editor_client.post(
        reverse("person-create"),
        {
            "name": "Aden Duale",
            "honorific": "Hon.",
            "country": "KE",
            "organization": ministry.pk,
            "title": "CS",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert (person.country.code, person.organization, person.honorific) == ("KE", ministry, "Hon.")


def test_a_likely_duplicate_person_is_offered_before_a_new_one_is_made(editor_client):
    existing = PersonFactory(name="James Heapey", country="GB", title="Minister for the Armed Forces")
    response = editor_client.post(reverse("person-create"), {"name": "heapey james", "country": "GB"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Already recorded under a similar name: James Heapey (Minister for the Armed Forces, United Kingdom)"
        in page
    )
    assert existing.get_absolute_url() in page
    assert Person.objects.count() == 1

    confirmed = editor_client.post(
        reverse("person-create"), {"name": "heapey james", "country": "GB", "confirm_new": "on"}
    )
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_editing_a_person_keeps_their_own_name_without_a_duplicate_warning(editor_client):
    person = PersonFactory(name="James Heapey")
    response = editor_client.post(
        reverse("person-update", args=[person.pk]), {"name": "James Heapey", "title": "Former minister"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.title == "Former minister"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 151}, "Ensure this value has at most 150 characters (it has 151)."),
        ({"name": "Someone", "country": "XX"}, "Unknown country code “XX”."),
        ({"name": "Someone", "organization": "999999"}, "Select a valid choice."),
        ({"name": "Someone", "organization": "not-a-number"}, "Select a valid choice."),
    ],
)
def test_a_person_form_rejects_bad_input(editor_client, data, message):
    response = editor_client.post(reverse("person-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_a_person_who_attended_meetings_is_not_deleted(editor_client):
    attendance = AttendanceFactory(person__name="James Heapey")
    ActionFactory(meeting=attendance.meeting, responsible_person=attendance.person)
    url = reverse("person-delete", args=[attendance.person.pk])
    assert "cannot be undone" in editor_client.get(url).content.decode()
    response = editor_client.post(url)
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        "James Heapey cannot be deleted while in use: recorded as attending 1 meeting(s); "
        "responsible for 1 action(s). Change or remove those first."
    ) in page
    assert Person.objects.filter(pk=attendance.person.pk).exists()


def test_an_unused_person_is_deleted_after_confirmation(editor_client):
    person = PersonFactory()
    response = editor_client.post(reverse("person-delete", args=[person.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("person-list")
    assert not Person.objects.exists()


# Organisations ------------------------------------------------------------------------------


def test_an_acronym_is_enough_to_offer_the_existing_organisation(editor_client):
    OrganizationFactory(name="British Army Training Unit Kenya", acronym="BATUK", country="GB")
    response = editor_client.post(
        reverse("organization-create"), {"name": "BATUK", "kind": "unit", "country": "GB"}
    )
    assert "Already recorded under a similar name: British Army Training Unit Kenya (BATUK)" in (
        response.content.decode()
    )
    assert Organization.objects.count() == 1


def test_the_same_ministry_name_in_another_country_is_not_a_duplicate(editor_client):
    OrganizationFactory(name="Ministry of Defence", country="KE")
    response = editor_client.post(
        reverse("organization-create"), {"name": "Ministry of Defence", "kind": "ministry", "country": "GB"}
    )
    assert response.status_code == 302
    assert Organization.objects.count() == 2


@pytest.mark.parametrize(
    ("make_use", "explanation"),
    [
        (lambda org: PersonFactory(organization=org), "the current organisation of 1 person/people"),
        (lambda org: AttendanceFactory(organization=org), "the organisation of 1 attendee(s) on the day"),
        (lambda org: ActionPartyFactory(organization=org, country=""), "a responsible party for 1 action(s)"),
        (lambda org: OrganizationFactory(parent=org), "the parent of 1 organisation(s)"),
        (lambda org: MeetingFactory().organizations.add(org), "involved in 1 meeting(s)"),
    ],
)
def test_an_organisation_in_use_is_not_deleted(editor_client, make_use, explanation):
    organization = OrganizationFactory(name="Kenya Defence Forces")
    make_use(organization)
    before = record_counts()
    response = editor_client.post(reverse("organization-delete", args=[organization.pk]))
    assert response.status_code == 409
    assert explanation in response.content.decode()
    assert record_counts() == before


# Topics -------------------------------------------------------------------------------------


def test_a_topic_is_created_under_a_parent(editor_client):
    parent = TopicFactory(name="Regional security")
    response = editor_client.post(
        reverse("topic-create"),
        {"name": "Horn of Africa", "parent": parent.pk, "related_countries": ["KE", "SO"]},
    )
    topic = Topic.objects.get(name="Horn of Africa")
    assert response.status_code == 302
    assert topic.path == "Regional security › Horn of Africa"
    assert [c.code for c in topic.related_countries] == ["KE", "SO"]


def test_a_topic_cannot_become_its_own_ancestor(editor_client):
    root = TopicFactory(name="Regional security")
    child = TopicFactory(name="Horn of Africa", parent=root)
    response = editor_client.post(
        reverse("topic-update", args=[root.pk]), {"name": root.name, "parent": child.pk}
    )
    assert "A record cannot sit under itself or its own descendant." in response.content.decode()
    root.refresh_from_db()
    assert root.parent is None


def test_a_topic_cannot_sit_under_itself(editor_client):
    topic = TopicFactory(name="Maritime security")
    response = editor_client.post(
        reverse("topic-update", args=[topic.pk]), {"name": topic.name, "parent": topic.pk}
    )
    assert "A record cannot sit under itself or its own descendant." in response.content.decode()


def test_two_topics_of_the_same_name_under_one_parent_are_refused(editor_client):
    TopicFactory(name="Maritime security")
    response = editor_client.post(reverse("topic-create"), {"name": "maritime security"})
    assert "There is already a topic “maritime security” at the top level." in response.content.decode()
    assert Topic.objects.count() == 1


def test_a_topic_in_use_is_not_deleted(editor_client):
    note = MeetingTopicFactory(topic__name="CITSOS")
    TopicFactory(parent=note.topic)
    response = editor_client.post(reverse("topic-delete", args=[note.topic.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "discussed at 1 meeting(s)" in page and "the parent of 1 topic(s)" in page
    assert Topic.objects.count() == 2


# Look-ups and "add new" from the meeting page -------------------------------------------------


def test_the_person_look_up_offers_close_matches_first(viewer_client):
    PersonFactory(name="Jamesina Heap")  # contains the words, but is someone else
    heapey = PersonFactory(name="James Heapey", title="Minister for the Armed Forces")
    results = viewer_client.get(reverse("person-lookup"), {"q": "heapey james"}).json()["results"]
    assert results[0]["value"] == heapey.pk
    assert results[0]["close"] is True
    assert results[0]["text"] == "James Heapey — Minister for the Armed Forces"


def test_the_organisation_look_up_finds_by_acronym_and_names_the_country(viewer_client):
    OrganizationFactory(name="British Army Training Unit Kenya", acronym="BATUK", country="GB")
    results = viewer_client.get(reverse("organization-lookup"), {"q": "batuk"}).json()["results"]
    assert [r["text"] for r in results] == ["British Army Training Unit Kenya (BATUK) · United Kingdom"]


def test_a_person_is_added_from_the_meeting_page(editor_client):
    ministry = OrganizationFactory(name="Ministry of Defence", country="GB")
    response = editor_client.post(
        reverse("person-quick-create"),
        {
            "quick-person-name": "James Heapey",
            "quick-person-country": "GB",
            "quick-person-organization": ministry.pk,
            "quick-person-title": "Minister for the Armed Forces",
        },
    )
    assert response.status_code == 201
    person = Person.objects.get()
    assert response.json()["value"] == person.pk
    assert response.json()["organization"] == {
        "value": ministry.pk,
        "text": "Ministry of Defence · United Kingdom",
    }


def test_adding_a_likely_duplicate_from_the_meeting_page_offers_the_existing_person(editor_client):
    existing = PersonFactory(name="James Heapey")
    response = editor_client.post(reverse("person-quick-create"), {"quick-person-name": "J. Heapey"})
    assert response.status_code == 400
    body = response.json()
    assert body["similar"][0]["value"] == existing.pk
    assert "Already recorded under a similar name" in body["errors"]["name"][0]
    assert Person.objects.count() == 1
    again = editor_client.post(
        reverse("person-quick-create"), {"quick-person-name": "J. Heapey", "quick-person-confirm_new": "on"}
    )
    assert again.status_code == 201


def test_organisations_and_topics_are_added_from_the_meeting_page(editor_client):
    org = editor_client.post(
        reverse("organization-quick-create"),
        {
            "quick-organization-name": "CITSOS",
            "quick-organization-kind": "centre",
            "quick-organization-country": "KE",
        },
    )
    topic = editor_client.post(reverse("topic-quick-create"), {"quick-topic-name": "Counter-terrorism"})
    assert (org.status_code, topic.status_code) == (201, 201)
    assert topic.json()["text"] == "Counter-terrorism"
    bad = editor_client.post(reverse("topic-quick-create"), {"quick-topic-name": ""})
    assert bad.status_code == 400 and bad.json()["errors"]["name"] == ["This field is required."]


# Who may write --------------------------------------------------------------------------------


@pytest.fixture
def records(db):
    action = ActionFactory()
    return {
        "meeting": action.meeting,
        "person": PersonFactory(),
        "organization": OrganizationFactory(),
        "topic": TopicFactory(),
        "action": action,
        # An upload waiting for its confirmation, or one gone meanwhile: the address is the same.
        "import run": SimpleNamespace(pk=uuid.uuid4()),
    }


WRITE_ADDRESSES = [
    ("meeting-create", None),
    ("meeting-update", "meeting"),
    ("meeting-delete", "meeting"),
    ("meeting-carry-over", "meeting"),
    ("person-create", None),
    ("person-update", "person"),
    ("person-delete", "person"),
    ("person-quick-create", None),
    ("organization-create", None),
    ("organization-update", "organization"),
    ("organization-delete", "organization"),
    ("organization-quick-create", None),
    ("topic-create", None),
    ("topic-update", "topic"),
    ("topic-delete", "topic"),
    ("topic-quick-create", None),
    ("action-update-status", "action"),
    ("import", None),
    ("import-confirm", "import run"),
]


def address(records, name, kind) -> str:
    return reverse(name, args=[records[kind].pk] if kind else [])


@pytest.mark.parametrize(("name", "kind"), WRITE_ADDRESSES)
def test_viewers_get_403_on_every_write_address(viewer_client, records, name, kind):
    before = record_counts()
    url = address(records, name, kind)
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"name": "x", "title": "x", "status": "done"}).status_code == 403
    assert record_counts() == before


@pytest.mark.parametrize(("name", "kind"), WRITE_ADDRESSES)
def test_anonymous_people_are_sent_to_sign_in_from_every_write_address(client, records, name, kind):
    before = record_counts()
    url = address(records, name, kind)
    for response in (client.get(url), client.post(url, {"name": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert record_counts() == before


@pytest.mark.parametrize(("name", "kind"), WRITE_ADDRESSES)
def test_editors_may_use_every_write_address(editor_client, records, name, kind):
    url = address(records, name, kind)
    expected_get = 405 if name.endswith("quick-create") or name == "import-confirm" else 200
    assert editor_client.get(url).status_code == expected_get
    # An empty submission is refused politely (or, for deletes, carried out): never a 403 or 500.
    assert editor_client.post(url, {}).status_code in (200, 302, 400, 409, 422)


def test_administrators_may_write_too(admin_client_secret):
    assert admin_client_secret.get(reverse("meeting-create")).status_code == 200


def test_viewers_see_no_new_or_edit_controls(viewer_client, records):
    for name in ("meeting-list", "person-list", "organization-list", "topic-list", "action-list"):
        page = viewer_client.get(reverse(name)).content.decode()
        assert "/new/" not in page, name
        assert "Mark done" not in page
    assert "/edit/" not in viewer_client.get(records["meeting"].get_absolute_url()).content.decode()


def test_editors_see_new_buttons_on_the_lists(editor_client, records):
    for name, create in (
        ("meeting-list", "meeting-create"),
        ("person-list", "person-create"),
        ("organization-list", "organization-create"),
        ("topic-list", "topic-create"),
    ):
        assert f'href="{reverse(create)}"' in editor_client.get(reverse(name)).content.decode()


def test_record_edit_buttons_include_shows_only_to_editors(editor, viewer):
    from django.template.loader import render_to_string

    person = PersonFactory()
    for user, shown in ((editor, True), (viewer, False)):
        html = render_to_string(
            "meetings/includes/record_edit_buttons.html", {"record": person, "kind": "person", "user": user}
        )
        assert (reverse("person-delete", args=[person.pk]) in html) is shown
