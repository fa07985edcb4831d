"""Tables the database keeps from the records: the dashboard's tallies and the country index.

Every write that changes a meeting reaches the database, whichever way it comes: the
meeting form and the API through ``services.meeting_save`` (whose new rows go in with
bulk inserts that send no signals), rows saved one by one, a one-click action status,
carrying actions over, deleting, the importer, ``generate_meetings``'s COPY, raw SQL.
So triggers on the four tables the dashboard and the country pages read (meetings, their
countries, their topics, actions) keep the derived tables, in the same transaction as
the write; no write path can forget them.

- ``Engagement``: one row per meeting and country where it took place or that took part,
  with the meeting's date (``models.Engagement``).
- The tallies (``models.MeetingTally`` and its siblings): meetings per marking, month,
  kind and status; participant countries and topics of held meetings per marking and
  month; open actions per marking and due date. A write appends its +1 and -1 rows
  (never updating a shared row, so concurrent saves neither wait nor deadlock); a count
  is the sum of its key's rows, and ``fold`` sums them into one row per key.

The same statements serve both databases: on PostgreSQL they run once per statement over
its transition tables (so a COPY of 50,000 rows costs a few set-based inserts), on SQLite
once per row over ``NEW`` and ``OLD``. ``rebuild`` recomputes everything from the records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import connections, transaction

from meetings.models import (
    Action,
    ActionTally,
    CountryTally,
    Meeting,
    MeetingCountry,
    MeetingTally,
    TopicTally,
)

HELD = f"'{Meeting.Status.HELD}'"
PARTICIPANT = f"'{MeetingCountry.Role.PARTICIPANT}'"
OPEN = "(" + ", ".join(f"'{status}'" for status in Action.OPEN_STATUSES) + ")"

# The columns each trigger reads from the rows written, by table.
COLUMNS = {
    "meetings_meeting": ("id", "classification", "start_date", "kind", "status", "country"),
    "meetings_meetingcountry": ("meeting_id", "country", "role"),
    "meetings_meetingtopic": ("meeting_id", "topic_id"),
    "meetings_action": ("meeting_id", "status", "due_date"),
}


@dataclass(frozen=True)
class Dialect:
    vendor: str

    def month(self, day: str) -> str:
        """The first day of ``day``'s month."""
        if self.vendor == "postgresql":
            return f"({day} - (EXTRACT(DAY FROM {day})::int - 1))"
        return f"date({day}, 'start of month')"

    @property
    def no_due_date(self) -> str:
        day = ActionTally.NO_DUE_DATE.isoformat()
        return f"DATE '{day}'" if self.vendor == "postgresql" else f"'{day}'"

    def rows(self, table: str, which: str) -> str:
        """The rows a statement wrote, as a relation: ``which`` is ``new`` or ``old``."""
        if self.vendor == "postgresql":
            return f"{which}_rows"
        columns = ", ".join(f"{which.upper()}.{c} AS {c}" for c in COLUMNS[table])
        return f"(SELECT {columns})"


# What one row of a source table adds to a tally, as (key columns..., n). ``{rows}`` is
# the relation of written rows (or the whole table, for a rebuild), ``{sign}`` 1 or -1.
TALLY_KEYS = {
    MeetingTally: ("classification", "month", "kind", "status"),
    CountryTally: ("classification", "month", "country"),
    TopicTally: ("classification", "month", "topic_id"),
    ActionTally: ("classification", "due_date"),
}
CONTRIBUTIONS = {
    # (tally, source table): the query
    (MeetingTally, "meetings_meeting"): (
        "SELECT r.classification AS classification, {month_r} AS month, r.kind AS kind, "
        "r.status AS status, {sign} AS n FROM {rows} r"
    ),
    (CountryTally, "meetings_meeting"): (
        "SELECT r.classification AS classification, {month_r} AS month, c.country AS country, {sign} AS n "
        "FROM {rows} r JOIN meetings_meetingcountry c ON c.meeting_id = r.id "
        f"WHERE r.status = {HELD} AND c.role = {PARTICIPANT}"
    ),
    (CountryTally, "meetings_meetingcountry"): (
        "SELECT m.classification AS classification, {month_m} AS month, r.country AS country, {sign} AS n "
        "FROM {rows} r JOIN meetings_meeting m ON m.id = r.meeting_id "
        f"WHERE m.status = {HELD} AND r.role = {PARTICIPANT}"
    ),
    (TopicTally, "meetings_meeting"): (
        "SELECT r.classification AS classification, {month_r} AS month, t.topic_id AS topic_id, {sign} AS n "
        f"FROM {{rows}} r JOIN meetings_meetingtopic t ON t.meeting_id = r.id WHERE r.status = {HELD}"
    ),
    (TopicTally, "meetings_meetingtopic"): (
        "SELECT m.classification AS classification, {month_m} AS month, r.topic_id AS topic_id, {sign} AS n "
        f"FROM {{rows}} r JOIN meetings_meeting m ON m.id = r.meeting_id WHERE m.status = {HELD}"
    ),
    (ActionTally, "meetings_meeting"): (
        "SELECT r.classification AS classification, COALESCE(a.due_date, {no_due}) AS due_date, {sign} AS n "
        f"FROM {{rows}} r JOIN meetings_action a ON a.meeting_id = r.id WHERE a.status IN {OPEN}"
    ),
    (ActionTally, "meetings_action"): (
        "SELECT m.classification AS classification, COALESCE(r.due_date, {no_due}) AS due_date, {sign} AS n "
        f"FROM {{rows}} r JOIN meetings_meeting m ON m.id = r.meeting_id WHERE r.status IN {OPEN}"
    ),
}


def contribution(d: Dialect, tally, table: str, rows: str, sign: int) -> str:
    return CONTRIBUTIONS[tally, table].format(
        rows=rows,
        sign=sign,
        month_r=d.month("r.start_date"),
        month_m=d.month("m.start_date"),
        no_due=d.no_due_date,
    )


def tally_insert(tally, parts: list[str], *, folded: bool = False, taking_away: bool = False) -> str:
    """One insert of the summed changes to ``tally``; keys whose changes cancel add nothing.

    A delete (``taking_away``) only takes away what was counted, so nothing from an empty
    tally: emptying the database (SQLite deletes table by table, in no set order) then
    leaves no negative counts behind.
    """
    table, keys = tally._meta.db_table, ", ".join(TALLY_KEYS[tally])
    union = " UNION ALL ".join(parts)
    counted = f" AND EXISTS (SELECT 1 FROM {table})" if taking_away else ""
    return (
        f"INSERT INTO {table} ({keys}, n, folded) "
        f"SELECT {keys}, SUM(n), {'TRUE' if folded else 'FALSE'} FROM ({union}) d "
        f"GROUP BY {keys} HAVING SUM(n) <> 0{counted}"
    )


# -- the country index ------------------------------------------------------------------------

ENGAGED = (
    "(EXISTS (SELECT 1 FROM meetings_meeting em WHERE em.id = {m} AND em.country = {c}) "
    "OR EXISTS (SELECT 1 FROM meetings_meetingcountry ec WHERE ec.meeting_id = {m} AND ec.country = {c} "
    f"AND ec.role = {PARTICIPANT}))"
)


def engagement_pairs(table: str, rows: str) -> str:
    """The (meeting, country) pairs that written rows may have made or unmade."""
    if table == "meetings_meeting":
        return f"SELECT r.id AS meeting_id, r.country AS country FROM {rows} r WHERE r.country <> ''"
    return f"SELECT r.meeting_id AS meeting_id, r.country AS country FROM {rows} r"


def engagement_sync(pairs: list[str], event: str) -> list[str]:
    """Make the index right for these pairs, from the records as they now stand: an insert
    can only add pairs, a delete only remove them."""
    union = " UNION ".join(pairs)
    remove = (
        "DELETE FROM meetings_engagement WHERE (meeting_id, country) IN "
        f"(SELECT meeting_id, country FROM ({union}) p) AND NOT "
        + ENGAGED.format(m="meetings_engagement.meeting_id", c="meetings_engagement.country")
    )
    add = (
        "INSERT INTO meetings_engagement (meeting_id, country, start_date) "
        f"SELECT p.meeting_id, p.country, m.start_date FROM ({union}) p "
        "JOIN meetings_meeting m ON m.id = p.meeting_id WHERE "
        + ENGAGED.format(m="p.meeting_id", c="p.country")
        + " ON CONFLICT (meeting_id, country) DO NOTHING"
    )
    return {"INSERT": [add], "DELETE": [remove]}.get(event, [remove, add])


# -- triggers -----------------------------------------------------------------------------------

TALLIES_BY_TABLE = {
    "meetings_meeting": (MeetingTally, CountryTally, TopicTally, ActionTally),
    "meetings_meetingcountry": (CountryTally,),
    "meetings_meetingtopic": (TopicTally,),
    "meetings_action": (ActionTally,),
}
EVENTS = ("INSERT", "UPDATE", "DELETE")


def statements(d: Dialect, table: str, event: str) -> list[str]:
    """What the trigger on ``table`` for ``event`` runs."""
    new, old = d.rows(table, "new"), d.rows(table, "old")
    sides = {"INSERT": [(new, 1)], "UPDATE": [(old, -1), (new, 1)], "DELETE": [(old, -1)]}[event]
    result = []
    for tally in TALLIES_BY_TABLE[table]:
        if table == "meetings_meeting" and event == "INSERT" and tally is not MeetingTally:
            continue  # a new meeting has no rows of its own yet
        parts = [contribution(d, tally, table, rows, sign) for rows, sign in sides]
        result.append(tally_insert(tally, parts, taking_away=event == "DELETE"))
    if table == "meetings_meeting":
        if event == "UPDATE":
            result.append(
                "UPDATE meetings_engagement SET start_date = (SELECT m.start_date FROM meetings_meeting m "
                "WHERE m.id = meetings_engagement.meeting_id) WHERE meeting_id IN "
                f"(SELECT n.id FROM {new} n JOIN {old} o ON o.id = n.id WHERE o.start_date <> n.start_date)"
            )
        if event == "DELETE":
            result.append(f"DELETE FROM meetings_engagement WHERE meeting_id IN (SELECT r.id FROM {old} r)")
        elif event == "INSERT":
            result += engagement_sync([engagement_pairs(table, new)], event)
        else:  # only a meeting whose place changed gains or loses a country
            moved = f"{new} n JOIN {old} o ON o.id = n.id WHERE o.country <> n.country"
            pairs = [
                f"SELECT o.id AS meeting_id, o.country AS country FROM {moved} AND o.country <> ''",
                f"SELECT n.id AS meeting_id, n.country AS country FROM {moved} AND n.country <> ''",
            ]
            result += engagement_sync(pairs, event)
    elif table == "meetings_meetingcountry":
        result += engagement_sync([engagement_pairs(table, rows) for rows, _ in sides], event)
    return result


def trigger_name(table: str, event: str) -> str:
    return f"{table}_derived_{event.lower()}"


# SQLite rebuilds a table to change it (a new table, the old one dropped, the new renamed):
# dropping takes the table's triggers with it, and the rename fails on triggers elsewhere
# that name it. So on SQLite the triggers are taken down before migrations run and put back,
# with the tables rebuilt from the records, after them (``before_migrate``, ``after_migrate``).
_migrating: set[str] = set()


def before_migrate(using: str = "default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor == "sqlite":
        _migrating.add(using)
        with connection.cursor() as cursor:
            for sql in drop_sql("sqlite"):
                cursor.execute(sql)


def after_migrate(using: str = "default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    _migrating.discard(using)
    if "meetings_engagement" not in connection.introspection.table_names():
        return  # migrated back before the derived tables
    with connection.cursor() as cursor:
        for sql in drop_sql("sqlite") + create_sql("sqlite"):
            cursor.execute(sql)
    rebuild(connection)


def create_sql(vendor: str, using: str = "default") -> list[str]:
    if vendor == "sqlite" and using in _migrating:
        return []  # installed by after_migrate, once the migrations have run
    d = Dialect(vendor)
    sql = []
    for table in TALLIES_BY_TABLE:
        for event in EVENTS:
            name = trigger_name(table, event)
            body = "".join(f"{statement};\n" for statement in statements(d, table, event))
            if vendor == "postgresql":
                tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
                    event, "OLD TABLE AS old_rows NEW TABLE AS new_rows"
                )
                sql.append(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    f"BEGIN\n{body}RETURN NULL;\nEND\n$$"
                )
                sql.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
                )
            else:
                sql.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN\n{body}END")
    return sql


def drop_sql(vendor: str) -> list[str]:
    sql = []
    for table in TALLIES_BY_TABLE:
        for event in EVENTS:
            name = trigger_name(table, event)
            if vendor == "postgresql":
                sql += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
            else:
                sql.append(f"DROP TRIGGER IF EXISTS {name}")
    return sql


# -- rebuilding and folding -------------------------------------------------------------------

TALLIES = (MeetingTally, CountryTally, TopicTally, ActionTally)
# Each tally from the records: from the table whose rows it counts.
REBUILD_FROM = {
    MeetingTally: "meetings_meeting",
    CountryTally: "meetings_meetingcountry",
    TopicTally: "meetings_meetingtopic",
    ActionTally: "meetings_action",
}


def rebuild(connection=default_connection) -> None:
    """Recompute the tallies and the country index from the records, in one transaction."""
    d = Dialect(connection.vendor)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for tally in TALLIES:
            cursor.execute(f"DELETE FROM {tally._meta.db_table}")
            table = REBUILD_FROM[tally]
            cursor.execute(tally_insert(tally, [contribution(d, tally, table, table, 1)], folded=True))
        cursor.execute("DELETE FROM meetings_engagement")
        cursor.execute(
            "INSERT INTO meetings_engagement (meeting_id, country, start_date) "
            "SELECT id, country, start_date FROM meetings_meeting WHERE country <> '' UNION "
            "SELECT c.meeting_id, c.country, m.start_date FROM meetings_meetingcountry c "
            f"JOIN meetings_meeting m ON m.id = c.meeting_id WHERE c.role = {PARTICIPANT}"
        )


def fold(connection=default_connection) -> None:
    """Sum each tally key's rows into one row: the counts stay the same, the rows fewer.

    Safe alongside writes and other folds: on PostgreSQL one statement deletes a key's
    rows and inserts their sum, so rows written meanwhile (not in its snapshot) stay as
    they are, and a row another fold deleted first is neither deleted nor summed again.
    SQLite has one writer at a time, and rows written later have higher ids. A key whose
    rows sum to nothing keeps a row of 0, so that a fold always moves ``version`` on.
    """
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for tally in TALLIES:
            table, keys = tally._meta.db_table, ", ".join(TALLY_KEYS[tally])
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"WITH pending AS (SELECT DISTINCT {keys} FROM {table} WHERE NOT folded), "
                    f"gone AS (DELETE FROM {table} t USING pending p WHERE "
                    + " AND ".join(f"t.{k} = p.{k}" for k in TALLY_KEYS[tally])
                    + f" RETURNING t.*) INSERT INTO {table} ({keys}, n, folded) "
                    f"SELECT {keys}, SUM(n), TRUE FROM gone GROUP BY {keys}"
                )
                continue
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            (last,) = cursor.fetchone()
            if last is None:
                continue
            pending = f"({keys}) IN (SELECT {keys} FROM {table} WHERE NOT folded AND id <= {int(last)})"
            cursor.execute(
                f"INSERT INTO {table} ({keys}, n, folded) SELECT {keys}, SUM(n), TRUE FROM {table} "
                f"WHERE id <= {int(last)} AND {pending} GROUP BY {keys}"
            )
            cursor.execute(f"DELETE FROM {table} WHERE id <= {int(last)} AND {pending}")


# Tallies hold this many unfolded rows at most before a dashboard view folds them.
FOLD_AFTER = 2_000


def fold_if_due(connection=default_connection) -> bool:
    """Fold the tallies once enough rows have been written since the last fold; whether it did.

    Counting stops at ``FOLD_AFTER`` rows a table and reads a partial index of unfolded rows.
    """
    parts = " + ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {tally._meta.db_table} WHERE NOT folded "
        f"LIMIT {FOLD_AFTER}) {tally._meta.db_table})"
        for tally in TALLIES
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        (unfolded,) = cursor.fetchone()
    if unfolded < FOLD_AFTER:
        return False
    fold(connection)
    return True


def version(connection=default_connection) -> tuple:
    """Changes whenever a count may have: each tally's newest row (writes only ever add rows)."""
    parts = ", ".join(f"(SELECT MAX(id) FROM {tally._meta.db_table})" for tally in TALLIES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())


# -- migrations on SQLite ---------------------------------------------------------------------
# SQLite changes a table (a check constraint added, say) by building a new one and renaming
# it into place, which fails while a trigger names the table. A migration that changes one
# of the tables above therefore starts with ``RunPython(*set_aside)`` and ends with
# ``RunPython(*put_back)``: on SQLite the triggers step aside meanwhile and come back with
# the derived tables rebuilt; PostgreSQL changes tables in place and needs neither.


def _set_aside(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for sql in drop_sql(connection.vendor):
            schema_editor.execute(sql)


def _put_back(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for sql in create_sql(connection.vendor):
            schema_editor.execute(sql)
        rebuild(connection)


set_aside = (_set_aside, _put_back)
put_back = (_put_back, _set_aside)
