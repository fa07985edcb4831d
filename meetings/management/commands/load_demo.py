"""``python manage.py load_demo``: the reference meeting, a sample set and three demo users."""

from django.core.management.base import BaseCommand, CommandError

from meetings import demo_data


class Command(BaseCommand):
    help = (
        "Replace all meetings, people, organisations and topics with the demo data, and (re)create "
        f"the demo users admin, editor and viewer (password {demo_data.DEMO_PASSWORD}). Running it "
        "again gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wipe existing records even if they do not look like demo data.",
        )

    def handle(self, *args, reset=False, **options):
        if not reset and demo_data.has_domain_data() and not demo_data.reference_meeting_exists():
            raise CommandError(
                "The database holds records that are not the demo data; nothing was changed. "
                "Run with --reset to delete them and load the demo."
            )
        counts = demo_data.load()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        names = ", ".join(user["username"] for user in demo_data.DEMO_USERS)
        self.stdout.write(f"Demo users: {names} (password {demo_data.DEMO_PASSWORD}).")
