"""Large, deterministic synthetic data for benchmarks (``manage.py generate_meetings``).

The same seed (and the same ``today``) gives the same data. Reference data (organisations,
topics, meeting series) is matched by its natural key and reused when it already exists;
people are always added. Meetings and everything hanging off them are appended with
explicit ids after the current maximum id of each table, so nothing is deleted.

On PostgreSQL with psycopg 3 the rows go in with COPY, one transaction per chunk; on any
other database with ``bulk_create`` in batches. The sequences are reset after each chunk.
Explicit ids mean no other session should insert into these tables while this runs.

Generating rows is the bulk of the Python work, so the hot loop in ``_Generator.chunk``
uses precomputed lookup tables (indexed by ``int(random() * size)``), date and time
strings by day index, and plain tuples.
"""

from __future__ import annotations

import datetime
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django_countries import countries

from meetings import classification
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
    Topic,
)

HOME_COUNTRY = "GB"  # the ministry whose dashboard this is: in most meetings
ACTIVE_COUNTRIES = 120  # countries that send delegations (the others are only mentioned)
MIN_PEOPLE = 4 * ACTIVE_COUNTRIES + 100
YEARS = 30

# -- word lists ---------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


SUBJECTS = [  # weighted by position (Zipf): the first are in many titles, the last in few
    "defence cooperation",
    "maritime security",
    "regional security",
    "military training",
    "cyber defence",
    "counter-terrorism",
    "peacekeeping",
    "defence procurement",
    "border security",
    "capacity building",
    "joint exercises",
    "intelligence sharing",
    "air defence",
    "arms control",
    "defence industry",
    "logistics",
    "humanitarian assistance",
    "disaster relief",
    "military education",
    "defence reform",
    "naval cooperation",
    "hybrid threats",
    "space security",
    "missile defence",
    "energy security",
    "climate security",
    "special forces",
    "demining",
    "military medicine",
    "nuclear deterrence",
    "veterans affairs",
    "women, peace and security",
    "small arms",
    "strategic communications",
    "critical infrastructure",
    "airspace management",
    "search and rescue",
    "coastal surveillance",
    "defence budgets",
    "export controls",
]
RARE_WORDS = [  # each in about 1% of titles
    "hydrography",
    "cartography",
    "icebreakers",
    "biosurveillance",
    "desalination",
    "meteorology",
    "sonar",
    "telemedicine",
    "avalanche",
    "archaeology",
]
KIND_NOUNS = {
    "bilateral": ["defence talks", "bilateral meeting", "staff talks", "defence consultations"],
    "multilateral": ["ministerial meeting", "defence conference", "working group", "summit"],
    "call": ["call", "video call", "phone call"],
    "visit": ["visit", "official visit", "delegation visit", "ship visit"],
    "dialogue": ["defence dialogue", "strategic dialogue", "security forum"],
    "other": ["briefing", "roundtable", "meeting"],
}
SUMMARY_TEMPLATES = [
    "Discussed {0} and {1}.",
    "Reviewed progress on {0}.",
    "Both sides agreed to deepen cooperation on {0}.",
    "Exchanged views on {0}, with a focus on {1}.",
    "Officials took stock of {0} and planned next steps on {1}.",
    "The meeting covered {0}.",
    "Agreed a programme of work on {0} for the coming year.",
    "Raised concerns about {0}.",
]
NOTE_TEMPLATES = [
    "Raised by the host; follow-up expected on {0}.",
    "Brief discussion; no commitments on {0}.",
    "Both sides welcomed progress on {0}.",
    "Linked to earlier talks on {0}.",
]
ACTION_VERBS = ["Share", "Draft", "Review", "Circulate", "Agree", "Prepare", "Propose", "Arrange"]
ACTION_OBJECTS = [
    "a memorandum of understanding",
    "a concept note",
    "terms of reference",
    "a training calendar",
    "a list of points of contact",
    "a follow-up meeting",
    "a joint statement",
    "a staff visit",
    "an exercise plan",
    "a capability assessment",
]
OUTCOMES = [
    "Joint statement issued.",
    "Agreement to meet again next year.",
    "Memorandum of understanding signed.",
    "No formal outcome.",
    "Working group established.",
    "Readout published by both sides.",
]
COMPLETION_NOTES = ["Done as agreed.", "Shared by email.", "Closed at the follow-up meeting.", "Signed."]
VENUES = ["Ministry of Defence", "Defence Staff College", "Conference Centre", "Embassy", "Naval Base", ""]
CITY_PARTS = (["Port ", "North ", "San ", "New ", "", "", "", ""], ["Aren", "Bel", "Cas", "Dor", "Ely"])
CITY_ENDS = ["ville", "burg", "ton", "grad", "abad", "polis", "mouth", "ford", "a", "o"]
FIRST_NAMES = words(
    """Amal Anna Ahmed Aiko Alex Ana Andrei Arjun Ben Carlos Chen Chloe Daniel David Elena Emma Fatima
Felix Hana Hassan Ibrahim Ines Ivan Jana Javier John Julia Kemal Kenji Lars Layla Lea Liam
Lucia Marco Maria Mark Mei Mohamed Nadia Noah Nora Olga Omar Paul Pedro Priya Rahul Rosa Sara
Sofia Tariq Tom Yusuf Zara Zoltan"""
)
LAST_NAMES = words(
    """Abbas Adeyemi Alvarez Andersen Bakker Banerjee Berg Brown Chen Costa Dubois Eriksson Fischer
Garcia Gomez Haddad Hansen Hoffmann Ivanova Jensen Kato Khan Kim Kowalski Larsen Lee Lopez
Martin Meyer Mendes Moreau Muller Nakamura Nguyen Novak Okafor Olsen Park Patel Petrov Rossi
Said Santos Schmidt Silva Smith Suzuki Tanaka Taylor Wang Weber Williams Yilmaz Zhang"""
)
TITLES = [  # (title, honorific, weight)
    ("Minister of Defence", "Hon.", 2),
    ("Deputy Minister of Defence", "Hon.", 3),
    ("Chief of Defence Staff", "Gen", 2),
    ("Director of Defence Policy", "", 8),
    ("Defence Attaché", "Col", 10),
    ("Head of International Relations", "", 8),
    ("Policy Officer", "", 20),
    ("Desk Officer", "", 20),
    ("Commander", "Cdre", 4),
    ("Chief of Staff", "Brig", 4),
    ("Legal Adviser", "Dr", 4),
]
TOPIC_ROOTS = {
    "Regional security": ["Horn of Africa", "Sahel", "Western Balkans", "Indo-Pacific", "Gulf", "Arctic"],
    "Maritime security": ["Piracy", "Freedom of navigation", "Fisheries protection", "Port security"],
    "Cyber": ["Cyber defence", "Cyber crime", "Information operations", "Critical infrastructure"],
    "Capability": ["Procurement", "Research and development", "Equipment support", "Air platforms"],
    "Training and education": ["Staff colleges", "Exchanges", "Language training", "Exercises"],
    "Peace operations": ["UN missions", "Mission mandates", "Protection of civilians", "Ceasefires"],
    "Arms control": ["Nuclear", "Chemical weapons", "Small arms", "Export controls", "Landmines"],
    "Humanitarian and disaster relief": ["Earthquakes", "Floods", "Evacuations", "Pandemics"],
    "Defence institutions": ["Defence reform", "Budgets", "Parliamentary oversight", "Personnel"],
    "Counter-terrorism": ["Financing", "Foreign fighters", "Border control", "Radicalisation"],
    "Space": ["Satellites", "Space situational awareness", "Launch"],
    "Climate and security": ["Energy", "Water", "Migration"],
}
TOPIC_ASPECTS = ["Policy", "Training", "Exercises", "Procurement", "Intelligence", "Legal", "Funding"]
INTERNATIONAL_ORGS = [
    ("Allied Defence Organisation", "ADO"),
    ("Regional Security Council", "RSC"),
    ("Maritime Security Initiative", "MSI"),
    ("Peace Operations Office", "POO"),
    ("International Demining Centre", "IDC"),
    ("Defence Education Network", "DEN"),
    ("Arms Control Secretariat", "ACS"),
    ("Coastal States Forum", "CSF"),
    ("Humanitarian Logistics Agency", "HLA"),
    ("Cyber Defence Alliance", "CDA"),
    ("Space Security Partnership", "SSP"),
    ("Border Cooperation Mission", "BCM"),
]
SERIES_NAMES = ["Annual Defence Dialogue", "Defence Staff Talks", "Strategic Partnership Forum"]
TIMEZONES = {
    "GB": "Europe/London",
    "FR": "Europe/Paris",
    "DE": "Europe/Berlin",
    "US": "America/New_York",
    "KE": "Africa/Nairobi",
    "NG": "Africa/Lagos",
    "IN": "Asia/Kolkata",
    "JP": "Asia/Tokyo",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "ZA": "Africa/Johannesburg",
    "AE": "Asia/Dubai",
    "SG": "Asia/Singapore",
    "NO": "Europe/Oslo",
    "PL": "Europe/Warsaw",
}

# -- tables -------------------------------------------------------------------------------------

MODEL_FIELDS = {  # the columns written, in order, per model (attnames)
    Meeting: [
        "id", "title", "kind", "status", "start_date", "start_time", "end_date", "end_time", "timezone",
        "city", "venue", "country", "host_country", "parent_id", "series_id", "classification", "summary",
        "outcome", "version", "created_at", "updated_at",
    ],
    MeetingCountry: ["id", "meeting_id", "country", "role"],
    MeetingTopic: ["id", "meeting_id", "topic_id", "note"],
    Attendance: ["id", "meeting_id", "person_id", "organization_id", "title", "delegation", "role", "status"],
    Action: [
        "id", "meeting_id", "description", "responsible_person_id", "due_date", "status", "completed_on",
        "completion_note", "carried_from_id", "version", "created_at", "updated_at",
    ],
    ActionParty: ["id", "action_id", "country", "organization_id"],
}  # fmt: skip
MODELS = list(MODEL_FIELDS)


def table(items: list, weights: list[float], size: int = 4096) -> list:
    """A lookup list in which each item appears in proportion to its weight."""
    total = sum(weights)
    out, acc = [], 0.0
    for item, weight in zip(items, weights, strict=True):
        acc += weight
        out.extend([item] * (round(acc / total * size) - len(out)))
    assert len(out) == size
    return out


def zipf(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(n)]


# -- reference data -----------------------------------------------------------------------------


@dataclass
class ReferenceRows:
    """Reference data as plain rows, from the seed alone (no ids yet)."""

    codes: list[str]  # every country code, sorted
    active: list[str]  # delegation countries, most active first
    orgs: list[tuple]  # (name, acronym, kind, country, parent index or None)
    topics: list[tuple]  # (path tuple, related countries)
    series: list[str]
    people: list[tuple]  # (name, honorific, country, org index, title)
    cities: dict[str, list[str]]


def reference_rows(rng: random.Random, people: int) -> ReferenceRows:
    codes = sorted(code for code, _ in countries)
    others = [c for c in codes if c != HOME_COUNTRY]
    rng.shuffle(others)
    home = [HOME_COUNTRY] if HOME_COUNTRY in codes else []
    active = (home + others)[:ACTIVE_COUNTRIES]

    names = {code: str(countries.name(code)) for code in codes}
    orgs: list[tuple] = []
    org_of: dict[str, list[int]] = {}
    for rank, code in enumerate(active):
        mod = len(orgs)
        orgs.append(("Ministry of Defence", f"MOD-{code}", "ministry", code, None))
        mine = [mod]
        for force, acronym in [("Army", "A"), ("Navy", "N"), ("Air Force", "AF")][
            : 1 + (rank < 60) + (rank < 30)
        ]:
            mine.append(len(orgs))
            orgs.append((f"{names[code]} {force}", f"{code}{acronym}", "armed_force", code, mod))
            if rank < 20:
                parent = len(orgs) - 1
                for unit in ("1st Brigade", "Logistics Command"):
                    mine.append(len(orgs))
                    orgs.append((f"{unit}, {names[code]} {force}", "", "unit", code, parent))
        if rank < 40:
            mine.append(len(orgs))
            orgs.append((f"{names[code]} Defence Academy", "", "centre", code, mod))
        org_of[code] = mine
    intl_first = len(orgs)
    for name, acronym in INTERNATIONAL_ORGS:
        orgs.append((name, acronym, "international", "", None))
    intl = list(range(intl_first, len(orgs)))

    topics: list[tuple] = []
    for root, children in TOPIC_ROOTS.items():
        topics.append(((root,), []))
        for child in children:
            related = sorted(rng.sample(active, 3)) if root == "Regional security" else []
            topics.append(((root, child), related))
            for aspect in rng.sample(TOPIC_ASPECTS, rng.randint(2, 4)):
                topics.append(((root, child, aspect), []))

    series = [f"{names[active[0]]}–{names[code]} {name}" for code in active[1:15] for name in SERIES_NAMES]

    title_table = table([t[:2] for t in TITLES], [t[2] for t in TITLES], 200)
    # every active country has a few people (enough for its largest delegation), the rest by weight
    guaranteed = [code for code in active for _ in range(4)]
    country_table = table(active, zipf(len(active), 0.9))
    extra = [country_table[int(rng.random() * len(country_table))] for _ in range(people - len(guaranteed))]
    person_rows = []
    for i, code in enumerate(guaranteed + extra):
        title, honorific = title_table[int(rng.random() * len(title_table))]
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if i >= len(guaranteed) and i % 25 == 0:  # international staff
            person_rows.append((name, "", code, rng.choice(intl), "Liaison Officer"))
        else:
            person_rows.append((name, honorific, code, rng.choice(org_of[code]), title))

    cities = {}
    for code in codes:
        cities[code] = [
            f"{rng.choice(CITY_PARTS[0])}{rng.choice(CITY_PARTS[1])}{rng.choice(CITY_ENDS)}" for _ in range(3)
        ]
    return ReferenceRows(codes, active, orgs, topics, series, person_rows, cities)


@dataclass
class Reference:
    """Reference data with database ids, ready for the meeting generator."""

    rows: ReferenceRows
    org_ids: list[int]
    topic_ids: list[int]
    series_ids: list[int]
    person_ids: list[int]


def save_reference(rows: ReferenceRows) -> Reference:
    """Insert what is missing of the reference data and return it with ids."""
    existing = {(n, c): pk for pk, n, c in Organization.objects.values_list("pk", "name", "country")}
    org_ids: list[int | None] = [None] * len(rows.orgs)
    for level in range(3):  # parents first
        todo = []
        for i, (name, acronym, kind, country, parent) in enumerate(rows.orgs):
            if org_ids[i] is not None or (parent is not None and org_ids[parent] is None):
                continue
            if (name, country) in existing:
                org_ids[i] = existing[name, country]
            else:
                parent_id = org_ids[parent] if parent is not None else None
                org = Organization(
                    name=name, acronym=acronym, kind=kind, country=country, parent_id=parent_id
                )
                todo.append((i, org))
        Organization.objects.bulk_create([org for _, org in todo], batch_size=500)
        for i, org in todo:
            org_ids[i] = org.pk
        if level == 2:
            assert None not in org_ids

    nodes = {pk: (parent, name) for pk, parent, name in Topic.objects.values_list("pk", "parent_id", "name")}

    def path(pk):
        chain = []
        while pk is not None and len(chain) < 50:
            parent, name = nodes[pk]
            chain.insert(0, name)
            pk = parent
        return tuple(chain)

    by_path = {path(pk): pk for pk in nodes}
    for depth in (1, 2, 3):  # parents first
        todo = [
            (p, Topic(name=p[-1], parent_id=by_path.get(p[:-1]), related_countries=related))
            for p, related in rows.topics
            if len(p) == depth and p not in by_path
        ]
        Topic.objects.bulk_create([topic for _, topic in todo], batch_size=500)
        by_path.update({p: topic.pk for p, topic in todo})
    topic_ids = [by_path[p] for p, _ in rows.topics]

    have = dict(MeetingSeries.objects.filter(name__in=rows.series).values_list("name", "pk"))
    new = MeetingSeries.objects.bulk_create([MeetingSeries(name=n) for n in rows.series if n not in have])
    have.update({s.name: s.pk for s in new})
    series_ids = [have[n] for n in rows.series]

    people = [
        Person(name=n, honorific=h, country=c, organization_id=org_ids[o], title=t)
        for n, h, c, o, t in rows.people
    ]
    Person.objects.bulk_create(people, batch_size=1000)
    person_ids = [p.pk for p in people]
    assert None not in person_ids
    return Reference(rows, org_ids, topic_ids, series_ids, person_ids)


# -- meetings -----------------------------------------------------------------------------------

KINDS = table(["bilateral", "multilateral", "call", "visit", "dialogue", "other"], [40, 15, 20, 12, 8, 5])
FUTURE_STATUS = table(["planned", "confirmed", "postponed", "cancelled"], [55, 35, 7, 3])
PAST_STATUS = table(["held", "cancelled", "postponed"], [92, 4, 4])
CLASSIFICATION = table([0, 1, 2, 3], [85, 9, 4.5, 1.5])
OTHER_ROLES = table(["delegate", "note_taker", "observer"], [75, 15, 10])
HELD_ATTENDANCE = table(["attended", "declined", "invited"], [94, 4, 2])
OPEN_STATUSES = table(["agreed", "in_progress", "proposed", "blocked"], [40, 35, 15, 10])
ACTION_COUNTS_HELD = table([0, 1, 2, 3, 4], [18, 32, 28, 14, 8])  # mean 1.62
ACTION_COUNTS_OTHER = table([0, 1, 2], [55, 35, 10])  # mean 0.55
TOPIC_COUNTS = table([1, 2, 3], [30, 40, 30])
TIMES = [f"{h:02d}:{m:02d}" for h in range(7, 23) for m in (0, 30)]


class _Generator:
    """Yields the rows of one chunk of meetings at a time; all state comes from ``rng``."""

    def __init__(self, rng: random.Random, ref: Reference, today: datetime.date):
        self.rng = rng
        rows = ref.rows
        self.today = today
        self.first = today - datetime.timedelta(days=(YEARS - 1) * 365 + 30)
        last = today + datetime.timedelta(days=365 + 400)
        self.dates = [str(self.first + datetime.timedelta(days=i)) for i in range((last - self.first).days)]
        self.stamps = [f"{d} 09:00:00+00" for d in self.dates]
        self.t = (today - self.first).days  # today's index
        self.names = {code: str(countries.name(code)) for code in rows.codes}
        self.active = table(rows.active, zipf(len(rows.active), 0.9))
        self.any_country = rows.codes
        people: dict[str, list[tuple]] = {c: [] for c in rows.active}
        intl = []
        for pk, (_, _, country, org, title) in zip(ref.person_ids, rows.people, strict=True):
            row = (pk, ref.org_ids[org], title)
            (intl if title == "Liaison Officer" else people[country]).append(row)
        self.people = people
        self.intl_people = intl
        self.orgs = {c: [] for c in rows.active}
        for pk, (_, _, kind, country, _) in zip(ref.org_ids, rows.orgs, strict=True):
            if kind != "international":
                self.orgs[country].append(pk)
        self.intl_orgs = [pk for pk, o in zip(ref.org_ids, rows.orgs, strict=True) if o[2] == "international"]
        self.topics = table(ref.topic_ids, zipf(len(ref.topic_ids), 0.8))
        self.series = table(ref.series_ids, zipf(len(ref.series_ids), 0.5))
        self.cities = rows.cities
        self.subjects = table(SUBJECTS, zipf(len(SUBJECTS), 1.0))
        rnd = rng.random
        pick = self.subjects
        self.sentences = []
        for _ in range(3000):
            first, second = pick[int(rnd() * len(pick))], pick[int(rnd() * len(pick))]
            while second == first:
                second = pick[int(rnd() * len(pick))]
            self.sentences.append(rng.choice(SUMMARY_TEMPLATES).format(first, second))
        self.notes = [t.format(s) for t in NOTE_TEMPLATES for s in SUBJECTS]
        self.max_class = classification.highest()
        self.last_multilateral = None
        self.last_action = None

    def chunk(self, n: int, ids: dict) -> dict:
        """``n`` meetings and their rows; ``ids`` holds the last id used per model and is advanced."""
        rnd = self.rng.random
        dates, stamps, t = self.dates, self.stamps, self.t
        active, n_active = self.active, len(self.active)
        people, intl_people, orgs, intl_orgs = self.people, self.intl_people, self.orgs, self.intl_orgs
        topics, n_topics = self.topics, len(self.topics)
        subjects, n_subjects = self.subjects, len(self.subjects)
        sentences, n_sentences = self.sentences, len(self.sentences)
        notes, names, cities, series = self.notes, self.names, self.cities, self.series
        any_country, max_class = self.any_country, self.max_class
        span = YEARS * 365
        start = t - (YEARS - 1) * 365
        meetings, mcountries, mtopics, attendances, actions, parties = [], [], [], [], [], []
        mid, mcid, mtid = ids[Meeting], ids[MeetingCountry], ids[MeetingTopic]
        aid, acid, apid = ids[Attendance], ids[Action], ids[ActionParty]

        for _ in range(n):
            mid += 1
            kind = KINDS[int(rnd() * 4096)]
            u = rnd()
            day = start + int(span * (u if rnd() < 0.5 else u**0.5))

            # delegations: the home country in most meetings, then the most active countries
            if kind == "multilateral":
                n_del, per = 3 + int(rnd() * 4), 0.0
            elif kind == "dialogue":
                n_del, per = 2 + int(rnd() * 2), 0.5
            elif kind == "other":
                n_del, per = 1 + int(rnd() * 2), 0.5
            elif kind == "visit":
                n_del, per = 2, 0.6
            elif kind == "call":
                n_del, per = 2, 0.1
            else:
                n_del, per = 2, 0.35
            delegations = [HOME_COUNTRY] if rnd() < 0.6 else []
            while len(delegations) < n_del:
                c = active[int(rnd() * n_active)]
                if c not in delegations:
                    delegations.append(c)
            parent_id = series_id = None
            if kind == "call":
                host = delegations[0] if rnd() < 0.5 else ""
                country = city = venue = ""
            else:
                host = delegations[int(rnd() * len(delegations))]
                country = host
                city = cities[host][int(rnd() * 3)]
                venue = VENUES[int(rnd() * 6)]
                if kind == "bilateral" and self.last_multilateral and rnd() < 0.1:
                    parent_id, day, country, city = self.last_multilateral  # on the margins
                    venue = ""
                elif kind in ("multilateral", "dialogue") and rnd() < 0.4:
                    series_id = series[int(rnd() * len(series))]

            status = FUTURE_STATUS[int(rnd() * 4096)] if day > t else PAST_STATUS[int(rnd() * 4096)]
            held = status == "held"
            if kind == "multilateral" and held:
                self.last_multilateral = (mid, day, country, city)
            end_date = start_time = end_time = None
            if kind in ("visit", "multilateral", "dialogue"):
                end_date = dates[day + int(rnd() * 3)]
            elif kind == "bilateral" and rnd() < 0.5:
                end_date = dates[day]
            if kind == "call" or rnd() < 0.5:
                slot = int(rnd() * 20)
                start_time = TIMES[slot]
                end_time = TIMES[slot + 1 + int(rnd() * 6)]

            subject = subjects[int(rnd() * n_subjects)]
            noun = KIND_NOUNS[kind][int(rnd() * len(KIND_NOUNS[kind]))]
            if kind in ("bilateral", "call") and len(delegations) == 2:
                who = f"{names[delegations[0]]}–{names[delegations[1]]}"
            else:
                who = names[host] if host else names[delegations[0]]
            title = f"{who} {noun} on {subject}"
            r = rnd()
            if r < 0.1:
                title += f" and {RARE_WORDS[int(r * 100)]}"
            summary = sentences[int(rnd() * n_sentences)]
            if rnd() < 0.5:
                summary += " " + sentences[int(rnd() * n_sentences)]
            outcome = OUTCOMES[int(rnd() * 6)] if held and rnd() < 0.5 else ""
            level = CLASSIFICATION[int(rnd() * 4096)]
            stamp = stamps[min(day - 14, t)]
            meetings.append(
                (
                    mid, title[:200], kind, status, dates[day], start_time, end_date, end_time,
                    "UTC" if kind == "call" else TIMEZONES.get(country, "UTC"), city, venue, country, host,
                    parent_id, series_id, min(level, max_class), summary, outcome, 1, stamp, stamp,
                )
            )  # fmt: skip

            # attendance: one head per delegation (or host), distinct people
            if held:
                att_status = None
            elif status == "cancelled" or status == "postponed":
                att_status = "declined" if rnd() < 0.3 else "invited"
            else:
                att_status = "invited"
            seen = set()
            attendees = []
            for d in delegations:
                pool = people[d]
                n_pool = len(pool)
                count = min(1 + (rnd() < per) + (per > 0.5 and rnd() < per - 0.5), n_pool)
                for k in range(count):
                    while True:
                        person = pool[int(rnd() * n_pool)]
                        if person[0] not in seen:
                            break
                    seen.add(person[0])
                    attendees.append(person[0])
                    if k:
                        role = OTHER_ROLES[int(rnd() * 4096)]
                    else:
                        role = "host" if d == host and kind == "visit" else "head"
                    aid += 1
                    attendances.append(
                        (
                            aid, mid, person[0], person[1], person[2], d, role,
                            att_status or HELD_ATTENDANCE[int(rnd() * 4096)],
                        )
                    )  # fmt: skip
            if kind == "multilateral" and rnd() < 0.3:  # an observer from an international organisation
                person = intl_people[int(rnd() * len(intl_people))]
                if person[0] not in seen:
                    aid += 1
                    attendances.append(
                        (aid, mid, person[0], person[1], person[2], "", "observer", "attended")
                    )

            # countries: every delegation and the host take part; some others are mentioned
            for d in delegations:
                mcid += 1
                mcountries.append((mcid, mid, d, "participant"))
            if host and host not in delegations:
                mcid += 1
                mcountries.append((mcid, mid, host, "participant"))
            if rnd() < 0.3:
                c = any_country[int(rnd() * len(any_country))]
                if c not in delegations and c != host:
                    mcid += 1
                    mcountries.append((mcid, mid, c, "mentioned"))

            # topics
            chosen = []
            for _k in range(TOPIC_COUNTS[int(rnd() * 4096)]):
                topic = topics[int(rnd() * n_topics)]
                if topic not in chosen:
                    chosen.append(topic)
                    mtid += 1
                    mtopics.append((mtid, mid, topic, notes[int(rnd() * len(notes))] if rnd() < 0.4 else ""))

            # actions, with their parties
            if status == "cancelled":
                continue
            n_actions = (ACTION_COUNTS_HELD if held else ACTION_COUNTS_OTHER)[int(rnd() * 4096)]
            first_action = acid + 1
            for _k in range(n_actions):
                acid += 1
                due = day + 7 + int(rnd() * 174)
                completed = note = None
                if not held:
                    action_status = "proposed" if rnd() < 0.6 else "agreed"
                else:
                    r = rnd()
                    if due > t:
                        done, cancelled = 0.15, 0.02
                    elif due > t - 730:
                        done, cancelled = 0.65, 0.08
                    else:
                        done, cancelled = 0.85, 0.10
                    if r < done and day < t:
                        action_status = "done"
                        completed = day + 1 + int(rnd() * (min(t, due + 60) - day))
                        note = COMPLETION_NOTES[int(rnd() * 4)] if rnd() < 0.5 else ""
                    elif r < done + cancelled and day < t:
                        action_status = "cancelled"
                        if rnd() < 0.5:
                            completed = day + 1 + int(rnd() * (min(t, due + 60) - day))
                    else:
                        action_status = OPEN_STATUSES[int(rnd() * 4096)]  # overdue once due < today
                carried = None
                if self.last_action and rnd() < 0.04:
                    carried, self.last_action = self.last_action, None  # carried forward once
                stamp = stamps[min(day, t)]
                actions.append(
                    (
                        acid, mid,
                        f"{ACTION_VERBS[int(rnd() * 8)]} {ACTION_OBJECTS[int(rnd() * 10)]} on "
                        f"{subjects[int(rnd() * n_subjects)]}",
                        attendees[int(rnd() * len(attendees))] if rnd() < 0.8 else None,
                        dates[due], action_status,
                        dates[completed] if completed is not None else None,
                        note or "", carried, 1, stamp, stamp,
                    )
                )  # fmt: skip
                r = rnd()
                if r < 0.7:
                    apid += 1
                    parties.append((apid, acid, delegations[int(rnd() * len(delegations))], None))
                elif r < 0.9:
                    d = delegations[int(rnd() * len(delegations))]
                    apid += 1
                    parties.append((apid, acid, "", orgs[d][int(rnd() * len(orgs[d]))]))
                elif r < 0.95:
                    apid += 1
                    parties.append((apid, acid, "", intl_orgs[int(rnd() * len(intl_orgs))]))
                    apid += 1
                    parties.append((apid, acid, delegations[0], None))
            if n_actions:
                self.last_action = first_action

        ids.update(
            {
                Meeting: mid,
                MeetingCountry: mcid,
                MeetingTopic: mtid,
                Attendance: aid,
                Action: acid,
                ActionParty: apid,
            }
        )
        return {
            Meeting: meetings,
            MeetingCountry: mcountries,
            MeetingTopic: mtopics,
            Attendance: attendances,
            Action: actions,
            ActionParty: parties,
        }


def chunks(
    rng: random.Random, reference: Reference, meetings: int, *, chunk_size: int = 50_000,
    today: datetime.date | None = None, first_ids: dict | None = None,
) -> Iterator[dict]:  # fmt: skip
    """The rows to insert, chunk by chunk, as {model: [tuple in MODEL_FIELDS order]}.

    Rows may refer to rows of earlier chunks (side meetings, carried-over actions), so the
    chunks must be committed in order. The data does not depend on ``chunk_size``.
    """
    gen = _Generator(rng, reference, today or datetime.date.today())
    ids = dict(first_ids or dict.fromkeys(MODELS, 0))
    done = 0
    while done < meetings:
        n = min(chunk_size, meetings - done)
        yield gen.chunk(n, ids)
        done += n


def generate_rows(seed: int, meetings: int, *, people: int = 5000, **options) -> Iterator[dict]:
    """The rows ``generate`` would insert, without touching the database.

    The reference data gets made-up ids (1, 2, ...) so the rows can be inspected or
    compared between runs.
    """
    rng = random.Random(seed)
    rows = reference_rows(rng, max(people, MIN_PEOPLE))
    reference = Reference(
        rows,
        org_ids=list(range(1, len(rows.orgs) + 1)),
        topic_ids=list(range(1, len(rows.topics) + 1)),
        series_ids=list(range(1, len(rows.series) + 1)),
        person_ids=list(range(1, len(rows.people) + 1)),
    )
    return chunks(rng, reference, meetings, **options)


# -- writing ------------------------------------------------------------------------------------


def _use_copy() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return hasattr(cursor.cursor, "copy")  # psycopg 3, not psycopg2


def _copy(rows_by_model: dict) -> None:
    with connection.cursor() as cursor:
        for model, rows in rows_by_model.items():
            if not rows:
                continue
            meta = model._meta
            columns = ", ".join(
                connection.ops.quote_name(meta.get_field(f).column) for f in MODEL_FIELDS[model]
            )
            sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)


def _bulk_create(rows_by_model: dict) -> None:
    for model, rows in rows_by_model.items():
        names = [model._meta.get_field(f).attname for f in MODEL_FIELDS[model]]
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=2000)


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _max_ids() -> dict:
    ids = {}
    with connection.cursor() as cursor:
        for model in MODELS:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
            ids[model] = cursor.fetchone()[0] or 0
    return ids


def _write(rows: dict, use_copy: bool, before: threading.Event | None = None, failed=None) -> dict:
    """One chunk in one transaction; with ``before``, commit only once the previous chunk has."""
    try:
        with transaction.atomic():
            (_copy if use_copy else _bulk_create)(rows)
            while before is not None and not before.wait(1):
                if failed.is_set():
                    break
            if failed is not None and failed.is_set():
                raise RuntimeError("An earlier chunk failed.")
            _reset_sequences()
    except BaseException:
        if failed is not None:
            failed.set()
        raise
    return rows


def _write_in_threads(chunks: Iterator[dict], workers: int, done: Callable[[dict], None]) -> None:
    """Write chunks on ``workers`` connections at once, committing them in order.

    PostgreSQL does the heavy work (indexes, then the deferred foreign key checks at commit),
    one core per connection, while this thread generates the next chunk. Ordered commits
    keep references to earlier chunks valid and let each chunk reset the sequences.
    """
    failed = threading.Event()
    previous = threading.Event()
    previous.set()

    def job(rows, before, after):
        try:
            return _write(rows, True, before, failed)
        finally:
            after.set()
            connection.close()  # this thread's own connection

    pending = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="generate-meetings") as pool:
        try:
            for rows in chunks:
                after = threading.Event()
                pending.append(pool.submit(job, rows, previous, after))
                previous = after
                while len(pending) > workers:  # at most `workers` chunks written, one waiting
                    done(pending.popleft().result())
            while pending:
                done(pending.popleft().result())
        except BaseException:
            failed.set()
            raise


def generate(
    meetings: int, seed: int = 0, *, people: int = 5000, chunk_size: int = 50_000, workers: int = 2,
    today: datetime.date | None = None, progress: Callable[[str], None] | None = None,
) -> dict:  # fmt: skip
    """Append ``meetings`` synthetic meetings and their rows; return the number of rows per model.

    On PostgreSQL outside a transaction, ``workers`` connections write chunks in parallel;
    inside one (as in tests), everything goes through the caller's connection and
    transaction, since other connections would not see the reference data yet.
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    use_copy = _use_copy()
    parallel = use_copy and workers > 1 and not connection.in_atomic_block

    rng = random.Random(seed)
    with transaction.atomic():
        reference = save_reference(reference_rows(rng, max(people, MIN_PEOPLE)))
    say(
        f"Reference data ready: {len(reference.person_ids):,} people added, {len(reference.org_ids)} "
        f"organisations, {len(reference.topic_ids)} topics, {len(reference.series_ids)} series; writing "
        f"with {'COPY' if use_copy else 'bulk_create'} on {workers if parallel else 1} connection(s) "
        f"({time.monotonic() - started:.1f}s)"
    )
    counts = dict.fromkeys(MODELS, 0)

    def done(rows: dict) -> None:
        for model, chunk in rows.items():
            counts[model] += len(chunk)
        say(f"{counts[Meeting]:,}/{meetings:,} meetings, {time.monotonic() - started:.1f}s")

    rows = chunks(rng, reference, meetings, chunk_size=chunk_size, today=today, first_ids=_max_ids())
    if parallel:
        _write_in_threads(rows, workers, done)
    else:
        for chunk in rows:
            done(_write(chunk, use_copy))

    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = [m._meta.db_table for m in (*MODELS, Person, Organization, Topic, MeetingSeries)]
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
            else:
                cursor.execute("ANALYZE")
    say(f"Done in {time.monotonic() - started:.1f}s")
    return counts
