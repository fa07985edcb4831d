"""``python manage.py serve_demo [addr:port]``: Django's development server for ``make demo``.

The same server as ``runserver``, which says once it is listening where to go (the
address and the reference meeting) and whom to sign in as, and which stops on SIGINT
even when started in the background.
"""

import os
import signal
import time

from django.core.management import get_commands, load_command_class
from django.db import connections
from django.utils import autoreload

from meetings import classification, demo_data

# Whichever runserver manage.py would run (whitenoise's, which leaves static files to it).
Runserver = type(load_command_class(get_commands()["runserver"], "runserver"))


def took(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{max(seconds, 1)} s"


class Command(Runserver):
    help = "Serve the demo with Django's development server, saying where to go and whom to sign in as."

    def handle(self, *args, **options):
        # A shell ignores SIGINT for what it starts in the background (`make demo &` in a
        # script), and the server would inherit that: Ctrl+C-style stops would do nothing.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        options["skip_checks"] = True  # bin/demo's migrate has just run them
        super().handle(*args, **options)

    def on_bind(self, server_port):
        address = f"http://{self.addr}:{server_port}"
        reference = demo_data.reference_meeting()
        for connection in connections.all(initialized_only=True):
            connection.close()
        # Under the autoreloader this is its child; signals go to the parent that bin/demo ran.
        pid = os.getppid() if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true" else os.getpid()

        timing = []
        if started := os.environ.get("DEMO_SERVER_STARTED_AT"):
            timing.append(f"server ready in {took(time.time() - float(started))}")
        if started := os.environ.get("DEMO_STARTED_AT"):
            timing.append(f"{took(time.time() - float(started))} in all")
        lines = [
            "",
            f"  Defence meetings is running at  {address}/" + (f"   ({', '.join(timing)})" if timing else ""),
        ]
        if reference is not None:
            lines.append(
                f"  The reference meeting:          {address}{reference.get_absolute_url()}"
                f"   ({reference.title}, {reference.start_date.day} {reference.start_date:%B %Y})"
            )
        for index, user in enumerate(demo_data.DEMO_USERS):
            lines.append(
                f"  {'Sign in as' if index == 0 else '        or'}  "
                f"{user['username'] + ' / ' + demo_data.DEMO_PASSWORD:<28} "
                f"({user['group']}, clearance {classification.label(user['clearance'])})"
            )
        lines += [
            f"  Stop it with Ctrl+C, or from elsewhere: kill {pid}",
            "  (Django's development server, for the demo only; docs/deployment.md serves it for real.)",
            "",
        ]
        self.stdout.write("\n".join(lines))
