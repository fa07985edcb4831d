from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meetings.models import Meeting


def dashboard(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.visible_to(request.user)[:10]
    return render(request, "meetings/dashboard.html", {"meetings": meetings})
