from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from meetings.models import Meeting, Organization, Person, Topic


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    return render(request, "meetings/person_detail.html", {"person": person})


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    return render(request, "meetings/organization_detail.html", {"organization": organization})


def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    return render(request, "meetings/topic_detail.html", {"topic": topic})


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "meetings/country_detail.html", {"code": code})
