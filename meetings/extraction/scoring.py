"""Precision and recall of the extractor, field by field, over the corpus in
tests/extraction_corpus (a text and a JSON file of the expected fields for each).

Two sets: the tuning set (the folder itself), which the rules were written against, and the
held-out set (its ``held_out`` folder), readouts from other publishers that are scored but
never used to change a rule: its figures are the honest estimate for a new text.

Used by ``bin/extraction-report`` and by the tests, which hold the targets on the tuning set.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from meetings.extraction import Draft, extract
from meetings.extraction.directory import Directory, demo_directory, name_tokens
from meetings.extraction.text import fold

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "extraction_corpus"
HELD_OUT = CORPUS / "held_out"
TODAY = datetime.date(2026, 11, 29)  # fixed, so that years inferred from weekdays do not drift
FIELDS = [
    "date",
    "place",
    "kind",
    "attendee names",
    "attendee countries",
    "attendee titles",
    "countries",
    "organisations",
    "topics",
    "actions",
    "action parties",
    "outcome",
]
TARGETS = {
    "date": 0.9,
    "place": 0.9,
    "kind": 0.9,
    "attendee names": 0.9,
    "attendee countries": 0.9,
    "topics": 0.8,
    "actions": 0.8,
}
PRECISION_TARGETS = {"topics": 0.8}


@dataclass
class Count:
    expected: int = 0
    proposed: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)
    # Proposals that matched an expected value, where one proposal can match two of them.
    proposed_correct: int | None = None

    @property
    def precision(self) -> float:
        right = self.correct if self.proposed_correct is None else self.proposed_correct
        return right / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def corpus(folder: Path = CORPUS) -> list[tuple[str, str, dict]]:
    """(name, text, expected) for every text of one set, in file order."""
    items = []
    for path in sorted(folder.glob("*.txt")):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        items.append((path.stem, path.read_text(encoding="utf-8"), expected))
    return items


def run(
    directory: Directory | None = None, folder: Path = CORPUS, timings: dict[str, float] | None = None
) -> tuple[dict[str, Count], dict[str, Draft]]:
    """The counts per field over one set, and each text's draft; ``timings`` gets the seconds
    of processor time each text took to read (what the reading costs, whatever else the
    machine is doing)."""
    directory = directory or demo_directory()
    counts = {name: Count() for name in FIELDS}
    drafts = {}
    for name, text, expected in corpus(folder):
        given = expected.get("reference_date")
        started = time.process_time()
        draft = extract(
            text,
            directory=directory,
            given_date=datetime.date.fromisoformat(given) if given else None,
            today=TODAY,
        )
        if timings is not None:
            timings[name] = time.process_time() - started
        drafts[name] = draft
        score(name, draft, expected, counts)
    return counts, drafts


def short_of_targets(counts: dict[str, Count]) -> list[str]:
    """The fields below their recall or precision target, as "topics recall 0.75"."""
    short = [f"{n} recall {counts[n].recall:.2f}" for n, t in TARGETS.items() if counts[n].recall < t]
    short += [
        f"{n} precision {counts[n].precision:.2f}"
        for n, t in PRECISION_TARGETS.items()
        if counts[n].precision < t
    ]
    return short


def _same_person(a: str, b: str) -> bool:
    x, y = name_tokens(a), name_tokens(b)
    return bool(x and y) and (x == y or (x[-1] == y[-1] and (set(x) <= set(y) or set(y) <= set(x))))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text).replace("defense", "defence")) if len(w) > 2}


def _same_topic(proposed: str, expected: str) -> bool:
    a, b = _words(proposed), _words(expected)
    return fold(proposed) == fold(expected) or (bool(a) and bool(b) and (a <= b or b <= a))


def _same_org(proposed: tuple[str, str], expected: str) -> bool:
    return fold(expected) in {fold(proposed[0]), fold(proposed[1])} - {""}


def _single(count: Count, name: str, proposed, expected, *, proposed_counts: bool = True) -> None:
    count.expected += 1
    if proposed_counts:
        count.proposed += 1
    if proposed == expected:
        count.correct += 1
    else:
        count.misses.append(f"{name}: {proposed!r} ≠ {expected!r}")


def score(name: str, draft: Draft, expected: dict, counts: dict[str, Count]) -> None:
    start = draft.start_date.value
    _single(
        counts["date"],
        name,
        start.isoformat() if start else None,
        expected["date"],
        proposed_counts=bool(start),
    )
    place = (draft.city.value, draft.country.value) if (draft.city.value or draft.country.value) else None
    wanted = (expected["place"]["city"], expected["place"]["country"]) if expected["place"] else None
    _single(counts["place"], name, place, wanted)
    _single(counts["kind"], name, draft.kind.value, expected["kind"])

    attendees = draft.attendees
    names, countries, titles = (
        counts["attendee names"],
        counts["attendee countries"],
        counts["attendee titles"],
    )
    names.proposed += len(attendees)
    countries.proposed += len(attendees)
    titles.proposed += sum(1 for a in attendees if a.title)
    for person in expected["attendees"]:
        names.expected += 1
        countries.expected += 1
        match = next((a for a in attendees if _same_person(a.name, person["name"])), None)
        if match is None:
            names.misses.append(f"{name}: {person['name']} not found")
            countries.misses.append(f"{name}: {person['name']} not found")
        else:
            names.correct += 1
            if match.country == person["country"]:
                countries.correct += 1
            else:
                countries.misses.append(f"{name}: {person['name']} {match.country!r} ≠ {person['country']!r}")
        if person.get("title"):
            titles.expected += 1
            if (
                match
                and match.title
                and (
                    _words(person["title"]) <= _words(match.title)
                    or _words(match.title) <= _words(person["title"])
                )
            ):
                titles.correct += 1
            else:
                titles.misses.append(
                    f"{name}: {person['name']} {match.title if match else None!r} ≠ {person['title']!r}"
                )

    _sets(counts["countries"], name, draft.countries, expected["countries"], lambda p, e: p == e)
    orgs = [(o.name, o.acronym) for o in draft.organisations]
    _sets(counts["organisations"], name, orgs, expected["organisations"], _same_org)
    _sets(counts["topics"], name, [t.name for t in draft.topics], expected["topics"], _same_topic)

    actions, parties = counts["actions"], counts["action parties"]
    actions.proposed += len(draft.actions)
    parties.proposed += len(draft.actions)
    matched = {
        id(a) for a in draft.actions for w in expected["actions"] if fold(w["match"]) in fold(a.description)
    }
    actions.proposed_correct = (actions.proposed_correct or 0) + len(matched)
    for wanted_action in expected["actions"]:
        actions.expected += 1
        parties.expected += 1
        match = next((a for a in draft.actions if fold(wanted_action["match"]) in fold(a.description)), None)
        if match is None:
            actions.misses.append(f"{name}: no action with “{wanted_action['match']}”")
            continue
        actions.correct += 1
        given = set(match.countries) | {fold(o) for o in match.organisation_names}
        given |= {fold(o.name) for o in match.organisations}
        wanted_parties = {p if re.fullmatch(r"[A-Z]{2}", p) else fold(p) for p in wanted_action["parties"]}
        if wanted_parties <= given and len(match.countries) + len(match.organisation_names) == len(
            wanted_parties
        ):
            parties.correct += 1
        else:
            parties.misses.append(
                f"{name}: “{wanted_action['match']}” parties {sorted(given)} ≠ {sorted(wanted_parties)}"
            )

    outcome = counts["outcome"]
    has = bool(draft.outcome.value)
    outcome.expected += int(bool(expected["outcome"]))
    outcome.proposed += int(has)
    if has and expected["outcome"]:
        outcome.correct += 1
    elif has != bool(expected["outcome"]):
        outcome.misses.append(f"{name}: outcome {'proposed' if has else 'missing'}")


def _sets(count: Count, name: str, proposed: list, expected: list, same) -> None:
    count.expected += len(expected)
    count.proposed += len(proposed)
    for wanted in expected:
        if any(same(p, wanted) for p in proposed):
            count.correct += 1
        else:
            count.misses.append(f"{name}: missing {wanted!r}")
    for p in proposed:
        if not any(same(p, wanted) for wanted in expected):
            count.misses.append(f"{name}: extra {p!r}")


def table(counts: dict[str, Count]) -> str:
    """The per-field table, in Markdown, as the README shows it."""
    lines = [
        "| field | expected | proposed | correct | precision | recall | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name in FIELDS:
        c = counts[name]
        targets = [f"recall {TARGETS[name]:.1f}"] if name in TARGETS else []
        if name in PRECISION_TARGETS:
            targets.append(f"precision {PRECISION_TARGETS[name]:.1f}")
        target = ", ".join(targets)
        cells = [name, c.expected, c.proposed, c.correct, f"{c.precision:.2f}", f"{c.recall:.2f}", target]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)
