"""The compact notation that carries a meeting's rows in one export cell, and back.

One item a line; the fields of an item separated by `` | ``; a field holding several
values (an action's responsible parties) separates them with ``;``. Inside a field a
backslash escapes: ``\\|`` is a bar, ``\\;`` a semicolon inside a list value, ``\\n`` a
line break and ``\\\\`` a backslash. Trailing empty fields may be left out::

    Aden Duale | Cabinet Secretary for Defence | Ministry of Defence · Kenya | Kenya | Host
    James Heapey | Minister for the Armed Forces | Ministry of Defence (MOD) · United Kingdom | GB
"""

from __future__ import annotations

from collections.abc import Iterable

FIELD, LIST, LINE = "|", ";", "\n"


def _escape(value: str, *, in_list: bool = False) -> str:
    value = value.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "\\n")
    return value.replace(";", "\\;") if in_list else value


def encode_item(*fields: str | Iterable[str]) -> str:
    """One line: plain fields as they are, lists of values joined by ``; ``; trailing blanks dropped."""
    parts = [
        _escape(field) if isinstance(field, str) else "; ".join(_escape(v, in_list=True) for v in field)
        for field in fields
    ]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def encode_items(items: Iterable[str]) -> str:
    return LINE.join(items)


def decode_item(line: str) -> list[list[str]]:
    """The fields of one line, each as the list of its ``;``-separated values (unstripped)."""
    fields: list[list[str]] = [[""]]
    chars = iter(line)
    for char in chars:
        if char == "\\":
            following = next(chars, "\\")
            fields[-1][-1] += "\n" if following == "n" else following
        elif char == FIELD:
            fields.append([""])
        elif char == LIST:
            fields[-1].append("")
        else:
            fields[-1][-1] += char
    return fields


class Item:
    """A decoded line, read field by field: ``item.text(0)``, ``item.values(3)``."""

    def __init__(self, line: str, number: int = 1):
        self.raw, self.number = line.strip(), number
        self.fields = decode_item(line)

    def text(self, index: int) -> str:
        """A plain field: a semicolon in it is part of the text."""
        if index >= len(self.fields):
            return ""
        return LIST.join(self.fields[index]).strip()

    def values(self, index: int) -> list[str]:
        if index >= len(self.fields):
            return []
        return [value.strip() for value in self.fields[index] if value.strip()]


def decode_items(cell: str) -> list[Item]:
    """The non-blank lines of a cell, each knowing its line number (from 1)."""
    lines = cell.replace("\r\n", "\n").split("\n")
    return [Item(line, number) for number, line in enumerate(lines, 1) if line.strip()]


def split_list(cell: str) -> list[str]:
    """A cell of names separated by semicolons, e.g. the Countries or Topics column."""
    return [value.strip() for value in cell.split(LIST) if value.strip()]
