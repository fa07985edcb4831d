"""Paging and sorting of API lists, with the lists' own parameter names (page, per_page, sort).

Each parameter is typed in the schema and refused (400, naming it) when it is not what the
schema says; a page past the last is a 404.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination

from meetings.listing import PAGE_SIZES
from meetings.pagination import with_unique_order


def _whole_number(request, name: str, *, maximum: int | None = None) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) < 1 or (maximum and int(value) > maximum):
        limit = f" from 1 to {maximum}" if maximum else " from 1"
        raise ValidationError({name: [f"Expected a whole number{limit}."]})
    return int(value)


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = max(PAGE_SIZES)
    # Deeper than any list goes, and small enough for every database's integers.
    max_page = 2**31

    def get_page_size(self, request) -> int:
        return (
            _whole_number(request, self.page_size_query_param, maximum=self.max_page_size) or self.page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        _whole_number(request, self.page_query_param, maximum=self.max_page)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "The page, from 1; past the last page is a 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Records per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class Ordering(OrderingFilter):
    """``sort=title`` or ``sort=-start_date``; ties broken by id, so that pages never overlap."""

    ordering_description = "Sort by this field; a leading minus sorts in descending order."

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if value is not None and value not in self.allowed(view):
            raise ValidationError(
                {self.ordering_param: [f"Sort by one of: {', '.join(self.allowed(view))}."]}
            )
        return super().get_ordering(request, queryset, view)

    def filter_queryset(self, request, queryset, view):
        return with_unique_order(super().filter_queryset(request, queryset, view))

    @staticmethod
    def allowed(view) -> list[str]:
        return [value for name in view.ordering_fields for value in (name, f"-{name}")]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "in": "query",
                "required": False,
                "description": self.ordering_description,
                "schema": {"type": "string", "enum": self.allowed(view)},
            }
        ]
