"""Append large, deterministic synthetic data for benchmarks: ``generate_meetings --meetings N``."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from meetings import synthetic


class Command(BaseCommand):
    help = (
        "Append N synthetic meetings with attendances, topics, countries, actions and the reference "
        "data they need (people, organisations, topics). The same seed gives the same data. "
        "Uses COPY on PostgreSQL, bulk_create elsewhere; never deletes anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, required=True, help="How many meetings to add.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--people",
            type=int,
            default=5000,
            help=f"How many people to add (default 5000, at least {synthetic.MIN_PEOPLE}).",
        )
        parser.add_argument("--chunk-size", type=int, default=50_000, help="Meetings per transaction.")
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="PostgreSQL connections writing chunks in parallel (default 2; 1: one at a time).",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The date the data is relative to (YYYY-MM-DD; default today), for reproducibility.",
        )

    def handle(self, *args, meetings, seed, people, chunk_size, workers, today, **options):
        if meetings < 0 or chunk_size < 1 or workers < 1:
            raise CommandError("--meetings must be 0 or more, --chunk-size and --workers at least 1.")
        counts = synthetic.generate(
            meetings,
            seed,
            people=people,
            chunk_size=chunk_size,
            workers=workers,
            today=today,
            progress=lambda message: self.stdout.write(message),
        )
        for model, count in counts.items():
            self.stdout.write(f"  {model._meta.verbose_name_plural}: {count:,} added")
