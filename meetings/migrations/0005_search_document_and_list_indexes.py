"""Fast lists on a million meetings: a full-text search document and indexes for every sort.

On PostgreSQL, ``meetings_meeting.search_document`` is a stored generated ``tsvector``
of the title, summary and outcome, kept up to date by the database on every insert and
update (whatever writes the row: the app, the admin, COPY), with a GIN index. It is not
declared on the model, so the ORM never reads or writes it; ``meetings.search`` queries
it. Adding it rewrites the table once (about a minute for a million meetings, with the
table locked). SQLite has no ``tsvector``: there the list searches by substring.
"""

from django.db import migrations, models

SEARCH_DOCUMENT = """
ALTER TABLE meetings_meeting ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    to_tsvector('english'::regconfig, title::text || ' ' || summary || ' ' || outcome)
) STORED;
CREATE INDEX meeting_search_document ON meetings_meeting USING gin (search_document);
"""
NO_SEARCH_DOCUMENT = """
DROP INDEX IF EXISTS meeting_search_document;
ALTER TABLE meetings_meeting DROP COLUMN IF EXISTS search_document;
"""


def on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_change_history"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="meeting", name="meetings_me_start_d_7d3bf5_idx"),
        # First the column (which rewrites the table and its indexes), then the new indexes.
        migrations.RunPython(on_postgresql(SEARCH_DOCUMENT), on_postgresql(NO_SEARCH_DOCUMENT)),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["start_date", "id"], include=("classification",), name="meeting_sort_date"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["title", "id"], include=("classification",), name="meeting_sort_title"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["kind", "id"], include=("classification",), name="meeting_sort_kind"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["status", "id"], include=("classification",), name="meeting_sort_status"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["country", "city", "id"], include=("classification",), name="meeting_sort_place"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["host_country", "id"], include=("classification",), name="meeting_sort_host"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["classification", "id"], name="meeting_sort_marking"),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("status__in", ["proposed", "agreed", "in_progress", "blocked"])),
                fields=["due_date", "id"],
                name="action_open_by_due",
            ),
        ),
    ]
