"""E-mail each responsible person and organisation a digest of their overdue and due actions.

Meant for cron, e.g. every weekday at 07:00:
    python manage.py send_action_reminders --days 14
or, with --enqueue, for the task worker to send (optionally --at a later time).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meetings.reminders import MAX_DAYS, send_reminders
from meetings.tasks import send_action_reminders


def moment(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = "E-mail a digest of overdue actions and those due within --days to everyone responsible."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=14, help="Remind of actions due within this many days."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the sending for the task worker instead."
        )
        parser.add_argument(
            "--at", type=moment, help="With --enqueue: not before this time (YYYY-MM-DD HH:MM, local)."
        )

    def handle(self, *args, days: int, dry_run: bool, enqueue: bool, at, **options):
        if not 0 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 0 and {MAX_DAYS}.")
        if enqueue:
            task = send_action_reminders.using(run_after=at) if at else send_action_reminders
            result = task.enqueue(days=days)
            when = f" to run after {at:%d %b %Y %H:%M}" if at else ""
            self.stdout.write(f"Queued the reminders{when} (task {result.id}).")
            return
        sending = send_reminders(days=days, dry_run=dry_run)
        plan = sending.plan
        for digest in plan.digests if dry_run else ():
            self.stdout.write(f"would send to {digest.email}: {digest.subject}")
        for address, error in sending.failed:
            self.stderr.write(f"not sent to {address}: {error}")
        self.stdout.write(
            f"Actions overdue or due by {plan.limit:%d %b %Y}: {len(plan.digests)} recipient(s), "
            f"{plan.action_count} action(s). E-mails sent: {sending.sent}, skipped: {sending.skipped}"
            f"{' (dry run)' if dry_run else ''}, failed: {len(sending.failed)}."
        )
        names = "".join(f"\n  {row.record} ({len(row.actions)} action(s))" for row in plan.unaddressed)
        self.stdout.write(f"Without an e-mail address: {len(plan.unaddressed)}.{names}")
        if plan.unreachable:
            count = len(plan.unreachable)
            self.stdout.write(f"Owed only by countries, so reaching nobody: {count} action(s).")
        if sending.failed:
            raise CommandError(f"{len(sending.failed)} e-mail(s) could not be sent.")
