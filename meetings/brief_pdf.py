"""The meeting brief as a PDF, laid out with ReportLab's platypus.

Set in DejaVu Sans (copied into ``static/vendor/dejavu`` by ``bin/build-assets``): it has
every Latin letter attendees' names use (Ngũgĩ, Çelik, Łukasz), which the PDF's fourteen
built-in fonts lack. The marking banner is drawn at the top and bottom of every page.
"""

from __future__ import annotations

import functools
import io
import logging
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.html import escape
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from meetings import classification
from meetings.models import Action, Attendance

if TYPE_CHECKING:
    from meetings.views.brief import Brief

logger = logging.getLogger(__name__)

MARGIN = 16 * mm
BANNER_HEIGHT = 6 * mm
# The banner colours of the app's stylesheet, lowest marking first; higher ones take the last.
MARKING_COLOURS = ["#1e6b34", "#5a4a00", "#0b4f8a", "#a0151b"]
OVERDUE = colors.HexColor("#a0151b")
RULE = colors.HexColor("#adb5bd")


@functools.cache
def font_family() -> tuple[str, str, str]:
    """Regular, bold and italic font names: DejaVu Sans, or ReportLab's own Vera without it."""
    files = {
        style: finders.find(f"vendor/dejavu/{name}")
        for style, name in (
            ("BriefSans", "DejaVuSans.ttf"),
            ("BriefSans-Bold", "DejaVuSans-Bold.ttf"),
            ("BriefSans-Italic", "DejaVuSans-Oblique.ttf"),
        )
    }
    if not all(files.values()):
        logger.warning(
            "DejaVu Sans is missing from static/vendor (run bin/build-assets); some letters may not print"
        )
        files = {"BriefSans": "Vera.ttf", "BriefSans-Bold": "VeraBd.ttf", "BriefSans-Italic": "VeraIt.ttf"}
    for name, path in files.items():
        pdfmetrics.registerFont(TTFont(name, path))
    pdfmetrics.registerFontFamily(
        "BriefSans",
        normal="BriefSans",
        bold="BriefSans-Bold",
        italic="BriefSans-Italic",
        boldItalic="BriefSans-Bold",
    )
    return "BriefSans", "BriefSans-Bold", "BriefSans-Italic"


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    regular, bold, italic = font_family()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "muted": ParagraphStyle("muted", parent=body, fontName=italic, textColor=colors.HexColor("#555555")),
        "kicker": ParagraphStyle(
            "kicker", parent=body, fontName=bold, fontSize=8, textColor=colors.HexColor("#555555")
        ),
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=3
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontName=bold, fontSize=10, leading=13, spaceBefore=4, spaceAfter=1
        ),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=10, bulletIndent=2),
        "banner": ParagraphStyle(
            "banner", parent=body, fontName=bold, alignment=TA_CENTER, textColor=colors.white
        ),
    }


def render(brief: Brief) -> bytes:
    buffer = io.BytesIO()
    meeting = brief.meeting
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + BANNER_HEIGHT,
        bottomMargin=MARGIN + BANNER_HEIGHT,
        title=f"Brief: {meeting.title}",
        subject=f"{classification.label(brief.marking)} · meeting brief",
        creator="Defence meetings",
    )
    banner = functools.partial(_draw_banners, marking=brief.marking)
    document.build(_story(brief), onFirstPage=banner, onLaterPages=banner)
    return buffer.getvalue()


def _draw_banners(canvas, document, *, marking: int) -> None:
    label = classification.label(marking)
    colour = colors.HexColor(MARKING_COLOURS[min(marking, len(MARKING_COLOURS) - 1)])
    width, height = document.pagesize
    regular, bold, _ = font_family()
    canvas.saveState()
    for y in (height - MARGIN + 1 * mm, MARGIN - BANNER_HEIGHT - 1 * mm):
        canvas.setFillColor(colour)
        canvas.rect(MARGIN, y, width - 2 * MARGIN, BANNER_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(bold, 9)
        canvas.drawCentredString(width / 2, y + 1.9 * mm, label)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.setFont(regular, 7.5)
    canvas.drawRightString(width - MARGIN, MARGIN - BANNER_HEIGHT - 5 * mm, f"Page {document.page}")
    canvas.restoreState()


def _story(brief: Brief) -> list:
    s = styles()
    meeting = brief.meeting
    story = [
        Paragraph("MEETING BRIEF", s["kicker"]),
        Paragraph(escape(meeting.title), s["title"]),
        _facts(brief),
        Paragraph("Delegations", s["h2"]),
    ]
    for delegation in brief.delegations:
        heading = delegation.country.name if delegation.country else "No delegation recorded"
        lines = [Paragraph(escape(heading) + (" (host)" if delegation.is_host else ""), s["h3"])]
        lines += [Paragraph(_attendee(a), s["bullet"], bulletText="•") for a in delegation.attendances]
        story.append(KeepTogether(lines))
    if not brief.delegations:
        story.append(Paragraph("No attendees recorded.", s["muted"]))

    story.append(Paragraph("Topics", s["h2"]))
    for note in brief.topic_notes:
        text = f"<b>{escape(note.topic.path)}</b>" + (f": {escape(note.note)}" if note.note else "")
        story.append(Paragraph(text, s["bullet"], bulletText="•"))
    if not brief.topic_notes:
        story.append(Paragraph("No topics recorded.", s["muted"]))

    partners = _and([country.name for country in brief.partners])
    story.append(
        Paragraph(
            "Open actions from earlier meetings" + (f" with {escape(partners)}" if partners else ""), s["h2"]
        )
    )
    if brief.open_actions.rows:
        story.append(_actions_table(brief.open_actions.rows))
        if brief.open_actions.more:
            story.append(
                Paragraph(
                    f"The {len(brief.open_actions.rows)} due soonest; more in the action tracker.", s["small"]
                )
            )
    else:
        story.append(Paragraph("No open actions from earlier meetings with these partners.", s["muted"]))

    story.append(Paragraph("Last meeting with these partners", s["h2"]))
    last = brief.last_meeting
    if last:
        where = f", {escape(last.place)}" if last.place else ""
        story.append(Paragraph(f"<b>{escape(last.title)}</b>, {last.start_date:%-d %B %Y}{where}", s["body"]))
        outcome = (
            escape(last.outcome).replace("\n", "<br/>") if last.outcome else "<i>No outcome recorded.</i>"
        )
        story.append(Paragraph(f"<b>Outcome:</b> {outcome}", s["body"]))
    else:
        story.append(Paragraph("No earlier meeting held with these partners.", s["muted"]))

    story += [
        Spacer(1, 8),
        Paragraph(
            f"Prepared {timezone.localtime():%-d %B %Y, %H:%M} from the Defence meetings record"
            f" of meeting {meeting.pk}.",
            s["small"],
        ),
    ]
    return story


def _facts(brief: Brief) -> Table:
    s = styles()
    meeting = brief.meeting
    when = f"{meeting.start_date:%A %-d %B %Y}"
    if meeting.end_date and meeting.end_date != meeting.start_date:
        when += f" to {meeting.end_date:%A %-d %B %Y}"
    if meeting.start_time:
        when += f", {meeting.start_time:%H:%M}" + (f"–{meeting.end_time:%H:%M}" if meeting.end_time else "")
        when += f" {meeting.timezone}" + (f" ({brief.utc_offset})" if brief.utc_offset else "")
    where = meeting.place or ("Call, no place" if meeting.kind == meeting.Kind.CALL else "No place recorded")
    kind = f"{meeting.get_kind_display()} · {meeting.get_status_display()}"
    if meeting.host_country:
        kind += f" · hosted by {meeting.host_country.name}"
    rows = [
        ("When", when),
        ("Where", where),
        ("Kind", kind),
        ("Partners", _and([c.name for c in brief.partners]) or "None recorded"),
    ]
    if meeting.series:
        previous = brief.previous_in_series
        rows.append(
            (
                "Series",
                f"{meeting.series.name}; "
                + (
                    f"previous: {previous.title}, {previous.start_date:%-d %b %Y}"
                    if previous
                    else "the first of the series"
                ),
            )
        )
    table = Table(
        [
            [Paragraph(f"<b>{label}</b>", s["body"]), Paragraph(escape(value), s["body"])]
            for label, value in rows
        ],
        colWidths=[24 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    return table


def _actions_table(actions: list[Action]) -> Table:
    s = styles()
    header = [Paragraph(f"<b>{text}</b>", s["small"]) for text in ("Action", "Owed by", "Due", "Agreed at")]
    rows, overdue_rows = [header], []
    for number, action in enumerate(actions, start=1):
        due = f"{action.due_date:%-d %b %Y}" if action.due_date else "No due date"
        if action.is_overdue():
            due += '<br/><font color="#a0151b"><b>OVERDUE</b></font>'
            overdue_rows.append(number)
        rows.append(
            [
                Paragraph(
                    f"{escape(action.description)} <i>({action.get_status_display().lower()})</i>", s["small"]
                ),
                Paragraph(escape(_owed_by(action)), s["small"]),
                Paragraph(due, s["small"]),
                Paragraph(
                    f"{escape(action.meeting.title)}, {action.meeting.start_date:%-d %b %Y}", s["small"]
                ),
            ]
        )
    table = Table(rows, colWidths=["40%", "22%", "13%", "25%"], repeatRows=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]
    style += [("LINEBEFORE", (0, row), (0, row), 2, OVERDUE) for row in overdue_rows]
    style += [("LEFTPADDING", (0, row), (0, row), 4) for row in overdue_rows]
    table.setStyle(TableStyle(style))
    return table


def _attendee(attendance: Attendance) -> str:
    person = attendance.person
    name = f"{person.honorific} {person.name}" if person.honorific else person.name
    text = f"<b>{escape(name)}</b>"
    details = [attendance.title, attendance.organization.name if attendance.organization else ""]
    text += "".join(f", {escape(part)}" for part in details if part)
    if attendance.role != Attendance.Role.DELEGATE:
        text += f" <i>({attendance.get_role_display().lower()})</i>"
    if attendance.status != Attendance.Status.ATTENDED:
        text += f" [{attendance.get_status_display().lower()}]"
    return text


def _owed_by(action: Action) -> str:
    parties = ", ".join(str(party) for party in action.parties.all())
    person = action.responsible_person.name if action.responsible_person_id else ""
    return "; ".join(part for part in (parties, person) if part) or "Not recorded"


def _and(names: list[str]) -> str:
    """ "Kenya", "Kenya and United Kingdom", "Kenya, Somalia and United Kingdom"."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
