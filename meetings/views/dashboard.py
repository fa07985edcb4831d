from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings import dashboard as figures


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The first screen: counts, what is coming up, what is late, and charts of the last two years."""
    return render(request, "meetings/dashboard.html", figures.build(request.user))
