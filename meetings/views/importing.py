"""Bulk import, in two steps: upload and read the dry run, then confirm.

The upload is checked as a file in the request (type, size, limits, columns) and kept as
an ``ImportRun``; the dry run and then the import run on the task worker, and the run's
page shows their progress, then the report. A run belongs to the person who uploaded it:
anyone else gets 404, and no path ever comes from the browser.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.forms import StyledFormMixin
from meetings.importing import (
    KINDS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportReport,
    UnreadableFile,
    detect_kind,
    read_table,
)
from meetings.models import ImportRun
from meetings.tasks import run_import
from meetings.views.editing import editor_required

LIST_OF_KIND = {"meetings": "meeting-list", "people": "person-list", "organizations": "organization-list"}
# A run still waiting this long for the worker says so, with what to check.
WAITING_HINT_SECONDS = 20


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        help_text=(
            f"CSV, XLSX or JSON, at most {MAX_IMPORT_BYTES // 1024 // 1024} MB and "
            f"{MAX_IMPORT_ROWS:,} rows: an export of a list, or a file with the same columns."
        ),
        error_messages={"required": "Choose a file to import."},
    )
    kind = forms.ChoiceField(
        label="Records in the file",
        choices=[("", "Tell from the columns"), *KINDS.items()],
        required=False,
    )
    create_topics = forms.BooleanField(
        label="Create topics that are not recorded yet",
        required=False,
        help_text="Otherwise a topic the app does not know is reported as a problem.",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_IMPORT_BYTES:
            self.add_error(
                "file",
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into smaller files.",
            )
            return data
        self.content = upload.read()
        try:
            self.table = read_table(upload.name, self.content)
        except UnreadableFile as error:
            self.add_error("file", str(error))
            return data
        data["kind"] = data.get("kind") or detect_kind(self.table)
        if not data["kind"]:
            self.add_error(
                "kind",
                "The columns do not say which records these are: choose meetings, people or organisations.",
            )
        return data


@editor_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a readable file becomes a run whose dry run is queued at once."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 422 if form.is_bound else 200
        return render(request, "meetings/import.html", {"form": form}, status=status)
    ImportRun.objects.filter(created_at__lt=timezone.now() - ImportRun.KEPT_FOR).delete()
    data = form.cleaned_data
    run = ImportRun.objects.create(
        user=request.user,
        file_name=data["file"].name,
        content=form.content,
        kind=data["kind"],
        create_topics=data["create_topics"],
        rows=len(form.table.rows),
    )
    run_import.enqueue(str(run.pk))
    return redirect(run)


def _own_run(request: HttpRequest, pk) -> ImportRun:
    return get_object_or_404(ImportRun.objects.defer("content"), pk=pk, user=request.user)


@editor_required
@require_GET
def import_run(request: HttpRequest, pk) -> HttpResponse:
    """A run's progress while the worker has it; its report once done. The progress part
    asks again every second (htmx) until the work is done."""
    run = _own_run(request, pk)
    report = ImportReport.from_json(run.report) if run.report else None
    if run.stage == ImportRun.Stage.IMPORTED and request.htmx:
        counts = report.counts
        messages.success(
            request,
            f"Imported {run.file_name}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['matched']} already recorded.",
        )
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse(LIST_OF_KIND[run.kind])
        return response
    waited = (timezone.now() - run.updated_at).total_seconds()
    context = {
        "run": run,
        "report": report,
        "file_name": run.file_name,
        "failure": report.failure if report else "",
        "waiting_long": run.running and run.rows_done == 0 and waited > WAITING_HINT_SECONDS,
        "list_url": reverse(LIST_OF_KIND[run.kind]),
        "kind_label": KINDS[run.kind],
        "page_marking": report.marking if report else 0,
    }
    if request.htmx and request.htmx.target == "import-progress":
        return render(request, "meetings/partials/import_run.html", context)
    context["form"] = ImportForm()
    status = 422 if report and report.errors else 200
    return render(request, "meetings/import.html", context, status=status)


@editor_required
@require_POST
def import_confirm(request: HttpRequest, pk) -> HttpResponse:
    """Queues the real import of a file whose dry run found no problem."""
    try:
        run = _own_run(request, pk)
    except Http404:
        run = None
    report = ImportReport.from_json(run.report) if run and run.report else None
    if run is None or run.stage != ImportRun.Stage.CHECKED or report is None or report.errors:
        messages.error(
            request,
            "That upload is no longer waiting (imported already, or too old): choose the file again.",
        )
        return redirect("import")
    updated = ImportRun.objects.filter(pk=run.pk, stage=ImportRun.Stage.CHECKED).update(
        stage=ImportRun.Stage.IMPORTING, rows_done=0, updated_at=timezone.now()
    )
    if updated:  # a second click while the first is queued queues nothing more
        run_import.enqueue(str(run.pk))
    return redirect(run)
