"""The demo data: the reference meeting exactly as the seed article says, and a useful sample set."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from meetings import demo_data
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
    Source,
    Topic,
    User,
)
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    Meeting,
    MeetingSeries,
    MeetingCountry,
    MeetingTopic,
    Attendance,
    Action,
    ActionParty,
    Source,
    Person,
    Organization,
    Topic,
    User,
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo users' passwords are hashed on every load; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


@pytest.fixture
def reference():
    load()
    return Meeting.objects.get(title="Kenya–UK defence talks", start_date=datetime.date(2024, 2, 26))


def org(name, country):
    return Organization.objects.get(name=name, country=country)


# --- The reference meeting ----------------------------------------------------------


def test_reference_meeting_when_and_where(reference):
    assert reference.start_date == datetime.date(2024, 2, 26)
    assert reference.start_date.strftime("%A") == "Monday"
    assert reference.city == "Nairobi"
    assert reference.country.code == "KE"
    assert reference.host_country.code == "KE"
    assert reference.kind == Meeting.Kind.BILATERAL
    assert reference.status == Meeting.Status.HELD
    assert reference.classification == 0
    assert reference.classification_label == "UNCLASSIFIED"
    assert reference.timezone == "Africa/Nairobi"
    assert reference.parent is None
    assert reference.series is None


def test_reference_meeting_summary_and_outcome(reference):
    for words in ("Horn of Africa", "Great Lakes", "eastern DR Congo", "Somalia", "BATUK", "CITSOS"):
        assert words in reference.summary
    assert "Joint statement" in reference.outcome
    assert "peace and stability" in reference.outcome
    assert "root causes of insecurity" in reference.outcome
    assert "sustainable development" in reference.outcome


def test_reference_attendees_with_titles_on_the_day(reference):
    attendances = {a.person.name: a for a in reference.attendances.select_related("person", "organization")}
    assert set(attendances) == {"Aden Duale", "James Heapey"}

    duale = attendances["Aden Duale"]
    assert duale.title == "Cabinet Secretary for Defence"
    assert duale.organization == org("Ministry of Defence", "KE")
    assert duale.delegation.code == "KE"
    assert duale.role == Attendance.Role.HEAD
    assert duale.status == Attendance.Status.ATTENDED
    assert duale.is_host

    heapey = attendances["James Heapey"]
    assert heapey.title == "Minister for the Armed Forces"
    assert heapey.organization == org("Ministry of Defence", "GB")
    assert heapey.delegation.code == "GB"
    assert heapey.role == Attendance.Role.HEAD
    assert heapey.status == Attendance.Status.ATTENDED
    assert not heapey.is_host


def test_titles_on_the_day_differ_from_current_titles(reference):
    for attendance in reference.attendances.select_related("person"):
        assert attendance.title
        assert attendance.person.title != attendance.title
    assert Person.objects.get(name="Aden Duale").country.code == "KE"
    assert Person.objects.get(name="James Heapey").country.code == "GB"


def test_reference_topics_as_a_tree(reference):
    notes = {n.topic.name: n for n in reference.topic_notes.select_related("topic")}
    expected_paths = {
        "Horn of Africa": "Regional security › Horn of Africa",
        "Great Lakes region": "Regional security › Great Lakes region",
        "Insecurity in eastern DR Congo": (
            "Regional security › Great Lakes region › Insecurity in eastern DR Congo"
        ),
        "Somalia–Ethiopia relations": "Regional security › Horn of Africa › Somalia–Ethiopia relations",
        "KDF training by BATUK": "Military training › KDF training by BATUK",
        "CITSOS": "Counter-terrorism › CITSOS",
    }
    assert set(notes) == set(expected_paths)
    assert reference.topic_notes.count() == 6
    for name, path in expected_paths.items():
        assert notes[name].topic.path == path
        assert notes[name].note, f"no note for {name}"

    drc = notes["Insecurity in eastern DR Congo"]
    assert "Kenya" in drc.note
    assert [c.code for c in drc.topic.related_countries] == ["CD"]
    assert {c.code for c in notes["Somalia–Ethiopia relations"].topic.related_countries} == {"SO", "ET"}
    assert "United States" in notes["CITSOS"].note
    for root in ("Regional security", "Military training", "Counter-terrorism"):
        assert Topic.objects.get(name=root).parent is None


def test_reference_actions_and_parties(reference):
    actions = list(reference.actions.prefetch_related("parties"))
    assert len(actions) == 4

    def parties(action):
        return sorted(p.country.code for p in action.parties.all() if not p.organization_id)

    for area in ("intelligence sharing", "capacity building", "joint security operations"):
        [action] = [a for a in actions if a.description == f"Enhance cooperation in {area}"]
        assert parties(action) == ["GB", "KE"]
        assert action.is_open

    [citsos] = [a for a in actions if a.description.startswith("Continue UK support for CITSOS")]
    assert parties(citsos) == ["GB"]
    assert "United States has already fulfilled its commitment" in citsos.description
    assert citsos.is_open


def test_reference_sources(reference):
    statement = reference.sources.get(kind=Source.Kind.JOINT_STATEMENT)
    assert statement.title == "Joint statement of Aden Duale and James Heapey"
    assert "root causes of insecurity" in statement.text

    article = reference.sources.get(kind=Source.Kind.ARTICLE)
    assert article.url == ""
    if demo_data.seed_article_path().exists():
        assert article.text == demo_data.seed_article_path().read_text(encoding="utf-8").strip()
    assert "Aden Duale" in article.text
    assert "intelligence sharing" in article.text


def test_article_falls_back_to_an_excerpt_without_the_seed(monkeypatch, tmp_path):
    monkeypatch.setattr(demo_data, "seed_article_path", lambda: tmp_path / "missing.txt")
    assert demo_data.article_text() == demo_data.ARTICLE_EXCERPT


def test_reference_organisations(reference):
    kenya_mod = org("Ministry of Defence", "KE")
    uk_mod = org("Ministry of Defence", "GB")
    kdf = Organization.objects.get(acronym="KDF")
    army = org("British Army", "GB")
    batuk = Organization.objects.get(acronym="BATUK")
    citsos = Organization.objects.get(acronym="CITSOS")

    assert (kenya_mod.kind, kenya_mod.parent) == (Organization.Kind.MINISTRY, None)
    assert (uk_mod.kind, uk_mod.parent) == (Organization.Kind.MINISTRY, None)
    assert (kdf.name, kdf.kind, kdf.country.code, kdf.parent) == (
        "Kenya Defence Forces",
        Organization.Kind.ARMED_FORCE,
        "KE",
        kenya_mod,
    )
    assert (army.kind, army.parent) == (Organization.Kind.ARMED_FORCE, uk_mod)
    assert (batuk.name, batuk.kind, batuk.country.code, batuk.parent) == (
        "British Army Training Unit Kenya",
        Organization.Kind.UNIT,
        "GB",
        army,
    )
    assert batuk.ancestors() == [uk_mod, army]
    assert (citsos.name, citsos.kind, citsos.country.code) == (
        "Counter Insurgency Terrorism and Stability Operation Centre",
        Organization.Kind.CENTRE,
        "KE",
    )
    assert set(reference.organizations.all()) == {kenya_mod, kdf, uk_mod, batuk, citsos}


def test_reference_countries(reference):
    roles = {c.country.code: c.role for c in reference.countries.all()}
    assert roles == {
        "KE": MeetingCountry.Role.PARTICIPANT,
        "GB": MeetingCountry.Role.PARTICIPANT,
        "CD": MeetingCountry.Role.MENTIONED,
        "SO": MeetingCountry.Role.MENTIONED,
        "ET": MeetingCountry.Role.MENTIONED,
        "US": MeetingCountry.Role.MENTIONED,
    }


# --- The sample set --------------------------------------------------------------------


def test_sample_set_covers_every_kind_status_and_several_markings():
    load()
    assert 25 <= Meeting.objects.count() <= 40
    assert set(Meeting.objects.values_list("kind", flat=True)) == set(Meeting.Kind.values)
    assert set(Meeting.objects.values_list("status", flat=True)) == set(Meeting.Status.values)
    markings = list(Meeting.objects.values_list("classification", flat=True))
    assert set(markings) == {0, 1, 2, 3}
    assert markings.count(0) > markings.count(3)


def test_upcoming_meetings_and_action_states_are_relative_to_today():
    load()
    today = timezone.localdate()
    upcoming = Meeting.objects.filter(start_date__gte=today)
    assert upcoming.filter(status__in=["planned", "confirmed"]).count() >= 3
    assert not upcoming.filter(status="held").exists()
    assert Action.objects.overdue().exists()
    assert Action.objects.due_within(30).exists()
    done = Action.objects.filter(status="done")
    assert done.exists()
    assert not done.filter(completed_on__isnull=True).exists()


def test_series_with_three_meetings_and_a_carried_over_action():
    load()
    series = MeetingSeries.objects.get()
    meetings = list(series.meetings.order_by("start_date"))
    assert len(meetings) == 3
    assert len({m.start_date.year for m in meetings}) >= 2
    carried = Action.objects.get(carried_from__isnull=False)
    assert carried.meeting == meetings[1]
    assert carried.carried_from.meeting == meetings[0]
    assert carried.carried_from.status == Action.Status.CARRIED
    assert not carried.carried_from.is_open
    assert carried.is_open


def test_calls_have_no_place():
    load()
    calls = Meeting.objects.filter(kind="call")
    assert calls.count() >= 3
    for call in calls:
        assert (call.city, call.venue, call.country) == ("", "", ""), call
        assert call.place == ""


def test_talks_on_the_margins_of_a_summit():
    load()
    summit = Meeting.objects.get(title="NATO Summit, Washington")
    assert summit.side_meetings.count() >= 1
    ministerial = Meeting.objects.get(title="NATO Defence Ministers' Meeting")
    heads = ministerial.attendances.filter(role=Attendance.Role.HEAD)
    assert heads.count() >= 3
    assert ministerial.countries.filter(role="participant").count() >= 3


def test_heapey_titles_over_time():
    load()
    heapey = Person.objects.get(name="James Heapey")
    titles = set(heapey.attendances.values_list("title", flat=True))
    assert heapey.attendances.count() >= 2
    assert {
        "Minister for the Armed Forces",
        "Parliamentary Under-Secretary of State for the Armed Forces",
    } <= titles
    assert heapey.title not in titles


def test_questions_the_product_must_answer():
    load()
    today = timezone.localdate()
    two_years_ago = today - datetime.timedelta(days=730)
    counter_terrorism = Topic.objects.get(name="Counter-terrorism")
    uk_ct = (
        Meeting.objects.filter(countries__country="GB", start_date__gte=two_years_ago, start_date__lte=today)
        .filter(topic_notes__topic__in=Topic.subtree_ids([counter_terrorism.pk]))
        .distinct()
    )
    assert uk_ct.count() >= 3

    somalia_open = Action.objects.open().filter(meeting__countries__country="SO").distinct()
    assert somalia_open.overdue().exists()

    horn = {"SO", "ET", "DJ", "KE", "UG"}
    months = {
        (m.start_date.year, m.start_date.month)
        for m in Meeting.objects.filter(countries__country__in=horn, status="held").distinct()
    }
    assert len(months) >= 6
    for code in horn:
        assert MeetingCountry.objects.filter(country=code).exists(), code


def test_every_meeting_and_attendance_is_consistent():
    load()
    for meeting in Meeting.objects.all():
        meeting.full_clean()
    for attendance in Attendance.objects.select_related("meeting"):
        if attendance.meeting.status in ("planned", "confirmed"):
            assert attendance.status == Attendance.Status.INVITED


# --- Users and the command -------------------------------------------------------------


def test_demo_users():
    load()
    expected = {"admin": ("administrator", 3), "editor": ("editor", 2), "viewer": ("viewer", 1)}
    for username, (group, clearance) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo-password-2024")
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.clearance == clearance
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="viewer").can_edit
    assert User.objects.get(username="editor").can_edit


def test_running_twice_gives_the_same_data_and_keeps_other_users():
    other = User.objects.create_user("someone", password="x")
    output = load()
    assert f"{Meeting.objects.count()} meetings" in output
    first = table_counts()
    first_titles = sorted(Meeting.objects.values_list("title", "start_date"))
    load()
    assert table_counts() == first
    assert sorted(Meeting.objects.values_list("title", "start_date")) == first_titles
    assert User.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(username__in=["admin", "editor", "viewer"]).count() == 3


def test_refuses_to_wipe_other_data_without_reset():
    MeetingFactory(title="A real meeting")
    with pytest.raises(CommandError, match="--reset"):
        call_command("load_demo", stdout=StringIO())
    assert Meeting.objects.get().title == "A real meeting"

    call_command("load_demo", "--reset", stdout=StringIO())
    assert not Meeting.objects.filter(title="A real meeting").exists()
    assert Meeting.objects.filter(title="Kenya–UK defence talks").exists()
