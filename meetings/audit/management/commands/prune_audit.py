"""Remove audit events older than the retention: python manage.py prune_audit [--days N]"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.audit.models import Event


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (or --days). Run it daily from cron."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        removed = Event.objects.prune(days)
        self.stdout.write(
            f"Removed {removed} audit event{'s' if removed != 1 else ''} older than {days} days."
        )
