"""Walks every URL pattern of the app (and the admin) as low-clearance users and proves that
nothing of a higher-marked meeting appears in any response: titles, actions, notes, sources.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from meetings.models import MeetingCountry
from meetings.services import calendar_feed_issue
from tests.conftest import SECRET, UNCLASSIFIED
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SECRET_WORD = "ZEBRAFINCH"
# Searched for in lower case and in part, so that a page echoing the search box is not a leak.
SEARCH = "zebrafin"
AUTOCOMPLETE_KINDS = ["people", "organizations", "topics", "meetings"]
LIST_QUERIES = [{}, {"q": SEARCH}, {"export": "csv"}, {"export": "json"}, {"export": "xlsx"}]


def all_patterns(resolver=None, prefix=""):
    """Every (route, pattern) of the project, the admin included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


@pytest.fixture
def world(settings, tmp_path):
    """An open meeting and a SECRET one that share a series, people, organisations and topics."""
    settings.MEDIA_ROOT = tmp_path
    series = MeetingSeriesFactory(name="Annual dialogue")
    person = PersonFactory(name="Shared Official")
    organization = OrganizationFactory(name="Shared Ministry")
    topic = TopicFactory(name="Shared topic")
    open_meeting = MeetingFactory(title="Open talks", series=series, start_date=datetime.date(2024, 1, 10))
    secret = MeetingFactory(
        title=f"{SECRET_WORD} talks",
        summary=f"{SECRET_WORD} summary",
        outcome=f"{SECRET_WORD} outcome",
        classification=SECRET,
        series=series,
        parent=open_meeting,
        # Coming: it also belongs in calendar feeds and the dashboard's coming meetings.
        start_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    for meeting in (open_meeting, secret):
        MeetingCountry.objects.create(meeting=meeting, country="KE")
        AttendanceFactory(meeting=meeting, person=person, organization=organization, delegation="KE")
        MeetingTopicFactory(meeting=meeting, topic=topic, note=f"{meeting.title} note")
        meeting.organizations.add(organization)
    action = ActionFactory(meeting=secret, description=f"{SECRET_WORD} action", responsible_person=person)
    ActionPartyFactory(action=action, country="KE")
    ActionPartyFactory(action=action, country="", organization=organization)
    SourceFactory(meeting=secret, title=f"{SECRET_WORD} readout", text=f"{SECRET_WORD} text")
    secret_file = SourceFactory(
        meeting=secret,
        title="Minutes",
        url="",
        file=SimpleUploadedFile("m.txt", f"{SECRET_WORD} minutes".encode()),
    )
    open_file = SourceFactory(
        meeting=open_meeting, title="Open minutes", url="", file=SimpleUploadedFile("o.txt", b"Open minutes")
    )
    return {
        "files": [secret_file, open_file],
        "secret": secret,
        "open": open_meeting,
        "person": person,
        "organization": organization,
        "topic": topic,
    }


def candidate_urls(world) -> list[str]:
    """Concrete addresses for every pattern: each id-taking route with every id in play."""
    ids = {
        world["secret"].pk,
        world["open"].pk,
        world["person"].pk,
        world["organization"].pk,
        world["topic"].pk,
        *world["secret"].actions.values_list("pk", flat=True),
        *(source.pk for source in world["files"]),
    }
    urls = []
    for route, pattern in all_patterns():
        converters = pattern.pattern.converters
        route = route.replace("^", "").replace("$", "").replace("\\Z", "")
        if "<" not in route and "(?P" not in route:
            urls.append("/" + route)
        elif set(converters) == {"pk"} or set(converters) == {"object_id"} or route.count("<") == 1:
            name = next(iter(converters), "")
            if name == "kind":
                urls += ["/" + route.replace("<str:kind>", kind) for kind in AUTOCOMPLETE_KINDS]
            elif name == "token":
                urls += ["/" + route.replace("<str:token>", token) for token in world.get("feed_tokens", [])]
            elif name == "code":
                urls += ["/" + route.replace("<str:code>", code) for code in ("KE", "ke", "GB")]
            else:
                placeholder = route[route.index("<") : route.index(">") + 1]
                urls += ["/" + route.replace(placeholder, str(pk)) for pk in ids]
    # Stored files by their storage address, in case any route served the media folder.
    urls += [f"/media/{source.file.name}" for source in world["files"]]
    return sorted(set(urls))


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


# Addresses of downloadable files in a page or a JSON answer.
FILE_LINK = re.compile(r"(?:https?://testserver)?(/(?:sources/\d+/file|media)/[^\"'<>\s]*)")


def walk(client, urls) -> tuple[list[str], list[str]]:
    leaks, visited, files = [], [], set()
    for url in urls:
        queries = LIST_QUERIES if url.endswith("/") and "<" not in url else [{}]
        for params in queries:
            response = client.get(url, params | ({"q": SEARCH} if "autocomplete" in url else {}))
            assert response.status_code < 500, f"{url} {params} answered {response.status_code}"
            visited.append(url)
            text = body(response)
            if SECRET_WORD in text:
                leaks.append(f"{url} {params}")
            files.update(FILE_LINK.findall(text))
    for url in sorted(files):
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        visited.append(url)
        if SECRET_WORD in body(response):
            leaks.append(url)
    return leaks, visited


def test_an_unclassified_editor_sees_nothing_of_a_secret_meeting_anywhere(client, world):
    editor = UserFactory(username="low-editor", role="editor", clearance=UNCLASSIFIED)
    client.force_login(editor)
    world["feed_tokens"] = [calendar_feed_issue(user=editor)]
    urls = [u for u in candidate_urls(world) if not u.startswith("/admin/")]
    assert any(u.startswith("/calendar/feed/") for u in urls)
    assert "/account/api-token/" in urls
    leaks, visited = walk(client, urls)
    assert leaks == []
    assert len(set(visited)) >= 25
    open_file, secret_file = (f"/sources/{source.pk}/file/" for source in reversed(world["files"]))
    assert open_file in visited  # followed from the open meeting's page
    assert client.get(open_file).status_code == 200
    assert client.get(secret_file).status_code == 404
    assert client.get(f"/meetings/{world['secret'].pk}/").status_code == 404
    assert client.get(f"/meetings/{world['secret'].pk}/edit/").status_code == 404
    assert client.get(f"/api/v1/meetings/{world['secret'].pk}/").status_code == 404


def test_an_unclassified_administrator_sees_nothing_of_it_in_the_admin(client, world):
    admin = UserFactory(username="low-admin", role="administrator", clearance=UNCLASSIFIED, is_staff=True)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    urls = [u for u in candidate_urls(world) if u.startswith("/admin/") and "logout" not in u]
    leaks, visited = walk(client, urls)
    assert leaks == [], "\n".join(leaks)
    assert len(set(visited)) >= 40


def test_the_secret_meeting_is_visible_to_someone_cleared(client, world):
    """The walk above would be meaningless if the secret word never reached any page."""
    cleared = UserFactory(username="cleared", clearance=SECRET)
    cleared.groups.add(Group.objects.get(name="viewer"))
    client.force_login(cleared)
    assert SECRET_WORD in body(client.get(f"/meetings/{world['secret'].pk}/"))
    assert SECRET_WORD in body(client.get("/meetings/", {"export": "csv"}))
    assert SECRET_WORD in body(client.get(f"/people/{world['person'].pk}/"))
    assert SECRET_WORD in body(client.get(f"/meetings/{world['secret'].pk}/calendar.ics"))
    assert SECRET_WORD in body(client.get(f"/calendar/feed/{calendar_feed_issue(user=cleared)}.ics"))
    assert SECRET_WORD in body(client.get(f"/sources/{world['files'][0].pk}/file/"))


def test_the_admin_refuses_a_delete_that_reaches_a_hidden_meeting(client, world):
    admin = UserFactory(username="low-admin", role="administrator", clearance=UNCLASSIFIED, is_staff=True)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    series = world["secret"].series
    url = f"/admin/meetings/meetingseries/{series.pk}/delete/"
    page = body(client.get(url))
    assert "Records you are not cleared to see depend on this" in page
    client.post(url, {"post": "yes"})
    series.refresh_from_db()  # still there
    assert world["secret"].series_id == series.pk
