"""What the read audit costs a meeting page: the same page timed with and without it, in one run.

    .venv/bin/python bench/audit_cost.py                      # SQLite, in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/audit_cost.py

Builds a throwaway test database (``test_<name>``) holding one RESTRICTED meeting with
eight attendees, five topics and four actions, signs a reader in, and requests its page
``--runs`` times with the audit on and as many with it off (``AUDIT_READS_FROM`` above
the meeting's marking), alternating so that a drift in the machine's speed touches both
alike. Prints the median and 95th percentile of each, their difference, and the queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build():
    from tests.factories import (
        ActionFactory,
        AttendanceFactory,
        MeetingFactory,
        MeetingTopicFactory,
        UserFactory,
    )

    meeting = MeetingFactory(title="Kenya–UK defence talks", classification=1)
    for _ in range(8):
        AttendanceFactory(meeting=meeting)
    for _ in range(5):
        MeetingTopicFactory(meeting=meeting)
    for _ in range(4):
        ActionFactory(meeting=meeting)
    reader = UserFactory(username="reader", role="viewer", clearance=3)
    return meeting, reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        meeting, reader = build()
        client = Client()
        client.force_login(reader)
        url = meeting.get_absolute_url()
        on, off = meeting.classification, meeting.classification + 1

        def get(level: int) -> float:
            settings.AUDIT_READS_FROM_LEVEL = level
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200
            return elapsed

        for _ in range(30):
            get(on), get(off)
        queries = {}
        for name, level in (("without", off), ("with", on)):
            settings.AUDIT_READS_FROM_LEVEL = level
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[name] = len(captured.captured_queries)
        times = {"without": [], "with": []}
        for _ in range(args.runs):
            times["without"].append(get(off))
            times["with"].append(get(on))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def ms(values, q):
        if q == 50:
            return statistics.median(values) * 1000
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(f"Meeting page, {connection.vendor}, {args.runs} requests each, alternating")
    print(f"{'audit':<9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for name in ("without", "with"):
        print(f"{name:<9}{ms(times[name], 50):>9.2f}{ms(times[name], 95):>9.2f}{queries[name]:>9}")
    print(
        f"cost per view: {ms(times['with'], 50) - ms(times['without'], 50):+.2f} ms at the median, "
        f"{queries['with'] - queries['without']:+d} query"
    )


if __name__ == "__main__":
    main()
