"""A Python client generated from the live schema by openapi-python-client, as an
integrator would make one, used against a running server: the schema and the API agree."""

import datetime
import importlib
import json
import subprocess
import sys

import httpx
import pytest
from django.core.cache import cache

from meetings import services
from meetings.models import Action, Meeting
from tests.conftest import SECRET, UNCLASSIFIED
from tests.factories import MeetingFactory, OrganizationFactory, PersonFactory, TopicFactory, UserFactory

PACKAGE = "meetings_client"


@pytest.fixture
def generated(live_server, tmp_path, transactional_db):
    """The client package, generated now from what the server publishes at /api/schema/."""
    cache.clear()
    key = services.api_token_issue(user=UserFactory(username="schema-reader"))
    schema = httpx.get(
        f"{live_server.url}/api/schema/?format=json", headers={"Authorization": f"Token {key}"}, timeout=60
    ).raise_for_status()
    (tmp_path / "schema.json").write_text(schema.text)
    (tmp_path / "config.json").write_text(json.dumps({"package_name_override": PACKAGE, "post_hooks": []}))
    options = ["--meta", "none", "--config", "config.json", "--output-path", PACKAGE, "--fail-on-warning"]
    subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", "schema.json", *options],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(tmp_path))
    yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    sys.path.remove(str(tmp_path))
    for module in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[module]


def client_for(generated, live_server, user):
    key = services.api_token_issue(user=user)
    return generated("client").AuthenticatedClient(
        base_url=live_server.url, token=key, prefix="Token", timeout=httpx.Timeout(60)
    )


def test_a_generated_client_lists_records_a_meeting_updates_an_action_and_meets_conflicts_and_clearance(
    generated, live_server
):
    models = generated("models")
    list_meetings = importlib.import_module(f"{PACKAGE}.api.meetings.meetings_list")
    create_meeting = importlib.import_module(f"{PACKAGE}.api.meetings.meetings_create")
    read_meeting = importlib.import_module(f"{PACKAGE}.api.meetings.meetings_retrieve")
    change_action = importlib.import_module(f"{PACKAGE}.api.actions.actions_partial_update")

    editor = UserFactory(username="integrator", role="editor", clearance=SECRET)
    api = client_for(generated, live_server, editor)
    duale, heapey = PersonFactory(name="Aden Duale", country="KE"), PersonFactory(name="James Heapey")
    mod = OrganizationFactory(name="Ministry of Defence", country="KE")
    security = TopicFactory(name="Regional security")
    MeetingFactory(title="Older talks", country="KE", start_date=datetime.date(2023, 5, 1))
    MeetingFactory(title="Elsewhere", country="FR", start_date=datetime.date(2024, 5, 1))

    listed = list_meetings.sync(
        client=api,
        country=models.MeetingsListCountry.KE,
        date_after=datetime.date(2023, 1, 1),
        sort=models.MeetingsListSort("-start_date"),
        per_page=10,
    )
    assert [meeting.title for meeting in listed.results] == ["Older talks"]
    assert listed.count == 1

    created = create_meeting.sync(
        client=api,
        body=models.MeetingRequest(
            title="Kenya–UK defence talks",
            start_date=datetime.date(2024, 2, 26),
            start_time="10:00",
            kind=models.MeetingKindEnum.BILATERAL,
            status=models.MeetingStatusEnum.HELD,
            city="Nairobi",
            country=models.CountryEnum.KE,
            host_country=models.CountryEnum.KE,
            mentioned=[models.CountryEnum.SO, models.CountryEnum.ET],
            attendees=[
                models.AttendeeRequest(
                    person=duale.pk,
                    organization=mod.pk,
                    delegation=models.CountryEnum.KE,
                    role=models.AttendanceRoleEnum.HOST,
                ),
                models.AttendeeRequest(
                    person=heapey.pk, delegation=models.CountryEnum.GB, title="Minister for the Armed Forces"
                ),
            ],
            topics=[models.TopicNoteRequest(topic=security.pk, note="The Horn of Africa")],
            actions=[
                models.ActionRowRequest(
                    description="Enhance cooperation in intelligence sharing",
                    countries=[models.CountryEnum.KE, models.CountryEnum.GB],
                    due_date=datetime.date(2024, 12, 31),
                )
            ],
        ),
    )
    assert isinstance(created, models.Meeting), created

    meeting = read_meeting.sync(id=created.id, client=api)
    assert meeting.title == "Kenya–UK defence talks"
    assert meeting.start_time == "10:00:00"
    assert sorted(a.person_name for a in meeting.attendees) == ["Aden Duale", "James Heapey"]
    assert sorted(meeting.participants) == ["GB", "KE"]
    assert meeting.topics[0].note == "The Horn of Africa"
    (action,) = meeting.actions
    assert sorted(action.countries) == ["GB", "KE"] and action.version == 1

    done = change_action.sync(
        id=action.id,
        client=api,
        body=models.PatchedActionUpdateRequest(
            version=action.version,
            status=models.ActionStatusEnum.DONE,
            completed_on=datetime.date(2024, 6, 1),
        ),
    )
    assert isinstance(done, models.Action), done
    assert (done.status, done.version) == (models.ActionStatusEnum.DONE, 2)

    stale = change_action.sync_detailed(
        id=action.id,
        client=api,
        body=models.PatchedActionUpdateRequest(version=1, completion_note="Overwritten"),
    )
    assert stale.status_code == 409
    assert isinstance(stale.parsed, models.Error)
    assert stale.parsed.current_version == 2
    assert any(change.new == "Done" for entry in stale.parsed.changes for change in entry.changes)
    assert Action.objects.get(pk=action.id).completion_note == ""

    secret = MeetingFactory(title="ZEBRAFINCH talks", classification=SECRET)
    low = client_for(
        generated, live_server, UserFactory(username="low", role="viewer", clearance=UNCLASSIFIED)
    )
    hidden = read_meeting.sync_detailed(id=secret.pk, client=low)
    assert hidden.status_code == 404
    assert hidden.parsed.detail == "Not found."
    assert "ZEBRAFINCH" not in hidden.content.decode()
    assert Meeting.objects.filter(pk=secret.pk).exists()
