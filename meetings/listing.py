"""The one list mechanism every list page is built on.

A list view declares its model, filter, table and the relations its table shows; this
base does the rest once: access (everything starts from ``visible_to``), filtering,
sorting, paging with a chosen page size, htmx refresh of the results only, column
choice remembered per person, and export of the filtered, sorted view.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterator

from django.db.models import Count, Max, Value
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.utils import Accessor

from meetings.audit import record as audit
from meetings.formats import FORMATS
from meetings.models import ListPreference
from meetings.pagination import CappedPaginator
from meetings.rows import ListRow

PAGE_SIZES = (10, 25, 50, 100)
# An XLSX export is written to a temporary file, in memory up to this size, then sent.
XLSX_IN_MEMORY_BYTES = 8 * 1024 * 1024


class ListPaginator(CappedPaginator):
    """Keeps the page size to the offered sizes, whatever the address asks for; counts
    no further than 1,000 rows and reaches deep pages through their ids (see pagination).
    """

    def __init__(self, object_list, per_page, *args, **kwargs):
        per_page = min(PAGE_SIZES, key=lambda size: abs(size - int(per_page)))
        super().__init__(object_list, per_page, *args, **kwargs)


class RecordListView(SingleTableMixin, FilterView):
    template_name = "lists/record_list.html"
    results_template_name = "lists/results.html"
    # Paging is the table's alone (FilterView would otherwise page and count a second time).
    table_pagination = {"per_page": 25}
    paginator_class = ListPaginator
    strict = False

    # Declared by each list.
    title: str = ""
    list_name: str = ""
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()
    marking_accessor: str | None = None  # where a row's classification marking is
    export_prefetch_related: tuple = ()  # what the table's export-only columns read
    # (queryset, column names) → rows of plain values, for a list whose rows are costly to
    # build through the table (see meetings/exports.py); the table's cells otherwise.
    export_builder: Callable | None = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        if self.export_format and self.export_prefetch_related:
            queryset = queryset.prefetch_related(*self.export_prefetch_related)
        return queryset

    # Columns -------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        """Remember the columns the person chose for this list, then show it."""
        known = set(self.table_class.Meta.sequence)
        columns = [name for name in request.POST.getlist("columns") if name in known]
        ListPreference.objects.update_or_create(
            user=request.user, list_name=self.list_name, defaults={"columns": columns}
        )
        return self.get(request, *args, **kwargs)

    def chosen_columns(self) -> list[str] | None:
        """The columns this person chose for this list, or None for the defaults."""
        preference = ListPreference.objects.filter(user=self.request.user, list_name=self.list_name).first()
        return preference.columns if preference else None

    def get_table_kwargs(self) -> dict:
        if self.export_format:
            return {"exclude": ()}  # an export carries every column, so that it imports back whole
        meta = self.table_class.Meta
        chosen = self.chosen_columns()
        names = list(meta.sequence)
        if chosen is None:
            hidden = set(meta.default_hidden)
        else:
            hidden = {name for name in names if name not in chosen}
        hidden -= set(meta.always_visible)
        return {"exclude": tuple(hidden)}

    def get_table_pagination(self, table):
        if self.export_format:
            return False
        return super().get_table_pagination(table)

    # Responses -----------------------------------------------------------------

    @property
    def export_format(self) -> str | None:
        value = self.request.GET.get("export")
        return value if value in FORMATS else None

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and htmx.target == "list-results" and not htmx.history_restore_request:
            return [self.results_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        table = context["table"]
        meta = self.table_class.Meta
        visible = {column.name for column in table.columns}
        context.update(
            title=self.title,
            page_sizes=PAGE_SIZES,
            column_choices=[
                (
                    name,
                    str(table.columns[name].header) if name in visible else self._header(name),
                    name in visible,
                )
                for name in meta.sequence
                if name not in meta.always_visible
            ],
            filtered=any(value for key, value in self.request.GET.items() if key in self.filterset.filters),
            export_formats=list(FORMATS),
            page_marking=self.page_marking(table),
        )
        return context

    def _header(self, name: str) -> str:
        column = self.table_class.base_columns[name]
        if column.verbose_name:
            return str(column.verbose_name)
        try:
            return str(self.model._meta.get_field(name).verbose_name).capitalize()
        except Exception:
            return name.replace("_", " ").capitalize()

    def page_marking(self, table) -> int:
        if not self.marking_accessor or not hasattr(table, "page"):
            return 0
        accessor = Accessor(self.marking_accessor)
        markings = (accessor.resolve(row.record) for row in table.page.object_list)
        return max((marking for marking in markings if marking is not None), default=0)

    def render_to_response(self, context, **response_kwargs):
        if self.export_format:
            return self.export(context["table"], self.export_format)
        return super().render_to_response(context, **response_kwargs)

    # Export --------------------------------------------------------------------

    def export_rows(self, table) -> Iterator[list]:
        """The header, then one row of plain values per record, fetched in chunks."""
        columns = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
        yield [str(column.header) for column in columns]
        if self.export_builder:
            yield from type(self).export_builder(table.data.data, [column.name for column in columns])
            return
        # Chunks of 500: with each record's rows prefetched, memory stays flat and low.
        for record in table.data.data.iterator(chunk_size=500):
            row = ListRow(record, table=table)
            yield [_plain(row.get_cell_value(column.name)) for column in columns]

    def audit_export(self, table, fmt: str) -> None:
        """Records who exported what: the list, its filters, the rows and their highest marking."""
        if not self.marking_accessor and not audit.reads_from_lowest():
            return  # nothing in this list carries a marking, so none would be recorded
        queryset = table.data.data.order_by()
        found = queryset.aggregate(rows=Count("pk"), marking=Max(self.marking_accessor or Value(0)))
        limit = FORMATS[fmt].max_rows
        rows = min(found["rows"], limit) if limit else found["rows"]
        filters = {
            key: values if len(values) > 1 else values[0]
            for key, values in self.request.GET.lists()
            if key in self.filterset.filters and any(values)
        }
        audit.export(
            self.request,
            list_name=self.list_name,
            filters=filters,
            rows=rows,
            marking=found["marking"] or 0,
            fmt=fmt,
        )

    def export(self, table, fmt: str) -> HttpResponse:
        self.audit_export(table, fmt)
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        filename = f"{slugify(self.title)}-{stamp}.{fmt}"
        disposition = f'attachment; filename="{filename}"'
        rows, form = self.export_rows(table), FORMATS[fmt]
        if form.streams:
            response = StreamingHttpResponse(form.write(rows), content_type=form.content_type)
        else:
            # Written row by row to a temporary file, then sent from it: memory stays flat.
            file = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)  # noqa: SIM115 (FileResponse closes it)
            form.write(rows, file)
            file.seek(0)
            response = FileResponse(file, content_type=form.content_type)
        response["Content-Disposition"] = disposition
        return response


def _plain(value):
    """A value as a spreadsheet or JSON wants it: dates as ISO text, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
    return str(value)
