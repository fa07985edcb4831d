"""What an import did, or would do: every refused value, and each row's record."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps

KINDS = {"meetings": "Meetings", "people": "People", "organizations": "Organisations"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class Outcome:
    """One row's record: created, updated (empty fields filled in) or matched (left as it was)."""

    row: int
    action: str
    label: str
    url: str = ""
    changes: list[str] = field(default_factory=list)  # fields filled in on a matched record
    references: list[tuple[str, str, str]] = field(default_factory=list)  # (new|matched, what, label)
    record: tuple[str, int] | None = None  # (model label, pk) of the linked record

    def link(self, record) -> None:
        """Link the row to ``record``'s page (kept only if the record still exists at the end)."""
        self.url, self.record = record.get_absolute_url(), (record._meta.label, record.pk)


@dataclass
class ImportReport:
    kind: str
    file_format: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False
    rows_written: int = 0  # rows whose records are in the database (a real run)
    marking: int = 0  # the highest classification marking among the rows, for the page banner
    failure: str = ""  # why the work stopped before the end, if it broke

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(outcome.action for outcome in self.outcomes)
        return {action: counted[action] for action in ("created", "updated", "matched")}

    @property
    def new_references(self) -> dict[str, list[str]]:
        """Records that rows refer to and that the import creates, by kind, each once."""
        found: dict[str, list[str]] = {}
        for outcome in self.outcomes:
            for state, what, label in outcome.references:
                if state == "new" and label not in found.setdefault(what, []):
                    found[what].append(label)
        return found

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})

    def unlink_missing(self) -> None:
        """Drop links to records that do not exist (made by a dry run, then rolled back)."""
        linked: dict[str, set[int]] = {}
        for outcome in self.outcomes:
            if outcome.record:
                linked.setdefault(outcome.record[0], set()).add(outcome.record[1])
        existing = {
            (label, pk)
            for label, pks in linked.items()
            for pk in apps.get_model(label)._base_manager.filter(pk__in=pks).values_list("pk", flat=True)
        }
        for outcome in self.outcomes:
            if outcome.record and tuple(outcome.record) not in existing:
                outcome.url, outcome.record = "", None

    # Kept with the import run between the worker and the page.

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        data = dict(data)
        data["errors"] = [RowError(**error) for error in data.get("errors", [])]
        data["outcomes"] = [
            Outcome(
                **{
                    **outcome,
                    "references": [tuple(reference) for reference in outcome["references"]],
                    "record": tuple(outcome["record"]) if outcome.get("record") else None,
                }
            )
            for outcome in data.get("outcomes", [])
        ]
        return cls(**data)
