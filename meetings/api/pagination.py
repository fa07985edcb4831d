"""Paging and sorting of API lists, with the lists' own parameter names (page, per_page, sort)."""

from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination

from meetings.listing import PAGE_SIZES
from meetings.pagination import with_unique_order


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = max(PAGE_SIZES)


class Ordering(OrderingFilter):
    """``sort=title`` or ``sort=-start_date``; ties broken by id, so that pages never overlap."""

    ordering_description = "Sort by this field; a leading minus sorts in descending order."

    def filter_queryset(self, request, queryset, view):
        return with_unique_order(super().filter_queryset(request, queryset, view))
