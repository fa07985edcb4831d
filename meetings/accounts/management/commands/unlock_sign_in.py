"""Lift every sign-in lock on a username: python manage.py unlock_sign_in alice"""

from django.core.management.base import BaseCommand

from meetings.accounts import throttling


class Command(BaseCommand):
    help = "Let a username sign in again: lifts its locks from every address."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        locked = throttling.name_is_locked(username)
        throttling.unlock(username)
        self.stdout.write(
            f"{username} unlocked." if locked else f"{username} was not locked; its count is cleared."
        )
