"""A person enters the whole reference meeting into an empty database through the forms.

Organisations and topics are entered on their own pages, the two people through the
"Add new" dialog of the meeting page, then the meeting with its attendees, six topics,
four actions and the joint statement. The result is compared with the demo record and
found in the meeting list. The data entry is timed: the product target is five minutes.
"""

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meetings import demo_data
from meetings.models import Meeting, Organization, Person, Topic

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parent.parent / "test-results"

ORGANIZATIONS = [
    # name, acronym, kind label, country, parent shown in the look-up
    ("Ministry of Defence", "MoD", "Ministry", "Kenya", None),
    ("Kenya Defence Forces", "KDF", "Armed force", "Kenya", "Ministry of Defence (MoD) · Kenya"),
    ("Ministry of Defence", "MoD", "Ministry", "United Kingdom", None),
    ("British Army Training Unit Kenya", "BATUK", "Unit", "United Kingdom", None),
    ("Counter Insurgency Terrorism and Stability Operation Centre", "CITSOS", "Centre", "Kenya", None),
]
TOPICS = [
    # name, parent (as its path), the text typed to find the parent
    ("Regional security", None),
    ("Horn of Africa", "Regional security"),
    ("Somalia–Ethiopia relations", "Regional security › Horn of Africa"),
    ("Great Lakes region", "Regional security"),
    ("Insecurity in eastern DR Congo", "Regional security › Great Lakes region"),
    ("Counter-terrorism", None),
    ("CITSOS", "Counter-terrorism"),
    ("Military training", None),
    ("KDF training by BATUK", "Military training"),
]
TOPIC_SEARCH = {  # topic key in the demo data → (text typed, option chosen)
    "horn": ("Horn", "Regional security › Horn of Africa"),
    "great-lakes": ("Great Lakes", "Regional security › Great Lakes region"),
    "eastern-drc": ("eastern DR", "Regional security › Great Lakes region › Insecurity in eastern DR Congo"),
    "somalia-ethiopia": ("Somalia", "Regional security › Horn of Africa › Somalia–Ethiopia relations"),
    "batuk-training": ("KDF training", "Military training › KDF training by BATUK"),
    "citsos": ("CITSOS", "Counter-terrorism › CITSOS"),
}
COUNTRY_NAMES = {"KE": "Kenya", "GB": "United Kingdom"}
MENTIONED = ["Democratic Republic of the Congo", "Somalia", "Ethiopia", "United States of America"]


def choose(page: Page, select_id: str, typed: str, option: str | None = None) -> None:
    """Pick from a Tom Select box as a person does with the keyboard: type, arrow to the option, Enter."""
    option = option or typed
    control = page.locator(f"#{select_id}-ts-control")
    control.scroll_into_view_if_needed()
    control.focus()  # its input may be tucked away while a choice is shown
    control.press_sequentially(typed, delay=10)
    dropdown = page.locator(f"#{select_id}-ts-dropdown")
    dropdown.locator(".option", has_text=option).first.wait_for(state="visible")
    for _ in range(40):
        active = dropdown.locator(".option.active")
        if active.count() and option in active.first.inner_text():
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(control.locator("..")).to_contain_text(option)


def choose_country(page: Page, select_id: str, name: str) -> None:
    choose(page, select_id, name[:12], name)


def add_organization(page: Page, base: str, name, acronym, kind, country, parent) -> None:
    page.goto(f"{base}/organizations/new/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Acronym").fill(acronym)
    page.get_by_label("Kind").select_option(label=kind)
    choose_country(page, "id_country", country)
    if parent:
        choose(page, "id_parent", parent.split(" (")[0], parent)
    page.get_by_role("button", name="Save organisation").click()
    expect(page.locator(".alert-success")).to_contain_text("Saved organisation")


def add_topic(page: Page, base: str, name: str, parent: str | None) -> None:
    page.goto(f"{base}/topics/new/")
    page.get_by_label("Name").fill(name)
    if parent:
        choose(page, "id_parent", parent.split(" › ")[-1], parent)
    page.get_by_role("button", name="Save topic").click()
    expect(page.locator(".alert-success")).to_contain_text("Saved topic")


def add_attendee(page: Page, index: int, row: dict, person: dict) -> None:
    """A new person through the "Add new" dialog, then their title and role on the day."""
    prefix = f"id_attendees-{index}"
    control = page.locator(f"#{prefix}-person-ts-control")
    control.click()
    control.press_sequentially(person["name"], delay=10)
    create = page.locator(f"#{prefix}-person-ts-dropdown .create")
    create.wait_for(state="visible")
    create.click()
    dialog = page.locator("#quick-person")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Name")).to_have_value(person["name"])
    country = COUNTRY_NAMES[row["delegation"]]
    choose_country(page, "id_quick-person-country", country)
    ministry = f"Ministry of Defence (MoD) · {country}"
    choose(page, "id_quick-person-organization", "Ministry", ministry)
    dialog.get_by_label("Current title").fill(row["title"])
    dialog.get_by_role("button", name="Add person").click()
    expect(dialog).to_be_hidden()
    # The organisation and delegation come from the person; the title on the day is typed.
    expect(page.locator(f"#{prefix}-organization-ts-control").locator("..")).to_contain_text(
        "Ministry of Defence"
    )
    page.locator(f"#{prefix}-title").fill(row["title"])
    page.locator(f"#{prefix}-role").select_option(label="Head of delegation")


def fill_meeting(page: Page, reference: dict) -> None:
    page.locator("#id_title").fill(reference["title"])
    page.locator("#id_kind").select_option(reference["kind"])
    page.locator("#id_status").select_option(reference["status"])
    page.locator("#id_start_date").fill(reference["date"].isoformat())
    choose(page, "id_timezone", "Nairobi", "Africa/Nairobi")
    page.locator("#id_city").fill(reference["city"])
    choose_country(page, "id_country", "Kenya")
    choose_country(page, "id_host_country", "Kenya")
    for name, option in (
        ("Ministry", "Ministry of Defence (MoD) · Kenya"),
        ("KDF", "Kenya Defence Forces (KDF) · Kenya"),
        ("Ministry", "Ministry of Defence (MoD) · United Kingdom"),
        ("BATUK", "British Army Training Unit Kenya (BATUK) · United Kingdom"),
        ("CITSOS", "Counter Insurgency Terrorism and Stability Operation Centre (CITSOS) · Kenya"),
    ):
        choose(page, "id_organizations", name, option)
    for country in MENTIONED:
        choose_country(page, "id_mentioned", country)
    page.locator("#id_summary").fill(reference["summary"])
    page.locator("#id_outcome").fill(reference["outcome"])


def add_rows(page: Page, prefix: str, label: str, wanted: int) -> None:
    rows = page.locator(f"#{prefix} [data-formset-rows] > [data-formset-row]")
    while rows.count() < wanted:
        page.get_by_role("button", name=label).click()


def enter_reference_meeting(page: Page, base: str) -> None:
    reference = demo_data.REFERENCE_MEETING
    people = {p["key"]: p for p in demo_data.PEOPLE}
    for organization in ORGANIZATIONS:
        add_organization(page, base, *organization)
    for name, parent in TOPICS:
        add_topic(page, base, name, parent)

    page.goto(f"{base}/meetings/new/")
    fill_meeting(page, reference)
    for index, row in enumerate(reference["attendees"]):
        add_attendee(page, index, row, people[row["person"]])

    add_rows(page, "topics", "Add topic", len(reference["topics"]))
    for index, (key, note) in enumerate(reference["topics"]):
        typed, option = TOPIC_SEARCH[key]
        choose(page, f"id_topics-{index}-topic", typed, option)
        page.locator(f"#id_topics-{index}-note").fill(note)

    add_rows(page, "actions", "Add action", len(reference["actions"]))
    for index, action in enumerate(reference["actions"]):
        page.locator(f"#id_actions-{index}-description").fill(action["description"])
        for code in action["countries"]:
            choose_country(page, f"id_actions-{index}-countries", COUNTRY_NAMES[code])
        page.locator(f"#id_actions-{index}-status").select_option(action.get("status", "agreed"))

    statement = reference["sources"][0]
    page.locator("#id_sources-0-kind").select_option(statement["kind"])
    page.locator("#id_sources-0-title").fill(statement["title"])
    page.locator("#id_sources-0-published_on").fill(statement["published_on"].isoformat())
    page.locator("#id_sources-0-text").fill(statement["text"])
    page.screenshot(path=str(RESULTS / "enter-meeting-filled.png"), full_page=True)

    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator(".alert-success")).to_contain_text("Saved “Kenya–UK defence talks”")


def assert_matches_the_demo_record(meeting: Meeting) -> None:
    reference = demo_data.REFERENCE_MEETING
    people = {p["key"]: p["name"] for p in demo_data.PEOPLE}
    topics = {t["key"]: t["name"] for t in demo_data.TOPICS}
    assert (meeting.kind, meeting.status, meeting.start_date, meeting.city) == (
        reference["kind"],
        reference["status"],
        reference["date"],
        reference["city"],
    )
    assert (meeting.country.code, meeting.host_country.code, meeting.timezone) == (
        "KE",
        "KE",
        "Africa/Nairobi",
    )
    assert (meeting.summary, meeting.outcome) == (reference["summary"], reference["outcome"])
    assert {
        (a.person.name, a.title, a.delegation.code, a.role, a.organization.name)
        for a in meeting.attendances.all()
    } == {
        (people[row["person"]], row["title"], row["delegation"], row["role"], "Ministry of Defence")
        for row in reference["attendees"]
    }
    assert [(n.topic.name, n.note) for n in meeting.topic_notes.all()] == [
        (topics[key], note) for key, note in reference["topics"]
    ]
    assert {
        (a.description, a.status, frozenset(p.country.code for p in a.parties.all()))
        for a in meeting.actions.all()
    } == {
        (a["description"], a.get("status", "agreed"), frozenset(a["countries"])) for a in reference["actions"]
    }
    source = meeting.sources.get()
    statement = reference["sources"][0]
    assert (source.kind, source.title, source.published_on, source.text) == (
        statement["kind"],
        statement["title"],
        statement["published_on"],
        statement["text"],
    )
    roles = dict(meeting.countries.values_list("country", "role"))
    assert roles == {
        **dict.fromkeys(reference["participants"], "participant"),
        **dict.fromkeys(reference["mentioned"], "mentioned"),
    }
    assert sorted(o.acronym for o in meeting.organizations.all()) == ["BATUK", "CITSOS", "KDF", "MoD", "MoD"]


def test_a_person_enters_the_reference_meeting_through_the_forms(signed_in_page, live_server):
    page = signed_in_page
    page.set_default_timeout(15_000)
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
    assert not (Meeting.objects.exists() or Person.objects.exists() or Topic.objects.exists())
    assert not Organization.objects.exists()

    started = time.perf_counter()
    enter_reference_meeting(page, live_server.url)
    elapsed = time.perf_counter() - started

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "enter-meeting-seconds.txt").write_text(f"{elapsed:.1f}\n")
    print(f"\nData entry of the reference meeting took {elapsed:.1f} s")
    assert elapsed < 300, "the product target is under five minutes"

    meeting = Meeting.objects.get()
    assert_matches_the_demo_record(meeting)
    assert Person.objects.count() == 2  # no duplicates were made along the way

    page.goto(f"{live_server.url}/meetings/?q=Kenya")
    row = page.locator("#list-results tbody tr", has_text=demo_data.REFERENCE_TITLE)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=demo_data.REFERENCE_TITLE).click()
    page.wait_for_url(f"{live_server.url}{meeting.get_absolute_url()}")
    assert requested_hosts == {live_server.url.split("/")[2]}  # nothing from other hosts
