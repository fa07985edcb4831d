"""Load and fault test: simulated people browsing, filtering and saving against a local gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/load.py
    … bench/load.py --restart-postgres-at 20     # restart PostgreSQL 20 s into the run

Starts ``bin/serve`` in production mode on a loopback port (or uses ``--url``, which must
be a loopback address), signs in ``--users`` people (one in five an editor) through the
real sign-in form, and lets each of them, for ``--seconds``, open the dashboard, the
meeting list with filters and searches, meeting pages and the action tracker, and, for
editors, save new meetings with attendees, topics and actions. Every request has a
10-second time-out, so the run is bounded.

It reports the requests, the errors, the throughput and the p50/p95 per kind of page.
Then it checks every save the server acknowledged (a redirect to the new meeting): the
meeting must be in the database with every attendee, topic and action it was sent with.
With ``--restart-postgres-at``, PostgreSQL is restarted mid-run (``pg_ctlcluster``) and
the report says how long requests failed before the app served again by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-2024"
TIMEOUT = 10


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict = field(default_factory=lambda: defaultdict(list))
    errors: dict = field(default_factory=lambda: defaultdict(int))
    failures: list = field(default_factory=list)  # (time, kind, what)
    successes: list = field(default_factory=list)  # times
    saved: list = field(default_factory=list)  # (meeting id, title)

    def record(self, kind: str, started: float, ok: bool, what: str = "") -> None:
        now = time.monotonic()
        with self.lock:
            if ok:
                self.timings[kind].append((now - started) * 1000)
                self.successes.append(now)
            else:
                self.errors[f"{kind}: {what}"] += 1
                self.failures.append((now, kind, what))


class Browser:
    """One person: a keep-alive connection, the session and CSRF cookies, behind a TLS proxy."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"X-Forwarded-Proto": "https", "Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{self.host}{path}"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2 or method == "POST":
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), content

    def csrf(self, page: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1).decode() if match else ""

    def sign_in(self, username: str) -> bool:
        _, _, page = self.request("GET", "/accounts/login/")
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.csrf(page), "username": username, "password": PASSWORD},
        )
        return status == 302


@dataclass
class Data:
    """What the simulated people pick from: real ids from the database."""

    meetings: list[int]
    countries: list[str]
    topics: list[int]
    people: list[tuple[int, int | None, str]]  # (person, organisation, country)
    words: list[str]


def load_data() -> Data:
    import django

    django.setup()
    from meetings.models import Meeting, MeetingCountry, Person, Topic

    top = Meeting.objects.order_by("-pk").values_list("pk", flat=True)[:1]
    newest = top[0] if top else 0
    meetings = list(
        Meeting.objects.filter(pk__gt=max(0, newest - 200_000), classification=0).values_list(
            "pk", flat=True
        )[:2000]
    )
    countries = list(
        MeetingCountry.objects.values_list("country", flat=True).distinct().order_by("country")[:60]
    )
    people = list(
        Person.objects.exclude(organization=None)
        .exclude(country="")
        .values_list("pk", "organization_id", "country")[:500]
    )
    return Data(
        meetings=meetings,
        countries=countries,
        topics=list(Topic.objects.values_list("pk", flat=True)),
        people=[(pk, org, str(country)) for pk, org, country in people],
        words=["security", "cooperation", "hydrography", "training", "maritime", "sonar", "cyber", "talks"],
    )


def meeting_form(data: Data, title: str, token: str) -> dict:
    rng = random.Random(title)
    chosen = rng.sample(data.people, min(4, len(data.people)))
    heads: set[str] = set()
    attendees = []
    for person, organisation, country in chosen:
        attendees.append(
            {
                "person": person,
                "organization": organisation or "",
                "delegation": country,
                "role": "delegate" if country in heads else "head",
                "status": "attended",
            }
        )
        heads.add(country)
    topics = [{"topic": pk, "note": ""} for pk in rng.sample(data.topics, min(3, len(data.topics)))]
    actions = [{"description": f"Follow up {i} on {title}", "status": "agreed"} for i in range(2)]
    form = {
        "csrfmiddlewaretoken": token,
        "title": title,
        "kind": "bilateral",
        "status": "held",
        "start_date": "2025-06-01",
        "timezone": "UTC",
        "classification": "0",
    }
    for prefix, rows in (("attendees", attendees), ("topics", topics), ("actions", actions), ("sources", [])):
        form |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 200,
        }
        for i, row in enumerate(rows):
            form |= {f"{prefix}-{i}-{k}": v for k, v in row.items()}
    form["_expected"] = f"{len(attendees)},{len(topics)},{len(actions)}"
    return form


def person(base: str, username: str, editor: bool, data: Data, stats: Stats, deadline: float, seed: int):
    rng = random.Random(seed)
    browser = Browser(base)
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if browser.sign_in(username):
                stats.record("sign-in", started, True)
                break
            stats.record("sign-in", started, False, "refused")
        except (OSError, http.client.HTTPException) as error:
            stats.record("sign-in", started, False, type(error).__name__)
        time.sleep(0.5)
    pages = [
        ("dashboard", 15, lambda: "/"),
        ("meeting list", 15, lambda: "/meetings/"),
        ("filtered list", 15, lambda: f"/meetings/?country={rng.choice(data.countries)}"),
        ("filtered list", 5, lambda: f"/meetings/?topic={rng.choice(data.topics)}&date_after=2024-01-01"),
        ("search", 10, lambda: f"/meetings/?q={rng.choice(data.words)}"),
        ("meeting page", 20, lambda: f"/meetings/{rng.choice(data.meetings)}/"),
        ("action tracker", 10, lambda: "/actions/?overdue=true"),
        ("deep page", 3, lambda: f"/meetings/?page={rng.randint(100, 20000)}"),
    ]
    weights = [w for _, w, _ in pages]
    while time.monotonic() < deadline:
        started = time.monotonic()
        if editor and rng.random() < 0.12:
            kind = "save"
            try:
                _, _, page = browser.request("GET", "/meetings/new/")
                title = f"Load test {secrets.token_hex(6)}"
                form = meeting_form(data, title, browser.csrf(page))
                expected = form.pop("_expected")
                started = time.monotonic()
                status, headers, _ = browser.request("POST", "/meetings/new/", form)
                location = headers.get("Location", "")
                ok = status == 302 and re.search(r"/meetings/(\d+)/$", location)
                stats.record(kind, started, bool(ok), "" if ok else f"HTTP {status}")
                if ok:
                    with stats.lock:
                        stats.saved.append((int(ok.group(1)), title, expected))
            except (OSError, http.client.HTTPException) as error:
                stats.record(kind, started, False, type(error).__name__)
            continue
        kind, _, path = rng.choices(pages, weights)[0]
        try:
            status, _, _ = browser.request("GET", path())
            stats.record(kind, started, status == 200, f"HTTP {status}")
        except (OSError, http.client.HTTPException) as error:
            stats.record(kind, started, False, type(error).__name__)


def make_users(count: int) -> list[tuple[str, bool]]:
    """``count`` people with the highest clearance, one in five an editor (made or reset)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from meetings import classification
    from meetings.models import User

    groups = {name: Group.objects.get(name=name) for name in ("viewer", "editor")}
    password = make_password(PASSWORD)
    users = []
    for i in range(count):
        editor = i % 5 == 0
        name = f"load-{'editor' if editor else 'viewer'}-{i:02d}"
        user, _ = User.objects.update_or_create(
            username=name, defaults={"clearance": classification.highest(), "password": password}
        )
        user.groups.set([groups["editor" if editor else "viewer"]])
        users.append((name, editor))
    return users


def start_server(port: int, workers: int, worker_class: str, threads: int) -> subprocess.Popen:
    env = dict(os.environ)
    env["WORKER_CLASS"], env["THREADS"] = worker_class, str(threads)
    env.setdefault("DJANGO_ENV", "production")
    env.setdefault("SECRET_KEY", "load-test-" + secrets.token_urlsafe(48))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("CACHE_URL", "redis://127.0.0.1:6379/4")
    env.setdefault("STATIC_ROOT", "/tmp/load-static")
    env["BIND"] = f"127.0.0.1:{port}"
    env["WORKERS"] = str(workers)
    # The server's log goes to a file; its own process group lets it be stopped as a whole.
    log = open(f"/tmp/load-gunicorn-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(ROOT / "bin/serve")], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"bin/serve stopped; see /tmp/load-gunicorn-{port}.log")
        time.sleep(1)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("the server did not answer /healthz within two minutes")


def session_cpu_seconds(session: int) -> float:
    """User and system CPU used so far by the processes of a session (the server's)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # the session id, after state, ppid, pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def restart_postgres(at: float, stats: Stats, started: float, log: list) -> None:
    time.sleep(max(0, started + at - time.monotonic()))
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    log.append(("restart begins", time.monotonic()))
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    log.append(("restart done", time.monotonic()))


def verify_saves(saved: list) -> list[str]:
    """Every acknowledged save is in the database whole: the meeting and every row it was sent with."""
    from django.db import connection

    from meetings.models import Meeting

    connection.close()
    problems = []
    for pk, title, expected in saved:
        meeting = Meeting.objects.filter(pk=pk, title=title).first()
        if meeting is None:
            problems.append(f"meeting {pk} ({title}) was acknowledged but is missing")
            continue
        found = f"{meeting.attendances.count()},{meeting.topic_notes.count()},{meeting.actions.count()}"
        if found != expected:
            problems.append(
                f"meeting {pk} is half saved: attendees, topics, actions {found}, sent {expected}"
            )
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", help="a running server on a loopback address (default: start one)")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument("--restart-postgres-at", type=float, help="restart PostgreSQL this many seconds in")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    base = args.url or f"http://127.0.0.1:{args.port}"
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("The load test only runs against a loopback address.")

    data = load_data()
    users = make_users(args.users)
    server = None if args.url else start_server(args.port, args.workers, args.worker_class, args.threads)
    stats = Stats()
    restarts: list = []
    try:
        started = time.monotonic()
        deadline = started + args.seconds
        threads = [
            threading.Thread(target=person, args=(base, name, editor, data, stats, deadline, i), daemon=True)
            for i, (name, editor) in enumerate(users)
        ]
        if args.restart_postgres_at is not None:
            threads.append(
                threading.Thread(
                    target=restart_postgres,
                    args=(args.restart_postgres_at, stats, started, restarts),
                    daemon=True,
                )
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 2 * TIMEOUT + 60)
        elapsed = time.monotonic() - started
        server_cpu = session_cpu_seconds(server.pid) if server is not None else None
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    report(stats, elapsed, args, restarts)
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"\nCPU over the run: the load generator (this process) {own.ru_utime + own.ru_stime:.0f} s"
        + (f", the server's processes {server_cpu:.0f} s" if server_cpu is not None else "")
        + f", of {elapsed * (os.cpu_count() or 1):.0f} core-seconds on {os.cpu_count()} cores"
        f" (load average {os.getloadavg()[0]:.1f} at the end)"
    )
    problems = verify_saves(stats.saved)
    print(f"\nAcknowledged saves: {len(stats.saved)}; checked in the database: ", end="")
    print("all there, whole." if not problems else "PROBLEMS")
    for problem in problems:
        print(f"  {problem}")
    if problems or (stats.errors and args.restart_postgres_at is None):
        sys.exit(1)


def report(stats: Stats, elapsed: float, args, restarts: list) -> None:
    total = sum(len(v) for v in stats.timings.values())
    errors = sum(stats.errors.values())
    every = [t for values in stats.timings.values() for t in values]
    server = "" if args.url else f", gunicorn {args.workers} {args.worker_class} workers"
    if not args.url and args.worker_class == "gthread":
        server += f" × {args.threads} threads"
    print(f"{args.users} simulated people for {elapsed:.0f} s{server}")
    print(f"requests: {total + errors:,}  errors: {errors}  throughput: {total / elapsed:.1f} requests/s")
    if every:
        print(
            f"all pages: p50 {statistics.median(every):.0f} ms, "
            f"p95 {sorted(every)[int(0.95 * (len(every) - 1))]:.0f} ms"
        )
    print("\n| page | requests | p50 ms | p95 ms |\n|---|---|---|---|")
    for kind, values in sorted(stats.timings.items()):
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(f"| {kind} | {len(values)} | {statistics.median(values):.0f} | {p95:.0f} |")
    for what, count in sorted(stats.errors.items()):
        print(f"error: {what} × {count}")
    if restarts:
        begin, done = dict(restarts)["restart begins"], dict(restarts)["restart done"]
        first_ok_after = min((t for t in stats.successes if t > done), default=None)
        until = first_ok_after or float("inf")
        failed = [t for t, _, _ in stats.failures if begin <= t <= until]
        later = [t for t, _, _ in stats.failures if t > until]
        print(f"\nPostgreSQL restart took {done - begin:.1f} s; ", end="")
        print(f"{len(failed)} requests failed from its start until the first answer after it; ", end="")
        if first_ok_after is not None:
            print(f"the app served again {first_ok_after - begin:.1f} s after the restart began,", end="")
            print(f" by itself ({len(later)} failures later in the run).")
        else:
            print("the app did not serve again before the end of the run.")


if __name__ == "__main__":
    main()
