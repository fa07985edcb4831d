"""A meeting's attendees grouped by delegation, as the meeting page, brief and calendar show them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django_countries.fields import Country

from meetings.models import Attendance, Meeting

ROLE_ORDER = {
    Attendance.Role.HEAD: 0,
    Attendance.Role.HOST: 1,
    Attendance.Role.DELEGATE: 2,
    Attendance.Role.OBSERVER: 3,
    Attendance.Role.NOTE_TAKER: 4,
}


@dataclass
class Delegation:
    """The attendees of one country's delegation, heads of delegation first."""

    country: Country | None
    is_host: bool
    attendances: list[Attendance] = field(default_factory=list)


def delegations(meeting: Meeting, attendances: Iterable[Attendance]) -> list[Delegation]:
    """Attendees by delegation: the host's first, then by country name, then those with none."""
    groups: dict[str, Delegation] = {}
    for attendance in attendances:
        code = attendance.delegation.code or ""
        if code not in groups:
            groups[code] = Delegation(
                country=attendance.delegation if code else None,
                is_host=bool(code) and code == meeting.host_country.code,
            )
        groups[code].attendances.append(attendance)
    for group in groups.values():
        group.attendances.sort(key=lambda a: (ROLE_ORDER.get(a.role, 9), a.person.name))
    return sorted(
        groups.values(),
        key=lambda g: (g.country is None, not g.is_host, g.country.name if g.country else ""),
    )
