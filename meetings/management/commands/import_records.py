"""python manage.py import_records people.xlsx --kind people --user alice [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.importing import (
    KINDS,
    MAX_IMPORT_BYTES,
    UnreadableFile,
    detect_kind,
    import_records,
    read_table,
)
from meetings.models import User


class Command(BaseCommand):
    help = (
        "Import meetings (with attendees, topics and actions), people or organisations from a CSV, "
        "XLSX or JSON file with the columns the lists export. All rows or none are written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=list(KINDS), help="default: told from the columns")
        parser.add_argument(
            "--user", required=True, help="the editor importing: their clearance limits the markings"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--create-topics", action="store_true", help="create topics not recorded yet")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or not user.can_edit:
            raise CommandError(f"“{options['user']}” is not an active editor or administrator.")
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:
                raise CommandError(f"{path} is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB: split it.")
            table = read_table(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        kind = options["kind"] or detect_kind(table)
        if kind is None:
            raise CommandError("The columns do not say which records these are: give --kind.")
        report = import_records(
            user=user,
            table=table,
            kind=kind,
            create_topics=options["create_topics"],
            commit=not options["dry_run"],
        )
        for outcome in report.outcomes:
            details = "; ".join(f"{state} {what}: {label}" for state, what, label in outcome.references)
            self.stdout.write(
                f"row {outcome.row}: {outcome.action} {outcome.label}" + (f" ({details})" if details else "")
            )
        for error in report.errors:
            self.stderr.write(f"row {error.row or 'header'}, {error.column} “{error.value}”: {error.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) in {path.name}: nothing was written.")
        counts = ", ".join(f"{count} {action}" for action, count in report.counts.items())
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {report.rows} {KINDS[kind].lower()} rows: {counts}."))
