"""People, organisations and topics: create, edit, delete, and the look-ups and "add new"
dialogs the meeting page uses."""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import services
from meetings.forms import (
    OrganizationForm,
    OrganizationQuickForm,
    PersonForm,
    PersonQuickForm,
    TopicForm,
    TopicQuickForm,
)
from meetings.labels import organization_label, person_label, topic_label
from meetings.models import Organization, Person, Topic
from meetings.views.editing import editor_required

LOOKUP_LIMIT = 20

KINDS = {
    Person: {"noun": "person", "list": "person-list", "update": "person-update", "delete": "person-delete"},
    Organization: {
        "noun": "organisation",
        "list": "organization-list",
        "update": "organization-update",
        "delete": "organization-delete",
    },
    Topic: {"noun": "topic", "list": "topic-list", "update": "topic-update", "delete": "topic-delete"},
}


# JSON shapes --------------------------------------------------------------------------------


def person_json(person: Person) -> dict:
    organization = person.organization
    return {
        "value": person.pk,
        "text": person_label(person),
        "name": person.name,
        "title": person.title,
        "country": person.country.code if person.country else "",
        "organization": {"value": organization.pk, "text": organization_label(organization)}
        if organization
        else None,
        "url": person.get_absolute_url(),
    }


def organization_json(organization: Organization) -> dict:
    return {
        "value": organization.pk,
        "text": organization_label(organization),
        "url": organization.get_absolute_url(),
    }


def topic_json(topic: Topic) -> dict:
    return {"value": topic.pk, "text": topic_label(topic), "url": topic.get_absolute_url()}


# Look-ups: close matches first, so an existing record is offered before "add new" ---------


def _query(request: HttpRequest) -> str:
    # PostgreSQL refuses NUL characters in text, even in a search.
    return request.GET.get("q", "").replace("\x00", "").strip()[:100]


@require_GET
def person_lookup(request: HttpRequest) -> JsonResponse:
    q = _query(request)
    if not q:
        return JsonResponse({"results": []})
    close = services.similar_people(q)
    rest = (
        Person.objects.visible_to(request.user)
        .filter(Q(name__icontains=q) | Q(title__icontains=q))
        .exclude(pk__in=[p.pk for p in close])
        .select_related("organization")[: LOOKUP_LIMIT - len(close)]
    )
    results = [{**person_json(p), "close": True} for p in close] + [person_json(p) for p in rest]
    return JsonResponse({"results": results})


@require_GET
def organization_lookup(request: HttpRequest) -> JsonResponse:
    q = _query(request)
    if not q:
        return JsonResponse({"results": []})
    close = services.similar_organizations(q)
    rest = (
        Organization.objects.visible_to(request.user)
        .filter(Q(name__icontains=q) | Q(acronym__icontains=q))
        .exclude(pk__in=[o.pk for o in close])[: LOOKUP_LIMIT - len(close)]
    )
    results = [{**organization_json(o), "close": True} for o in close] + [organization_json(o) for o in rest]
    return JsonResponse({"results": results})


# "Add new" from the meeting page ------------------------------------------------------------


def _quick_create(
    request: HttpRequest, form_class: type[forms.ModelForm], prefix: str, as_json
) -> JsonResponse:
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            with transaction.atomic():
                record = form.save()
        except IntegrityError:
            form.add_error(None, "This record could not be saved: an identical one was added meanwhile.")
        else:
            return JsonResponse(as_json(record), status=201)
    errors = {name: [str(message) for message in messages_] for name, messages_ in form.errors.items()}
    similar = [as_json(record) for record in getattr(form, "similar", [])]
    return JsonResponse({"errors": errors, "similar": similar}, status=400)


@editor_required
@require_POST
def person_quick_create(request: HttpRequest) -> JsonResponse:
    return _quick_create(request, PersonQuickForm, "quick-person", person_json)


@editor_required
@require_POST
def organization_quick_create(request: HttpRequest) -> JsonResponse:
    return _quick_create(request, OrganizationQuickForm, "quick-organization", organization_json)


@editor_required
@require_POST
def topic_quick_create(request: HttpRequest) -> JsonResponse:
    return _quick_create(request, TopicQuickForm, "quick-topic", topic_json)


# Pages --------------------------------------------------------------------------------------


def _record_form(request: HttpRequest, form_class: type[forms.ModelForm], instance) -> HttpResponse:
    kind = KINDS[type(instance)]
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    stored_name = str(instance) if instance.pk else ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                record = form.save()
        except IntegrityError:
            form.add_error(
                None, f"This {kind['noun']} could not be saved: it clashes with a record added meanwhile."
            )
        except services.SaveRefused as refusal:
            form.add_error(None, f"{refusal} Reload the page to see the changes, then make yours again.")
            status = 409
        else:
            messages.success(request, f"Saved {kind['noun']} “{record}”.")
            return redirect(record)
    context = {"form": form, "kind": kind, "record": instance, "stored_name": stored_name}
    return render(request, "meetings/record_form.html", context, status=status)


def _record_delete(request: HttpRequest, record) -> HttpResponse:
    kind = KINDS[type(record)]
    refusal, status = "", 200
    if request.method == "POST":
        name = str(record)
        try:
            services.record_delete(user=request.user, record=record)
        except services.DeleteRefused as error:
            refusal, status = str(error), 409
        else:
            messages.success(request, f"Deleted {kind['noun']} “{name}”.")
            return redirect(kind["list"])
    context = {"record": record, "kind": kind, "refusal": refusal}
    return render(request, "meetings/record_confirm_delete.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, PersonForm, Person())


@editor_required
@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, PersonForm, get_object_or_404(Person, pk=pk))


@editor_required
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, get_object_or_404(Person, pk=pk))


@editor_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, OrganizationForm, Organization())


@editor_required
@require_http_methods(["GET", "POST"])
def organization_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, OrganizationForm, get_object_or_404(Organization, pk=pk))


@editor_required
@require_http_methods(["GET", "POST"])
def organization_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, get_object_or_404(Organization, pk=pk))


@editor_required
@require_http_methods(["GET", "POST"])
def topic_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, TopicForm, Topic())


@editor_required
@require_http_methods(["GET", "POST"])
def topic_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, TopicForm, get_object_or_404(Topic, pk=pk))


@editor_required
@require_http_methods(["GET", "POST"])
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, get_object_or_404(Topic, pk=pk))
