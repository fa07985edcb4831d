"""Type-ahead search for filters and forms: a short JSON list, starting from ``visible_to``."""

from django.db.models import Q
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from meetings.models import Meeting, Organization, Person, Topic

LIMIT = 20


def _people(people, q: str):
    return people.filter(Q(name__icontains=q) | Q(title__icontains=q)).select_related("organization")


def _organizations(organizations, q: str):
    return organizations.filter(Q(name__icontains=q) | Q(acronym__icontains=q))


def _topics(topics, q: str):
    return topics.filter(name__icontains=q).select_related("parent__parent")


def _meetings(meetings, q: str):
    return meetings.filter(title__icontains=q).order_by("-start_date")


SOURCES = {
    "people": (Person, _people, lambda p: f"{p.name} — {p.title}" if p.title else p.name),
    "organizations": (Organization, _organizations, str),
    "topics": (Topic, _topics, lambda t: t.path),
    "meetings": (Meeting, _meetings, str),
}


@require_GET
def autocomplete(request: HttpRequest, kind: str) -> JsonResponse:
    if kind not in SOURCES:
        raise Http404
    model, search, label = SOURCES[kind]
    q = request.GET.get("q", "").strip()[:100]
    matches = search(model.objects.visible_to(request.user), q)[:LIMIT]
    return JsonResponse({"results": [{"value": obj.pk, "text": label(obj)} for obj in matches]})
