from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings import dashboard as figures
from meetings import demo_data


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The first screen: counts, what is coming up, what is late, and charts of the last two years."""
    context = figures.build(request.user)
    if settings.DEMO:
        # Dated in 2024, the seed article's meeting is in no short list: point newcomers to it.
        context["reference_meeting"] = demo_data.reference_meeting(request.user)
    return render(request, "meetings/dashboard.html", context)
