"""E-mail each responsible person and organisation a digest of their overdue and due actions.

Meant for cron, e.g. every weekday at 07:00:
    python manage.py send_action_reminders --days 14
"""

from django.core.mail import mailers
from django.core.management.base import BaseCommand, CommandError

from meetings.models import Action
from meetings.reminders import MAX_DAYS, reminder_message, reminder_plan


class Command(BaseCommand):
    help = "E-mail a digest of overdue actions and those due within --days to everyone responsible."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=14, help="Remind of actions due within this many days."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")

    def handle(self, *args, days: int, dry_run: bool, **options):
        if not 0 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 0 and {MAX_DAYS}.")
        plan = reminder_plan(Action.objects.all(), days=days)
        sent = failed = 0
        mailer = None if dry_run else mailers.default
        for digest in plan.digests:
            if dry_run:
                self.stdout.write(f"would send to {digest.email}: {digest.subject}")
                continue
            try:
                mailer.send_messages([reminder_message(plan, digest)])
            except OSError as error:  # SMTP and socket errors: the others are still sent
                failed += 1
                self.stderr.write(f"not sent to {digest.email}: {error}")
            else:
                sent += 1
        skipped = len(plan.digests) - sent - failed
        self.stdout.write(
            f"Actions overdue or due by {plan.limit:%d %b %Y}: {len(plan.digests)} recipient(s), "
            f"{plan.action_count} action(s). E-mails sent: {sent}, skipped: {skipped}"
            f"{' (dry run)' if dry_run else ''}, failed: {failed}."
        )
        names = "".join(f"\n  {row.record} ({len(row.actions)} action(s))" for row in plan.unaddressed)
        self.stdout.write(f"Without an e-mail address: {len(plan.unaddressed)}.{names}")
        if plan.unreachable:
            count = len(plan.unreachable)
            self.stdout.write(f"Owed only by countries, so reaching nobody: {count} action(s).")
        if failed:
            raise CommandError(f"{failed} e-mail(s) could not be sent.")
