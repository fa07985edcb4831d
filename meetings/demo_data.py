"""Demo data: the reference meeting from the seed article plus a realistic sample set.

Everything is declared as plain lists of dicts and written by ``load()``. Dates in the
sample set are either fixed ``datetime.date`` values (real events) or whole numbers of
days relative to today, so the dashboard always has upcoming meetings, overdue actions
and actions due soon whenever the demo is loaded.

Real public figures appear only with titles they held on the day. Everyone else is a
fictional official (their notes say so), and meetings that put real people into an
invented setting say in their summary that they are illustrative.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from meetings import models

D = datetime.date
T = datetime.time

FICTIONAL = "Fictional official, invented for the demo data."
ILLUSTRATIVE = "Illustrative demo record, not a readout of an actual meeting."

DEMO_PASSWORD = "demo-password-2024"
DEMO_USERS = [
    {"username": "admin", "group": "administrator", "clearance": 3, "superuser": True},
    {"username": "editor", "group": "editor", "clearance": 2, "superuser": False},
    {"username": "viewer", "group": "viewer", "clearance": 1, "superuser": False},
]

SEED_ARTICLE = "kenya-uk-defence-talks.txt"
ARTICLE_EXCERPT = (
    "February 26, Nairobi, Kenya – Defence Cabinet Secretary Aden Duale welcomed his UK counterpart, "
    "James Heapey, on Monday for significant discussions revolving around regional security and "
    "defense cooperation. […] The meeting concluded with a mutual agreement to enhance cooperation in "
    "various areas, including intelligence sharing, capacity building, and joint security operations."
)

REFERENCE_KEY = "kenya-uk-2024"
REFERENCE_TITLE = "Kenya–UK defence talks"
REFERENCE_DATE = D(2024, 2, 26)

TIMEZONES = {
    "KE": "Africa/Nairobi",
    "GB": "Europe/London",
    "SO": "Africa/Mogadishu",
    "ET": "Africa/Addis_Ababa",
    "DJ": "Africa/Djibouti",
    "UG": "Africa/Kampala",
    "BE": "Europe/Brussels",
    "US": "America/New_York",
    "DE": "Europe/Berlin",
}

# --- Organisations (parents listed before their children) -------------------------------

ORGANIZATIONS = [
    {"key": "ke-mod", "name": "Ministry of Defence", "acronym": "MoD", "kind": "ministry", "country": "KE"},
    {
        "key": "kdf",
        "name": "Kenya Defence Forces",
        "acronym": "KDF",
        "kind": "armed_force",
        "country": "KE",
        "parent": "ke-mod",
    },
    {"key": "kenya-navy", "name": "Kenya Navy", "kind": "unit", "country": "KE", "parent": "kdf"},
    {
        "key": "citsos",
        "name": "Counter Insurgency Terrorism and Stability Operation Centre",
        "acronym": "CITSOS",
        "kind": "centre",
        "country": "KE",
    },
    {
        "key": "ipstc",
        "name": "International Peace Support Training Centre",
        "acronym": "IPSTC",
        "kind": "centre",
        "country": "KE",
    },
    {
        "key": "gb-mod",
        "name": "Ministry of Defence",
        "acronym": "MoD",
        "kind": "ministry",
        "country": "GB",
        "contact_email": "africa-desk@mod.example.org",
    },
    {
        "key": "british-army",
        "name": "British Army",
        "kind": "armed_force",
        "country": "GB",
        "parent": "gb-mod",
    },
    {
        "key": "batuk",
        "name": "British Army Training Unit Kenya",
        "acronym": "BATUK",
        "kind": "unit",
        "country": "GB",
        "parent": "british-army",
        "contact_email": "liaison@batuk.example.org",
    },
    {"key": "royal-navy", "name": "Royal Navy", "kind": "armed_force", "country": "GB", "parent": "gb-mod"},
    {
        "key": "fcdo",
        "name": "Foreign, Commonwealth and Development Office",
        "acronym": "FCDO",
        "kind": "ministry",
        "country": "GB",
    },
    {"key": "so-mod", "name": "Ministry of Defence", "acronym": "MoD", "kind": "ministry", "country": "SO"},
    {
        "key": "sna",
        "name": "Somali National Army",
        "acronym": "SNA",
        "kind": "armed_force",
        "country": "SO",
        "parent": "so-mod",
        "contact_email": "liaison@sna.example.org",
    },
    {"key": "et-mod", "name": "Ministry of Defense", "kind": "ministry", "country": "ET"},
    {
        "key": "endf",
        "name": "Ethiopian National Defense Force",
        "acronym": "ENDF",
        "kind": "armed_force",
        "country": "ET",
        "parent": "et-mod",
    },
    {"key": "dj-mod", "name": "Ministry of Defence", "kind": "ministry", "country": "DJ"},
    {
        "key": "fad",
        "name": "Djiboutian Armed Forces",
        "acronym": "FAD",
        "kind": "armed_force",
        "country": "DJ",
        "parent": "dj-mod",
    },
    {"key": "ug-mod", "name": "Ministry of Defence and Veteran Affairs", "kind": "ministry", "country": "UG"},
    {
        "key": "updf",
        "name": "Uganda People's Defence Forces",
        "acronym": "UPDF",
        "kind": "armed_force",
        "country": "UG",
        "parent": "ug-mod",
    },
    {"key": "us-dod", "name": "Department of Defense", "acronym": "DoD", "kind": "ministry", "country": "US"},
    {
        "key": "africom",
        "name": "United States Africa Command",
        "acronym": "AFRICOM",
        "kind": "armed_force",
        "country": "US",
        "parent": "us-dod",
    },
    {
        "key": "de-mod",
        "name": "Federal Ministry of Defence",
        "acronym": "BMVg",
        "kind": "ministry",
        "country": "DE",
    },
    {"key": "nato", "name": "North Atlantic Treaty Organization", "acronym": "NATO", "kind": "international"},
    {
        "key": "au",
        "name": "African Union",
        "acronym": "AU",
        "kind": "international",
        "contact_email": "peace-security@au.example.org",
    },
    {
        "key": "aussom",
        "name": "African Union Support and Stabilization Mission in Somalia",
        "acronym": "AUSSOM",
        "kind": "international",
        "parent": "au",
    },
    {
        "key": "igad",
        "name": "Intergovernmental Authority on Development",
        "acronym": "IGAD",
        "kind": "international",
    },
]

# --- People ------------------------------------------------------------------------------
# ``title`` is the *current* title; the title held on the day of each meeting is on the
# attendance.

PEOPLE = [
    {
        "key": "duale",
        "name": "Aden Duale",
        "honorific": "Hon.",
        "country": "KE",
        "title": "Cabinet Secretary for Health",
        "notes": (
            "Cabinet Secretary for Defence from October 2022 until July 2024, then Cabinet Secretary "
            "for Environment, Climate Change and Forestry (2024) and Cabinet Secretary for Health "
            "(from March 2025)."
        ),
    },
    {
        "key": "heapey",
        "name": "James Heapey",
        "country": "GB",
        "title": "Former Minister for the Armed Forces",
        "notes": (
            "Official UK sources spell the name Heappey; the seed article spells it Heapey. "
            "Parliamentary Under-Secretary of State for the Armed Forces from 2020, later Minister of "
            "State for the Armed Forces; resigned from the government on 26 March 2024 and left "
            "Parliament (MP for Wells) at the July 2024 general election."
        ),
    },
    {
        "key": "shapps",
        "name": "Grant Shapps",
        "country": "GB",
        "title": "Former Secretary of State for Defence",
        "notes": "Secretary of State for Defence from August 2023 to July 2024.",
    },
    {
        "key": "healey",
        "name": "John Healey",
        "country": "GB",
        "organization": "gb-mod",
        "title": "Secretary of State for Defence",
        "notes": "Secretary of State for Defence since July 2024.",
    },
    {
        "key": "austin",
        "name": "Lloyd J. Austin III",
        "country": "US",
        "title": "Former Secretary of Defense",
        "notes": "United States Secretary of Defense from January 2021 to January 2025.",
    },
    {
        "key": "pistorius",
        "name": "Boris Pistorius",
        "country": "DE",
        "organization": "de-mod",
        "title": "Federal Minister of Defence",
        "notes": "Federal Minister of Defence since January 2023.",
    },
    {
        "key": "stoltenberg",
        "name": "Jens Stoltenberg",
        "country": "NO",
        "title": "Former Secretary General of NATO",
        "notes": "Secretary General of NATO from 2014 to 1 October 2024.",
    },
    # Fictional officials.
    {
        "key": "wanjiru",
        "name": "Grace Wanjiru",
        "honorific": "Brig",
        "country": "KE",
        "organization": "ke-mod",
        "title": "Director of Defence Policy",
    },
    {
        "key": "kiprono",
        "name": "Daniel Kiprono",
        "honorific": "Maj Gen",
        "country": "KE",
        "organization": "citsos",
        "title": "Director, CITSOS",
    },
    {
        "key": "otieno",
        "name": "Peter Otieno",
        "honorific": "Col",
        "country": "KE",
        "organization": "kdf",
        "title": "Defence Adviser, Kenya High Commission, London",
    },
    {
        "key": "thompson",
        "name": "Rachel Thompson",
        "country": "GB",
        "organization": "gb-mod",
        "title": "Director Africa",
    },
    {
        "key": "harding",
        "name": "Tom Harding",
        "honorific": "Brig",
        "country": "GB",
        "organization": "batuk",
        "title": "Commander, BATUK",
        "email": "tom.harding@batuk.example.org",
    },
    {
        "key": "marsh",
        "name": "Helen Marsh",
        "honorific": "Cdr",
        "country": "GB",
        "organization": "gb-mod",
        "title": "Desk Officer, East Africa",
    },
    {
        "key": "whitfield",
        "name": "Andrew Whitfield",
        "honorific": "Col",
        "country": "GB",
        "organization": "british-army",
        "title": "Defence Adviser, British High Commission, Nairobi",
    },
    {
        "key": "warsame",
        "name": "Abdullahi Warsame",
        "country": "SO",
        "organization": "so-mod",
        "title": "State Minister of Defence",
    },
    {
        "key": "ahmed",
        "name": "Ahmed Yusuf Ali",
        "honorific": "Brig Gen",
        "country": "SO",
        "organization": "sna",
        "title": "Director of Operations, Somali National Army",
    },
    {
        "key": "alemu",
        "name": "Tesfaye Alemu",
        "country": "ET",
        "organization": "et-mod",
        "title": "Head of Foreign Relations and Military Cooperation",
    },
    {
        "key": "omar",
        "name": "Houssein Ali Omar",
        "honorific": "Col",
        "country": "DJ",
        "organization": "fad",
        "title": "Head of International Cooperation",
    },
    {
        "key": "okello",
        "name": "Moses Okello",
        "honorific": "Brig Gen",
        "country": "UG",
        "organization": "updf",
        "title": "Chief of Defence Cooperation",
    },
    {
        "key": "reynolds",
        "name": "Mark Reynolds",
        "country": "US",
        "organization": "us-dod",
        "title": "Director for East Africa, Office of the Secretary of Defense",
    },
    {
        "key": "diallo",
        "name": "Fatima Diallo",
        "honorific": "Amb.",
        "country": "SN",
        "organization": "aussom",
        "title": "Head of Mission Support, AUSSOM",
    },
]

# --- Topics (parents listed before their children) ---------------------------------------

TOPICS = [
    {"key": "regional-security", "name": "Regional security"},
    {
        "key": "horn",
        "name": "Horn of Africa",
        "parent": "regional-security",
        "countries": ["DJ", "ER", "ET", "KE", "SO"],
    },
    {
        "key": "somalia-ethiopia",
        "name": "Somalia–Ethiopia relations",
        "parent": "horn",
        "countries": ["SO", "ET"],
        "description": "Diplomatic relations between Somalia and Ethiopia and their effect on the region.",
    },
    {
        "key": "great-lakes",
        "name": "Great Lakes region",
        "parent": "regional-security",
        "countries": ["BI", "CD", "KE", "RW", "TZ", "UG"],
    },
    {
        "key": "eastern-drc",
        "name": "Insecurity in eastern DR Congo",
        "parent": "great-lakes",
        "countries": ["CD"],
    },
    {"key": "counter-terrorism", "name": "Counter-terrorism"},
    {
        "key": "citsos",
        "name": "CITSOS",
        "parent": "counter-terrorism",
        "countries": ["KE"],
        "description": "The Counter Insurgency Terrorism and Stability Operation Centre in Kenya.",
    },
    {"key": "al-shabaab", "name": "Al-Shabaab", "parent": "counter-terrorism", "countries": ["SO", "KE"]},
    {"key": "cve", "name": "Countering violent extremism", "parent": "counter-terrorism"},
    {"key": "intelligence", "name": "Intelligence sharing"},
    {"key": "training", "name": "Military training"},
    {
        "key": "batuk-training",
        "name": "KDF training by BATUK",
        "parent": "training",
        "countries": ["KE", "GB"],
        "description": "Training of Kenya Defence Forces personnel by the British Army Training Unit Kenya.",
    },
    {"key": "peacekeeping-training", "name": "Peacekeeping training", "parent": "training"},
    {"key": "maritime", "name": "Maritime security"},
    {"key": "red-sea", "name": "Red Sea shipping", "parent": "maritime", "countries": ["DJ", "YE", "ER"]},
    {"key": "piracy", "name": "Piracy off Somalia", "parent": "maritime", "countries": ["SO"]},
    {"key": "peace-support", "name": "Peace support operations"},
    {
        "key": "au-somalia",
        "name": "AU mission in Somalia",
        "parent": "peace-support",
        "countries": ["SO"],
        "description": "ATMIS and its successor AUSSOM: troop contributions, funding and transition.",
    },
    {"key": "border-security", "name": "Border security"},
    {"key": "euro-atlantic", "name": "Euro-Atlantic security"},
    {"key": "ukraine", "name": "Support to Ukraine", "parent": "euro-atlantic", "countries": ["UA"]},
    {"key": "defence-spending", "name": "Defence spending", "parent": "euro-atlantic"},
    {"key": "industry", "name": "Defence industry and procurement"},
]

SERIES = [
    {
        "key": "ke-gb-staff-talks",
        "name": "Kenya–UK Defence Staff Talks",
        "description": "Yearly staff-level talks alternating between Nairobi and London.",
    },
]


def attendee(person, organization, title, delegation="", role="delegate", status="attended") -> dict:
    """One attendance: the person, and their organisation, title, delegation and role on the day."""
    return {
        "person": person,
        "organization": organization,
        "title": title,
        "delegation": delegation,
        "role": role,
        "status": status,
    }


# --- Meetings ------------------------------------------------------------------------------
# Keys: date/end_date (date or days from today), start_time/end_time, city, venue, country,
# host, kind, status, classification, parent, series, summary, outcome, organizations,
# participants/mentioned (country codes; attendee delegations are added as participants),
# attendees, topics ((topic key, note) pairs), actions, sources.

REFERENCE_MEETING = {
    "key": REFERENCE_KEY,
    "title": REFERENCE_TITLE,
    "kind": "bilateral",
    "status": "held",
    "date": REFERENCE_DATE,
    "timezone": "Africa/Nairobi",
    "city": "Nairobi",
    "country": "KE",
    "host": "KE",
    "classification": 0,
    "summary": (
        "Kenya's Defence Cabinet Secretary Aden Duale hosted the UK Minister for the Armed Forces, "
        "James Heapey, in Nairobi for talks on regional security and defence cooperation. They "
        "reviewed security in the Horn of Africa and the Great Lakes region, including the continuing "
        "insecurity in eastern DR Congo and its effect on Kenya, and relations between Somalia and "
        "Ethiopia. They discussed the training of KDF personnel by BATUK and UK support for CITSOS, "
        "and reaffirmed the long-standing Kenya–UK security partnership and Kenya's role in regional "
        "stability."
    ),
    "outcome": (
        "Joint statement: the two sides will cooperate to maintain peace and stability in the region, "
        "and will work collectively on the root causes of insecurity and for sustainable development "
        "across the region. They agreed to enhance cooperation in intelligence sharing, capacity "
        "building and joint security operations, and the UK reiterated its support for CITSOS."
    ),
    "organizations": ["ke-mod", "kdf", "gb-mod", "batuk", "citsos"],
    "participants": ["KE", "GB"],
    "mentioned": ["CD", "SO", "ET", "US"],
    "attendees": [
        attendee("duale", "ke-mod", "Cabinet Secretary for Defence", "KE", "head"),
        attendee("heapey", "gb-mod", "Minister for the Armed Forces", "GB", "head"),
    ],
    "topics": [
        (
            "horn",
            "Regional security concerns in the Horn of Africa, and Kenya's pivotal role in regional "
            "stability.",
        ),
        ("great-lakes", "Regional security concerns in the Great Lakes region."),
        (
            "eastern-drc",
            "Persistent insecurity in eastern DR Congo, which directly affects Kenya's stability.",
        ),
        (
            "somalia-ethiopia",
            "Diplomatic relations between Somalia and Ethiopia, as a concern for the stability of the wider "
            "region.",
        ),
        (
            "batuk-training",
            "BATUK's training of KDF personnel, and its value for KDF capability and regional security "
            "cooperation.",
        ),
        (
            "citsos",
            "The UK reiterated its commitment to support CITSOS in the fight against terrorism; the United "
            "States has already fulfilled its commitment.",
        ),
    ],
    "actions": [
        {"description": "Enhance cooperation in intelligence sharing", "countries": ["KE", "GB"]},
        {"description": "Enhance cooperation in capacity building", "countries": ["KE", "GB"]},
        {"description": "Enhance cooperation in joint security operations", "countries": ["KE", "GB"]},
        {
            "description": (
                "Continue UK support for CITSOS in the fight against terrorism (the United States has "
                "already fulfilled its commitment)"
            ),
            "countries": ["GB"],
            "status": "in_progress",
        },
    ],
    "sources": [
        {
            "kind": "joint_statement",
            "title": "Joint statement of Aden Duale and James Heapey",
            "published_on": REFERENCE_DATE,
            "text": (
                "Secretary Duale and Minister Heapey stressed that cooperation is essential to maintain "
                "peace and stability in the region, and called for collective efforts to address the root "
                "causes of insecurity and to promote sustainable development across the region. Both sides "
                "agreed to enhance cooperation in intelligence sharing, capacity building and joint "
                "security operations."
            ),
        },
        {
            "kind": "article",
            "title": "Kenya and UK hold talks on regional security and defence cooperation",
            "published_on": REFERENCE_DATE,
            "seed_article": True,
        },
    ],
}

SAMPLE_MEETINGS = [
    # --- Real multilateral events -------------------------------------------------------
    {
        "key": "nato-dmm-2023-10",
        "title": "NATO Defence Ministers' Meeting",
        "kind": "multilateral",
        "status": "held",
        "date": D(2023, 10, 11),
        "end_date": D(2023, 10, 12),
        "city": "Brussels",
        "venue": "NATO Headquarters",
        "country": "BE",
        "classification": 0,
        "summary": (
            "Regular meeting of NATO defence ministers. Ministers discussed support to Ukraine, "
            "deterrence and defence, and defence spending ahead of the 2024 Washington summit."
        ),
        "organizations": ["nato", "gb-mod", "us-dod", "de-mod"],
        "participants": ["GB", "US", "DE"],
        "mentioned": ["UA"],
        "attendees": [
            attendee("stoltenberg", "nato", "Secretary General of NATO", "", "host"),
            attendee("shapps", "gb-mod", "Secretary of State for Defence", "GB", "head"),
            attendee("austin", "us-dod", "Secretary of Defense", "US", "head"),
            attendee("pistorius", "de-mod", "Federal Minister of Defence", "DE", "head"),
        ],
        "topics": [
            ("ukraine", "Continued military support to Ukraine through the winter."),
            ("defence-spending", "Progress towards spending at least 2% of GDP on defence."),
        ],
        "actions": [
            {
                "description": "Prepare defence deliverables for the Washington summit",
                "organizations": ["nato"],
                "due": D(2024, 7, 9),
                "status": "done",
                "completed_on": D(2024, 7, 9),
                "completion_note": "Deliverables agreed at the Washington summit.",
            },
        ],
    },
    {
        "key": "nato-summit-2024",
        "title": "NATO Summit, Washington",
        "kind": "multilateral",
        "status": "held",
        "date": D(2024, 7, 9),
        "end_date": D(2024, 7, 11),
        "city": "Washington, D.C.",
        "venue": "Walter E. Washington Convention Center",
        "country": "US",
        "host": "US",
        "classification": 0,
        "summary": "NATO's 75th anniversary summit of heads of state and government.",
        "organizations": ["nato"],
        "participants": ["US", "GB", "DE"],
        "mentioned": ["UA"],
        "topics": [
            ("ukraine", "Long-term security assistance for Ukraine."),
            ("defence-spending", "Allies' defence investment."),
        ],
    },
    {
        "key": "gb-us-margins-2024",
        "title": "UK–US defence talks on the margins of the NATO summit",
        "kind": "bilateral",
        "status": "held",
        "date": D(2024, 7, 10),
        "start_time": T(8, 30),
        "end_time": T(9, 15),
        "city": "Washington, D.C.",
        "country": "US",
        "host": "US",
        "parent": "nato-summit-2024",
        "classification": 1,
        "summary": f"Talks on support to Ukraine and the protection of Red Sea shipping. {ILLUSTRATIVE}",
        "organizations": ["gb-mod", "us-dod"],
        "attendees": [
            attendee("healey", "gb-mod", "Secretary of State for Defence", "GB", "head"),
            attendee("austin", "us-dod", "Secretary of Defense", "US", "head"),
        ],
        "topics": [
            ("ukraine", "Coordination of support to Ukraine."),
            ("red-sea", "Protection of commercial shipping in the Red Sea."),
        ],
    },
    {
        "key": "gb-de-margins-2024",
        "title": "UK–Germany defence talks on the margins of the NATO summit",
        "kind": "bilateral",
        "status": "held",
        "date": D(2024, 7, 11),
        "city": "Washington, D.C.",
        "country": "US",
        "parent": "nato-summit-2024",
        "classification": 0,
        "summary": f"Introductory talks on closer UK–German defence cooperation. {ILLUSTRATIVE}",
        "organizations": ["gb-mod", "de-mod"],
        "attendees": [
            attendee("healey", "gb-mod", "Secretary of State for Defence", "GB", "head"),
            attendee("pistorius", "de-mod", "Federal Minister of Defence", "DE", "head"),
        ],
        "topics": [("industry", "Joint procurement and industrial cooperation.")],
        "actions": [
            {
                "description": "Scope a bilateral UK–Germany defence agreement",
                "countries": ["GB", "DE"],
                "due": D(2024, 10, 31),
                "status": "done",
                "completed_on": D(2024, 10, 23),
                "completion_note": "Scoping complete; agreement text handed to negotiators.",
            },
        ],
    },
    # --- James Heapey on earlier occasions, with the titles he held then -------------------
    {
        "key": "gb-so-call-2021",
        "title": "UK–Somalia call on the security transition",
        "kind": "call",
        "status": "held",
        "date": D(2021, 6, 15),
        "start_time": T(11, 0),
        "end_time": T(11, 45),
        "timezone": "Europe/London",
        "classification": 0,
        "summary": f"Video call on Somalia's security transition plan and AU mission support. {ILLUSTRATIVE}",
        "organizations": ["gb-mod", "so-mod"],
        "attendees": [
            attendee(
                "heapey",
                "gb-mod",
                "Parliamentary Under-Secretary of State for the Armed Forces",
                "GB",
                "head",
            ),
            attendee("warsame", "so-mod", "State Minister of Defence", "SO", "head"),
        ],
        "topics": [
            ("au-somalia", "Funding of the AU mission and the timetable for handing over to Somali forces."),
            ("al-shabaab", "Al-Shabaab attacks in the Lower Shabelle region."),
        ],
        "actions": [
            {
                "description": "Share the UK assessment of SNA training needs",
                "countries": ["GB"],
                "due": D(2021, 9, 30),
                "status": "done",
                "completed_on": D(2021, 9, 14),
            },
        ],
    },
    {
        "key": "ke-gb-call-2023",
        "title": "Kenya–UK call on BATUK and counter-terrorism",
        "kind": "call",
        "status": "held",
        "date": D(2023, 5, 16),
        "start_time": T(14, 0),
        "timezone": "Africa/Nairobi",
        "classification": 1,
        "summary": f"Call on BATUK training and support for Kenya's counter-terrorism effort. {ILLUSTRATIVE}",
        "organizations": ["ke-mod", "gb-mod", "batuk", "citsos"],
        "attendees": [
            attendee("duale", "ke-mod", "Cabinet Secretary for Defence", "KE", "head"),
            attendee("heapey", "gb-mod", "Minister for the Armed Forces", "GB", "head"),
        ],
        "topics": [
            ("batuk-training", "Training calendar for KDF units deploying to Somalia."),
            ("citsos", "UK support for CITSOS."),
        ],
    },
    # --- A yearly dialogue series ----------------------------------------------------------
    {
        "key": "staff-talks-1",
        "title": "Kenya–UK Defence Staff Talks",
        "kind": "dialogue",
        "status": "held",
        "series": "ke-gb-staff-talks",
        "date": -740,
        "end_date": -739,
        "city": "Nairobi",
        "venue": "Ulinzi House",
        "country": "KE",
        "host": "KE",
        "classification": 1,
        "summary": "Staff-level review of the defence cooperation programme.",
        "outcome": "Training plan for the year agreed; a community liaison plan for BATUK areas to follow.",
        "organizations": ["ke-mod", "kdf", "gb-mod", "batuk"],
        "attendees": [
            attendee("wanjiru", "ke-mod", "Deputy Director of Defence Policy", "KE", "head"),
            attendee("thompson", "gb-mod", "Deputy Director Africa", "GB", "head"),
            attendee("harding", "batuk", "Commander, BATUK", "GB", "delegate"),
            attendee("marsh", "gb-mod", "Desk Officer, East Africa", "GB", "note_taker"),
        ],
        "topics": [
            ("batuk-training", "Number of KDF personnel trained per rotation."),
            ("peacekeeping-training", "Pre-deployment training for peace support operations."),
        ],
        "actions": [
            {
                "key": "liaison-plan",
                "description": "Agree a joint community liaison plan for BATUK training areas",
                "countries": ["KE"],
                "organizations": ["batuk"],
                "person": "harding",
                "due": -560,
                "status": "carried",
            },
            {
                "description": "Publish the joint training calendar",
                "organizations": ["batuk"],
                "due": -680,
                "status": "done",
                "completed_on": -690,
            },
        ],
        "sources": [
            {
                "kind": "minutes",
                "title": "Agreed minutes of the staff talks",
                "text": "Agreed minutes (summary).",
            }
        ],
    },
    {
        "key": "staff-talks-2",
        "title": "Kenya–UK Defence Staff Talks",
        "kind": "dialogue",
        "status": "held",
        "series": "ke-gb-staff-talks",
        "date": -375,
        "end_date": -374,
        "city": "London",
        "venue": "Main Building, Whitehall",
        "country": "GB",
        "host": "GB",
        "classification": 1,
        "summary": "Second round of staff talks; counter-terrorism cooperation added to the agenda.",
        "outcome": "Liaison plan carried over; CT working group to meet before the next round.",
        "organizations": ["ke-mod", "gb-mod", "batuk", "citsos"],
        "attendees": [
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head"),
            attendee("otieno", "kdf", "Defence Adviser, Kenya High Commission, London", "KE", "delegate"),
            attendee("thompson", "gb-mod", "Director Africa", "GB", "head"),
        ],
        "topics": [
            ("batuk-training", "Community relations around the training areas."),
            ("citsos", "How UK support to CITSOS is coordinated with other donors."),
        ],
        "actions": [
            {
                "key": "liaison-plan-2",
                "description": "Agree a joint community liaison plan for BATUK training areas (carried over)",
                "countries": ["KE"],
                "organizations": ["batuk"],
                "person": "harding",
                "due": 45,
                "status": "agreed",
                "carried_from": "liaison-plan",
            },
        ],
    },
    {
        "key": "staff-talks-3",
        "title": "Kenya–UK Defence Staff Talks",
        "kind": "dialogue",
        "status": "confirmed",
        "series": "ke-gb-staff-talks",
        "date": 40,
        "end_date": 41,
        "city": "Nairobi",
        "venue": "Ulinzi House",
        "country": "KE",
        "host": "KE",
        "classification": 1,
        "summary": "Third round. Draft agenda: liaison plan, training calendar, CT cooperation.",
        "organizations": ["ke-mod", "gb-mod"],
        "attendees": [
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head", status="invited"),
            attendee("thompson", "gb-mod", "Director Africa", "GB", "head", status="invited"),
        ],
        "topics": [("batuk-training", "")],
    },
    # --- Somalia ------------------------------------------------------------------------
    {
        "key": "so-gb-2025",
        "title": "Somalia–UK defence talks",
        "kind": "bilateral",
        "status": "held",
        "date": -600,
        "city": "Mogadishu",
        "venue": "Ministry of Defence",
        "country": "SO",
        "host": "SO",
        "classification": 1,
        "summary": "Talks on UK support to the Somali National Army and the AU mission.",
        "outcome": "UK to deliver counter-IED training; Somalia to share its force generation plan.",
        "organizations": ["so-mod", "sna", "gb-mod", "aussom"],
        "attendees": [
            attendee("warsame", "so-mod", "State Minister of Defence", "SO", "head"),
            attendee("ahmed", "sna", "Director of Operations, Somali National Army", "SO", "delegate"),
            attendee("thompson", "gb-mod", "Deputy Director Africa", "GB", "head"),
        ],
        "topics": [
            ("al-shabaab", "Improvised explosive devices remain the main threat to SNA convoys."),
            ("au-somalia", "Transition from ATMIS to the follow-on mission."),
        ],
        "actions": [
            {
                "description": "Deliver a counter-IED training package to the SNA",
                "countries": ["GB"],
                "organizations": ["sna"],
                "due": -200,
                "status": "in_progress",
            },
            {
                "description": "Share the SNA force generation plan",
                "countries": ["SO"],
                "due": -480,
                "status": "done",
                "completed_on": -470,
            },
        ],
    },
    {
        "key": "so-ke-border-talks",
        "title": "Kenya–Somalia border security talks",
        "kind": "bilateral",
        "status": "held",
        "date": -300,
        "city": "Mogadishu",
        "country": "SO",
        "host": "SO",
        "classification": 2,
        "summary": "Joint review of cross-border incidents and Al-Shabaab movements along the border.",
        "organizations": ["so-mod", "kdf", "sna"],
        "attendees": [
            attendee("ahmed", "sna", "Director of Operations, Somali National Army", "SO", "head"),
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head"),
        ],
        "topics": [
            ("border-security", "Incidents in Lamu, Garissa and Mandera counties."),
            ("al-shabaab", "Movement of fighters across the border."),
        ],
        "actions": [
            {
                "description": "Set up a joint border coordination cell",
                "countries": ["KE", "SO"],
                "due": -30,
                "status": "blocked",
            },
            {
                "description": "Exchange liaison officers at sector headquarters",
                "countries": ["KE", "SO"],
                "due": -120,
                "status": "agreed",
            },
        ],
    },
    {
        "key": "so-gb-ct-call",
        "title": "UK–Somalia counter-terrorism call",
        "kind": "call",
        "status": "held",
        "date": -150,
        "start_time": T(9, 30),
        "end_time": T(10, 0),
        "timezone": "Europe/London",
        "classification": 2,
        "summary": "Call on Al-Shabaab's financing and the protection of Mogadishu.",
        "organizations": ["gb-mod", "so-mod"],
        "participants": ["GB", "SO"],
        "attendees": [
            attendee("thompson", "gb-mod", "Director Africa", "GB", "head"),
            attendee("warsame", "so-mod", "State Minister of Defence", "SO", "head"),
        ],
        "topics": [("al-shabaab", "Disrupting Al-Shabaab's revenue from checkpoints and extortion.")],
        "actions": [
            {
                "description": "Provide a mentoring team for the SNA counter-terrorism unit",
                "countries": ["GB"],
                "due": 20,
                "status": "agreed",
            },
        ],
    },
    {
        "key": "aussom-tcc",
        "title": "AU mission in Somalia: troop-contributing countries meeting",
        "kind": "multilateral",
        "status": "held",
        "date": -45,
        "end_date": -44,
        "city": "Addis Ababa",
        "venue": "African Union Commission",
        "country": "ET",
        "classification": 0,
        "summary": "Troop-contributing countries reviewed force levels, funding and the handover timetable.",
        "outcome": "Funding gap to be raised with partners; force generation plan to be finalised.",
        "organizations": ["au", "aussom", "so-mod", "kdf", "endf", "updf", "fad"],
        "attendees": [
            attendee("diallo", "aussom", "Head of Mission Support, AUSSOM", "", "host"),
            attendee("warsame", "so-mod", "State Minister of Defence", "SO", "head"),
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head"),
            attendee("alemu", "et-mod", "Head of Foreign Relations and Military Cooperation", "ET", "head"),
            attendee("okello", "updf", "Chief of Defence Cooperation", "UG", "head"),
            attendee("omar", "fad", "Head of International Cooperation", "DJ", "head"),
        ],
        "topics": [
            ("au-somalia", "Force levels and the funding gap."),
            ("horn", "Effect of the mission's drawdown on neighbouring states."),
            ("somalia-ethiopia", "Ethiopian participation in the mission."),
        ],
        "actions": [
            {
                "description": "Finalise the force generation plan",
                "organizations": ["aussom"],
                "countries": ["SO"],
                "due": -5,
                "status": "in_progress",
            },
            {
                "description": "Raise the funding gap with international partners",
                "organizations": ["au"],
                "due": 30,
                "status": "agreed",
            },
        ],
    },
    {
        "key": "so-gb-upcoming",
        "title": "Somalia–UK defence talks",
        "kind": "bilateral",
        "status": "planned",
        "date": 14,
        "city": "London",
        "country": "GB",
        "host": "GB",
        "classification": 0,
        "summary": "Follow-up on the counter-IED package and the SNA counter-terrorism unit.",
        "organizations": ["gb-mod", "so-mod"],
        "attendees": [
            attendee("warsame", "so-mod", "State Minister of Defence", "SO", "head", status="invited"),
        ],
        "topics": [("al-shabaab", "")],
    },
    # --- Horn of Africa partners across the months -------------------------------------------
    {
        "key": "et-ke-talks",
        "title": "Ethiopia–Kenya defence cooperation talks",
        "kind": "bilateral",
        "status": "held",
        "date": -520,
        "city": "Addis Ababa",
        "country": "ET",
        "host": "ET",
        "classification": 1,
        "summary": "Talks on border security and the regional effects of Somalia–Ethiopia tensions.",
        "organizations": ["et-mod", "ke-mod"],
        "mentioned": ["SO"],
        "attendees": [
            attendee("alemu", "et-mod", "Head of Foreign Relations and Military Cooperation", "ET", "head"),
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head"),
        ],
        "topics": [
            ("horn", "Shared assessment of regional threats."),
            ("somalia-ethiopia", "Kenya offered to support dialogue between the two governments."),
        ],
        "actions": [
            {
                "description": "Hold a joint border commission meeting",
                "countries": ["ET", "KE"],
                "due": -400,
                "status": "done",
                "completed_on": -410,
            },
        ],
    },
    {
        "key": "gb-dj-visit",
        "title": "UK defence delegation visit to Djibouti",
        "kind": "visit",
        "status": "held",
        "date": -420,
        "end_date": -418,
        "city": "Djibouti",
        "country": "DJ",
        "host": "DJ",
        "classification": 0,
        "summary": "Visit to discuss maritime security in the Bab-el-Mandeb strait.",
        "organizations": ["gb-mod", "royal-navy", "fad"],
        "mentioned": ["YE"],
        "attendees": [
            attendee("omar", "fad", "Head of International Cooperation", "DJ", "head"),
            attendee("thompson", "gb-mod", "Director Africa", "GB", "head"),
        ],
        "topics": [
            ("red-sea", "Attacks on commercial shipping and port access for UK ships."),
            ("horn", ""),
        ],
    },
    {
        "key": "ug-ke-jpc",
        "title": "Kenya–Uganda Joint Permanent Commission: defence session",
        "kind": "dialogue",
        "status": "held",
        "date": -240,
        "city": "Kampala",
        "country": "UG",
        "host": "UG",
        "classification": 0,
        "summary": "Defence session of the joint commission, focused on the Great Lakes region.",
        "organizations": ["ug-mod", "updf", "ke-mod"],
        "mentioned": ["CD", "SS"],
        "attendees": [
            attendee("okello", "updf", "Chief of Defence Cooperation", "UG", "head"),
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head"),
        ],
        "topics": [
            ("great-lakes", "Coordination of regional initiatives."),
            ("eastern-drc", "Armed groups in North Kivu and Ituri."),
        ],
        "actions": [
            {
                "description": "Draft a memorandum on joint training exercises",
                "countries": ["UG", "KE"],
                "due": -60,
                "status": "agreed",
            },
        ],
    },
    {
        "key": "igad-dialogue",
        "title": "IGAD regional security dialogue",
        "kind": "dialogue",
        "status": "held",
        "date": -90,
        "end_date": -89,
        "city": "Djibouti",
        "country": "DJ",
        "host": "DJ",
        "classification": 0,
        "summary": "Senior officials' dialogue on threats across the Horn of Africa.",
        "organizations": ["igad", "fad", "ke-mod", "so-mod", "et-mod", "updf"],
        "attendees": [
            attendee("omar", "fad", "Head of International Cooperation", "DJ", "head"),
            attendee("alemu", "et-mod", "Head of Foreign Relations and Military Cooperation", "ET", "head"),
            attendee("ahmed", "sna", "Director of Operations, Somali National Army", "SO", "head"),
            attendee("okello", "updf", "Chief of Defence Cooperation", "UG", "head"),
            attendee("otieno", "kdf", "Defence Adviser, Kenya High Commission, London", "KE", "observer"),
        ],
        "topics": [
            ("horn", "Regional threat picture."),
            ("al-shabaab", "Cross-border financing networks."),
            ("piracy", "Resurgence of piracy off the Somali coast."),
        ],
        "actions": [
            {
                "description": "Circulate a regional threat assessment",
                "organizations": ["igad"],
                "due": -50,
                "status": "done",
                "completed_on": -52,
            },
        ],
    },
    {
        "key": "et-call",
        "title": "Call with the Ethiopian Ministry of Defence",
        "kind": "call",
        "status": "held",
        "date": -20,
        "timezone": "Africa/Nairobi",
        "classification": 2,
        "summary": "Call on Ethiopia's position on the AU mission and relations with Somalia.",
        "organizations": ["et-mod", "ke-mod"],
        "attendees": [
            attendee("alemu", "et-mod", "Head of Foreign Relations and Military Cooperation", "ET", "head"),
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head"),
        ],
        "topics": [("somalia-ethiopia", "Prospects for a restored working relationship.")],
    },
    {
        "key": "red-sea-call",
        "title": "UK–Djibouti call on Red Sea shipping",
        "kind": "call",
        "status": "held",
        "date": -200,
        "timezone": "Europe/London",
        "classification": 1,
        "summary": "Call on threats to shipping and coordination of naval patrols.",
        "organizations": ["gb-mod", "royal-navy", "fad"],
        "mentioned": ["YE"],
        "attendees": [
            attendee("marsh", "gb-mod", "Desk Officer, East Africa", "GB", "head"),
            attendee("omar", "fad", "Head of International Cooperation", "DJ", "head"),
        ],
        "topics": [("red-sea", "Patrol coordination and information sharing.")],
        "actions": [
            {
                "description": "Connect Djibouti's maritime operations centre to UK information sharing",
                "countries": ["GB", "DJ"],
                "due": 10,
                "status": "in_progress",
            },
        ],
    },
    # --- UK counter-terrorism cooperation in the last two years ------------------------------
    {
        "key": "ke-gb-ct-wg",
        "title": "Kenya–UK counter-terrorism working group",
        "kind": "dialogue",
        "status": "held",
        "date": -330,
        "city": "Nairobi",
        "country": "KE",
        "host": "KE",
        "classification": 2,
        "summary": "Working group on counter-terrorism cooperation, including UK support to CITSOS.",
        "organizations": ["ke-mod", "citsos", "gb-mod", "fcdo"],
        "attendees": [
            attendee("kiprono", "citsos", "Director, CITSOS", "KE", "head"),
            attendee(
                "whitfield", "british-army", "Defence Adviser, British High Commission, Nairobi", "GB", "head"
            ),
        ],
        "topics": [
            ("citsos", "Course programme for the next year."),
            ("intelligence", "Procedures for sharing threat reporting."),
            ("cve", "Community engagement in coastal counties."),
        ],
        "actions": [
            {
                "description": "Fund two CITSOS courses on stabilisation operations",
                "countries": ["GB"],
                "organizations": ["citsos"],
                "due": -150,
                "status": "done",
                "completed_on": -160,
                "completion_note": "Both courses delivered.",
            },
        ],
    },
    {
        "key": "gb-citsos-visit",
        "title": "UK Director Africa visit to CITSOS",
        "kind": "visit",
        "status": "held",
        "date": -120,
        "city": "Nairobi",
        "country": "KE",
        "host": "KE",
        "classification": 1,
        "summary": "Visit to CITSOS to review UK-funded courses.",
        "organizations": ["citsos", "gb-mod"],
        "attendees": [
            attendee("kiprono", "citsos", "Director, CITSOS", "KE", "head"),
            attendee("thompson", "gb-mod", "Director Africa", "GB", "head"),
        ],
        "topics": [("citsos", "Course evaluations were positive; demand exceeds places.")],
        "actions": [
            {
                "description": "Assess the case for a CITSOS regional course for Horn of Africa partners",
                "countries": ["GB", "KE"],
                "due": -10,
                "status": "in_progress",
            },
        ],
    },
    {
        "key": "ke-gb-lamu-call",
        "title": "Kenya–UK call on Lamu border security",
        "kind": "call",
        "status": "held",
        "date": -10,
        "start_time": T(16, 0),
        "end_time": T(16, 30),
        "timezone": "Africa/Nairobi",
        "classification": 3,
        "summary": "Restricted-attendance call on threat reporting in Lamu county.",
        "organizations": ["kdf", "gb-mod"],
        "attendees": [
            attendee("otieno", "kdf", "Defence Adviser, Kenya High Commission, London", "KE", "head"),
            attendee(
                "whitfield", "british-army", "Defence Adviser, British High Commission, Nairobi", "GB", "head"
            ),
        ],
        "topics": [("border-security", ""), ("intelligence", "")],
        "actions": [
            {
                "description": "Exchange updated threat reporting",
                "countries": ["KE", "GB"],
                "due": 5,
                "status": "agreed",
            },
        ],
    },
    {
        "key": "ke-us-citsos",
        "title": "Kenya–US talks on CITSOS",
        "kind": "bilateral",
        "status": "held",
        "date": -180,
        "city": "Nairobi",
        "country": "KE",
        "host": "KE",
        "classification": 1,
        "summary": "Review of US support to CITSOS after the United States completed its commitment.",
        "organizations": ["citsos", "us-dod", "africom"],
        "attendees": [
            attendee("kiprono", "citsos", "Director, CITSOS", "KE", "head"),
            attendee(
                "reynolds",
                "us-dod",
                "Director for East Africa, Office of the Secretary of Defense",
                "US",
                "head",
            ),
        ],
        "topics": [("citsos", "Sustainment of equipment provided by the United States.")],
    },
    # --- Other kinds and statuses -----------------------------------------------------------
    {
        "key": "ipstc-visit",
        "title": "Visit to the International Peace Support Training Centre",
        "kind": "visit",
        "status": "held",
        "date": -800,
        "city": "Nairobi",
        "venue": "IPSTC, Karen",
        "country": "KE",
        "host": "KE",
        "classification": 0,
        "summary": "Visit to see peace support operations training for regional forces.",
        "organizations": ["ipstc", "gb-mod"],
        "attendees": [
            attendee("thompson", "gb-mod", "Deputy Director Africa", "GB", "head"),
        ],
        "topics": [("peacekeeping-training", "UK instructors on the staff of the centre.")],
    },
    {
        "key": "da-briefing",
        "title": "Defence attachés' briefing on the Horn of Africa",
        "kind": "other",
        "status": "held",
        "date": -35,
        "city": "Nairobi",
        "country": "KE",
        "host": "KE",
        "classification": 3,
        "summary": "Closed briefing for resident defence attachés.",
        "organizations": ["ke-mod"],
        "participants": ["KE", "GB", "US"],
        "mentioned": ["SO", "ET"],
        "attendees": [
            attendee("wanjiru", "ke-mod", "Director of Defence Policy", "KE", "head"),
            attendee(
                "whitfield",
                "british-army",
                "Defence Adviser, British High Commission, Nairobi",
                "GB",
                "delegate",
            ),
        ],
        "topics": [("horn", "Threat assessment."), ("al-shabaab", "")],
    },
    {
        "key": "et-ke-postponed",
        "title": "Ethiopia–Kenya defence talks",
        "kind": "bilateral",
        "status": "postponed",
        "date": -25,
        "city": "Nairobi",
        "country": "KE",
        "host": "KE",
        "classification": 0,
        "summary": "Postponed at Ethiopia's request; new date to be agreed.",
        "organizations": ["ke-mod", "et-mod"],
        "participants": ["KE", "ET"],
        "topics": [("border-security", "")],
    },
    {
        "key": "gb-dj-cancelled",
        "title": "UK–Djibouti staff talks",
        "kind": "bilateral",
        "status": "cancelled",
        "date": -70,
        "city": "London",
        "country": "GB",
        "host": "GB",
        "classification": 0,
        "summary": "Cancelled; the agenda was folded into the Red Sea call.",
        "organizations": ["gb-mod", "fad"],
        "participants": ["GB", "DJ"],
    },
    {
        "key": "batuk-liaison",
        "title": "BATUK community liaison committee",
        "kind": "other",
        "status": "planned",
        "date": 7,
        "city": "Nanyuki",
        "country": "KE",
        "host": "KE",
        "classification": 0,
        "summary": "Quarterly committee with county representatives on BATUK training areas.",
        "organizations": ["batuk", "kdf"],
        "attendees": [
            attendee("harding", "batuk", "Commander, BATUK", "GB", "head", status="invited"),
        ],
        "topics": [("batuk-training", "")],
    },
    {
        "key": "africom-call",
        "title": "Call with US Africa Command",
        "kind": "call",
        "status": "confirmed",
        "date": 3,
        "start_time": T(15, 0),
        "timezone": "Africa/Nairobi",
        "classification": 1,
        "summary": "Coordination call on East Africa counter-terrorism support.",
        "organizations": ["africom", "kdf"],
        "participants": ["KE", "US"],
        "topics": [("counter-terrorism", "")],
    },
    {
        "key": "chiefs-conference",
        "title": "East African defence chiefs' conference",
        "kind": "multilateral",
        "status": "confirmed",
        "date": 60,
        "end_date": 62,
        "city": "Nairobi",
        "country": "KE",
        "host": "KE",
        "classification": 0,
        "summary": "Annual conference of regional defence chiefs.",
        "organizations": ["kdf", "updf", "endf", "fad", "sna"],
        "participants": ["KE", "UG", "ET", "DJ", "SO"],
        "topics": [("horn", ""), ("au-somalia", ""), ("eastern-drc", "")],
    },
    {
        "key": "gb-et-dialogue",
        "title": "UK–Ethiopia defence dialogue",
        "kind": "dialogue",
        "status": "planned",
        "date": 90,
        "city": "Addis Ababa",
        "country": "ET",
        "host": "ET",
        "classification": 0,
        "summary": "First defence dialogue; scope to be agreed.",
        "organizations": ["gb-mod", "et-mod"],
        "participants": ["GB", "ET"],
    },
]

MEETINGS = [REFERENCE_MEETING, *SAMPLE_MEETINGS]

# --- Loader ----------------------------------------------------------------------------

DOMAIN_MODELS = [
    models.ActionParty,
    models.Action,
    models.Source,
    models.Attendance,
    models.MeetingTopic,
    models.MeetingCountry,
    models.Meeting,
    models.MeetingSeries,
    models.Person,
    models.Topic,
    models.Organization,
]


def seed_article_path() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "seed" / SEED_ARTICLE


def article_text() -> str:
    """The whole seed article if it is on disk next to the project, else a short excerpt."""
    try:
        return seed_article_path().read_text(encoding="utf-8").strip()
    except OSError:
        return ARTICLE_EXCERPT


def has_domain_data() -> bool:
    return any(model.objects.exists() for model in DOMAIN_MODELS)


def reference_meeting_exists() -> bool:
    return models.Meeting.objects.filter(title=REFERENCE_TITLE, start_date=REFERENCE_DATE).exists()


def reference_meeting(user=None) -> models.Meeting | None:
    """The meeting of the seed article, if it is loaded (and, given a user, visible to them)."""
    meetings = models.Meeting.objects.visible_to(user) if user is not None else models.Meeting.objects
    return meetings.filter(title=REFERENCE_TITLE, start_date=REFERENCE_DATE).order_by("pk").first()


def wipe() -> None:
    """Delete every domain record. Self-references are cut first: their foreign keys protect."""
    models.Meeting.objects.update(parent=None)
    models.Meeting.objects.all().delete()  # cascades to attendances, topics, actions, sources...
    models.MeetingSeries.objects.all().delete()
    models.Person.objects.all().delete()
    models.Topic.objects.update(parent=None)
    models.Topic.objects.all().delete()
    models.Organization.objects.update(parent=None)
    models.Organization.objects.all().delete()


def _date(value, today: datetime.date) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, int):
        return today + datetime.timedelta(days=value)
    return value


class _Loader:
    def __init__(self, today: datetime.date):
        self.today = today
        self.orgs: dict[str, models.Organization] = {}
        self.people: dict[str, models.Person] = {}
        self.topics: dict[str, models.Topic] = {}
        self.series: dict[str, models.MeetingSeries] = {}
        self.meetings: dict[str, models.Meeting] = {}
        self.actions: dict[str, models.Action] = {}

    def run(self) -> None:
        for row in ORGANIZATIONS:
            self.orgs[row["key"]] = models.Organization.objects.create(
                name=row["name"],
                acronym=row.get("acronym", ""),
                kind=row["kind"],
                country=row.get("country", ""),
                parent=self.orgs[row["parent"]] if row.get("parent") else None,
                contact_email=row.get("contact_email", ""),
            )
        for row in PEOPLE:
            self.people[row["key"]] = models.Person.objects.create(
                name=row["name"],
                honorific=row.get("honorific", ""),
                country=row.get("country", ""),
                organization=self.orgs[row["organization"]] if row.get("organization") else None,
                title=row.get("title", ""),
                email=row.get("email", ""),
                notes=row.get("notes", FICTIONAL),
            )
        for row in TOPICS:
            self.topics[row["key"]] = models.Topic.objects.create(
                name=row["name"],
                parent=self.topics[row["parent"]] if row.get("parent") else None,
                description=row.get("description", ""),
                related_countries=row.get("countries", []),
            )
        for row in SERIES:
            self.series[row["key"]] = models.MeetingSeries.objects.create(
                name=row["name"], description=row.get("description", "")
            )
        for row in MEETINGS:
            self.meeting(row)

    def meeting(self, row: dict) -> None:
        country = row.get("country", "")
        host = row.get("host", "")
        meeting = models.Meeting.objects.create(
            title=row["title"],
            kind=row["kind"],
            status=row["status"],
            start_date=_date(row["date"], self.today),
            start_time=row.get("start_time"),
            end_date=_date(row.get("end_date"), self.today),
            end_time=row.get("end_time"),
            timezone=row.get("timezone") or TIMEZONES.get(country or host, "UTC"),
            city=row.get("city", ""),
            venue=row.get("venue", ""),
            country=country,
            host_country=host,
            parent=self.meetings[row["parent"]] if row.get("parent") else None,
            series=self.series[row["series"]] if row.get("series") else None,
            classification=row.get("classification", 0),
            summary=row.get("summary", ""),
            outcome=row.get("outcome", ""),
        )
        self.meetings[row["key"]] = meeting
        meeting.organizations.set([self.orgs[key] for key in row.get("organizations", [])])

        participants = list(row.get("participants", []))
        for attendee in row.get("attendees", []):
            delegation = attendee.get("delegation", "")
            if delegation and delegation not in participants:
                participants.append(delegation)
            models.Attendance.objects.create(
                meeting=meeting,
                person=self.people[attendee["person"]],
                organization=self.orgs[attendee["organization"]] if attendee.get("organization") else None,
                title=attendee.get("title", ""),
                delegation=delegation,
                role=attendee.get("role", models.Attendance.Role.DELEGATE),
                status=attendee.get("status", models.Attendance.Status.ATTENDED),
            )
        models.MeetingCountry.objects.bulk_create(
            [models.MeetingCountry(meeting=meeting, country=code) for code in participants]
            + [
                models.MeetingCountry(
                    meeting=meeting, country=code, role=models.MeetingCountry.Role.MENTIONED
                )
                for code in row.get("mentioned", [])
                if code not in participants
            ]
        )
        models.MeetingTopic.objects.bulk_create(
            [
                models.MeetingTopic(meeting=meeting, topic=self.topics[key], note=note)
                for key, note in row.get("topics", [])
            ]
        )
        for spec in row.get("actions", []):
            self.action(meeting, spec)
        for spec in row.get("sources", []):
            text = article_text() if spec.get("seed_article") else spec.get("text", "")
            models.Source.objects.create(
                meeting=meeting,
                kind=spec["kind"],
                title=spec["title"],
                url=spec.get("url", ""),
                published_on=_date(spec.get("published_on"), self.today),
                text=text,
            )

    def action(self, meeting: models.Meeting, spec: dict) -> None:
        action = models.Action.objects.create(
            meeting=meeting,
            description=spec["description"],
            responsible_person=self.people[spec["person"]] if spec.get("person") else None,
            due_date=_date(spec.get("due"), self.today),
            status=spec.get("status", models.Action.Status.AGREED),
            completed_on=_date(spec.get("completed_on"), self.today),
            completion_note=spec.get("completion_note", ""),
            carried_from=self.actions[spec["carried_from"]] if spec.get("carried_from") else None,
        )
        if spec.get("key"):
            self.actions[spec["key"]] = action
        models.ActionParty.objects.bulk_create(
            [models.ActionParty(action=action, country=code) for code in spec.get("countries", [])]
            + [
                models.ActionParty(action=action, organization=self.orgs[key])
                for key in spec.get("organizations", [])
            ]
        )


def load_users() -> list[str]:
    """Create or reset the demo users; other users are left alone."""
    User = models.User
    names = []
    for spec in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=spec["username"])
        user.email = f"{spec['username']}@example.org"
        user.clearance = spec["clearance"]
        user.is_superuser = spec["superuser"]
        user.is_staff = spec["superuser"]
        user.is_active = True
        user.set_password(DEMO_PASSWORD)  # demo only: no password validation
        user.save()
        group, _ = Group.objects.get_or_create(name=spec["group"])
        user.groups.set([group])
        names.append(user.username)
    return names


def counts() -> dict[str, int]:
    return {
        "meetings": models.Meeting.objects.count(),
        "series": models.MeetingSeries.objects.count(),
        "people": models.Person.objects.count(),
        "organisations": models.Organization.objects.count(),
        "topics": models.Topic.objects.count(),
        "attendances": models.Attendance.objects.count(),
        "topic notes": models.MeetingTopic.objects.count(),
        "meeting countries": models.MeetingCountry.objects.count(),
        "actions": models.Action.objects.count(),
        "action parties": models.ActionParty.objects.count(),
        "sources": models.Source.objects.count(),
    }


def load(today: datetime.date | None = None) -> dict[str, int]:
    """Replace all domain records with the demo set and (re)create the demo users, atomically."""
    with transaction.atomic():
        wipe()
        _Loader(today or timezone.localdate()).run()
        load_users()
    return counts()
