"""The meeting brief: a printable page and a PDF for the official who walks into the room."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import MeetingCountry
from tests.conftest import RESTRICTED, SECRET
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def with_partners(meeting, *codes):
    for code in codes:
        MeetingCountry.objects.create(meeting=meeting, country=code)
    return meeting


@pytest.fixture
def coming():
    """A coming Kenya–UK meeting in a series, with earlier meetings and their actions."""
    series = MeetingSeriesFactory(name="Kenya–UK Defence Staff Talks")
    earlier = with_partners(
        MeetingFactory(
            title="Kenya–UK defence talks",
            start_date=datetime.date(2024, 2, 26),
            series=series,
            outcome="A joint statement on peace and stability.",
        ),
        "KE",
        "GB",
    )
    overdue = ActionFactory(
        meeting=earlier,
        description="Enhance intelligence sharing",
        due_date=TODAY - datetime.timedelta(days=20),
    )
    ActionPartyFactory(action=overdue, country="KE")
    ActionFactory(meeting=earlier, description="Already done", status="done", completed_on=TODAY)
    secret = with_partners(
        MeetingFactory(title="Quiet talks", start_date=datetime.date(2024, 5, 1), classification=SECRET),
        "KE",
        "GB",
    )
    ActionFactory(meeting=secret, description="ZEBRAFINCH handover", due_date=TODAY)
    elsewhere = with_partners(MeetingFactory(title="Talks with France"), "FR", "GB")
    ActionFactory(meeting=elsewhere, description="Something owed to France")

    meeting = with_partners(
        MeetingFactory(
            title="Kenya–UK Defence Staff Talks 2027",
            status="confirmed",
            start_date=TODAY + datetime.timedelta(days=14),
            start_time=datetime.time(9, 30),
            timezone="Africa/Nairobi",
            venue="Ulinzi House",
            series=series,
        ),
        "KE",
        "GB",
    )
    ministry = OrganizationFactory(name="Ministry of Defence", country="KE")
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(name="Aden Barre Duale", country="KE"),
        title="Cabinet Secretary for Defence",
        organization=ministry,
        role="head",
    )
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Ngũgĩ wa Kamau", country="KE"), title="Director of Plans"
    )
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Zoë Ćirić-Østergård", country="GB"), title="Attaché"
    )
    MeetingTopicFactory(
        meeting=meeting, topic=TopicFactory(name="BATUK training"), note="Renewal of the agreement."
    )
    return {"meeting": meeting, "earlier": earlier}


def test_the_brief_shows_delegations_topics_and_what_is_still_owed(viewer_client, coming):
    meeting = coming["meeting"]
    page = viewer_client.get(reverse("meeting-brief", args=[meeting.pk])).content.decode()

    assert "Kenya–UK Defence Staff Talks 2027" in page
    assert "09:30" in page and "Africa/Nairobi" in page and "Ulinzi House" in page
    assert "Aden Barre Duale</span>, Cabinet Secretary for Defence, Ministry of Defence" in page
    assert "Ngũgĩ wa Kamau" in page and "Zoë Ćirić-Østergård" in page
    assert page.index("Aden Barre Duale") < page.index("Zoë")  # the host's delegation first
    assert "BATUK training</span>: Renewal of the agreement." in page
    assert "Enhance intelligence sharing" in page and "Overdue" in page
    assert "Already done" not in page
    assert "Something owed to France" not in page
    assert "previous: <a" in page and "Kenya–UK defence talks" in page
    assert "A joint statement on peace and stability." in page  # the last meeting's outcome


def test_a_secret_earlier_action_is_left_out_for_a_reader_not_cleared(viewer_client, editor, coming):
    url = reverse("meeting-brief", args=[coming["meeting"].pk])

    assert "ZEBRAFINCH" not in viewer_client.get(url).content.decode()

    cleared_client = Client()
    cleared_client.force_login(editor)
    cleared = cleared_client.get(url).content.decode()
    assert "ZEBRAFINCH" in cleared
    assert cleared.count(">SECRET<") == 4  # the brief carries the highest marking it shows


def test_the_brief_carries_the_marking_of_what_it_shows(viewer_client, coming):
    coming["earlier"].classification = RESTRICTED
    coming["earlier"].save()
    page = viewer_client.get(reverse("meeting-brief", args=[coming["meeting"].pk])).content.decode()
    assert page.count(">RESTRICTED<") == 4  # top and bottom of the screen, and of every printed page


def test_a_brief_above_clearance_is_not_found(viewer_client):
    secret = MeetingFactory(classification=SECRET)
    assert viewer_client.get(reverse("meeting-brief", args=[secret.pk])).status_code == 404
    assert viewer_client.get(reverse("meeting-brief-pdf", args=[secret.pk])).status_code == 404


def test_the_meeting_page_links_to_its_brief(viewer_client):
    meeting = MeetingFactory()
    page = viewer_client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="/meetings/{meeting.pk}/brief/"' in page


def test_a_meeting_with_nothing_recorded_still_has_a_brief(viewer_client):
    meeting = MeetingFactory(kind="call", city="", country="", host_country="")
    page = viewer_client.get(reverse("meeting-brief", args=[meeting.pk])).content.decode()
    assert "No attendees recorded." in page and "No partner countries recorded" in page
    assert viewer_client.get(reverse("meeting-brief-pdf", args=[meeting.pk])).content.startswith(b"%PDF")


def test_the_brief_costs_the_same_queries_however_much_it_shows(
    viewer_client, coming, django_assert_max_num_queries
):
    meeting = coming["meeting"]
    for number in range(15):
        AttendanceFactory(meeting=meeting)
        MeetingTopicFactory(meeting=meeting)
        action = ActionFactory(meeting=coming["earlier"], description=f"Further step {number}")
        ActionPartyFactory(action=action, country="GB")
        ActionPartyFactory(action=action, country="", organization=OrganizationFactory())
    with django_assert_max_num_queries(18):
        page = viewer_client.get(reverse("meeting-brief", args=[meeting.pk])).content.decode()
    assert "Further step 14" in page
    with django_assert_max_num_queries(18):
        assert viewer_client.get(reverse("meeting-brief-pdf", args=[meeting.pk])).status_code == 200


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_a_real_pdf_with_the_brief_in_it(viewer_client, coming):
    response = viewer_client.get(reverse("meeting-brief-pdf", args=[coming["meeting"].pk]))
    text = pdf_text(response)

    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    assert "Kenya–UK Defence Staff Talks 2027" in text
    assert "Aden Barre Duale" in text and "Cabinet Secretary for Defence" in text
    assert "Enhance intelligence sharing" in text and "OVERDUE" in text
    assert "ZEBRAFINCH" not in text
    assert text.count("UNCLASSIFIED") >= 2  # top and bottom of the page


def test_the_pdf_prints_accented_and_african_names(viewer_client, coming):
    text = pdf_text(viewer_client.get(reverse("meeting-brief-pdf", args=[coming["meeting"].pk])))
    assert "Ngũgĩ wa Kamau" in text
    assert "Zoë Ćirić-Østergård" in text


def test_the_pdf_marks_every_page_with_the_highest_marking(editor_client, coming):
    for number in range(60):
        ActionFactory(
            meeting=coming["earlier"], description=f"A long list of things still owed, number {number}"
        )
    reader = PdfReader(
        io.BytesIO(editor_client.get(reverse("meeting-brief-pdf", args=[coming["meeting"].pk])).content)
    )
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert page.extract_text().count("SECRET") >= 2
