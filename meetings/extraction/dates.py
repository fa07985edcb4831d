"""Dates: the dateline, the day of the meeting, and due dates of actions.

Explicit dates are read by dateparser (offline). Relative words ("on Monday", "yesterday",
"last Wednesday", "today") are resolved against an anchor: the dateline, else a date the
person gives, else today. When a date has no year, the year is the one the person gives;
failing that, the latest year (not in the future) in which the date fell on the weekday the
text names, or simply the latest year not in the future.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
# "26 February 2024", "26th of February", "February 26, 2024", "Feb. 26", "April 22-23, 2024",
# "2024-02-26", each optionally led by a weekday.
DATE = re.compile(
    rf"(?:(?P<weekday>{WEEKDAY}),?\s+)?(?:the\s+)?"
    rf"(?:(?P<d1>{DAY})(?:\s*[-–]\s*(?P<d1end>{DAY}))?\s+(?:of\s+)?(?P<m1>{MONTHS})(?:,?\s+(?P<y1>{YEAR}))?"
    rf"|(?P<m2>{MONTHS})\s+(?P<d2>{DAY})(?:\s*[-–]\s*(?P<d2end>{DAY}))?(?:,?\s+(?P<y2>{YEAR}))?"
    rf"|(?P<iso>{YEAR}-[01]\d-[0-3]\d))"
    r"(?![\w-])",
)
RELATIVE = re.compile(
    rf"\b(?:(?P<last>last|this|on|next)\s+)?(?P<weekday>{WEEKDAY})\b|\b(?P<word>today|yesterday|tomorrow|"
    r"earlier today|this morning|this afternoon|this evening|last night)\b",
    re.IGNORECASE,
)
MONTH_NUMBER = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class DateMention:
    """A date written in the text; ``year`` is None when the text gives none."""

    day: int
    month: int
    year: int | None
    weekday: int | None
    end_day: int | None
    start: int
    end: int
    text: str

    def resolve(self, year: int) -> datetime.date | None:
        try:
            return datetime.date(year, self.month, self.day)
        except ValueError:
            return None

    def end_date(self, year: int) -> datetime.date | None:
        if self.end_day is None or self.end_day <= self.day:
            return None
        try:
            return datetime.date(year, self.month, self.end_day)
        except ValueError:
            return None


@cache
def _parser():
    # dateparser takes a while to import: only when a date is read.
    import dateparser

    return dateparser


def _parse(text: str) -> tuple[int, int, int | None] | None:
    """Day, month and (maybe) year of one written date, read by dateparser."""
    has_year = re.search(YEAR, text) is not None
    settings = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"}
    if not has_year:
        settings["RELATIVE_BASE"] = datetime.datetime(2000, 1, 1)  # a leap year: 29 February stays
    parsed = _parser().parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return parsed.day, parsed.month, parsed.year if has_year else None


def find_dates(text: str) -> list[DateMention]:
    found = []
    for match in DATE.finditer(text):
        groups = match.groupdict()
        if groups["iso"]:
            try:
                value = datetime.date.fromisoformat(groups["iso"])
            except ValueError:
                continue
            found.append(DateMention(value.day, value.month, value.year, None, None, *match.span(), match[0]))
            continue
        day = groups["d1"] or groups["d2"]
        month = groups["m1"] or groups["m2"]
        year = groups["y1"] or groups["y2"]
        # "May 2" is a date, "may 2" is not: require a capital M.
        if month.rstrip(".").lower() == "may" and groups["m2"] and not year and not month.startswith("M"):
            continue
        parsed = _parse(f"{day} {month.rstrip('.')} {year or ''}".strip())
        if parsed is None:
            continue
        end_day = groups["d1end"] or groups["d2end"]
        weekday = WEEKDAYS.index(groups["weekday"].lower()) if groups["weekday"] else None
        found.append(
            DateMention(
                parsed[0],
                parsed[1],
                parsed[2],
                weekday,
                int(re.sub(r"\D", "", end_day)) if end_day else None,
                *match.span(),
                match[0],
            )
        )
    return found


@dataclass(frozen=True)
class RelativeMention:
    weekday: int | None  # 0 = Monday
    days_back: int | None  # today 0, yesterday 1, tomorrow -1
    strictly_before: bool  # "last Wednesday"
    start: int
    end: int
    text: str


def find_relative(text: str) -> list[RelativeMention]:
    found = []
    for match in RELATIVE.finditer(text):
        if match["weekday"]:
            # A weekday written as part of a full date ("Friday 22 November") is not relative.
            if DATE.match(text, match.start("weekday")) and DATE.match(text, match.start("weekday")).group(
                "weekday"
            ):
                full = DATE.match(text, match.start("weekday"))
                if full.end() > match.end():
                    continue
            found.append(
                RelativeMention(
                    WEEKDAYS.index(match["weekday"].lower()),
                    None,
                    (match["last"] or "").lower() == "last",
                    *match.span(),
                    match[0],
                )
            )
        else:
            word = match["word"].lower()
            back = {"yesterday": 1, "last night": 1, "tomorrow": -1}.get(word, 0)
            found.append(RelativeMention(None, back, False, *match.span(), match[0]))
    return found


def resolve_relative(mention: RelativeMention, anchor: datetime.date) -> datetime.date:
    if mention.weekday is None:
        return anchor - datetime.timedelta(days=mention.days_back or 0)
    back = (anchor.weekday() - mention.weekday) % 7
    if back == 0 and mention.strictly_before:
        back = 7
    return anchor - datetime.timedelta(days=back)


def infer_year(
    mention: DateMention, *, weekday: int | None, given: datetime.date | None, today: datetime.date
) -> int:
    """The year of a date written without one."""
    if given is not None:
        return given.year
    wanted = mention.weekday if mention.weekday is not None else weekday
    if wanted is not None:
        for year in range(today.year, today.year - 12, -1):
            value = mention.resolve(year)
            if value and value <= today and value.weekday() == wanted:
                return year
    for year in (today.year, today.year - 1):
        value = mention.resolve(year)
        if value and value <= today:
            return year
    return today.year - 1


DUE = re.compile(
    rf"\b(?:by|before|no later than|until)\s+(?:the\s+end\s+of\s+(?P<end>{MONTHS}|the\s+year|(?:19|20)\d\d)"
    rf"(?:\s+(?P<endyear>{YEAR}))?|(?P<date>(?:{DAY}\s+{MONTHS}|{MONTHS}\s+{DAY})(?:,?\s+{YEAR})?))",
    re.IGNORECASE,
)


def due_date(clause: str, meeting_date: datetime.date | None) -> datetime.date | None:
    """ "by 30 September 2024", "before the end of April", "by the end of the year"."""
    match = DUE.search(clause)
    if not match or meeting_date is None:
        return None
    if match["date"]:
        mentions = find_dates(match["date"])
        if not mentions:
            return None
        mention = mentions[0]
        year = mention.year or meeting_date.year
        value = mention.resolve(year)
        if value and value < meeting_date and mention.year is None:
            value = mention.resolve(year + 1)
        return value
    end = match["end"].lower()
    if end.endswith("year"):
        return datetime.date(meeting_date.year, 12, 31)
    if end.isdigit():
        return datetime.date(int(end), 12, 31)
    month = MONTH_NUMBER.get(end.rstrip(".")[:3] if end[:3] != "sep" else "sep")
    month = MONTH_NUMBER.get(end.rstrip("."), month)
    if not month:
        return None
    year = int(match["endyear"]) if match["endyear"] else meeting_date.year
    if not match["endyear"] and month < meeting_date.month:
        year += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)
