"""Exports and imports against their floors: PostgreSQL's COPY of the same columns, and a
bare ``executemany`` of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/transfer.py export
    DATABASE_URL=sqlite:///db.sqlite3 .venv/bin/python bench/transfer.py import meetings.csv

Each function returns a dict that ``bench/benchmark.py`` (or this script's command line)
can print: ``export_rates`` times the meeting list's CSV, JSON and XLSX exports (each in a
child process, so that its peak memory is its own) and COPY of the same meetings with
their attendee, topic and action names; ``import_timings`` times an import's dry run and
its real run of a file, on the database ``DATABASE_URL`` names, and a bare executemany of
the same meetings' own columns.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from meetings.models import Meeting, User  # noqa: E402

USERNAME = "transfer-benchmark"

# The meeting list's own columns and, per meeting, the names the export spells out.
COPY_SQL = """
COPY (
  SELECT m.title, m.start_date, m.kind, m.status, m.venue, m.city, m.country, m.host_country,
         s.name, m.classification, m.end_date, m.start_time, m.end_time, m.timezone,
         m.summary, m.outcome,
         (SELECT string_agg(c.country || ':' || c.role, ';') FROM meetings_meetingcountry c
           WHERE c.meeting_id = m.id),
         (SELECT string_agg(t.name || '|' || mt.note, E'\\n') FROM meetings_meetingtopic mt
           JOIN meetings_topic t ON t.id = mt.topic_id WHERE mt.meeting_id = m.id),
         (SELECT string_agg(p.name || '|' || a.title || '|' || coalesce(o.name, '') || '|' || a.delegation
                            || '|' || a.role || '|' || a.status, E'\\n')
            FROM meetings_attendance a JOIN meetings_person p ON p.id = a.person_id
            LEFT JOIN meetings_organization o ON o.id = a.organization_id WHERE a.meeting_id = m.id),
         (SELECT string_agg(x.description || '|' || coalesce(x.due_date::text, '') || '|' || x.status, E'\\n')
            FROM meetings_action x WHERE x.meeting_id = m.id)
    FROM meetings_meeting m LEFT JOIN meetings_meetingseries s ON s.id = m.series_id
   WHERE m.start_date >= %s
   ORDER BY m.start_date DESC, m.id DESC
) TO STDOUT WITH CSV
"""


def ensure_user() -> User:
    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"clearance": 99, "is_superuser": True})
    user.clearance, user.is_superuser = 99, True
    user.save()
    user.groups.add(Group.objects.get(name="editor"))
    return user


def export_probe(path: str) -> dict:
    """In this process: one export, read to the end; its time, size and peak RSS."""
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    client.get("/meetings/")  # imports and first connection, as in a warm server process
    started = time.perf_counter()
    response = client.get(path)
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "bytes": size, "rss_mb": peak}


def copy_rate(date_after: str) -> dict:
    """COPY of the same meetings, with the names of their rows, to nowhere."""
    started = time.perf_counter()
    rows = 0
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(COPY_SQL, (date_after,)) as copy:
        for _data in copy:
            rows += 1  # the server sends one message per row
    return {"seconds": time.perf_counter() - started, "rows": rows}


def export_rates(date_after: str, formats=("csv", "json", "xlsx")) -> dict:
    """Rows per second of each export of the meetings on or after ``date_after``, with COPY."""
    ensure_user()
    rows = Meeting.objects.filter(start_date__gte=date_after).count()
    results = {"rows": rows}
    for fmt in formats:
        path = f"/meetings/?date_after={date_after}&export={fmt}"
        out = subprocess.run(
            [sys.executable, __file__, "probe", path],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        measured = json.loads(out.stdout.strip().splitlines()[-1])
        results[fmt] = {**measured, "rows_per_second": rows / measured["seconds"]}
    if connection.vendor == "postgresql":
        copy = copy_rate(date_after)
        results["copy"] = {**copy, "rows_per_second": copy["rows"] / copy["seconds"]}
    return results


def executemany_rate(table) -> dict:
    """A bare executemany of the file's meetings' own columns into a scratch table."""
    values = [(row.get("title"), row.get("date"), row.get("summary")) for row in table.rows]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE scratch_meetings (title text, start_date text, summary text)")
        started = time.perf_counter()
        cursor.executemany("INSERT INTO scratch_meetings VALUES (%s, %s, %s)", values)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE scratch_meetings")
    return {"seconds": elapsed, "rows": len(values), "rows_per_second": len(values) / elapsed}


def import_timings(path: str, *, real: bool = True) -> dict:
    """The dry run, then the real run, of importing ``path`` as meetings (new topics allowed)."""
    from meetings.importing import import_records, read_table

    user = ensure_user()
    table = read_table(Path(path).name, Path(path).read_bytes())
    results = {"rows": len(table.rows), "database": connection.vendor}
    for commit in (False, True) if real else (False,):
        started = time.perf_counter()
        report = import_records(user=user, table=table, kind="meetings", create_topics=True, commit=commit)
        elapsed = time.perf_counter() - started
        results["import" if commit else "dry_run"] = {
            "seconds": elapsed,
            "rows_per_second": len(table.rows) / elapsed,
            "errors": len(report.errors),
            "counts": report.counts,
        }
    results["executemany"] = executemany_rate(table)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    export = sub.add_parser("export")
    export.add_argument("--date-after", default="2025-01-01")
    export.add_argument("--formats", default="csv,json,xlsx")
    imports = sub.add_parser("import")
    imports.add_argument("file")
    imports.add_argument("--dry-run-only", action="store_true")
    probe = sub.add_parser("probe")
    probe.add_argument("path")
    args = parser.parse_args()
    if args.what == "probe":
        print(json.dumps(export_probe(args.path)))
    elif args.what == "export":
        print(json.dumps(export_rates(args.date_after, args.formats.split(",")), indent=2))
    else:
        print(json.dumps(import_timings(args.file, real=not args.dry_run_only), indent=2, default=str))


if __name__ == "__main__":
    main()
