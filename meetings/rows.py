"""Table rows that read each cell function's signature once, not once per cell.

django-tables2 calls a column's ``render``/``value`` with the arguments it asks for, and
finds out which by ``inspect.signature`` on every cell: most of the time a page of 100
rows spends in Python, and every row of a 100,000-row export. The functions are the
tables' own methods and columns, a small fixed set, so their signatures are kept.
"""

from __future__ import annotations

import functools

from django_tables2 import Column
from django_tables2.rows import BoundRow
from django_tables2.utils import signature


@functools.cache
def _parameters(function) -> tuple[tuple[str, ...], bool]:
    """The argument names of ``function`` (``self`` left out) and whether it takes ``**kwargs``."""
    names, catch_all = signature(function)
    return tuple(name for name in names if name != "self"), catch_all is not None


def call_with_arguments(function, available: dict):
    """Call ``function`` with the arguments it names from ``available`` (None if one is missing)."""
    names, takes_all = _parameters(getattr(function, "__func__", function))
    if takes_all:
        return function(**available)
    if any(name not in available for name in names):
        return None
    return function(**{name: available[name] for name in names})


class ListRow(BoundRow):
    def _call_render(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        content = call_with_arguments(bound_column.render, arguments)
        return bound_column.link(content, **arguments) if bound_column.link else content

    def _call_value(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        if getattr(bound_column.value, "__func__", None) is Column.value:
            # Column.value calls render the uncached way; call render directly instead.
            return call_with_arguments(bound_column.column.render, arguments)
        return call_with_arguments(bound_column.value, arguments)
