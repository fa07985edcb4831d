"""What an import did, or would do: every refused value, and each row's record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

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


@dataclass
class ImportReport:
    kind: str
    file_format: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False
    marking: int = 0  # the highest classification marking among the rows, for the page banner

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
