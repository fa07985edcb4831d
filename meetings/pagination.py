"""Paging that stays fast on a million rows: a capped count, and deep pages without a deep scan.

An exact ``COUNT(*)`` over hundreds of thousands of matches costs more than the page
itself, and nobody reads "412,337" differently from "more than 1,000": a person who
sees that narrows the filters. So the list counts at most ``COUNT_LIMIT`` rows and says
"more than 1,000" beyond that. Counting up to a limit costs in proportion to the limit:
a filter matching 2% of a million meetings reads 50,000 rows to count 1,000 of them and
half the table to count 10,000. Pages past the limit are still reachable (the page is
fetched, with one row more to know whether another page follows). A deep page
(``OFFSET`` in the hundreds of thousands) first finds the ids of its rows alone, which
an index-only scan answers, and then fetches just those rows (a "deferred join"),
instead of reading every skipped row in full.
"""

from __future__ import annotations

import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import QuerySet
from django_tables2.paginators import LazyPaginator

from meetings.rows import ListRow

COUNT_LIMIT = 1_000
# From this offset on, a page is fetched by its ids first (see the module docstring).
DEFERRED_JOIN_OFFSET = 1_000
MAX_PAGE = 10**12


def with_unique_order(queryset: QuerySet) -> QuerySet:
    """The queryset ordered as it is, then by primary key, so that pages never overlap.

    The key goes in the direction of the last sort column, which lets one index on
    ``(column, id)`` serve both directions.
    """
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if not ordering:
        return queryset.order_by("pk")
    names = {str(term).lstrip("-") for term in ordering if isinstance(term, str)}
    if names & {"pk", "id"}:
        return queryset
    last = ordering[-1]
    descending = isinstance(last, str) and last.startswith("-")
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


def capped_count(queryset: QuerySet, limit: int) -> int:
    """The number of rows, counting no further than ``limit + 1``."""
    return queryset.order_by().values("pk")[: limit + 1].count()


class CappedPaginator(LazyPaginator):
    """A django-tables2 paginator that counts no further than ``count_limit`` rows.

    ``count`` is exact when ``count_is_exact``; otherwise it is only known to be larger
    than ``count_limit``, and the page says so. The last page of any list knows its exact
    count without counting.
    """

    count_limit = COUNT_LIMIT

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count: int | None = None
        self.count_is_exact = True

    def _queryset(self) -> QuerySet | None:
        """The queryset behind django-tables2's rows, if there is one."""
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        return queryset if isinstance(queryset, QuerySet) else None

    def _count_rows(self, limit: int) -> int:
        queryset = self._queryset()
        if queryset is None:
            return min(len(self.object_list), limit + 1)
        return capped_count(queryset, limit)

    def _known(self, count: int, *, exact: bool) -> None:
        self._count, self.count_is_exact = count, exact

    @property
    def count(self) -> int:
        if self._count is None:
            counted = self._count_rows(self.count_limit)
            self._known(counted, exact=counted <= self.count_limit)
        return self._count

    @property
    def num_pages(self) -> int:
        if self._num_pages is None:
            count = self.count
            if not self.count_is_exact:
                # Asked for a page past the end of a long list: count up to that page.
                count = self._count_rows(max(self.count_limit, (self._requested - 1) * self.per_page))
                self._known(count, exact=True)
            self._num_pages = self._final_num_pages = max(1, math.ceil(count / self.per_page))
        return self._num_pages

    def validate_number(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        # Past any real list, and small enough that its offset fits the database's integers.
        return min(number, MAX_PAGE)

    def _fetch(self, bottom: int, size: int) -> list[ListRow]:
        queryset = self._queryset()
        if queryset is None:
            return list(self.object_list[bottom : bottom + size])
        queryset = with_unique_order(queryset)
        if bottom >= DEFERRED_JOIN_OFFSET:
            # Two short queries instead of one long one: the ids, from the index alone, then their rows.
            ids = list(queryset.values_list("pk", flat=True)[bottom : bottom + size])
            records = list(queryset.filter(pk__in=ids)) if ids else []
        else:
            records = list(queryset[bottom : bottom + size])
        return [ListRow(record, table=self.object_list.table) for record in records]

    _requested = 1

    def page(self, number) -> Page:
        number = self._requested = self.validate_number(number or 1)
        bottom = (number - 1) * self.per_page
        rows = self._fetch(bottom, self.per_page + 1)
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        self._num_pages = self._final_num_pages = None
        if bottom < self.count_limit:
            # Counted (up to the limit) even when this page shows the end, so that a list
            # costs the same number of queries however many rows it holds.
            count = self.count
            if self.count_is_exact:
                self._num_pages = self._final_num_pages = max(1, math.ceil(count / self.per_page))
            else:
                self._num_pages = max(number + 1, math.ceil(count / self.per_page))
        elif not more:
            # The last page of a long list: its exact count comes for free.
            self._known(bottom + len(rows), exact=True)
            self._num_pages = self._final_num_pages = number
        else:
            # Deep in a long list: more rows follow, so the count is only known to exceed the limit.
            self._known(bottom + len(rows) + 1, exact=False)
            self._num_pages = number + 1
        return Page(rows, number, self)
