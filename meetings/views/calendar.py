"""Meetings in people's own calendars: one meeting as a file, and a private subscription feed.

The feed is read by calendar programs that cannot sign in, so its address carries a
secret instead; it lists what its owner may see at the moment it is read, and stops
answering as soon as the address is replaced or revoked or the owner's account is closed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from meetings import ical, services
from meetings.audit import record as audit
from meetings.models import CalendarFeed, Meeting

CONTENT_TYPE = "text/calendar; charset=utf-8"
# The one place the secret is kept between the POST that makes it and the page that shows it.
NEW_ADDRESS_KEY = "calendar_feed_new_token"


@require_GET
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as an .ics file, to open in any calendar program."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).with_attendees_and_topics(), pk=pk)
    audit.meeting_read(request, meeting, audit.Kind.CALENDAR)
    body = ical.calendar(
        [meeting], name=meeting.title, url_of=lambda m: request.build_absolute_uri(m.get_absolute_url())
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    filename = f"{slugify(meeting.title)[:60] or 'meeting'}-{meeting.start_date:%Y-%m-%d}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.for_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    feed.record_use()
    meetings = ical.feed_meetings(Meeting.objects.visible_to(feed.user))
    body = ical.calendar(
        meetings,
        name="Defence meetings",
        url_of=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    return HttpResponse(body, content_type=CONTENT_TYPE)


@never_cache
@require_GET
def calendar_subscription(request: HttpRequest) -> HttpResponse:
    """The person's subscription: its address (just after it is made), when it was last read."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    token = request.session.pop(NEW_ADDRESS_KEY, None)
    address = request.build_absolute_uri(reverse("calendar-feed", args=[token])) if token and feed else ""
    return render(request, "meetings/calendar_subscription.html", {"feed": feed, "address": address})


@require_POST
def calendar_subscription_issue(request: HttpRequest) -> HttpResponse:
    replaced = CalendarFeed.objects.filter(user=request.user).exists()
    request.session[NEW_ADDRESS_KEY] = services.calendar_feed_issue(user=request.user)
    if replaced:
        messages.success(
            request, "A new address is ready. The old one no longer works: update your calendar."
        )
    else:
        messages.success(request, "Your calendar address is ready.")
    return redirect("calendar-subscription")


@require_POST
def calendar_subscription_revoke(request: HttpRequest) -> HttpResponse:
    request.session.pop(NEW_ADDRESS_KEY, None)
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, "Your calendar address is revoked: calendars using it get nothing more.")
    return redirect("calendar-subscription")
