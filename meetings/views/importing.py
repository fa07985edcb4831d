"""Bulk import, in two steps on one page: upload and see the dry run, then confirm.

Between the two steps the file waits in a private folder under a random name; the
session holds that name, so the confirmation can only reach a file this person uploaded,
and no path ever comes from the browser.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from meetings.forms import StyledFormMixin
from meetings.importing import (
    KINDS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    UnreadableFile,
    detect_kind,
    import_records,
    read_table,
)
from meetings.views.editing import editor_required

PENDING_DIR = Path(tempfile.gettempdir()) / "meetings-imports"
PENDING_SESSION_KEY = "pending_imports"
PENDING_HOURS = 24
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
LIST_OF_KIND = {"meetings": "meeting-list", "people": "person-list", "organizations": "organization-list"}


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
    """The upload form; after an upload, the dry run and, if it found no problem, Confirm."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 422 if form.is_bound else 200
        return render(request, "meetings/import.html", {"form": form}, status=status)
    data = form.cleaned_data
    report = import_records(
        user=request.user, table=form.table, kind=data["kind"], create_topics=data["create_topics"]
    )
    token = _keep(request, form.content, data) if not report.errors else ""
    context = {
        "form": ImportForm(),
        "report": report,
        "token": token,
        "file_name": data["file"].name,
        "page_marking": report.marking,
    }
    return render(request, "meetings/import.html", context, status=422 if report.errors else 200)


@editor_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """The real import of the file the dry run was shown for: all of it, or nothing."""
    token = request.POST.get("token", "")
    pending = request.session.get(PENDING_SESSION_KEY, {}).get(token) if TOKEN.match(token) else None
    path = PENDING_DIR / token
    if pending is None or not path.is_file():
        messages.error(
            request, "That upload is no longer waiting (imported already, or too old): choose the file again."
        )
        return redirect("import")
    try:
        table = read_table(pending["name"], path.read_bytes())
        report = import_records(
            user=request.user,
            table=table,
            kind=pending["kind"],
            create_topics=pending["create_topics"],
            commit=True,
        )
    except UnreadableFile as error:
        messages.error(request, str(error))
        return redirect("import")
    finally:
        _discard(request, token)
    if not report.written:
        context = {
            "form": ImportForm(),
            "report": report,
            "token": "",
            "file_name": pending["name"],
            "page_marking": report.marking,
        }
        return render(request, "meetings/import.html", context, status=422)
    counts = report.counts
    messages.success(
        request,
        f"Imported {pending['name']}: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['matched']} already recorded.",
    )
    return redirect(LIST_OF_KIND[report.kind])


def _keep(request: HttpRequest, content: bytes, data: dict) -> str:
    """Stores the upload under a random name for the confirmation; returns the name."""
    PENDING_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_old_files()
    token = secrets.token_urlsafe(24)
    path = PENDING_DIR / token
    path.touch(mode=0o600)
    path.write_bytes(content)
    pending = request.session.get(PENDING_SESSION_KEY, {})
    pending[token] = {"name": data["file"].name, "kind": data["kind"], "create_topics": data["create_topics"]}
    request.session[PENDING_SESSION_KEY] = pending
    return token


def _discard(request: HttpRequest, token: str) -> None:
    pending = request.session.get(PENDING_SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[PENDING_SESSION_KEY] = pending
    (PENDING_DIR / token).unlink(missing_ok=True)


def _remove_old_files() -> None:
    cutoff = time.time() - PENDING_HOURS * 3600
    for path in PENDING_DIR.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
