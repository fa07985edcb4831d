"""The data model: database constraints refuse bad rows themselves, logic lives on models."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import Action, ActionParty, Attendance, Meeting, MeetingTopic, Source, Topic
from tests.conftest import CONFIDENTIAL, RESTRICTED, SECRET, UNCLASSIFIED
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(make_row) -> bool:
    try:
        with transaction.atomic():
            make_row()
    except IntegrityError:
        return True
    return False


def test_it_rejects_end_before_start():
    assert refused_by_database(
        lambda: MeetingFactory(start_date=datetime.date(2024, 2, 26), end_date=datetime.date(2024, 2, 25))
    )
    assert Meeting.objects.count() == 0


def test_it_rejects_end_time_before_start_time_on_the_same_day():
    assert refused_by_database(
        lambda: MeetingFactory(
            start_date=datetime.date(2024, 2, 26),
            end_date=datetime.date(2024, 2, 26),
            start_time=datetime.time(14, 0),
            end_time=datetime.time(9, 0),
        )
    )


def test_it_accepts_a_meeting_over_several_days():
    meeting = MeetingFactory(start_date=datetime.date(2024, 2, 26), end_date=datetime.date(2024, 2, 28))
    assert Meeting.objects.get().end_date == meeting.end_date


def test_it_rejects_a_person_listed_twice_at_one_meeting():
    attendance = AttendanceFactory()
    assert refused_by_database(
        lambda: AttendanceFactory(meeting=attendance.meeting, person=attendance.person)
    )
    assert Attendance.objects.count() == 1


def test_it_rejects_two_heads_of_one_delegation():
    first = AttendanceFactory(role=Attendance.Role.HEAD, delegation="GB")
    assert refused_by_database(
        lambda: AttendanceFactory(meeting=first.meeting, role=Attendance.Role.HEAD, delegation="GB")
    )
    AttendanceFactory(meeting=first.meeting, role=Attendance.Role.HEAD, delegation="KE")
    assert first.meeting.attendances.filter(role=Attendance.Role.HEAD).count() == 2


def test_it_rejects_the_same_topic_twice_at_one_meeting():
    meeting, topic = MeetingFactory(), TopicFactory()
    MeetingTopic.objects.create(meeting=meeting, topic=topic)
    assert refused_by_database(lambda: MeetingTopic.objects.create(meeting=meeting, topic=topic))


def test_it_rejects_a_done_action_without_completion_date():
    assert refused_by_database(lambda: ActionFactory(status=Action.Status.DONE, completed_on=None))
    assert refused_by_database(
        lambda: ActionFactory(status=Action.Status.AGREED, completed_on=datetime.date(2024, 3, 1))
    )
    done = ActionFactory(status=Action.Status.DONE, completed_on=datetime.date(2024, 3, 1))
    assert not done.is_open


def test_it_rejects_an_action_party_naming_nobody():
    action = ActionFactory()
    assert refused_by_database(lambda: ActionParty.objects.create(action=action, country=""))
    ministry = OrganizationFactory()
    ActionParty.objects.create(action=action, organization=ministry)
    ActionParty.objects.create(action=action, country="KE")
    assert {str(party) for party in action.parties.all()} == {"Kenya", str(ministry)}


def test_it_rejects_a_source_without_link_file_or_text():
    meeting = MeetingFactory()
    assert refused_by_database(lambda: Source.objects.create(meeting=meeting, title="Readout"))


def test_a_meeting_cannot_be_on_the_margins_of_itself():
    meeting = MeetingFactory()
    meeting.parent = meeting
    assert refused_by_database(meeting.save)


def test_a_topic_cannot_become_its_own_ancestor():
    security = TopicFactory(name="Regional security")
    horn = TopicFactory(name="Horn of Africa", parent=security)
    security.parent = horn
    with pytest.raises(ValidationError) as error:
        security.full_clean()
    assert "parent" in error.value.message_dict
    security.parent = security
    with pytest.raises(ValidationError):
        security.full_clean()


def test_a_topic_path_and_subtree():
    security = TopicFactory(name="Regional security")
    horn = TopicFactory(name="Horn of Africa", parent=security)
    somalia = TopicFactory(name="Somalia", parent=horn)
    other = TopicFactory(name="Cyber")
    assert somalia.path == "Regional security › Horn of Africa › Somalia"
    assert Topic.subtree_ids([security.pk]) == {security.pk, horn.pk, somalia.pk}
    assert other.pk not in Topic.subtree_ids([security.pk])


def test_overdue_is_computed_from_the_due_date():
    today = datetime.date(2024, 6, 1)
    late = ActionFactory(due_date=datetime.date(2024, 5, 1))
    ActionFactory(due_date=datetime.date(2024, 5, 1), status=Action.Status.DONE, completed_on=today)
    ActionFactory(due_date=datetime.date(2024, 7, 1))
    assert late.is_overdue(today)
    assert list(Action.objects.overdue(today)) == [late]
    assert Action.objects.due_within(45, today).count() == 1


@pytest.mark.parametrize(
    ("clearance", "visible"),
    [
        (UNCLASSIFIED, {"UNCLASSIFIED"}),
        (RESTRICTED, {"UNCLASSIFIED", "RESTRICTED"}),
        (CONFIDENTIAL, {"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"}),
        (SECRET, {"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}),
    ],
)
def test_visible_to_shows_meetings_at_or_below_the_clearance(clearance, visible):
    for level, name in enumerate(["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"]):
        meeting = MeetingFactory(title=name, classification=level)
        ActionFactory(meeting=meeting, description=f"action at {name}")
    user = UserFactory(clearance=clearance)
    assert set(Meeting.objects.visible_to(user).values_list("title", flat=True)) == visible
    assert {a.description for a in Action.objects.visible_to(user)} == {f"action at {n}" for n in visible}


def test_visible_to_shows_nothing_to_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    MeetingFactory()
    assert not Meeting.objects.visible_to(AnonymousUser()).exists()
    assert not Meeting.objects.visible_to(None).exists()


def test_roles_exist_with_the_right_powers():
    viewer = UserFactory(role="viewer")
    editor = UserFactory(role="editor")
    assert viewer.has_perm("meetings.view_meeting")
    assert not viewer.has_perm("meetings.change_meeting")
    assert not viewer.can_edit
    assert editor.has_perm("meetings.add_meeting") and editor.can_edit
    assert not editor.has_perm("meetings.change_user")
    assert UserFactory(role="administrator").has_perm("meetings.change_user")


def test_the_title_on_the_day_is_kept_when_the_person_moves_on():
    person = PersonFactory(name="James Heapey", title="Minister for the Armed Forces")
    attendance = AttendanceFactory(person=person, title="Minister for the Armed Forces")
    person.title = "Former minister"
    person.save()
    attendance.refresh_from_db()
    assert attendance.title == "Minister for the Armed Forces"
