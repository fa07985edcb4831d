"""Create (or update) a user with a role and a clearance.

python manage.py create_user alice --role editor --clearance CONFIDENTIAL --email alice@mod.example
python manage.py create_user robot --role viewer --clearance RESTRICTED --api-token
"""

import getpass

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from meetings import classification, services
from meetings.models import User
from meetings.roles import ROLES


class Command(BaseCommand):
    help = "Create or update a user with a role (viewer, editor, administrator) and a clearance."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=ROLES, required=True)
        parser.add_argument(
            "--clearance", required=True, help=f"One of: {', '.join(classification.levels())}"
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Asked for when left out (safer than the command line).")
        parser.add_argument(
            "--api-token",
            action="store_true",
            help="Also give the user a new API token (replacing any) and print it.",
        )

    def handle(self, *args, username, role, clearance, email, password, api_token=False, **options):
        levels = [level.upper() for level in classification.levels()]
        if clearance.upper() not in levels:
            raise CommandError(f"Unknown clearance {clearance!r}; choose one of {', '.join(levels)}.")
        if password is None:
            password = getpass.getpass("Password: ")
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        with transaction.atomic():
            user, created = User.objects.update_or_create(
                username=username,
                defaults={
                    "email": email,
                    "clearance": levels.index(clearance.upper()),
                    "is_staff": role == "administrator",
                },
            )
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if api_token:
                key = services.api_token_issue(user=user)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {username}: {role}, clearance {levels[user.clearance]}.")
        if api_token:
            self.stdout.write(f"API token: {key}")
