"""Server-side benchmark of every list, page and export against Django admin, on one database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/benchmark.py

Builds the data set with ``generate_meetings`` if the database holds fewer meetings than
``--meetings``, then times each case in-process with Django's test client: the whole
request (middleware, session, queries, template) is timed, the network is not. Each case
is requested a few times untimed to warm the caches, once under ``CaptureQueriesContext``
to count its SQL queries, then ``--runs`` times for the p50 and p95. The admin changelist
is timed on the same data with the same filters and the same page size in the same run,
so the ratios compare like with like even when the machine's speed drifts between runs.

The CSV export runs in a child process of its own so that its peak memory (RSS) is its own.
Results are printed as one table and written with the machine and date to
``docs/benchmarks.md`` (``--output``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Timed as production runs: no DEBUG, and the test client's host allowed.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
# Production's cache: sessions and dashboard figures in Redis (CACHE_URL= to time without).
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/1")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings import classification  # noqa: E402
from meetings.forms.data import meeting_post  # noqa: E402
from meetings.models import (  # noqa: E402
    Action,
    Attendance,
    Engagement,
    Meeting,
    MeetingCountry,
    Person,
    Topic,
    User,
)

USERNAME = "benchmark"
TRANSFER_SECTION = "## Exports and imports against their floors"
PAGE_SIZE = 25  # the app's default page; the admin is given the same
UNFILTERED = "Meeting list, unfiltered"
PLAN_OVER_MS = 100  # cases slower than this (p95) get their slowest query's plan
DEEP_ROWS = 500_000
EXPORT_ROWS = 100_000


@dataclass
class Case:
    name: str
    app: str
    admin: str | None = None
    target_ms: float | None = None  # p95 target for the app
    admin_factor: float | None = None  # how many times faster than the admin it must be
    note: str = ""
    post: dict | None = None
    before: Callable[[], None] | None = None  # run untimed before each request
    of_unfiltered: float | None = None  # p95 at most this many times the unfiltered list's
    settings: dict | None = None  # settings the app's requests run under (e.g. no dashboard cache)
    max_queries: int | None = None


@dataclass
class Result:
    case: Case
    app: list[float] = field(default_factory=list)
    app_queries: int = 0
    admin: list[float] = field(default_factory=list)
    admin_queries: int = 0
    extra: str = ""
    plan: str = ""  # EXPLAIN ANALYZE of the request's slowest query, for slow cases

    @staticmethod
    def p(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ensure_data(meetings: int) -> int:
    have = Meeting.objects.count()
    if have < meetings:
        print(f"The database holds {have:,} meetings; generating {meetings - have:,} more …", flush=True)
        call_command("generate_meetings", meetings=meetings - have)
        have = Meeting.objects.count()
    vacuum()
    return have


def vacuum() -> None:
    """VACUUM ANALYZE tables that were bulk loaded or rewritten since their last vacuum.

    Autovacuum would do this in production (it is off on this CI server); without it the
    visibility map is empty and every index-only scan reads the table as well.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname LIKE 'meetings\\_%%' "
            "AND n_ins_since_vacuum + n_dead_tup > 0.1 * greatest(n_live_tup, 1000)"
        )
        stale = [row[0] for row in cursor.fetchall()]
        for name in stale:
            print(f"VACUUM ANALYZE {name} …", flush=True)
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(name)}")


def ensure_user() -> User:
    user, _ = User.objects.get_or_create(username=USERNAME)
    user.is_staff = user.is_superuser = True
    user.clearance = classification.highest()
    user.set_unusable_password()
    user.save()
    return user


def pick_parameters(today: datetime.date) -> dict:
    """The countries, topic, people and meetings the cases use: chosen from the data, deterministically."""
    total = Meeting.objects.count()
    by_country = (
        MeetingCountry.objects.filter(role=MeetingCountry.Role.PARTICIPANT)
        .values("country")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    # A partner country taking part in about 2% of the meetings.
    country = min(by_country, key=lambda row: (abs(row["n"] - total * 0.02), row["country"]))["country"]
    root = Topic.objects.filter(parent=None).annotate(n=Count("children")).order_by("-n", "pk").first()
    subtree = sorted(Topic.subtree_ids([root.pk]))
    date_after = (today - datetime.timedelta(days=730)).isoformat()
    date_before = today.isoformat()
    detail = (
        Meeting.objects.filter(status="held", kind="multilateral", start_date__lte=today)
        .annotate(n=Count("attendances"))
        .filter(n__gte=6)
        .order_by("-start_date", "-pk")
        .first()
    )
    people = list(
        Attendance.objects.values("person")
        .annotate(n=Count("id"))
        .order_by("n", "person")
        .values_list("person", "n")
    )
    person = people[len(people) // 2][0]  # the median person by meetings attended
    export_after = Meeting.objects.order_by("-start_date").values_list("start_date", flat=True)[
        EXPORT_ROWS - 1
    ]
    # A realistic meeting to enter: two delegations of five, six topics, five actions.
    gb = list(Person.objects.filter(country="GB").exclude(organization=None).order_by("pk")[:5])
    other = list(Person.objects.filter(country=country).exclude(organization=None).order_by("pk")[:5])
    topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True)[:6])
    return {
        **distribution_ends(total),
        "busy_meetings": busy_meetings(today),
        "total": total,
        "country": country,
        "topic": root,
        "subtree": subtree,
        "date_after": date_after,
        "date_before": date_before,
        "detail": detail.pk,
        "person": person,
        "export_after": export_after.isoformat(),
        "create": create_post(gb, other, topics, country, today),
    }


def busy_meetings(today: datetime.date) -> list[tuple[str, int]]:
    """Meeting pages that cost most: two partners who meet often, the most countries at
    once, the longest series."""
    common = Engagement.objects.values("country").annotate(n=Count("pk")).order_by("-n")[0]["country"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id FROM meetings_meeting m JOIN meetings_meetingcountry c ON c.meeting_id = m.id "
            "AND c.role = 'participant' WHERE m.start_date <= %s GROUP BY m.id "
            "HAVING COUNT(*) = 2 AND bool_or(c.country = %s) "
            "ORDER BY MAX(m.start_date) DESC, m.id DESC LIMIT 1",
            [today, common],
        )
        pair = cursor.fetchone()[0]
        cursor.execute(
            "SELECT m.id FROM meetings_meeting m JOIN meetings_meetingcountry c ON c.meeting_id = m.id "
            "AND c.role = 'participant' WHERE m.start_date BETWEEN %s AND %s GROUP BY m.id "
            "ORDER BY COUNT(*) DESC, m.id DESC LIMIT 1",
            [today - datetime.timedelta(days=365), today],
        )
        crowd = cursor.fetchone()[0]
    series = Meeting.objects.exclude(series=None).values("series").annotate(n=Count("pk")).order_by("-n")[0]
    longest = (
        Meeting.objects.filter(series=series["series"], start_date__lte=today)
        .order_by("-start_date", "-pk")
        .first()
    )
    return [
        (f"two partners who meet often ({common} and one other)", pair),
        ("the most countries at once", crowd),
        (f"in the longest series ({series['n']:,} meetings)", longest.pk),
    ]


def distribution_ends(total: int) -> dict:
    """The rarest and the most frequent value of each filter, and words in about 0.01% and
    20% of the meetings: the cases a typical value hides."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT country, COUNT(*) FROM meetings_engagement GROUP BY 1 ORDER BY 2, 1")
        countries = cursor.fetchall()
        cursor.execute(
            "SELECT organization_id, COUNT(DISTINCT meeting_id) FROM meetings_attendance "
            "WHERE organization_id IS NOT NULL GROUP BY 1 ORDER BY 2, 1"
        )
        organizations = cursor.fetchall()
        cursor.execute("SELECT person_id, COUNT(*) FROM meetings_attendance GROUP BY 1 ORDER BY 2, 1")
        people = cursor.fetchall()
        cursor.execute("SELECT topic_id, COUNT(*) FROM meetings_meetingtopic GROUP BY 1")
        by_topic = dict(cursor.fetchall())
        # Document frequencies from a tenth of the meetings (the same tenth every run).
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT search_document FROM meetings_meeting "
            "TABLESAMPLE SYSTEM (10) REPEATABLE (1)') WHERE word ~ '^[a-z]{6,}$'"
        )
        words = cursor.fetchall()
        cursor.execute("SELECT COUNT(*) FROM meetings_meeting TABLESAMPLE SYSTEM (10) REPEATABLE (1)")
        (sampled,) = cursor.fetchone()
    parents = set(Topic.objects.exclude(parent=None).values_list("parent_id", flat=True))
    leaves = [(n, pk) for pk, n in by_topic.items() if pk not in parents]
    subtree = {
        pk: sum(by_topic.get(t, 0) for t in Topic.subtree_ids([pk]))
        for pk in Topic.objects.filter(parent=None).values_list("pk", flat=True)
    }

    def word_near(share: float) -> tuple[str, float]:
        word, ndoc = min(words, key=lambda row: (abs(row[1] / sampled - share), row[0]))
        return word, ndoc / sampled

    return {
        "ends": {
            "country": (countries[0], countries[-1]),
            "organization": (organizations[0], organizations[-1]),
            "person": (people[0], people[-1]),
            "topic": (min(leaves)[::-1], max((n, pk) for pk, n in subtree.items())[::-1]),
            "word": (word_near(0.0001), word_near(0.20)),
        },
    }


def create_post(gb: list, other: list, topics: list[int], country: str, today: datetime.date) -> dict:
    data = {
        "title": "Benchmark defence talks",
        "kind": "bilateral",
        "status": "held",
        "start_date": today.isoformat(),
        "timezone": "UTC",
        "city": "London",
        "country": "GB",
        "host_country": "GB",
        "classification": "0",
        "summary": "Discussed maritime security and training.",
    }
    rows = {
        "attendees": [
            {
                "person": person.pk,
                "organization": person.organization_id,
                "title": person.title,
                "delegation": person.country.code,
                "role": "head" if i in (0, 5) else "delegate",
                "status": "attended",
            }
            for i, person in enumerate(gb + other)
        ],
        "topics": [{"topic": pk, "note": "Noted."} for pk in topics],
        "actions": [
            {
                "description": f"Follow-up action {i}",
                "countries": ["GB", country] if i % 2 else ["GB"],
                "status": "agreed",
                "due_date": (today + datetime.timedelta(days=30 + i)).isoformat(),
            }
            for i in range(5)
        ],
        "sources": [],
    }
    return meeting_post(data, rows)


def url(path: str, **params) -> str:
    pairs = [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def worst_cases(p: dict, admin_meetings: str) -> list[Case]:
    """Each filter at both ends of the data's distribution: within 3× of the unfiltered list."""
    ends, found = p["ends"], []
    for end, label in ((0, "rarest"), (1, "most frequent")):
        (code, n) = ends["country"][end]
        found.append(
            Case(
                f"By country, {label} ({code}, {n:,} meetings)",
                url("/meetings/", country=code),
                url(admin_meetings, country=code),
                60,
                None,
                "the admin filters the place only; the app also every delegation",
                of_unfiltered=3,
            )
        )
        (pk, n) = ends["organization"][end]
        found.append(
            Case(
                f"By organisation, {label} (#{pk}, {n:,})",
                url("/meetings/", organization=pk),
                of_unfiltered=3,
            )
        )
        (pk, n) = ends["person"][end]
        found.append(
            Case(f"By person, {label} (#{pk}, {n:,})", url("/meetings/", person=pk), of_unfiltered=3)
        )
        (pk, n) = ends["topic"][end]
        subtree = ",".join(map(str, sorted(Topic.subtree_ids([pk]))))
        found.append(
            Case(
                f"By topic, {label} (#{pk} with its subtopics, {n:,} links)",
                url("/meetings/", topic=pk),
                url(admin_meetings, topic_notes__topic__in=subtree),
                60,
                None,
                of_unfiltered=3,
            )
        )
        (word, share) = ends["word"][end]
        found.append(
            Case(
                f"Text search, {'rare' if end == 0 else 'common'} word ({word}, {share:.2%} of meetings)",
                url("/meetings/", q=word),
                url(admin_meetings, q=word),
                100,
                10,
                of_unfiltered=3,
            )
        )
    return found


def cases(p: dict, today: datetime.date) -> list[Case]:
    deep_page = DEEP_ROWS // PAGE_SIZE + 1
    open_statuses = ",".join(str(s) for s in Action.OPEN_STATUSES)
    sub = p["subtree"]
    admin_meetings = "/admin/meetings/meeting/"
    return [
        Case(UNFILTERED, "/meetings/", admin_meetings, 60, 3),
        *worst_cases(p, admin_meetings),
        Case(
            f"Topic subtree ({p['topic'].name}, {len(sub)} topics) + 2 years",
            url("/meetings/", topic=p["topic"].pk, date_after=p["date_after"], date_before=p["date_before"]),
            url(
                admin_meetings,
                topic_notes__topic__in=",".join(map(str, sub)),
                start_date__gte=p["date_after"],
                start_date__lte=p["date_before"],
            ),
            60,
            3,
        ),
        Case(
            "Newest first, page 1", url("/meetings/", sort="-start_date"), url(admin_meetings, o="-2"), 60, 3
        ),
        Case(
            f"Newest first, {DEEP_ROWS:,} rows deep",
            url("/meetings/", sort="-start_date", page=deep_page),
            url(admin_meetings, o="-2", p=deep_page),
            60,
            10,
        ),
        Case(
            "By status (planned), newest first",
            url("/meetings/", status="planned", sort="-start_date"),
            url(admin_meetings, status__exact="planned", o="-2"),
            60,
            3,
        ),
        Case(
            "Action tracker, overdue",
            url("/actions/", overdue="true"),
            url("/admin/meetings/action/", status__in=open_statuses, due_date__lt=today.isoformat()),
            60,
            3,
        ),
        Case(
            "Meeting detail",
            f"/meetings/{p['detail']}/",
            f"/admin/meetings/meeting/{p['detail']}/change/",
            50,
            None,
            "admin: the change form, for scale only",
            max_queries=12,
        ),
        *(
            Case(f"Meeting detail, {label} (#{pk})", f"/meetings/{pk}/", None, 50, max_queries=12)
            for label, pk in p["busy_meetings"]
        ),
        Case(
            "Dashboard, no cache",
            "/",
            None,
            150,
            note="figures added up from the tallies on every view, as with no cache configured",
            settings={"DASHBOARD_CACHE_SECONDS": 0},
        ),
        Case("Dashboard, cached figures", "/", None, 100),
        Case(
            "Dashboard, first view after a write",
            "/",
            None,
            150,
            note="the write moves the tallies on, so the figures are added up again",
            before=lambda: Meeting.objects.filter(pk=p["detail"]).update(status="held"),
        ),
        Case("Person page", f"/people/{p['person']}/", None, None),
        *(
            Case(f"Country page, {label} ({code})", f"/countries/{code}/", None, None, of_unfiltered=3)
            for label, (code, _) in zip(("rarest", "most frequent"), p["ends"]["country"], strict=True)
        ),
        Case(
            "Meeting create (10 attendees, 6 topics, 5 actions)",
            "/meetings/new/",
            None,
            150,
            post=p["create"],
        ),
    ]


def request(client: Client, case: Case, path: str) -> int:
    """One request, its body read to the end (streamed or not); returns the status code."""
    response = client.get(path)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        _ = response.content
    if response.status_code != 200:
        raise SystemExit(f"{case.name}: {path} answered {response.status_code}")
    return response.status_code


def explain_slowest(client: Client, case: Case) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest query of one request, cut to its main lines."""
    timed = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append((time.perf_counter() - started, sql, params))

    if case.before:
        case.before()
    with connection.execute_wrapper(record):
        request(client, case, case.app)
    seconds, sql, params = max(
        (t for t in timed if t[1].lstrip().upper().startswith("SELECT")), default=(0, "", ())
    )
    if not sql:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    kept = [line for line in plan if "->" in line or not line.startswith(" ")][:14]
    kept += [line for line in plan if line.startswith(("Planning Time", "Execution Time"))]
    slowest = f"slowest of {len(timed)} queries: {seconds * 1000:.0f} ms in the request"
    return slowest + "\n" + "\n".join(dict.fromkeys(kept))


def measure(
    client: Client, case: Case, paths: list[str], runs: int, warmup: int
) -> list[tuple[list[float], int]]:
    """Times each path ``runs`` times, taking turns (app, admin, app, …), so that a burst of
    load on this shared machine falls on both sides alike; returns (timings, queries) per path."""
    befores = [case.before if path == case.app and case.before else (lambda: None) for path in paths]
    counts, timings = [], [[] for _ in paths]
    for path, before in zip(paths, befores, strict=True):
        for _ in range(warmup):
            before()
            request(client, case, path)
        before()
        with CaptureQueriesContext(connection) as queries:
            request(client, case, path)
        counts.append(len(queries))  # read now: the next request clears the connection's query log
    for _ in range(runs):
        for path, before, times in zip(paths, befores, timings, strict=True):
            before()
            started = time.perf_counter()
            request(client, case, path)
            times.append((time.perf_counter() - started) * 1000)
    return list(zip(timings, counts, strict=True))


def timed_create(client: Client, case: Case, runs: int, warmup: int) -> tuple[list[float], int]:
    """Meeting create: only the POST is timed; the meeting is deleted again after each run."""
    timings, count = [], 0
    for i in range(warmup + 1 + runs):
        if i == warmup:
            context = CaptureQueriesContext(connection)
            context.__enter__()
        started = time.perf_counter()
        response = client.post(case.app, case.post)
        elapsed = (time.perf_counter() - started) * 1000
        if i == warmup:
            context.__exit__(None, None, None)
            count = len(context)
        if response.status_code != 302:
            raise SystemExit(f"{case.name}: the form was refused:\n{response.content.decode()[:3000]}")
        Meeting.objects.filter(pk=int(response["Location"].rstrip("/").split("/")[-1])).delete()
        if i > warmup:
            timings.append(elapsed)
    return timings, count


def export_probe(path: str) -> None:
    """Child process: one CSV export, streamed to nowhere; prints time, rows and peak RSS as JSON."""
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    client.get("/meetings/")  # imports and first connection, as in a warm server process
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(path)
    rows = sum(1 for _record in response.streaming_content) - 1  # one chunk per CSV record
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps({"seconds": elapsed, "rows": rows, "rss_mb": peak / 1024, "rss_before_mb": before / 1024})
    )


def measure_export(path: str, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--export-probe", path],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def fmt(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 10 else f"{ms:.1f}"


def table(results: list[Result], export: list[dict], export_url: str) -> list[str]:
    lines = [
        "| case | app p50 / p95 ms | queries | admin p50 / p95 ms | admin queries "
        "| admin ÷ app (p50) | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    unfiltered = next((Result.p(r.app, 0.95) for r in results if r.case.name == UNFILTERED), None)
    for r in results:
        app50, app95 = Result.p(r.app, 0.5), Result.p(r.app, 0.95)
        if r.admin:
            ad50, ad95 = Result.p(r.admin, 0.5), Result.p(r.admin, 0.95)
            admin_cell = f"{fmt(ad50)} / {fmt(ad95)}"
            ratio = ad50 / app50
            ratio_cell = f"{ratio:.1f}×"
            admin_q = str(r.admin_queries)
        else:
            admin_cell, ratio, ratio_cell, admin_q = "—", None, "—", "—"
        targets, met = [], []
        if r.case.target_ms:
            targets.append(f"p95 ≤ {r.case.target_ms:g} ms")
            met.append(app95 <= r.case.target_ms)
        if r.case.admin_factor and ratio is not None:
            targets.append(f"≥ {r.case.admin_factor:g}× admin")
            met.append(ratio >= r.case.admin_factor)
        if r.case.of_unfiltered and unfiltered:
            targets.append(f"p95 ≤ {r.case.of_unfiltered:g}× unfiltered ({app95 / unfiltered:.1f}×)")
            met.append(app95 <= r.case.of_unfiltered * unfiltered)
        limit = r.case.max_queries or (12 if r.case.admin_factor or r.case.of_unfiltered else None)
        if limit:  # lists (and the meeting page): at most 12 queries
            targets.append(f"≤ {limit} queries")
            met.append(r.app_queries <= limit)
        verdict = "—" if not met else ("yes" if all(met) else "**no**")
        note = f" ({r.case.note})" if r.case.note else ""
        lines.append(
            f"| {r.case.name}{note} | {fmt(app50)} / {fmt(app95)} | {r.app_queries} | {admin_cell} | "
            f"{admin_q} | {ratio_cell} | {', '.join(targets) or '—'} | {verdict} |"
        )
    if export:
        secs = statistics.median(e["seconds"] for e in export)
        rss = max(e["rss_mb"] for e in export)
        rows = export[0]["rows"]
        lines.append(
            f"| CSV export, {rows:,} rows (`{export_url}`) | {secs * 1000:,.0f} ms total, "
            f"peak RSS {rss:,.0f} MB | — | — | — | — | RSS < 200 MB, streamed | "
            f"{'yes' if rss < 200 else '**no**'} |"
        )
    return lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        mem = 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server} "
        f"(shared_buffers {buffers}) on the same machine"
    )


def write_markdown(
    path: Path,
    lines: list[str],
    p: dict,
    runs: int,
    counts: dict,
    started: datetime.datetime,
    results: list[Result],
):
    header = f"""# Benchmarks

Written by `make bench` (`bench/benchmark.py`) on {started:%Y-%m-%d %H:%M %Z}.

**Machine:** {machine()}.

**Data:** {counts["meetings"]:,} meetings, {counts["attendances"]:,} attendances,
{counts["topics"]:,} topic links, {counts["actions"]:,} actions (`manage.py generate_meetings`).

**Method:** in-process, server-side: Django's test client runs the whole request
(middleware, session, database, template) as a signed-in superuser with the highest
clearance; the network is not timed. Each case is warmed up, counted once under
`CaptureQueriesContext`, then run {runs} times; p50 and p95 are over those runs. Django
admin's changelist is timed in the same run, request for request in turn with the app,
with the same filters and the same page
size ({PAGE_SIZE} rows; `list_filter` gains `topic_notes__topic` for the topic case, as an
admin user would add it). Timings on this shared machine vary by up to 40% between runs;
compare the ratios, which come from one run. The CSV export runs in a child process so
its peak RSS is its own.

Parameters chosen from the data: each filter at both ends of its distribution (the rarest
and the most frequent country, organisation, person and topic, counted in this data, and
words in about 0.01% and 20% of the meetings by their search documents in a fixed tenth of
them), each held to 3× the unfiltered list's p95 from the same run; topic
"{p["topic"].name}" with its subtopics, dates {p["date_after"]} to {p["date_before"]},
meeting #{p["detail"]} (the latest multilateral held with six or more attendees) and the
meetings whose pages cost most, person #{p["person"]} (the median by meetings attended).

"""
    plans = [
        f"**{r.case.name}** (p95 {fmt(Result.p(r.app, 0.95))} ms)\n\n```\n{r.plan}\n```\n"
        for r in results
        if r.plan
    ]
    if plans:
        plans.insert(
            0,
            f"## Query plans of the cases over {PLAN_OVER_MS} ms\n\n"
            "Each case's slowest query in one request, run again under `EXPLAIN (ANALYZE, BUFFERS)` "
            "(its top nodes and timings).\n",
        )
    # The exports and imports section is written by bench/transfer.py; keep it.
    kept = path.read_text().partition(TRANSFER_SECTION)[2] if path.exists() else ""
    transfer = f"\n{TRANSFER_SECTION}{kept}" if kept else ""
    path.write_text(header + "\n".join(lines) + "\n\n" + "\n".join(plans) + transfer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1_000_000, help="build up to this many (default 1M)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per case (default 15)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--export-runs", type=int, default=2)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--no-admin", action="store_true", help="skip the admin (no ratios)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"), help="'-' to skip")
    parser.add_argument("--export-probe", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.export_probe:
        export_probe(args.export_probe)
        return
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")

    started = timezone.localtime()
    today = timezone.localdate()
    ensure_data(args.meetings)
    user = ensure_user()
    params = pick_parameters(today)
    counts = {
        "meetings": params["total"],
        "attendances": Attendance.objects.count(),
        "topics": Meeting.topic_notes.rel.related_model.objects.count(),
        "actions": Action.objects.count(),
    }

    # The admin as configured, with the page size of the app and a topic filter for the topic case.
    for model in (Meeting, Action):
        model_admin = admin.site._registry[model]
        model_admin.list_per_page = PAGE_SIZE
    meeting_admin = admin.site._registry[Meeting]
    meeting_admin.list_filter = [*meeting_admin.list_filter, "topic_notes__topic"]

    client = Client()
    client.force_login(user)
    results = []
    selected = [c for c in cases(params, today) if not args.only or args.only.lower() in c.name.lower()]
    for case in selected:
        print(f"… {case.name}", end="", flush=True)
        result = Result(case)
        with override_settings(**(case.settings or {})):
            if case.post is not None:
                result.app, result.app_queries = timed_create(client, case, args.runs, args.warmup)
            elif case.admin and not args.no_admin:
                (result.app, result.app_queries), (result.admin, result.admin_queries) = measure(
                    client, case, [case.app, case.admin], args.runs, args.warmup
                )
            else:
                ((result.app, result.app_queries),) = measure(
                    client, case, [case.app], args.runs, args.warmup
                )
            if Result.p(result.app, 0.95) > PLAN_OVER_MS and case.post is None:
                result.plan = explain_slowest(client, case)
        print(
            f"\r{case.name}: app {fmt(Result.p(result.app, 0.5))} ms ({result.app_queries} queries)"
            + (f", admin {fmt(Result.p(result.admin, 0.5))} ms" if result.admin else "")
        )
        results.append(result)

    export_url = url("/meetings/", date_after=params["export_after"], export="csv")
    export = []
    if not args.only or "export" in args.only.lower():
        print("… CSV export", flush=True)
        export = measure_export(export_url, args.export_runs)

    lines = table(results, export, export_url)
    print()
    print("\n".join(lines))
    if args.output != "-":
        write_markdown(Path(args.output), lines, params, args.runs, counts, started, results)
        print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
