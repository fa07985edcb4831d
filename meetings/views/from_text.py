"""New meeting from a press release: paste the text, get the meeting page filled in.

The draft opens in the normal meeting page with every proposed value marked and the
sentence it came from beside it. Nothing is stored here: saving the page posts the
meeting form, which this view hands unchanged to the meeting page's own view.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from meetings.extraction import MAX_CHARS, ExtractionRefused, corrections, extract
from meetings.extraction.database import DatabaseDirectory, recorded_already
from meetings.extraction.prefill import Hint, Prefill, prefill
from meetings.forms import (
    MeetingEditor,
    OrganizationQuickForm,
    PersonQuickForm,
    TopicQuickForm,
)
from meetings.models import Meeting
from meetings.views import editing

SENTENCE_SHOWN = 160
EXCERPT_AROUND = 60  # characters of context either side of the words that gave a value


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Text of the press release or readout",
        strip=False,
        required=False,  # an empty box gets the extractor's own message
        widget=forms.Textarea(attrs={"rows": 16, "class": "form-control", "data-max-chars": MAX_CHARS}),
        help_text="Plain text, or copied straight from a web page.",
    )
    given_date = forms.DateField(
        label="Date of the text (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text="Used for “on Monday”, “yesterday” and dates without a year.",
        error_messages={"invalid": "Enter a real date, e.g. 2024-02-26."},
    )


DRAFTS_KEPT = 5  # drafts whose proposals the session keeps, for a person with several tabs open


@editing.editor_required
@require_http_methods(["GET", "POST"])
def meeting_from_text(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "attendees-TOTAL_FORMS" in request.POST:
        # The draft's meeting form, saved exactly as the meeting page saves it; then what the
        # person chose instead of a proposal is remembered for the next draft.
        response = editing.meeting_create(request)
        if response.status_code == 302:
            _remember_corrections(request, response["Location"])
        return response
    paste = PasteForm(request.POST if request.method == "POST" else None)
    refusal = ""
    if request.method == "POST" and paste.is_valid():
        given = paste.cleaned_data["given_date"]
        try:
            draft = extract(
                paste.cleaned_data["text"],
                directory=DatabaseDirectory(request.user),
                given_date=given,
                today=timezone.localdate(),
            )
        except ExtractionRefused as error:
            refusal = str(error)
        else:
            return _draft_page(request, draft)
    status = 422 if refusal or paste.errors else 200
    return render(
        request, "meetings/meeting_from_text.html", {"paste": paste, "refusal": refusal}, status=status
    )


def _source_key(text: str) -> str:
    return hashlib.sha256(" ".join((text or "").split()).encode()).hexdigest()


def _keep_proposals(request: HttpRequest, draft, filled: Prefill) -> None:
    """What each row of the draft was read from, kept until the draft is saved; found again by
    the text, which the draft's source row carries back."""
    kept = dict(request.session.get(corrections.SESSION_KEY, {}))
    kept[_source_key(draft.source["text"])] = filled.read_from
    request.session[corrections.SESSION_KEY] = dict(list(kept.items())[-DRAFTS_KEPT:])


def _remember_corrections(request: HttpRequest, location: str) -> None:
    kept = dict(request.session.get(corrections.SESSION_KEY, {}))
    read_from = kept.pop(_source_key(request.POST.get("sources-0-text", "")), None)
    if read_from is None:
        return
    request.session[corrections.SESSION_KEY] = kept
    try:
        match = resolve(location)
    except Resolver404:
        return
    meeting = Meeting.objects.visible_to(request.user).filter(pk=match.kwargs.get("pk")).first()
    if meeting is not None:
        corrections.remember(request.user, meeting, request.POST, read_from)


def _draft_page(request: HttpRequest, draft) -> HttpResponse:
    parent = _parent_meeting(request, draft)
    filled = prefill(draft, parent=parent)
    _keep_proposals(request, draft, filled)
    editor = MeetingEditor(user=request.user, instance=Meeting(), initial=filled.meeting)
    count = _mark(editor, filled)
    context = {
        "editor": editor,
        "form": editor.form,
        "meeting_pk": None,
        "stored_title": "",
        "page_marking": 0,
        "quick_forms": {
            "person": PersonQuickForm(prefix="quick-person"),
            "organization": OrganizationQuickForm(prefix="quick-organization"),
            "topic": TopicQuickForm(prefix="quick-topic"),
        },
        "draft": draft,
        "proposal_count": count,
        "notes": draft.notes,
        "recorded": recorded_already(
            request.user,
            day=draft.start_date.value,
            partners=draft.participants.value,
            title=draft.title.value if draft.title.sentence else "",
        ),
    }
    return render(request, "meetings/meeting_from_text.html", context)


def _parent_meeting(request: HttpRequest, draft) -> Meeting | None:
    """The recorded event a meeting on the margins belongs to, if there is one about then."""
    name, day = draft.parent_event.value, draft.start_date.value
    if not name or not isinstance(day, datetime.date):
        return None
    around = (day - datetime.timedelta(days=7), day + datetime.timedelta(days=7))
    return (
        Meeting.objects.visible_to(request.user)
        .filter(title__icontains=name[:60], start_date__range=around)
        .order_by("start_date")
        .first()
    )


def _mark(editor: MeetingEditor, filled: Prefill) -> int:
    """Marks every proposed field for review and puts its sentence beside it; returns how many."""
    count = _mark_form(editor.form, filled.hints)
    for prefix, rows in filled.row_hints.items():
        forms_ = editor.formsets[prefix].forms
        for form, hints in zip(forms_, rows, strict=False):
            count += _mark_form(form, hints)
    return count


def _mark_form(form: forms.Form, hints: dict[str, Hint]) -> int:
    marked = 0
    for name, hint in hints.items():
        if name not in form.fields:
            continue
        field, bound = form.fields[name], form[name]
        # The bound field keeps its own copy of the help text: both get the hint.
        field.help_text = bound.help_text = _hint_html(hint, field.help_text, bound.auto_id)
        attrs = field.widget.attrs
        attrs["class"] = f"{attrs.get('class', '')} is-proposed".strip()
        attrs["data-proposed"] = ""
        marked += 1
    return marked


def _excerpt(sentence: str, focus: str):
    """The part of the sentence around the words that gave the value, those words marked."""
    at = sentence.casefold().find(focus.casefold()) if focus else -1
    if at < 0:
        short = sentence if len(sentence) <= SENTENCE_SHOWN else sentence[: SENTENCE_SHOWN - 1] + "…"
        return format_html("{}", short)
    start = max(0, at - EXCERPT_AROUND)
    end = min(len(sentence), at + len(focus) + EXCERPT_AROUND)
    if start:
        start = sentence.find(" ", start) + 1 or start
    if end < len(sentence):
        end = (
            sentence.rfind(" ", at + len(focus), end)
            if sentence.rfind(" ", at + len(focus), end) > 0
            else end
        )
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if start else "",
        sentence[start:at],
        sentence[at : at + len(focus)],
        sentence[at + len(focus) : end],
        "…" if end < len(sentence) else "",
    )


def _hint_html(hint: Hint, help_text: str, field_id: str):
    parts = [mark_safe('<span class="badge proposal-badge">Proposed</span>')]
    if hint.note:
        parts.append(format_html(' <span class="proposal-note">{}.</span>', hint.note.rstrip(".")))
    if hint.sentence:
        parts.append(
            format_html(
                ' <span class="proposal-source">From: “{}”</span>', _excerpt(hint.sentence, hint.focus)
            )
        )
    if hint.create:
        parts.append(
            format_html_join(
                "",
                ' <button type="button" class="btn btn-outline-secondary btn-sm proposal-create" '
                'data-proposal-create="{}" data-target="{}" data-record="{}">Add “{}”…</button>',
                (
                    (hint.create["kind"], field_id, json.dumps(item), item["name"])
                    for item in hint.create["items"]
                    if item.get("name")
                ),
            )
        )
    if help_text:
        parts.append(format_html(' <span class="proposal-help">{}</span>', help_text))
    return format_html(
        '<span class="proposal-hint">{}</span>', format_html_join("", "{}", ((p,) for p in parts))
    )
