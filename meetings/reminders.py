"""Action reminders: one digest per mailbox of the open actions that are overdue or due soon.

Who is reminded of an action: its responsible person (``Person.email``) and each
organisation among its parties (``Organization.contact_email``). A country party is
reached by no one: a country is not a mailbox, and writing to every organisation of that
country would remind people who never took the action on. An action owed only by
countries is listed as unreachable so that the desk can name an organisation or a person.

Records that share an address get one e-mail between them. E-mail leaves the system, so
only actions of meetings marked at most ``REMINDER_MAX_CLASSIFICATION`` are written into
it; of the others the digest gives only the number, with a link to sign in and read them.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings import classification
from meetings.models import Action, ActionParty, ActionQuerySet, Organization, Person

logger = logging.getLogger(__name__)

MAX_DAYS = 365


def max_marking() -> int:
    """The highest marking whose actions may be written into an e-mail."""
    levels = [level.upper() for level in classification.levels()]
    return levels.index(settings.REMINDER_MAX_CLASSIFICATION.upper())


@dataclass
class Digest:
    """What one address is sent: actions spelt out, and those only counted."""

    email: str
    days: int
    records: list[Person | Organization] = field(default_factory=list)
    written: list[Action] = field(default_factory=list)
    withheld: list[Action] = field(default_factory=list)

    @property
    def actions(self) -> list[Action]:
        return [*self.written, *self.withheld]

    @property
    def overdue(self) -> int:
        return sum(action.overdue_today for action in self.actions)

    @property
    def counts(self) -> str:
        """ "2 overdue, 1 due in the next 14 days" """
        due = len(self.actions) - self.overdue
        return f"{self.overdue} overdue, {due} due in the next {self.days} day{'s' if self.days != 1 else ''}"

    @property
    def subject(self) -> str:
        return f"Action reminder: {self.counts}"

    def add(self, record: Person | Organization, action: Action, may_write: bool) -> None:
        if record not in self.records:
            self.records.append(record)
        if action not in self.actions:
            (self.written if may_write else self.withheld).append(action)


@dataclass
class Unaddressed:
    """A person or organisation with actions to remind of, but no e-mail address."""

    record: Person | Organization
    actions: list[Action] = field(default_factory=list)

    @property
    def edit_url(self) -> str:
        name = "person-update" if isinstance(self.record, Person) else "organization-update"
        return reverse(name, args=[self.record.pk])


@dataclass
class ReminderPlan:
    """Everything one reminder run sends, and what it cannot send."""

    days: int
    today: datetime.date
    marking: int
    digests: list[Digest]
    unaddressed: list[Unaddressed]
    unreachable: list[Action]  # owed only by countries: nobody to write to

    @property
    def limit(self) -> datetime.date:
        return self.today + datetime.timedelta(days=self.days)

    @property
    def action_count(self) -> int:
        return len({action.pk for digest in self.digests for action in digest.actions})


def _parties() -> Prefetch:
    return Prefetch("parties", queryset=ActionParty.objects.select_related("organization").order_by("id"))


def reminder_plan(actions: ActionQuerySet, *, days: int, today: datetime.date | None = None) -> ReminderPlan:
    """The digests for the open actions among ``actions`` overdue or due within ``days``.

    ``actions`` is where access starts: every action for the command, the actions
    ``visible_to`` a person for the page. Three queries, however many actions.
    """
    today = today or timezone.localdate()
    marking = max_marking()
    due = (
        (actions.overdue(today) | actions.due_within(days, today))
        .select_related("meeting", "responsible_person")
        .prefetch_related(_parties())
        .order_by("due_date", "id")
    )
    digests: dict[str, Digest] = {}
    unaddressed: dict[tuple[str, int], Unaddressed] = {}
    unreachable = []
    for action in due:
        action.overdue_today = action.is_overdue(today)
        records = [action.responsible_person] if action.responsible_person else []
        records += [party.organization for party in action.parties.all() if party.organization]
        if not records:
            unreachable.append(action)
        for record in records:
            address = (record.email if isinstance(record, Person) else record.contact_email).strip()
            if address:
                digest = digests.setdefault(address.lower(), Digest(email=address, days=days))
                digest.add(record, action, action.meeting.classification <= marking)
            else:
                key = (type(record).__name__, record.pk)
                unaddressed.setdefault(key, Unaddressed(record)).actions.append(action)
    return ReminderPlan(
        days=days,
        today=today,
        marking=marking,
        digests=sorted(digests.values(), key=lambda digest: digest.email.lower()),
        unaddressed=sorted(unaddressed.values(), key=lambda row: str(row.record).lower()),
        unreachable=unreachable,
    )


def reminder_message(plan: ReminderPlan, digest: Digest) -> EmailMultiAlternatives:
    """The e-mail for one digest: plain text, with an HTML alternative."""
    context = {
        "plan": plan,
        "digest": digest,
        "marking_label": classification.label(plan.marking),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("reminders/digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.email],
    )
    message.attach_alternative(render_to_string("reminders/digest_email.html", context), "text/html")
    return message


@dataclass
class Sending:
    """What one reminder run sent: the plan, the counts, and each failure."""

    plan: ReminderPlan
    dry_run: bool
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, error)

    @property
    def skipped(self) -> int:
        return len(self.plan.digests) - self.sent - len(self.failed)

    @property
    def summary(self) -> dict:
        return {
            "recipients": len(self.plan.digests),
            "actions": self.plan.action_count,
            "sent": self.sent,
            "skipped": self.skipped,
            "failed": len(self.failed),
            "without_address": len(self.plan.unaddressed),
            "owed_only_by_countries": len(self.plan.unreachable),
        }


def send_reminders(*, days: int, dry_run: bool = False) -> Sending:
    """E-mails every digest of today's plan over all actions; a failed send does not stop
    the others (used by the command and by the task)."""
    sending = Sending(reminder_plan(Action.objects.all(), days=days), dry_run)
    if dry_run:
        return sending
    for digest in sending.plan.digests:
        try:
            mailers.default.send_messages([reminder_message(sending.plan, digest)])
        except OSError as error:  # SMTP and socket errors: the others are still sent
            logger.warning("reminder not sent to %s: %s", digest.email, error)
            sending.failed.append((digest.email, str(error)))
        else:
            sending.sent += 1
    return sending
